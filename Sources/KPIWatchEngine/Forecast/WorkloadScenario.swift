import KPIWatchCore

/// A "what if" for a workload projection: more or fewer requests, more or fewer assessment officers
/// from a month on. Declared in YAML as `requests: +10%` and `fte: +2 from 2027-01`.
package struct WorkloadScenario: Sendable, Equatable {
    package struct StaffChange: Sendable, Equatable {
        package var fte: Double
        /// The first day of the first month the change applies to; nil for every projected month.
        package var from: Day?
    }

    package var name: String
    /// Multiplies the expected requests (1.1 for `+10%`).
    package var requestFactor: Double = 1
    package var staffChanges: [StaffChange] = []

    package static let baseline = WorkloadScenario(name: "baseline")

    package init(name: String, requestFactor: Double = 1, staffChanges: [StaffChange] = []) {
        self.name = name
        self.requestFactor = requestFactor
        self.staffChanges = staffChanges
    }

    /// The assessment FTE in the month starting `month`, from the FTE the history had.
    package func fte(base: Double, in month: Day) -> Double {
        staffChanges.reduce(base) { total, change in
            change.from.map { month >= $0 } ?? true ? total + change.fte : total
        }
    }

    /// `+10%`, `-5%`, `+10 %`: the factor, or nil with what is wrong.
    package static func requestFactor(_ text: String) -> Result<Double, ScenarioSyntaxError> {
        let trimmed = text.filter { $0 != " " }
        guard trimmed.hasSuffix("%"), let sign = trimmed.first, sign == "+" || sign == "-",
            let percent = Double(trimmed.dropFirst().dropLast()), percent.isFinite
        else {
            return .failure(ScenarioSyntaxError(text: text, expected: "a signed percent such as +10% or -5%"))
        }
        let factor = 1 + (sign == "-" ? -percent : percent) / 100
        guard factor >= 0 else {
            return .failure(ScenarioSyntaxError(text: text, expected: "a change no lower than -100%"))
        }
        return .success(factor)
    }

    /// `+2`, `-0.5 from 2027-01`: the change, or what is wrong.
    package static func staffChange(_ text: String) -> Result<StaffChange, ScenarioSyntaxError> {
        let words = text.split(separator: " ").map(String.init)
        let expected = "a signed FTE change, optionally from a month: +2 from 2027-01"
        guard let amount = words.first, amount.first == "+" || amount.first == "-",
            let fte = Double(amount), fte.isFinite
        else { return .failure(ScenarioSyntaxError(text: text, expected: expected)) }
        switch words.count {
        case 1: return .success(StaffChange(fte: fte, from: nil))
        case 3 where words[1] == "from":
            guard let month = Day(iso: words[2] + "-01") else {
                return .failure(ScenarioSyntaxError(text: text, expected: "a month written yyyy-MM after from"))
            }
            return .success(StaffChange(fte: fte, from: month))
        default: return .failure(ScenarioSyntaxError(text: text, expected: expected))
        }
    }
}

/// A scenario value that does not parse, with what would.
package struct ScenarioSyntaxError: Error, Sendable, Equatable {
    package var text: String
    package var expected: String
}
