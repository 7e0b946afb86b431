import CryptoPrimitives
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Archival`: where (off, Amazon S3 or MySQL) and how often workflow event data is
/// archived.
///
/// The S3 secret access key and the MySQL password are write-only: sealed with AES-256-GCM under
/// the secrets key before they reach the database, never returned (only whether one is set) and
/// never logged.
public struct ArchivalService: RPCService {
  let environment: ServiceEnvironment

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Archival.getArchivalSettings) { _, context in try await getArchivalSettings(context) }
    router.unary(Archival.updateArchivalSettings) { request, context in
      try await updateArchivalSettings(request, context)
    }
  }

  /// The caller's archival settings, without secrets.
  func getArchivalSettings(_ context: ServerContext) async throws -> Archival.ArchivalSettings {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    guard let stored = try await environment.database.read({ db in try db.archivalSettings(userID: userID) }) else {
      throw Authenticator.unknownToken
    }
    return Self.message(stored)
  }

  /// Seals `secret` for `column` of `archival_settings`, bound to the column and the user.
  func seal(_ secret: String, column: String, userID: String) throws -> [UInt8] {
    try AESGCM.seal(
      Array(secret.utf8), key: environment.secretsKey,
      associatedData: Array("archival_settings.\(column)|\(userID)".utf8))
  }

  static func message(_ record: ArchivalSettingsRecord) -> Archival.ArchivalSettings {
    let destination = Archival.Destination(rawValue: record.destination) ?? .off
    return Archival.ArchivalSettings(
      destination: destination,
      s3: destination != .s3
        ? nil
        : Archival.S3Settings(
          bucket: record.s3Bucket ?? "", region: record.s3Region ?? "", prefix: record.s3Prefix ?? "",
          accessKeyId: record.s3AccessKeyID ?? "", secretSet: record.s3Secret != nil),
      mysql: destination != .mysql
        ? nil
        : Archival.MySQLSettings(
          host: record.mysqlHost ?? "", port: record.mysqlPort ?? ArchivalRules.defaultMySQLPort,
          database: record.mysqlDatabase ?? "", table: record.mysqlTable ?? "", user: record.mysqlUser ?? "",
          passwordSet: record.mysqlPassword != nil),
      intervalMinutes: record.intervalMinutes)
  }
}
