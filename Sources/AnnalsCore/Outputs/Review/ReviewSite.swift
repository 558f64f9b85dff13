import Foundation

/// A static, offline HTML site for the person who must decide which figure
/// is right: an index of every report, and per report its warnings with the
/// places involved cut out of the rendered pages, the extracted statements
/// with each value linked to where it was printed, and a view of each page
/// with every figure read from it outlined.
///
/// Nothing is fetched at viewing time: the pages are PNG files rendered by
/// poppler next to the HTML, crops are SVG windows onto them (so a page
/// rendered once serves every crop on it, and highlights stay exactly on the
/// printed boxes at any zoom), styles and scripts are local files.
public struct ReviewSite {
    /// One report of the site.
    public struct Document: Sendable {
        public var report: Report
        /// The PDF the report came from, its sha256 checked; nil when it was
        /// not found (the site then shows the figures without page images).
        public var pdf: URL?
        /// Why there are no page images, when `pdf` is nil.
        public var missingPDF: String?
        /// Warnings raised across reports (`prior_period_mismatch`), shown
        /// with the report's own.
        public var acrossReports: [ReportWarning]
        /// The series (organisations joined by merges) the report belongs to.
        public var series: String?

        public init(report: Report, pdf: URL?, missingPDF: String? = nil, acrossReports: [ReportWarning] = [],
                    series: String? = nil) {
            self.report = report
            self.pdf = pdf
            self.missingPDF = missingPDF
            self.acrossReports = acrossReports
            self.series = series
        }

        /// The report's own warnings and those across reports, most severe first
        /// (stable within a severity).
        var warnings: [ReportWarning] {
            let all = report.warnings + acrossReports
            return all.enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
            }.map(\.element)
        }
    }

    /// What was written.
    public struct Summary: Sendable {
        public var documents: Int
        public var pagesRendered: Int
        public var warnings: Int
        public var crops: Int
        /// Reports shown without page images, with the reason.
        public var withoutImages: [(file: String, reason: String)]
    }

    public var documents: [Document]
    public var series: Series
    /// Files of the archive that could not be extracted, with the reason:
    /// listed on the index so that nothing silently disappears.
    public var failures: [(file: String, reason: String)]
    /// Resolution of the page images: 144 dpi keeps 9-point figures sharp
    /// in a crop at twice the page's size.
    public var dpi: Double
    /// Documents rendered at once.
    public var jobs: Int

    public init(documents: [Document], series: Series, failures: [(file: String, reason: String)] = [], dpi: Double = 144,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.jobs = max(1, jobs)
        self.documents = documents
        self.series = series
        self.failures = failures
        self.dpi = dpi
    }

    /// Writes the site into `folder`: built in a temporary folder beside it
    /// and moved into place whole, so an interrupted run leaves the previous
    /// site as it was. An existing folder is replaced only when it is empty
    /// or an earlier review site (it holds the marker file).
    public func write(to folder: URL) throws -> Summary {
        let fm = FileManager.default
        let folder = folder.standardizedFileURL
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReviewError.notAReviewFolder(folder.path, reason: "it is a file")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
            guard contents.isEmpty || contents.contains(Self.marker) else {
                throw ReviewError.notAReviewFolder(folder.path, reason: "it holds files that annals did not write")
            }
        }
        let parent = folder.deletingLastPathComponent()
        try? fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent).tmp-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            let summary = try build(into: staging)
            try Data("annals review site; this folder is replaced whole by the next `annals review -o`\n".utf8)
                .write(to: staging.appendingPathComponent(Self.marker))
            if fm.fileExists(atPath: folder.path) {
                let old = parent.appendingPathComponent(".\(folder.lastPathComponent).old-\(getpid())")
                try fm.moveItem(at: folder, to: old)
                do { try fm.moveItem(at: staging, to: folder) } catch {
                    try? fm.moveItem(at: old, to: folder)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: folder)
            }
            return summary
        } catch {
            try? fm.removeItem(at: staging)
            if let error = error as? ReviewError { throw error }
            if let error = error as? PDFError { throw ReviewError.render(error) }
            throw ReviewError.write(folder.path, reason: error.localizedDescription)
        }
    }

    static let marker = ".annals-review"

    // MARK: - Building

    /// Everything the pages need to link to each other.
    struct Context {
        var slugs: [String: String] = [:]          // sha256 → slug
        var rendered: [String: [Int: PageImage]] = [:]  // sha256 → page → image
        var facts: [String: [String: Fact]] = [:]   // sha256 → id → fact
        var files: [String: String] = [:]           // sha256 → source file

        struct PageImage { var width: Double; var height: Double }

        func image(_ sha: String, page: Int) -> PageImage? { rendered[sha]?[page] }
        /// The image's path from a page at the site's top level.
        func imagePath(_ sha: String, page: Int) -> String { "\(slugs[sha] ?? "")/p\(page).png" }
        func pageViewPath(_ sha: String, page: Int) -> String { "\(slugs[sha] ?? "")/p\(page).html" }
        func reportPath(_ sha: String) -> String { "\(slugs[sha] ?? "").html" }
    }

    func build(into folder: URL) throws -> Summary {
        var context = Context()
        var used = Set<String>()
        for document in documents {
            let sha = document.report.source.sha256
            let stem = URL(fileURLWithPath: document.report.source.file).deletingPathExtension().lastPathComponent
            var slug = HTML.slug(stem) + "-" + sha.prefix(8)
            while used.contains(slug) { slug += "x" }
            used.insert(slug)
            context.slugs[sha] = slug
            context.files[sha] = document.report.source.file
            context.facts[sha] = Dictionary(document.report.facts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }

        var withoutImages: [(String, String)] = []
        for document in documents {
            let sha = document.report.source.sha256
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(context.slugs[sha]!),
                                                    withIntermediateDirectories: true)
            if document.pdf == nil {
                withoutImages.append((document.report.source.file, document.missingPDF ?? "the source PDF was not given"))
            }
        }
        // Rendering is most of the work: documents in parallel, each with its
        // own poppler document (one is not to be shared between threads).
        let rendered = Locked<[String: Result<[Int: Context.PageImage], PDFError>]>([:])
        let queue = Locked(documents.filter { $0.pdf != nil })
        let slugs = context.slugs, dpi = self.dpi
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, queue.value.count))) { _ in
            while true {
                var next: Document?
                queue.update { if !$0.isEmpty { next = $0.removeFirst() } }
                guard let document = next, let pdf = document.pdf else { return }
                let sha = document.report.source.sha256
                let result = Result { () throws(PDFError) -> [Int: Context.PageImage] in
                    let pdfDocument = try PDFDocument(contentsOf: pdf)
                    var images: [Int: Context.PageImage] = [:]
                    for page in Self.pagesToShow(document).sorted() where page <= pdfDocument.pageCount {
                        let size = try pdfDocument.size(ofPage: page)
                        let url = folder.appendingPathComponent(slugs[sha]!).appendingPathComponent("p\(page).png")
                        try pdfDocument.renderPNG(page: page, to: url, dpi: dpi, grey: document.report.source.ocrPages.contains(page))
                        images[page] = .init(width: size.width, height: size.height)
                    }
                    return images
                }
                rendered.update { $0[sha] = result }
            }
        }
        var pagesRendered = 0
        for document in documents {
            let sha = document.report.source.sha256
            guard let result = rendered.value[sha] else { continue }
            context.rendered[sha] = try result.get()
            pagesRendered += context.rendered[sha]!.count
        }

        var crops = 0, warnings = 0
        for document in documents {
            let sha = document.report.source.sha256
            let page = ReportPage(document: document, context: context)
            try write(page.html(), to: folder.appendingPathComponent(context.reportPath(sha)))
            crops += page.cropCount
            warnings += document.warnings.count
            let pages = (context.rendered[sha] ?? [:]).keys.sorted()
            for (i, number) in pages.enumerated() {
                let view = PageView(document: document, page: number, previous: i > 0 ? pages[i - 1] : nil,
                                    next: i + 1 < pages.count ? pages[i + 1] : nil, context: context)
                try write(view.html(), to: folder.appendingPathComponent(context.pageViewPath(sha, page: number)))
            }
        }
        try write(IndexPage(documents: documents, series: series, failures: failures, context: context).html(),
                  to: folder.appendingPathComponent("index.html"))
        try write(Assets.css, to: folder.appendingPathComponent("style.css"))
        try write(Assets.script, to: folder.appendingPathComponent("review.js"))
        return Summary(documents: documents.count, pagesRendered: pagesRendered, warnings: warnings, crops: crops,
                       withoutImages: withoutImages)
    }

    /// Pages holding a figure or named by a warning. A notice that a page
    /// was read by OCR names every page of a scan; it alone earns no image.
    static func pagesToShow(_ document: Document) -> Set<Int> {
        var pages = Set(document.report.facts.map(\.source.page))
        for warning in document.report.warnings + document.acrossReports where warning.code != "ocr_page" {
            pages.formUnion(warning.pages)
        }
        return pages.filter { $0 >= 1 }
    }

    func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }
}

/// Why a review site could not be written.
public enum ReviewError: Error, CustomStringConvertible {
    case notAReviewFolder(String, reason: String)
    case write(String, reason: String)
    case render(PDFError)

    public var description: String {
        switch self {
        case .notAReviewFolder(let path, let reason):
            "\(path): error: will not replace this folder: \(reason); name a new or empty folder, or an earlier review site"
        case .write(let path, let reason):
            "\(path): error: cannot write the review site: \(reason)"
        case .render(let error):
            "\(error) (while rendering page images for the review)"
        }
    }
}
