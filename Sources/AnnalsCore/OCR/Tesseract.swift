// Every call into libtesseract lives in this file.

internal import CTesseract
import Foundation

/// Why OCR cannot run, and what to do.
public enum OCRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libtesseract could not start with the language data.
    case languageMissing(language: String, reason: String)

    public var description: String {
        switch self {
        case .languageMissing(let language, let reason):
            return "error: tesseract cannot load its \(language) language data (\(reason)). Install it (Debian: apt-get install tesseract-ocr tesseract-ocr-\(language); `bash scripts/setup` does) or point TESSDATA_PREFIX at the folder holding \(language).traineddata."
        }
    }
}

/// libtesseract, opened the first time an engine is made. Linking it would
/// make every process bind the symbols of it and the forty libraries it
/// needs (curl, gnutls, kerberos, ICU…), several milliseconds a document,
/// though most documents need no OCR.
struct TesseractLibrary: @unchecked Sendable {
    let create: annals_TessBaseAPICreate
    let delete: annals_TessBaseAPIDelete
    let setVariable: annals_TessBaseAPISetVariable
    let initialise: annals_TessBaseAPIInit3
    let setImage: annals_TessBaseAPISetImage
    let setSourceResolution: annals_TessBaseAPISetSourceResolution
    let recognize: annals_TessBaseAPIRecognize
    let getIterator: annals_TessBaseAPIGetIterator
    let clear: annals_TessBaseAPIClear
    let end: annals_TessBaseAPIEnd
    let isAtBeginningOf: annals_TessPageIteratorIsAtBeginningOf
    let boundingBox: annals_TessPageIteratorBoundingBox
    let iteratorDelete: annals_TessResultIteratorDelete
    let pageIterator: annals_TessResultIteratorGetPageIterator
    let next: annals_TessResultIteratorNext
    let utf8Text: annals_TessResultIteratorGetUTF8Text
    let confidence: annals_TessResultIteratorConfidence
    let deleteText: annals_TessDeleteText
    let setPageSegMode: annals_TessBaseAPISetPageSegMode
    let baseline: annals_TessPageIteratorBaseline

    /// The library, or why it could not be opened.
    static let shared: Result<TesseractLibrary, LoadError> = open()

    private static func open() -> Result<TesseractLibrary, LoadError> {
        var reasons: [String] = []
        for name in ["libtesseract.so.5", "libtesseract.so"] {
            if let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL) {
                func symbol<T>(_ name: String, as type: T.Type) throws(LoadError) -> T {
                    guard let address = dlsym(handle, name) else { throw LoadError(reason: "\(name) missing") }
                    return unsafeBitCast(address, to: type)
                }
                do throws(LoadError) {
                    return .success(TesseractLibrary(
                        create: try symbol("TessBaseAPICreate", as: annals_TessBaseAPICreate.self),
                        delete: try symbol("TessBaseAPIDelete", as: annals_TessBaseAPIDelete.self),
                        setVariable: try symbol("TessBaseAPISetVariable", as: annals_TessBaseAPISetVariable.self),
                        initialise: try symbol("TessBaseAPIInit3", as: annals_TessBaseAPIInit3.self),
                        setImage: try symbol("TessBaseAPISetImage", as: annals_TessBaseAPISetImage.self),
                        setSourceResolution: try symbol("TessBaseAPISetSourceResolution", as: annals_TessBaseAPISetSourceResolution.self),
                        recognize: try symbol("TessBaseAPIRecognize", as: annals_TessBaseAPIRecognize.self),
                        getIterator: try symbol("TessBaseAPIGetIterator", as: annals_TessBaseAPIGetIterator.self),
                        clear: try symbol("TessBaseAPIClear", as: annals_TessBaseAPIClear.self),
                        end: try symbol("TessBaseAPIEnd", as: annals_TessBaseAPIEnd.self),
                        isAtBeginningOf: try symbol("TessPageIteratorIsAtBeginningOf", as: annals_TessPageIteratorIsAtBeginningOf.self),
                        boundingBox: try symbol("TessPageIteratorBoundingBox", as: annals_TessPageIteratorBoundingBox.self),
                        iteratorDelete: try symbol("TessResultIteratorDelete", as: annals_TessResultIteratorDelete.self),
                        pageIterator: try symbol("TessResultIteratorGetPageIterator", as: annals_TessResultIteratorGetPageIterator.self),
                        next: try symbol("TessResultIteratorNext", as: annals_TessResultIteratorNext.self),
                        utf8Text: try symbol("TessResultIteratorGetUTF8Text", as: annals_TessResultIteratorGetUTF8Text.self),
                        confidence: try symbol("TessResultIteratorConfidence", as: annals_TessResultIteratorConfidence.self),
                        deleteText: try symbol("TessDeleteText", as: annals_TessDeleteText.self),
                        setPageSegMode: try symbol("TessBaseAPISetPageSegMode", as: annals_TessBaseAPISetPageSegMode.self),
                        baseline: try symbol("TessPageIteratorBaseline", as: annals_TessPageIteratorBaseline.self)))
                } catch {
                    reasons.append("\(name): \(error.reason)")
                }
            } else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
            }
        }
        return .failure(LoadError(reason: reasons.joined(separator: "; ")))
    }

    struct LoadError: Error { var reason: String }
}

/// One tesseract engine with its language loaded. Not thread-safe: make one
/// per thread (`OCRReader` does).
final class TesseractEngine {
    private let handle: OpaquePointer
    private let tess: TesseractLibrary

    /// Characters a line engine reads (nil: a page engine, every character).
    let characters: String?

    /// A page engine, or with `lineOf` a line engine: each image one line
    /// (PSM 7) of only those characters. The two are kept apart so that a
    /// page's reading never depends on which lines were read before it.
    init(language: String, dataPath: String? = nil, lineOf characters: String? = nil) throws(OCRError) {
        self.characters = characters
        let tess: TesseractLibrary
        switch TesseractLibrary.shared {
        case .success(let library): tess = library
        case .failure(let error):
            throw .languageMissing(language: language, reason: "libtesseract could not be loaded: \(error.reason)")
        }
        guard let api = tess.create() else {
            throw .languageMissing(language: language, reason: "libtesseract could not be started")
        }
        // Quiet: tesseract otherwise prints "Estimating resolution" and the like.
        _ = tess.setVariable(api, "debug_file", "/dev/null")
        guard tess.initialise(api, dataPath, language) == 0 else {
            tess.delete(api)
            throw .languageMissing(language: language, reason: "\(language).traineddata not found\(dataPath.map { " in \($0)" } ?? "")")
        }
        // Word spaces matter in Swedish numbers: keep them.
        _ = tess.setVariable(api, "preserve_interword_spaces", "1")
        if let characters {
            tess.setPageSegMode(api, PSM_SINGLE_LINE)
            _ = tess.setVariable(api, "tessedit_char_whitelist", characters)
        }
        handle = api
        self.tess = tess
    }

    deinit {
        tess.end(handle)
        tess.delete(handle)
    }

    struct RecognisedWord {
        var text: String
        /// Pixels: left, top, right, bottom.
        var box: (Int32, Int32, Int32, Int32)
        var confidence: Float
        /// Which text line (tesseract's) the word belongs to.
        var line: Int
        /// Where the word's baseline crosses its middle (pixels, down), nil when tesseract has none.
        var baseline: Double?
        /// The word's characters with their boxes (pixels, as `box`).
        var symbols: [(text: String, box: (Int32, Int32, Int32, Int32))] = []
    }

    /// The words of an 8-bit grey image, with boxes in pixels.
    func words(in image: GreyImage) -> [RecognisedWord] {
        let tess = self.tess
        image.pixels.withUnsafeBufferPointer { buffer in
            tess.setImage(handle, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        tess.setSourceResolution(handle, Int32(image.dpi.rounded()))
        return recognise()
    }

    /// The part `box` (pixels: left, top, right, bottom) of an image read
    /// again as a single line (a line engine's characters only), on a white
    /// border, enlarged `zoom` times; boxes in the image's pixels.
    func line(in image: GreyImage, box: (Int, Int, Int, Int), zoom: Int = 1) -> [RecognisedWord] {
        let tess = self.tess
        precondition(characters != nil, "line(in:) needs a line engine")
        let x0 = max(0, box.0), y0 = max(0, box.1)
        let x1 = min(image.width, box.2), y1 = min(image.height, box.3)
        guard x1 > x0, y1 > y0 else { return [] }
        let pad = max(4, Int(image.dpi / 30))
        let (cw, ch) = (x1 - x0, y1 - y0)
        let width = (cw + 2 * pad) * zoom, height = (ch + 2 * pad) * zoom
        var crop = [UInt8](repeating: 255, count: width * height)
        for y in 0..<(ch * zoom) {
            let source = (y0 + y / zoom) * image.width + x0
            let target = (y + pad * zoom) * width + pad * zoom
            for x in 0..<(cw * zoom) { crop[target + x] = image.pixels[source + x / zoom] }
        }
        crop.withUnsafeBufferPointer { buffer in
            tess.setImage(handle, buffer.baseAddress, Int32(width), Int32(height), 1, Int32(width))
        }
        tess.setSourceResolution(handle, Int32((image.dpi * Double(zoom)).rounded()))
        let (dx, dy, z) = (Int32(x0 - pad), Int32(y0 - pad), Int32(zoom))
        func moved(_ b: (Int32, Int32, Int32, Int32)) -> (Int32, Int32, Int32, Int32) {
            (b.0 / z + dx, b.1 / z + dy, b.2 / z + dx, b.3 / z + dy)
        }
        return recognise().map { word in
            var word = word
            word.box = moved(word.box)
            word.symbols = word.symbols.map { ($0.text, moved($0.box)) }
            word.baseline = word.baseline.map { $0 / Double(zoom) + Double(dy) }
            return word
        }
    }

    /// The words of the image set last.
    private func recognise() -> [RecognisedWord] {
        let tess = self.tess
        guard tess.recognize(handle, nil) == 0, let iterator = tess.getIterator(handle) else {
            tess.clear(handle)
            return []
        }
        defer {
            tess.iteratorDelete(iterator)
            tess.clear(handle)
        }
        var result: [RecognisedWord] = []
        var line = -1
        let pageIterator = tess.pageIterator(iterator)
        // Symbol by symbol: a word's characters and their boxes come with it.
        var current: RecognisedWord?
        repeat {
            if tess.isAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 { line += 1 }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            if tess.isAtBeginningOf(pageIterator, RIL_WORD) != 0 {
                if let word = current { result.append(word) }
                current = nil
                guard let cText = tess.utf8Text(iterator, RIL_WORD) else { continue }
                let text = String(cString: cText)
                tess.deleteText(cText)
                guard tess.boundingBox(pageIterator, RIL_WORD, &left, &top, &right, &bottom) != 0 else { continue }
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                current = RecognisedWord(text: trimmed, box: (left, top, right, bottom),
                                         confidence: tess.confidence(iterator, RIL_WORD), line: max(line, 0))
                var bx0: Int32 = 0, by0: Int32 = 0, bx1: Int32 = 0, by1: Int32 = 0
                if tess.baseline(pageIterator, RIL_WORD, &bx0, &by0, &bx1, &by1) != 0 {
                    let middle = Double(left + right) / 2
                    current?.baseline = bx1 == bx0 ? Double(by0) : Double(by0) + Double(by1 - by0) * (middle - Double(bx0)) / Double(bx1 - bx0)
                }
            }
            guard current != nil, let cSymbol = tess.utf8Text(iterator, RIL_SYMBOL) else { continue }
            let symbol = String(cString: cSymbol)
            tess.deleteText(cSymbol)
            guard tess.boundingBox(pageIterator, RIL_SYMBOL, &left, &top, &right, &bottom) != 0 else { continue }
            current?.symbols.append((symbol, (left, top, right, bottom)))
        } while tess.next(iterator, RIL_SYMBOL) != 0
        if let word = current { result.append(word) }
        return result
    }
}

@available(*, unavailable)
extension TesseractEngine: Sendable {}
