import Crypto
import Foundation
import KPIWatchCore

/// `X-KPIWatch-Signature` for `secret:`: HMAC-SHA256 of the exact body, in hex.
package enum WebhookSignature {
    package static let header = "X-KPIWatch-Signature"

    package static func value(for body: Data, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + hex(Data(code))
    }

    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
