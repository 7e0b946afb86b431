extension String: WireMapKey {
  static var schemaType: FieldType { .string }

  static func precedesOnWire(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
  }

  func writeBare(to writer: inout WireWriter) {
    writer.writeString(self)
  }

  static func readBare(from reader: inout WireReader) throws(WireFormatError) -> String {
    try ScalarDecoding.string(reader.bytes, reader.readLengthDelimited())
  }
}

extension Int: WireMapKey {
  static var schemaType: FieldType { .int64 }
}

extension Int8: WireMapKey {
  static var schemaType: FieldType { .int8 }
}

extension Int16: WireMapKey {
  static var schemaType: FieldType { .int16 }
}

extension Int32: WireMapKey {
  static var schemaType: FieldType { .int32 }
}

extension Int64: WireMapKey {
  static var schemaType: FieldType { .int64 }
}

extension UInt: WireMapKey {
  static var schemaType: FieldType { .uint64 }
}

extension UInt8: WireMapKey {
  static var schemaType: FieldType { .uint8 }
}

extension UInt16: WireMapKey {
  static var schemaType: FieldType { .uint16 }
}

extension UInt32: WireMapKey {
  static var schemaType: FieldType { .uint32 }
}

extension UInt64: WireMapKey {
  static var schemaType: FieldType { .uint64 }
}
