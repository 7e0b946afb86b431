internal import Glibc

/// What a throughput window costs in CPU time on each side of a ping-pong: the server process
/// (read from `/proc`, so only for a server whose pid is known: a child, or the one on
/// `--socket` found through its peer credentials) and this process, the client.
///
/// Throughput ratios move with the machine's load; CPU time per call says which side limits a
/// point and by how much, for the raw baseline and profiled alike.
struct CPUMeter: Sendable {
  /// CPU time used so far by each side.
  struct Reading: Sendable {
    /// nil when the server's `/proc` entry could not be read.
    var server: Duration?
    var client: Duration
  }

  /// The server process, when it is known.
  let serverPID: pid_t?

  func read() -> Reading {
    Reading(server: serverPID.flatMap { try? ProcFS.cpuTime(of: $0) }, client: ProcFS.ownCPUTime())
  }
}

/// CPU time used by each side during measured windows.
struct CPUUsage: Sendable, Equatable {
  /// nil when the server side was not measured in every window.
  var server: Duration?
  var client: Duration

  /// The CPU time used between two readings.
  init(from start: CPUMeter.Reading, to end: CPUMeter.Reading) {
    server = start.server.flatMap { start in end.server.map { $0 - start } }
    client = end.client - start.client
  }

  init(server: Duration?, client: Duration) {
    self.server = server
    self.client = client
  }

  /// Both windows' usage together.
  func adding(_ other: CPUUsage) -> CPUUsage {
    CPUUsage(
      server: server.flatMap { mine in other.server.map { mine + $0 } }, client: client + other.client)
  }

  /// Microseconds of each side per call, for `calls` calls; nil for none.
  func perCall(_ calls: Int) -> (server: Double?, client: Double)? {
    guard calls > 0 else { return nil }
    func microseconds(_ duration: Duration) -> Double {
      Double(duration / .nanoseconds(1)) / 1_000 / Double(calls)
    }
    return (server.map(microseconds), microseconds(client))
  }
}
