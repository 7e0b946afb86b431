extension Dictionary: EncodableWireMap where Key: WireMapKey, Value: Encodable {
  func encodeWireMap(to engine: EncodingEngine) throws {
    for (key, value) in sorted(by: { Key.precedesOnWire($0.key, $1.key) }) {
      key.writeBare(to: &engine.writer)
      let saved = engine.enterPath(nil, MapEntryKey(key))
      defer { engine.leavePath(saved) }
      try engine.encodeValue(value, in: .element)
    }
  }
}

extension Dictionary: DecodableWireMap where Key: WireMapKey, Value: Decodable {
  static func decodeWireMap(from engine: DecodingEngine, payload: Range<Int>) throws -> Self {
    let path = engine.codingPath
    var result: Self = [:]
    var position = payload.lowerBound
    var count = 0
    while position < payload.upperBound {
      guard count < engine.limits.maxContainerCount else {
        throw WireFormatError.containerLimitExceeded(
          limit: engine.limits.maxContainerCount, path: CodingPath.render(path))
      }
      count += 1
      var reader = WireReader(engine.bytes, from: position, to: payload.upperBound)
      let key: Key
      do throws(WireFormatError) {
        key = try Key.readBare(from: &reader)
      } catch {
        throw error.locating(at: CodingPath.render(path, IndexKey(count - 1)))
      }
      let saved = engine.enterPath(nil, MapEntryKey(key))
      defer { engine.leavePath(saved) }
      result[key] = try engine.decodeElement(
        Value.self, in: reader.position..<payload.upperBound, end: &position)
    }
    return result
  }

  static var keySchemaType: FieldType { Key.schemaType }

  static var valueType: any Decodable.Type { Value.self }

  static var empty: Self { [:] }
}
