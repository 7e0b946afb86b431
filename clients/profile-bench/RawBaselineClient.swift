/// The raw baseline client: all its connections driven from the calling thread through one
/// epoll instance, with one request in flight per connection.
///
/// Each measurement opens its own connections and closes them when it returns or throws. The
/// calls block in `epoll_wait`, so run them on a dedicated thread (`DedicatedThread.run`), not
/// on the cooperative pool. Any error ends the measurement: the baseline has no reason to fail.
struct RawBaselineClient: Sendable {
  /// A measurement fails when no message arrives for this long.
  static let stallLimitSeconds = 5.0
  /// How long one `epoll_wait` lasts before the stall check.
  static let waitTimeoutMilliseconds: Int32 = 100

  let socketPath: String

  /// Sequential ping-pong on one connection: `warmupCalls` untimed, then `calls` timed one by
  /// one from queuing the request to decoding the response.
  func measureLatency(warmupCalls: Int, calls: Int) throws -> LatencyResult {
    precondition(warmupCalls >= 0 && calls > 0)
    var samples: [UInt64] = []
    samples.reserveCapacity(calls)
    var warmedUp = 0
    try pingPong(connectionCount: 1, begin: { _ in }) { latency, _ in
      if warmedUp < warmupCalls {
        warmedUp += 1
      } else {
        samples.append(latency)
      }
      return warmedUp + samples.count < warmupCalls + calls
    }
    return LatencyResult(samples: samples, errors: ErrorTally())
  }

  /// Ping-pong on `connections` connections at once for `warmupSeconds + durationSeconds`;
  /// counts the responses that arrive within the last `durationSeconds`.
  ///
  /// Connections stop sending at the end of the window and wait for their last response, so
  /// the server never sees a connection vanish with a request in flight.
  ///
  /// With a `meter`, it is read at the first response inside the window and at the first one
  /// after it, and the result carries the CPU time used in between.
  func measureThroughput(
    connections: Int, warmupSeconds: Double, durationSeconds: Double, meter: CPUMeter? = nil
  ) throws -> RateResult {
    precondition(connections > 0 && durationSeconds > 0)
    var windowStart: UInt64 = 0
    var windowEnd: UInt64 = 0
    var completed = 0
    var startReading: CPUMeter.Reading?
    var usage: CPUUsage?
    try pingPong(
      connectionCount: connections,
      begin: { now in
        windowStart = now + MonotonicClock.nanoseconds(seconds: warmupSeconds)
        windowEnd = windowStart + MonotonicClock.nanoseconds(seconds: durationSeconds)
      },
      onResponse: { _, receivedAt in
        if receivedAt >= windowStart && receivedAt < windowEnd {
          completed += 1
          if startReading == nil, let meter { startReading = meter.read() }
        } else if receivedAt >= windowEnd, usage == nil, let meter, let startReading {
          usage = CPUUsage(from: startReading, to: meter.read())
        }
        return receivedAt < windowEnd
      })
    return RateResult(count: completed, seconds: durationSeconds, errors: ErrorTally(), cpu: usage)
  }

  /// One server stream of `messages` small messages on one connection, after an untimed one of
  /// `warmupMessages`; timed from sending the request to decoding the last message.
  func measureStream(messages: Int, warmupMessages: Int) throws -> RateResult {
    precondition(messages > 0 && warmupMessages >= 0)
    let epoll = try Epoll(capacity: 4)
    let connection = try RawClientConnection(socketPath: socketPath)
    try epoll.add(connection.descriptor, interest: EpollABI.readable, token: 0)
    if warmupMessages > 0 {
      try receiveStream(of: warmupMessages, on: connection, epoll: epoll)
    }
    let start = MonotonicClock.nanoseconds()
    try receiveStream(of: messages, on: connection, epoll: epoll)
    let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
    return RateResult(count: messages, seconds: seconds, errors: ErrorTally())
  }

  /// Runs the ping-pong loop on `connectionCount` fresh connections.
  ///
  /// `begin` gets the start time once every connection is open, just before the first requests
  /// go out. `onResponse` gets each round trip's latency and arrival time (nanoseconds) and
  /// returns whether that connection sends another request; the loop ends when none is in flight.
  private func pingPong(
    connectionCount: Int,
    begin: (_ now: UInt64) -> Void,
    onResponse: (_ latency: UInt64, _ receivedAt: UInt64) -> Bool
  ) throws {
    let epoll = try Epoll(capacity: min(connectionCount, 256))
    var connections: [RawClientConnection] = []
    connections.reserveCapacity(connectionCount)
    for index in 0..<connectionCount {
      let connection = try RawClientConnection(socketPath: socketPath)
      try epoll.add(connection.descriptor, interest: EpollABI.readable, token: UInt64(index))
      connections.append(connection)
    }

    let start = MonotonicClock.nanoseconds()
    begin(start)
    for (index, connection) in connections.enumerated() {
      try sendPing(on: connection, token: index, epoll: epoll, now: MonotonicClock.nanoseconds())
    }
    var inFlight = connectionCount
    var lastProgress = start
    let stallLimit = MonotonicClock.nanoseconds(seconds: Self.stallLimitSeconds)

    while inFlight > 0 {
      let ready = try epoll.wait(timeoutMilliseconds: Self.waitTimeoutMilliseconds)
      if ready == 0 {
        if MonotonicClock.nanoseconds() - lastProgress > stallLimit {
          throw BenchError.timeout(
            "raw baseline: no response for \(Self.stallLimitSeconds) s with \(inFlight) "
              + "request(s) in flight")
        }
        continue
      }
      for eventIndex in 0..<ready {
        let (token, events) = epoll.event(at: eventIndex)
        let index = Int(token)
        let connection = connections[index]
        if events & EpollABI.writable != 0, connection.isWaitingToWrite {
          if try !connection.flush() {
            try setWaitingToWrite(false, connection, token: index, epoll: epoll)
          }
        }
        guard events & (EpollABI.readable | EpollABI.error | EpollABI.hangUp) != 0 else {
          continue
        }
        let state = try connection.inbound.receive(from: connection.descriptor)
        while try connection.inbound.nextFrame(
          maximumPayload: RawProtocol.maximumPayloadBytes, connection.acceptPingResponse) != nil
        {
          let now = MonotonicClock.nanoseconds()
          lastProgress = now
          inFlight -= 1
          if onResponse(now - connection.sentAt, now) {
            try sendPing(on: connection, token: index, epoll: epoll, now: now)
            inFlight += 1
          }
        }
        if state == .closed {
          throw BenchError.protocolViolation("the raw server closed a connection during the run")
        }
      }
    }
  }

  private func sendPing(
    on connection: RawClientConnection, token: Int, epoll: Epoll, now: UInt64
  ) throws {
    if try connection.sendPing(at: now), !connection.isWaitingToWrite {
      try setWaitingToWrite(true, connection, token: token, epoll: epoll)
    }
  }

  private func setWaitingToWrite(
    _ waiting: Bool, _ connection: RawClientConnection, token: Int, epoll: Epoll
  ) throws {
    try epoll.modify(
      connection.descriptor,
      interest: EpollABI.readable | (waiting ? EpollABI.writable : 0), token: UInt64(token))
    connection.isWaitingToWrite = waiting
  }

  /// Requests a stream of `count` messages and reads it to the end, checking every message.
  private func receiveStream(of count: Int, on connection: RawClientConnection, epoll: Epoll)
    throws
  {
    if try connection.sendStreamRequest(messages: UInt64(count)) {
      try setWaitingToWrite(true, connection, token: 0, epoll: epoll)
    }
    var received = 0
    var lastProgress = MonotonicClock.nanoseconds()
    let stallLimit = MonotonicClock.nanoseconds(seconds: Self.stallLimitSeconds)
    while received < count {
      let ready = try epoll.wait(timeoutMilliseconds: Self.waitTimeoutMilliseconds)
      if ready == 0 {
        if MonotonicClock.nanoseconds() - lastProgress > stallLimit {
          throw BenchError.timeout(
            "raw baseline: stream stalled after \(received) of \(count) messages")
        }
        continue
      }
      let (_, events) = epoll.event(at: 0)
      if events & EpollABI.writable != 0, connection.isWaitingToWrite {
        if try !connection.flush() {
          try setWaitingToWrite(false, connection, token: 0, epoll: epoll)
        }
      }
      guard events & (EpollABI.readable | EpollABI.error | EpollABI.hangUp) != 0 else {
        continue
      }
      let state = try connection.inbound.receive(from: connection.descriptor)
      while let (operation, index, size) = try connection.inbound.nextFrame(
        maximumPayload: RawProtocol.maximumPayloadBytes,
        { payload in
          let (operation, index) = try RawProtocol.readHeader(payload)
          return (operation, index, payload.count)
        })
      {
        guard operation == RawProtocol.streamOperation, index == UInt64(received),
          size == RawProtocol.streamMessagePayloadBytes
        else {
          throw BenchError.protocolViolation(
            "unexpected raw stream message: operation \(operation), index \(index), \(size) "
              + "bytes (expected \(RawProtocol.streamOperation), \(received), "
              + "\(RawProtocol.streamMessagePayloadBytes))")
        }
        received += 1
      }
      lastProgress = MonotonicClock.nanoseconds()
      if state == .closed && received < count {
        throw BenchError.protocolViolation(
          "the raw server closed the stream after \(received) of \(count) messages")
      }
    }
  }
}
