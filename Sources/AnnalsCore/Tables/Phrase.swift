/// Words of one line that belong together: a label, a header cell, a figure
/// whose digit groups are separate words (`2`, `494`, `227`).
struct Phrase: Sendable, Hashable {
    var words: [Word]
    var text: String
    var box: Rect
    var value: CellValue

    init(words: [Word]) {
        self.words = words
        self.text = words.count == 1 ? words[0].text : words.map(\.text).joined(separator: " ")
        self.box = words.dropFirst().reduce(words[0].box) { $0.union($1.box) }
        self.value = CellValue(parsing: text)
    }

    var isNumber: Bool { value.kind == .number }
    var isEmptyMarker: Bool { value.kind == .empty }
    /// A figure, an empty marker, or OCR-damaged digits: what a number column holds.
    var isFigureLike: Bool { isNumber || isEmptyMarker || value.irregular }
    /// A cell that opens with a figure: `42 % (5 av 12)`, `23 % (27 av 119)`.
    /// Counts as a figure when placing cells, never when reading a label.
    var startsWithFigure: Bool {
        guard let first = words.first, Line.isFigureWord(first.text) else { return false }
        return true
    }
    var isCellLike: Bool { isFigureLike || startsWithFigure }
    var isBold: Bool { words.filter(\.isBold).count * 2 > words.count }

    /// A year as a column header prints it: 2019, not 2 019 or 2019,0.
    var isYear: Bool {
        guard isNumber, !value.isPercent, value.decimals == 0, let v = value.value else { return false }
        if text.count == 4 { return v >= 1990 && v <= 2100 }
        // OCR: a speck read as a fifth digit ("20177"); only ever taken as a
        // year where the whole line is a header of years.
        if text.count == 5, let year = Int(text.prefix(4)), (1990...2100).contains(year), words.first?.confidence != nil {
            return true
        }
        return false
    }
}

/// A line cut into phrases at wide gaps.
struct PhraseLine: Sendable {
    var line: Line
    var phrases: [Phrase]
    var page: Int
    var pageWidth: Double

    var box: Rect { line.box }
    /// The height of the line's typical glyph box.
    var height: Double {
        let heights = line.words.map(\.box.height).sorted()
        return heights[heights.count / 2]
    }
}

extension Line {
    /// Cuts the line where the gap between words is wider than `gap` × glyph
    /// height. A run of figure words (`2 494 227 2 031 372`, two columns set
    /// close together) is then cut into figures by Swedish digit grouping: a
    /// figure is a lead group of 1–3 digits and groups of exactly three.
    func phrases(gap: Double) -> [Phrase] {
        var groups: [[Word]] = []
        var lastIsFigure = false
        for word in words {
            let isFigure = Line.isFigureWord(word.text)
            defer { lastIsFigure = isFigure }
            guard let last = groups.last?.last else {
                groups.append([word])
                continue
            }
            // Between a figure and a word, more than about two spaces is a
            // cell boundary (`20` then `Ingen redovisning` in the next column);
            // prose puts one space there (`2 494 227 kr`).
            let mixed = lastIsFigure != isFigure
            let limit = (mixed ? min(gap, 0.45) : gap) * max(last.box.height, word.box.height)
            if word.box.x0 - last.box.x1 <= limit {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
        }
        return groups.flatMap(Line.splitFigures).map(Phrase.init(words:))
    }

    /// Splits a phrase made only of figure words into its figures.
    static func splitFigures(_ words: [Word]) -> [[Word]] {
        guard words.count > 1, words.allSatisfy({ isFigureWord($0.text) }) else { return [words] }
        var figures: [[Word]] = []
        for word in words {
            if let current = figures.last, continues(current.map(\.text), with: word.text) {
                figures[figures.count - 1].append(word)
            } else {
                figures.append([word])
            }
        }
        return figures
    }

    /// A word that can be part of a figure: digits with an optional sign,
    /// parentheses, decimal comma, percent or footnote mark.
    static func isFigureWord(_ text: String) -> Bool {
        // On the UTF-8 bytes: the signs that may lead are `(`, `-`, `+` and
        // U+2212, U+2013 (E2 88 92, E2 80 93); every other character allowed
        // is one ASCII byte, so a byte outside them (a letter, a combining
        // mark) answers no, as the character would.
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: "(") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
                    i += 1
                } else if b == 0xE2, i + 2 < n,
                          (bytes[i + 1] == 0x88 && bytes[i + 2] == 0x92) || (bytes[i + 1] == 0x80 && bytes[i + 2] == 0x93) {
                    i += 3
                } else {
                    break
                }
            }
            guard i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 else { return false }
            i += 1
            while i < n {
                let b = bytes[i]
                guard (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ",") || b == UInt8(ascii: "%")
                        || b == UInt8(ascii: ")") || b == UInt8(ascii: "*") else { return false }
                i += 1
            }
            return true
        }
    }

    /// Whether `next` is the next digit group of the figure `parts`: exactly
    /// three digits with nothing before it, optionally ending the figure with
    /// decimals, `%`, `)` or `*`; and `parts` is still open (a lead group of
    /// 1–3 digits, full groups after it, no decimals or marks yet).
    static func continues(_ parts: [String], with next: String) -> Bool {
        guard let first = parts.first else { return false }
        let lead = first.drop { "(-\u{2212}\u{2013}+".contains($0) }
        guard (1...3).contains(lead.count), lead.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        guard parts.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return false
        }
        let digits = next.prefix { $0.isASCII && $0.isNumber }
        guard digits.count == 3 else { return false }
        let rest = next.dropFirst(3)
        guard let mark = rest.first else { return true }
        return (mark == "," && rest.count > 1 && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
            || rest == "%" || rest == ")" || rest.allSatisfy { $0 == "*" }
    }
}
