extension DatabaseValue: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { self }

  public init?(databaseValue: DatabaseValue) {
    self = databaseValue
  }
}

extension Int64: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .integer(self) }

  /// Accepts integers, and reals with an exact integer value.
  public init?(databaseValue: DatabaseValue) {
    switch databaseValue {
    case .integer(let value): self = value
    case .real(let value):
      guard let exact = Int64(exactly: value) else { return nil }
      self = exact
    default: return nil
    }
  }
}

extension Int: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .integer(Int64(self)) }

  public init?(databaseValue: DatabaseValue) {
    guard let value = Int64(databaseValue: databaseValue), let exact = Int(exactly: value) else {
      return nil
    }
    self = exact
  }
}

extension Int32: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .integer(Int64(self)) }

  /// Fails (as a mismatch) when the stored integer does not fit in 32 bits.
  public init?(databaseValue: DatabaseValue) {
    guard let value = Int64(databaseValue: databaseValue), let exact = Int32(exactly: value) else {
      return nil
    }
    self = exact
  }
}

extension Double: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .real(self) }

  /// Accepts reals and integers.
  public init?(databaseValue: DatabaseValue) {
    switch databaseValue {
    case .real(let value): self = value
    case .integer(let value): self = Double(value)
    default: return nil
    }
  }
}

extension Bool: DatabaseValueConvertible {
  /// Stored as integer 0 or 1.
  public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }

  /// Any non-zero integer is true.
  public init?(databaseValue: DatabaseValue) {
    guard case .integer(let value) = databaseValue else { return nil }
    self = value != 0
  }
}

extension String: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .text(self) }

  public init?(databaseValue: DatabaseValue) {
    guard case .text(let value) = databaseValue else { return nil }
    self = value
  }
}
