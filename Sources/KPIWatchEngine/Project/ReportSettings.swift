import Foundation
import KPIWatchCore

/// `report:` of the project file: the templates that replace the default ones, the report's title and a logo.
public struct ReportSettings: Sendable {
    /// A folder of `.mustache` files, resolved against the project's folder.
    public var templates: String?
    public var title: String?
    /// An image file (PNG, JPEG, GIF or SVG), embedded in the HTML so that the report stays one file.
    public var logo: String?
    /// Where the council publishes the report (a URL or a shared-drive path), named at the foot of chat digests.
    public var link: String?
    /// Where `templates:` was written, for template errors that concern the folder as a whole.
    public var templatesLocation: SourceLocation?

    public init(templates: String? = nil, title: String? = nil, logo: String? = nil) {
        self.templates = templates
        self.title = title
        self.logo = logo
    }

    package static let keys = ["templates", "title", "logo", "link"]
    package static let logoTypes = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "svg": "image/svg+xml",
    ]
    /// A logo is embedded in every report: a large one is a mistake (a photograph, a print-resolution file).
    package static let maxLogoBytes = 1_000_000

    /// Reads and checks `report:`; every mistake is a diagnostic at its line and column.
    package static func read(
        _ project: YAMLMapping, config: ProjectConfig, _ diagnostics: inout DiagnosticCollector
    ) -> ReportSettings {
        var settings = ReportSettings()
        guard let report = project.mapping("report", subject: "'report'", &diagnostics) else { return settings }
        report.checkKeys(keys, &diagnostics)
        settings.title = report.string("title", &diagnostics)
        settings.link = report.string("link", &diagnostics)
        if let templates = report.string("templates", &diagnostics) {
            let path = config.resolve(templates)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                settings.templates = path
                settings.templatesLocation = report.valueLocation("templates")
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'templates' must be a folder of .mustache files; '\(templates)' is not a folder",
                        at: report.valueLocation("templates"),
                        hint: "paths are relative to the project file's folder; looked for \(path)"))
            }
        }
        if let logo = report.string("logo", &diagnostics) {
            settings.logo = checkedLogo(
                logo, path: config.resolve(logo), at: report.valueLocation("logo"), &diagnostics)
        }
        return settings
    }

    private static func checkedLogo(
        _ written: String, path: String, at location: SourceLocation, _ diagnostics: inout DiagnosticCollector
    ) -> String? {
        let kind = (path as NSString).pathExtension.lowercased()
        guard logoTypes[kind] != nil else {
            diagnostics.add(
                Diagnostic(
                    "'logo' must be a PNG, JPEG, GIF or SVG file; got '\(written)'", at: location,
                    hint: "valid extensions: \(logoTypes.keys.sorted().joined(separator: ", "))"))
            return nil
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else {
            diagnostics.add(
                Diagnostic(
                    "logo '\(written)' does not exist", at: location,
                    hint: "paths are relative to the project file's folder; looked for \(path)"))
            return nil
        }
        if let size = attributes[.size] as? Int, size > maxLogoBytes {
            diagnostics.add(
                Diagnostic(
                    "logo '\(written)' is \(size) bytes; a logo may be at most \(maxLogoBytes) bytes", at: location,
                    hint: "every report carries the logo inside it: use a small PNG or an SVG"))
            return nil
        }
        return path
    }

    /// The logo as a `data:` URL, so that the report makes no request of any kind.
    package static func logoDataURL(_ path: String) throws -> String {
        let kind = logoTypes[(path as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return "data:\(kind);base64,\(data.base64EncodedString())"
    }
}
