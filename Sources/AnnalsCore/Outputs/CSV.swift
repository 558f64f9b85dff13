import Foundation

/// A CSV file as RFC 4180 has it: comma-separated fields, CRLF line ends,
/// and a field quoted (its quotes doubled) when it holds a comma, a quote
/// or a line break. NULL is an empty field.
///
/// Built as UTF-8 bytes: an archive's values.csv has a row per figure.
public struct CSV: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the current row has a field yet.
    private var rowStarted = false

    public init(header: [String]) {
        append(header)
    }

    /// No header: rows, or fields to splice into rows with `append(fields:)`.
    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// A whole row.
    public mutating func append(_ fields: [String?]) {
        for field in fields { append(field: field) }
        endRow()
    }

    /// The next field of the current row.
    public mutating func append(field: String?) {
        guard var field else { return append(field: nil as UnsafeBufferPointer<UInt8>?) }
        field.withUTF8 { append(field: $0) }
    }

    /// The next field of the current row, as UTF-8.
    public mutating func append(field utf8: UnsafeBufferPointer<UInt8>?) {
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        rowStarted = true
        guard let utf8 else { return }
        // Bytes, not characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// The fields of another CSV's current row (which it has not ended), as
    /// they are: fields that begin every row of a group, made once.
    public mutating func append(fields other: CSV) {
        guard !other.bytes.isEmpty || other.rowStarted else { return }
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: other.bytes)
        rowStarted = true
    }

    /// Whole rows made by another CSV (without a header), as they are.
    public mutating func append(rows other: CSV) {
        precondition(!rowStarted && !other.rowStarted, "rows are appended between rows")
        bytes.append(contentsOf: other.bytes)
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        rowStarted = false
    }
}
