/// An encoding or decoding engine: it keeps the one coding path its containers share.
protocol CodingPathOwner: AnyObject {
  var codingPath: [any CodingKey] { get set }
}

extension CodingPathOwner {
  /// Pushes `key`, the key of a nested value, onto the coding path.
  ///
  /// Containers do not keep a copy of the path (a copy would make every push reallocate); they
  /// read the engine's, which is theirs whenever their owner is being coded. Only containers
  /// from `nestedContainer(...)` have a longer path of their own: `nestedPath`.
  ///
  /// - Returns: what `leavePath(_:)` needs to restore the path.
  @inline(__always)
  func enterPath(_ nestedPath: [any CodingKey]?, _ key: any CodingKey) -> [any CodingKey]? {
    guard let nestedPath else {
      codingPath.append(key)
      return nil
    }
    let saved = codingPath
    codingPath = nestedPath + [key]
    return saved
  }

  @inline(__always)
  func leavePath(_ saved: [any CodingKey]?) {
    if let saved {
      codingPath = saved
    } else {
      codingPath.removeLast()
    }
  }
}
