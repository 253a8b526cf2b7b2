import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine

/// What a check did: the values and alerts it evaluated, what it delivered, and every problem that means it
/// could not do all it was asked (each one makes the exit status 3).
public struct CheckOutcome: Sendable {
    /// Nil when the project could not be loaded.
    public var project: LoadedProject?
    /// Nil when the run stopped before evaluating (a bad project, a state store it could not open).
    public var evaluation: Evaluation?
    /// Nil when the run stopped before delivering.
    public var delivery: DeliveryOutcome?
    public var problems: [Diagnostic] = []

    /// The contract's exit status: 0 all OK, 1 a warning, 2 a critical, 3 could not do everything.
    public var exitCode: Int32 {
        let evaluated = evaluation?.exitCode ?? 3
        return problems.isEmpty ? evaluated : max(evaluated, 3)
    }
}
