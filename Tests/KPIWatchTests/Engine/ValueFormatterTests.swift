import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A KPI's value as every output a person reads writes it (terminal, chat, report): by its unit, no locale.
@Suite struct ValueFormatterTests {
    @Test func valuesReadByUnit() {
        #expect(ValueFormatter.format(64.66, unit: .percent) == "64.7%")
        #expect(ValueFormatter.format(0.834, unit: .percent) == "0.83%")
        #expect(ValueFormatter.format(1204, unit: .count) == "1,204")
        #expect(ValueFormatter.format(18.5, unit: .weeks) == "18.5 weeks")
        #expect(ValueFormatter.format(1, unit: .days) == "1 day")
        #expect(ValueFormatter.format(12, unit: .days) == "12 days")
        #expect(ValueFormatter.format(-1234567.891, unit: .number) == "-1,234,567.89")
        #expect(ValueFormatter.format(0.5, unit: .ratio) == "0.50")
        #expect(ValueFormatter.format(nil, unit: .count) == "–")
        #expect(ValueFormatter.format(.infinity, unit: .count) == "–")
    }
}
