import Foundation

/// Reads pages without a usable text layer with tesseract, into the same
/// words the text layer gives (PDF points, top-left origin), so tables,
/// mappings and reconciliation run unchanged.
public struct OCRReader: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// OCR the pages that need it.
        case auto
        /// OCR every page, ignoring the text layer.
        case always
        /// Never OCR.
        case never
    }

    public var mode: Mode = .auto
    /// Render resolution for OCR.
    public var dpi: Double = 300
    public var language = "swe"
    /// Pages read at once, one tesseract engine (and thread) each.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount

    public init(mode: Mode = .auto, dpi: Double = 300, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.mode = mode
        self.dpi = dpi
        self.jobs = max(1, jobs)
    }

    /// Whether a page's text layer is unusable: no words, mostly symbols
    /// (a font without a ToUnicode map), or a page-covering image with
    /// hardly any text on it.
    public static func needsOCR(_ page: PageText, imageCoverage: Double) -> Bool {
        needsOCR(page, imageCoverage: { imageCoverage })
    }

    /// The same, asking for the image coverage only when it decides (a page
    /// of fewer than 20 words): measuring it runs through the page's content again.
    static func needsOCR(_ page: PageText, imageCoverage: () throws -> Double) rethrows -> Bool {
        // One pass over the characters: how many, how many letters or
        // digits (ASCII answered directly: there the set is A-Z, a-z, 0-9),
        // how many private-use or replacement characters.
        let alphanumerics = CharacterSet.alphanumerics
        var count = 0, readable = 0, unmapped = 0
        for word in page.words {
            for scalar in word.text.unicodeScalars {
                count += 1
                let v = scalar.value
                if v < 0x80 {
                    if (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) { readable += 1 }
                } else {
                    if alphanumerics.contains(scalar) { readable += 1 }
                    if (0xE000...0xF8FF).contains(v) || v == 0xFFFD { unmapped += 1 }
                }
            }
        }
        if count == 0 { return true }
        if Double(readable) < 0.5 * Double(count) { return true }
        if unmapped > 0, Double(unmapped) > 0.1 * Double(count) {
            return true
        }
        guard page.words.count < 20 else { return false }
        return try imageCoverage() > 0.8
    }

    /// The pages of `url`, OCR'd where `mode` says, and the numbers of those OCR'd.
    public func read(_ url: URL, textPages: [PageText]) throws -> (pages: [PageText], ocrPages: [Int]) {
        guard mode != .never else { return (textPages, []) }
        let document = try PDFDocument(contentsOf: url)
        var wanted: [Int] = []
        for page in textPages {
            if try mode == .always || OCRReader.needsOCR(page, imageCoverage: { try document.imageCoverage(ofPage: page.number) }) {
                wanted.append(page.number)
            }
        }
        guard !wanted.isEmpty else { return (textPages, []) }
        // Fail early, on this thread, when the language data is missing.
        _ = try TesseractEngine(language: language)

        let results = Locked<[Int: Result<PageText, any Error>]>([:])
        let next = Locked(0)
        let queue = wanted
        let workers = min(jobs, queue.count)
        let settings = self
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // Each worker has its own document and engine (neither is
            // thread-safe) and takes the next page until none is left.
            func take() -> Int? {
                var index = 0
                next.update { index = $0; $0 += 1 }
                return index < queue.count ? queue[index] : nil
            }
            do {
                let document = try PDFDocument(contentsOf: url)
                let engine = try TesseractEngine(language: settings.language)
                let lines = try TesseractEngine(language: settings.language, lineOf: OCRReader.figureCharacters)
                while let number = take() {
                    let outcome = Result { try settings.recognise(page: number, of: document, with: engine, lines: lines) }
                    results.update { $0[number] = outcome }
                }
            } catch {
                while let number = take() { results.update { $0[number] = .failure(error) } }
            }
        }
        var pages = textPages
        let done = results.value
        for (i, page) in pages.enumerated() where done[page.number] != nil {
            pages[i] = try done[page.number]!.get()
        }
        return (pages, wanted)
    }

    func recognise(page number: Int, of document: PDFDocument, with engine: TesseractEngine, lines: TesseractEngine) throws -> PageText {
        var image = try document.renderGrey(page: number, dpi: dpi)
        Self.removeRules(&image)
        Self.removeSpecks(&image)
        var recognised = engine.words(in: image)
            .flatMap { Self.needsSecondLook($0) ? Self.readAgain($0, in: image, with: lines) : [$0] }
            .flatMap(Self.splitDigitGroups)
        let scale = 72 / dpi
        let angle = Self.skew(recognised)
        let centre = (Double(image.width) / 2, Double(image.height) / 2)
        let ascents = Self.lineAscents(recognised)
        recognised = recognised.flatMap { Self.splitRunTogether($0, ascent: ascents[$0.line]) }
        let bold = Self.boldWords(recognised, in: image, ascents: ascents)
        let words = recognised.indices.filter { Self.isInk(recognised[$0], dpi: dpi) }.map { index -> Word in
            let word = recognised[index]
            var (x0, y0, x1, y1) = (Double(word.box.0), Double(word.box.1), Double(word.box.2), Double(word.box.3))
            // A text layer's box is the type's: one em from above the
            // ascenders to below the descenders, the same for every word of
            // a line. Ink boxes are not (`som` is lower than `Budget`, a speck
            // makes a word taller), and tables read line heights.
            if let baseline = word.baseline, let ascent = ascents[word.line], ascent > 0 {
                let em = ascent / 0.7
                (y0, y1) = (baseline - 0.8 * em, baseline + 0.2 * em)
            }
            // Undo the page's skew on the box's centre, so a row stays a row.
            if angle != 0 {
                let (cx, cy) = ((x0 + x1) / 2 - centre.0, (y0 + y1) / 2 - centre.1)
                let (rx, ry) = (cx * cos(-angle) - cy * sin(-angle), cx * sin(-angle) + cy * cos(-angle))
                let (dx, dy) = (rx - cx, ry - cy)
                (x0, x1, y0, y1) = (x0 + dx, x1 + dx, y0 + dy, y1 + dy)
            }
            let box = Rect(x0: x0 * scale, y0: y0 * scale, x1: x1 * scale, y1: y1 * scale)
            // An em box is the type size; an ink box is about its 0.72.
            let size = word.baseline != nil && ascents[word.line] != nil ? box.height : box.height / 0.72
            return Word(text: word.text, box: box, fontSize: (size * 2).rounded() / 2,
                        fontName: bold.contains(index) ? "OCR-Bold" : nil, confidence: Double(word.confidence) / 100)
        }
        return PageText(number: number, width: Double(image.width) * scale, height: Double(image.height) * scale,
                        rotation: 0, words: words)
    }

    /// Two words tesseract ran together (`Antalnya` for `Antal nya`), cut
    /// where two letters stand a word space apart: a third of the line's
    /// ascent (letters of a word stand at most a quarter apart).
    static func splitRunTogether(_ word: TesseractEngine.RecognisedWord, ascent: Double?) -> [TesseractEngine.RecognisedWord] {
        guard let ascent, ascent > 0, word.symbols.count >= 4, word.symbols.map(\.text).joined() == word.text else { return [word] }
        let symbols = word.symbols
        var cuts: [Int] = []
        for i in 1..<symbols.count {
            let (left, right) = (symbols[i - 1], symbols[i])
            guard left.text.allSatisfy(\.isLetter), right.text.allSatisfy(\.isLetter) else { continue }
            if Double(right.box.0 - left.box.2) >= ascent / 3 { cuts.append(i) }
        }
        guard !cuts.isEmpty else { return [word] }
        return pieces(of: word, cutBefore: cuts)
    }

    /// The words set in bold, as far as their strokes tell: phrases (words
    /// of a line closer than one and a half ascents) whose strokes are a
    /// quarter wider than the page's usual, for their height. A text layer
    /// names its fonts; headings and total rows are told by them.
    static func boldWords(_ words: [TesseractEngine.RecognisedWord], in image: GreyImage, ascents: [Int: Double]) -> Set<Int> {
        let ink = words.map { strokes(of: $0, in: image) }
        let heights = ascents.values.sorted()
        guard !heights.isEmpty else { return [] }
        // A line of small letters only (`personer.`) seems lower than it is:
        // no line is taken as lower than the page's usual.
        let usualAscent = heights[heights.count / 2]
        func ascent(_ word: TesseractEngine.RecognisedWord) -> Double { max(ascents[word.line] ?? 0, usualAscent) }
        var usual: [Double] = []
        for (i, word) in words.enumerated() where word.text.filter(\.isLetter).count >= 3 && ink[i].runs > 0 {
            usual.append(Double(ink[i].dark) / Double(ink[i].runs) / ascent(word))
        }
        guard usual.count >= 20 else { return [] }
        let median = usual.sorted()[usual.count / 2]
        var bold = Set<Int>()
        var start = 0
        while start < words.count {
            var end = start + 1
            let ascent = ascent(words[start])
            while end < words.count, words[end].line == words[start].line,
                  Double(words[end].box.0 - words[end - 1].box.2) < 1.5 * ascent { end += 1 }
            let dark = ink[start..<end].map(\.dark).reduce(0, +), runs = ink[start..<end].map(\.runs).reduce(0, +)
            if ascent > 0, runs > 0, Double(dark) / Double(runs) / ascent >= 1.25 * median {
                bold.formUnion(start..<end)
            }
            start = end
        }
        return bold
    }

    /// A word's dark pixels and the dark runs they make along the rows of
    /// its box: their ratio is the mean width of its vertical strokes.
    static func strokes(of word: TesseractEngine.RecognisedWord, in image: GreyImage) -> (dark: Int, runs: Int) {
        let x0 = max(0, Int(word.box.0)), x1 = min(image.width, Int(word.box.2))
        let y0 = max(0, Int(word.box.1)), y1 = min(image.height, Int(word.box.3))
        guard x1 > x0, y1 > y0 else { return (0, 0) }
        var dark = 0, runs = 0
        for y in y0..<y1 {
            var inRun = false
            let row = y * image.width
            for x in x0..<x1 {
                if image.pixels[row + x] < 128 {
                    dark += 1
                    if !inRun { runs += 1; inRun = true }
                } else {
                    inRun = false
                }
            }
        }
        return (dark, runs)
    }

    /// Each tesseract line's height of capitals, digits and ascenders above
    /// the baseline, in pixels: an upper middle of its words' heights above
    /// their baselines (words of small letters only are lower).
    static func lineAscents(_ words: [TesseractEngine.RecognisedWord]) -> [Int: Double] {
        var heights: [Int: [Double]] = [:]
        for word in words {
            guard let baseline = word.baseline, word.text.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
            heights[word.line, default: []].append(baseline - Double(word.box.1))
        }
        return heights.mapValues { values in
            let sorted = values.sorted()
            return sorted[sorted.count * 2 / 3]
        }
    }

    /// Whitens the horizontal rules of tables, which tesseract otherwise reads
    /// as a line of letters ("tTCNCNH OH HO") that splits the table: every run
    /// of dark pixels longer than a third of an inch (no glyph stroke is),
    /// with a pixel above and below. A skewed rule is a staircase of such runs.
    static func removeRules(_ image: inout GreyImage) {
        let limit = Int(image.dpi / 3)
        var runs: [(y: Int, x0: Int, x1: Int)] = []
        for y in 0..<image.height {
            let start = y * image.width
            var x = 0
            while x < image.width {
                guard image.pixels[start + x] < 128 else { x += 1; continue }
                var end = x
                while end < image.width, image.pixels[start + end] < 128 { end += 1 }
                if end - x > limit { runs.append((y, x, end)) }
                x = end
            }
        }
        for run in runs {
            for y in max(0, run.y - 1)...min(image.height - 1, run.y + 1) {
                let start = y * image.width
                for x in run.x0..<run.x1 { image.pixels[start + x] = 255 }
            }
        }
    }

    /// Whitens the dust of a scan: every group of touching dark pixels with
    /// less ink than six black pixels at 300 dpi (a full stop or a decimal
    /// comma of 7 pt type has more). Light grey counts, weighed by its
    /// darkness: tesseract's own threshold on a light page keeps it. Tesseract
    /// otherwise reads specks beside words as quotes, dots or a lone `0` in
    /// the margin, which split tables.
    static func removeSpecks(_ image: inout GreyImage) {
        let scale = image.dpi / 300
        let limit = Int((6 * 255 * scale * scale).rounded())
        let (width, height) = (image.width, image.height)
        let dark: UInt8 = 200
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            var seen = [Bool](repeating: false, count: pixels.count)
            var stack: [Int] = []
            var component: [Int] = []
            stack.reserveCapacity(1024)
            component.reserveCapacity(64)
            for start in 0..<pixels.count where pixels[start] < dark && !seen[start] {
                seen[start] = true
                stack.append(start)
                component.removeAll(keepingCapacity: true)
                var ink = 0
                while let i = stack.popLast() {
                    ink += 255 - Int(pixels[i])
                    if ink <= limit { component.append(i) }
                    let (x, y) = (i % width, i / width)
                    for dy in -1...1 {
                        let ny = y + dy
                        guard ny >= 0, ny < height else { continue }
                        for dx in -1...1 {
                            let nx = x + dx
                            guard nx >= 0, nx < width else { continue }
                            let j = ny * width + nx
                            if pixels[j] < dark && !seen[j] { seen[j] = true; stack.append(j) }
                        }
                    }
                }
                if ink <= limit { for i in component { pixels[i] = 255 } }
            }
        }
    }

    /// Characters a figure is printed with: what the second look may read.
    static let figureCharacters = "0123456789 ,-\u{2212}%()"

    /// Whether a word is a figure tesseract was unsure of or read malformed
    /// (`"322` for `-322`, `12:161;6`, `SJ59`): digits (two letters that look
    /// like digits at most), sign-like marks in front and separators or
    /// closing marks after, and a confidence under 80 or a shape that is not
    /// a Swedish number. Not a numbered heading (`2.`), a date or span of
    /// years, nor a malformed parenthesis (`(2018:597)`, a statute).
    static func needsSecondLook(_ word: TesseractEngine.RecognisedWord) -> Bool {
        var body = Substring(word.text)
        while let c = body.first, "\"'\u{201C}\u{201D}\u{2018}\u{2019}-\u{2212}\u{2013}\u{2014}([|".contains(c) { body = body.dropFirst() }
        // A digit first, or a letter tesseract takes digits for (`SJ59` for `5 759`).
        let lookAlikes = "SJOolIB"
        guard let first = body.first, first.isNumber || lookAlikes.contains(first) else { return false }
        guard body.allSatisfy({ ($0.isASCII && $0.isNumber) || ",.:;)%]|'`-".contains($0) || lookAlikes.contains($0) }) else { return false }
        let digits = body.filter(\.isNumber).count, letters = body.filter(\.isLetter).count
        guard digits >= 1, letters == 0 || (digits >= 2 && letters <= 2) else { return false }
        // Not a date or a span (`2018-12-31`, `2017-2018`).
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count >= 3 || (parts.count == 2 && parts[0].count == 4 && [2, 4].contains(parts[1].count)) { return false }
        if word.text.hasSuffix(".") { return false }
        if word.text.hasPrefix("("), !wellFormed(word.text) { return false }
        return word.confidence < 80 || !wellFormed(word.text)
    }

    static func wellFormed(_ text: String) -> Bool {
        let value = CellValue(parsing: text)
        return value.isNumber && !value.irregular
    }

    /// The word cut out of the page (a few pixels round it) and read alone
    /// as one line of figure characters, at twice the size and, failing
    /// that, as it is. The new reading replaces the first
    /// when it is a well-formed figure read with a confidence of 50 or more,
    /// and the first was malformed, or had as many digits and was read with
    /// 10 less.
    static func readAgain(_ word: TesseractEngine.RecognisedWord, in image: GreyImage,
                          with engine: TesseractEngine) -> [TesseractEngine.RecognisedWord] {
        let margin = Int32(max(2, image.dpi / 100))
        let box = (Int(word.box.0 - margin), Int(word.box.1 - margin), Int(word.box.2 + margin), Int(word.box.3 + margin))
        // Twice the size first (a small minus is lost less), then as it is.
        for zoom in [2, 1] {
            // Thousands spaces the second reading dropped too are cut as in the first.
            let again = engine.line(in: image, box: box, zoom: zoom).flatMap(splitDigitGroups)
            guard !again.isEmpty else { continue }
            let text = again.map(\.text).joined(separator: " ")
            let confidence = again.map(\.confidence).min() ?? 0
            // Believed only when tesseract is fairly sure of it, and surer than
            // of the first reading unless that was malformed.
            // A well-formed first reading gives way only to the same digits
            // differently read (`3259` to `5759`), never to more or fewer.
            let digits = { (s: String) in s.filter { $0.isASCII && $0.isNumber }.count }
            guard wellFormed(text), confidence >= 50,
                  !wellFormed(word.text) || (confidence >= word.confidence + 10 && digits(text) == digits(word.text)) else { continue }
            return again.map { piece in
                var piece = piece
                piece.line = word.line
                piece.confidence = confidence
                return piece
            }
        }
        return [word]
    }

    /// A figure whose thousands spaces tesseract dropped (`1326` for
    /// `1 326`, thin spaces in print), cut where its characters say: digits
    /// stand at a fixed pitch, and a group space widens one step by a good
    /// part of a digit's height. Cut only when the pieces are Swedish
    /// thousands groups (1–3 digits, then threes), into one word per group
    /// as a text layer gives them.
    static func splitDigitGroups(_ word: TesseractEngine.RecognisedWord) -> [TesseractEngine.RecognisedWord] {
        let symbols = word.symbols
        guard symbols.count >= 4, symbols.map(\.text).joined() == word.text else { return [word] }
        // The integer digits: after at most one sign or speck, up to a comma or the end.
        var first = 0
        if let c = symbols[0].text.first, !c.isNumber { first = 1 }
        var end = first
        while end < symbols.count, symbols[end].text.count == 1, symbols[end].text.first!.isASCII, symbols[end].text.first!.isNumber { end += 1 }
        let digits = end - first
        guard digits >= 4 else { return [word] }
        let rest = symbols[end...].map(\.text).joined()
        guard rest.isEmpty || rest == "%" || (rest.first == "," && rest.dropFirst().allSatisfy(\.isNumber) && rest.count >= 2) else { return [word] }
        let boxes = symbols[first..<end].map(\.box)
        let centres = boxes.map { Double($0.0 + $0.2) / 2 }
        let heights = boxes.map { Double($0.3 - $0.1) }.sorted()
        let height = heights[heights.count / 2]
        let pitches = zip(centres.dropFirst(), centres).map { $0 - $1 }
        let pitch = pitches.sorted()[pitches.count / 2]
        guard pitch > 0, height > 0 else { return [word] }
        var cuts: [Int] = []
        for (i, step) in pitches.enumerated() where step > pitch + 0.2 * height { cuts.append(first + i + 1) }
        guard !cuts.isEmpty else { return [word] }
        let bounds = [first] + cuts + [end]
        let sizes = zip(bounds.dropFirst(), bounds).map { $0 - $1 }
        guard sizes[0] <= 3, sizes.dropFirst().allSatisfy({ $0 == 3 }) else { return [word] }
        return pieces(of: word, cutBefore: cuts)
    }

    /// `word` cut before each of the symbol indices `cuts` (ascending, inside
    /// the word): each piece with its symbols, text and their box.
    static func pieces(of word: TesseractEngine.RecognisedWord, cutBefore cuts: [Int]) -> [TesseractEngine.RecognisedWord] {
        let symbols = word.symbols
        return zip([0] + cuts, cuts + [symbols.count]).map { start, stop in
            let part = symbols[start..<stop]
            var piece = word
            piece.text = part.map(\.text).joined()
            piece.symbols = Array(part)
            piece.box = (part.map(\.box.0).min()!, part.map(\.box.1).min()!, part.map(\.box.2).max()!, part.map(\.box.3).max()!)
            return piece
        }
    }

    /// Whether a recognised word is text rather than dust: specks on a scan
    /// come back as lone `|`, `.`, `:` or `>`; a lone dash is kept when
    /// tesseract is sure of it (an empty cell, `utfall - budget`).
    static func isInk(_ word: TesseractEngine.RecognisedWord, dpi: Double = 300) -> Bool {
        // One or two characters tesseract hardly believes in, and no digit: a speck.
        if word.text.count <= 2, word.confidence < 40, !word.text.contains(where: \.isNumber) { return false }
        if word.text.contains(where: { $0.isLetter || $0.isNumber }) {
            // Lower than the digits of 3 pt type: dust, whatever it was read as.
            return Double(word.box.3 - word.box.1) >= 2 * dpi / 72
        }
        let width = Double(word.box.2 - word.box.0)
        // Signs that stand alone in print (`Avgifter & bidrag`, `50 %`), as tall as letters.
        if ["&", "%", "+", "§"].contains(word.text) {
            return word.confidence >= 60 && Double(word.box.3 - word.box.1) >= 4 * dpi / 72
        }
        // Tesseract's box of a short bold hyphen can be a few pixels: then it must be sure.
        return ["-", "–", "—", "−"].contains(word.text)
            && ((word.confidence >= 60 && width >= 8 * dpi / 300) || (word.confidence >= 85 && width >= 4 * dpi / 300))
    }

    /// The page's skew in radians: the median slope of tesseract's text lines
    /// of three or more words, measured on the words' bottoms.
    static func skew(_ words: [TesseractEngine.RecognisedWord]) -> Double {
        var slopes: [Double] = []
        for line in Dictionary(grouping: words, by: \.line).values where line.count >= 3 {
            let points = line.map { (Double($0.box.0 + $0.box.2) / 2, Double($0.box.3)) }
            let meanX = points.map(\.0).reduce(0, +) / Double(points.count)
            let meanY = points.map(\.1).reduce(0, +) / Double(points.count)
            let sxx = points.map { ($0.0 - meanX) * ($0.0 - meanX) }.reduce(0, +)
            guard sxx > 0 else { continue }
            let sxy = points.map { ($0.0 - meanX) * ($0.1 - meanY) }.reduce(0, +)
            slopes.append(sxy / sxx)
        }
        guard slopes.count >= 3 else { return 0 }
        let median = slopes.sorted()[slopes.count / 2]
        let angle = atan(median)
        // Under a tenth of a degree there is nothing to undo.
        return abs(angle) < 0.1 * .pi / 180 ? 0 : angle
    }
}
