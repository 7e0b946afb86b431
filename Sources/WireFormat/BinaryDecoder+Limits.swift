extension BinaryDecoder {
  /// Bounds on untrusted input, so a small hostile message cannot exhaust the stack or memory.
  ///
  /// Lengths are always checked against the bytes that remain, so the size of the input already
  /// bounds every allocation; these limits bound recursion and per-container work.
  public struct Limits: Sendable {
    /// How deeply values may nest, counting the top-level value as 1 and each nested message,
    /// array, map or element value inside it as one more.
    public var maxDepth: Int

    /// The most elements one array or map, or fields one message, may have.
    public var maxContainerCount: Int

    /// 64 levels and 100,000 elements per container.
    public static let `default` = Limits()

    public init(maxDepth: Int = 64, maxContainerCount: Int = 100_000) {
      self.maxDepth = maxDepth
      self.maxContainerCount = maxContainerCount
    }
  }
}
