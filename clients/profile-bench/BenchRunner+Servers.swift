internal import Glibc

/// The servers of one run. All of them start before anything is measured, so that the points
/// compared across two servers can take turns (`BenchRunner+Turns`).
struct BenchServers {
  /// The raw baseline's server and the client that drives it; nil with `--only profiled` or
  /// when it did not start.
  var raw: (server: ChildServer, client: RawBaselineClient)?
  /// The profiled server: the one on `--socket`, or a child; nil with `--only raw`, before the
  /// RPC scenarios are wired, or when it did not start.
  var profiledSocket: String?
  /// Reads the profiled server's peak RSS in KiB.
  var profiledPeakKiB: (() throws -> Int)?
  /// The profiled server's process, for its CPU time; nil when it is not known.
  var profiledPID: pid_t?
  /// The child server that commits every write alone; nil when the profiled side is not run or
  /// it did not start.
  var oneFsyncPerWriteSocket: String?
  /// That server's process, for its CPU time.
  var oneFsyncPerWritePID: pid_t?
}

extension BenchRunner {
  /// Starts the servers this run needs, runs `body` with them, and stops them. A server that
  /// does not start becomes a note and a nil in `BenchServers`; the run carries on without it.
  func withServers(into report: inout Report, _ body: (BenchServers, inout Report) async -> Void) async {
    let profiles = options.runsProfiled && RPCScenarios.isWired
    if options.runsProfiled && !RPCScenarios.isWired {
      report.addNote(
        "profiled: not measured: the RPC scenarios are not wired yet "
          + "(clients/profile-bench/RPCScenarios.swift), so this run has the raw baseline only.")
    }
    var servers = BenchServers()
    await withOptionalChild(
      options.runsRaw, role: "raw baseline server", label: "raw baseline", flag: BenchCommand.serveRawFlag,
      tag: "raw", into: &report
    ) { raw, report in
      servers.raw = raw.map { ($0, RawBaselineClient(socketPath: $0.socketPath)) }
      await withProfiledServer(profiles, into: &report) { socket, pid, peakKiB, report in
        servers.profiledSocket = socket
        servers.profiledPID = pid
        servers.profiledPeakKiB = peakKiB
        await withOptionalChild(
          profiles && options.measuresStore, role: "profiled server with one fsync per write",
          label: "\(Report.Side.oneFsyncPerWrite)", flag: BenchCommand.serveRPCUnbatchedFlag,
          tag: "rpc-unbatched", into: &report
        ) { oneFsync, report in
          servers.oneFsyncPerWriteSocket = oneFsync?.socketPath
          servers.oneFsyncPerWritePID = oneFsync?.pid
          await body(servers, &report)
        }
      }
    }
  }

  /// The server on `--socket` (its pid found from the socket's peer credentials, for its RSS
  /// and CPU time), or a child.
  private func withProfiledServer(
    _ enabled: Bool, into report: inout Report,
    _ body: (String?, pid_t?, (() throws -> Int)?, inout Report) async -> Void
  ) async {
    guard enabled, let socketPath = options.socketPath else {
      await withOptionalChild(
        enabled, role: "profiled server", label: "profiled", flag: BenchCommand.serveRPCFlag, tag: "rpc",
        into: &report
      ) { server, report in
        await body(
          server?.socketPath, server?.pid, server.map { server in { try server.peakResidentKiB() } }, &report)
      }
      return
    }
    let serverPID: Result<pid_t, any Error> = Result {
      let probe = try UnixSocket.connect(path: socketPath, nonBlocking: false)
      defer { close(probe) }
      return try UnixSocket.peerProcessID(probe)
    }
    await body(
      socketPath, try? serverPID.get(), { try ProcFS.peakResidentKiB(of: try serverPID.get()) }, &report)
  }

  /// Runs `body` with a child server started with `flag`, or with nil when `enabled` is false
  /// or the child does not start (which becomes a failure note prefixed with `label`).
  private func withOptionalChild(
    _ enabled: Bool, role: String, label: String, flag: String, tag: String, into report: inout Report,
    _ body: (ChildServer?, inout Report) async -> Void
  ) async {
    guard enabled else {
      await body(nil, &report)
      return
    }
    let socketPath = ChildServer.temporarySocketPath(tag: tag)
    Console.progress("\(label): starting its server")
    var ran = false
    do {
      try await ChildServer.withChild(role: role, flag: flag, socketPath: socketPath) { server in
        ran = true
        await body(server, &report)
      }
    } catch {
      // Either it did not start (run the rest without it) or it failed to stop cleanly after.
      report.addFailure("\(label): \(error)")
      if !ran { await body(nil, &report) }
    }
  }
}
