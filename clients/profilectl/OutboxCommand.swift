internal import Foundation
internal import ProfileAPI
internal import ProfileClient
internal import RPC

/// `outbox [MAX] [--ack]`: the messages waiting for the delivery services, such as the codes a
/// developer needs to verify a phone locally.
struct OutboxCommand: Command {
  static let name = "outbox"
  static let synopsis = "outbox [MAX] [--ack]"
  static let summary = "messages waiting for delivery (codes for SMS and email)"
  static let usage = """
    USAGE: profilectl [options] outbox [MAX] [--ack]

    Prints up to MAX (1 to 500, default 100) messages waiting for the SMS and email delivery
    services, oldest first, one per line:

      ID CHANNEL RECIPIENT TEMPLATE KEY=VALUE...

    for example `7 sms +34600111222 phone.verification code=482913`. A verification code is the
    `code` parameter. Messages stay until acknowledged; --ack acknowledges the ones printed, as a
    delivery service would. Outbox methods are for trusted callers only (by default the uid
    profiled runs as): others get PERMISSION_DENIED (exit 7).

    OPTIONS:
      -a, --ack     acknowledges the printed messages, so they are not shown again
      -h, --help    shows this help

    The global options (see profilectl --help) apply.

    """

  let max: Int
  let acknowledge: Bool

  init(arguments: [String]) throws(UsageError) {
    let parsed = try CommandArguments(arguments, of: Self.self, flags: ["-a": "--ack", "--ack": "--ack"])
    guard parsed.operands.count <= 1 else {
      throw UsageError("outbox takes at most one MAX, found '\(parsed.operands[1])' too", usage: Self.usage)
    }
    if let text = parsed.operands.first {
      guard let value = Int(text), (1...500).contains(value) else {
        throw UsageError("outbox MAX must be a whole number from 1 to 500, not '\(text)'", usage: Self.usage)
      }
      max = value
    } else {
      max = 100
    }
    acknowledge = parsed.flags.contains("--ack")
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    try await context.withClient { client in
      let messages = try await client.rpc.unary(
        Outbox.pull, Outbox.PullRequest(max: max), options: context.callOptions()
      ).messages
      for message in messages { Output.line(Self.line(message)) }
      if messages.isEmpty { Output.error("no messages are waiting") }
      if acknowledge && !messages.isEmpty {
        let acknowledged = try await client.rpc.unary(
          Outbox.ack, Outbox.AckRequest(ids: messages.map(\.id)), options: context.callOptions()
        ).acknowledged
        Output.error("acknowledged \(acknowledged) message(s)")
      }
      return .success
    }
  }

  static func line(_ message: Outbox.Message) -> String {
    let parameters = message.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return ([String(message.id), "\(message.channel)", message.recipient, message.template] + parameters)
      .joined(separator: " ")
  }
}
