import AnnalsCore
import ArgumentParser
import Foundation

@main
struct Annals: ParsableCommand {
    /// tesseract's OpenMP threads, on top of annals' own one thread per page,
    /// make OCR four times slower on two cores. libgomp reads its limit when
    /// it is loaded, and it comes only with libtesseract, which annals opens
    /// when a page first needs OCR: set here, before any thread starts, the
    /// limit is in place by then (a limit the user set is kept).
    static func main() {
        setenv("OMP_THREAD_LIMIT", "1", 0)
        if let options = Worker.Options(batchArguments: CommandLine.arguments.dropFirst()) {
            do { try Worker.serve(options) } catch { exit(withError: error) }
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
    writeToStandardError("\(error)\n")
    return ExitCode(1)
}

func fail(_ message: String) -> ExitCode {
    writeToStandardError("\(message)\n")
    return ExitCode(1)
}

/// Writes to standard error. A reader that went away (`annals batch … 2>&1 |
/// head`) is no reason to stop: the outputs are in files, and there is
/// nowhere left to say anything.
func writeToStandardError(_ text: String) {
    try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
}

/// Writes all of `data` to a descriptor, going on after interruptions;
/// false (with errno set) when the descriptor takes no more.
func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if n == 0 { errno = EIO }  // no progress: not to be retried forever
                return false
            }
            offset += n
        }
        return true
    }
}

/// Writes to standard output; an error (a full disk) ends the command.
func writeToStandardOutput(_ data: Data) throws {
    try FileHandle.standardOutput.write(contentsOf: data)
}

