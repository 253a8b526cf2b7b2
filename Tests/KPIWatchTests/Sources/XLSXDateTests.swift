import Testing

@testable import KPIWatchSources

/// Dates are numbers of days in a workbook; the cell's number format says which numbers are dates.
@Suite struct XLSXDateTests {
    private func day(_ serial: Double, _ system: ExcelDateSystem = .from1900) -> String? {
        guard case .day(let day) = system.reading(ofSerial: serial) else { return nil }
        return day.iso
    }

    @Test func the1900SystemCountsAPhantomLeapDayAtSerial60() {
        #expect(day(1) == "1900-01-01")
        #expect(day(59) == "1900-02-28")
        #expect(ExcelDateSystem.from1900.reading(ofSerial: 60) == .phantomLeapDay)
        #expect(day(61) == "1900-03-01")
        #expect(day(45292) == "2024-01-01")
        #expect(day(2_958_465) == "9999-12-31")
    }

    @Test func aTimeOfDayIsDroppedAndSerialsOutsideTheCalendarAreNotDays() {
        #expect(day(45299.604166) == "2024-01-08")
        #expect(ExcelDateSystem.from1900.reading(ofSerial: 0) == .outOfRange)
        #expect(ExcelDateSystem.from1900.reading(ofSerial: -3) == .outOfRange)
        #expect(ExcelDateSystem.from1900.reading(ofSerial: 2_958_466) == .outOfRange)
    }

    @Test func the1904SystemCountsFromNewYear1904() {
        #expect(day(0, .from1904) == "1904-01-01")
        #expect(day(43830, .from1904) == "2024-01-01")
        #expect(ExcelDateSystem.from1904.reading(ofSerial: -1) == .outOfRange)
    }

    @Test func dateCellsInEveryFormatBecomeDaysWhilePlainNumbersAndTextStayAsTheyAre() throws {
        let rows = try XLSXFixtures.rows(XLSXFixtures.source("path: date_kinds.xlsx"))
        #expect(rows.map(\.number) == [2, 3])
        let first = rows[0].cells
        for column in ["UK date", "ISO date", "Long date", "Date time"] {
            #expect(first[column] == XLSXFixtures.day("2024-01-08"), "\(column)")
        }
        #expect(first["Serial number"] == .int(45299))
        #expect(first["Text date"] == .text("08/01/2024"))
        // `0.0" days"`: the d is quoted text, so this is a number.
        #expect(first["Duration"] == .number(12.5))
        let second = rows[1].cells
        #expect(second["UK date"] == XLSXFixtures.day("1999-12-31"))
        #expect(second["Date time"] == XLSXFixtures.day("1999-12-31"))
        #expect(second["Duration"] == .int(3))
    }

    @Test func serialsAroundTheLeapDayReadAsExcelShowsThem() throws {
        let rows = try XLSXFixtures.rows(XLSXFixtures.source("path: inline_strings.xlsx"))
        let received = Dictionary(uniqueKeysWithValues: rows.map { ($0.number, $0.cells["Received"]) })
        #expect(received[2] == XLSXFixtures.day("1900-02-28"))
        // Excel shows 29/02/1900; no such day exists, so the typing layer rejects it as a date.
        #expect(received[3] == .text("1900-02-29"))
        #expect(received[4] == XLSXFixtures.day("1900-03-01"))
        #expect(received[6] == XLSXFixtures.day("2024-01-01"))
    }

    @Test func a1904WorkbookReadsItsSerialsFrom1904() throws {
        let source = try XLSXFixtures.source("path: date1904.xlsx")
        #expect(source.origin == "date1904.xlsx [Mac]")
        let rows = try XLSXFixtures.rows(source)
        #expect(rows.map { $0.cells["Received"] } == [XLSXFixtures.day("1904-01-01"), XLSXFixtures.day("2024-01-01")])
    }

    @Test func customFormatsAreDatesWhenTheyShowADayMonthOrYear() {
        for code in [
            "dd/mm/yyyy", "yyyy\\-mm\\-dd", "[$-809]dd\\ mmmm\\ yyyy;@", "mmm-yy", "mmmm", "D MMMM YYYY",
            "dd/mm/yyyy\\ hh:mm", "[Red]dd/mm/yy",
        ] {
            #expect(XLSXNumberFormats.isDateCode(code), "\(code)")
        }
        for code in [
            "General", "0.00", "0.0\" days\"", "h:mm", "mm:ss", "[h]:mm:ss", "#,##0_);[Red](#,##0)", "@",
            "0\\d", "[$£-809]#,##0.00",
        ] {
            #expect(!XLSXNumberFormats.isDateCode(code), "\(code)")
        }
        #expect(XLSXNumberFormats.isDate(id: 14, code: nil))
        #expect(XLSXNumberFormats.isDate(id: 22, code: nil))
        #expect(XLSXNumberFormats.isDate(id: 47, code: nil))
        #expect(!XLSXNumberFormats.isDate(id: 2, code: nil))
        #expect(!XLSXNumberFormats.isDate(id: 164, code: "General"))
    }
}
