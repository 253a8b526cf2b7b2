import Foundation
import KPIWatchCore
import Yams

/// Named non-working days (`rules/uk_bank_holidays.yaml`), for `quiet: [bank_holidays]`.
public struct BankHolidays: Sendable {
    public var days: [Day: String]

    public init(days: [Day: String] = [:]) { self.days = days }

    public func name(of day: Day) -> String? { days[day] }

    /// The file's name when a sink does not give `bank_holidays: PATH`.
    public static let fileName = "uk_bank_holidays.yaml"

    /// The default file: beside the project file, or beside (or one folder above) a rule file, so that the
    /// standard pack's `rules/uk_bank_holidays.yaml` is found for projects that use `rules/send`.
    public static func defaultPath(for project: ProjectConfig) -> String? {
        var folders = [project.directory, project.resolve("rules")]
        for file in project.ruleFiles {
            let folder = (file as NSString).deletingLastPathComponent
            folders += [folder, (folder as NSString).deletingLastPathComponent]
        }
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// Reads `bank_holidays: [{date: 2026-12-25, name: Christmas Day}, …]`.
    public static func load(path: String) throws -> BankHolidays {
        let document = try YAMLDocument.read(path: path, what: "bank holiday file")
        var diagnostics = DiagnosticCollector()
        var days: [Day: String] = [:]
        if let root = document.root,
            let top = YAMLMapping(root, in: document, subject: "the bank holiday file", &diagnostics)
        {
            top.checkKeys(["bank_holidays"], &diagnostics)
            for node in top.list("bank_holidays", &diagnostics) {
                guard let entry = YAMLMapping(node, in: document, subject: "a bank holiday", &diagnostics) else {
                    continue
                }
                entry.checkKeys(["date", "name"], &diagnostics)
                guard let text = entry.string("date", &diagnostics) else {
                    entry.missing("date", hint: "write it as yyyy-MM-dd", &diagnostics)
                    continue
                }
                guard let day = Day(iso: text) else {
                    diagnostics.add(
                        Diagnostic(
                            "'\(text)' is not a date", at: entry.valueLocation("date"), hint: "write it as yyyy-MM-dd"))
                    continue
                }
                days[day] = entry.string("name", &diagnostics) ?? "bank holiday"
            }
        }
        try diagnostics.throwIfAny()
        return BankHolidays(days: days)
    }
}
