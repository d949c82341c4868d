// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "klscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "klscope", targets: ["klscope"]),
        .library(name: "KLMath", targets: ["KLMath"]),
        .library(name: "KLScenario", targets: ["KLScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C library under one name on every platform (Glibc, Darwin).
        .target(name: "Platform"),
        // The mathematics of MATH.md: pure, no I/O, no terminal.
        .target(name: "KLMath", dependencies: ["Platform", "CLibc"]),
        // Scenario files: the model, YAML/JSON loading with located errors, saving, reports.
        .target(name: "KLScenario", dependencies: ["KLMath", "CLibc", "TerminalUI", .product(name: "Yams", package: "Yams")]),
        // C library calls Swift cannot make directly (mallopt, libmvec, code built for AVX2) or only slowly (snprintf, strtod, exp and log one at a time).
        .target(name: "CLibc"),
        // Terminal-independent UI primitives: a grid of styled cells, events, text rendering, and
        // the escaping that keeps control characters from a file visible (reports use it too).
        .target(name: "TerminalUI"),
        // The explorer as a pure model: state, update(state, event), view(state) -> grid.
        .target(name: "Explorer", dependencies: ["KLMath", "KLScenario", "TerminalUI"]),
        // The system ncursesw library.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // The only code that touches ncurses: copies grids to the screen, turns input into events.
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "Platform", "TerminalUI"]),
        .executableTarget(
            name: "klscope",
            dependencies: [
                "KLMath", "KLScenario", "TerminalUI", "Explorer", "NcursesBackend", "CLibc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the test targets share: the approximate-equality check.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "KLMathTests", dependencies: ["KLMath", "KLScenario", "TestSupport"]),
        .testTarget(name: "KLScenarioTests", dependencies: ["KLScenario", "KLMath", "Explorer", "TerminalUI", "TestSupport"], exclude: ["FuzzCorpus"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "TerminalUI", "KLScenario", "KLMath", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "NcursesBackendTests", dependencies: ["NcursesBackend", "CNcursesw", "TerminalUI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Platform", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
