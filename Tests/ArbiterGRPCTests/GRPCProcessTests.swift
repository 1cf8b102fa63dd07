#if canImport(Glibc)
import Glibc
#endif
import ArbiterGRPC
import Foundation
import GRPCCore
import GRPCTestTransport
import SwiftProtobuf
import Testing

/// The real `arbiter serve` in a child process with `server.grpcListenAddr` on a Unix socket:
/// it answers a gRPC client, and SIGTERM stops it cleanly (exit 0, socket removed).
@Suite struct GRPCProcessTests {
    /// `ARBITER_BINARY`, else the `arbiter` beside the test bundle (same build), else
    /// `.build/debug/arbiter`; `swift build --build-tests` builds it.
    static func binary() throws -> String {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["ARBITER_BINARY"], !explicit.isEmpty { candidates.append(explicit) }
        if let runner = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("arbiter").path)
        }
        candidates.append(CerbosSDKTests.packageRoot + "/.build/debug/arbiter")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("no arbiter executable at \(candidates): build it with `swift build --build-tests` or set ARBITER_BINARY")
        }
        return found
    }

    @Test func arbiterServe_answersOverTheGRPCSocket_andExitsZeroOnSIGTERM() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/policies", withIntermediateDirectories: true)
        try dir.write("policies/document.yaml", TestPolicies.document)
        let grpcSocket = dir.path + "/grpc.sock"
        try dir.write("arbiter.yaml", """
            storage:
              driver: disk
              disk:
                directory: "\(dir.path)/policies"
                watchForChanges: false
            server:
              shutdownGracePeriod: 3s
              socket:
                path: "\(dir.path)/arbiter.sock"
              grpcListenAddr: "unix:\(grpcSocket)"
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["serve", "--config", dir.path + "/arbiter.yaml", "--log-level", "warning"]
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
            environment[key] = nil
        }
        process.environment = environment
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Up to 60 s for the daemon to compile and listen on a loaded machine.
        var listening = false
        for _ in 0..<600 where !listening {
            guard process.isRunning else { break }
            listening = access(grpcSocket, F_OK) == 0
            if !listening { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(listening, "arbiter did not create \(grpcSocket)")

        let transport = UnixSocketClientTransport(socketPath: grpcSocket)
        let (checked, planned) = try await withGRPCClient(transport: transport) { client in
            let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
            var options = CallOptions.defaults
            options.timeout = .seconds(30)
            let checked = try await cerbos.checkResources(checkRequest(owner: "bob"), options: options)
            var plan = Cerbos_Request_V1_PlanResourcesRequest()
            plan.principal = .with { $0.id = "alice"; $0.roles = ["user"] }
            plan.resource.kind = "document"
            plan.actions = ["edit"]
            let planned = try await cerbos.planResources(plan, options: options)
            return (checked, planned)
        }
        #expect(checked.results.first?.actions == ["view": .allow, "edit": .deny])
        #expect(planned.filter.kind == .conditional)

        kill(process.processIdentifier, SIGTERM)
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue(label: "arbiter-grpc-process-wait").async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(status == 0, "arbiter exited with \(status): \(output)")
        #expect(access(grpcSocket, F_OK) != 0, "the gRPC socket file is left behind")
    }
}
