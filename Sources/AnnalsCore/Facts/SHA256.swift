internal import CPoppler
import Foundation

/// SHA-256 of a file's bytes, for `source.sha256` and the batch's keys.
///
/// OpenSSL's libcrypto where the system has it (opened on first use, as
/// tesseract is: it uses the processor's SHA instructions, some 50 times
/// faster than a plain implementation), else GLib's (opened likewise),
/// which comes with poppler-glib. A batch hashes every file before it
/// starts, and a worker hashes each document again.
public enum SHA256 {
    /// The digest as 64 lower-case hex digits.
    public static func hex(of data: Data) -> String {
        guard let digest = libcrypto else { return hexWithGLib(of: data) }
        var bytes = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { input in
            _ = digest(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, &bytes)
        }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The same with GLib's implementation.
    static func hexWithGLib(of data: Data) -> String {
        // GLib comes with poppler-glib, without which annals reads nothing.
        guard annals_load_glib() != 0 else {
            preconditionFailure("annals: neither libcrypto nor GLib can be opened (\(String(cString: annals_load_error()))); install libglib2.0-0 (`bash scripts/setup` does)")
        }
        guard let checksum = g_checksum_new(G_CHECKSUM_SHA256) else { preconditionFailure("GLib has no SHA-256") }
        defer { g_checksum_free(checksum) }
        data.withUnsafeBytes { bytes in
            // g_checksum_update takes a signed length: large files go in pieces.
            var offset = 0
            while offset < bytes.count {
                let count = min(bytes.count - offset, 1 << 30)
                g_checksum_update(checksum, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: guchar.self), gssize(count))
                offset += count
            }
        }
        return String(cString: g_checksum_get_string(checksum))
    }

    /// libcrypto's one-shot `SHA256(data, length, digest)`.
    typealias Digest = @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?) -> UnsafeMutablePointer<UInt8>?
    static let libcrypto: Digest? = {
        for name in ["libcrypto.so.3", "libcrypto.so"] {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, "SHA256") {
                return unsafeBitCast(symbol, to: Digest.self)
            }
        }
        return nil
    }()
}
