/// How schema extraction recognises `Array` whatever its element type.
protocol ArrayMarker {
  static var elementType: any Decodable.Type { get }
  static var empty: Self { get }
}

extension Array: ArrayMarker where Element: Decodable {
  static var elementType: any Decodable.Type { Element.self }
  static var empty: Self { [] }
}
