import AnnalsCore
import Foundation

/// The batch folder's flat files, written from the database so they always
/// describe the whole archive, including documents of earlier runs.
struct BatchExports {
    var archive: Archive

    /// - Parameter made: rows made before, by report (`Archive.valuesCSVRows`).
    func writeValues(into folder: URL, reusing made: [String: CSV] = [:]) throws {
        try writeAtomically(Data(archive.valuesCSV(reusing: made).bytes), to: folder.appendingPathComponent("values.csv"))
    }

    func writeWarningsAndSummary(into folder: URL) throws {
        let warnings = Data(try archive.warningsCSV().bytes), summary = Data(try summary().utf8)
        // Each file waits for its sync to disk: the two waits at once.
        let summaryWritten = Background { try writeAtomically(summary, to: folder.appendingPathComponent("summary.txt")) }
        try writeAtomically(warnings, to: folder.appendingPathComponent("warnings.csv"))
        try summaryWritten.value()
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
