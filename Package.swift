// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "annals",
    products: [
        .executable(name: "annals", targets: ["annals"]),
        .library(name: "AnnalsCore", targets: ["AnnalsCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // libpoppler-glib (and the cairo it renders with, and GLib), seen only
        // by AnnalsCore/PDF/Poppler.swift and Facts/SHA256.swift: opened when
        // first needed, not linked (include/CPoppler.h says why). Debian:
        // libpoppler-glib8 and libcairo2 (scripts/setup installs them).
        .target(name: "CPoppler", linkerSettings: [.linkedLibrary("dl")]),
        // libtesseract's C API, seen only by AnnalsCore/OCR/Tesseract.swift;
        // its header only: the library is opened when OCR is first needed.
        .systemLibrary(
            name: "CTesseract",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev", "tesseract-ocr-swe"])]
        ),
        .target(
            name: "AnnalsCore",
            dependencies: [
                "CPoppler", "CTesseract",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own functions, for the batch's bulk rows (Outputs/Archive+SQLite.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "annals",
            dependencies: [
                "AnnalsCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AnnalsCoreTests",
            // CPoppler for cairo's PNG reader: the review tests read screenshots.
            dependencies: ["AnnalsCore", "CPoppler"]
        ),
    ]
)
