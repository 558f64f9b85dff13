import AnnalsCore
import Foundation
import Testing

/// `annals batch` over the samples and hostile files: isolation, atomic
/// outputs, the database, the CSV exports and resuming after a kill.
@Suite(.serialized) struct BatchCommandTests {
    static let A = "A-sodra-norrbotten-2020-delarsrapport.pdf"
    static let C = "C-sodra-norrbotten-2023-arsredovisning.pdf"

    /// The samples under awkward names, next to files no extractor should survive.
    static func archiveFolder() throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("in")
        let odd = folder.appendingPathComponent("sub dir")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.sample(A), to: odd.appendingPathComponent("-delår å ä ö.pdf"))
        try FileManager.default.copyItem(at: Fixtures.sample(C), to: folder.appendingPathComponent(C))
        try FileManager.default.copyItem(at: Fixtures.sample(C), to: odd.appendingPathComponent("copy of C.pdf"))
        let c = try Data(contentsOf: Fixtures.sample(C))

        try Fixtures.write(Data(), "empty.pdf", in: folder)
        try Fixtures.write(Data("<html><body>404 Not Found</body></html>\n".utf8), "not-a-pdf.pdf", in: folder)
        try Fixtures.write(c.prefix(c.count / 3), "truncated.pdf", in: folder)
        // The sample with its cross-reference offset pointing nowhere: poppler rebuilds it.
        var broken = c
        let startxref = broken.range(of: Data("startxref".utf8), options: .backwards)!.lowerBound
        broken = broken.prefix(upTo: startxref) + Data("startxref\n123\n%%EOF\n".utf8)
        try Fixtures.write(broken, "corrupted-xref.pdf", in: folder)
        try Fixtures.write(Fixtures.encryptedPDF(), "encrypted.pdf", in: folder)
        try Fixtures.write(Fixtures.minimalPDF(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>",
        ]), "zero-pages.pdf", in: folder)
        var tiny = ""
        for i in 0..<50_000 {
            tiny += "BT /F1 1 Tf \(20 + (i % 500)) \(40 + (i / 500) * 7) Td (\(i % 10)) Tj ET\n"
        }
        try Fixtures.write(Fixtures.onePagePDF(stream: tiny), "tiny-objects.pdf", in: folder)
        return folder
    }

    static func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func survivesHostileFilesAndRecordsEveryDocument() throws {
        let input = try Self.archiveFolder()
        let out = input.deletingLastPathComponent().appendingPathComponent("out")
        let (status, _, stderr) = try Fixtures.run(["batch", input.path, "--out", out.path, "--jobs", "2", "--timeout", "120"])
        #expect(status == 1, "\(stderr)")
        #expect(stderr.contains("copy of C.pdf: skipped, the same bytes as "), "a copy is extracted once")

        let outputs = Self.files(in: out)
        #expect(outputs.contains("-delår å ä ö.json"))
        #expect(outputs.contains("C-sodra-norrbotten-2023-arsredovisning.json"))
        #expect(outputs.contains("corrupted-xref.json"))
        #expect(outputs.contains("annals.sqlite") && outputs.contains("values.csv")
                && outputs.contains("warnings.csv") && outputs.contains("summary.txt"))
        #expect(!outputs.contains { $0.hasSuffix(".tmp") })
        for bad in ["empty", "not-a-pdf", "truncated", "encrypted", "zero-pages"] {
            #expect(!outputs.contains("\(bad).json"), "\(bad)")
        }

        let archive = try Archive(url: out.appendingPathComponent("annals.sqlite"))
        let reports = try archive.rows("SELECT file, status, reason, organisation, type, pages FROM reports ORDER BY file")
        func report(_ name: String) -> [String: String]? { reports.first { $0["file"]!.hasSuffix(name) } }
        #expect(reports.count == 9)
        #expect(report("-delår å ä ö.pdf")?["status"] == "ok")
        #expect(report("-delår å ä ö.pdf")?["type"] == "interim")
        #expect(report("-delår å ä ö.pdf")?["pages"] == "31")
        #expect(report(Self.C)?["organisation"] == "Samordningsförbundet Södra Norrbotten")
        #expect(report("corrupted-xref.pdf")?["status"] == "ok")
        // Each bad file has its reason, the same one `extract` gives.
        #expect(report("empty.pdf")?["reason"]?.contains("empty (0 bytes)") == true)
        #expect(report("not-a-pdf.pdf")?["reason"]?.contains("not a PDF") == true)
        #expect(report("truncated.pdf")?["reason"]?.contains("damaged") == true)
        #expect(report("encrypted.pdf")?["reason"]?.contains("password") == true)
        #expect(report("zero-pages.pdf")?["reason"]?.contains("no pages") == true)
        // 50 000 one-character text objects: read (nothing to find) or refused, never a hang.
        let tiny = try #require(report("tiny-objects.pdf"))
        #expect(tiny["status"] == "ok" || tiny["reason"]?.isEmpty == false)
        for failed in reports where failed["status"] == "failed" {
            #expect(stderr.contains(failed["file"]!), "the failure table names \(failed["file"]!)")
        }

        // The database holds what the JSON says, and the CSV what the database says.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("C-sodra-norrbotten-2023-arsredovisning.json"))) as! [String: Any]
        let sha = (json["source"] as! [String: Any])["sha256"] as! String
        let counts = try archive.rows("""
            SELECT (SELECT COUNT(*) FROM facts WHERE report = ?1) AS facts,
                   (SELECT COUNT(*) FROM "values" WHERE report = ?1) AS "values",
                   (SELECT COUNT(*) FROM warnings WHERE report = ?1) AS warnings
            """, arguments: [sha])[0]
        #expect(counts["facts"] == String((json["facts"] as! [Any]).count))
        #expect(counts["values"] == String((json["values"] as! [Any]).count))
        #expect(counts["warnings"] == String((json["warnings"] as! [Any]).count))
        // Each fact row as its JSON: the printed text and the box (workers store the reports they write).
        let stored = try archive.rows("SELECT id, printed, bbox, value_text FROM facts WHERE report = ?", arguments: [sha])
        let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0["id"]!, $0) })
        for case let fact as [String: Any] in json["facts"] as! [Any] {
            let source = fact["source"] as! [String: Any]
            let row = byID[fact["id"] as! String]
            #expect(row?["printed"] == source["text"] as? String)
            let box = (source["bbox"] as? [Double])?.map { "\($0)" }.joined(separator: ", ")
            #expect(row?["bbox"] == box.map { "[\($0)]" }, "\(fact["id"]!)")
        }
        // Seed C, Resultaträkning: Verksamhetens kostnader 2023 -9 335 665 (costs are positive in the contract).
        let costs = try archive.rows("""
            SELECT value, value_text FROM "values" WHERE report = ? AND concept = 'income_statement.operating_costs'
              AND dims = '{}' AND period_start = '2023-01-01' AND period_end = '2023-12-31' AND scenario = 'actual'
            """, arguments: [sha])
        #expect(costs.map { $0["value"] } == ["9335665"])

        let csv = try String(contentsOf: out.appendingPathComponent("values.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "file,sha256,organisation,report_type,report_period,concept,dims,period,scenario,value,unit,agreed,confidence")
        let total = try archive.rows(#"SELECT COUNT(*) AS n FROM "values""#)[0]["n"]
        #expect(String(lines.count - 1) == total)
        #expect(lines.contains { $0.contains(",income_statement.operating_costs,,2023-01-01/2023-12-31,actual,9335665,SEK,") })
        let summary = try String(contentsOf: out.appendingPathComponent("summary.txt"), encoding: .utf8)
        #expect(summary.contains("documents: 9 ("))
        #expect(summary.contains("empty.pdf: the file is empty"))
    }

    /// A worker past --timeout is killed and its document recorded; no output
    /// or temporary file of it stays.
    @Test func stopsAWorkerPastItsTimeout() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let (status, _, stderr) = try Fixtures.run(["batch", Fixtures.sample(Self.C).path, "--out", out.path, "--timeout", "0.05"])
        #expect(status == 1)
        #expect(stderr.contains("timed out after 0.05 s (--timeout); the worker was stopped"), "\(stderr)")
        #expect(Self.files(in: out) == ["annals.sqlite", "summary.txt", "values.csv", "warnings.csv"])
        let archive = try Archive(url: out.appendingPathComponent("annals.sqlite"))
        #expect(try archive.rows("SELECT status FROM reports").map { $0["status"] } == ["failed"])
    }

    /// A mapping that cannot be read stops the batch before it writes
    /// anything, naming the file and line (the workers read the mappings;
    /// the first to be ready, or not, answers for them).
    @Test func brokenMappingStopsTheBatchBeforeItWrites() throws {
        let root = try Fixtures.temporaryDirectory()
        let mappings = root.appendingPathComponent("mappings")
        try FileManager.default.copyItem(at: Fixtures.root.appendingPathComponent("mappings"), to: mappings)
        let broken = mappings.appendingPathComponent("pyramis-2019.yaml")
        try Fixtures.write(try Data(contentsOf: broken) + Data("  - this: [is broken\n".utf8), "pyramis-2019.yaml", in: mappings)
        let out = root.appendingPathComponent("out")
        let (status, _, stderr) = try Fixtures.run(["batch", Fixtures.sample(Self.A).path, "--out", out.path,
                                                    "--mappings", mappings.path])
        #expect(status == 1)
        #expect(stderr.contains("pyramis-2019.yaml:") && stderr.contains("error: not valid YAML"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
        // Into a folder that exists: it stays as it was (the batch makes a
        // new database while the workers read their mappings, and takes it back).
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let again = try Fixtures.run(["batch", Fixtures.sample(Self.A).path, "--out", out.path, "--mappings", mappings.path])
        #expect(again.status == 1)
        #expect(Self.files(in: out).isEmpty, "\(Self.files(in: out))")
    }

    /// The worker reads the options the batch gives it without ArgumentParser;
    /// anything else still gets ArgumentParser's usage error.
    @Test func workerRefusesOptionsTheBatchNeverGives() throws {
        let (status, _, stderr) = try Fixtures.run(["worker", "--ocr", "sometimes"])
        #expect(status == 64)
        #expect(stderr.contains("The value 'sometimes' is invalid for '--ocr <ocr>'"), "\(stderr)")
        let missing = try Fixtures.run(["worker", "--mappings", "/nonexistent", "--ocr", "never"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("/nonexistent:0:0: error: cannot read the mappings folder"), "\(missing.stderr)")
    }

    /// Standard error closed by its reader (`annals batch … 2>&1 | head -1`):
    /// the batch has nowhere to report progress, and goes on to finish.
    @Test func finishesWhenStandardErrorIsClosed() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let process = Process()
        process.executableURL = Fixtures.executable
        process.arguments = ["batch", Fixtures.sample(Self.A).path, Fixtures.sample(Self.C).path, "--out", out.path, "--jobs", "1"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try errors.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "\(process.terminationReason) \(process.terminationStatus)")
        #expect(Self.files(in: out) == ["A-sodra-norrbotten-2020-delarsrapport.json", "C-sodra-norrbotten-2023-arsredovisning.json",
                                        "annals.sqlite", "summary.txt", "values.csv", "warnings.csv"])
    }

    /// A worker killed by a signal (as a crash inside poppler or tesseract
    /// would) costs its document only: the batch records why, and a new
    /// worker takes the next document.
    @Test func survivesAWorkerCrashingBySignal() throws {
        let root = try Fixtures.temporaryDirectory()
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.sample(Self.C), to: input.appendingPathComponent(Self.C))
        // Other bytes than C's (a comment after %%EOF), so it is a document of its own.
        try Fixtures.write(try Data(contentsOf: Fixtures.sample(Self.C)) + Data("% crash\n".utf8), "crash-me.pdf", in: input)
        // A's bytes, sorted after crash-me.pdf: the document after the crash.
        try FileManager.default.copyItem(at: Fixtures.sample(Self.A), to: input.appendingPathComponent("z-after.pdf"))
        // Workers take their documents one per line on standard input: this
        // one passes them on to a real worker and dies by SIGSEGV when sent
        // crash-me.pdf, whatever came before it.
        let wrapper = try Fixtures.write(Data("""
            #!/bin/sh
            while IFS= read -r request; do
              case "$request" in *crash-me.pdf*) kill -SEGV $$; exit ;; esac
              printf '%s\\n' "$request"
            done | "$ANNALS_REAL" "$@"

            """.utf8), "worker.sh", in: root)
        chmod(wrapper.path, 0o755)
        let out = root.appendingPathComponent("out")
        // One worker at a time: C, then crash-me.pdf in the same worker, then z-after.pdf in a new one.
        let (status, _, stderr) = try Fixtures.run(["batch", input.path, "--out", out.path, "--jobs", "1"],
                                                   environment: ["ANNALS_WORKER": wrapper.path,
                                                                 "ANNALS_REAL": Fixtures.executable.path])
        #expect(status == 1, "\(stderr)")
        #expect(stderr.contains("crash-me.pdf: FAILED: the worker crashed (signal \(SIGSEGV))"), "\(stderr)")
        // The crashed wrapper's real worker is the batch's grandchild, which
        // it cannot wait for: under load it may close the database after the
        // batch, and then, last, remove the log itself.
        for _ in 0..<50 where FileManager.default.fileExists(atPath: out.appendingPathComponent("annals.sqlite-wal").path) {
            usleep(100_000)
        }
        #expect(Self.files(in: out) == ["C-sodra-norrbotten-2023-arsredovisning.json", "annals.sqlite", "summary.txt",
                                        "values.csv", "warnings.csv", "z-after.json"])
        let archive = try Archive(url: out.appendingPathComponent("annals.sqlite"))
        let rows = try archive.rows("SELECT file, status, reason FROM reports ORDER BY file")
        #expect(rows.map { $0["status"] } == ["ok", "failed", "ok"], "\(rows)")
        #expect(rows[1]["reason"] == "the worker crashed (signal \(SIGSEGV))")
        #expect(rows.last?["file"]?.hasSuffix("z-after.pdf") == true)
    }

    /// On a terminal, progress is one line redrawn in place: documents,
    /// pages/s, failures and the time left.
    @Test func drawsALiveProgressBarOnATerminal() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let command = [Fixtures.executable.path, "batch", Fixtures.sample(Self.A).path, Fixtures.sample(Self.C).path,
                       "--out", out.path, "--jobs", "1"].map { "'\($0)'" }.joined(separator: " ")
        // script(1) gives the batch a pseudo-terminal for its stderr.
        let (status, stdout, _) = try Fixtures.run(["-qfec", command, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(status == 0, "\(stdout)")
        let frames = stdout.components(separatedBy: "\r").filter { $0.hasPrefix("[") }
        #expect(frames.count >= 3, "a frame at the start and one per document: \(stdout.debugDescription)")
        #expect(frames.first?.hasPrefix("[------------------------] 0/2 documents, ") == true, "\(frames)")
        #expect(frames.contains { $0.hasPrefix("[############------------] 1/2 documents, ") && $0.contains(" pages/s, 0 failed, ETA ") },
                "\(frames)")
        #expect(frames.contains { $0.hasPrefix("[########################] 2/2 documents, ") }, "\(frames)")
        #expect(stdout.contains("\u{1B}[K"), "each frame clears the rest of the line")
        #expect(!stdout.contains("[1/2] "), "no per-document lines on a terminal")
        #expect(stdout.contains("2 documents (0 failed), "))
    }

    /// Like Ctrl-C on the whole process group, halfway through: no file is
    /// half-written, and `--resume` ends with the database an uninterrupted run makes.
    @Test func killedBatchResumesToTheSameDatabase() throws {
        let root = try Fixtures.temporaryDirectory()
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in [Self.A, "B-pyramis-lulea-2019-arsredovisning.pdf", Self.C, "D-huddinge-botkyrka-salem-2018-arsredovisning.pdf"] {
            try FileManager.default.copyItem(at: Fixtures.sample(name), to: input.appendingPathComponent(name))
        }
        let whole = root.appendingPathComponent("whole")
        let (exit, _, stderr) = try Fixtures.run(["batch", input.path, "--out", whole.path, "--jobs", "1", "--quiet"])
        #expect(exit == 0, "\(stderr)")

        let resumed = root.appendingPathComponent("resumed")
        // In a process group of its own, so the kill reaches its workers too.
        var attributes: posix_spawnattr_t = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let arguments = [Fixtures.executable.path, "batch", input.path, "--out", resumed.path, "--jobs", "1", "--quiet"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ) == 0)
        let deadline = Date().addingTimeInterval(120)
        // With one job, the second output means the first is in the database.
        while Self.files(in: resumed).filter({ $0.hasSuffix(".json") }).count < 2 && Date() < deadline {
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let afterKill = Self.files(in: resumed).filter { $0.hasSuffix(".json") }
        #expect(afterKill.count >= 2 && afterKill.count < 4, "killed after \(afterKill)")
        for name in afterKill {
            let data = try Data(contentsOf: resumed.appendingPathComponent(name))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) is whole")
        }
        #expect(!Self.files(in: resumed).contains("values.csv"))

        let again = try Fixtures.run(["batch", input.path, "--out", resumed.path, "--jobs", "1", "--resume"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("resuming: 1 of 4") || again.stderr.contains("resuming: 2 of 4"), "\(again.stderr)")
        #expect(!Self.files(in: resumed).contains { $0.hasSuffix(".tmp") })
        #expect(Self.files(in: resumed) == Self.files(in: whole))

        let queries = [
            "SELECT sha256, file, output, status, organisation, type, period_start, period_end, pages, layout FROM reports ORDER BY sha256",
            "SELECT * FROM facts ORDER BY report, id",
            #"SELECT * FROM "values" ORDER BY report, concept, dims, period_start, period_end, period_instant, scenario"#,
            "SELECT * FROM warnings ORDER BY report, seq",
        ]
        let a = try Archive(url: whole.appendingPathComponent("annals.sqlite"))
        let b = try Archive(url: resumed.appendingPathComponent("annals.sqlite"))
        for query in queries {
            let left = try a.rows(query), right = try b.rows(query)
            #expect(left.count > 0)
            #expect(left == right, "\(query)")
        }
        #expect(try String(contentsOf: whole.appendingPathComponent("values.csv"), encoding: .utf8)
                == String(contentsOf: resumed.appendingPathComponent("values.csv"), encoding: .utf8))
    }

    /// Workers write their outputs without waiting for the disk (the batch
    /// syncs them before each copy of the database's log), so a power cut
    /// can leave one empty while its report is in the database: `--resume`
    /// extracts that document again instead of skipping it.
    @Test func resumeExtractsAnOutputLeftEmptyAgain() throws {
        let (root, input) = try Self.seriesFolder()
        let out = root.appendingPathComponent("out")
        let first = try Fixtures.run(["batch", input.path, "--out", out.path, "--jobs", "2", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let b = out.appendingPathComponent("B-pyramis-lulea-2019-arsredovisning.json")
        let whole = try Data(contentsOf: b)
        try Data().write(to: b)
        // And one cut short, as a power cut can leave it at a block's end.
        let c = out.appendingPathComponent(Self.C.replacingOccurrences(of: ".pdf", with: ".json"))
        let cWhole = try Data(contentsOf: c)
        try cWhole.prefix(4096).write(to: c)
        let again = try Fixtures.run(["batch", input.path, "--out", out.path, "--jobs", "2", "--resume"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("resuming: 1 of 3 documents already extracted"), "\(again.stderr)")
        #expect(again.stderr.contains("B-pyramis-lulea-2019-arsredovisning.pdf: 34 pages"), "\(again.stderr)")
        #expect(try Data(contentsOf: b) == whole)
        #expect(try Data(contentsOf: c) == cWhole)
    }

    /// A, B and C (one series: Pyramis merged into Södra Norrbotten) in a
    /// folder `in` of a new temporary folder.
    static func seriesFolder() throws -> (root: URL, input: URL) {
        let root = try Fixtures.temporaryDirectory()
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in [A, "B-pyramis-lulea-2019-arsredovisning.pdf", C] {
            try FileManager.default.copyItem(at: Fixtures.sample(name), to: input.appendingPathComponent(name))
        }
        return (root, input)
    }

    /// A worker out of documents while another still extracts its last one
    /// prepares the batch's end (the cross-report check's pairs and the CSV
    /// rows of the reports that will not change): the outputs are those of a
    /// batch that does it all at the end.
    @Test func endPreparedEarlyGivesTheSameOutputs() throws {
        let (root, input) = try Self.seriesFolder()
        // B (the smallest, so the last taken) reaches its worker a second
        // late: the other worker is out of documents while B is in flight.
        let wrapper = try Fixtures.write(Data("""
            #!/bin/sh
            while IFS= read -r request; do
              case "$request" in *B-pyramis*) sleep 1 ;; esac
              printf '%s\n' "$request"
            done | "$ANNALS_REAL" "$@"

            """.utf8), "worker.sh", in: root)
        chmod(wrapper.path, 0o755)
        let early = root.appendingPathComponent("early"), atEnd = root.appendingPathComponent("at-end")
        let two = try Fixtures.run(["batch", input.path, "--out", early.path, "--jobs", "2"],
                                   environment: ["ANNALS_WORKER": wrapper.path, "ANNALS_REAL": Fixtures.executable.path,
                                                 "ANNALS_BATCH_TIMES": "1"])
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stderr.contains("end prepared while the last documents were extracted"), "\(two.stderr)")
        let one = try Fixtures.run(["batch", input.path, "--out", atEnd.path, "--jobs", "1", "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
        for name in ["values.csv", "warnings.csv", "summary.txt"] {
            let left = try String(contentsOf: early.appendingPathComponent(name), encoding: .utf8)
            let right = try String(contentsOf: atEnd.appendingPathComponent(name), encoding: .utf8)
            #expect(left == right, "\(name)")
        }
        // B against A: the four restatements of seed 000 (see below), found at the end.
        let warnings = try String(contentsOf: early.appendingPathComponent("warnings.csv"), encoding: .utf8)
        #expect(warnings.components(separatedBy: "prior_period_mismatch").count - 1 == 4)
    }

    /// Seed 000 (A, Södra Norrbotten's 2020 interim report) reprints 2019:
    /// the multi-year table says Årets resultat 5 773 and the income statement
    /// Verksamhetens kostnader -2 494 241, where seed 001 (B, Pyramis's own
    /// 2019 report; Pyramis merged into Södra Norrbotten) says 5 759 and 2 494 227.
    @Test func flagsPriorPeriodMismatchesAcrossReports() throws {
        let (root, input) = try Self.seriesFolder()
        let out = root.appendingPathComponent("out")
        let (status, _, stderr) = try Fixtures.run(["batch", input.path, "--out", out.path])
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("prior-period figures differ"))
        let archive = try Archive(url: out.appendingPathComponent("annals.sqlite"))
        let rows = try archive.rows("""
            SELECT r.file, w.concept, w.period_start, w.period_end, w.period_instant, w.expected, w.actual, w.message
            FROM warnings w JOIN reports r ON r.sha256 = w.report
            WHERE w.code = 'prior_period_mismatch' ORDER BY w.concept
            """)
        #expect(rows.allSatisfy { $0["file"]!.hasSuffix(Self.A) })
        let result = rows.filter { $0["concept"] == "income_statement.net_result" }
        #expect(result.map { [$0["expected"], $0["actual"]] } == [["5759", "5773"]])
        #expect(result.first?["period_start"] == "2019-01-01" && result.first?["period_end"] == "2019-12-31")
        #expect(result.first?["message"]?.contains("B-pyramis-lulea-2019-arsredovisning.pdf") == true)
        let costs = rows.filter { $0["concept"] == "income_statement.operating_costs" }
        #expect(costs.map { [$0["expected"], $0["actual"]] } == [["2494227", "2494241"]])
        #expect(costs.first?["message"]?.contains("(p. 18)") == true, "B's own page")
        // A reclassifies 2019's 614 578 from Övriga skulder (B) to Interimsskulder (A prints Övriga skulder 0).
        let liabilities = rows.filter { $0["concept"] == "balance_sheet.other_liabilities" }
        #expect(liabilities.map { [$0["period_instant"], $0["expected"], $0["actual"]] } == [["2019-12-31", "614578", "0"]])
        // A's Fritt eget kapital 1 030 361 includes 2019's result; B's balanced result 1 024 602 does not.
        let equity = rows.filter { $0["concept"] == "balance_sheet.retained_equity" }
        #expect(equity.map { [$0["expected"], $0["actual"]] } == [["1024602", "1030361"]])
        #expect(rows.count == 4)
        // Figures A reprints as B printed them are not flagged.
        #expect(!rows.contains { $0["concept"] == "income_statement.operating_income" })
        let csv = try String(contentsOf: out.appendingPathComponent("warnings.csv"), encoding: .utf8)
        #expect(csv.components(separatedBy: "prior_period_mismatch").count - 1 == rows.count)

        // Pyramis and Södra Norrbotten are one series only because the mapping says so.
        // The series takes each year from that year's own report: 2019 from B
        // (seed 001: costs 2 494 227, result 5 759), not A's reprint (2 494 241,
        // 5 773); 2023 from C (seed 002: Årets resultat -725 256).
        let series = try Fixtures.run(["series", "--db", out.appendingPathComponent("annals.sqlite").path, "--format", "csv"])
        #expect(series.status == 0, "\(series.stderr)")
        let table = series.stdout.components(separatedBy: "\r\n")
        #expect(table.first == "organisation,year,income,income_source,costs,costs_source,result,result_source,equity,equity_source,participants,participants_source")
        let y2019 = try #require(table.first { $0.hasPrefix("Samordningsförbundet Södra Norrbotten,2019,") })
        #expect(y2019.contains(",2500000,") && y2019.contains(",2494227,") && y2019.contains(",5759,"))
        #expect(y2019.components(separatedBy: "B-pyramis-lulea-2019-arsredovisning.pdf").count - 1 == 4, "\(y2019)")
        let y2023 = try #require(table.first { $0.hasPrefix("Samordningsförbundet Södra Norrbotten,2023,") })
        #expect(y2023.contains(",-725256,"))
        #expect(!table.contains { $0.contains("Pyramis,") }, "Pyramis is Södra Norrbotten's series")
        let text = try Fixtures.run(["series", "--db", out.appendingPathComponent("annals.sqlite").path, "--org", "Pyramis"])
        #expect(text.stdout.contains("  2019      2 500 000      2 494 227          5 759"))
        let missing = try Fixtures.run(["series", "--db", root.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1 && missing.stderr.contains("none.sqlite: error: no such database"))

        let unrelated = PriorPeriodCheck().pairs(try reports(archive))
        #expect(unrelated.count == 1, "A before C, both Södra Norrbotten")
        #expect(!unrelated.contains { $0.earlier.file.contains("pyramis") || $0.later.file.contains("pyramis") })
        #expect(PriorPeriodCheck().seriesName(of: "Samordningsförbundet Pyramis") == "pyramis")
        let merged = PriorPeriodCheck(merged: ["Samordningsförbundet Södra Norrbotten": ["Samordningsförbundet Pyramis"]])
        #expect(merged.seriesName(of: "SAMORDNINGSFÖRBUNDET PYRAMIS") == "sodra norrbotten")

        // Prepared early (as a batch does while its last documents are
        // extracted) and stopped after any pair, the check finds the same.
        let found = "SELECT report, seq, concept, expected, actual, message FROM warnings WHERE code = 'prior_period_mismatch' ORDER BY report, seq"
        let batchFound = try archive.rows(found)
        for after in 0...3 {
            let progress = Archive.CheckProgress()
            var asked = 0
            try archive.prepareCheckAcrossReports(merged, progress: progress, excluding: []) {
                defer { asked += 1 }
                return asked >= after
            }
            #expect(try archive.checkAcrossReports(merged, progress: progress) == 4)
            #expect(try archive.rows(found) == batchFound)
        }
    }

    func reports(_ archive: Archive) throws -> [PriorPeriodCheck.Report] {
        try archive.rows("SELECT sha256, file, organisation, period_end FROM reports").compactMap { row in
            guard let end = row["period_end"], let year = Int(end.prefix(4)), let period = Period.year(year) else { return nil }
            return PriorPeriodCheck.Report(id: row["sha256"]!, file: row["file"]!, organisation: row["organisation"]!, period: period)
        }
    }
}
