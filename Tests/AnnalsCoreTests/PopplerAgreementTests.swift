import AnnalsCore
import Foundation
import Testing

/// Our words against poppler's own word segmentation (`pdftotext -bbox`, from
/// poppler-utils, a different code path: TextOutputDev's word list rather than
/// the glib character layout we split ourselves). Every word must match in
/// text and box, on every page of every born-digital sample.
@Suite struct PopplerAgreementTests {
    static let samples = [
        "A-sodra-norrbotten-2020-delarsrapport.pdf",
        "B-pyramis-lulea-2019-arsredovisning.pdf",
        "C-sodra-norrbotten-2023-arsredovisning.pdf",
        "D-huddinge-botkyrka-salem-2018-arsredovisning.pdf",
    ]

    struct ReferenceWord { var text: String; var box: Rect }

    /// Runs `pdftotext -bbox` and parses its XHTML: one `<page>` per page,
    /// `<word xMin= yMin= xMax= yMax=>text</word>` inside.
    static func reference(_ url: URL) throws -> [[ReferenceWord]] {
        let html = try Fixtures.run(["-bbox", url.path, "-"], executable: URL(fileURLWithPath: "/usr/bin/pdftotext")).stdout
        return html.components(separatedBy: "<page ").dropFirst().map { page in
            page.components(separatedBy: "<word ").dropFirst().map { chunk in
                func attribute(_ name: String) -> Double {
                    let start = chunk.range(of: "\(name)=\"")!.upperBound
                    return Double(chunk[start...].prefix { $0 != "\"" })!
                }
                let text = chunk[chunk.range(of: ">")!.upperBound...].prefix { $0 != "<" }
                let unescaped = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
                return ReferenceWord(text: unescaped, box: Rect(x0: attribute("xMin"), y0: attribute("yMin"),
                                                                 x1: attribute("xMax"), y1: attribute("yMax")))
            }
        }
    }

    @Test(arguments: samples)
    func wordsMatchPdftotext(_ name: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"),
                     "pdftotext missing: run scripts/setup (it installs poppler-utils)")
        let url = Fixtures.sample(name)
        let reference = try Self.reference(url)
        let document = try PDFDocument(contentsOf: url)
        #expect(reference.count == document.pageCount)
        var total = 0, matched = 0, extra = 0
        var misses: [String] = []
        for (index, expected) in reference.enumerated() {
            var ours = try document.text(ofPage: index + 1).words
            for word in expected {
                total += 1
                if let i = ours.firstIndex(where: { $0.text == word.text && Self.close($0.box, word.box) }) {
                    ours.remove(at: i)
                    matched += 1
                } else if misses.count < 10 {
                    misses.append("p\(index + 1) \(word.text) \(word.box)")
                }
            }
            extra += ours.count
        }
        #expect(total > 5_000)
        #expect(matched == total, "\(total - matched) of \(total) words differ, e.g. \(misses)")
        #expect(extra == 0, "\(extra) words that pdftotext does not have")
    }

    /// Boxes agree within 1.5 pt: pdftotext measures a word from its glyph
    /// origins and advances, the character layout from glyph boxes.
    static func close(_ a: Rect, _ b: Rect) -> Bool {
        abs(a.x0 - b.x0) < 1.5 && abs(a.y0 - b.y0) < 1.5 && abs(a.x1 - b.x1) < 1.5 && abs(a.y1 - b.y1) < 1.5
    }
}
