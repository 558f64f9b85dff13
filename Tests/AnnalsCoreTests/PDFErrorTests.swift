import AnnalsCore
import Foundation
import Testing

/// Bad input gets a typed error naming the file and the reason, never a crash.
@Suite struct PDFErrorTests {
    let folder: URL
    init() throws { folder = try Fixtures.temporaryDirectory() }

    private func open(_ url: URL) -> PDFError? {
        do {
            _ = try PDFDocument(contentsOf: url)
            return nil
        } catch {
            return error
        }
    }

    @Test func zeroByteFileIsEmpty() throws {
        let url = try Fixtures.write(Data(), "empty.pdf", in: folder)
        #expect(open(url) == .empty(file: url.relativePath))
    }

    @Test func textFileIsNotAPDF() throws {
        let url = try Fixtures.write(Data("Årsredovisning 2019\nthis is not a PDF\n".utf8), "notes.pdf", in: folder)
        #expect(open(url) == .notAPDF(file: url.relativePath))
    }

    @Test func htmlErrorPageIsNotAPDF() throws {
        let url = try Fixtures.write(Data("<!DOCTYPE html><title>404</title>".utf8), "download.pdf", in: folder)
        #expect(open(url) == .notAPDF(file: url.relativePath))
    }

    @Test(arguments: [0.05, 0.3, 0.6])
    func truncatedSampleIsDamaged(keeping fraction: Double) throws {
        let sample = try Data(contentsOf: Fixtures.sample("B-pyramis-lulea-2019-arsredovisning.pdf"))
        let url = try Fixtures.write(sample.prefix(Int(Double(sample.count) * fraction)), "cut.pdf", in: folder)
        guard case .damaged(let file, let reason)? = open(url) else {
            Issue.record("expected .damaged for a file cut to \(fraction)")
            return
        }
        #expect(file == url.relativePath)
        #expect(!reason.isEmpty)
    }

    @Test func encryptedNeedsPassword() throws {
        let data = Fixtures.encryptedPDF()
        let url = try Fixtures.write(data, "locked.pdf", in: folder)
        #expect(open(url) == .encrypted(file: url.relativePath))
    }

    @Test func documentWithoutPagesIsRefused() throws {
        let data = Fixtures.minimalPDF(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>",
        ])
        let url = try Fixtures.write(data, "zero.pdf", in: folder)
        #expect(open(url) == .noPages(file: url.relativePath))
    }

    @Test func missingFileAndDirectoryAreUnreadable() throws {
        let missing = folder.appendingPathComponent("nowhere.pdf")
        #expect(open(missing) == .unreadable(file: missing.relativePath, reason: "no such file"))
        #expect(open(folder) == .unreadable(file: folder.relativePath, reason: "it is a directory"))
    }

    @Test func pageOutsideTheDocumentIsRefused() throws {
        let url = try Fixtures.write(Fixtures.onePagePDF(), "one.pdf", in: folder)
        let document = try PDFDocument(contentsOf: url)
        #expect(document.pageCount == 1)
        #expect(throws: PDFError.pageOutOfRange(file: url.relativePath, page: 2, pageCount: 1)) {
            try document.text(ofPage: 2)
        }
        #expect(throws: PDFError.pageOutOfRange(file: url.relativePath, page: 0, pageCount: 1)) {
            try document.text(ofPage: 0)
        }
    }

    @Test func messagesNameTheFileAndWhatToDo() {
        let message = PDFError.encrypted(file: "arkiv/2009.pdf").description
        #expect(message.hasPrefix("arkiv/2009.pdf: error: "))
        #expect(message.contains("password"))
        #expect(PDFError.pageOutOfRange(file: "a.pdf", page: 9, pageCount: 3).description
            == "a.pdf: error: there is no page 9; the document has 3 pages (pages are numbered from 1).")
    }

    @Test func reconstructsABrokenCrossReferenceTable() throws {
        // poppler rebuilds a lost xref by scanning the objects; a file whose
        // only damage is its xref must still be read, not refused.
        var data = Fixtures.onePagePDF(text: "Kassa och bank")
        let xref = data.range(of: Data("xref".utf8), options: .backwards)!.lowerBound
        data = data.prefix(upTo: xref) + Data("xref GARBAGE\nstartxref\n99999\n%%EOF\n".utf8)
        let url = try Fixtures.write(data, "badxref.pdf", in: folder)
        let page = try PDFDocument(contentsOf: url).text(ofPage: 1)
        #expect(page.words.map(\.text) == ["Kassa", "och", "bank"])
    }
}
