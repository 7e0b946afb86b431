extension WireReader {
  /// Indexes every field of the message in the rest of this region, in one pass.
  ///
  /// - Throws: `containerLimitExceeded` when the message has more than `limit` fields, or any
  ///   error of the primitive reads.
  mutating func readFields(limit: Int) throws(WireFormatError) -> [FieldEntry] {
    var fields: [FieldEntry] = []
    // Every field takes at least two bytes; reserve once for typical messages.
    fields.reserveCapacity(Swift.min((end - position) / 2, 16))
    try forEachField(limit: limit) { fields.append($0) }
    return fields
  }

  /// Reads every field of the message in the rest of this region, in one pass, handing each to
  /// `body` in the order they appear.
  ///
  /// - Throws: `containerLimitExceeded` when the message has more than `limit` fields, or any
  ///   error of the primitive reads; `body` may have seen some fields by then.
  @inline(__always)
  mutating func forEachField(limit: Int, _ body: (FieldEntry) -> Void) throws(WireFormatError) {
    var count = 0
    while !isAtEnd {
      let (number, wireType) = try readKey()
      let name = number == 0 ? try readLengthDelimited() : 0..<0
      let value = try skipValue(wireType)
      guard count < limit else { throw .containerLimitExceeded(limit: limit, path: "") }
      count += 1
      body(FieldEntry(number: number, wireType: wireType, name: name, value: value))
    }
  }
}
