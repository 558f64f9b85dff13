@testable import AnnalsCore
import CPoppler
import Foundation
import Testing

/// CPoppler declares the GLib, poppler-glib and cairo types and functions it
/// calls itself (so that they need not be linked: include/CPoppler.h). These
/// tests hold those declarations to the headers installed on this machine,
/// compiling C with both: every function's type must be the header's, and
/// every struct's size and offsets and every enum value the same.
@Suite struct PopplerABITests {
    static let include = Fixtures.root.appendingPathComponent("Sources/CPoppler/include")

    /// Sizes, offsets and values of what Swift reads or passes by value.
    static let layout = """
        #define LAYOUT(P) \\
            P(sizeof(GError)) P(offsetof(GError, domain)) P(offsetof(GError, code)) P(offsetof(GError, message)) \\
            P(sizeof(GList)) P(offsetof(GList, data)) P(offsetof(GList, next)) P(offsetof(GList, prev)) \\
            P(sizeof(PopplerRectangle)) P(offsetof(PopplerRectangle, x1)) P(offsetof(PopplerRectangle, y1)) \\
            P(offsetof(PopplerRectangle, x2)) P(offsetof(PopplerRectangle, y2)) \\
            P(sizeof(PopplerColor)) P(offsetof(PopplerColor, red)) P(offsetof(PopplerColor, green)) P(offsetof(PopplerColor, blue)) \\
            P(sizeof(PopplerTextAttributes)) P(offsetof(PopplerTextAttributes, font_name)) \\
            P(offsetof(PopplerTextAttributes, font_size)) P(offsetof(PopplerTextAttributes, is_underlined)) \\
            P(offsetof(PopplerTextAttributes, color)) P(offsetof(PopplerTextAttributes, start_index)) \\
            P(offsetof(PopplerTextAttributes, end_index)) \\
            P(sizeof(PopplerImageMapping)) P(offsetof(PopplerImageMapping, area)) P(offsetof(PopplerImageMapping, image_id)) \\
            P(sizeof(GQuark)) P(sizeof(gboolean)) P(sizeof(guint)) P(sizeof(gssize)) P(sizeof(guint16)) \\
            P(sizeof(GChecksumType)) P(G_CHECKSUM_SHA256) P(sizeof(PopplerError)) P(POPPLER_ERROR_ENCRYPTED) \\
            P(sizeof(cairo_status_t)) P(CAIRO_STATUS_SUCCESS) P(CAIRO_STATUS_NO_MEMORY) \\
            P(sizeof(cairo_format_t)) P(CAIRO_FORMAT_INVALID) P(CAIRO_FORMAT_ARGB32) P(CAIRO_FORMAT_RGB24) P(CAIRO_FORMAT_A8)
        #define PRINT(e) printf("%s = %ld\\n", #e, (long)(e));
        int main(void) { LAYOUT(PRINT) return 0; }

        """

    @Test func declarationsAreTheInstalledHeaders() throws {
        let folder = try Fixtures.temporaryDirectory()
        let installed = """
            #include <stddef.h>
            #include <stdio.h>
            #include <poppler.h>
            #include <cairo.h>
            #include <glib.h>
            #include "annals_poppler_functions.h"
            /* Each function's type in the installed header, against ours. */
            #define SAME(library, type, name, parameters, arguments) \\
                _Static_assert(__builtin_types_compatible_p(__typeof__(&name), type (*) parameters), #name " differs");
            #define SAME_VOID(library, name, parameters, arguments) \\
                _Static_assert(__builtin_types_compatible_p(__typeof__(&name), void (*) parameters), #name " differs");
            ANNALS_GLIB_FUNCTIONS(SAME, SAME_VOID)
            ANNALS_POPPLER_FUNCTIONS(SAME, SAME_VOID)

            """ + Self.layout
        let ours = """
            #include <stdio.h>
            #include "annals_poppler_types.h"

            """ + Self.layout
        let theirs = try compileAndRun(installed, named: "installed", in: folder, headers: true)
        let mine = try compileAndRun(ours, named: "ours", in: folder, headers: false)
        #expect(theirs.contains("sizeof(PopplerTextAttributes) = "), "the layout program printed nothing: \(theirs)")
        #expect(mine == theirs)
    }

    /// The loader finds every function it lists (it stops at the first
    /// missing), and what it opened works: GLib's SHA-256 of a sample is
    /// libcrypto's, and `sha256sum`'s.
    @Test func loaderFindsEveryFunction() throws {
        #expect(annals_load_poppler() == 1, "\(String(cString: annals_load_error()))")
        let sample = Fixtures.sample("B-pyramis-lulea-2019-arsredovisning.pdf")
        let data = try Data(contentsOf: sample)
        let sum = try shell("sha256sum '\(sample.path)'").output.prefix(64)
        #expect(SHA256.hexWithGLib(of: data) == String(sum))
        #expect(SHA256.hex(of: data) == String(sum))
    }

    /// Without poppler-glib nothing can be read: the error says so, names
    /// the library and how to install it, and no output is written.
    @Test func missingLibraryIsAClearError() throws {
        let folder = try Fixtures.temporaryDirectory()
        let out = folder.appendingPathComponent("c.json")
        let (status, _, stderr) = try Fixtures.run(
            ["extract", "samples/C-sodra-norrbotten-2023-arsredovisning.pdf", "-o", out.path],
            environment: ["ANNALS_POPPLER_GLIB": "/nonexistent/libpoppler-glib.so.8"])
        #expect(status != 0)
        #expect(stderr.contains("samples/C-sodra-norrbotten-2023-arsredovisning.pdf: error: the PDF library cannot be loaded: "
                                + "/nonexistent/libpoppler-glib.so.8 cannot be opened"), "\(stderr)")
        #expect(stderr.contains("apt-get install libpoppler-glib8 libcairo2"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    private func compileAndRun(_ source: String, named name: String, in folder: URL, headers: Bool) throws -> String {
        let file = folder.appendingPathComponent("\(name).c"), program = folder.appendingPathComponent(name)
        try source.write(to: file, atomically: true, encoding: .utf8)
        let flags = headers ? "$(pkg-config --cflags poppler-glib cairo glib-2.0)" : ""
        let compile = try shell("cc -std=gnu11 -Werror -I '\(Self.include.path)' \(flags) -o '\(program.path)' '\(file.path)'")
        try #require(compile.status == 0, "cannot compile the \(name) layout program (cc and pkg-config come with scripts/setup):\n\(compile.output)")
        let run = try shell("'\(program.path)'")
        try #require(run.status == 0, "\(run.output)")
        return run.output
    }

    /// A shell command's status and what it printed (both streams).
    private func shell(_ command: String) throws -> (status: Int32, output: String) {
        let run = try Fixtures.run(["-c", command], executable: URL(fileURLWithPath: "/bin/sh"))
        return (run.status, run.stdout + run.stderr)
    }
}
