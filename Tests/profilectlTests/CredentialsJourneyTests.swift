import Foundation
import Subprocesses
import Testing

/// Issue 4's walk through tokens, MFA and organizations with nothing but `profilectl call` (and,
/// for the authenticator app, the few lines of Python a developer would use instead of a phone).
@Suite("profilectl tokens, MFA and organizations journey") struct CredentialsJourneyTests {
  @Test("a user creates, uses and deletes a token, enrolls MFA and signs in with a code, and runs organizations")
  func tokensMFAAndOrganizations() async throws {
    try await TestServer.with { server in
      let email = "credentials@example.com"
      let password = "correct horse battery staple"
      let session = try await ConnectionTests.signIn(server, email: email)
      func call(_ method: String, _ json: String, token: String? = session) async throws -> [String: Any] {
        let result =
          if let token { try await server.profilectl("--token", token, "call", method, json) } else {
            try await server.profilectl("call", method, json)
          }
        try #require(result.status == 0, "\(method): \(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
      }

      // A token: shown once, usable as a bearer, listed without its secret, then deleted.
      let created = try await call("Tokens.CreateToken", #"{"name":"deploy bot","expiresInDays":30}"#)
      let secret = try #require(created["token"] as? String)
      let tokenID = try #require(created["id"] as? String)
      #expect(secret.hasPrefix("pat_") && created["expiresAt"] != nil)
      let asToken = try await call("Profile.GetProfile", "{}", token: secret)
      #expect(asToken["email"] as? String == email)
      let listed = try await server.profilectl("--token", session, "call", "Tokens.ListTokens", "{}")
      #expect(listed.status == 0 && listed.stdout.contains("deploy bot") && !listed.stdout.contains(secret), "\(listed)")
      _ = try await call("Tokens.DeleteToken", #"{"id":"\#(tokenID)"}"#)
      let deleted = try await server.profilectl("--token", secret, "call", "Profile.GetProfile", "{}")
      #expect(deleted.status == 16, "\(deleted)")

      // MFA: enroll with the app, then sign in with a password and a code.
      let enrollment = try await call("MFA.BeginEnrollment", "{}")
      let mfaSecret = try #require(enrollment["secret"] as? String)
      #expect((enrollment["uri"] as? String)?.hasPrefix("otpauth://totp/") == true)
      let confirmed = try await call("MFA.ConfirmEnrollment", #"{"code":"\#(try Self.appCode(mfaSecret, stepsAhead: 0))"}"#)
      #expect((confirmed["recoveryCodes"] as? [String])?.count == 10)
      let signIn = try await call("Accounts.SignIn", #"{"email":"\#(email)","password":"\#(password)"}"#, token: nil)
      #expect(signIn["token"] == nil)
      let challenge = try #require(signIn["challengeId"] as? String)
      // The next step's code: the enrollment used this step's, and each is accepted once.
      let completed = try await call(
        "Accounts.CompleteMFASignIn",
        #"{"challengeId":"\#(challenge)","code":"\#(try Self.appCode(mfaSecret, stepsAhead: 1))"}"#, token: nil)
      let mfaSession = try #require(completed["token"] as? String)
      let status = try await call("MFA.GetMFAStatus", "{}", token: mfaSession)
      #expect(status["enabled"] as? Bool == true)

      // Organizations: create, switch, edit.
      let organization = try await call("Organizations.CreateOrganization", #"{"name":"Acme"}"#, token: mfaSession)
      let organizationID = try #require(organization["id"] as? String)
      _ = try await call("Organizations.SwitchOrganization", #"{"id":"\#(organizationID)"}"#, token: mfaSession)
      let edited = try await call(
        "Organizations.UpdateOrganization",
        #"{"id":"\#(organizationID)","name":"Acme Ltd","enforceMFA":true,"apiTokensEnabled":false,"creditBased":true}"#,
        token: mfaSession)
      #expect(edited["name"] as? String == "Acme Ltd" && edited["enforceMFA"] as? Bool == true)
      let mine = try await call("Organizations.ListMyOrganizations", "{}", token: mfaSession)
      let organizations = try #require(mine["organizations"] as? [[String: Any]])
      #expect(organizations.first { $0["current"] as? Bool == true }?["id"] as? String == organizationID)
      #expect(mine["ownedCount"] as? Int == 1 && mine["ownedLimit"] as? Int == 3)  // the personal one does not count
      let refused = try await server.profilectl("--token", mfaSession, "call", "Tokens.CreateToken", #"{"name":"x"}"#)
      #expect(refused.status == 9 && refused.stderr.contains("switched off"), "\(refused)")
    }
  }

  /// The code an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now,
  /// computed by Python's standard library.
  static func appCode(_ secret: String, stepsAhead: Int) throws -> String {
    let script = """
      import base64, hmac, struct, sys, time
      key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
      mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + int(sys.argv[2])), "sha1").digest()
      offset = mac[-1] & 15
      print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7fffffff) % 1000000))
      """
    let process = try Subprocess(
      executable: "/usr/bin/env", arguments: ["python3", "-c", script, secret, String(stepsAhead)],
      standardOutput: .pipe)
    let output = PipeReader.readToEnd(process.standardOutput!)
    let termination = process.waitUntilExit()
    try #require(termination == .exited(0), "python3 ended with \(termination)")
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
