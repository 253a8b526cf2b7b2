import CLibPQ
import Foundation
import KPIWatchCore

/// What may be shown of a PostgreSQL connection string: host and database, never the user or
/// the password (the string usually comes from `${env:…}` precisely because it holds them).
package struct PostgresConnectionInfo: Sendable {
    package var host: String
    package var database: String
    /// Secrets to scrub from libpq's messages, which can quote the user name.
    package var secrets: [String]

    package init(_ conninfo: String) {
        var values: [String: String] = [:]
        if let options = PQconninfoParse(conninfo, nil) {
            var option = options
            while let keyword = option.pointee.keyword {
                if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
                option += 1
            }
            PQconninfoFree(options)
        }
        host = values["host"].flatMap { $0.isEmpty ? nil : $0 } ?? values["hostaddr"] ?? "localhost"
        database = values["dbname"] ?? values["user"] ?? "postgres"
        secrets = [values["password"], values["user"]].compactMap { $0 }.filter { $0.count >= 2 } + [conninfo]
    }

    package var origin: String { "postgres \(host)/\(database)" }

    /// libpq's message on one line, without anything that names the user or the password.
    package func scrub(_ message: String) -> String {
        var text = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: secret, with: "…")
        }
        return text
    }
}
