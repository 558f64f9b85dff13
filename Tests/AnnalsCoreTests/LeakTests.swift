import Foundation
import Testing

/// The C pointers poppler, glib and cairo hand out are freed: valgrind finds
/// nothing definitely or indirectly lost after reading every page of a sample
/// and rendering one with boxes. (Blocks glib keeps for its type system are
/// "possibly lost" and constant per process; see scripts/leakcheck.)
@Suite struct LeakTests {
    @Test func noLeaksUnderValgrind() throws {
        let valgrind = "/usr/bin/valgrind"
        try #require(FileManager.default.isExecutableFile(atPath: valgrind),
                     "valgrind missing: run scripts/setup (it installs it)")
        let folder = try Fixtures.temporaryDirectory()
        let png = folder.appendingPathComponent("p.png").path
        // valgrind 3.19 cannot read the DWARF 5 that clang writes for the C
        // parts (libyaml); a copy without debug info runs the same code.
        let binary = folder.appendingPathComponent("annals")
        let strip = Process()
        strip.executableURL = URL(fileURLWithPath: "/usr/bin/strip")
        strip.arguments = ["--strip-debug", "-o", binary.path, Fixtures.executable.path]
        try strip.run()
        strip.waitUntilExit()
        try #require(strip.terminationStatus == 0, "strip failed")
        for arguments in [
            ["inspect", "samples/B-pyramis-lulea-2019-arsredovisning.pdf", "--format", "json"],
            ["inspect", "samples/B-pyramis-lulea-2019-arsredovisning.pdf", "--page", "19", "--png", png],
        ] {
            let log = folder.appendingPathComponent("valgrind.log")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: valgrind)
            process.arguments = ["--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
                                 "--error-exitcode=9", "--log-file=\(log.path)", binary.path] + arguments
            process.currentDirectoryURL = Fixtures.root
            // Set, so annals does not start itself again to set it.
            process.environment = ProcessInfo.processInfo.environment.merging(["OMP_THREAD_LIMIT": "1"]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let report = try String(contentsOf: log, encoding: .utf8)
            let summary = report.split(separator: "\n").filter { $0.contains(" lost:") || $0.contains("ERROR SUMMARY") }
            #expect(process.terminationStatus == 0, "valgrind \(arguments.joined(separator: " ")):\n\(summary.joined(separator: "\n"))")
            #expect(report.contains("definitely lost: 0 bytes in 0 blocks") || report.contains("All heap blocks were freed"))
        }
    }
}
