import KPIWatchCore

/// The functions an expression may call on single values. Unless noted, a null argument makes the
/// result null.
///
/// RULES.md §3:
/// - `days_between(a, b)` → int: b − a in days
/// - `weeks_between(a, b)` → int: whole weeks, (b − a days) / 7 truncated toward zero
/// - `months_between(a, b)` → int: whole months (the largest m ≥ 0 with add_months(a, m) ≤ b;
///   negative when b < a)
/// - `age(dob, on)` → int: whole years completed (a 29 February birthday is reached on 28 February in common years)
/// - `add_days(d, n)`, `add_weeks(d, n)`, `add_months(d, n)` → date (add_months clamps to the month's end)
/// - `year(d)`, `month(d)` → int
/// - `coalesce(a, b, …)`: the first non-null argument; all arguments share one type (int and number make number)
/// - `lower(s)`, `upper(s)`, `trim(s)` → string
/// - `round(x)`, `round(x, n)` → number: half away from zero at n decimals (0 by default)
/// - `date(s)` → date: ISO `yyyy-MM-dd` text, null when it is not a date (a literal that is not a date
///   is a load error)
///
/// Extras:
/// - `if(cond, a, b)`: a when cond holds, else b (a null cond gives b)
/// - `abs(x)` (int stays int), `floor(x)`, `ceil(x)` → int
/// - `min_of(a, b, …)`, `max_of(a, b, …)`: smallest / largest of numbers, dates or strings, skipping nulls
/// - `start_of_month(d)`, `end_of_month(d)` → date
/// - `contains(s, sub)`, `starts_with(s, prefix)` → bool
/// - `is_weekend(d)` → bool: Saturday or Sunday
///
/// In thresholds only: `forecast(d)` → number, the KPI's trend line at date d.
package enum ScalarFunction: String, CaseIterable, Sendable {
    case daysBetween = "days_between"
    case weeksBetween = "weeks_between"
    case monthsBetween = "months_between"
    case age
    case addDays = "add_days"
    case addWeeks = "add_weeks"
    case addMonths = "add_months"
    case year, month, coalesce, lower, upper, trim, round, date
    case `if`, abs, floor, ceil
    case minOf = "min_of"
    case maxOf = "max_of"
    case startOfMonth = "start_of_month"
    case endOfMonth = "end_of_month"
    case contains
    case startsWith = "starts_with"
    case isWeekend = "is_weekend"

    package var arity: ClosedRange<Int> {
        switch self {
        case .coalesce, .minOf, .maxOf: return 2...Int.max
        case .round: return 1...2
        case .if: return 3...3
        case .daysBetween, .weeksBetween, .monthsBetween, .age, .addDays, .addWeeks, .addMonths, .contains,
            .startsWith:
            return 2...2
        case .year, .month, .lower, .upper, .trim, .date, .abs, .floor, .ceil, .startOfMonth, .endOfMonth,
            .isWeekend:
            return 1...1
        }
    }

    /// How to call it, for hints.
    package var usage: String {
        switch self {
        case .daysBetween: return "days_between(a, b): the days from date a to date b"
        case .weeksBetween: return "weeks_between(a, b): the whole weeks from date a to date b"
        case .monthsBetween: return "months_between(a, b): the whole months from date a to date b"
        case .age: return "age(dob, on): whole years from date dob to date on"
        case .addDays: return "add_days(d, n): date d moved by n days"
        case .addWeeks: return "add_weeks(d, n): date d moved by n weeks"
        case .addMonths: return "add_months(d, n): date d moved by n months"
        case .year: return "year(d): the year of date d"
        case .month: return "month(d): the month (1–12) of date d"
        case .coalesce: return "coalesce(a, b, …): the first of a, b, … that is not null"
        case .lower: return "lower(s): text s in lower case"
        case .upper: return "upper(s): text s in upper case"
        case .trim: return "trim(s): text s without leading and trailing spaces"
        case .round: return "round(x, n): x rounded half away from zero to n decimals"
        case .date: return "date(s): the date written as yyyy-MM-dd in text s"
        case .if: return "if(condition, a, b): a when the condition holds, else b"
        case .abs: return "abs(x): x without its sign"
        case .floor: return "floor(x): the largest whole number not above x"
        case .ceil: return "ceil(x): the smallest whole number not below x"
        case .minOf: return "min_of(a, b, …): the smallest of a, b, … that is not null"
        case .maxOf: return "max_of(a, b, …): the largest of a, b, … that is not null"
        case .startOfMonth: return "start_of_month(d): the first day of d's month"
        case .endOfMonth: return "end_of_month(d): the last day of d's month"
        case .contains: return "contains(s, part): whether text s contains part"
        case .startsWith: return "starts_with(s, prefix): whether text s starts with prefix"
        case .isWeekend: return "is_weekend(d): whether date d is a Saturday or Sunday"
        }
    }
}
