/// Why a PDF could not be read, with the file it concerns.
///
/// Descriptions read like a compiler's: `file: error: what. what to do.`
public enum PDFError: Error, Sendable, Equatable {
    /// The file is missing, a directory, or cannot be read.
    case unreadable(file: String, reason: String)
    /// The file has no bytes at all (an interrupted download or copy).
    case empty(file: String)
    /// The file does not start like a PDF (no `%PDF-` header).
    case notAPDF(file: String)
    /// poppler could not parse it (truncated, broken cross-reference table, bad catalog).
    case damaged(file: String, reason: String)
    /// The document is encrypted and needs a password to be opened.
    case encrypted(file: String)
    /// The document parsed but has no pages.
    case noPages(file: String)
    /// A page number outside `1...pageCount`.
    case pageOutOfRange(file: String, page: Int, pageCount: Int)
    /// Rendering a page to an image failed.
    case renderFailed(file: String, page: Int, reason: String)
    /// poppler-glib or cairo could not be opened: nothing can be read.
    case popplerMissing(file: String, reason: String)
}

extension PDFError: CustomStringConvertible {
    public var file: String {
        switch self {
        case .unreadable(let f, _), .empty(let f), .notAPDF(let f), .damaged(let f, _), .encrypted(let f),
             .noPages(let f), .pageOutOfRange(let f, _, _), .renderFailed(let f, _, _), .popplerMissing(let f, _):
            return f
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): error: cannot read the file: \(reason)."
        case .empty(let file):
            return "\(file): error: the file is empty (0 bytes); it was probably cut short while downloading or copying. Fetch it again."
        case .notAPDF(let file):
            return "\(file): error: not a PDF (the file does not start with a %PDF- header). Check that it is the report and not, say, an HTML error page saved under a .pdf name."
        case .damaged(let file, let reason):
            return "\(file): error: the PDF is damaged and poppler cannot read it (\(reason)). Try the original download again; a repaired copy (e.g. `qpdf in.pdf out.pdf`) may open."
        case .encrypted(let file):
            return "\(file): error: the PDF is encrypted and needs a password. Ask the publisher for an unlocked copy, or decrypt it first (`qpdf --decrypt --password=… in.pdf out.pdf`)."
        case .noPages(let file):
            return "\(file): error: the PDF has no pages."
        case .pageOutOfRange(let file, let page, let count):
            return "\(file): error: there is no page \(page); the document has \(count) page\(count == 1 ? "" : "s") (pages are numbered from 1)."
        case .renderFailed(let file, let page, let reason):
            return "\(file):p\(page): error: could not render the page: \(reason)."
        case .popplerMissing(let file, let reason):
            return "\(file): error: the PDF library cannot be loaded: \(reason). Install poppler-glib and cairo (Debian: apt-get install libpoppler-glib8 libcairo2; `bash scripts/setup` does)."
        }
    }
}
