import Foundation

/// Small helpers for writing HTML as text: escaping and number display.
enum HTML {
    /// Text made safe for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text with the spaces inside Swedish digit groups (`9 335 665`) made
    /// no-break, so a figure in a sentence never wraps in two.
    static func keepingNumbersTogether(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        return digitGroupSpace.stringByReplacingMatches(in: text, range: range, withTemplate: "\u{00A0}")
    }

    private static let digitGroupSpace = try! NSRegularExpression(pattern: "(?<=\\d) (?=\\d{3}(?!\\d))")

    /// A figure the Swedish way, with no-break spaces between digit groups
    /// so a number never wraps, and a real minus sign.
    static func number(_ value: Decimal, unit: Concept.Unit = .sek) -> String {
        switch unit {
        case .ratio:
            let percent = value * 100
            let whole = percent == percent.rounded()
            return SwedishNumberFormat.format(percent, decimals: whole ? 0 : 1, group: "\u{00A0}", minus: "\u{2212}")
                + "\u{00A0}%"
        default:
            let whole = value == value.rounded()
            return SwedishNumberFormat.format(value, decimals: whole ? 0 : 2, group: "\u{00A0}", minus: "\u{2212}")
        }
    }

    /// A short, readable period: `2023` for a calendar year, `2023-12-31`
    /// for an instant, `2020-01-01 – 2020-08-31` otherwise.
    static func period(_ period: Period?) -> String {
        switch period {
        case .instant(let day)?: return "\(day)"
        case .span(let start, let end)?:
            if let year = period?.calendarYear { return "\(year)" }
            return "\(start)\u{2009}\u{2013}\u{2009}\(end)"
        case nil: return ""
        }
    }

    /// A string usable in a file name and an id: lowercase ASCII letters,
    /// digits and dashes, Swedish letters folded.
    static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            let folded: String
            switch scalar {
            case "å", "ä", "á", "à": folded = "a"
            case "ö", "ø", "ó": folded = "o"
            case "é", "è": folded = "e"
            case "ü": folded = "u"
            default: folded = String(scalar)
            }
            for c in folded.unicodeScalars {
                if ("a"..."z").contains(c) || ("0"..."9").contains(c) {
                    out.unicodeScalars.append(c)
                    dash = false
                } else if !dash, !out.isEmpty {
                    out += "-"
                    dash = true
                }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "report" : String(out.prefix(60))
    }

    /// A number for SVG coordinates: two decimals at most.
    static func coordinate(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }
}
