import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Everything profiled serves, wired over one data directory: the ``ServiceEnvironment`` and
/// the RPC services, including Health and Reflection. Used by `profiled`, the tests and the
/// benchmark alike.
public final class ProfileServices: Sendable {
  public let environment: ServiceEnvironment
  public let health: HealthService
  public let services: [any RPCService]
  /// Builds chart-data exports in the background; stopped by ``close()``.
  let exportRunner: ExportRunner

  /// Opens the database in `configuration.dataDirectory` (creating and migrating it) and the
  /// secrets key.
  public init(configuration: ServiceConfiguration) throws {
    try FileManager.default.createDirectory(
      atPath: configuration.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    var storeConfiguration = DatabasePool.Configuration()
    storeConfiguration.maxBatchSize = max(1, configuration.maxWritesPerCommit)
    storeConfiguration.syncMode = configuration.pipelinesSyncs ? .pipelined : .inCommit
    storeConfiguration.beforeSync = configuration.beforeStoreSync
    let health = HealthService(services: ProfileAPI.services.map(\.name))
    let onStoreFailure = configuration.onStoreFailure
    storeConfiguration.onSyncFailure = { error in
      health.setStatus(.notServing)
      onStoreFailure?("\(error)")
    }
    let database = try ProfileDatabase(directory: configuration.dataDirectory, configuration: storeConfiguration)
    let environment = try ServiceEnvironment(configuration: configuration, database: database)
    self.environment = environment
    exportRunner = try ExportRunner(environment: environment)
    self.health = health
    services = [
      health,
      ReflectionService(catalog: try SchemaCatalog(services: ProfileAPI.services)),
      AccountsService(environment: environment),
      PreferencesService(environment: environment),
      NotificationsService(environment: environment),
      ArchivalService(environment: environment),
      ConnectionsService(environment: environment),
      AuditService(environment: environment),
      OutboxService(environment: environment),
      DiagnosticsService(),
      ProfileService(environment: environment),
      OrganizationsService(environment: environment),
      TokensService(environment: environment),
      MFAService(environment: environment),
      CreditsService(environment: environment),
      ExportsService(environment: environment, runner: exportRunner),
    ]
    exportRunner.start()
  }

  /// Records the sessions' last use and closes the database, after the server has drained.
  public func close() async {
    await exportRunner.stop()
    do {
      try await environment.flushSessionUse()
    } catch {
      environment.configuration.onBackgroundFailure?("session and token last-use flush", String(describing: error))
    }
    await environment.database.close()
  }
}
