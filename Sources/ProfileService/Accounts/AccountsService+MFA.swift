import CryptoPrimitives
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// The longest challenge id accepted as input (they are `mfc_` and 52 characters).
  static let maximumChallengeLength = 128

  /// Turns the challenge a password sign-in answered into a session, given a current code from
  /// the app or a recovery code. The challenge ends with its first success.
  ///
  /// - Throws: `UNAUTHENTICATED` for an unknown or expired challenge, or a wrong code (which
  ///   counts toward the sign-in limit); `RESOURCE_EXHAUSTED` once the limit is reached.
  func completeMFASignIn(_ request: Accounts.CompleteMFASignInRequest, _ context: ServerContext) async throws
    -> Accounts.SignInResponse
  {
    var validator = FieldValidator()
    validator.text("challengeId", request.challengeId, length: 1...Self.maximumChallengeLength)
    validator.text("code", request.code, length: 1...MFAService.maximumCodeLength)
    try validator.check()

    let now = environment.now()
    let idHash = SHA256.hash(Array(request.challengeId.utf8))
    guard
      let user = try await environment.database.read({ db -> UserRecord? in
        guard let userID = try db.mfaChallengeUser(idHash: idHash, now: now) else { return nil }
        return try db.user(id: userID)
      })
    else {
      throw RPCError(.unauthenticated, "the sign-in challenge is unknown or expired; sign in again")
    }
    let limiter = SignInLimiter(configuration: environment.configuration)
    let factor = secondFactor
    let mutation = MutationContext(actor: user.id, requestID: context.requestID, peerUID: context.peer.uid, now: now)
    let verified = try await environment.database.write { db -> Bool in
      let record = try db.mfaFactor(userID: user.id)
      guard
        try factor.verify(
          request.code, against: record?.isEnabled == true ? record : nil, acceptingRecoveryCodes: true, userID: user.id,
          emailKey: user.emailKey, limiter: limiter, failedAction: "session.create.failed", mutation: mutation, in: db)
      else { return false }
      try db.deleteMFAChallenge(idHash: idHash)
      return true
    }
    guard verified else { throw RPCError(.unauthenticated, "the code is wrong or was used already") }
    return try await openSession(for: user, context: context, action: "session.create", now: now)
  }
}
