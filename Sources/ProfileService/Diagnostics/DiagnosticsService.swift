import Foundation
import ProfileAPI
public import RPC

/// Serves `Diagnostics`: echo and generated streams, to measure the RPC path itself.
public struct DiagnosticsService: RPCService {
  public init() {}

  public func register(with router: inout RPCRouter) {
    router.unary(Diagnostics.echo, immediately: { request, _ in
      var validator = FieldValidator()
      validator.integer("payload", request.payload.count, in: 0...Diagnostics.maxPayloadSize)
      if let size = request.responseSize { validator.integer("responseSize", size, in: 0...Diagnostics.maxPayloadSize) }
      try validator.check()
      guard let size = request.responseSize, size != request.payload.count else {
        return Diagnostics.EchoResponse(payload: request.payload)
      }
      return Diagnostics.EchoResponse(payload: Self.fill(request.payload, to: size))
    })
    router.serverStreaming(Diagnostics.generate) { request, writer, _ in
      var validator = FieldValidator()
      validator.integer("count", request.count, in: 1...Diagnostics.maxGenerateCount)
      validator.integer("size", request.size, in: 0...Diagnostics.maxPayloadSize)
      try validator.check()
      let message = Diagnostics.EchoResponse(payload: Data(repeating: 0x2A, count: request.size))
      for _ in 0..<request.count {
        try Task.checkCancellation()
        try await writer.write(message)
      }
    }
  }

  /// `seed` repeated (or zero bytes when it is empty) to exactly `size` bytes.
  static func fill(_ seed: Data, to size: Int) -> Data {
    guard !seed.isEmpty, size > 0 else { return Data(count: max(0, size)) }
    // One allocation, filled by whole copies of the seed: a remainder per byte cost 8% of the
    // server's echo time, appending slices 5%.
    var data = Data(count: size)
    data.withUnsafeMutableBytes { target in
      seed.withUnsafeBytes { pattern in
        guard let destination = target.baseAddress, let source = pattern.baseAddress else { return }
        var offset = 0
        while offset < size {
          let count = min(pattern.count, size - offset)
          (destination + offset).copyMemory(from: source, byteCount: count)
          offset += count
        }
      }
    }
    return data
  }
}
