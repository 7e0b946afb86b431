/// Drives an RPC client that the benchmark knows only as closures: sequential latency,
/// concurrent throughput, and a server stream.
///
/// Nothing here knows the RPC API; `RPCScenarios` hands in the closures. Every error a call
/// throws is counted in the result's `ErrorTally`, never dropped. A loop that fails
/// `maximumConsecutiveErrors` times in a row stops early rather than spin through its run, and
/// every run has a time limit after which it is cancelled (calls that ignore cancellation are
/// left to the `Watchdog`).
enum LoadDriver {
  /// One unary call: builds its request, sends it, awaits and checks the response.
  typealias Call = @Sendable () async throws -> Void
  /// One server-streaming call asking for the given number of messages; returns how many arrived.
  typealias Stream = @Sendable (_ messages: Int) async throws -> Int

  /// Consecutive failures after which a loop gives up.
  static let maximumConsecutiveErrors = 100
  /// How long throughput workers may overrun their window before they are cancelled.
  static let overrunGrace: Duration = .seconds(10)
  /// A latency run is cancelled after this long per call (real calls take microseconds)...
  static let latencyLimitPerCall: Duration = .milliseconds(5)
  /// ...plus this.
  static let latencyLimitBase: Duration = .seconds(30)
  /// A stream run is cancelled after this long per message, plus `latencyLimitBase`.
  static let streamLimitPerMessage: Duration = .microseconds(100)

  /// How long a latency run of `calls` calls (warm-up included) may take.
  static func latencyLimit(calls: Int) -> Duration {
    latencyLimitBase + latencyLimitPerCall * calls
  }

  /// How long a stream run of `messages` messages (warm-up included) may take.
  static func streamLimit(messages: Int) -> Duration {
    latencyLimitBase + streamLimitPerMessage * messages
  }

  /// `warmupCalls` untimed calls, then `calls` sequential calls timed one by one, on
  /// `executor` when one is given (the client's event loop, so no thread hop per call).
  static func latency(
    warmupCalls: Int, calls: Int, call: @escaping Call, executor: (any TaskExecutor)? = nil
  ) async -> LatencyResult {
    let limit = latencyLimit(calls: warmupCalls + calls)
    return await withTimeLimit(limit, executor: executor) {
      let clock = ContinuousClock()
      var errors = ErrorTally()
      var consecutiveErrors = 0
      var samples: [UInt64] = []
      samples.reserveCapacity(calls)
      for index in 0..<(warmupCalls + calls) {
        if Task.isCancelled {
          errors.recordIncident("cut off after \(limit), \(index) of \(warmupCalls + calls) calls made")
          break
        }
        let start = clock.now
        do {
          try await call()
          let elapsed = start.duration(to: clock.now)
          consecutiveErrors = 0
          if index >= warmupCalls { samples.append(nanoseconds(elapsed)) }
        } catch {
          errors.record(error)
          consecutiveErrors += 1
          if consecutiveErrors >= maximumConsecutiveErrors {
            errors.recordIncident("gave up after \(consecutiveErrors) consecutive errors")
            break
          }
        }
      }
      return LatencyResult(samples: samples, errors: errors)
    }
  }

  /// `workers` concurrent loops of calls for `warmup + duration`; counts the calls that complete
  /// within the last `duration`.
  ///
  /// Worker `i` uses `calls[i % calls.count]`: one closure shares one connection among all
  /// workers, one closure per worker gives each its own. Workers start no call after the window;
  /// those still busy `overrunGrace` later are cancelled, which is recorded. With a `meter`, a
  /// task off the workers' executor reads it at the window's start and end, and the result
  /// carries the CPU time used in between.
  static func throughput(
    workers: Int, calls: [Call], warmup: Duration, duration: Duration,
    executor: (any TaskExecutor)? = nil, meter: CPUMeter? = nil
  ) async -> RateResult {
    precondition(workers > 0 && !calls.isEmpty)
    return await withTimeLimit(warmup + duration + overrunGrace) {
      let clock = ContinuousClock()
      let windowStart = clock.now.advanced(by: warmup)
      let windowEnd = windowStart.advanced(by: duration)
      let tally = await withTaskGroup(of: WorkerOutcome.self) { group in
        for index in 0..<workers {
          let call = calls[index % calls.count]
          group.addTask(executorPreference: executor) {
            await runWorker(call: call, clock: clock, windowStart: windowStart, windowEnd: windowEnd)
          }
        }
        if let meter {
          group.addTask {
            // A cancelled sleep (the time limit) leaves the window unmetered.
            guard (try? await clock.sleep(until: windowStart)) != nil else { return WorkerOutcome() }
            let start = meter.read()
            guard (try? await clock.sleep(until: windowEnd)) != nil else { return WorkerOutcome() }
            return WorkerOutcome(cpu: CPUUsage(from: start, to: meter.read()))
          }
        }
        return await group.reduce(into: WorkerOutcome()) { total, outcome in
          total.completed += outcome.completed
          total.errors.merge(outcome.errors)
          if let cpu = outcome.cpu { total.cpu = cpu }
        }
      }
      var errors = tally.errors
      if Task.isCancelled {
        errors.recordIncident("workers still busy \(overrunGrace) after the window were cancelled")
      }
      return RateResult(count: tally.completed, seconds: seconds(duration), errors: errors, cpu: tally.cpu)
    }
  }

  /// An untimed stream of `warmupMessages`, then one of `messages`, timed from the call to its
  /// return. A stream that delivers fewer messages than asked is recorded as an error.
  static func stream(
    messages: Int, warmupMessages: Int, stream: @escaping Stream, executor: (any TaskExecutor)? = nil
  ) async -> RateResult {
    let limit = streamLimit(messages: warmupMessages + messages)
    return await withTimeLimit(limit, executor: executor) {
      var errors = ErrorTally()
      if warmupMessages > 0 {
        do {
          let received = try await stream(warmupMessages)
          if received != warmupMessages {
            errors.recordIncident("warm-up stream: \(received) of \(warmupMessages) messages")
          }
        } catch {
          errors.record(error)
        }
      }
      let clock = ContinuousClock()
      let start = clock.now
      var received = 0
      do {
        received = try await stream(messages)
        if received != messages {
          errors.recordIncident("stream: \(received) of \(messages) messages")
        }
      } catch {
        errors.record(error)
      }
      if Task.isCancelled { errors.recordIncident("cut off after \(limit)") }
      return RateResult(
        count: received, seconds: seconds(start.duration(to: clock.now)), errors: errors)
    }
  }

  /// What one throughput worker did.
  private struct WorkerOutcome: Sendable {
    var completed = 0
    var errors = ErrorTally()
    /// Set by the meter's task only.
    var cpu: CPUUsage?
  }

  private static func runWorker(
    call: Call, clock: ContinuousClock, windowStart: ContinuousClock.Instant,
    windowEnd: ContinuousClock.Instant
  ) async -> WorkerOutcome {
    var outcome = WorkerOutcome()
    var consecutiveErrors = 0
    while !Task.isCancelled && clock.now < windowEnd {
      do {
        try await call()
        consecutiveErrors = 0
        let end = clock.now
        if end >= windowStart && end < windowEnd { outcome.completed += 1 }
      } catch {
        outcome.errors.record(error)
        consecutiveErrors += 1
        if consecutiveErrors >= maximumConsecutiveErrors {
          outcome.errors.recordIncident(
            "a worker gave up after \(consecutiveErrors) consecutive errors")
          break
        }
      }
    }
    return outcome
  }

  /// Runs `body` in a child task and cancels it once `limit` has passed; `body` is expected to
  /// notice (`Task.isCancelled`, or calls throwing `CancellationError`), record it, and return.
  private static func withTimeLimit<Value: Sendable>(
    _ limit: Duration, executor: (any TaskExecutor)? = nil,
    _ body: @escaping @Sendable () async -> Value
  ) async -> Value {
    await withTaskGroup(of: Value?.self) { group in
      group.addTask(executorPreference: executor) { await body() }
      group.addTask {
        try? await Task.sleep(for: limit)
        return nil  // on expiry, and when cancelled because the body finished
      }
      var result: Value?
      while let next = await group.next() {
        if let value = next {
          result = value
          group.cancelAll()  // stops the timer
        } else if result == nil {
          group.cancelAll()  // the limit passed: stop the body, then collect what it returns
        }
      }
      guard let result else { preconditionFailure("the body task always returns a value") }
      return result
    }
  }

  private static func nanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
  }

  /// `duration` in seconds.
  static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }
}
