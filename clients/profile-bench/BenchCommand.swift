/// What one invocation of `profile-bench` does, decided from its arguments alone.
///
/// Arguments are parsed by hand: `--name value` or `--name=value`. The three hidden modes start
/// the servers in child processes (see `ChildServer`); they are not in `--help`.
enum BenchCommand: Equatable {
  case help
  /// `--serve-raw SOCKET`: be the raw baseline server.
  case serveRaw(socketPath: String)
  /// `--serve-rpc SOCKET`: be the profiled RPC server (`RPCScenarios.runServer`), with group
  /// commit; `--serve-rpc-unbatched SOCKET`: the same with one fsync per write.
  case serveRPC(socketPath: String, commit: RPCScenarios.Commit)
  case run(BenchOptions)

  static let serveRawFlag = "--serve-raw"
  static let serveRPCFlag = "--serve-rpc"
  static let serveRPCUnbatchedFlag = "--serve-rpc-unbatched"

  /// The hidden flags, and the command each one starts.
  private static let serverFlags: [String: @Sendable (String) -> BenchCommand] = [
    serveRawFlag: { .serveRaw(socketPath: $0) },
    serveRPCFlag: { .serveRPC(socketPath: $0, commit: .grouped) },
    serveRPCUnbatchedFlag: { .serveRPC(socketPath: $0, commit: .oneFsyncPerWrite) },
  ]

  static let helpText = """
    USAGE: profile-bench [options]

    Measures profiled over a Unix socket, side by side with a raw Unix-socket ping-pong
    baseline (epoll on both ends, no framework, same payload sizes), all in one run, and
    prints a table of each figure with its ratio to the baseline and the servers' peak RSS,
    then, for each throughput point, the CPU time per call of each side's server and
    client. It also measures GetProfile, VerifyToken (of a session and of an API token), and
    durable UpdateProfile writes next to a
    second profiled server that commits every write alone (one fsync per write).
    The servers run as child processes of this one, unless --socket is given (the
    one-fsync-per-write server is always a child).

    Build and run in release mode:  swift run -c release profile-bench

    OPTIONS:
      --socket PATH          Measure the profiled server already listening on PATH instead
                             of starting one (the raw baseline still starts its own).
      --duration SECONDS     Measured time of each throughput point, after a warm-up of a
                             fifth of it (at most 1 s). Default 3; --quick: 0.5.
      --latency-calls N      Sequential calls timed for the latency figures, after a warm-up.
                             Default 20000; --quick: 2000.
      --stream-messages N    Messages in the timed server stream. Default 1000000; --quick: 100000.
      --concurrency LIST     Calls in flight at each throughput point of the ping-pong rows,
                             comma-separated. Default 1,16,64,256. GetProfile and VerifyToken
                             (both token kinds) are always measured at 1, 16 and 64 calls in flight on one
                             connection, durable UpdateProfile writes at 1 and 64 callers.
      --rounds N             Slices each compared point is measured in, taking turns: raw
                             baseline and profiled on the ping-pong rows, group commit and one
                             fsync per write on the durable-write rows. A throughput slice lasts
                             --duration / N after its own warm-up, and a side's figure is its
                             calls over its measured time; a latency slice times
                             --latency-calls / N calls after its own warm-up, and a side's
                             percentiles are over all its samples. So a neighbour's load on this
                             shared machine weighs on both sides. Default 3; --quick: 1.
      --only raw|profiled    Run only the raw baseline, or only the profiled side.
      --ping-pong-only       Only the ping-pong rows and the server stream, on both sides:
                             the RPC path alone, without GetProfile, VerifyToken, the
                             durable writes, credits or the export (and without the
                             one-fsync-per-write server).
      --client-busy-poll USEC
                             The profiled side's client keeps polling its sockets this many
                             microseconds after work before it sleeps (RPCClient.setBusyPoll),
                             0 to 10000. Default 0. Pair it with --socket and a server started
                             with profiled --busy-poll; the raw baseline never polls.
      --quick                A short run for smoke tests; explicit options above still apply.
      --markdown             Print the report as Markdown, to paste into the README.
      -h, --help             Show this help.

    Progress goes to standard error, the report to standard output. Exit status: 0 every
    figure measured; 1 some measurement failed or counted errors (see the notes); 2 the run
    could not proceed; 3 the run exceeded its time limit; 64 bad arguments.
    """

  /// Parses the arguments after the program name.
  init(arguments: [String]) throws {
    if let first = arguments.first, let server = Self.serverFlags[first] {
      guard arguments.count == 2, !arguments[1].isEmpty else {
        throw BenchError.usage("\(first) takes exactly one argument, the socket path")
      }
      self = server(arguments[1])
      return
    }

    var options = BenchOptions()
    var duration: Double?
    var latencyCalls: Int?
    var streamMessages: Int?
    var rounds: Int?
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      var name = argument
      var attachedValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        attachedValue = String(argument[argument.index(after: equals)...])
      }
      func value() throws -> String {
        if let attachedValue { return attachedValue }
        guard let next = remaining.popFirst() else {
          throw BenchError.usage("\(name) needs a value")
        }
        return next
      }
      func flag() throws {
        if attachedValue != nil { throw BenchError.usage("\(name) takes no value") }
      }

      switch name {
      case "-h", "--help":
        try flag()
        self = .help
        return
      case "--socket":
        let path = try value()
        _ = try UnixSocket.address(path)
        options.socketPath = path
      case "--duration":
        duration = try Self.number(try value(), for: name, in: BenchOptions.durationRange)
      case "--latency-calls":
        latencyCalls = try Self.integer(try value(), for: name, in: BenchOptions.latencyCallsRange)
      case "--stream-messages":
        streamMessages = try Self.integer(
          try value(), for: name, in: BenchOptions.streamMessagesRange)
      case "--rounds":
        rounds = try Self.integer(try value(), for: name, in: BenchOptions.roundsRange)
      case "--concurrency":
        let list = try value().split(separator: ",", omittingEmptySubsequences: false)
        options.concurrencies = try list.map {
          try Self.integer(String($0), for: name, in: BenchOptions.concurrencyRange)
        }
        guard !options.concurrencies.isEmpty else {
          throw BenchError.usage("\(name) needs at least one number")
        }
      case "--only":
        let side = try value()
        guard let only = BenchOptions.Only(rawValue: side) else {
          throw BenchError.usage("--only takes 'raw' or 'profiled', not '\(side)'")
        }
        options.only = only
      case "--client-busy-poll":
        options.clientBusyPollMicroseconds = try Self.integer(
          try value(), for: name, in: BenchOptions.clientBusyPollRange)
      case "--ping-pong-only":
        try flag()
        options.pingPongOnly = true
      case "--quick":
        try flag()
        options.isQuick = true
      case "--markdown":
        try flag()
        options.markdown = true
      case _ where Self.serverFlags[name] != nil:
        throw BenchError.usage("\(name) must be the only option")
      default:
        throw BenchError.usage("unknown argument '\(argument)'")
      }
    }

    if options.isQuick {
      options.durationSeconds = BenchOptions.quickDurationSeconds
      options.latencyCalls = BenchOptions.quickLatencyCalls
      options.streamMessages = BenchOptions.quickStreamMessages
      options.rounds = BenchOptions.quickRounds
    }
    if let rounds { options.rounds = rounds }
    if let duration { options.durationSeconds = duration }
    if let latencyCalls { options.latencyCalls = latencyCalls }
    if let streamMessages { options.streamMessages = streamMessages }
    if options.only == .raw && options.pingPongOnly {
      throw BenchError.usage("--ping-pong-only chooses rows of the profiled side; it makes no sense with --only raw")
    }
    if options.only == .raw && options.clientBusyPollMicroseconds > 0 {
      throw BenchError.usage("--client-busy-poll sets the profiled side's client; it makes no sense with --only raw")
    }
    if options.only == .raw && options.socketPath != nil {
      throw BenchError.usage("--socket names a profiled server; it makes no sense with --only raw")
    }
    self = .run(options)
  }

  private static func integer(_ text: String, for name: String, in range: ClosedRange<Int>)
    throws -> Int
  {
    guard let value = Int(text), range.contains(value) else {
      throw BenchError.usage(
        "\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound), "
          + "not '\(text)'")
    }
    return value
  }

  private static func number(_ text: String, for name: String, in range: ClosedRange<Double>)
    throws -> Double
  {
    guard let value = Double(text), value.isFinite, range.contains(value) else {
      throw BenchError.usage(
        "\(name) takes a number of seconds from \(range.lowerBound) to \(range.upperBound), "
          + "not '\(text)'")
    }
    return value
  }
}
