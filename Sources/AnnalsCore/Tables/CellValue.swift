import Foundation

/// What a table cell says, read the way a Swedish accountant wrote it.
///
/// ```swift
/// CellValue(parsing: "−725 256")      // .number(-725256)
/// CellValue(parsing: "15 400,0")      // .number(15400.0), one decimal
/// CellValue(parsing: "70%")           // .number(0.70), percent
/// CellValue(parsing: "Inga")          // .empty
/// CellValue(parsing: "Ej budgeterat") // .text
/// ```
public struct CellValue: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A figure.
        case number
        /// Printed as nothing: blank, `-`, `–`, `Inga` ("none").
        case empty
        /// Words (`Ej budgeterat`, `Ingen redovisning`) or a token that is not a number.
        case text
    }

    /// How a negative figure was marked, for sign-convention checks later.
    public enum NegativeMark: String, Sendable, Hashable, Codable {
        case hyphen, minusSign, enDash, parentheses
    }

    public var kind: Kind
    /// The figure (a ratio for percentages: `70%` is 0.70). Nil unless `kind == .number`.
    public var value: Decimal?
    /// The text as printed.
    public var text: String
    /// Digits printed after the decimal comma (`15 400,0` → 1).
    public var decimals: Int = 0
    /// Printed with a percent sign.
    public var isPercent: Bool = false
    /// How the minus was printed, when negative.
    public var negativeMark: NegativeMark?
    /// Footnote marks stuck to the figure (`21*` → `*`).
    public var footnote: String?
    /// Digits whose grouping is not Swedish thousands (`20 4492`, `12:161;6`):
    /// likely OCR damage. The value is the digits read as one integer, for the
    /// reconciliation stage to confirm or repair; never trust it alone.
    public var irregular: Bool = false

    public init(kind: Kind, value: Decimal? = nil, text: String) {
        self.kind = kind
        self.value = value
        self.text = text
    }

    /// Reads a cell's printed text. Never fails: what is not a number is `.text`.
    public init(parsing printed: String) {
        self = SwedishNumberParser.parse(printed)
    }

    public var isNumber: Bool { kind == .number }
}

/// The parser behind `CellValue(parsing:)`.
enum SwedishNumberParser {
    /// Characters that separate thousands in print: space, no-break, thin,
    /// narrow no-break, figure space.
    static let groupSeparators: Set<Character> = [" ", "\u{00A0}", "\u{2009}", "\u{202F}", "\u{2007}"]
    static let minusSigns: [Character: CellValue.NegativeMark] = ["-": .hyphen, "\u{2212}": .minusSign, "\u{2013}": .enDash, "\u{2014}": .enDash]
    static let emptyWords: Set<String> = ["", "-", "\u{2013}", "\u{2014}", "\u{2212}", "inga", "—", "--"]

    /// Made once: building a character set or locale per cell is most of the work.
    private static let blanks = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{00A0}\u{2009}\u{202F}"))
    private static let posix = Locale(identifier: "en_US_POSIX")
    /// OCR's look-alikes inside digits: O for 0, l and I for 1, S for 5.
    private static let damageAllowed = Set(":;.,'`´ ()OolIS").union(groupSeparators)

    static func parse(_ printed: String) -> CellValue {
        // Words with no digit (most of a page) are text: said without the
        // work below, which comes to the same answer for them.
        if isPlainWords(printed) { return CellValue(kind: .text, text: printed) }
        // And a plain figure (`2 494 227`, `-1 975 068`, `15 400,0`) is a figure.
        if let figure = plainFigure(printed) { return figure }
        // Trimmed only where an end is blank; compared with the empty words
        // only where short enough to be one once lower-cased (lower-casing
        // at most triples a character's length in UTF-8, or shrinks it to a third).
        let text = hasBlankEnd(printed) ? printed.trimmingCharacters(in: blanks) : printed
        if text.utf8.count <= 12, emptyWords.contains(text.lowercased()) { return CellValue(kind: .empty, text: printed) }

        var body = Substring(text)
        var result = CellValue(kind: .number, text: printed)
        // OCR: a speck read as a trailing full stop or colon, or as a second
        // dash before the minus. The figure is read, and flagged for checks.
        var specks = false
        while let last = body.last, ".:;'`".contains(last), body.dropLast().last?.isNumber == true {
            body = body.dropLast()
            specks = true
        }
        if body.count > 2, let a = body.first, let b = body.dropFirst().first,
           "-\u{2212}\u{2013}\u{2014}".contains(a), "-\u{2212}\u{2013}\u{2014}".contains(b) {
            // Two dashes: a minus and a speck, or two specks; read as a minus
            // and let the checks try the other sign.
            body = body.dropFirst()
            specks = true
        }

        // Footnote marks: 21*, 70%**
        let stars = body.reversed().prefix { $0 == "*" }
        if !stars.isEmpty, stars.count <= 3 {
            result.footnote = String(stars)
            body = body.dropLast(stars.count)
        }
        body = trim(body)
        if body.hasSuffix("%") {
            result.isPercent = true
            body = trim(body.dropLast())
        }
        var negative = false
        if body.hasPrefix("("), body.hasSuffix(")") {
            negative = true
            result.negativeMark = .parentheses
            body = trim(body.dropFirst().dropLast())
        }
        if let first = body.first, let mark = minusSigns[first] {
            guard !negative else { return CellValue(kind: .text, text: printed) }
            negative = true
            result.negativeMark = mark
            body = trim(body.dropFirst())
        } else if body.first == "+" {
            body = trim(body.dropFirst())
        }
        guard let digits = readDigits(body) else {
            // Digits broken by OCR punctuation (`12:161;6`) are not a figure we
            // can read, but they are not words either: flag them for repair.
            var damaged = CellValue(kind: .text, text: printed)
            // The cheapest test first (all three are plain tests of `body`).
            damaged.irregular = body.allSatisfy { ($0.isASCII && $0.isNumber) || damageAllowed.contains($0) }
                && body.filter(\.isNumber).count >= 2
                && body.filter(\.isLetter).count <= 2
            return damaged
        }
        result.decimals = digits.decimals
        result.irregular = digits.irregular || specks
        guard var value = decimal(digits.ascii) else {
            return CellValue(kind: .text, text: printed)
        }
        if negative { value = -value }
        if result.isPercent { value /= 100 }
        result.value = value
        return result
    }

    /// Whether `printed` is sure to read as plain text: none of `emptyWords`,
    /// no space at either end, and only ASCII other than digits or Latin-1
    /// letters (no character that is a number).
    static func isPlainWords(_ printed: String) -> Bool {
        let utf8 = printed.utf8
        guard let first = utf8.first, let last = utf8.last,
              !isASCIISpace(first), !isASCIISpace(last) else { return false }
        // The empty words these characters can spell: `-`, `--`, `inga`.
        if utf8.count <= 4 {
            let lower = utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            if lower == Array("-".utf8) || lower == Array("--".utf8) || lower == Array("inga".utf8) { return false }
        }
        for scalar in printed.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v >= 0x30 && v <= 0x39 { return false }
            } else if v < 0xC0 || v > 0xFF {
                return false
            }
        }
        return true
    }

    /// Whether the first or last character is one `blanks` trims.
    private static func hasBlankEnd(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        func blank(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? (c.value == 0x20 || (0x09...0x0D).contains(c.value)) : blanks.contains(c)
        }
        return blank(first) || blank(last)
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private static func trim(_ s: Substring) -> Substring {
        var s = s
        while let c = s.first, groupSeparators.contains(c) { s = s.dropFirst() }
        while let c = s.last, groupSeparators.contains(c) { s = s.dropLast() }
        return s
    }

    /// The value of an ASCII decimal ("2494227", "15400.0", "-1975068", as
    /// `description` writes one): built from its digits where they fit in
    /// 18, which is what parsing the text gives (equal, printed alike), at a
    /// fraction of the cost; zeros with decimals or a sign, and longer
    /// figures, are parsed.
    static func decimal(_ ascii: String) -> Decimal? {
        if ascii.utf8.first == UInt8(ascii: "-") {
            guard let first = ascii.utf8.dropFirst().first, (0x30...0x39).contains(first),
                  var magnitude = decimal(String(ascii.dropFirst())), !magnitude.isZero else {
                return Decimal(string: ascii, locale: posix)
            }
            magnitude.negate()
            return magnitude
        }
        var significand: UInt64 = 0
        var digits = 0, decimals = 0
        var seenPoint = false
        for byte in ascii.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                significand = significand * 10 + UInt64(byte - 0x30)
                digits += 1
                if seenPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return Decimal(string: ascii, locale: posix)
            }
            if digits > 18 { return Decimal(string: ascii, locale: posix) }
        }
        guard digits > 0, significand != 0 || decimals == 0 else { return Decimal(string: ascii, locale: posix) }
        if decimals == 0 { return Decimal(significand) }
        return Decimal(sign: .plus, exponent: -decimals, significand: Decimal(significand))
    }

    /// The digits of a figure as an ASCII decimal ("2494227", "15400.0"), with
    /// the printed decimals, or nil when the body is not digits and separators.
    private static func readDigits(_ body: Substring) -> (ascii: String, decimals: Int, irregular: Bool)? {
        readASCIIDigits(body) ?? readDigitsByCharacters(body)
    }

    /// The general reading (any group separator, a decimal point).
    static func readDigitsByCharacters(_ body: Substring) -> (ascii: String, decimals: Int, irregular: Bool)? {
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        var integerPart = Substring(body)
        var fraction = ""
        if let comma = body.lastIndex(of: ",") {
            integerPart = body[..<comma]
            fraction = String(body[body.index(after: comma)...])
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        // Groups of the integer part, split at any printed separator.
        var groups: [String] = []
        var current = ""
        var separators: [Character] = []
        for c in integerPart {
            if c.isASCII && c.isNumber {
                current.append(c)
            } else if groupSeparators.contains(c) || c == "." {
                guard !current.isEmpty else { return nil }
                groups.append(current)
                separators.append(c)
                current = ""
            } else {
                return nil
            }
        }
        guard !current.isEmpty else { return nil }
        groups.append(current)

        // A lone dot with one or two digits after it and no comma is a decimal
        // point ("17.5"), not a thousands separator.
        if fraction.isEmpty, separators == ["."], groups[1].count != 3 {
            return (groups[0] + "." + groups[1], groups[1].count, false)
        }
        let regular = groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }
            && (groups.count == 1 || groups[0].first != "0")
        let ascii = groups.joined() + (fraction.isEmpty ? "" : "." + fraction)
        // A single group of any length is fine: 5000, 139822 (the OCR case is
        // caught later by the column's shape, not here).
        return (ascii, fraction.count, groups.count > 1 && !regular)
    }
}

extension SwedishNumberParser {
    /// A figure printed plainly: ASCII digits in space-separated groups,
    /// optionally a decimal comma and digits, after at most a hyphen or a
    /// U+2212 minus; read as `parse` reads it, nil for anything else.
    static func plainFigure(_ printed: String) -> CellValue? {
        var body = Substring(printed)
        var mark: CellValue.NegativeMark?
        let utf8 = printed.utf8
        // The sign is one character only where a digit follows it (a
        // combining mark would make sign and mark one character).
        func digit(at offset: Int) -> Bool {
            guard let byte = utf8.dropFirst(offset).first else { return false }
            return byte >= 0x30 && byte <= 0x39
        }
        if utf8.first == UInt8(ascii: "-"), digit(at: 1) {
            mark = .hyphen
            body = body.dropFirst()
        } else if utf8.starts(with: [0xE2, 0x88, 0x92]), digit(at: 3) {
            mark = .minusSign
            body = body.dropFirst()
        }
        guard let digits = readASCIIDigits(body), var value = decimal(digits.ascii) else { return nil }
        if mark != nil { value = -value }
        var figure = CellValue(kind: .number, value: value, text: printed)
        figure.decimals = digits.decimals
        figure.irregular = digits.irregular
        figure.negativeMark = mark
        return figure
    }

    /// `readDigits` for the common figure: ASCII digits in groups split by
    /// single spaces, optionally a decimal comma and digits (`2 494 227`,
    /// `15 400,0`, `70`). nil for anything else, which the general reading
    /// takes; where this answers, it answers as that reading would.
    static func readASCIIDigits(_ body: Substring) -> (ascii: String, decimals: Int, irregular: Bool)? {
        let utf8 = body.utf8
        guard let first = utf8.first, first >= 0x30, first <= 0x39 else { return nil }
        var ascii: [UInt8] = []
        ascii.reserveCapacity(utf8.count)
        var groupLengths: [Int] = []
        var current = 0, decimals = 0
        var inFraction = false
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                ascii.append(byte)
                if inFraction { decimals += 1 } else { current += 1 }
            } else if byte == UInt8(ascii: " "), !inFraction, previous >= 0x30, previous <= 0x39 {
                groupLengths.append(current)
                current = 0
            } else if byte == UInt8(ascii: ","), !inFraction, previous >= 0x30, previous <= 0x39 {
                inFraction = true
                ascii.append(UInt8(ascii: "."))
            } else {
                return nil
            }
            previous = byte
        }
        // Ends in a digit: no empty group, no empty fraction.
        guard previous >= 0x30, previous <= 0x39 else { return nil }
        groupLengths.append(current)
        let regular = groupLengths[0] <= 3 && groupLengths.dropFirst().allSatisfy { $0 == 3 }
            && (groupLengths.count == 1 || first != UInt8(ascii: "0"))
        return (String(decoding: ascii, as: UTF8.self), decimals, groupLengths.count > 1 && !regular)
    }
}

/// Writes a figure the Swedish way: space-grouped thousands, decimal comma.
public enum SwedishNumberFormat {
    /// - Parameters:
    ///   - value: The figure.
    ///   - decimals: Digits after the comma (the value is rounded to them).
    ///   - group: The thousands separator.
    ///   - minus: The minus sign.
    public static func format(_ value: Decimal, decimals: Int = 0, group: String = " ", minus: String = "-") -> String {
        let rounded = value.rounded(places: decimals)
        let negative = rounded < 0
        var scaled = (negative ? -rounded : rounded)
        for _ in 0..<decimals { scaled *= 10 }
        var digits = "\(scaled)"
        if let dot = digits.firstIndex(of: ".") { digits = String(digits[..<dot]) }
        while digits.count <= decimals { digits = "0" + digits }
        let integer = digits.dropLast(decimals)
        let fraction = digits.suffix(decimals)
        var grouped = ""
        for (i, c) in integer.enumerated() {
            if i > 0, (integer.count - i) % 3 == 0 { grouped += group }
            grouped.append(c)
        }
        let body = decimals > 0 ? grouped + "," + fraction : grouped
        return (negative && rounded != 0 ? minus : "") + body
    }
}
