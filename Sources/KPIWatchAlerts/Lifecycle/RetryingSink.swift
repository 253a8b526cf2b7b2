import KPIWatchCore
import KPIWatchEngine
import KPIWatchHTTPClient
import Logging

/// The retry stage, wrapped around any sink (Alertmanager's retry stage around a notifier): a batch whose failure
/// the sink calls worth retrying is sent again, backing off between attempts (or waiting as long as the receiver
/// asked, unless that is longer than a run waits), up to the sink's `maxAttempts`. Only what still failed is sent
/// again; what fails for good goes to the outbox with the last reason.
package struct RetryingSink: Sink {
    package var sink: any Sink
    package var clock: DeliveryClock

    package init(_ sink: any Sink, clock: DeliveryClock = .system) {
        self.sink = sink
        self.clock = clock
    }

    package var name: String { sink.name }
    package var maxAttempts: Int { sink.maxAttempts }

    package func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        var report = DeliveryReport()
        var remaining = notifications
        var lastReason: [String: String] = [:]
        let loop = RetryLoop(policy: RetryPolicy(maxAttempts: sink.maxAttempts), clock: clock)
        let logger = Logger(label: "kpiwatch.delivery")
        var attempts = 0
        let outcome = loop.run {
            attempts += 1
            let attempt = sink.send(remaining, context: context)
            var again: [AlertNotice] = []
            for notice in remaining {
                let id = notice.deliveryID
                if let reason = attempt.failures[id] {
                    if attempt.retryable.contains(id) {
                        again.append(notice)
                        lastReason[id] = reason
                    } else {
                        report.failures[id] = reason
                    }
                } else if attempt.delivered.contains(id) {
                    report.delivered.insert(id)
                }
                // Neither delivered nor failed: left out, so the send stage counts it as not reported.
            }
            remaining = again
            // Nothing left that another attempt could cure: the loop is done, whatever the sink said.
            guard let first = again.first, let problem = lastReason[first.deliveryID] else { return .success(0) }
            logger.debug(
                "sink \(name): attempt \(attempts) of \(sink.maxAttempts) failed for \(Counted.text(again.count, "notice")): \(problem)"
            )
            // The loop reads a wait as Retry-After does: a number of seconds.
            return .retry(problem, retryAfter: attempt.retryAfter.map { String($0) })
        }
        if case .failed(let reason, _) = outcome, let first = remaining.first {
            // The loop's reason tells the last problem and how many attempts were made; a notice that failed for
            // another reason in the same batch keeps its own.
            let problem = lastReason[first.deliveryID]
            for notice in remaining {
                let own = lastReason[notice.deliveryID] ?? reason
                report.failures[notice.deliveryID] = own == problem ? reason : own
            }
        }
        return report
    }
}
