/// How schema extraction recognises `Optional` whatever it wraps.
protocol OptionalMarker {
  static var wrappedType: any Decodable.Type { get }
  static var absent: Self { get }
}

extension Optional: OptionalMarker where Wrapped: Decodable {
  static var wrappedType: any Decodable.Type { Wrapped.self }
  static var absent: Self { nil }
}
