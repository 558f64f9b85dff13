import Foundation

/// Locations of the repository's samples and of small hostile files made on
/// the fly (never committed: each test writes its own into a temporary folder).
enum Fixtures {
    /// The repository root, found from this source file's path.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static let samples = root.appendingPathComponent("samples")

    static func sample(_ name: String) -> URL { samples.appendingPathComponent(name) }

    /// A fresh temporary folder for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("annals-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A minimal PDF built from object bodies, with a correct cross-reference table.
    static func minimalPDF(objects: [String], trailerExtra: String = "") -> Data {
        var out = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out.append(Data("\(i + 1) 0 obj\n\(body)\nendobj\n".utf8))
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R \(trailerExtra)>>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(Data(table.utf8))
        return out
    }

    /// A one-page PDF with a line of text in Helvetica (a standard font, so no
    /// embedding is needed).
    static func onePagePDF(text: String = "Hello") -> Data {
        onePagePDF(stream: "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET")
    }

    /// A one-page PDF drawing `stream` with Helvetica as /F1.
    static func onePagePDF(stream: String) -> Data {
        minimalPDF(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ])
    }

    /// A PDF under the standard security handler (RC4 128-bit) with O and U
    /// entries that no password, the empty one included, opens.
    static func encryptedPDF() -> Data {
        let encrypt = "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <\(String(repeating: "11", count: 32))> /U <\(String(repeating: "22", count: 32))> >>"
        return minimalPDF(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            encrypt,
        ], trailerExtra: "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")
    }

    /// Writes `data` to `name` inside `directory` and returns its URL.
    @discardableResult
    static func write(_ data: Data, _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// The built `annals` executable, next to the test bundle in the products folder.
    static var executable: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].compactMap { $0 }
        for folder in candidates {
            let url = folder.appendingPathComponent("annals")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/annals")
    }

    /// The names in a folder, sorted (hidden ones included).
    static func filesIn(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// Runs the executable (or another program) and returns its exit status,
    /// stdout and stderr.
    static func run(_ arguments: [String], executable: URL = executable, environment: [String: String] = [:])
        throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = root
        // Stderr into a file: a program that says much there cannot block
        // while stdout is being read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("annals-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        // Read before waiting: a full pipe would otherwise block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? Data(contentsOf: errorFile)) ?? Data()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self))
    }
}
