extension Dictionary: EncodableWireMap where Key: WireMapKey, Value: Encodable {
  func encodeWireMap(to engine: EncodingEngine) throws {
    let path = engine.codingPath
    for (key, value) in sorted(by: { Key.precedesOnWire($0.key, $1.key) }) {
      key.writeBare(to: &engine.writer)
      engine.enterPath(path, MapEntryKey(key))
      defer { engine.leavePath() }
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
      engine.enterPath(path, MapEntryKey(key))
      defer { engine.leavePath() }
      let (value, end) = try engine.decodeElement(Value.self, in: reader.position..<payload.upperBound)
      position = end
      result[key] = value
    }
    return result
  }

  static var keySchemaType: FieldType { Key.schemaType }

  static var valueType: any Decodable.Type { Value.self }

  static var empty: Self { [:] }
}
