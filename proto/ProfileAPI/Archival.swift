public import RPC
public import WireFormat

/// Where and how often workflow event data is archived. Secrets are write-only.
public enum Archival {
  public static let getArchivalSettings = MethodDescriptor<Empty, ArchivalSettings>(
    service: "Archival", method: "GetArchivalSettings", kind: .unary)
  public static let updateArchivalSettings = MethodDescriptor<UpdateArchivalSettingsRequest, ArchivalSettings>(
    service: "Archival", method: "UpdateArchivalSettings", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Archival", methods: [getArchivalSettings.info, updateArchivalSettings.info])

  public enum Destination: Int, WireEnum {
    case off = 0
    case s3 = 1
    case mysql = 2
  }

  public struct S3Settings: Codable, Sendable, Equatable {
    public var bucket: String
    public var region: String
    public var prefix: String
    public var accessKeyId: String
    /// Whether a secret access key is stored; the key itself is never returned.
    public var secretSet: Bool
    public init(bucket: String, region: String, prefix: String, accessKeyId: String, secretSet: Bool) {
      self.bucket = bucket
      self.region = region
      self.prefix = prefix
      self.accessKeyId = accessKeyId
      self.secretSet = secretSet
    }
    enum CodingKeys: Int, CodingKey { case bucket = 1, region = 2, prefix = 3, accessKeyId = 4, secretSet = 5 }
  }

  public struct MySQLSettings: Codable, Sendable, Equatable {
    public var host: String
    public var port: Int
    public var database: String
    public var table: String
    public var user: String
    /// Whether a password is stored; the password itself is never returned.
    public var passwordSet: Bool
    public init(host: String, port: Int, database: String, table: String, user: String, passwordSet: Bool) {
      self.host = host
      self.port = port
      self.database = database
      self.table = table
      self.user = user
      self.passwordSet = passwordSet
    }
    enum CodingKeys: Int, CodingKey { case host = 1, port = 2, database = 3, table = 4, user = 5, passwordSet = 6 }
  }

  public struct ArchivalSettings: Codable, Sendable, Equatable {
    public var destination: Destination
    public var s3: S3Settings?
    public var mysql: MySQLSettings?
    /// 5 to 10,080 (one week).
    public var intervalMinutes: Int
    public init(destination: Destination, s3: S3Settings?, mysql: MySQLSettings?, intervalMinutes: Int) {
      self.destination = destination
      self.s3 = s3
      self.mysql = mysql
      self.intervalMinutes = intervalMinutes
    }
    enum CodingKeys: Int, CodingKey { case destination = 1, s3 = 2, mysql = 3, intervalMinutes = 4 }
  }

  public struct S3Input: Codable, Sendable, Equatable {
    public var bucket: String
    public var region: String
    public var prefix: String?
    public var accessKeyId: String
    /// Absent keeps the stored secret (if the destination stays S3).
    public var secretAccessKey: String?
    public init(bucket: String, region: String, prefix: String? = nil, accessKeyId: String, secretAccessKey: String? = nil) {
      self.bucket = bucket
      self.region = region
      self.prefix = prefix
      self.accessKeyId = accessKeyId
      self.secretAccessKey = secretAccessKey
    }
    enum CodingKeys: Int, CodingKey { case bucket = 1, region = 2, prefix = 3, accessKeyId = 4, secretAccessKey = 5 }
  }

  public struct MySQLInput: Codable, Sendable, Equatable {
    public var host: String
    public var port: Int?
    public var database: String
    public var table: String
    public var user: String
    /// Absent keeps the stored password (if the destination stays MySQL).
    public var password: String?
    public init(host: String, port: Int? = nil, database: String, table: String, user: String, password: String? = nil) {
      self.host = host
      self.port = port
      self.database = database
      self.table = table
      self.user = user
      self.password = password
    }
    enum CodingKeys: Int, CodingKey { case host = 1, port = 2, database = 3, table = 4, user = 5, password = 6 }
  }

  /// The whole configuration: `s3` with destination s3, `mysql` with destination mysql.
  public struct UpdateArchivalSettingsRequest: Codable, Sendable, Equatable {
    public var destination: Destination
    public var s3: S3Input?
    public var mysql: MySQLInput?
    /// Absent keeps the current interval.
    public var intervalMinutes: Int?
    public init(destination: Destination, s3: S3Input? = nil, mysql: MySQLInput? = nil, intervalMinutes: Int? = nil) {
      self.destination = destination
      self.s3 = s3
      self.mysql = mysql
      self.intervalMinutes = intervalMinutes
    }
    enum CodingKeys: Int, CodingKey { case destination = 1, s3 = 2, mysql = 3, intervalMinutes = 4 }
  }
}
