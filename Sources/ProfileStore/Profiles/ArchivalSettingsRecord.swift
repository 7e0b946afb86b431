/// One row of `archival_settings`: where and how often a user's workflow data is archived.
///
/// Only the columns of the chosen destination are set; the secrets are AES-256-GCM boxes,
/// never plaintext.
public struct ArchivalSettingsRecord: Sendable, Equatable {
  public var userID: String
  /// `Archival.Destination` raw value: 0 off, 1 Amazon S3, 2 MySQL.
  public var destination: Int
  public var s3Bucket: String?
  public var s3Region: String?
  public var s3Prefix: String?
  public var s3AccessKeyID: String?
  /// The sealed secret access key.
  public var s3Secret: [UInt8]?
  public var mysqlHost: String?
  public var mysqlPort: Int?
  public var mysqlDatabase: String?
  public var mysqlTable: String?
  public var mysqlUser: String?
  /// The sealed password.
  public var mysqlPassword: [UInt8]?
  public var intervalMinutes: Int

  public init(
    userID: String, destination: Int, s3Bucket: String? = nil, s3Region: String? = nil, s3Prefix: String? = nil,
    s3AccessKeyID: String? = nil, s3Secret: [UInt8]? = nil, mysqlHost: String? = nil, mysqlPort: Int? = nil,
    mysqlDatabase: String? = nil, mysqlTable: String? = nil, mysqlUser: String? = nil,
    mysqlPassword: [UInt8]? = nil, intervalMinutes: Int
  ) {
    self.userID = userID
    self.destination = destination
    self.s3Bucket = s3Bucket
    self.s3Region = s3Region
    self.s3Prefix = s3Prefix
    self.s3AccessKeyID = s3AccessKeyID
    self.s3Secret = s3Secret
    self.mysqlHost = mysqlHost
    self.mysqlPort = mysqlPort
    self.mysqlDatabase = mysqlDatabase
    self.mysqlTable = mysqlTable
    self.mysqlUser = mysqlUser
    self.mysqlPassword = mysqlPassword
    self.intervalMinutes = intervalMinutes
  }
}
