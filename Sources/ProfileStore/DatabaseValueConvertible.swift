/// A Swift type that binds as a statement argument and decodes from a column.
///
/// The store provides conformances for `Int`, `Int64`, `Int32`, `Double`, `Bool`, `String`,
/// `Data`, `[UInt8]`, `Date` (integer microseconds since 1970) and ``DatabaseValue`` itself.
/// `nil` binds as SQL `NULL`; decode optional columns as `T?` (see ``Row``).
public protocol DatabaseValueConvertible: Sendable {
  /// The value to bind.
  var databaseValue: DatabaseValue { get }

  /// Decodes a stored value, or returns nil when its storage class does not fit this type.
  ///
  /// Only ``DatabaseValue`` accepts ``DatabaseValue/null``; the store reports a nil result as
  /// ``DatabaseError/mismatch``.
  init?(databaseValue: DatabaseValue)
}

extension DatabaseValueConvertible {
  /// Decodes `value`, throwing ``DatabaseError/mismatch`` with `context` (a column) in the message.
  static func decode(_ value: DatabaseValue, context: @autoclosure () -> String) throws -> Self {
    if let decoded = Self(databaseValue: value) {
      return decoded
    }
    throw DatabaseError(
      resultCode: DatabaseError.mismatch,
      message: "cannot decode \(value) as \(Self.self) (\(context()))")
  }
}
