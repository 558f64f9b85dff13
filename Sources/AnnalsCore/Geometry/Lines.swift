/// Tunables for grouping words into lines.
public struct LineSettings: Sendable, Hashable, Codable {
    /// Two words share a line when their boxes overlap vertically by at least
    /// this fraction of the shorter box's height. A fraction, not points, so the
    /// rule holds for 7 pt footnotes and 20 pt headings alike.
    public var minimumVerticalOverlap: Double = 0.5

    public init(minimumVerticalOverlap: Double = 0.5) {
        self.minimumVerticalOverlap = minimumVerticalOverlap
    }
}

/// A line of text: words that sit side by side, left to right.
public struct Line: Sendable, Codable, Hashable {
    public var words: [Word]
    public var box: Rect

    public init(words: [Word]) {
        self.words = words.sorted { $0.box.x0 < $1.box.x0 }
        self.box = self.words.dropFirst().reduce(self.words[0].box) { $0.union($1.box) }
    }

    /// The words joined by single spaces.
    public var text: String { words.map(\.text).joined(separator: " ") }
}

extension PageText {
    /// The page's words grouped into lines, top to bottom.
    ///
    /// Words are taken in order of their vertical centre; each joins the line
    /// it overlaps most, so a slightly skewed scan or a superscript stays on
    /// its line, while two columns at the same height share one line (the
    /// table stage splits columns, not this one).
    public func lines(_ settings: LineSettings = LineSettings()) -> [Line] {
        guard settings == LineSettings() else { return grouped(settings) }
        if let cached = lineCache.value { return cached }
        let lines = grouped(settings)
        lineCache.update { $0 = lines }
        return lines
    }

    private func grouped(_ settings: LineSettings) -> [Line] {
        // Positions are sorted, not the words themselves (the same comparisons,
        // so the same order, without moving whole words about).
        let words = self.words
        let sorted = words.indices.sorted { (words[$0].box.midY, words[$0].box.x0) < (words[$1].box.midY, words[$1].box.x0) }
        var groups: [[Int]] = []
        var bands: [Rect] = []
        for position in sorted {
            let word = words[position]
            var best: (index: Int, overlap: Double)?
            // Only recent lines can overlap a word that comes later in y order.
            for index in stride(from: bands.count - 1, through: max(0, bands.count - 3), by: -1) {
                let band = bands[index]
                let shorter = min(band.height, word.box.height)
                guard shorter > 0 else { continue }
                let fraction = band.verticalOverlap(with: word.box) / shorter
                if fraction >= settings.minimumVerticalOverlap, fraction > (best?.overlap ?? 0) {
                    best = (index, fraction)
                }
            }
            if let best {
                groups[best.index].append(position)
                // The band takes the vertical extent of the line's tallest word,
                // so a superscript that starts a line cannot narrow it and a
                // run of words cannot creep downwards into the next line.
                let band = bands[best.index]
                let vertical = word.box.height > band.height ? word.box : band
                bands[best.index] = Rect(x0: min(band.x0, word.box.x0), y0: vertical.y0,
                                         x1: max(band.x1, word.box.x1), y1: vertical.y1)
            } else {
                groups.append([position])
                bands.append(word.box)
            }
        }
        return groups.map { Line(words: $0.map { words[$0] }) }.sorted { ($0.box.y0, $0.box.x0) < ($1.box.y0, $1.box.x0) }
    }
}
