import AnnalsCore
import Foundation
import Testing

/// Words of known pages of the born-digital samples, checked by hand against
/// the seed text in ../shared/seeds (see samples/README.md for which seed each
/// sample comes from).
@Suite struct SampleWordsTests {
    /// One statement row to find on a page: its label, then the number words
    /// expected right of it, in order, as printed.
    struct Row: Sendable, CustomTestStringConvertible {
        var sample: String
        var page: Int
        var label: String
        var numbers: [String]
        var testDescription: String { "\(sample.prefix(1)) p\(page) \(label)" }
    }

    static let rows: [Row] = [
        // A, Södra Norrbotten interim 2020: seed 000, "Resultaträkning … Belopp i kr";
        // numbers set with no-break spaces, which poppler reports as gaps.
        Row(sample: A, page: 19, label: "Verksamhetens kostnader", numbers: ["2", "-1", "975", "068", "-2", "494", "241"]),
        Row(sample: A, page: 19, label: "Periodens resultat", numbers: ["524", "933"]),
        Row(sample: A, page: 19, label: "SUMMA EGET KAPITAL", numbers: ["4", "845", "484", "1", "030", "361"]),
        // B, Pyramis Luleå 2019: seed 001, "Resultaträkning … Belopp i kr."
        Row(sample: B, page: 18, label: "Verksamhetens kostnader", numbers: ["2", "2", "494", "227", "2", "031", "372"]),
        Row(sample: B, page: 18, label: "Årets resultat", numbers: ["5", "759", "-431", "372"]),
        Row(sample: B, page: 19, label: "Korta fordringar", numbers: ["3", "379", "906", "667", "878"]),
        Row(sample: B, page: 19, label: "Summa eget kapital och skulder", numbers: ["1", "706", "877", "1", "526", "254"]),
        // C, Södra Norrbotten 2023: seed 002; negatives are set with U+2212.
        Row(sample: C, page: 31, label: "Verksamhetens kostnader", numbers: ["2", "\u{2212}9", "335", "665", "\u{2212}7", "181", "575"]),
        Row(sample: C, page: 31, label: "Resultat efter finansiella poster", numbers: ["\u{2212}725", "256", "\u{2212}605", "111"]),
        Row(sample: C, page: 31, label: "Utgående eget kapital", numbers: ["964", "473", "179", "342", "785", "131", "1", "689", "729"]),
        // D, Huddinge Botkyrka Salem 2018 (tkr): seed 004 with the OCR damage
        // undone (`18123` → `1 812,3`); thin spaces group the thousands.
        Row(sample: D, page: 20, label: "Verksamhetens medlemsavgifter", numbers: ["1", "15", "400,0", "16", "008,0"]),
        Row(sample: D, page: 20, label: "Fordringar", numbers: ["2", "2", "580,0", "1", "812,3"]),
        Row(sample: D, page: 20, label: "Kassa och banktillgodohavande", numbers: ["12", "161,6", "13", "982,2"]),
    ]

    static let A = "A-sodra-norrbotten-2020-delarsrapport.pdf"
    static let D = "D-huddinge-botkyrka-salem-2018-arsredovisning.pdf"
    static let B = "B-pyramis-lulea-2019-arsredovisning.pdf"
    static let C = "C-sodra-norrbotten-2023-arsredovisning.pdf"

    @Test(arguments: rows)
    func statementRowHasItsNumbersRightOfItsLabel(_ row: Row) throws {
        let page = try PDFDocument(contentsOf: Fixtures.sample(row.sample)).text(ofPage: row.page)
        let labelWords = row.label.split(separator: " ").map(String.init)
        // The table row, not a sentence of prose that starts the same way.
        let line = try #require(page.lines().first { line in
            line.words.count > labelWords.count
                && Array(line.words.prefix(labelWords.count).map(\.text)) == labelWords
                && line.words.dropFirst(labelWords.count).allSatisfy { $0.text.allSatisfy { "0123456789-\u{2212},".contains($0) } }
        }, "no table row \(row.label) on page \(row.page)")
        let label = line.words.prefix(labelWords.count)
        let rest = Array(line.words.dropFirst(labelWords.count))
        #expect(rest.map(\.text) == row.numbers)
        let labelRight = label.map(\.box.x1).max()!
        for word in rest {
            #expect(word.box.x0 > labelRight, "\(word.text) at x0 \(word.box.x0) is not right of the label (x1 \(labelRight))")
            // Same row: the number's box overlaps the label's vertically.
            #expect(word.box.verticalOverlap(with: label.first!.box) > 0.5 * word.box.height)
        }
    }

    @Test func resultatrakningTitleSitsAboveItsTable() throws {
        let page = try PDFDocument(contentsOf: Fixtures.sample(Self.B)).text(ofPage: 18)
        let lines = page.lines()
        let title = try #require(lines.first { $0.text == "Resultaträkning" })
        let costs = try #require(lines.first { $0.text.hasPrefix("Verksamhetens kostnader") })
        let number = try #require(costs.words.first { $0.text == "494" })
        #expect(title.box.y1 < costs.box.y0)
        #expect(number.box.x0 > title.box.x1)
        #expect(title.words.allSatisfy { $0.isBold })
        #expect(!costs.words[0].isBold)
        #expect(title.words[0].fontSize == 11.5)
        #expect(costs.words[0].fontSize == 10)
    }

    @Test(arguments: [
        (B, 18, ["Årets", "förbättring", "jämförelse", "föregående", "rörelsekostnaderna", "Bidragen", "ökat", "Utgående", "Extraordinära"]),
        (C, 31, ["Årsredovisning", "Södra", "Utgående", "Extraordinära", "intäkter"]),
        (A, 19, ["Övriga", "Överfört", "Älvsbyn", "Piteå", "Resultaträkning", "Balansräkning"]),
        (D, 20, ["Resultaträkning", "Intäkter", "Övriga", "Omsättningstillgångar", "Långfristiga", "Årets", "före"]),
    ])
    func swedishLettersAreIntact(_ sample: String, _ number: Int, _ expected: [String]) throws {
        let page = try PDFDocument(contentsOf: Fixtures.sample(sample)).text(ofPage: number)
        let texts = Set(page.words.map(\.text))
        for word in expected {
            let found = texts.contains(word)
            #expect(found, "\(word) missing on page \(number)")
        }
        // Decomposed forms (a + combining ring) would compare equal in Swift but
        // break byte-wise consumers: the text must be precomposed, as printed.
        for word in page.words where word.text.unicodeScalars.contains(where: { (0x300...0x36F).contains($0.value) }) {
            Issue.record("\(word.text) holds a combining mark")
        }
    }

    @Test func minusSignU2212Survives() throws {
        let page = try PDFDocument(contentsOf: Fixtures.sample(Self.C)).text(ofPage: 31)
        let minus = page.words.filter { $0.text.unicodeScalars.first == "\u{2212}" }
        #expect(minus.count >= 10)
        #expect(!page.words.contains { $0.text.hasPrefix("-") && $0.text.count > 1 && $0.text.dropFirst().allSatisfy(\.isNumber) })
    }

    @Test func wordBoxesSitOnTheInk() throws {
        let document = try PDFDocument(contentsOf: Fixtures.sample(Self.B))
        let page = try document.text(ofPage: 18)
        let image = try document.renderGrey(page: 18, dpi: 150)
        // Every word box holds ink …
        for word in page.words {
            #expect(image.inkFraction(in: word.box, threshold: 160) > 0.02, "no ink under \(word.text) at \(word.box)")
        }
        // … and nearly all the page's ink is inside some word box (the rest is
        // table rules and the header rule).
        var inside = 0, total = 0
        let boxes = page.words.map { image.pixelRange(of: Rect(x0: $0.box.x0 - 1, y0: $0.box.y0 - 1, x1: $0.box.x1 + 1, y1: $0.box.y1 + 1)) }
        for y in 0..<image.height {
            for x in 0..<image.width where image.pixels[y * image.width + x] < 160 {
                total += 1
                if boxes.contains(where: { $0.xs.contains(x) && $0.ys.contains(y) }) { inside += 1 }
            }
        }
        #expect(total > 10_000)
        #expect(Double(inside) / Double(total) > 0.9, "only \(inside) of \(total) dark pixels fall in word boxes")
    }

    @Test func pageSizeIsA4Portrait() throws {
        let document = try PDFDocument(contentsOf: Fixtures.sample(Self.B))
        #expect(document.pageCount == 34)
        let page = try document.text(ofPage: 1)
        #expect(abs(page.width - 595.28) < 0.1 && abs(page.height - 841.89) < 0.1)
        #expect(page.rotation == 0)
    }
}

/// The scanned twins are image-only: OCR's input, with nothing for the text layer.
@Suite struct ScannedSampleTests {
    @Test(arguments: [
        ("B-pyramis-lulea-2019-arsredovisning.scan.pdf", "B-pyramis-lulea-2019-arsredovisning.pdf"),
        ("D-huddinge-botkyrka-salem-2018-arsredovisning.scan.pdf", "D-huddinge-botkyrka-salem-2018-arsredovisning.pdf"),
    ])
    func scanHasItsTwinsPagesAndNoText(_ scan: String, _ twin: String) throws {
        let scanned = try PDFDocument(contentsOf: Fixtures.sample(scan))
        let original = try PDFDocument(contentsOf: Fixtures.sample(twin))
        #expect(scanned.pageCount == original.pageCount)
        for number in [1, scanned.pageCount / 2, scanned.pageCount] {
            let page = try scanned.text(ofPage: number)
            #expect(page.words.isEmpty, "page \(number) of \(scan) has a text layer")
            // A4 give or take the raster's rounding.
            #expect(abs(page.width - 595.3) < 1.5 && abs(page.height - 841.9) < 1.5)
            // The page is not blank: the scan holds the printed page.
            let image = try scanned.renderGrey(page: number, dpi: 50)
            #expect(image.inkFraction(in: Rect(x0: 0, y0: 0, x1: page.width, y1: page.height), threshold: 128) > 0.002)
        }
    }
}
