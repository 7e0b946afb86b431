import Foundation
import ProfileAPI
import ProfileStore

extension CreditsService {
  /// The outbox template of a low-balance alert.
  static let lowBalanceTemplate = "credits.low_balance"

  /// Alerts the members whose threshold the balance is now below, once per crossing, and
  /// re-arms the alert of those it is back at or above.
  ///
  /// A threshold is `Notifications.Money`; one credit counts as one unit of its currency, so
  /// `amountMinor` 5000 (50.00) alerts when fewer than 50 credits are left. An alert goes to the
  /// channels the member chose; SMS only to a verified phone. When SMS was the only channel and
  /// the member has no verified phone, the alert goes by email instead rather than nowhere.
  static func updateLowBalanceAlerts(_ db: Database, organization: OrganizationRecord, balance: Int64, now: Date) throws {
    for subscriber in try db.lowBalanceSubscribers(organizationID: organization.id) {
      let below = balance * 100 < subscriber.thresholdMinor
      if below && !subscriber.alerted {
        let parameters = [
          "organization": organization.name, "organizationId": organization.id, "balance": String(balance),
          "threshold": String(subscriber.thresholdMinor / 100),
        ]
        var recipients: [(OutboxMessage.Channel, String)] = []
        if subscriber.channels.email { recipients.append((.email, subscriber.email)) }
        if subscriber.channels.sms {
          if let phone = subscriber.verifiedPhone {
            recipients.append((.sms, phone))
          } else if !subscriber.channels.email {
            recipients.append((.email, subscriber.email))
          }
        }
        for (channel, recipient) in recipients {
          try db.enqueue(
            OutboxMessage(
              channel: channel, recipient: recipient, template: lowBalanceTemplate, parameters: parameters, createdAt: now))
        }
        try db.markLowBalanceAlerted(organizationID: organization.id, userID: subscriber.userID, now: now)
      } else if !below && subscriber.alerted {
        try db.clearLowBalanceAlert(organizationID: organization.id, userID: subscriber.userID)
      }
    }
  }
}
