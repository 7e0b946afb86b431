import ProfileAPI
import ProfileStore
import RPC

extension ArchivalService {
  /// Replaces the archival configuration.
  ///
  /// Only the chosen destination's settings are kept: switching destination (or to off) drops
  /// the other's, secrets included. An absent secret keeps the stored one only while it belongs
  /// to the same credential: the same S3 access key id (the secret signs requests to AWS and is
  /// never sent), or the same MySQL host, port and user (the password goes to that server, so a
  /// new one must not receive the stored password). Otherwise an S3 change needs the secret
  /// again, and a MySQL change without a password drops it.
  ///
  /// - Throws: `INVALID_ARGUMENT` for bad fields, settings of the other destination, or S3
  ///   without a secret access key when none is stored.
  func updateArchivalSettings(
    _ request: Archival.UpdateArchivalSettingsRequest, _ context: ServerContext
  ) async throws -> Archival.ArchivalSettings {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if request.destination != .s3 && request.s3 != nil {
      validator.fail("s3", "must be absent unless the destination is s3")
    }
    if request.destination != .mysql && request.mysql != nil {
      validator.fail("mysql", "must be absent unless the destination is mysql")
    }
    switch (request.destination, request.s3, request.mysql) {
    case (.s3, let s3?, _): ArchivalRules.validate(s3, into: &validator)
    case (.s3, nil, _): validator.fail("s3", "is required when the destination is s3")
    case (.mysql, _, let mysql?): ArchivalRules.validate(mysql, into: &validator)
    case (.mysql, _, nil): validator.fail("mysql", "is required when the destination is mysql")
    case (.off, _, _): break
    }
    if let interval = request.intervalMinutes {
      validator.integer("intervalMinutes", interval, in: ArchivalRules.intervalMinutes)
    }
    try validator.check()

    let userID = caller.userID
    let sealedSecret = try request.s3?.secretAccessKey.map { try seal($0, column: "s3_secret", userID: userID) }
    let sealedPassword = try request.mysql?.password.map { try seal($0, column: "mysql_password", userID: userID) }
    let mutation = caller.mutation()
    let stored = try await environment.database.write { db -> ArchivalSettingsRecord? in
      guard let current = try db.archivalSettings(userID: userID) else { return nil }
      var next = ArchivalSettingsRecord(
        userID: userID, destination: request.destination.rawValue,
        intervalMinutes: request.intervalMinutes ?? current.intervalMinutes)
      if request.destination == .s3, let s3 = request.s3 {
        next.s3Bucket = s3.bucket
        next.s3Region = s3.region
        next.s3Prefix = s3.prefix ?? ""
        next.s3AccessKeyID = s3.accessKeyId
        let sameKey = current.destination == request.destination.rawValue && current.s3AccessKeyID == s3.accessKeyId
        next.s3Secret = sealedSecret ?? (sameKey ? current.s3Secret : nil)
        guard next.s3Secret != nil else {
          let reason = current.s3Secret == nil ? "no secret access key is stored" : "the access key id changed"
          throw RPCError.invalidArgument([.init(field: "s3.secretAccessKey", description: "is required: \(reason)")])
        }
      }
      if request.destination == .mysql, let mysql = request.mysql {
        next.mysqlHost = mysql.host
        next.mysqlPort = mysql.port ?? ArchivalRules.defaultMySQLPort
        next.mysqlDatabase = mysql.database
        next.mysqlTable = mysql.table
        next.mysqlUser = mysql.user
        let sameTarget =
          current.destination == request.destination.rawValue && current.mysqlHost == next.mysqlHost
          && current.mysqlPort == next.mysqlPort && current.mysqlUser == next.mysqlUser
        next.mysqlPassword = sealedPassword ?? (sameTarget ? current.mysqlPassword : nil)
      }
      if next != current {
        try db.updateArchivalSettings(next)
        try db.audit("archival.update", subject: userID, target: userID, context: mutation)
      }
      return next
    }
    guard let stored else { throw Authenticator.unknownToken }
    return Self.message(stored)
  }
}
