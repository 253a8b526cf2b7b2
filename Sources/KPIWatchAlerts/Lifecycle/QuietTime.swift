import KPIWatchCore
import KPIWatchEngine

/// Stage 7 (per sink): in a quiet time a sink's notifications are held in the outbox until the time ends. A
/// quiet day holds them until the next day that is not quiet; quiet hours apply only to a run for today (a run
/// for another as-of day has no time of day), and hold until the day the window ends.
package struct QuietTime {
    package var schedule: QuietSchedule
    package var asOf: Day
    /// Today and the minute of the day in the project's time zone.
    package var clock: (today: Day, minute: Int)

    /// The day held notifications may go out, or nil when the sink is not quiet now.
    package var heldUntil: Day? {
        if schedule.quietDay(asOf) != nil { return schedule.nextOpenDay(after: asOf) }
        guard asOf == clock.today, schedule.isQuietMinute(clock.minute) else { return nil }
        let endsToday = schedule.hours.contains { window in
            window.start <= window.end ? window.end > clock.minute : clock.minute < window.end
        }
        return endsToday ? asOf : asOf.adding(days: 1)
    }
}

extension QuietTime: DeliveryStage {
    /// In a quiet time, puts every notice that reached it in the outbox until the time ends; else passes them on.
    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        guard let heldUntil else { return notices }
        run.waiting += notices.map {
            OutboxItem(sink: run.sink, notification: $0, heldUntil: heldUntil, createdOn: run.asOf)
        }
        run.summary.held += notices.count
        return []
    }
}
