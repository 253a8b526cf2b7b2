import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

@Suite struct DateFormatTests {
    func day(_ iso: String) -> Day { Day(iso: iso)! }

    @Test func parsesEveryToken() throws {
        #expect(try DateFormat(pattern: "dd/MM/yyyy").parse("12/01/2023") == day("2023-01-12"))
        #expect(try DateFormat(pattern: "d/M/yyyy").parse("2/1/2023") == day("2023-01-02"))
        #expect(try DateFormat(pattern: "d/M/yyyy").parse("12/11/2023") == day("2023-11-12"))
        #expect(try DateFormat(pattern: "dd-MMM-yyyy").parse("05-Sep-2023") == day("2023-09-05"))
        #expect(try DateFormat(pattern: "dd-MMM-yyyy").parse("05-SEPT-2023") == day("2023-09-05"))
        #expect(try DateFormat(pattern: "d MMMM yyyy").parse("5 september 2023") == day("2023-09-05"))
        #expect(try DateFormat(pattern: "d MMMM yyyy").parse("31 May 2023") == day("2023-05-31"))
        #expect(try DateFormat(pattern: "yyyy-MM-dd").parse("2023-01-12") == day("2023-01-12"))
        #expect(try DateFormat(pattern: "MM/dd/yyyy").parse("01/12/2023") == day("2023-01-12"))
        #expect(try DateFormat(pattern: "dd/MM/yy").parse("12/01/23") == day("2023-01-12"))
    }

    @Test func twoDigitYearsPivotAtSeventy() throws {
        let format = try DateFormat(pattern: "dd/MM/yy")
        #expect(format.parse("01/01/69") == day("2069-01-01"))
        #expect(format.parse("01/01/70") == day("1970-01-01"))
        #expect(format.parse("01/01/98") == day("1998-01-01"))
    }

    @Test func twoDigitTokensNeedTwoDigits() throws {
        let format = try DateFormat(pattern: "dd/MM/yyyy")
        #expect(format.parse("1/2/2023") == nil)
        #expect(format.parse("01/02/23") == nil)
        #expect(format.parse("01/02/2023x") == nil)
    }

    @Test func rejectsImpossibleDates() throws {
        let format = try DateFormat(pattern: "dd/MM/yyyy")
        #expect(format.parse("31/02/2023") == nil)
        #expect(format.parse("29/02/2023") == nil)
        #expect(format.parse("29/02/2024") == day("2024-02-29"))
        #expect(format.parse("12/13/2023") == nil)
    }

    @Test func acceptsAndIgnoresATimeAfterTheDate() throws {
        let uk = try DateFormat(pattern: "dd/MM/yyyy")
        #expect(uk.parse("12/01/2023 00:00") == day("2023-01-12"))
        #expect(uk.parse("12/01/2023 09:30:00") == day("2023-01-12"))
        #expect(uk.parse("12/01/2023 9:30 PM") == day("2023-01-12"))
        #expect(DateFormat.iso.parse("2023-01-12T09:30:00") == day("2023-01-12"))
        #expect(DateFormat.iso.parse("2023-01-12T09:30:00.123Z") == day("2023-01-12"))
        #expect(DateFormat.iso.parse("2023-01-12T09:30:00+01:00") == day("2023-01-12"))
        #expect(uk.parse("12/01/2023 soon") == nil)
        #expect(uk.parse("12/01/2023 25") == nil)
    }

    @Test func unknownTokenIsADiagnosticNamingTheValidTokens() {
        let location = SourceLocation(file: "kpiwatch.yaml", line: 7, column: 18)
        let error = #expect(throws: Diagnostic.self) { try DateFormat(pattern: "dd/mm/yyyy", at: location) }
        #expect(error?.message == "unknown token \"mm\" in date_format \"dd/mm/yyyy\"")
        #expect(error?.location == location)
        #expect(error?.hint?.contains("d, dd, M, MM, MMM, MMMM, yy, yyyy") == true)
    }

    @Test func formatMustNameDayMonthAndYearOnce() {
        #expect(throws: Diagnostic.self) { try DateFormat(pattern: "MM/yyyy") }
        #expect(throws: Diagnostic.self) { try DateFormat(pattern: "dd/MM/yyyy/yy") }
    }
}

@Suite struct ExcelSerialDateTests {
    func decode(_ cell: Cell) -> Result<Value, CellDecodeFailure> { CellDecoder().result(cell, as: .date) }

    @Test func convertsSerialsHonouringTheLotusLeapDay() throws {
        #expect(try decode(.text("1")).get() == .date(Day(iso: "1900-01-01")!))
        #expect(try decode(.text("59")).get() == .date(Day(iso: "1900-02-28")!))
        #expect(try decode(.text("61")).get() == .date(Day(iso: "1900-03-01")!))
        #expect(try decode(.text("45292")).get() == .date(Day(iso: "2024-01-01")!))
        #expect(try decode(.text("2958465")).get() == .date(Day(iso: "9999-12-31")!))
    }

    @Test func serialSixtyIsNotADate() {
        guard case .failure(let failure) = decode(.text("60")) else {
            Issue.record("serial 60 decoded")
            return
        }
        #expect(failure.reason.contains("1900-02-29"))
        guard case .failure = decode(.number(60)) else {
            Issue.record("serial 60 decoded")
            return
        }
    }

    @Test func ignoresTheTimeFraction() throws {
        #expect(try decode(.text("45292.75")).get() == .date(Day(iso: "2024-01-01")!))
        #expect(try decode(.number(45292.5)).get() == .date(Day(iso: "2024-01-01")!))
        #expect(try decode(.int(45292)).get() == .date(Day(iso: "2024-01-01")!))
    }

    @Test func rejectsSerialsOutsideExcelsRange() {
        for text in ["0", "2958466", "-5", "1,204"] {
            if case .success(let value) = decode(.text(text)) { Issue.record("\(text) decoded as \(value)") }
        }
    }
}

@Suite struct CellDecoderTests {
    let decoder = CellDecoder(dateFormat: try! DateFormat(pattern: "dd/MM/yyyy"), nullValues: ["", "N/A", " - "])

    func value(_ text: String, _ type: FieldType) throws -> Value { try decoder.decode(.text(text), as: type) }

    func reason(_ text: String, _ type: FieldType) -> String? {
        if case .failure(let failure) = decoder.result(.text(text), as: type) { return failure.reason }
        return nil
    }

    @Test func stringsAreTrimmed() throws {
        #expect(try value("  North \t", .string) == .string("North"))
        #expect(try value("\u{00A0}North\u{00A0}", .string) == .string("North"))
        #expect(try value("North East", .string) == .string("North East"))
    }

    @Test func nullValuesAreComparedAfterTrimming() throws {
        for text in ["", "   ", "N/A", " N/A ", "-"] {
            for type in FieldType.allCases { #expect(try value(text, type) == .null) }
        }
        #expect(try value("n/a", .string) == .string("n/a"))
        #expect(try decoder.decode(.missing, as: .date) == .null)
    }

    @Test func emptyCellsAreNullWhateverTheNullValues() throws {
        let decoder = CellDecoder(nullValues: ["N/A"])
        #expect(try decoder.decode(.text(" "), as: .int) == .null)
        #expect(try decoder.decode(.text("N/A"), as: .int) == .null)
    }

    @Test func decodesWholeNumbers() throws {
        #expect(try value("1204", .int) == .int(1204))
        #expect(try value("-3", .int) == .int(-3))
        #expect(try value("+7", .int) == .int(7))
        #expect(try value("1,204", .int) == .int(1204))
        #expect(try value("1,204,000", .int) == .int(1_204_000))
        #expect(try value("12.0", .int) == .int(12))
        #expect(reason("12.5", .int) == "\"12.5\" is not a whole number")
        #expect(reason("12,34", .int) != nil)
        #expect(reason("twelve", .int) != nil)
        #expect(reason("99999999999999999999", .int) != nil)
    }

    @Test func decodesWholeNumbersToBothEndsOfInt() throws {
        #expect(try value("-9223372036854775808", .int) == .int(Int.min))
        #expect(try value("-9,223,372,036,854,775,808", .int) == .int(Int.min))
        #expect(try value("9223372036854775807", .int) == .int(Int.max))
        #expect(try value("+9223372036854775807.0", .int) == .int(Int.max))
        #expect(try value("-0", .int) == .int(0))
        #expect(reason("9223372036854775808", .int) != nil)
        #expect(reason("+9223372036854775808", .int) != nil)
        #expect(reason("-9223372036854775809", .int) != nil)
    }

    @Test func decodesNumbers() throws {
        #expect(try value("12.5", .number) == .number(12.5))
        #expect(try value("1,204.5", .number) == .number(1204.5))
        #expect(try value("-.5", .number) == .number(-0.5))
        #expect(try value("1.5e3", .number) == .number(1500))
        #expect(try value("2E-2", .number) == .number(0.02))
        #expect(try value("7", .number) == .number(7))
        for text in ["abc", "1.2.3", "inf", "nan", "0x10", "1e", "1,20.5", "."] {
            #expect(reason(text, .number) == "\"\(text)\" is not a number")
        }
    }

    @Test func decodesBooleans() throws {
        for text in ["true", "TRUE", "Yes", "y", "1"] { #expect(try value(text, .bool) == .bool(true)) }
        for text in ["false", "No", "N", "n", "0"] { #expect(try value(text, .bool) == .bool(false)) }
        #expect(reason("maybe", .bool)?.hasPrefix("\"maybe\" is not true or false") == true)
    }

    @Test func decodesDatesInTheFormatOrISO() throws {
        #expect(try value("12/01/2023", .date) == .date(Day(iso: "2023-01-12")!))
        #expect(try value("2023-01-12", .date) == .date(Day(iso: "2023-01-12")!))
        #expect(try value("12/01/2023 00:00", .date) == .date(Day(iso: "2023-01-12")!))
        #expect(reason("31/02/2023", .date) == "\"31/02/2023\" is not a date in dd/MM/yyyy (or yyyy-MM-dd)")
        #expect(reason("soon", .date) == "\"soon\" is not a date in dd/MM/yyyy (or yyyy-MM-dd)")
        let isoOnly = CellDecoder()
        guard case .failure(let failure) = isoOnly.result(.text("12/01/2023"), as: .date) else {
            Issue.record("decoded without a date_format")
            return
        }
        #expect(failure.reason == "\"12/01/2023\" is not a date in yyyy-MM-dd")
    }

    @Test func convertsTypedCells() throws {
        #expect(try decoder.decode(.int(5), as: .number) == .number(5))
        #expect(try decoder.decode(.int(5), as: .string) == .string("5"))
        #expect(try decoder.decode(.number(12), as: .int) == .int(12))
        #expect(throws: CellDecodeFailure.self) { try decoder.decode(.number(12.5), as: .int) }
        #expect(try decoder.decode(.number(12.5), as: .string) == .string("12.5"))
        #expect(try decoder.decode(.bool(true), as: .bool) == .bool(true))
        #expect(try decoder.decode(.int(0), as: .bool) == .bool(false))
        #expect(throws: CellDecodeFailure.self) { try decoder.decode(.int(2), as: .bool) }
        #expect(try decoder.decode(.date(Day(iso: "2023-01-12")!), as: .date) == .date(Day(iso: "2023-01-12")!))
        #expect(try decoder.decode(.date(Day(iso: "2023-01-12")!), as: .string) == .string("2023-01-12"))
        #expect(throws: CellDecodeFailure.self) { try decoder.decode(.date(Day(iso: "2023-01-12")!), as: .int) }
        #expect(try decoder.decode(.number(45292), as: .date) == .date(Day(iso: "2024-01-01")!))
    }

    @Test func redactedReasonLeavesTheValueOut() {
        guard case .failure(let failure) = decoder.result(.text("Alice Smith"), as: .date) else {
            Issue.record("decoded")
            return
        }
        #expect(!failure.redactedReason.contains("Alice"))
        #expect(failure.redactedReason.contains("is not a date in dd/MM/yyyy"))
    }

    @Test func badDateFormatInADatasetIsADiagnosticAtTheKey() throws {
        let dataset = try CSVFixtures.dataset("path: a.csv\ndate_format: dd/MM/yyyyy", dateFormat: "dd/MM/yyyyy")
        let error = #expect(throws: Diagnostic.self) { try CellDecoder(dataset: dataset) }
        #expect(error?.location?.line == 2)
    }
}
