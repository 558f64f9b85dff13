import AnnalsCore
import ArgumentParser
import Foundation

@main
struct Annals: ParsableCommand {
    /// tesseract's OpenMP threads, on top of annals' own one thread per page,
    /// make OCR four times slower on two cores; libgomp reads its limit only
    /// when the process starts, so annals starts itself again with it set.
    static func main() {
        // Only the commands that run tesseract in this process need it; a
        // batch gives its workers the limit itself, and starting again costs
        // the process's whole start-up (some 20 ms).
        let ocrInProcess = !["batch", "series", "review", "layouts", "check-mapping"].contains(CommandLine.arguments.dropFirst().first ?? "")
        if ocrInProcess, ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] == nil {
            setenv("OMP_THREAD_LIMIT", "1", 1)
            var argv = CommandLine.arguments.map { strdup($0) } + [nil]
            // By the name it was started with (found on PATH if need be).
            execvp(CommandLine.arguments[0], &argv)
            // Not on Linux, or exec failed: carry on with OpenMP as it is.
        }
        Self.main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "annals",
        abstract: "Turn the PDFs of annual reports into trustworthy, normalised data.",
        discussion: """
            annals reads Swedish samordningsförbund reports (årsredovisning, delårsrapport) \
            through poppler, rebuilds their tables and emits facts with provenance.
            Exit codes: 0 ok, 1 bad input (the reason is on stderr), 64 bad usage.
            """,
        version: AnnalsVersion.current,
        subcommands: [Extract.self, Batch.self, SeriesCommand.self, Review.self, Inspect.self, Layouts.self, CheckMapping.self, Worker.self]
    )
}

/// Prints a library error the way a compiler would and exits 1 (bad input).
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    return ExitCode(1)
}

func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
    return ExitCode(1)
}
