import Foundation
import Testing

@testable import KPIWatchSources

/// kpiwatch's own zip reading (`ZipArchive`, `XLSXParts`): each part is decompressed from exactly its
/// own bytes and within limits. The damaged zips are in Fixtures/malformed/xlsx/zip-*.
@Suite struct XLSXZipTests {
    /// What fuzz-xlsx found (fuzz/corpus/xlsx/finding-deflate-past-end-of-file): a mutated byte in the
    /// sheet's deflate stream made ZIPFoundation's extract read on to the end of the file and loop
    /// there, so `check` never ended. It ends with exit 3 and an error naming the file and the part.
    @Test func theFuzzFindingEndsWithAnErrorNamingThePart() throws {
        let project = try MalformedCase("xlsx/zip-fuzz-finding-deflate-past-end-of-file.xlsx").project()
        let result = try runKPIWatch(["check", "--config", project.config])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "data.xlsx: error: cannot read xl/worksheets/sheet1.xml: it decompresses to more than the 611 bytes"),
            "\(result.stderr)")
    }

    /// A deflate stream that goes on past its part's bytes (here a stored block that says 65,535
    /// bytes follow) is damaged: nothing after the part is read as its data.
    @Test func aStreamThatRunsPastItsPartIsAnError() throws {
        let project = try MalformedCase("xlsx/zip-deflate-runs-past-its-part.xlsx").project()
        let result = try runKPIWatch(["check", "--config", project.config])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "cannot read xl/worksheets/sheet1.xml: its compressed data ends before its deflate stream does"),
            "\(result.stderr)")
    }

    /// A zip bomb's part says how large it is: over the limit, it is refused before anything is
    /// decompressed; a part that says less than it holds stops at what it said.
    @Test func aPartOverTheLimitIsRefusedAndOneThatLiesStopsAtItsSize() throws {
        let tooLarge = try MalformedCase("xlsx/zip-part-over-the-limit.xlsx").project()
        let refused = try runKPIWatch(["check", "--config", tooLarge.config])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "cannot read xl/worksheets/sheet1.xml: it is 2147483647 bytes uncompressed, more than the limit of "
                    + "536870912 bytes for one part"), "\(refused.stderr)")
        let lyingProject = try MalformedCase("xlsx/zip-inflates-past-its-size.xlsx").project()
        let lying = try runKPIWatch(["check", "--config", lyingProject.config])
        #expect(lying.status == 3, "\(lying.stderr)")
        #expect(lying.stderr.contains("it decompresses to more than the 10 bytes its header says"), "\(lying.stderr)")
    }

    @Test func aPartLargerThanItsLimitNamesThePartAndTheLimit() throws {
        let error = XLSXFixtures.diagnostic {
            _ = try XLSXWorkbook(
                filePath: XLSXFixtures.folder + "/cases.xlsx", displayPath: "cases.xlsx",
                limits: XLSXParts.Limits(part: 100, total: 1 << 20))
        }
        #expect(error?.message.hasPrefix("cannot read ") == true, "\(String(describing: error))")
        #expect(error?.message.contains("bytes uncompressed, more than the limit of 100 bytes for one part") == true)
        #expect(error?.place == "cases.xlsx")
    }

    /// The total counts every part read from one opening of the workbook.
    @Test func partsThatComeToMoreThanTheTotalLimitAreRefused() throws {
        let path = XLSXFixtures.folder + "/cases.xlsx"
        let whole = try XLSXWorkbook(filePath: path, displayPath: "cases.xlsx")
        let sheet = try #require(whole.sheets.first?.part)
        let opening = whole.bytesRead
        let stylesSize = try #require(try whole.read("xl/styles.xml")).count
        let sheetSize = try #require(try whole.read(sheet)).count
        #expect(whole.bytesRead == opening + stylesSize + sheetSize)
        // Room for the parts read on opening and the styles, and for all of the sheet but one byte.
        let limit = opening + stylesSize + sheetSize - 1
        let workbook = try XLSXWorkbook(
            filePath: path, displayPath: "cases.xlsx", limits: XLSXParts.Limits(part: 1 << 20, total: limit))
        _ = try workbook.read("xl/styles.xml")
        let error = try #require(XLSXFixtures.diagnostic { _ = try workbook.read(sheet) })
        #expect(
            error.message
                == "cannot read \(sheet): the workbook's parts come to more than the limit of \(limit) bytes uncompressed"
        )
        #expect(error.place == "cases.xlsx")
    }

    @Test func aWorkbookFileLargerThanTheTotalLimitIsNotRead() throws {
        let error = XLSXFixtures.diagnostic {
            _ = try XLSXWorkbook(
                filePath: XLSXFixtures.folder + "/cases.xlsx", displayPath: "cases.xlsx",
                limits: XLSXParts.Limits(part: 100, total: 100))
        }
        #expect(error?.message.hasSuffix("bytes, more than the limit of 100 bytes for a workbook") == true)
    }
}
