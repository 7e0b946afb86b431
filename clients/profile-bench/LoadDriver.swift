/// Drives an RPC client that the benchmark knows only as closures: sequential latency,
/// concurrent throughput, and a server stream.
///
/// Nothing here knows the RPC API; `RPCScenarios` hands in the closures. Every error a call
/// throws is counted in the result's `ErrorTally`, never dropped. A caller that fails
/// `maximumConsecutiveErrors` times in a row stops early rather than spin through its run.
enum LoadDriver {
  /// One unary call: builds its request, sends it, awaits and checks the response.
  typealias Call = @Sendable () async throws -> Void
  /// One server-streaming call asking for the given number of messages; returns how many arrived.
  typealias Stream = @Sendable (_ messages: Int) async throws -> Int

  /// Consecutive failures after which a loop gives up.
  static let maximumConsecutiveErrors = 100
  /// How long throughput workers may overrun their window before they are cancelled.
  static let overrunGrace: Duration = .seconds(10)

  /// `warmupCalls` untimed calls, then `calls` sequential calls timed one by one.
  static func latency(warmupCalls: Int, calls: Int, call: Call) async -> LatencyResult {
    let clock = ContinuousClock()
    var errors = ErrorTally()
    var consecutiveErrors = 0
    var samples: [UInt64] = []
    samples.reserveCapacity(calls)
    for index in 0..<(warmupCalls + calls) {
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
          errors.record(description: "gave up after \(consecutiveErrors) consecutive errors")
          break
        }
      }
    }
    return LatencyResult(samples: samples, errors: errors)
  }

  /// `workers` concurrent loops of calls for `warmup + duration`; counts the calls that complete
  /// within the last `duration`.
  ///
  /// Worker `i` uses `calls[i % calls.count]`: one closure shares one connection among all
  /// workers, one closure per worker gives each its own. Workers start no call after the window;
  /// those still busy `overrunGrace` later are cancelled, which is recorded as an error.
  static func throughput(workers: Int, calls: [Call], warmup: Duration, duration: Duration) async
    -> RateResult
  {
    precondition(workers > 0 && !calls.isEmpty)
    let clock = ContinuousClock()
    let windowStart = clock.now.advanced(by: warmup)
    let windowEnd = windowStart.advanced(by: duration)
    var completed = 0
    var errors = ErrorTally()
    await withTaskGroup(of: WorkerOutcome?.self) { group in
      for index in 0..<workers {
        let call = calls[index % calls.count]
        group.addTask {
          await runWorker(call: call, clock: clock, windowStart: windowStart, windowEnd: windowEnd)
        }
      }
      group.addTask {
        // The overrun timer: yields nil, when it fires and when it is cancelled.
        try? await Task.sleep(until: windowEnd.advanced(by: overrunGrace), clock: clock)
        return nil
      }
      var finished = 0
      for await outcome in group {
        if let outcome {
          finished += 1
          completed += outcome.completed
          errors.merge(outcome.errors)
          if finished == workers { group.cancelAll() }
        } else if finished < workers {
          errors.record(
            description: "\(workers - finished) worker(s) still busy \(overrunGrace) after the "
              + "window; cancelled")
          group.cancelAll()
        }
      }
    }
    return RateResult(count: completed, seconds: seconds(duration), errors: errors)
  }

  /// An untimed stream of `warmupMessages`, then one of `messages`, timed from the call to its
  /// return. A stream that delivers fewer messages than asked is recorded as an error.
  static func stream(messages: Int, warmupMessages: Int, stream: Stream) async -> RateResult {
    var errors = ErrorTally()
    if warmupMessages > 0 {
      do {
        let received = try await stream(warmupMessages)
        if received != warmupMessages {
          errors.record(description: "warm-up stream: \(received) of \(warmupMessages) messages")
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
        errors.record(description: "stream: \(received) of \(messages) messages")
      }
    } catch {
      errors.record(error)
    }
    return RateResult(
      count: received, seconds: seconds(start.duration(to: clock.now)), errors: errors)
  }

  /// What one throughput worker did.
  private struct WorkerOutcome: Sendable {
    var completed = 0
    var errors = ErrorTally()
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
          outcome.errors.record(
            description: "a worker gave up after \(consecutiveErrors) consecutive errors")
          break
        }
      }
    }
    return outcome
  }

  private static func nanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
  }

  private static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }
}
