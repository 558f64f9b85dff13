import AnnalsCore
import Foundation
import Testing

/// OCR of scanned pages into the same words as the text layer.
@Suite struct OCRTests {
    static let scan = "D-huddinge-botkyrka-salem-2018-arsredovisning.scan.pdf"
    static let twin = "D-huddinge-botkyrka-salem-2018-arsredovisning.pdf"

    @Test func scannedPagesNeedOCRAndBornDigitalOnesDoNot() throws {
        let scanned = try PDFDocument(contentsOf: Fixtures.sample(Self.scan))
        let born = try PDFDocument(contentsOf: Fixtures.sample(Self.twin))
        #expect(OCRReader.needsOCR(try scanned.text(ofPage: 20), imageCoverage: try scanned.imageCoverage(ofPage: 20)))
        #expect(try scanned.imageCoverage(ofPage: 20) > 0.95)
        #expect(!OCRReader.needsOCR(try born.text(ofPage: 20), imageCoverage: try born.imageCoverage(ofPage: 20)))
        // A text layer of private-use glyphs (a font without a ToUnicode map) is garbage.
        let garbage = PageText(number: 1, width: 595, height: 842, rotation: 0, words: (0..<40).map { i in
            Word(text: "\u{E001}\u{E002}\u{E003}", box: Rect(x0: 70, y0: Double(i) * 15, x1: 100, y1: Double(i) * 15 + 10))
        })
        #expect(OCRReader.needsOCR(garbage, imageCoverage: 0))
    }

    /// The balance sheet page of D's scan, read by OCR, has the words of its
    /// born-digital twin where the twin has them: the same figures within a
    /// few points, after the scan's 0.6° skew is undone.
    @Test func ocrWordsLandWhereTheTwinsWordsAre() throws {
        let reader = OCRReader(mode: .always, dpi: 300, jobs: 1)
        let scanned = try PDFDocument(contentsOf: Fixtures.sample(Self.scan))
        let page = try reader.read(Fixtures.sample(Self.scan), textPages: [try scanned.text(ofPage: 20)]).pages[0]
        let twin = try PDFDocument(contentsOf: Fixtures.sample(Self.twin)).text(ofPage: 20)
        #expect(page.words.count > 100)
        #expect(page.words.allSatisfy { ($0.confidence ?? -1) >= 0 && ($0.confidence ?? 2) <= 1 })
        var near = 0, compared = 0
        for word in twin.words where ["Resultaträkning", "Balansräkning", "Kassa", "14", "741,6", "161,6", "Årets"].contains(word.text) {
            compared += 1
            if page.words.contains(where: { $0.text == word.text && abs($0.box.midX - word.box.midX) < 4 && abs($0.box.midY - word.box.midY) < 4 }) {
                near += 1
            }
        }
        #expect(compared >= 8)
        #expect(Double(near) >= 0.8 * Double(compared), "\(near) of \(compared) words found within 4 pt")
    }

    /// A document whose first page has a text layer and whose second is a
    /// scan: only the second is OCR'd, and both give facts.
    @Test func mixedDocumentIsReadPageByPage() throws {
        let folder = try Fixtures.temporaryDirectory()
        let first = folder.appendingPathComponent("p1.pdf"), second = folder.appendingPathComponent("p2.pdf")
        let mixed = folder.appendingPathComponent("mixed.pdf")
        try Self.tool("pdfseparate", ["-f", "20", "-l", "20", Fixtures.sample(Self.twin).path, first.path])
        try Self.tool("pdfseparate", ["-f", "21", "-l", "21", Fixtures.sample(Self.scan).path, second.path])
        try Self.tool("pdfunite", [first.path, second.path, mixed.path])
        let mappings = try MappingLoader.load(directory: Fixtures.root.appendingPathComponent("mappings"))
        var extraction = ReportExtraction(mappings: mappings, layout: "huddinge-botkyrka-salem-2018")
        extraction.ocr = OCRReader(mode: .auto, jobs: 1)
        let report = try extraction.run(file: mixed)
        #expect(report.source.textPages == [1])
        #expect(report.source.ocrPages == [2])
        #expect(report.warnings.contains { $0.code == "ocr_page" && $0.pages == [2] })
        // Page 1 (text layer): the income statement; page 2 (OCR): the cash flow statement and notes.
        #expect(report.facts.contains { $0.source.page == 1 && $0.concept == "income_statement.member_contributions" && $0.value == 15_400_000 })
        let ocrFacts = report.facts.filter { $0.source.page == 2 }
        #expect(ocrFacts.count > 10)
        #expect(ocrFacts.contains { $0.concept == "cash_flow.cash_at_end" && $0.value == 12_161_600 })
        #expect(ocrFacts.allSatisfy { $0.confidence <= 0.99 })
    }

    @Test func missingLanguageDataIsAClearError() throws {
        var reader = OCRReader(mode: .always, jobs: 1)
        reader.language = "xx-none"
        let scanned = try PDFDocument(contentsOf: Fixtures.sample(Self.scan))
        #expect(throws: OCRError.self) { try reader.read(Fixtures.sample(Self.scan), textPages: [try scanned.text(ofPage: 1)]) }
        let message = OCRError.languageMissing(language: "swe", reason: "swe.traineddata not found").description
        #expect(message.contains("apt-get install tesseract-ocr tesseract-ocr-swe"))
    }

    static func tool(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(name) failed")
    }
}

/// The scanned twins against their born-digital originals: the measure of
/// how far OCR is from the acceptance (every statement value, 97 % of all).
/// The floors below (statement values, all values) are today's levels, kept
/// from sliding back while the OCR path is improved; the messages list what
/// still differs.
@Suite struct ScannedTwinTests {
    @Test(arguments: [
        ("D-huddinge-botkyrka-salem-2018-arsredovisning", 54, 303),
        ("B-pyramis-lulea-2019-arsredovisning", 60, 165),
    ])
    func scanGivesTheTwinsStatementValues(_ name: String, _ floor: Int, _ allFloor: Int) throws {
        let mappings = try MappingLoader.load(directory: Fixtures.root.appendingPathComponent("mappings"))
        let born = try ReportExtraction(mappings: mappings).run(file: Fixtures.sample("\(name).pdf"))
        let scanned = try ReportExtraction(mappings: mappings).run(file: Fixtures.sample("\(name).scan.pdf"))
        #expect(scanned.source.ocrPages.count == born.source.pages)
        #expect(scanned.layout.id == born.layout.id)
        // Dimensions in key order: two dictionaries with the same entries may list them differently.
        func key(_ v: ConsolidatedValue) -> String {
            "\(v.concept) \(v.dims.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }) \(v.period) \(v.scenario)"
        }
        let factTable = Dictionary(born.facts.map { ($0.id, $0.source.table ?? "") }, uniquingKeysWith: { a, _ in a })
        let statements = born.values.filter { value in
            ["Resultaträkning", "Balansräkning", "Kassaflödesanalys"].contains { factTable[value.facts[0]]?.hasPrefix($0) == true }
        }
        let scannedValues = Dictionary(scanned.values.map { (key($0), $0.value) }, uniquingKeysWith: { a, _ in a })
        let differing = statements.filter { scannedValues[key($0)] != $0.value }
        let right = statements.count - differing.count
        let all = born.values.filter { scannedValues[key($0)] == $0.value }.count
        print("\(name): OCR statement values \(right)/\(statements.count), all values \(all)/\(born.values.count)")
        #expect(right >= floor, "\(right)/\(statements.count); differing: \(differing.map { "\(key($0)) \($0.value) → \(scannedValues[key($0)].map { "\($0)" } ?? "missing")" })")
        let others = born.values.filter { scannedValues[key($0)] != $0.value }
        #expect(all >= allFloor, "\(all)/\(born.values.count); differing: \(others.map { "\(key($0)) \($0.value) → \(scannedValues[key($0)].map { "\($0)" } ?? "missing")" })")
    }
}
