import KPIWatchCore
import KPIWatchEngine

/// Where an alert is in its life: `firing` while it is raised (or kept by `keep_firing_for`), `resolved` once it
/// cleared. The evaluator applies `for:` before an alert exists, so an alert is never stored as pending.
public enum AlertState: String, Sendable, Codable {
    case pending, firing, resolved
}

/// One row of the `alerts` table: an alert identity's state across runs.
public struct AlertRecord: Sendable {
    public var alert: Alert
    public var state: AlertState
    /// The as-of day this episode began firing.
    public var firstSeen: Day
    public var lastSeen: Day
    public var resolvedOn: Day?
    /// `keep_firing_for`: the last day it stays firing when it is no longer raised.
    public var keepUntil: Day?
    /// Why it was held back in the latest run: `silence 3` or `inhibited by RULE`.
    public var silencedBy: String?

    public var identity: String { alert.identity }

    public init(
        alert: Alert, state: AlertState, firstSeen: Day, lastSeen: Day, resolvedOn: Day? = nil,
        keepUntil: Day? = nil, silencedBy: String? = nil
    ) {
        self.alert = alert
        self.state = state
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.resolvedOn = resolvedOn
        self.keepUntil = keepUntil
        self.silencedBy = silencedBy
    }
}

/// One row of the `notifications` table: what a sink was last told about an alert.
public struct NotificationRecord: Sendable, Hashable {
    public var sink: String
    public var identity: String
    public var status: AlertStatus
    public var lastNotifiedOn: Day
    public var count: Int
    /// The severity it was last sent with, so an escalation is sent at once.
    public var severity: AlertSeverity
    /// The episode (the day it began firing) the notice was about; nil in a store written before kpiwatch kept it.
    public var firstSeen: Day?

    public init(
        sink: String, identity: String, status: AlertStatus, lastNotifiedOn: Day, count: Int, severity: AlertSeverity,
        firstSeen: Day? = nil
    ) {
        self.sink = sink
        self.identity = identity
        self.status = status
        self.lastNotifiedOn = lastNotifiedOn
        self.count = count
        self.severity = severity
        self.firstSeen = firstSeen
    }

    /// Whether this notice was about the episode that began on `day`: a late notice about an earlier episode,
    /// delivered from the outbox, does not stand for a later one.
    package func heard(episode day: Day) -> Bool {
        firstSeen.map { $0 == day } ?? (lastNotifiedOn >= day)
    }
}

/// One row of the `outbox`: a notification a sink has not yet received, held by a quiet time or a failure.
public struct OutboxItem: Sendable {
    public var id: Int64?
    public var sink: String
    public var notification: AlertNotice
    /// Not sent before this day (a quiet time); nil: the next run retries it.
    public var heldUntil: Day?
    public var attempts: Int
    public var lastError: String?
    public var createdOn: Day

    public var deliveryID: String { notification.deliveryID }
    /// What the outbox keeps it under.
    public var episodeID: String { notification.episodeID }

    public init(
        id: Int64? = nil, sink: String, notification: AlertNotice, heldUntil: Day? = nil, attempts: Int = 0,
        lastError: String? = nil, createdOn: Day
    ) {
        self.id = id
        self.sink = sink
        self.notification = notification
        self.heldUntil = heldUntil
        self.attempts = attempts
        self.lastError = lastError
        self.createdOn = createdOn
    }
}
