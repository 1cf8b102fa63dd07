// swift-tools-version:6.1
// Arbiter: a Cerbos-compatible policy decision point. See ../shared/ARCHITECTURE.md for the plan;
// dependencies run one way, top to bottom in the target list below.
import PackageDescription

/// What the gRPC front end links: grpc-swift-2's core types (status codes, the generated service
/// protocols) and protobuf. Not grpc-swift's NIO transport: the daemon answers calls in its own
/// HTTP/2 handler, and the transport would bring swift-nio-ssl (a second BoringSSL) and
/// swift-certificates into the release build.
let grpcCodeProducts: [Target.Dependency] = [
    .product(name: "GRPCCore", package: "grpc-swift-2"),
    .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
    .product(name: "SwiftProtobuf", package: "swift-protobuf"),
]

/// swift-collections' OrderedDictionary: CEL's `MapValue.storage`, so every target that reads a map's members.
let orderedCollections: Target.Dependency = .product(name: "OrderedCollections", package: "swift-collections")

let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arbiter", targets: ["arbiter"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "ArbiterClient", targets: ["ArbiterClient"]),
    ],
    // `swift build --traits OTLP` adds the OTLP span exporter (swift-otel; its first build takes
    // several minutes, so it is off by default). Without it, `tracing.exporter: otlp` is refused.
    traits: [
        .trait(name: "OTLP", description: "Export traces over OTLP with swift-otel (tracing.exporter: otlp)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        // JOSE cryptography for auxData JWTs (ES*, RS*, PS*, EdDSA, HS*); brings swift-crypto.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        // Metrics and tracing APIs for the libraries; the executable picks the backends (Prometheus).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0"),
        // The gRPC front end's HTTP/2 framing (its handler answers calls without grpc-swift's transport).
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        // C libraries from Debian, headers only.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // RE2 has a C++ API only; this is a thin extern "C" shim over Debian's libre2.
        .target(
            name: "CRE2",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]
        ),

        // Pure CEL: no I/O, no Cerbos words.
        .target(name: "CEL", dependencies: [
            "CRE2",
            orderedCollections,
        ]),
        // cel.expr.Value / Type / Decl in protobuf JSON (the CEL conformance files' shape), for
        // `arbiter eval --jsonl` and the CEL tests: a conformance-file format, not part of the language.
        .target(name: "CELProtoJSON", dependencies: [
            "CEL", "ArbiterJSON", orderedCollections,
        ]),
        .target(name: "ArbiterJSON", dependencies: ["CEL", orderedCollections]),
        .target(name: "ArbiterYAML", dependencies: ["CLibYAML"]),
        // JSON Schema (draft 7, 2020-12) over the JSON values of ArbiterJSON; no Cerbos words.
        .target(name: "ArbiterSchema", dependencies: ["CEL", "ArbiterJSON", orderedCollections]),
        .target(name: "ArbiterPolicy", dependencies: ["CEL", "ArbiterJSON", "ArbiterYAML", "ArbiterSchema", orderedCollections]),
        .target(name: "ArbiterEngine", dependencies: [
            "CEL", "ArbiterJSON", "ArbiterYAML", "ArbiterPolicy", "ArbiterSchema", orderedCollections,
        ]),
        // auxData: JWT key sets and token verification into claims for the engine; no sockets.
        .target(name: "ArbiterAuxData", dependencies: [
            "CEL", "ArbiterJSON", "ArbiterEngine", .product(name: "JWTKit", package: "jwt-kit"), orderedCollections,
        ]),
        .target(name: "ArbiterClient", dependencies: [
            "ArbiterJSON", "CEL",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "ArbiterServer", dependencies: [
            "ArbiterEngine", "ArbiterPolicy", "ArbiterJSON", "ArbiterYAML", "ArbiterAuxData", "CEL", "CSystemd", orderedCollections,
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Atomics", package: "swift-atomics"),
        ]),
        // Cerbos's HTTP API and AuthZEN over the server's listeners and decision service.
        .target(name: "ArbiterHTTP", dependencies: [
            "ArbiterServer", "ArbiterJSON", "CEL", orderedCollections,
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Cerbos's gRPC API (CerbosService, grpc.health.v1), answered by its own handler over
        // swift-nio-http2; grpc-swift-2 for the generated code. Generated/ is protoc output,
        // committed and remade by proto/generate.sh.
        .target(name: "ArbiterGRPC", dependencies: [
            "ArbiterServer", "ArbiterEngine", "CEL", orderedCollections,
        ] + grpcCodeProducts + [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ArbiterCLI", dependencies: [
            "ArbiterServer", "ArbiterHTTP", "ArbiterGRPC", "ArbiterEngine", "ArbiterPolicy", "ArbiterClient", "CEL", "CELProtoJSON", orderedCollections,
            "ArbiterJSON", "ArbiterAuxData",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OTLP"])),
        ]),
        .executableTarget(name: "arbiter", dependencies: ["ArbiterCLI"]),
        // Shared by the test targets and the benchmarks, never by the daemon: where the package
        // and the conformance data are, reading files, starting the built binary as a child.
        .target(name: "ArbiterTestSupport", path: "Tests/ArbiterTestSupport"),
        // A minimal gRPC client transport (GRPCCore.ClientTransport over swift-nio-http2 on a Unix
        // socket) for the gRPC tests and benchmarks, so that GRPCClient and the generated stubs
        // call the daemon without grpc-swift's NIO transport, whose swift-nio-ssl (a second
        // BoringSSL) cost the debug build about 100 s. Never linked by the daemon.
        .target(name: "GRPCTestTransport", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
        ], path: "Tests/GRPCTestTransport"),
        // Benchmarks run from `make bench` in release mode; never as timed tests.
        .executableTarget(name: "ArbiterBench", dependencies: [
            "CEL", "ArbiterJSON", "ArbiterYAML", "ArbiterPolicy", "ArbiterEngine", "ArbiterServer", "ArbiterSchema", orderedCollections,
            "ArbiterAuxData", "ArbiterGRPC", "ArbiterTestSupport", .product(name: "Logging", package: "swift-log"), .product(name: "JWTKit", package: "jwt-kit"),
            "GRPCTestTransport",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        .testTarget(name: "CELTests", dependencies: ["CEL", "CELProtoJSON", "ArbiterJSON", "ArbiterTestSupport", orderedCollections]),
        .testTarget(name: "ArbiterJSONTests", dependencies: ["ArbiterJSON", "CEL", orderedCollections]),
        .testTarget(name: "ArbiterYAMLTests", dependencies: ["ArbiterYAML"]),
        .testTarget(name: "ArbiterSchemaTests", dependencies: ["ArbiterSchema", "ArbiterJSON", "CEL", "ArbiterTestSupport"]),
        .testTarget(name: "ArbiterPolicyTests", dependencies: ["ArbiterPolicy", "ArbiterYAML", "CEL", "ArbiterTestSupport", orderedCollections]),
        .testTarget(name: "ArbiterEngineTests", dependencies: [
            "ArbiterEngine", "ArbiterPolicy", "ArbiterJSON", "ArbiterYAML", "CEL", "ArbiterTestSupport", orderedCollections,
        ]),
        .testTarget(name: "ArbiterAuxDataTests", dependencies: [
            "ArbiterAuxData", "ArbiterEngine", "ArbiterYAML", "CEL", "ArbiterTestSupport", .product(name: "JWTKit", package: "jwt-kit"), orderedCollections,
        ]),
        .testTarget(name: "ArbiterServerTests", dependencies: [
            "ArbiterServer", "ArbiterClient", "ArbiterEngine", "ArbiterAuxData", "ArbiterJSON", "CEL", "ArbiterTestSupport", orderedCollections,
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
        ]),
        .testTarget(name: "ArbiterHTTPTests", dependencies: [
            "ArbiterHTTP", "ArbiterServer", "ArbiterEngine", "ArbiterPolicy", "ArbiterJSON", "ArbiterYAML", "CEL", "ArbiterTestSupport", orderedCollections,
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], exclude: ["sdk"]),
        .testTarget(name: "ArbiterGRPCTests", dependencies: [
            "ArbiterGRPC", "ArbiterServer", "ArbiterEngine", "ArbiterPolicy", "ArbiterJSON", "ArbiterYAML", "CEL", "ArbiterTestSupport", orderedCollections,
            "GRPCTestTransport",
        ] + grpcCodeProducts + [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["sdk"]),
        .testTarget(name: "ArbiterCLITests", dependencies: [
            "ArbiterCLI", "ArbiterEngine", "ArbiterServer", "ArbiterAuxData", "CEL", "CELProtoJSON", "ArbiterJSON", "ArbiterTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)

/// Settings every Swift target compiles with. MemberImportVisibility: a file sees the members and
/// extensions of only the modules it imports itself, so each file (and each target's
/// `dependencies:`) names what it uses instead of leaning on what another file imported.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
]

// libFuzzer targets (Fuzz/, see Fuzz/README.md), declared only when ARBITER_FUZZ=1: `make fuzz` and
// `make test`'s fuzz smoke build them with `-sanitize=fuzzer,address`, which they need (libFuzzer
// supplies the driver they call). Kept in this manifest behind a condition rather
// than in a package of their own under Fuzz/: such a package could only use this one's products,
// so every internal library it fuzzes (ArbiterJSON, ArbiterServer, ...) would have to become a
// public product. A plain `swift build` or `swift test` never sees them.
let fuzzing = Context.environment["ARBITER_FUZZ"] == "1"
if fuzzing {
    func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Fuzz/\(name)")
    }
    let fuzzTargets: [Target] = [
        .systemLibrary(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Fuzz/FuzzSupport"),
        fuzzTarget("FuzzJSON", ["ArbiterJSON", "CEL"]),
        fuzzTarget("FuzzRequest", ["ArbiterEngine", "ArbiterJSON", "CEL"]),
        fuzzTarget("FuzzCEL", ["CEL", "ArbiterPolicy"]),
        fuzzTarget("FuzzPolicy", ["ArbiterPolicy", "CEL"]),
        fuzzTarget("FuzzRPC", [
            "ArbiterServer", "ArbiterEngine", "ArbiterPolicy", "ArbiterJSON", "CEL",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
    // `make fuzz-build` builds all five in one `swift build` (one plan, one llbuild run that
    // interleaves the targets, instead of five), so the fuzz manifest keeps only them and the
    // targets they import, directly or not: the CLI, the HTTP and gRPC front ends (and so
    // grpc-swift), the benchmarks and the tests are never compiled with the sanitizers.
    let byName = Dictionary(uniqueKeysWithValues: (package.targets + fuzzTargets).map { ($0.name, $0) })
    var needed = Set(fuzzTargets.map(\.name))
    var pending = Array(needed)
    while let name = pending.popLast() {
        for dependency in byName[name]?.dependencies ?? [] {
            switch dependency {
            case .targetItem(let next, _), .byNameItem(let next, _):
                if byName[next] != nil, needed.insert(next).inserted { pending.append(next) }
            default:
                continue  // a product of another package: SwiftPM builds only what is imported
            }
        }
    }
    package.targets = (package.targets + fuzzTargets).filter { needed.contains($0.name) }
    package.products = []
}

/// InternalImportsByDefault as well (an import is internal unless written `public import`) where it
/// fits as the code stands: targets with no public API (executables, tests) and the leaf libraries
/// below. The other libraries expose the types of the modules they import all through their
/// public API (CEL's `Value` in every signature, NIO's in the front ends'), so for them it would
/// mean a `public import` in most files rather than a declaration of what is used internally.
let internalImportLibraries: Set<String> = ["ArbiterYAML", "ArbiterTestSupport", "GRPCTestTransport"]

/// The fuzz build's sanitizers (libFuzzer's coverage, AddressSanitizer), given below to Arbiter's
/// own Swift targets only, which is what the fuzzers search; the packages it uses compile as in
/// any debug build, so a fuzz build in .build reuses the debug build's objects of them (`make test`
/// does: the fuzz smoke then compiles seven modules, not swift-crypto, swift-nio and the rest again).
let fuzzSanitizers = ["-sanitize=fuzzer,address"]

// Last, so the fuzz targets above get them too. System libraries and the C++ shim have no Swift.
for target in package.targets where target.type != .system && target.name != "CRE2" {
    var settings = swiftSettings
    if target.type == .executable || target.type == .test || internalImportLibraries.contains(target.name) {
        settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    }
    if fuzzing {
        settings.append(.unsafeFlags(fuzzSanitizers))
        if target.type == .executable {
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(fuzzSanitizers)]
        }
    }
    target.swiftSettings = (target.swiftSettings ?? []) + settings
}
