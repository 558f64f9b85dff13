import AnnalsCore
import Foundation

/// The batch folder's flat files, written from the database so they always
/// describe the whole archive, including documents of earlier runs.
struct BatchExports {
    var archive: Archive

    func writeValues(into folder: URL) throws {
        try writeAtomically(Data(values().utf8), to: folder.appendingPathComponent("values.csv"))
    }

    func writeWarningsAndSummary(into folder: URL) throws {
        try writeAtomically(Data(warnings().utf8), to: folder.appendingPathComponent("warnings.csv"))
        try writeAtomically(Data(summary().utf8), to: folder.appendingPathComponent("summary.txt"))
    }

    /// `start/end`, or the instant, or nothing.
    static func period(start: String?, end: String?, instant: String?) -> String {
        if let instant { return instant }
        guard let start, let end else { return "" }
        return "\(start)/\(end)"
    }

    func values() throws -> String {
        var csv = CSV(header: ["file", "sha256", "organisation", "report_type", "report_period", "concept", "dims",
                               "period", "scenario", "value", "unit", "agreed", "confidence"])
        try archive.scan("""
            SELECT r.file, r.sha256, r.organisation, r.type, r.period_start, r.period_end,
                   v.concept, v.dims, v.period_start, v.period_end, v.period_instant, v.scenario, v.value_text, v.unit,
                   v.agreed, v.confidence
            FROM "values" v JOIN reports r ON r.sha256 = v.report
            ORDER BY r.file, v.rowid
            """) { c in
            csv.append([c[0], c[1], c[2], c[3], Self.period(start: c[4], end: c[5], instant: nil),
                        c[6], c[7] == "{}" ? "" : c[7], Self.period(start: c[8], end: c[9], instant: c[10]), c[11],
                        c[12], c[13], c[14] == "1" ? "true" : "false", c[15]])
        }
        return csv.text
    }

    func warnings() throws -> String {
        var csv = CSV(header: ["file", "sha256", "organisation", "code", "severity", "concept", "period",
                               "expected", "actual", "difference", "pages", "message"])
        try archive.scan("""
            SELECT r.file, r.sha256, r.organisation, w.code, w.severity, w.concept, w.period_start, w.period_end,
                   w.period_instant, w.expected, w.actual, w.difference, w.pages, w.message
            FROM warnings w JOIN reports r ON r.sha256 = w.report
            ORDER BY r.file, w.seq
            """) { c in
            csv.append([c[0], c[1], c[2], c[3], c[4], c[5], Self.period(start: c[6], end: c[7], instant: c[8]),
                        c[9], c[10], c[11], c[12], c[13]])
        }
        return csv.text
    }

    func summary() throws -> String {
        let totals = try archive.rows("""
            SELECT COUNT(*) AS documents,
                   SUM(status = 'ok') AS extracted, SUM(status = 'failed') AS failed,
                   COALESCE(SUM(pages), 0) AS pages, COALESCE(SUM(ocr_pages), 0) AS ocr_pages
            FROM reports
            """).first ?? [:]
        var text = """
            annals \(AnnalsVersion.current) batch archive
            documents: \(totals["documents"] ?? "0") (\(totals["extracted"] ?? "0") extracted, \(totals["failed"] ?? "0") failed)
            pages: \(totals["pages"] ?? "0") (\(totals["ocr_pages"] ?? "0") read by OCR)

            """
        let failed = try archive.rows("SELECT file, reason FROM reports WHERE status = 'failed' ORDER BY file")
        if !failed.isEmpty {
            text += "\nfailures:\n"
            for row in failed { text += "  \(row["file"] ?? "?"): \(row["reason"] ?? "?")\n" }
        }
        let codes = try archive.rows("""
            SELECT code, severity, COUNT(*) AS n FROM warnings GROUP BY code, severity ORDER BY n DESC, code
            """)
        text += "\nwarnings by code:\n"
        if codes.isEmpty { text += "  none\n" }
        for row in codes {
            text += "  " + (row["code"] ?? "?").padding(toLength: 32, withPad: " ", startingAt: 0)
                + (row["severity"] ?? "").padding(toLength: 9, withPad: " ", startingAt: 0) + (row["n"] ?? "0") + "\n"
        }
        return text
    }
}

/// RFC 4180: fields with a comma, quote or line break are quoted.
struct CSV {
    /// Built as UTF-8 bytes: an archive's values.csv has a row per figure.
    private var bytes: [UInt8] = []

    init(header: [String]) {
        append(header)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ fields: [String?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            guard var field else { continue }
            field.withUTF8 { utf8 in
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
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }
}
