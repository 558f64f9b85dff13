import AnnalsCore
import CPoppler
import Foundation
import Testing

/// `annals review`, checked in a real browser: headless Chromium loads the
/// site from the file system, its DOM (after the scripts ran) must hold the
/// warnings with their crops, and its screenshots must show something.
/// Screenshots are kept in .build/review-artifacts for a person to look at.
@Suite(.serialized) struct ReviewTests {
    static let A = "A-sodra-norrbotten-2020-delarsrapport.pdf"
    static let B = "B-pyramis-lulea-2019-arsredovisning.pdf"
    static let C = "C-sodra-norrbotten-2023-arsredovisning.pdf"
    /// How Chromium serialises a no-break space.
    static let nbsp = "&nbsp;"

    struct Site {
        var folder: URL
        var batch: URL
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// One batch over A, B and C and one review of its database, shared by the tests.
    static let site: Result<Site, any Error> = Result {
        let root = try Fixtures.temporaryDirectory()
        let input = root.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in [A, B, C] {
            try FileManager.default.copyItem(at: Fixtures.sample(name), to: input.appendingPathComponent(name))
        }
        // A file that cannot be extracted: the review lists it.
        try Fixtures.write(Data(), "empty.pdf", in: input)
        let batch = root.appendingPathComponent("out")
        let run = try Fixtures.run(["batch", input.path, "--out", batch.path, "--quiet"])
        guard run.status == 1, run.stderr.contains("empty.pdf") else { throw Failure("batch: \(run.status) \(run.stderr)") }
        let folder = root.appendingPathComponent("review")
        let review = try Fixtures.run(["review", "--db", batch.appendingPathComponent("annals.sqlite").path, "-o", folder.path])
        return Site(folder: folder, batch: batch, stdout: review.stdout, stderr: review.stderr, status: review.status)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static var artifacts: URL {
        let url = Fixtures.root.appendingPathComponent(".build/review-artifacts")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: - Chromium

    static let chromium: URL? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .map { URL(fileURLWithPath: $0) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Runs headless Chromium on a file URL (with an optional fragment);
    /// returns what it printed on stdout.
    static func browser(_ arguments: [String], _ page: URL, fragment: String? = nil) throws -> String {
        let chromium = try #require(chromium, "Chromium is not installed: run scripts/setup (it installs Debian's chromium)")
        let profile = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        let run = try Fixtures.run(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                    "--user-data-dir=\(profile.path)"] + arguments
                                   + [page.absoluteString + (fragment.map { "#\($0)" } ?? "")], executable: chromium)
        guard run.status == 0 else { throw Failure("chromium exited \(run.status) on \(page.path): \(run.stderr)") }
        return run.stdout
    }

    static func dom(_ page: URL, fragment: String? = nil) throws -> String {
        try browser(["--dump-dom"], page, fragment: fragment)
    }

    static func screenshot(_ page: URL, width: Int, height: Int, name: String) throws -> URL {
        let url = artifacts.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        _ = try browser(["--window-size=\(width),\(height)", "--screenshot=\(url.path)"], page)
        return url
    }

    /// The `<article>` elements of a dumped DOM, each as its HTML text.
    static func articles(_ dom: String) -> [String] {
        dom.components(separatedBy: "<article ").dropFirst().map { "<article " + ($0.components(separatedBy: "</article>").first ?? "") }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The `href`s of the SVG `<image>` elements in `html`.
    static func imageReferences(_ html: String) -> [String] {
        html.components(separatedBy: "<image href=\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
    }

    static func reportPage(_ site: Site, _ sample: String) throws -> URL {
        let stem = String(sample.dropLast(4)).lowercased()
        let name = try #require(Fixtures.filesIn(site.folder).first { $0.hasPrefix(stem) && $0.hasSuffix(".html") })
        return site.folder.appendingPathComponent(name)
    }

    // MARK: - Tests

    @Test func writesTheSiteFromTheBatchDatabase() throws {
        let site = try Self.site.get()
        #expect(site.status == 0, "\(site.stderr)")
        #expect(site.stdout.hasPrefix("review: 3 reports,"), "\(site.stdout)")
        let files = Fixtures.filesIn(site.folder)
        for name in ["index.html", "style.css", "review.js", ".annals-review"] { #expect(files.contains(name), "\(name)") }
        #expect(files.filter { $0.hasSuffix(".html") }.count == 4)
        // Nothing is fetched from a network.
        for name in files where name.hasSuffix(".html") || name.hasSuffix(".css") || name.hasSuffix(".js") {
            let text = try String(contentsOf: site.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("http://") && !text.contains("https://"), "\(name) refers to the network")
        }
    }

    /// C's costs: Not 2 adds up to 9 326 591 (seed 002 l.965) but the income
    /// statement says 9 335 665 (l.892): one warning, two crops side by side.
    @Test func theBrowserShowsCsNoteMismatchWithBothCrops() throws {
        let site = try Self.site.get()
        let page = try Self.reportPage(site, Self.C)
        let dom = try Self.dom(page)
        #expect(dom.contains("<title>Samordningsförbundet Södra Norrbotten – annual report 2023</title>"))
        let matches = Self.articles(dom).filter {
            $0.contains("9\(Self.nbsp)326\(Self.nbsp)591") && $0.contains("9\(Self.nbsp)335\(Self.nbsp)665")
                && $0.contains("data-code=\"sum_mismatch\"")
        }
        let warning = try #require(matches.first, "no sum_mismatch warning with 9 326 591 and 9 335 665")
        #expect(matches.count == 1)
        #expect(warning.contains("class=\"finding error\""))
        #expect(warning.contains("Not 2. Verksamhetens kostnader (p. 33): the rows add up to 9&nbsp;326&nbsp;591 kr"))
        #expect(Self.count("<figure class=\"crop\">", in: warning) == 2, "\(warning)")
        #expect(warning.contains("class=\"places pair\""), "side by side")
        // Each crop highlights its figure on an image that exists.
        #expect(Self.count("<rect class=\"hl\"", in: warning) == 4, "a wide and a narrow window per crop")
        let images = Self.imageReferences(warning)
        #expect(Set(images).count == 2, "pages 31 and 33: \(images)")
        for image in images {
            #expect(FileManager.default.fileExists(atPath: page.deletingLastPathComponent().appendingPathComponent(image).path), "\(image)")
        }
        #expect(warning.contains("p.\(Self.nbsp)31") && warning.contains("p.\(Self.nbsp)33"))
        // The statements link each value to its page.
        #expect(dom.contains("id=\"income-statement\"") && dom.contains("id=\"balance-sheet\"") && dom.contains("id=\"cash-flow\""))
        #expect(dom.contains("id=\"participants\""))
        let link = try #require(dom.range(of: #"c-sodra-norrbotten-2023-arsredovisning-[0-9a-f]{8}/p31\.html#f\d+(?=" title="p\. 31: printed [−-]9 335 665)"#,
                                          options: .regularExpression).map { String(dom[$0]) })
        // … where the script shows that figure enlarged above the page, outlined.
        let parts = link.split(separator: "#")
        let view = try Self.dom(site.folder.appendingPathComponent(String(parts[0])), fragment: String(parts[1]))
        let zoom = try #require(view.range(of: #"<figure class="crop zoom" id="zoom"[^>]*>.*?</figure>"#, options: .regularExpression)
            .map { String(view[$0]) })
        #expect(!zoom.contains(" hidden"), "\(zoom)")
        #expect(zoom.contains("Verksamhetens kostnader · income_statement.operating_costs · 2023 · printed −9 335 665")
                || zoom.contains("Verksamhetens kostnader · income_statement.operating_costs · 2023 · printed -9 335 665"), "\(zoom)")
        #expect(!zoom.contains("viewBox=\"0 0 "), "the window is moved onto the figure")
    }

    /// A's comparison column restates 2019's result as 5 773 where B, the
    /// 2019 report, says 5 759 (seeds 000 l.15, 001 l.541): crops from both.
    @Test func aPriorPeriodMismatchShowsBothReports() throws {
        let site = try Self.site.get()
        let dom = try Self.dom(try Self.reportPage(site, Self.A))
        let warning = try #require(Self.articles(dom).first {
            $0.contains("data-code=\"prior_period_mismatch\"") && $0.contains("5\(Self.nbsp)773") && $0.contains("5\(Self.nbsp)759")
        })
        #expect(warning.contains("<span class=\"which\">This report</span>"))
        #expect(warning.contains("<span class=\"which\">Earlier report: "))
        let images = Self.imageReferences(warning)
        #expect(images.contains { $0.hasPrefix("a-sodra-norrbotten-2020-delarsrapport-") })
        #expect(images.contains { $0.hasPrefix("b-pyramis-lulea-2019-arsredovisning-") })
    }

    @Test func theIndexFiltersAndChartsTheSeries() throws {
        let site = try Self.site.get()
        let index = site.folder.appendingPathComponent("index.html")
        let all = try Self.dom(index)
        #expect(Self.count("<tr data-series=", in: all) == 3)
        #expect(!all.contains("<form class=\"filters\" id=\"filters\" hidden"), "the script shows the filters")
        // Pyramis is merged into Södra Norrbotten (its mapping's merged_from): one series, one chart.
        #expect(Self.count("<section class=\"organisation\"", in: all) == 1)
        #expect(Self.count("<polyline class=\"series\"", in: all) == 4)
        // Of the four prior-period mismatches, two are charted figures (the 2019 result and costs).
        #expect(Self.count("<g class=\"mismatch\">", in: all) == 2)
        #expect(all.contains("<option value=\"prior_period_mismatch\">prior_period_mismatch (4)</option>"))
        // The file the batch could not read is listed, with its reason.
        #expect(all.range(of: #"<h2 id="failures-h">Not extracted <span class="n">1</span></h2>[\s\S]*?empty\.pdf</td><td>the file is empty \(0 bytes\)"#,
                          options: .regularExpression) != nil)

        // Filtered by a code only A has: B's and C's rows are hidden.
        let filtered = try Self.dom(index, fragment: "code=participants_mismatch")
        #expect(Self.count("<tr data-series=", in: filtered) == 3)
        #expect(Self.count("\" hidden=\"\"><td", in: filtered) == 2, "two rows hidden")
        #expect(filtered.contains("showing 1 of 3 reports"))
    }

    @Test func screenshotsAreNotBlank() throws {
        let site = try Self.site.get()
        let c = try Self.reportPage(site, Self.C)
        let shots = [
            (try Self.screenshot(site.folder.appendingPathComponent("index.html"), width: 1280, height: 2000, name: "index-1280.png"), 1280),
            (try Self.screenshot(c, width: 1280, height: 2400, name: "report-C-1280.png"), 1280),
            (try Self.screenshot(c, width: 390, height: 2400, name: "report-C-390.png"), 390),
            (try Self.screenshot(site.folder.appendingPathComponent("index.html"), width: 390, height: 2400, name: "index-390.png"), 390),
        ]
        for (url, width) in shots {
            let stats = try #require(PixelStats(png: url), "\(url.path) is not a PNG")
            #expect(stats.width == width)
            #expect(stats.inked > 0.02, "\(url.lastPathComponent): \(stats.inked) of the pixels are not background")
            #expect(stats.red > 50, "\(url.lastPathComponent): the error marks")
        }
        // A page view: the rendered page, its figures outlined.
        let pageFolder = c.deletingPathExtension()
        let view = try Self.screenshot(pageFolder.appendingPathComponent("p31.html"), width: 1280, height: 1400, name: "page-C-31.png")
        let stats = try #require(PixelStats(png: view))
        #expect(stats.inked > 0.02)
    }

    @Test func reviewFromJSONFilesAndItsErrors() throws {
        let site = try Self.site.get()
        let root = site.folder.deletingLastPathComponent()
        let json = site.batch.appendingPathComponent(Self.C.replacingOccurrences(of: ".pdf", with: ".json"))

        // From a JSON file whose PDF cannot be found: figures without images, said on stderr.
        let moved = root.appendingPathComponent("moved")
        try FileManager.default.createDirectory(at: moved, withIntermediateDirectories: true)
        var report = try String(contentsOf: json, encoding: .utf8)
        report = report.replacingOccurrences(of: "\"file\":\"", with: "\"file\":\"gone/")
        try Data(report.utf8).write(to: moved.appendingPathComponent("c.json"))
        let noImages = root.appendingPathComponent("review-no-images")
        var run = try Fixtures.run(["review", moved.appendingPathComponent("c.json").path, "-o", noImages.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: no page images: the source PDF gone/"), "\(run.stderr)")
        #expect(run.stdout.contains("0 page images"))
        // … and --pdfs finds it by its bytes.
        run = try Fixtures.run(["review", moved.appendingPathComponent("c.json").path, "-o", noImages.path,
                                "--pdfs", Fixtures.samples.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("no page images"), "\(run.stderr)")

        // A folder holding someone's files is not replaced.
        let foreign = root.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        run = try Fixtures.run(["review", json.path, "-o", foreign.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("will not replace this folder: it holds files that annals did not write"), "\(run.stderr)")
        #expect(try String(contentsOf: foreign.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")

        // Not a report.
        let bad = root.appendingPathComponent("bad.json")
        try Data("{\"schema\": \"something else\"}".utf8).write(to: bad)
        run = try Fixtures.run(["review", bad.path, "-o", root.appendingPathComponent("r2").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.json: error: not an annals report"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("r2").path), "nothing half-written")

        // Neither files nor a database.
        run = try Fixtures.run(["review", "-o", root.appendingPathComponent("r3").path])
        #expect(run.status == 64)
    }
}

/// How much of a screenshot is not background, read with cairo.
struct PixelStats {
    var width: Int
    var height: Int
    /// Share of pixels far from the most common colour.
    var inked: Double
    /// Pixels of a clear red (error marks, highlights).
    var red: Int

    init?(png url: URL) {
        guard annals_load_poppler() != 0, let surface = cairo_image_surface_create_from_png(url.path) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else { return nil }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var histogram: [UInt32: Int] = [:]
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            let row = data + y * stride
            for x in 0..<width {
                let p = row.advanced(by: x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee } & 0xFFFFFF
                pixels.append(p)
                histogram[p, default: 0] += 1
            }
        }
        let background = histogram.max { $0.value < $1.value }!.key
        func channels(_ p: UInt32) -> (Int, Int, Int) { (Int((p >> 16) & 0xFF), Int((p >> 8) & 0xFF), Int(p & 0xFF)) }
        let (br, bg, bb) = channels(background)
        var inked = 0
        red = 0
        for p in pixels {
            let (r, g, b) = channels(p)
            if abs(r - br) + abs(g - bg) + abs(b - bb) > 96 { inked += 1 }
            if r > 150 && g < 90 && b < 90 { red += 1 }
        }
        self.inked = Double(inked) / Double(max(pixels.count, 1))
    }
}
