import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing
import WireFormat

@Suite struct ArchivalTests {
  static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"
  static let password = "my-sql-Pa55word-7f3c9"
  static let s3 = Archival.S3Input(
    bucket: "acme-archive.eu", region: "eu-west-1", prefix: "workflows/", accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: secret)
  static let mysql = Archival.MySQLInput(
    host: "db.internal.example.com", database: "archive", table: "workflow_events", user: "archiver",
    password: password)

  @Test func signUpLeavesArchivalOffHourly() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let settings = try await client.rpc.unary(Archival.getArchivalSettings, Empty(), options: user.options)
      #expect(settings == Archival.ArchivalSettings(destination: .off, s3: nil, mysql: nil, intervalMinutes: 60))
    }
  }

  @Test func s3SecretIsSealedNeverReturnedAndKeptWhenAbsent() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let request = Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: Self.s3, intervalMinutes: 15)
      let responseBytes = try await Self.rawCall(
        client, "Archival/UpdateArchivalSettings", BinaryEncoder().encode(request), user)
      let settings = try BinaryDecoder().decode(Archival.ArchivalSettings.self, from: responseBytes)
      #expect(
        settings
          == Archival.ArchivalSettings(
            destination: .s3,
            s3: Archival.S3Settings(
              bucket: "acme-archive.eu", region: "eu-west-1", prefix: "workflows/", accessKeyId: "AKIAIOSFODNN7EXAMPLE",
              secretSet: true),
            mysql: nil, intervalMinutes: 15))
      #expect(responseBytes.firstRange(of: Array(Self.secret.utf8)) == nil)
      let getBytes = try await Self.rawCall(client, "Archival/GetArchivalSettings", BinaryEncoder().encode(Empty()), user)
      #expect(getBytes.firstRange(of: Array(Self.secret.utf8)) == nil)
      #expect(try BinaryDecoder().decode(Archival.ArchivalSettings.self, from: getBytes) == settings)

      try Self.expectNotInFiles(Self.secret, server)
      let sealed = try #require(try await Self.column("s3_secret", user: user, server))
      let opened = try AESGCM.open(
        sealed, key: server.services.environment.secretsKey,
        associatedData: Array("archival_settings.s3_secret|\(user.id)".utf8))
      #expect(opened == Array(Self.secret.utf8))
      // Sealed for this user only.
      #expect(throws: CryptoError.self) {
        try AESGCM.open(
          sealed, key: server.services.environment.secretsKey, associatedData: Array("archival_settings.s3_secret|usr_other".utf8))
      }

      // Staying on S3 without a secret keeps the stored one; the interval is kept when absent.
      var withoutSecret = Self.s3
      withoutSecret.secretAccessKey = nil
      withoutSecret.bucket = "acme-archive-2"
      withoutSecret.prefix = nil
      let kept = try await client.rpc.unary(
        Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: withoutSecret),
        options: user.options)
      #expect(kept.s3?.secretSet == true && kept.s3?.bucket == "acme-archive-2" && kept.s3?.prefix == "")
      #expect(kept.intervalMinutes == 15)
      #expect(try await Self.column("s3_secret", user: user, server) == sealed)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "archival.update" }.count == 2)
    }
  }

  @Test func mysqlPasswordIsSealedAndSwitchingDropsTheOtherDestination() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      _ = try await client.rpc.unary(
        Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: Self.s3),
        options: user.options)
      let settings = try await client.rpc.unary(
        Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .mysql, mysql: Self.mysql),
        options: user.options)
      #expect(
        settings
          == Archival.ArchivalSettings(
            destination: .mysql, s3: nil,
            mysql: Archival.MySQLSettings(
              host: "db.internal.example.com", port: 3306, database: "archive", table: "workflow_events",
              user: "archiver", passwordSet: true),
            intervalMinutes: 60))
      #expect(try await Self.column("s3_secret", user: user, server) == nil)
      #expect(try await Self.column("s3_bucket", user: user, server) == nil)
      let sealed = try #require(try await Self.column("mysql_password", user: user, server))
      let opened = try AESGCM.open(
        sealed, key: server.services.environment.secretsKey,
        associatedData: Array("archival_settings.mysql_password|\(user.id)".utf8))
      #expect(opened == Array(Self.password.utf8))
      try Self.expectNotInFiles(Self.password, server)
      try Self.expectNotInFiles(Self.secret, server)

      // Back to S3 without a secret: the one stored before was dropped with the switch.
      var withoutSecret = Self.s3
      withoutSecret.secretAccessKey = nil
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: withoutSecret),
          options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == ["s3.secretAccessKey"])
      #expect(try await client.rpc.unary(Archival.getArchivalSettings, Empty(), options: user.options) == settings)

      // Off clears every stored setting and secret.
      let off = try await client.rpc.unary(
        Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .off, intervalMinutes: 10_080),
        options: user.options)
      #expect(off == Archival.ArchivalSettings(destination: .off, s3: nil, mysql: nil, intervalMinutes: 10_080))
      let row = try await server.services.environment.database.read { db in
        try db.row(sql: "SELECT * FROM archival_settings WHERE user_id = ?", user.id)
      }
      let stored = try #require(row)
      let nonNull = stored.columnNames.filter { stored[$0]?.isNull == false }
      #expect(Set(nonNull) == ["user_id", "destination", "interval_minutes"])
    }
  }

  @Test func aStoredSecretIsKeptOnlyForTheSameTarget() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      func update(_ request: Archival.UpdateArchivalSettingsRequest) async throws -> Archival.ArchivalSettings {
        try await client.rpc.unary(Archival.updateArchivalSettings, request, options: user.options)
      }
      // S3: the secret belongs to its access key id: a new bucket or region keeps it, a new key
      // id needs its own.
      _ = try await update(.init(destination: .s3, s3: Self.s3))
      var moved = Self.s3
      moved.secretAccessKey = nil
      moved.bucket = "acme-archive-2"
      moved.region = "us-east-1"
      #expect(try await update(.init(destination: .s3, s3: moved)).s3?.secretSet == true)
      moved.accessKeyId = "AKIAI44QH8DHBEXAMPLE"
      let error = await #expect(throws: RPCError.self) { try await update(.init(destination: .s3, s3: moved)) }
      #expect(error?.details.fieldViolations?.map(\.field) == ["s3.secretAccessKey"])
      #expect(error?.details.fieldViolations?.first?.description == "is required: the access key id changed")

      // MySQL: a new table keeps the password; a new host, port or user drops it.
      _ = try await update(.init(destination: .mysql, mysql: Self.mysql))
      var sameServer = Self.mysql
      sameServer.password = nil
      sameServer.table = "other_events"
      #expect(try await update(.init(destination: .mysql, mysql: sameServer)).mysql?.passwordSet == true)
      var otherHost = sameServer
      otherHost.host = "db.attacker.example"
      #expect(try await update(.init(destination: .mysql, mysql: otherHost)).mysql?.passwordSet == false)
      _ = try await update(.init(destination: .mysql, mysql: Self.mysql))
      var otherPort = sameServer
      otherPort.port = 3307
      #expect(try await update(.init(destination: .mysql, mysql: otherPort)).mysql?.passwordSet == false)
      _ = try await update(.init(destination: .mysql, mysql: Self.mysql))
      var otherUser = sameServer
      otherUser.user = "root"
      #expect(try await update(.init(destination: .mysql, mysql: otherUser)).mysql?.passwordSet == false)
    }
  }

  @Test func mysqlPortDefaultsAndSettingsWithoutAPasswordAreAllowed() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for (host, port) in [("10.0.0.5", 3307), ("::1", 1), ("localhost", 65_535), ("db-1.eu.example.com", 3306)] {
        let settings = try await client.rpc.unary(
          Archival.updateArchivalSettings,
          Archival.UpdateArchivalSettingsRequest(
            destination: .mysql,
            mysql: Archival.MySQLInput(host: host, port: port, database: "db_1", table: "events$2024", user: "arch.iver-1")),
          options: user.options)
        #expect(settings.mysql?.host == host && settings.mysql?.port == port && settings.mysql?.passwordSet == false)
      }
    }
  }

  @Test func settingsOfTheOtherDestinationAreRefused() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let cases: [(Archival.UpdateArchivalSettingsRequest, [String])] = [
        (.init(destination: .mysql, s3: Self.s3, mysql: Self.mysql), ["s3"]),
        (.init(destination: .s3, s3: Self.s3, mysql: Self.mysql), ["mysql"]),
        (.init(destination: .off, mysql: Self.mysql), ["mysql"]),
        (.init(destination: .off, s3: Self.s3), ["s3"]),
        (.init(destination: .s3), ["s3"]),
        (.init(destination: .mysql), ["mysql"]),
      ]
      for (request, fields) in cases {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Archival.updateArchivalSettings, request, options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == fields, "\(request.destination)")
      }
    }
  }

  @Test func badS3FieldsGetOneViolationEach() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Archival.updateArchivalSettings,
          Archival.UpdateArchivalSettingsRequest(
            destination: .s3,
            s3: Archival.S3Input(
              bucket: "Bad_Bucket", region: "europe", prefix: String(repeating: "p", count: 1025), accessKeyId: "AKIA-SHORT",
              secretAccessKey: ""),
            intervalMinutes: 4),
          options: user.options)
      }
      #expect(
        Set(error?.details.fieldViolations?.map(\.field) ?? [])
          == ["s3.bucket", "s3.region", "s3.prefix", "s3.accessKeyId", "s3.secretAccessKey", "intervalMinutes"])
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "archival.update" }.isEmpty)

      let badBuckets = [
        "ab", String(repeating: "b", count: 64), "UPPER", "a..b", "a.-b", "-abc", "abc-", "192.168.1.1", "xn--abc",
        "sthree-abc", "abc-s3alias", "abc--ol-s3", "abc def", "abc_def",
      ]
      for bucket in badBuckets {
        var s3 = Self.s3
        s3.bucket = bucket
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: s3),
            options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["s3.bucket"], "\(bucket)")
      }
      for region in ["eu-west", "EU-WEST-1", "eu_west_1", "europe-west-123", "e-west-1", "eu--1", ""] {
        var s3 = Self.s3
        s3.region = region
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: s3),
            options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["s3.region"], "\(region)")
      }
      for accessKeyId in ["AKIA1234567890A", String(repeating: "A", count: 129), "AKIA 1234567890AB", "AKIAÄ234567890ABC"] {
        var s3 = Self.s3
        s3.accessKeyId = accessKeyId
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .s3, s3: s3),
            options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["s3.accessKeyId"], "\(accessKeyId)")
      }
      // The edges that pass.
      for (bucket, region, accessKeyId) in [
        ("abc", "us-gov-west-1", String(repeating: "A", count: 16)), (String(repeating: "b", count: 63), "ap-southeast-2", String(repeating: "9", count: 128)),
      ] {
        let settings = try await client.rpc.unary(
          Archival.updateArchivalSettings,
          Archival.UpdateArchivalSettingsRequest(
            destination: .s3,
            s3: Archival.S3Input(bucket: bucket, region: region, accessKeyId: accessKeyId, secretAccessKey: "s"),
            intervalMinutes: 5),
          options: user.options)
        #expect(settings.s3?.bucket == bucket && settings.intervalMinutes == 5)
      }
    }
  }

  @Test func badMySQLFieldsGetOneViolationEach() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Archival.updateArchivalSettings,
          Archival.UpdateArchivalSettingsRequest(
            destination: .mysql,
            mysql: Archival.MySQLInput(
              host: "bad host", port: 0, database: "", table: "t;drop", user: String(repeating: "u", count: 65),
              password: "a\u{0}b"),
            intervalMinutes: 10_081),
          options: user.options)
      }
      #expect(
        Set(error?.details.fieldViolations?.map(\.field) ?? [])
          == ["mysql.host", "mysql.port", "mysql.database", "mysql.table", "mysql.user", "mysql.password", "intervalMinutes"])
      for host in ["-db.example.com", "db..example.com", "300.1.2.3", String(repeating: "a", count: 64) + ".com", "", "db/x", "[::1]"] {
        var mysql = Self.mysql
        mysql.host = host
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .mysql, mysql: mysql),
            options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["mysql.host"], "\(host)")
      }
      // A host name may have 253 characters, not 254.
      var longest = Self.mysql
      longest.host = (Array(repeating: String(repeating: "h", count: 63), count: 3) + [String(repeating: "c", count: 61)])
        .joined(separator: ".")
      #expect(longest.host.count == 253)
      let settings = try await client.rpc.unary(
        Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .mysql, mysql: longest),
        options: user.options)
      #expect(settings.mysql?.host == longest.host)
      longest.host += "c"
      longest.port = 65_536
      let tooLong = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .mysql, mysql: longest),
          options: user.options)
      }
      #expect(Set(tooLong?.details.fieldViolations?.map(\.field) ?? []) == ["mysql.host", "mysql.port"])
    }
  }

  @Test func everyMethodNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let get = await #expect(throws: RPCError.self) { try await client.rpc.unary(Archival.getArchivalSettings, Empty()) }
      let update = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Archival.updateArchivalSettings, Archival.UpdateArchivalSettingsRequest(destination: .off))
      }
      #expect(get?.code == .unauthenticated && update?.code == .unauthenticated)
    }
  }

  /// Calls `method` with encoded bytes and returns the encoded response, to check every byte.
  static func rawCall(_ client: ProfileClient, _ method: String, _ request: [UInt8], _ user: TestUser) async throws -> [UInt8] {
    var responses: [[UInt8]] = []
    try await client.rpc.rawCall(method: method, requests: [request], options: user.options) { response in
      responses.append(response)
    }
    return try #require(responses.count == 1 ? responses[0] : nil)
  }

  static func column(_ name: String, user: TestUser, _ server: ProfileTestServer) async throws -> [UInt8]? {
    let sql = "SELECT \(name) FROM archival_settings WHERE user_id = ?"
    return try await server.services.environment.database.read { db in try db.value([UInt8].self, sql: sql, user.id) }
  }

  /// Checks that `secret` is in neither the database file nor its write-ahead log.
  static func expectNotInFiles(_ secret: String, _ server: ProfileTestServer) throws {
    let database = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
    let wal = (try? Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite-wal"))) ?? Data()
    #expect(database.range(of: Data(secret.utf8)) == nil)
    #expect(wal.range(of: Data(secret.utf8)) == nil)
  }
}
