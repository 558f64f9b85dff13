/// A word as printed on a page: a run of characters without space, with the
/// box that holds its glyphs.
///
/// poppler's text layer treats every Unicode space, no-break (U+00A0) and thin
/// (U+2009) ones included, as a gap between words: `2 494 227` comes out as
/// three words whatever space the typesetter used, each with its own box, and
/// the table stage joins digit groups by their geometry. Other characters
/// (å ä ö, U+2212 minus, en dash) come through as printed.
public struct Word: Sendable, Codable, Hashable {
    /// The characters, in reading order.
    public var text: String
    /// The union of the glyph boxes, in points (top-left origin).
    public var box: Rect
    /// The font size in points, where the PDF's text layer gives one.
    public var fontSize: Double?
    /// The font's name as embedded (e.g. `Carlito-Bold`), where given.
    public var fontName: String?
    /// OCR's confidence in the word, 0…1; nil for words of the text layer.
    public var confidence: Double?

    public init(text: String, box: Rect, fontSize: Double? = nil, fontName: String? = nil, confidence: Double? = nil) {
        self.text = text
        self.box = box
        self.fontSize = fontSize
        self.fontName = fontName
        self.confidence = confidence
    }

    /// Whether the font's name says bold (Word exports embed `…-Bold`, `…,Bold`).
    public var isBold: Bool {
        guard let fontName else { return false }
        // An ASCII name (as font names are) is searched byte by byte, which
        // for ASCII is the same search.
        let utf8 = fontName.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            var lower = Array(utf8)
            for i in lower.indices where lower[i] >= 0x41 && lower[i] <= 0x5A { lower[i] += 0x20 }
            return Word.find(Array("bold".utf8), in: lower) || Word.find(Array("black".utf8), in: lower)
                || Word.find(Array("heavy".utf8), in: lower)
        }
        let name = fontName.lowercased()
        return name.contains("bold") || name.contains("black") || name.contains("heavy")
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            var k = 1
            while k < needle.count && bytes[start + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }
}

/// The text layer of one page: its size, rotation and words.
public struct PageText: Sendable, Codable, Hashable {
    /// 1-based page number.
    public var number: Int
    /// Width and height in points, as displayed (after rotation).
    public var width: Double
    public var height: Double
    /// The page's rotation in degrees (0, 90, 180 or 270), as far as it can be known.
    public var rotation: Int
    public var words: [Word] {
        didSet { lineCache = Locked(nil) }
    }
    /// The lines grouped with the default settings, once: the layout
    /// selector, the report's identity, the tables and the prose all read them.
    var lineCache = Locked<[Line]?>(nil)

    enum CodingKeys: String, CodingKey { case number, width, height, rotation, words }

    public init(number: Int, width: Double, height: Double, rotation: Int, words: [Word]) {
        self.number = number
        self.width = width
        self.height = height
        self.rotation = rotation
        self.words = words
    }

    public static func == (a: PageText, b: PageText) -> Bool {
        a.number == b.number && a.width == b.width && a.height == b.height && a.rotation == b.rotation && a.words == b.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(rotation)
        hasher.combine(words)
    }
}
