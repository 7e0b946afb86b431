import Foundation
import ProfileAPI
import ProfileClient
import RPC

/// The Exports calls the export tests make, through the real client.
struct ExportCalls: Sendable {
  let client: ProfileClient
  let user: TestUser

  func start(_ from: String, _ to: String) async throws -> Exports.Export {
    try await client.rpc.unary(Exports.startExport, Exports.StartExportRequest(from: from, to: to), options: user.options)
  }

  func list() async throws -> [Exports.Export] {
    try await client.rpc.unary(Exports.listExports, Empty(), options: user.options).exports
  }

  /// Every progress message until the stream ends.
  func watch(_ id: String) async throws -> [Exports.ExportProgress] {
    try await everyMessage(of: Exports.watchExport, id)
  }

  /// Waits for the export to end and returns its last progress message.
  func finish(_ id: String) async throws -> Exports.ExportProgress {
    guard let last = try await watch(id).last else { throw RPCError(.internal, "the watch stream was empty") }
    return last
  }

  /// The downloaded chunks, in order.
  func download(_ id: String) async throws -> [Exports.ExportChunk] {
    try await everyMessage(of: Exports.downloadExport, id)
  }

  /// Every message of a server stream about one export, until it ends.
  private func everyMessage<Response>(
    of method: MethodDescriptor<Exports.ExportRequest, Response>, _ id: String
  ) async throws -> [Response] {
    var messages: [Response] = []
    for try await message in client.rpc.serverStreaming(method, Exports.ExportRequest(id: id), options: user.options) {
      messages.append(message)
    }
    return messages
  }
}
