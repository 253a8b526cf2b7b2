import KPIWatchCore

/// Stage 3: alerts that an active silence matches are recorded (with the silence that held them) but not sent.
package struct Silencing {
    package var silences: [Silence]
    package var asOf: Day

    /// Identity → the silence that holds it.
    package func silenced(_ firing: [AlertRecord]) -> [String: String] {
        let active = silences.filter { $0.isActive(on: asOf) }
        var result: [String: String] = [:]
        for record in firing {
            if let silence = active.first(where: { $0.matches(record.alert) }) {
                result[record.identity] = silence.label
            }
        }
        return result
    }
}
