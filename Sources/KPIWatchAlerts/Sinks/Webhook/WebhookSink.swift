import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchHTTPClient

/// Posts alerts to a chat channel or an HTTP receiver (`type: webhook`): Teams (Workflows),
/// Slack, Google Chat, or the documented generic JSON envelope. Options:
///
/// - `url` (required): https only unless `allow_http: true`; give it as `${env:NAME}` or
///   `${file:PATH}`. It never appears in an error, a report or a log.
/// - `format`: `teams`, `slack`, `google_chat` or `generic` (the default).
/// - `group_by`: alert label or group field names; one message per distinct combination of
///   their values (the pipeline batches, and hands each message its values). Without it, one
///   message carries every alert of the run.
/// - `timeout` (seconds per attempt, default 10), `max_attempts` (default 4: the pipeline's
///   retry stage tries again what may succeed later), `max_alerts` (lines shown per chat message,
///   a case or a KPI alert each, or alerts per generic envelope; the rest are counted).
/// - `secret` (generic only): signs each body, `X-KPIWatch-Signature: sha256=<HMAC-SHA256 hex>`.
/// - `title`: the messages' heading (default "kpiwatch alerts").
///
/// Teams, Slack and Google Chat get a digest (`WebhookBatch`): the counts, what changed since the last
/// run, the counts per rule and team, one line per case (however many rules it breaks) or KPI alert,
/// most urgent first, and where the full report is (`report: { link: }`, else the report `kpiwatch report`
/// recorded, else that none was written for this run and the command that writes one: `ReportPointer`).
///
/// A notification counts as delivered only when the message carrying it got a 2xx answer. Alerts
/// that did not fit a service's size limit are counted in that message ("… and N more alerts not
/// shown", or `truncatedAlerts`) and share its outcome.
public struct WebhookSink: Sink, CustomStringConvertible, CustomReflectable {
    public var name: String { options.name }
    public var format: WebhookFormat { options.format }
    public var groupBy: [String] { options.groupBy }
    public var maxAttempts: Int { options.maxAttempts }

    package let options: WebhookOptions
    package let delivery: HTTPDelivery
    /// The project's `report: { link: }`, which chat digests point to; without it they name the recorded report.
    package var reportLink: String?

    /// Secrets only through `${env:…}` or `${file:…}`: a URL written into the project file would end up in
    /// version control and in every copy of the file.
    public static let factory: SinkFactory = { sink, project in
        var diagnostics = DiagnosticCollector()
        for key in ["url", "secret"] where sink.option(key) != nil && !sink.node.isWrittenAsReference(key) {
            diagnostics.add(
                Diagnostic(
                    "the webhook's '\(key)' is a secret and is written into the project file",
                    at: sink.node.location(of: key),
                    hint: "write it as ${env:NAME} (or ${file:PATH}) and keep the value out of the file"))
        }
        try diagnostics.throwIfAny()
        var webhook = try WebhookSink(config: sink)
        webhook.reportLink = project.report.link
        return webhook
    }

    public init(config: SinkConfig) throws {
        try self.init(config: config, transport: URLSessionTransport())
    }

    package init(
        config: SinkConfig, transport: any HTTPTransport, clock: DeliveryClock = .system, pacer: PostPacer = .shared,
        minimumSpacing: Double? = nil
    ) throws {
        let options = try WebhookOptions(config: config)
        self.options = options
        self.delivery = HTTPDelivery(
            url: options.url, timeout: options.timeout, minimumSpacing: minimumSpacing ?? options.format.minimumSpacing,
            pacingKey: options.format.pacingKey(for: options.url), transport: transport, clock: clock, pacer: pacer)
    }

    public var description: String { "webhook sink '\(name)' (\(format.rawValue))" }

    // The default mirror would print the URL.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "format": format.rawValue, "groupBy": groupBy], displayStyle: .struct)
    }

    /// Posts the batch as one message, once; the pipeline's retry stage tries again what may succeed later.
    public func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        guard !notifications.isEmpty else { return DeliveryReport() }
        if context.dryRun { return .allFailed(notifications, reason: "dry run: not sent") }
        let verdict: AttemptVerdict
        do {
            let body = try render(batch(notifications, context: context)).body
            verdict = delivery.post(body, headers: headers(for: body))
        } catch {
            verdict = .final("the message could not be encoded (\(type(of: error)))")
        }
        switch verdict {
        case .success:
            return .allDelivered(notifications)
        case .retry(let reason, let retryAfter):
            var report = DeliveryReport.allFailed(
                notifications, reason: "webhook '\(name)': \(reason)", retryable: true)
            report.retryAfter = RetryPolicy.retryAfter(retryAfter, now: delivery.clock.now())
            return report
        case .final(let reason):
            return .allFailed(notifications, reason: "webhook '\(name)': \(reason)")
        }
    }

    package func headers(for body: Data) -> [String: String] {
        var headers = ["Content-Type": "application/json; charset=utf-8", "User-Agent": "kpiwatch"]
        if let secret = options.secret {
            headers[WebhookSignature.header] = WebhookSignature.value(for: body, secret: secret)
        }
        return headers
    }

    /// The message's content: the pipeline's batch (one `group_by` combination, whose values the
    /// context carries), alerts most urgent first.
    package func batch(_ notifications: [AlertNotice], context: RunContext) -> WebhookBatch {
        let digests = notifications.map(AlertDigest.init).enumerated()
            .sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element)
        let report = ReportPointer(
            link: reportLink, recorded: context.report, asOf: context.asOf, projectFile: context.projectFile)
        return WebhookBatch(
            receiver: name, title: options.title, groupLabels: context.groupLabels, asOf: context.asOf,
            digests: digests, newSinceLastRun: context.newSinceLastRun, reportPointer: report)
    }

    /// The body for a batch in this sink's format, with as many alerts as the service accepts.
    package func render(_ batch: WebhookBatch) throws -> (body: Data, shown: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var budget = format.budget
        budget.maxAlerts = options.maxAlerts
        // Chat formats list a line per case or KPI alert; the generic envelope, every alert.
        let total = format == .generic ? batch.digests.count : batch.lines.count
        let fitted: (rendering: MessageBudget.Rendering, shown: Int)
        switch format {
        case .teams:
            fitted = try budget.fit(total: total) { shown in
                MessageBudget.Rendering(
                    body: try encoder.encode(TeamsMessage(batch: batch, shown: shown, budget: budget)), blocks: 0)
            }
        case .slack:
            fitted = try budget.fit(total: total) { shown in
                let message = SlackMessage(batch: batch, shown: shown, budget: budget)
                return MessageBudget.Rendering(body: try encoder.encode(message), blocks: message.blocks.count)
            }
        case .googleChat:
            let cardID = "kpiwatch-" + cardSuffix(batch)
            fitted = try budget.fit(total: total) { shown in
                let message = GoogleChatMessage(batch: batch, shown: shown, budget: budget, cardID: cardID)
                return MessageBudget.Rendering(body: try encoder.encode(message), blocks: message.widgetCount)
            }
        case .generic:
            fitted = try budget.fit(total: total) { shown in
                MessageBudget.Rendering(
                    body: try encoder.encode(GenericEnvelope(batch: batch, shown: shown)), blocks: 0)
            }
        }
        return (fitted.rendering.body, fitted.shown)
    }

    private func cardSuffix(_ batch: WebhookBatch) -> String {
        let values = batch.groupLabels.map(\.value)
        return values.isEmpty ? "alerts" : GenericAlert.fingerprint(of: values.joined(separator: "\u{1F}"))
    }
}
