import Foundation

/// A paragraph of running text, with the heading it stands under and its
/// words, so that a figure found in it can be traced to its box.
public struct Paragraph: Sendable, Hashable {
    public var text: String
    public var heading: String?
    public var page: Int
    /// Each word and the character range it fills in `text`.
    public var words: [(word: Word, range: NSRange)]

    public static func == (a: Paragraph, b: Paragraph) -> Bool { a.text == b.text && a.page == b.page }
    public func hash(into hasher: inout Hasher) { hasher.combine(text); hasher.combine(page) }

    /// The box of the words a character range touches.
    public func box(of range: NSRange) -> Rect? {
        let touched = words.filter { NSIntersectionRange($0.range, range).length > 0 }.map(\.word.box)
        guard let first = touched.first else { return nil }
        return touched.dropFirst().reduce(first) { $0.union($1) }
    }
}

/// Cuts pages into headings and paragraphs, leaving out tables and the
/// running header and footer.
public struct ProseReader: Sendable {
    public init() {}

    public func paragraphs(in pages: [PageText], excluding tables: [Table]) -> [Paragraph] {
        var result: [Paragraph] = []
        var heading: String?
        var headingLine: (page: Int, box: Rect)?
        let bodySize = Self.bodySize(pages)
        for page in pages {
            let tableBoxes = tables.filter { $0.page == page.number }.map(\.bbox)
                + tables.flatMap { table in table.rows.filter { $0.page == page.number && table.page != page.number }
                    .compactMap { row in row.labelBox.map { label in row.cells.compactMap { $0?.bbox }.reduce(label) { $0.union($1) } } } }
            var current: [Line] = []
            func flush() {
                guard !current.isEmpty else { return }
                result.append(Self.paragraph(current, heading: heading, page: page.number))
                current = []
            }
            for line in page.lines() {
                // Running header and page number.
                if line.box.y1 < 0.07 * page.height || line.box.y0 > 0.93 * page.height { continue }
                if tableBoxes.contains(where: { $0.verticalOverlap(with: line.box) > 0.5 * line.box.height
                    && line.box.x0 >= $0.x0 - 5 && line.box.x1 <= $0.x1 + 5 }) {
                    flush()
                    continue
                }
                let size = line.words.compactMap(\.fontSize).max() ?? bodySize
                let bold = line.words.allSatisfy(\.isBold)
                if size > bodySize * 1.1 || (bold && line.words.count <= 12) {
                    // A heading set on two lines continues the one just above it.
                    if current.isEmpty, let previous = headingLine, previous.page == page.number,
                       line.box.y0 - previous.box.y1 < 0.6 * line.box.height, let text = heading {
                        heading = text + " " + line.text
                    } else {
                        flush()
                        heading = line.text
                    }
                    headingLine = (page.number, line.box)
                    continue
                }
                headingLine = nil
                if let last = current.last {
                    let step = line.box.y0 - last.box.y0
                    if step > 1.7 * last.box.height || abs(line.box.x0 - last.box.x0) > 30 && step > 1.3 * last.box.height {
                        flush()
                    }
                }
                current.append(line)
            }
            flush()
        }
        return result
    }

    static func bodySize(_ pages: [PageText]) -> Double {
        var counts: [Double: Int] = [:]
        for page in pages { for word in page.words { if let s = word.fontSize { counts[s, default: 0] += 1 } } }
        return counts.max { $0.value < $1.value }?.key ?? 10
    }

    static func paragraph(_ lines: [Line], heading: String?, page: Int) -> Paragraph {
        // Built as UTF-8 bytes (every page's prose passes through here).
        var text: [UInt8] = []
        // The UTF-16 length of `text` (what NSString counts), kept as it grows.
        var length = 0
        var words: [(word: Word, range: NSRange)] = []
        for line in lines {
            for word in line.words {
                let piece = word.text
                if !text.isEmpty {
                    // A word broken at the line end joins its other half.
                    if text.last == UInt8(ascii: "-"), let first = piece.first, first.isLowercase {
                        text.removeLast()
                        length -= 1
                    } else {
                        text.append(UInt8(ascii: " "))
                        length += 1
                    }
                }
                let start = length
                let pieceLength = piece.utf16.count
                text.append(contentsOf: piece.utf8)
                length += pieceLength
                words.append((word, NSRange(location: start, length: pieceLength)))
            }
        }
        return Paragraph(text: String(decoding: text, as: UTF8.self), heading: heading, page: page, words: words)
    }
}
