import Synchronization

/// What every connection of a server shares: configuration, routes, interceptors, and the
/// registry of open connections.
package final class ServerShared: Sendable {
  package let configuration: ServerConfiguration
  /// The routes, found by a method name's bytes.
  package let routeTable: RouteTable
  package let trustedCallers: TrustedCallersInterceptor
  package let interceptors: [any ServerInterceptor]
  private let connections = Mutex<[ObjectIdentifier: ServerConnection]>([:])
  private let openCount = Atomic<Int>(0)
  private let requestCounter = Atomic<UInt64>(0)
  private let requestIDPrefix: String

  init(
    configuration: ServerConfiguration, routes: [String: RPCRouter.Route],
    trustedCallers: TrustedCallersInterceptor, interceptors: [any ServerInterceptor]
  ) {
    self.configuration = configuration
    self.routeTable = RouteTable(routes)
    self.trustedCallers = trustedCallers
    self.interceptors = interceptors
    let startup = UInt64(ContinuousClock.now.duration(to: .now).components.attoseconds & 0xffff)
    self.requestIDPrefix = String(UInt64.random(in: 0...UInt64(UInt32.max)) ^ startup, radix: 36)
  }

  /// Counts an accepted socket; false when the connection limit is reached.
  func reserveConnection() -> Bool {
    let (_, newValue) = openCount.wrappingAdd(1, ordering: .relaxed)
    if newValue > configuration.maxConnections {
      openCount.wrappingSubtract(1, ordering: .relaxed)
      return false
    }
    return true
  }

  func releaseReservation() {
    openCount.wrappingSubtract(1, ordering: .relaxed)
  }

  func connectionOpened(_ connection: ServerConnection) {
    connections.withLock { $0[ObjectIdentifier(connection)] = connection }
  }

  func connectionClosed(_ connection: ServerConnection) {
    let removed = connections.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    if removed != nil { releaseReservation() }
  }

  var openConnections: [ServerConnection] {
    connections.withLock { Array($0.values) }
  }

  /// A request id for a call whose client sent none: unique within this server's run.
  func makeRequestID() -> ServerContext.RequestIDSource {
    let (_, number) = requestCounter.wrappingAdd(1, ordering: .relaxed)
    return .generated(prefix: requestIDPrefix, number: number)
  }

  /// Whether anyone is told about calls; when not, no ``CallRecord`` is built (formatting a
  /// generated request id and reading the clock per call).
  var observesCalls: Bool { configuration.callObserver != nil }

  func observe(_ record: CallRecord) {
    configuration.callObserver?(record)
  }
}
