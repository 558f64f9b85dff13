import Foundation

/// Text as mapping rules compare it: lower case, one space between words,
/// one kind of dash, line-end hyphenation undone, footnote marks and trailing
/// punctuation dropped, and (when asked) å ä ö é folded to a a o e, as OCR
/// often loses them.
public enum LabelText {
    public static func normalize(_ text: String, foldDiacritics: Bool) -> String {
        // The same labels are normalised once per rule that might claim them;
        // remembering the answers takes a third off a born-digital extraction.
        if let known = normalized.lookup(text, foldDiacritics) { return known }
        let lower = clean(text).lowercased()
        let result = foldDiacritics ? fold(lower) : lower
        normalized.store(text, foldDiacritics, result)
        return result
    }

    private static let normalized = Memo()

    /// A bounded, locked memo of `normalize` (labels repeat within a report).
    private final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var plain: [String: String] = [:]
        private var folded: [String: String] = [:]

        func lookup(_ text: String, _ fold: Bool) -> String? {
            lock.withLock { fold ? folded[text] : plain[text] }
        }

        func store(_ text: String, _ fold: Bool, _ value: String) {
            lock.withLock {
                if plain.count + folded.count > 100_000 { plain = [:]; folded = [:] }
                if fold { folded[text] = value } else { plain[text] = value }
            }
        }
    }

    /// The label as printed, tidied but not lower-cased or folded: one space
    /// between words, one kind of dash, line-end hyphenation undone, trailing
    /// footnote marks and punctuation dropped. `normalize` is this, lower-cased
    /// and folded, with the same length, so a match in one is a range in the other.
    public static func clean(_ text: String) -> String {
        var s = text
        // Each step is skipped where it has nothing to do (same result, less work).
        if s.unicodeScalars.contains(where: { [0xAD, 0x2212, 0x2013, 0x2014, 0x2010, 0x2011].contains($0.value) }) {
            if let plain = dashesReplaced(s) {
                s = plain
            } else {
                s = s.replacingOccurrences(of: "\u{00AD}", with: "")
                for dash in ["\u{2212}", "\u{2013}", "\u{2014}", "\u{2010}", "\u{2011}"] {
                    s = s.replacingOccurrences(of: dash, with: "-")
                }
            }
        }
        if !hasSingleSpacesOnly(s) {
            s = collapsingSpaces(s)
        }
        // A word broken at a line end: "arbets- livsinriktade" is "arbetslivsinriktade".
        if containsHyphenSpace(s) {
            // What `replacingOccurrences(of:with:options: .regularExpression)` does, with the expression made once.
            s = brokenWord.stringByReplacingMatches(in: s, options: [], range: NSRange(location: 0, length: (s as NSString).length),
                                                    withTemplate: "$1$2")
        }
        while let last = s.last, "*:.".contains(last) { s.removeLast() }
        // OCR specks at either end: ".Summa tillgångar", "Resultaträkning i", "Kortfristiga skulder |".
        while let first = s.first, ".,:;|'`\"".contains(first) { s.removeFirst() }
        if let same = wordsUnchanged(s) {
            // Splitting at spaces and joining again gives `s` back, and no
            // last word would be dropped.
            if let first = same.unicodeScalars.first, let last = same.unicodeScalars.last,
               !isWhitespace(first), !isWhitespace(last) {
                return same
            }
            return same.trimmingCharacters(in: .whitespaces)
        }
        var words = s.split(separator: " ")
        while words.count > 1, let last = words.last, last.count == 1,
              let c = last.first, c.isLowercase || ".,:;|'`-".contains(c), !"åäö".contains(c) {
            words.removeLast()
        }
        let joined = words.joined(separator: " ")
        if let first = joined.unicodeScalars.first, let last = joined.unicodeScalars.last,
           !isWhitespace(first), !isWhitespace(last) {
            return joined
        }
        return joined.trimmingCharacters(in: .whitespaces)
    }

    /// `s` when splitting it at spaces, dropping no trailing one-letter
    /// word and joining with single spaces is sure to give it back: no space
    /// at either end or twice in a row, the last space between two ASCII
    /// characters (so a character boundary), and the last word not one
    /// character long. Nil otherwise (the general path decides).
    private static func wordsUnchanged(_ s: String) -> String? {
        let utf8 = s.utf8
        guard let firstByte = utf8.first, let lastByte = utf8.last, firstByte != 0x20, lastByte != 0x20 else { return nil }
        var previous: UInt8 = 0
        var lastSpace: String.Index?
        var afterLastSpace: UInt8 = 0
        var beforeLastSpace: UInt8 = 0
        for index in utf8.indices {
            let byte = utf8[index]
            if byte == 0x20 {
                if previous == 0x20 { return nil }
                lastSpace = index
                beforeLastSpace = previous
            } else if previous == 0x20 {
                afterLastSpace = byte
            }
            previous = byte
        }
        guard let lastSpace else { return s }
        guard beforeLastSpace < 0x80, afterLastSpace < 0x80 else { return nil }
        let lastWord = s[s.utf8.index(after: lastSpace)...]
        return lastWord.count == 1 ? nil : s
    }

    private static let brokenWord = try! NSRegularExpression(pattern: #"(\p{L})- (\p{Ll})"#)

    /// The five dashes as `-`, in one pass, for a text without soft hyphens
    /// whose characters are all ones a dash cannot form a cluster with
    /// (below U+0300, and punctuation and spaces of U+2000…U+205E): there
    /// the search for each dash finds exactly its occurrences. Nil elsewhere.
    private static func dashesReplaced(_ s: String) -> String? {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            guard v != 0xAD, v < 0x300 || v == 0x2212 || v == 0x20AC || v == 0x202F
                || (0x2000...0x200A).contains(v) || (0x2010...0x2027).contains(v) || (0x2030...0x205E).contains(v)
            else { return nil }
            switch v {
            case 0x2212, 0x2013, 0x2014, 0x2010, 0x2011: out.append("-")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static let spaces = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{00A0}\u{2009}\u{202F}"))

    /// Whether a scalar is in `spaces` (tab to carriage return, space, U+0085,
    /// no-break space, U+1680, U+2000 to U+200B, the line and paragraph
    /// separators, U+202F, U+205F, U+3000), answered without the set.
    static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `s.components(separatedBy: spaces).filter { !$0.isEmpty }.joined(separator: " ")`,
    /// in one pass over the scalars (every separator is one UTF-16 unit, so
    /// splitting at scalars is splitting at what NSString splits at).
    static func collapsingSpaces(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if isSpace(scalar.value) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether the only characters of `spaces` in `s` are single U+0020
    /// between other characters: then splitting at them and joining the
    /// pieces with one space gives `s` back.
    private static func hasSingleSpacesOnly(_ s: String) -> Bool {
        var previousWasSpace = true // no space may open the text
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v == 0x20 {
                if previousWasSpace { return false }
                previousWasSpace = true
                continue
            }
            previousWasSpace = false
            if v < 0x80 {
                if (0x09...0x0D).contains(v) { return false }
            } else if !(0xC0...0xFF).contains(v), spaces.contains(scalar) {
                // Latin-1 letters are never spaces; anything else is looked up.
                return false
            }
        }
        return !previousWasSpace || s.isEmpty
    }

    private static func containsHyphenSpace(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if byte == 0x20, previous == 0x2D { return true }
            previous = byte
        }
        return false
    }

    /// Membership in `CharacterSet.whitespaces`, ASCII answered directly.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || v == 0x09 }
        if (0xC0...0xFF).contains(v) { return false }
        return CharacterSet.whitespaces.contains(scalar)
    }

    static func fold(_ s: String) -> String {
        // Precomposed letters (what poppler and tesseract give) map scalar by
        // scalar, which keeps UTF-16 lengths and is many times faster than
        // comparing Characters; decomposed ones take the Character path.
        // The scalar mapping is done on UTF-8 where the string is contiguous:
        // each of these letters is 0xC3 and one byte, and becomes one ASCII byte.
        var folded: String?
        var combining = false
        s.utf8.withContiguousStorageIfAvailable { bytes in
            var letters = false
            for (i, b) in bytes.enumerated() {
                // U+0300…U+036F: CC 80…CC BF, CD 80…CD AF.
                if b == 0xCC || (b == 0xCD && i + 1 < bytes.count && bytes[i + 1] <= 0xAF) {
                    combining = true
                    return
                }
                if b == 0xC3 { letters = true }
            }
            guard letters else {
                folded = s
                return
            }
            folded = String(unsafeUninitializedCapacity: bytes.count) { out in
                var i = 0, o = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b == 0xC3, i + 1 < bytes.count, let ascii = foldedByte(bytes[i + 1]) {
                        out[o] = ascii
                        i += 2
                    } else {
                        out[o] = b
                        i += 1
                    }
                    o += 1
                }
                return o
            }
        }
        if let folded { return folded }
        if !combining && !s.unicodeScalars.contains(where: { (0x300...0x36F).contains($0.value) }) {
            var scalars = String.UnicodeScalarView()
            scalars.reserveCapacity(s.unicodeScalars.count)
            for scalar in s.unicodeScalars {
                switch scalar.value {
                case 0xE5, 0xE4, 0xE0, 0xE1, 0xE2: scalars.append("a")
                case 0xF6, 0xF8, 0xF3, 0xF4: scalars.append("o")
                case 0xE9, 0xE8, 0xEA, 0xEB: scalars.append("e")
                case 0xFC, 0xFA: scalars.append("u")
                default: scalars.append(scalar)
                }
            }
            return String(scalars)
        }
        return String(s.map { c -> Character in
            switch c {
            case "å", "ä", "à", "á", "â": "a"
            case "ö", "ø", "ó", "ô": "o"
            case "é", "è", "ê", "ë": "e"
            case "ü", "ú": "u"
            default: c
            }
        })
    }

    /// The ASCII letter for the second UTF-8 byte of U+00C0…U+00FF (after
    /// 0xC3), for the letters `fold` folds; nil for the others.
    private static func foldedByte(_ b: UInt8) -> UInt8? {
        switch b {
        case 0xA5, 0xA4, 0xA0, 0xA1, 0xA2: UInt8(ascii: "a") // å ä à á â
        case 0xB6, 0xB8, 0xB3, 0xB4: UInt8(ascii: "o")       // ö ø ó ô
        case 0xA9, 0xA8, 0xAA, 0xAB: UInt8(ascii: "e")       // é è ê ë
        case 0xBC, 0xBA: UInt8(ascii: "u")                   // ü ú
        default: nil
        }
    }
}

/// A label a rule accepts: literal text (compared normalised, see
/// `LabelText`) or a regular expression (`match:`), which may name groups
/// for dims (`Driftbidrag från (?<party>.+)`) and use `{n:name}` for a count
/// written in digits or words ("sju", "tolv") and `{t:name}` for text.
public struct LabelPattern: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    public let isRegex: Bool
    private let compiled: CompiledRegex?
    /// A literal's normal form, plain and folded, made once: labels are
    /// matched against every literal of every rule.
    private let normalLiteral: String
    private let foldedLiteral: String

    public var description: String { isRegex ? "/\(source)/" : source }

    public static func == (a: LabelPattern, b: LabelPattern) -> Bool { a.source == b.source && a.isRegex == b.isRegex }
    public func hash(into hasher: inout Hasher) { hasher.combine(source); hasher.combine(isRegex) }

    /// A literal label.
    public init(literal: String) {
        self.source = literal
        self.isRegex = false
        self.compiled = nil
        self.normalLiteral = LabelText.normalize(literal, foldDiacritics: false)
        self.foldedLiteral = LabelText.normalize(literal, foldDiacritics: true)
    }

    /// A regular expression, full-match and case-insensitive.
    /// - Throws: the compiler's reason when the expression is invalid.
    public init(regex: String) throws {
        self.source = regex
        self.isRegex = true
        self.compiled = try CompiledRegex(LabelPattern.expand(regex))
        self.normalLiteral = ""
        self.foldedLiteral = ""
    }

    /// Swedish words for small counts, as prose writes them.
    static let numberWords: [String: Int] = [
        "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
        "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
        "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19, "tjugo": 20,
    ]

    /// A count in digits or words, as `{n:…}` matches it (made once).
    static let numberPattern: String = {
        let words = numberWords.keys.sorted { $0.count > $1.count }.flatMap { [$0, LabelText.fold($0)] }
        return #"\d{1,3}(?:[ \u00A0\u2009]\d{3})*|"# + Set(words).sorted { $0.count > $1.count }.joined(separator: "|")
    }()

    static func expand(_ pattern: String) -> String {
        let number = numberPattern
        // Replaced by hand: a regex replacement template would eat the backslashes.
        var out = ""
        var rest = Substring(pattern)
        while let open = rest.range(of: "{") {
            out += rest[..<open.lowerBound]
            let tail = rest[open.upperBound...]
            if let close = tail.firstIndex(of: "}"), tail.hasPrefix("n:") || tail.hasPrefix("t:") || tail.hasPrefix("p:") {
                let kind = tail.prefix(1)
                let name = tail[tail.index(tail.startIndex, offsetBy: 2)..<close]
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    switch kind {
                    case "n": out += "(?<\(name)>\(number))"
                    case "p": out += #"(?<\#(name)>\d{6}\s*[-–]\s*\d{6}|\d{4}\s*[-–]\s*\d{4}|\d{4}-\d{2}-\d{2}\s*[-–]\s*\d{4}-\d{2}-\d{2})"#
                    default: out += "(?<\(name)>.+?)"
                    }
                    rest = tail[tail.index(after: close)...]
                    continue
                }
            }
            out += "{"
            rest = tail
        }
        return out + rest
    }

    /// Reads a period captured by `{p:…}`: `2019–2023` (whole years),
    /// `210801–230630` (YYMMDD; a day past the month's end, as `230631`, is
    /// read as the month's last day) or two ISO dates.
    public static func period(_ text: String) -> Period? {
        // Two ISO dates: the column-header reader knows them.
        if text.count > 12, case .span(let s, let e)? = ColumnHeading(parsing: text).reference { return .span(start: s, end: e) }
        let pieces = text.components(separatedBy: CharacterSet(charactersIn: "–-")).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard pieces.count == 2 else { return nil }
        if pieces.allSatisfy({ $0.count == 4 }), let a = Int(pieces[0]), let b = Int(pieces[1]),
           let s = Day.first(of: a), let e = Day.last(of: b) {
            return .span(start: s, end: e)
        }
        func day(_ yymmdd: String, end: Bool) -> Day? {
            guard yymmdd.count == 6, let y = Int(yymmdd.prefix(2)), let m = Int(yymmdd.dropFirst(2).prefix(2)),
                  let d = Int(yymmdd.suffix(2)), (1...12).contains(m) else { return nil }
            return Day(year: 2000 + y, month: m, day: d) ?? (end ? Day.last(of: 2000 + y, month: m) : nil)
        }
        if let s = day(pieces[0], end: false), let e = day(pieces[1], end: true) { return .span(start: s, end: e) }
        return nil
    }

    /// Reads a count captured by `{n:…}`: digits or a number word.
    public static func count(_ text: String) -> Int? {
        let digits = text.filter(\.isNumber)
        if !digits.isEmpty, digits.count == text.filter({ !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{2009}" }).count {
            return Int(digits)
        }
        let lower = text.lowercased()
        return numberWords[lower] ?? numberWords.first { LabelText.fold($0.key) == lower }?.value
    }

    /// Whether `label` matches; for a regex, its named captures.
    /// Captures are returned as printed (case and diacritics kept).
    public func match(_ label: String, foldDiacritics: Bool) -> [String: String]? {
        let normal = LabelText.normalize(label, foldDiacritics: foldDiacritics)
        guard let compiled else {
            return normal == (foldDiacritics ? foldedLiteral : normalLiteral) ? [:] : nil
        }
        return compiled.fullMatch(normal, printed: LabelText.clean(label), foldDiacritics: foldDiacritics)

    }

    /// Every match in running text (prose): each capture's text and its
    /// character range in `text` (folding keeps lengths, so ranges hold).
    public func matches(in text: String, foldDiacritics: Bool) -> [[String: (text: String, range: NSRange)]] {
        matches(in: ProseText(text, foldDiacritics: foldDiacritics))
    }

    /// The same, in a text made ready once for every rule that reads it.
    func matches(in text: ProseText) -> [[String: (text: String, range: NSRange)]] {
        compiled?.allMatches(text.text, haystack: text.haystack, foldDiacritics: text.foldDiacritics) ?? []
    }

    /// Running text as prose patterns read it: folded when the mapping
    /// folds, and with what `RequiredText` checks before a pattern runs.
    struct ProseText {
        let text: String
        let haystack: RequiredText.Haystack
        let foldDiacritics: Bool

        init(_ text: String, foldDiacritics: Bool) {
            self.text = foldDiacritics ? LabelText.fold(text) : text
            self.haystack = RequiredText.Haystack(self.text)
            self.foldDiacritics = foldDiacritics
        }
    }
}

/// NSRegularExpression is immutable and safe to share across threads once made.
final class CompiledRegex: @unchecked Sendable {
    let expression: NSRegularExpression
    let names: [String]
    /// What any match must contain, plain and folded: where a text lacks
    /// it, the expression is not run (it would find nothing).
    let required: RequiredText
    let foldedRequired: RequiredText

    /// The same, anchored at both ends: a label must match whole, and a lazy
    /// `.+?` must not stop at the first letter. Compiled when first used
    /// (most are never used: a prose pattern is never matched whole, and a
    /// mapping uses either the plain or the folded one).
    var whole: NSRegularExpression { anchored(folded: false) }
    var foldedWhole: NSRegularExpression { anchored(folded: true) }
    /// The pattern with å ä ö é… folded, for folded text; compiled when
    /// first used where folding cannot make the pattern invalid.
    var folded: NSRegularExpression {
        lock.withLock {
            if let foldedExpression { return foldedExpression }
            // Cannot fail: see `foldsSafely`.
            let made = try! NSRegularExpression(pattern: foldedPattern, options: [.caseInsensitive])
            foldedExpression = made
            return made
        }
    }

    private let pattern: String
    private let foldedPattern: String
    private let lock = NSLock()
    private var anchoredPlain: NSRegularExpression?
    private var anchoredFolded: NSRegularExpression?
    private var foldedExpression: NSRegularExpression?

    private static let nameFinder = try! NSRegularExpression(pattern: #"\(\?<(\w+)>"#)

    init(_ pattern: String) throws {
        let foldedPattern = LabelText.fold(pattern)
        self.pattern = pattern
        self.foldedPattern = foldedPattern
        required = RequiredText.of(pattern)
        foldedRequired = RequiredText.of(foldedPattern)
        expression = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        // Folding changes nothing in a pattern without å ä ö é…: the same
        // pattern compiles to the same expression.
        if foldedPattern.unicodeScalars.elementsEqual(pattern.unicodeScalars) {
            foldedExpression = expression
        } else if !CompiledRegex.foldsSafely(pattern) {
            foldedExpression = try NSRegularExpression(pattern: foldedPattern, options: [.caseInsensitive])
        }
        // A valid pattern stays valid inside `^(?:…)$` unless something in it
        // can swallow the closing `)$`: `\Q` quoting or a comment (`#` with
        // the x flag, `(?#…)`). Where that may be, the anchored forms are
        // compiled now, as before, so that an error shows at loading.
        if !CompiledRegex.wrapsSafely(pattern) {
            anchoredPlain = try NSRegularExpression(pattern: "^(?:\(pattern))$", options: [.caseInsensitive])
            anchoredFolded = try NSRegularExpression(pattern: "^(?:\(foldedPattern))$", options: [.caseInsensitive])
        }
        let ns = pattern as NSString
        names = CompiledRegex.nameFinder.matches(in: pattern, range: NSRange(location: 0, length: ns.length))
            .map { ns.substring(with: $0.range(at: 1)) }
    }

    /// No `\Q`, no `#`, and no group `(?` other than `(?:`, `(?<`, `(?=`, `(?!`, `(?>`
    /// (so no inline flags and no comment groups).
    static func wrapsSafely(_ pattern: String) -> Bool {
        let scalars = Array(pattern.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            if c == "#" { return false }
            if c == "\\", i + 1 < scalars.count, scalars[i + 1] == "Q" { return false }
            if c == "(", i + 1 < scalars.count, scalars[i + 1] == "?" {
                guard i + 2 < scalars.count, ":<=!>".unicodeScalars.contains(scalars[i + 2]) else { return false }
            }
        }
        return true
    }

    /// Whether folding keeps a valid pattern valid: every letter it changes
    /// is a literal (not in a set `[…]`, where a range could turn around,
    /// nor in braces or after a backslash), and there is nothing that makes
    /// that hard to tell (`\Q`, `#`, combining marks).
    static func foldsSafely(_ pattern: String) -> Bool {
        let folds: Set<UInt32> = [0xE5, 0xE4, 0xE0, 0xE1, 0xE2, 0xF6, 0xF8, 0xF3, 0xF4, 0xE9, 0xE8, 0xEA, 0xEB, 0xFC, 0xFA]
        var classDepth = 0, braceDepth = 0
        var escaped = false
        for scalar in pattern.unicodeScalars {
            let v = scalar.value
            if (0x300...0x36F).contains(v) || scalar == "#" { return false }
            if escaped {
                escaped = false
                if scalar == "Q" || folds.contains(v) { return false }
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "[": classDepth += 1
            case "]": if classDepth > 0 { classDepth -= 1 }
            case "{": braceDepth += 1
            case "}": if braceDepth > 0 { braceDepth -= 1 }
            default:
                if folds.contains(v), classDepth > 0 || braceDepth > 0 { return false }
            }
        }
        return true
    }

    private func anchored(folded: Bool) -> NSRegularExpression {
        lock.withLock {
            if let done = folded ? anchoredFolded : anchoredPlain { return done }
            let source = folded ? foldedPattern : pattern
            // Cannot fail: the pattern compiled, and `wrapsSafely` holds.
            let made = try! NSRegularExpression(pattern: "^(?:\(source))$", options: [.caseInsensitive])
            if folded { anchoredFolded = made } else { anchoredPlain = made }
            return made
        }
    }

    /// `printed` is made only for a match (its captures are read from it).
    func fullMatch(_ text: String, printed: @autoclosure () -> String, foldDiacritics: Bool) -> [String: String]? {
        let condition = foldDiacritics ? foldedRequired : required
        if !condition.isAnything, !condition.holds(in: RequiredText.Haystack(text)) { return nil }
        let regex = foldDiacritics ? foldedWhole : whole
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        // Same length when lower-casing kept it (it does for Swedish): read the printed text.
        let printed = printed()
        let source = (printed as NSString).length == ns.length ? printed as NSString : ns
        return captures(m, in: source)
    }

    func allMatches(_ text: String, haystack: RequiredText.Haystack, foldDiacritics: Bool) -> [[String: (text: String, range: NSRange)]] {
        guard (foldDiacritics ? foldedRequired : required).holds(in: haystack) else { return [] }
        let ns = text as NSString
        return (foldDiacritics ? folded : expression).matches(in: text, range: NSRange(location: 0, length: ns.length))
            .map { m in
                var out: [String: (text: String, range: NSRange)] = ["0": (ns.substring(with: m.range), m.range)]
                for name in names {
                    let r = m.range(withName: name)
                    if r.location != NSNotFound { out[name] = (ns.substring(with: r), r) }
                }
                return out
            }
    }

    private func captures(_ m: NSTextCheckingResult, in ns: NSString) -> [String: String] {
        var out: [String: String] = ["0": ns.substring(with: m.range)]
        for name in names {
            let r = m.range(withName: name)
            if r.location != NSNotFound { out[name] = ns.substring(with: r) }
        }
        return out
    }
}
