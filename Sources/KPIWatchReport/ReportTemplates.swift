import Foundation
import KPIWatchCore
import KPIWatchEngine
import Mustache

/// The report's Mustache templates: the default set (shipped as a resource), with any file of a project's
/// `report: { templates: DIR }` replacing the default of the same name or adding a partial. Every mistake in a
/// template is an error at its file, line and column.
public struct ReportTemplates: Sendable {
    public static let fileExtension = "mustache"
    package let library: MustacheLibrary
    /// Template name → the file it was read from.
    package let files: [String: String]

    /// - Throws: `Diagnostics` with every template error found.
    public init(defaults: String, overrides: String? = nil, overridesLocation: SourceLocation? = nil) throws {
        var diagnostics = DiagnosticCollector()
        var files = Self.templateFiles(in: defaults)
        let defaultNames = Set(files.keys)
        if let overrides {
            let own = Self.templateFiles(in: overrides)
            if own.isEmpty {
                diagnostics.add(
                    Diagnostic(
                        "the report templates folder \(overrides) holds no .\(Self.fileExtension) files",
                        at: overridesLocation,
                        hint:
                            "copy the default templates (\(defaultNames.sorted().joined(separator: ", "))) and edit them"
                    ))
            }
            files.merge(own) { _, theirs in theirs }
        }
        var templates: [String: MustacheTemplate] = [:]
        var texts: [String: String] = [:]
        for (name, file) in files.sorted(by: { $0.key < $1.key }) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                diagnostics.add(Diagnostic("cannot read the report template \(file) as UTF-8 text", place: file))
                continue
            }
            texts[name] = text
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.add(
                    Diagnostic(
                        "report template error: \(Self.describe(error.error))",
                        at: SourceLocation(
                            file: file, line: error.context.lineNumber, column: error.context.columnNumber),
                        hint:
                            "Mustache tags are {{name}}, {{{raw}}}, {{#section}}…{{/section}}, {{^inverted}}…{{/inverted}} and {{> partial}}"
                    ))
            } catch {
                diagnostics.add(Diagnostic("report template error: \(error)", place: file))
            }
        }
        // A partial that names no template would render as nothing: a misspelt name must not empty a section.
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            for partial in Self.partials(in: text) where files[partial.name] == nil {
                diagnostics.add(
                    Diagnostic(
                        "the report template uses the partial '\(partial.name)', which no template file provides",
                        at: SourceLocation(file: files[name]!, line: partial.line, column: partial.column),
                        hint: nearestName(to: partial.name, in: Array(files.keys)).map { "did you mean '\($0)'?" }
                            ?? "templates: \(files.keys.sorted().joined(separator: ", "))"))
            }
        }
        if !diagnostics.isEmpty { throw Diagnostics(diagnostics.items) }
        self.library = MustacheLibrary(templates: templates)
        self.files = files
    }

    /// The report in `format`, from its top template (`report.html` or `report.md`).
    public func render(_ content: ReportContent, format: ReportFormat) throws -> String {
        guard let text = library.render(content, withTemplate: format.template) else {
            throw Diagnostic(
                "no report template '\(format.template).\(Self.fileExtension)'",
                hint: "the templates folder must hold it, or leave it out to use the default")
        }
        return text
    }

    /// `NAME.mustache` files directly in `folder`, by NAME.
    package static func templateFiles(in folder: String) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var files: [String: String] = [:]
        for name in names where name.hasSuffix("." + fileExtension) && !name.hasPrefix(".") {
            files[String(name.dropLast(fileExtension.count + 1))] = (folder as NSString).appendingPathComponent(name)
        }
        return files
    }

    /// Every `{{> name}}` of a template, with its line and column (1-based).
    package static func partials(in text: String) -> [(name: String, line: Int, column: Int)] {
        var found: [(String, Int, Int)] = []
        var line = 1
        var column = 1
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if characters[index] == "{", index + 2 < characters.count, characters[index + 1] == "{",
                characters[index + 2] == ">"
            {
                var end = index + 3
                while end + 1 < characters.count, !(characters[end] == "}" && characters[end + 1] == "}") { end += 1 }
                let name = String(characters[(index + 3)..<min(end, characters.count)])
                    .trimmingCharacters(in: .whitespaces)
                if !name.isEmpty && !name.hasPrefix("*") { found.append((name, line, column)) }
            }
            if characters[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return found
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a name other than the one it was opened with"
        case .unfinishedName: return "a tag is not closed with }}"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "a set-delimiter tag is badly written"
        case .transformAppliedToInheritanceSection: return "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection: return "an inheritance section holds a tag it cannot hold"
        case .textInsideInheritSection: return "an inheritance section holds text outside its blocks"
        case .invalidConfigVariableSyntax: return "a {{% … }} pragma is badly written"
        case .unrecognisedConfigVariable: return "unknown {{% … }} pragma (CONTENT_TYPE: HTML or TEXT)"
        }
    }
}
