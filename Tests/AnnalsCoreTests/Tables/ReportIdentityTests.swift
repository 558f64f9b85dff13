import AnnalsCore
import Foundation
import Testing

/// Each sample's kind and period, as its cover says (checked against the seeds:
/// 003 "redovisning av det ekonomiska utfallet 20200101–20200630", 001
/// "Årsredovisning 2019", 002 "Årsredovisning 2023", 004 "budgetåret 2018").
@Suite struct ReportIdentityTests {
    @Test(arguments: [
        ("A-sodra-norrbotten-2020-delarsrapport.pdf", ReportIdentity.Kind.interim, "2020-01-01", "2020-06-30"),
        ("B-pyramis-lulea-2019-arsredovisning.pdf", .annual, "2019-01-01", "2019-12-31"),
        ("C-sodra-norrbotten-2023-arsredovisning.pdf", .annual, "2023-01-01", "2023-12-31"),
        ("D-huddinge-botkyrka-salem-2018-arsredovisning.pdf", .annual, "2018-01-01", "2018-12-31"),
    ])
    func sampleSaysWhatItIs(_ name: String, _ kind: ReportIdentity.Kind, _ start: String, _ end: String) throws {
        let document = try PDFDocument(contentsOf: Fixtures.sample(name))
        let pages = try (1...3).map { try document.text(ofPage: $0) }
        let identity = try #require(ReportIdentity.detect(in: pages))
        #expect(identity.kind == kind)
        #expect(identity.period == .span(start: Day(iso: start)!, end: Day(iso: end)!))
        #expect(identity.page == 1, "found on page \(identity.page): \(identity.evidence)")
    }

    private func page(_ lines: [(String, Double)]) -> PageText {
        var y = 100.0
        let words = lines.flatMap { text, size -> [Word] in
            defer { y += size * 1.5 }
            var x = 72.0
            return text.split(separator: " ").map { part in
                defer { x += Double(part.count) * size * 0.5 + size * 0.25 }
                return Word(text: String(part), box: Rect(x0: x, y0: y, x1: x + Double(part.count) * size * 0.5, y1: y + size), fontSize: size)
            }
        }
        return PageText(number: 1, width: 595, height: 842, rotation: 0, words: words)
    }

    @Test func interimWithMonthRange() throws {
        let identity = try #require(ReportIdentity.detect(in: [page([("Delårsbokslut", 28), ("januari–augusti 2021", 16)])]))
        #expect(identity.kind == .interim)
        #expect(identity.period == .span(start: Day(iso: "2021-01-01")!, end: Day(iso: "2021-08-31")!))
    }

    @Test func interimWithClosingDate() throws {
        let identity = try #require(ReportIdentity.detect(in: [page([("Halvårsrapport per 2019-06-30", 24)])]))
        #expect(identity.kind == .interim)
        #expect(identity.period == .span(start: Day(iso: "2019-01-01")!, end: Day(iso: "2019-06-30")!))
    }

    @Test func noTitleNoIdentity() {
        #expect(ReportIdentity.detect(in: [page([("Protokoll från styrelsemöte", 14)])]) == nil)
    }
}
