import Foundation
import KPIWatchCore

// zlib: Apple's SDKs have it as a module; on Linux it is the CZlib module ZIPFoundation declares,
// which every target that depends on ZIPFoundation can import.
#if canImport(zlib)
    import zlib
#else
    import CZlib
#endif

/// Decompresses a zip part's deflate stream from exactly its compressed bytes: a stream that needs
/// more is damaged, never a reason to read on (see `ZipArchive`).
package enum ZipInflater {
    /// The part's bytes; refuses a stream that does not end within `compressed`, or that gives more
    /// than `expectedSize` bytes (it stops there: the header's size, checked against kpiwatch's limit,
    /// bounds the memory a zip bomb can take).
    package static func inflate(_ compressed: Data, expectedSize: Int) throws(ZipArchive.Damage) -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipArchive.Damage("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        output.reserveCapacity(min(expectedSize, 1 << 24))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let input = [UInt8](compressed)
        var status = Z_OK
        try input.withUnsafeBufferPointer { (input) throws(ZipArchive.Damage) in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflateStep(&stream)
                    return out.count - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END: break
                // No progress was possible: every compressed byte was used and the stream goes on.
                case Z_BUF_ERROR: throw ZipArchive.Damage("its compressed data ends before its deflate stream does")
                default:
                    let detail = stream.msg.map { ": " + String(cString: $0) } ?? ""
                    throw ZipArchive.Damage("its compressed data is damaged (zlib\(detail))")
                }
                output.append(contentsOf: chunk[..<produced])
                guard output.count <= expectedSize else {
                    throw ZipArchive.Damage("it decompresses to more than the \(expectedSize) bytes its header says")
                }
            }
        }
        return output
    }

    package static func checksum(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { bytes in
            let typed = bytes.bindMemory(to: Bytef.self)
            var crc: uLong = 0
            var offset = 0
            // zlib's crc32 takes a 32-bit length.
            while let base = typed.baseAddress, offset < typed.count {
                let length = min(typed.count - offset, 1 << 30)
                crc = crc32(crc, base + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}

/// zlib's `inflate`, out of reach of `ZipInflater.inflate`'s name.
private func inflateStep(_ stream: inout z_stream) -> Int32 {
    inflate(&stream, Z_NO_FLUSH)
}
