import AnnalsCore
import Testing

@Suite struct LineTests {
    private func word(_ text: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Word {
        Word(text: text, box: Rect(x0: x0, y0: y0, x1: x1, y1: y1), fontSize: y1 - y0)
    }

    @Test func groupsWordsOnOneBaselineLeftToRight() {
        let page = PageText(number: 1, width: 595, height: 842, rotation: 0, words: [
            word("2 494 227", 380, 188.6, 420, 198.6),
            word("Verksamhetens", 74, 188.6, 137, 198.6),
            word("Avskrivningar", 74, 203.6, 128, 213.6),
            word("kostnader", 139, 188.6, 180, 198.6),
        ])
        let lines = page.lines()
        #expect(lines.map(\.text) == ["Verksamhetens kostnader 2 494 227", "Avskrivningar"])
        #expect(lines[0].box == Rect(x0: 74, y0: 188.6, x1: 420, y1: 198.6))
    }

    @Test func toleratesSkewAndSuperscripts() {
        // A scan skewed by half a degree drops ~4 pt over a 450 pt line; a
        // footnote mark sits 3 pt high in a smaller size.
        let page = PageText(number: 1, width: 595, height: 842, rotation: 0, words: [
            word("Soliditet", 74, 300, 115, 310),
            word("*", 116, 298, 120, 305),
            word("70%", 480, 303.5, 500, 313.5),
            word("Antal", 74, 315, 100, 325),
        ])
        #expect(page.lines().map(\.text) == ["Soliditet * 70%", "Antal"])
    }

    @Test func keepsCloseButSeparateLinesApart() {
        // 12 pt leading with 10 pt glyph boxes: 2 pt apart, never merged.
        let words = (0..<5).map { i in word("rad\(i)", 74, 100 + Double(i) * 12, 100, 110 + Double(i) * 12) }
        let page = PageText(number: 1, width: 595, height: 842, rotation: 0, words: words.reversed())
        #expect(page.lines().map(\.text) == ["rad0", "rad1", "rad2", "rad3", "rad4"])
    }

    @Test func emptyPageHasNoLines() {
        #expect(PageText(number: 1, width: 595, height: 842, rotation: 0, words: []).lines().isEmpty)
    }

    @Test func rectEncodesAsTheContractsBbox() throws {
        let rect = Rect(x0: 312.4, y0: 501.2, x1: 371.0, y1: 511.9)
        let json = String(decoding: try JSONEncoder().encode(rect), as: UTF8.self)
        #expect(json == "[312.4,501.2,371,511.9]")
        #expect(try JSONDecoder().decode(Rect.self, from: Data(json.utf8)) == rect)
    }
}

import Foundation
