/// Font runs over the characters of a page's text (poppler's text attributes).
///
/// Names are kept once, runs refer to them by index: every character looks
/// up its run, and an index costs no reference counting.
struct FontRuns {
    struct Run { var start: Int; var end: Int; var name: Int?; var size: Double }
    private(set) var runs: [Run] = []
    /// The distinct font names of the page.
    private(set) var names: [String] = []

    init() {}

    /// Adds the run of characters `start...end`.
    mutating func append(start: Int, end: Int, name: String?, size: Double) {
        var index: Int?
        if let name {
            // A page has a handful of fonts; the last run's is the likeliest.
            index = names.lastIndex(of: name)
            if index == nil {
                names.append(name)
                index = names.count - 1
            }
        }
        runs.append(Run(start: start, end: end, name: index, size: size))
    }

    /// The runs in order of their first character.
    mutating func sort() { runs.sort { $0.start < $1.start } }

    /// The run covering character `index` (binary search over sorted runs).
    func font(at index: Int) -> Run? {
        var lo = 0, hi = runs.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if runs[mid].end < index { lo = mid + 1 }
            else if runs[mid].start > index { hi = mid - 1 }
            else { return runs[mid] }
        }
        return nil
    }
}

/// Gathers characters with their boxes into words, splitting at whitespace
/// and wherever the next glyph does not continue the previous one.
///
/// poppler's page text cannot be trusted for word ends alone: where it takes
/// two table columns for one line it may join their words with no space
/// (`Not2019-12-31`, `3379 906` for the note `3` and `379 906`). Geometry
/// settles it: inside a word each glyph starts where the last one ended.
struct WordBuilder {
    /// A horizontal gap wider than this fraction of the glyph height ends a
    /// word. A space in the fonts of these reports is 0.22–0.28 em; kerning
    /// and tracking stay under 0.05 em.
    static let gapFraction = 0.12

    private(set) var words: [Word] = []
    /// The word's characters so far, as UTF-8.
    private var text: [UInt8] = []
    private var box: Rect?
    private var last: Rect?
    /// Characters per font size and per font name in the word so far. A word
    /// has one or two of each, so a list searched from its end (the font of
    /// the last character) beats hashing every character's font.
    private var sizes: [(key: Double, value: Int)] = []
    /// Counts per index into `fontNames`.
    private var names: [(key: Int, value: Int)] = []
    /// Characters per font run, in order: runs are long, so a character
    /// costs one comparison; sizes and names are counted at the word's end.
    private var runs: [(run: FontRuns.Run, count: Int)] = []
    /// The page's font names (`FontRuns.names`).
    let fontNames: [String]

    /// - Parameter characters: how many characters will be added, if known:
    ///   the words' array is then made once (a page's words are some 60 KB;
    ///   grown by doubling, they were copied into new memory six times).
    init(fontNames: [String] = [], characters: Int = 0) {
        self.fontNames = fontNames
        // Words in these reports average seven characters with the space
        // after them (pdftotext on A, C and D); a page of figures, fewer,
        // and its array then grows once.
        words.reserveCapacity(characters / 6)
    }

    mutating func add(_ scalar: Unicode.Scalar, box charBox: Rect, font: FontRuns.Run?) {
        if WordBuilder.breaks(scalar) {
            finish()
            return
        }
        if let last, !WordBuilder.continues(last, with: charBox) { finish() }
        if scalar.value < 0x80 {
            text.append(UInt8(scalar.value))
        } else {
            UTF8.encode(scalar) { text.append($0) }
        }
        box = box.map { $0.union(charBox) } ?? charBox
        last = charBox
        if let font {
            if let last = runs.last, last.run.start == font.start, last.run.end == font.end {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((font, 1))
            }
        }
    }

    /// Adds `n` to `key`'s count (as `dictionary[key, default: 0] += n`).
    private static func count<Key: Equatable>(_ key: Key, _ n: Int, in counts: inout [(key: Key, value: Int)]) {
        var i = counts.count - 1
        while i >= 0 {
            if counts[i].key == key {
                counts[i].value += n
                return
            }
            i -= 1
        }
        counts.append((key, n))
    }

    mutating func finish() {
        defer {
            text.removeAll(keepingCapacity: true)
            box = nil
            last = nil
            sizes.removeAll(keepingCapacity: true)
            names.removeAll(keepingCapacity: true)
            runs.removeAll(keepingCapacity: true)
        }
        guard let box, !text.isEmpty else { return }
        for (run, n) in runs {
            WordBuilder.count(run.size, n, in: &sizes)
            if let name = run.name { WordBuilder.count(name, n, in: &names) }
        }
        // A word set in two sizes (a footnote mark) takes the size of most of
        // its characters. Keys are distinct, so the order of the list does not
        // change which one is the greatest.
        let size = sizes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
        let fontNames = self.fontNames
        let name = names.max {
            $0.value < $1.value || ($0.value == $1.value && fontNames[$0.key] > fontNames[$1.key])
        }.map { fontNames[$0.key] }
        words.append(Word(text: String(decoding: text, as: UTF8.self), box: box,
                          fontSize: size.map { ($0 * 100).rounded() / 100 }, fontName: name))
    }

    /// Whether a glyph at `next` continues the word whose last glyph is at `previous`:
    /// on the same baseline band, starting about where the previous one ended.
    static func continues(_ previous: Rect, with next: Rect) -> Bool {
        let height = max(previous.height, next.height, 0.1)
        let gap = next.x0 - previous.x1
        guard gap <= gapFraction * height, gap >= -0.5 * height else { return false }
        return previous.verticalOverlap(with: next) >= 0.5 * min(previous.height, next.height)
    }

    /// Spaces, tabs and line ends split words. poppler has already turned
    /// no-break and thin spaces into word gaps (see `Word`).
    static func breaks(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", "\u{000B}", "\u{000C}": return true
        default: return false
        }
    }
}
