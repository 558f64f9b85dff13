/// What any match of a regular expression must contain: literal ASCII runs
/// of the pattern that no match can do without, as a condition of all / any
/// of them. Checked against the text before running the expression, so that
/// the expression runs only where a match is possible: a text without the
/// condition has no match, and the answer is the same as running it.
///
/// The reading of the pattern is conservative: anything it does not fully
/// understand (inline flags, `\Q…\E`, back references, unusual escapes) gives
/// no condition at all, and the expression always runs.
indirect enum RequiredText: Sendable {
    /// Always holds (nothing known).
    case anything
    /// These bytes (lower-case ASCII) occur in the text.
    case literal([UInt8])
    case all([RequiredText])
    case any([RequiredText])

    /// The condition of a pattern compiled case-insensitively without flags.
    static func of(_ pattern: String) -> RequiredText {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let condition = parser.alternation(), parser.index == parser.scalars.count else { return .anything }
        return condition.simplified
    }

    /// Whether the condition holds in a text prepared by `Haystack`.
    func holds(in haystack: Haystack) -> Bool {
        switch self {
        case .anything: return true
        case .literal(let bytes): return haystack.contains(bytes)
        case .all(let parts): return parts.allSatisfy { $0.holds(in: haystack) }
        case .any(let parts): return parts.contains { $0.holds(in: haystack) }
        }
    }

    var isAnything: Bool {
        if case .anything = self { return true }
        return false
    }

    var simplified: RequiredText {
        switch self {
        case .anything, .literal: return self
        case .all(let parts):
            let kept = parts.map(\.simplified).filter { !$0.isAnything }
            if kept.isEmpty { return .anything }
            return kept.count == 1 ? kept[0] : .all(kept)
        case .any(let parts):
            let simple = parts.map(\.simplified)
            // One alternative that can be anything makes the whole anything.
            if simple.isEmpty || simple.contains(where: \.isAnything) { return .anything }
            return simple.count == 1 ? simple[0] : .any(simple)
        }
    }

    /// A text as the condition is checked in it: its ASCII with capitals
    /// lower-cased, every other character as one byte 0xFF. Nil (`bytes == nil`) when the text holds a
    /// character that case-insensitive matching could take for an ASCII
    /// letter (`K` Kelvin, `ſ`, `ß`, ligatures…): only ASCII, Latin-1 and the
    /// punctuation block are known not to, and anything else turns the check off.
    struct Haystack: Sendable {
        let bytes: [UInt8]?

        init(_ text: String) {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                let v = scalar.value
                if v < 0x80 {
                    out.append(v >= 0x41 && v <= 0x5A ? UInt8(v + 0x20) : UInt8(v))
                    continue
                }
                // Latin-1 (ß aside, which folds to "ss"), general punctuation,
                // minus and euro sign: none of them case-folds into ASCII.
                guard (0xA0...0xFF).contains(v) && v != 0xDF || (0x2000...0x206F).contains(v)
                    || v == 0x2212 || v == 0x20AC else {
                    bytes = nil
                    return
                }
                // One byte ≥ 0x80 stands for it: it never matches an ASCII literal.
                out.append(0xFF)
            }
            bytes = out
        }

        func contains(_ needle: [UInt8]) -> Bool {
            guard let bytes else { return true }
            let n = needle.count, h = bytes.count
            guard n > 0 else { return true }
            guard n <= h else { return false }
            return bytes.withUnsafeBufferPointer { hay in
                needle.withUnsafeBufferPointer { pin in
                    let first = pin[0]
                    var i = 0
                    let last = h - n
                    while i <= last {
                        if hay[i] == first {
                            var k = 1
                            while k < n && hay[i + k] == pin[k] { k += 1 }
                            if k == n { return true }
                        }
                        i += 1
                    }
                    return false
                }
            }
        }
    }

    /// A recursive-descent reader of ICU pattern syntax, as far as needed to
    /// tell literal runs from everything else. Nil means "not understood".
    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        /// Alternatives up to a `)` or the end.
        mutating func alternation() -> RequiredText? {
            var alternatives: [RequiredText] = []
            while true {
                guard let sequence = sequence() else { return nil }
                alternatives.append(sequence)
                if peek == "|" { index += 1; continue }
                break
            }
            return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
        }

        /// Characters a literal run may hold: ASCII letters, digits and some
        /// punctuation that is never special outside a class.
        static func isRunCharacter(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
            default: return " ,-:;%/'".unicodeScalars.contains(c)
            }
        }

        mutating func sequence() -> RequiredText? {
            var parts: [RequiredText] = []
            var run: [UInt8] = []
            func endRun() {
                if !run.isEmpty { parts.append(.literal(run)); run = [] }
            }
            while let c = peek, c != "|", c != ")" {
                // One atom.
                let atom: RequiredText
                var runCharacter: UInt8?
                switch c {
                case "\\":
                    guard skipEscape() else { return nil }
                    atom = .anything
                case "[":
                    guard skipClass() else { return nil }
                    atom = .anything
                case "(":
                    guard let group = group() else { return nil }
                    atom = group
                case ".", "^", "$":
                    index += 1
                    atom = .anything
                case "?", "*", "+", "{", "]", "}":
                    // A quantifier with nothing to repeat, or a stray bracket.
                    return nil
                default:
                    index += 1
                    if Self.isRunCharacter(c) {
                        let v = c.value
                        runCharacter = UInt8(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)
                    }
                    atom = .anything
                }
                guard let minimum = quantifier() else { return nil }
                if let byte = runCharacter, minimum == nil {
                    run.append(byte)
                    continue
                }
                endRun()
                if minimum == nil || minimum! >= 1 {
                    if let byte = runCharacter { parts.append(.literal([byte])) } else { parts.append(atom) }
                }
            }
            endRun()
            return .all(parts)
        }

        /// Reads a quantifier after an atom: nil when there is none (as
        /// `.some(nil)`), its minimum count otherwise; nil when not understood.
        mutating func quantifier() -> Int?? {
            guard let c = peek else { return .some(nil) }
            var minimum: Int
            switch c {
            case "?", "*": index += 1; minimum = 0
            case "+": index += 1; minimum = 1
            case "{":
                index += 1
                var digits = ""
                while let d = peek, ("0"..."9").contains(d) { digits.unicodeScalars.append(d); index += 1 }
                guard let n = Int(digits) else { return nil }
                minimum = n
                if peek == "," {
                    index += 1
                    while let d = peek, ("0"..."9").contains(d) { index += 1 }
                }
                guard peek == "}" else { return nil }
                index += 1
            default: return .some(nil)
            }
            // Lazy or possessive.
            if peek == "?" || peek == "+" { index += 1 }
            // A quantifier on a quantifier is not understood.
            if let d = peek, "?*+{".unicodeScalars.contains(d) { return nil }
            return .some(minimum)
        }

        mutating func skipEscape() -> Bool {
            index += 1 // the backslash
            guard let c = peek else { return false }
            index += 1
            switch c {
            case "d", "D", "s", "S", "w", "W", "b", "B", "A", "z", "Z", "G", "X", "R", "h", "H", "v", "V",
                 "t", "n", "r", "f", "e", "a":
                return true
            case "p", "P", "N", "x":
                guard peek == "{" else { return false }
                while let d = peek, d != "}" { index += 1 }
                guard peek == "}" else { return false }
                index += 1
                return true
            default:
                // An escaped punctuation character stands for itself.
                return c.value < 0x80 && !(c.properties.isAlphabetic || ("0"..."9").contains(c))
            }
        }

        /// Skips a set `[…]`, nested sets included.
        mutating func skipClass() -> Bool {
            var depth = 0
            while let c = peek {
                switch c {
                case "[":
                    index += 1
                    depth += 1
                    if peek == "^" { index += 1 }
                    // `[]…]` and `[^]…]`: not understood.
                    if peek == "]" { return false }
                case "]":
                    index += 1
                    depth -= 1
                    if depth == 0 { return true }
                case "\\":
                    index += 1
                    guard let e = peek else { return false }
                    if e == "Q" || e == "E" { return false }
                    index += 1
                default:
                    index += 1
                }
            }
            return false
        }

        /// A group `(…)`: its contents' condition, or nothing for lookaround.
        mutating func group() -> RequiredText? {
            index += 1 // (
            var lookaround = false
            if peek == "?" {
                index += 1
                guard let kind = peek else { return nil }
                switch kind {
                case ":", ">": index += 1
                case "=", "!": index += 1; lookaround = true
                case "<":
                    index += 1
                    if peek == "=" || peek == "!" {
                        index += 1
                        lookaround = true
                    } else {
                        // A named group: letters and digits up to `>`.
                        var named = false
                        while let d = peek, d.value < 0x80, d.properties.isAlphabetic || ("0"..."9").contains(d) {
                            index += 1
                            named = true
                        }
                        guard named, peek == ">" else { return nil }
                        index += 1
                    }
                default:
                    // Inline flags, comments: not understood.
                    return nil
                }
            }
            guard let inner = alternation(), peek == ")" else { return nil }
            index += 1
            return lookaround ? .anything : inner
        }
    }
}
