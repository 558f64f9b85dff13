// Every call into libpoppler-glib and cairo lives in this file. The rest of
// AnnalsCore sees only value types (`PageText`, `Word`, `Rect`). The
// libraries are opened by the first document (CPoppler's loader): every
// other call here is on a document, so they are there.

internal import CPoppler
import Foundation

/// An open PDF document, read through poppler.
///
/// A document handle is not thread-safe: poppler's document and page objects
/// keep caches that are mutated on read. To work on pages in parallel, open
/// one `PDFDocument` per task and pass the resulting values between tasks.
///
/// ```swift
/// let document = try PDFDocument(contentsOf: url)
/// let text = try document.text(ofPage: 1)
/// ```
public final class PDFDocument {
    /// The file as the user named it, used in every error message.
    public let file: String
    /// Number of pages (at least 1: a document without pages is refused).
    public let pageCount: Int

    private let handle: OpaquePointer

    /// Opens the PDF at `url`.
    ///
    /// - Parameters:
    ///   - url: A file URL.
    ///   - password: The user password of an encrypted document, if known.
    /// - Throws: `PDFError` naming the file and the reason: unreadable, not a
    ///   PDF, damaged, encrypted, or without pages.
    public init(contentsOf url: URL, password: String? = nil) throws(PDFError) {
        // Messages name the file as the user wrote it; poppler gets the absolute path.
        let file = url.relativePath
        self.file = file
        try PDFDocument.checkReadablePDF(at: url.path, named: file)
        guard annals_load_poppler() != 0 else {
            throw .popplerMissing(file: file, reason: String(cString: annals_load_error()))
        }

        guard let uri = g_filename_to_uri(url.path, nil, nil) else {
            throw .unreadable(file: file, reason: "the path cannot be turned into a file URI")
        }
        defer { g_free(uri) }

        var gerror: UnsafeMutablePointer<GError>? = nil
        guard let document = poppler_document_new_from_file(uri, password, &gerror) else {
            let code = gerror?.pointee.code ?? 0
            let domain = gerror?.pointee.domain ?? 0
            let message = gerror?.pointee.message.map { String(cString: $0) } ?? "unknown reason"
            if let gerror { g_error_free(gerror) }
            if domain == poppler_error_quark(),
               code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                throw .encrypted(file: file)
            }
            throw .damaged(file: file, reason: message)
        }
        let count = Int(poppler_document_get_n_pages(document))
        guard count > 0 else {
            g_object_unref(UnsafeMutableRawPointer(document))
            throw .noPages(file: file)
        }
        self.handle = document
        self.pageCount = count
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(handle)) }

    /// The text layer of page `number` (1-based): size, rotation and words.
    ///
    /// - Throws: `PDFError.pageOutOfRange` for a page the document lacks.
    public func text(ofPage number: Int) throws(PDFError) -> PageText {
        try withPage(number) { page in
            let (width, height) = PDFDocument.displayedSize(page)
            return PageText(number: number, width: width, height: height,
                            rotation: PDFDocument.rotation(page),
                            words: PDFDocument.words(page))
        }
    }

    /// The displayed size of page `number` in points (width, height), as the
    /// words' boxes and rendered images measure it.
    public func size(ofPage number: Int) throws(PDFError) -> (width: Double, height: Double) {
        try withPage(number) { page in PDFDocument.displayedSize(page) }
    }

    /// Renders page `number` (or a region of it) to a PNG file, optionally
    /// outlining boxes over it. The file is written under a temporary name and
    /// renamed, so a failure never leaves a half-written image.
    ///
    /// - Parameters:
    ///   - number: 1-based page number.
    ///   - url: Where to write the PNG.
    ///   - dpi: Resolution; 72 dpi is one pixel per point.
    ///   - region: The part of the page to render, in points; the whole page when nil.
    ///   - boxes: Rectangles (in page points) to outline, each with its colour.
    ///   - grey: Write 8-bit greyscale instead of colour: a third of the
    ///     pixels to store, which is what keeps a scanned page's noise small.
    public func renderPNG(
        page number: Int, to url: URL, dpi: Double = 144, region: Rect? = nil,
        boxes: [(Rect, Colour)] = [], grey: Bool = false
    ) throws(PDFError) {
        let file = self.file
        try withRenderedSurface(page: number, dpi: dpi, region: region, boxes: boxes) { surface throws(PDFError) in
            let temporary = url.deletingLastPathComponent()
                .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            let status: cairo_status_t
            if grey {
                // cairo writes an A8 surface as a greyscale PNG, its values as the grey levels.
                let w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface)
                guard let target = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h),
                      cairo_surface_status(target) == CAIRO_STATUS_SUCCESS,
                      let from = cairo_image_surface_get_data(surface), let to = cairo_image_surface_get_data(target)
                else { throw .renderFailed(file: file, page: number, reason: "cairo could not allocate the image") }
                defer { cairo_surface_destroy(target) }
                cairo_surface_flush(surface)
                let fromStride = Int(cairo_image_surface_get_stride(surface)), toStride = Int(cairo_image_surface_get_stride(target))
                for y in 0..<Int(h) {
                    let source = (from + y * fromStride).withMemoryRebound(to: UInt32.self, capacity: Int(w)) { $0 }
                    let row = to + y * toStride
                    for x in 0..<Int(w) {
                        let p = source[x]
                        let r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                        row[x] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
                    }
                }
                cairo_surface_mark_dirty(target)
                status = cairo_surface_write_to_png(target, temporary.path)
            } else {
                status = cairo_surface_write_to_png(surface, temporary.path)
            }
            guard status == CAIRO_STATUS_SUCCESS else {
                try? FileManager.default.removeItem(at: temporary)
                let reason = cairo_status_to_string(status).map { String(cString: $0) } ?? "unknown"
                throw .renderFailed(file: file, page: number, reason: "writing \(url.path): \(reason)")
            }
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw .renderFailed(file: file, page: number, reason: "writing \(url.path): \(reason)")
            }
        }
    }

    /// Renders page `number` (or a region of it) into an 8-bit grey image:
    /// what OCR reads, and what tests use to check that boxes sit on ink.
    ///
    /// - Parameters:
    ///   - number: 1-based page number.
    ///   - dpi: Resolution; 300 is what OCR wants.
    ///   - region: The part of the page to render, in points; the whole page when nil.
    public func renderGrey(page number: Int, dpi: Double = 300, region: Rect? = nil) throws(PDFError) -> GreyImage {
        let file = self.file
        return try withRenderedSurface(page: number, dpi: dpi, region: region) { surface throws(PDFError) in
            let stride = Int(cairo_image_surface_get_stride(surface))
            let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
            guard let data = cairo_image_surface_get_data(surface) else {
                throw .renderFailed(file: file, page: number, reason: "cairo gave no pixel data")
            }
            var pixels = [UInt8](repeating: 255, count: w * h)
            for y in 0..<h {
                let row = data + y * stride
                for x in 0..<w {
                    // RGB24 is a native-endian 32-bit word 0x00RRGGBB.
                    let p = row.advanced(by: x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                    let r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                    pixels[y * w + x] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
                }
            }
            let area = region ?? Rect(x0: 0, y0: 0, x1: 0, y1: 0)
            return GreyImage(width: w, height: h, dpi: dpi, origin: (area.x0, area.y0), pixels: pixels)
        }
    }

    /// The share of page `number` covered by images (0…1): a scan is one
    /// image over the whole page.
    public func imageCoverage(ofPage number: Int) throws(PDFError) -> Double {
        try withPage(number) { page in
            let (width, height) = PDFDocument.displayedSize(page)
            guard width > 0, height > 0, let list = poppler_page_get_image_mapping(page) else { return 0 }
            defer { poppler_page_free_image_mapping(list) }
            var covered = 0.0
            var node: UnsafeMutablePointer<GList>? = list
            while let current = node {
                if let mapping = annals_image_mapping_at(current) {
                    let area = mapping.pointee.area
                    let w = min(width, max(area.x1, area.x2)) - max(0, min(area.x1, area.x2))
                    let h = min(height, max(area.y1, area.y2)) - max(0, min(area.y1, area.y2))
                    covered += max(0, w) * max(0, h)
                }
                node = current.pointee.next
            }
            return min(1, covered / (width * height))
        }
    }

    // MARK: - Internals

    /// Renders a page (or region) on white at `dpi` into a cairo image, outlines
    /// `boxes` over it, and lends the surface to `body`; it is freed after.
    private func withRenderedSurface<T>(
        page number: Int, dpi: Double, region: Rect?, boxes: [(Rect, Colour)] = [],
        _ body: (OpaquePointer) throws(PDFError) -> T
    ) throws(PDFError) -> T {
        let file = self.file
        return try withPage(number) { page throws(PDFError) in
            let (width, height) = PDFDocument.displayedSize(page)
            let area = region ?? Rect(x0: 0, y0: 0, x1: width, y1: height)
            let scale = dpi / 72
            let pixelsWide = Int32(max(1, (area.width * scale).rounded(.up)))
            let pixelsHigh = Int32(max(1, (area.height * scale).rounded(.up)))
            // cairo refuses surfaces over 32767 pixels a side.
            guard pixelsWide <= 32767, pixelsHigh <= 32767 else {
                throw .renderFailed(file: file, page: number,
                                    reason: "\(pixelsWide)×\(pixelsHigh) pixels is too large; lower the dpi")
            }
            guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pixelsWide, pixelsHigh),
                  cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
            else { throw .renderFailed(file: file, page: number, reason: "cairo could not allocate the image") }
            defer { cairo_surface_destroy(surface) }
            guard let cr = cairo_create(surface) else {
                throw .renderFailed(file: file, page: number, reason: "cairo could not create a context")
            }
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            cairo_scale(cr, scale, scale)
            cairo_translate(cr, -area.x0, -area.y0)
            cairo_save(cr)
            poppler_page_render(page, cr)
            cairo_restore(cr)
            cairo_set_line_width(cr, max(0.5, 1 / scale))
            for (box, colour) in boxes {
                cairo_set_source_rgba(cr, colour.red, colour.green, colour.blue, colour.alpha)
                cairo_rectangle(cr, box.x0, box.y0, box.width, box.height)
                cairo_stroke(cr)
            }
            cairo_destroy(cr)
            cairo_surface_flush(surface)
            return try body(surface)
        }
    }


    private func withPage<T>(_ number: Int, _ body: (OpaquePointer) throws(PDFError) -> T) throws(PDFError) -> T {
        guard (1...pageCount).contains(number) else {
            throw .pageOutOfRange(file: file, page: number, pageCount: pageCount)
        }
        guard let page = poppler_document_get_page(handle, Int32(number - 1)) else {
            throw .damaged(file: file, reason: "page \(number) cannot be loaded")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        return try body(page)
    }

    private static func displayedSize(_ page: OpaquePointer) -> (Double, Double) {
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        return (width, height)
    }

    /// poppler-glib does not expose a page's /Rotate; its text and rendering are
    /// already in displayed orientation. A quarter turn shows as the crop box's
    /// sides swapped, which is what this reports (0 or 90).
    private static func rotation(_ page: OpaquePointer) -> Int {
        var crop = PopplerRectangle()
        poppler_page_get_crop_box(page, &crop)
        let (width, height) = displayedSize(page)
        let cropWidth = abs(crop.x2 - crop.x1), cropHeight = abs(crop.y2 - crop.y1)
        let swapped = abs(cropWidth - height) < 0.5 && abs(cropHeight - width) < 0.5
            && abs(cropWidth - cropHeight) >= 0.5
        return swapped ? 90 : 0
    }

    /// Words from poppler's character layout: one rectangle per character of
    /// the page text, in the same order.
    private static func words(_ page: OpaquePointer) -> [Word] {
        guard let cText = poppler_page_get_text(page) else { return [] }
        let text = String(cString: cText)
        g_free(cText)

        var rects: UnsafeMutablePointer<PopplerRectangle>? = nil
        var rectCount: guint = 0
        guard poppler_page_get_text_layout(page, &rects, &rectCount) != 0, let rects else { return [] }
        defer { g_free(rects) }

        let fonts = textAttributes(page)
        var builder = WordBuilder(fontNames: fonts.names, characters: Int(rectCount))
        var index = 0
        for scalar in text.unicodeScalars {
            guard index < Int(rectCount) else { break }
            let r = rects[index]
            builder.add(scalar, box: Rect(x0: r.x1, y0: r.y1, x1: r.x2, y1: r.y2),
                        font: fonts.font(at: index))
            index += 1
        }
        builder.finish()
        return builder.words
    }

    private static func textAttributes(_ page: OpaquePointer) -> FontRuns {
        var runs = FontRuns()
        guard let list = poppler_page_get_text_attributes(page) else { return runs }
        defer { poppler_page_free_text_attributes(list) }
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            if let attributes = annals_text_attributes_at(current) {
                let name = attributes.pointee.font_name.map { String(cString: $0) }
                runs.append(start: Int(attributes.pointee.start_index), end: Int(attributes.pointee.end_index),
                            name: name, size: attributes.pointee.font_size)
            }
            node = current.pointee.next
        }
        runs.sort()
        return runs
    }

    /// Rejects what is not worth handing to poppler, with a precise reason.
    private static func checkReadablePDF(at path: String, named file: String) throws(PDFError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: file, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: file, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(file: file, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let head: Data
        do { head = try handle.read(upToCount: 1024) ?? Data() } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
        guard !head.isEmpty else { throw .empty(file: file) }
        // The PDF specification lets the header sit anywhere in the first 1024 bytes.
        guard head.range(of: Data("%PDF-".utf8)) != nil else { throw .notAPDF(file: file) }
    }
}

@available(*, unavailable)
extension PDFDocument: Sendable {}

/// An RGBA colour for drawing over rendered pages.
public struct Colour: Sendable, Hashable {
    public var red: Double, green: Double, blue: Double, alpha: Double
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }
    public static let word = Colour(red: 0.85, green: 0.1, blue: 0.1, alpha: 0.9)
    public static let line = Colour(red: 0.1, green: 0.35, blue: 0.9, alpha: 0.6)
    public static let table = Colour(red: 0.1, green: 0.6, blue: 0.2, alpha: 0.8)
}
