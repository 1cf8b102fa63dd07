import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Replays the Cerbos engine test requests against the compiled conformance store on one thread
/// and reports action-decisions per second and per-request latency percentiles.
///
/// Data: `$ARBITER_CONFORMANCE_DIR` or `../shared/conformance` relative to the working directory.
enum EngineBench {
    static func run(arguments: [String]) {
        let root = getenv("ARBITER_CONFORMANCE_DIR").map { String(cString: $0) } ?? "../shared/conformance"
        let load = PolicyLoader.load(directory: root + "/cerbos/store")
        // Unchecked until the Cerbos function library declares inIPAddrRange and friends.
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler(checking: false)).compile(load)
        guard let set = compiled.policySet else {
            print("engine bench: store at \(root)/cerbos/store did not compile (set ARBITER_CONFORMANCE_DIR):")
            for d in compiled.diagnostics.prefix(5) { print("  \(d)") }
            return
        }
        let engine = Engine(policySet: set, configuration: EngineConfiguration(
            globals: MapValue(stringKeyed: [("environment", .string("test"))])))
        let seconds = arguments.first.flatMap(Double.init) ?? 2
        let case00 = inputs(root + "/cerbos/engine/case_00.yaml")
        var all: [CheckInput] = []
        for name in yamlFiles(in: root + "/cerbos/engine") { all += inputs(root + "/cerbos/engine/" + name) }
        guard !case00.isEmpty, !all.isEmpty else {
            print("engine bench: no engine cases under \(root)/cerbos/engine")
            return
        }
        measure("engine/case_00", engine: engine, requests: case00, seconds: seconds)
        measure("engine/* (all \(all.count) inputs)", engine: engine, requests: all, seconds: seconds)
    }

    static func measure(_ label: String, engine: Engine, requests: [CheckInput], seconds: Double) {
        let now = Engine.currentTime()
        for r in requests { _ = engine.check(r, now: now) } // warm up
        var latencies: [UInt64] = []
        latencies.reserveCapacity(1 << 20)
        var decisions = 0
        let start = monotonicNanos()
        let cpuStart = threadCPUNanos()
        let deadline = start + UInt64(seconds * 1e9)
        var sink = 0
        while monotonicNanos() < deadline {
            for r in requests {
                let t0 = monotonicNanos()
                let out = engine.check(r, now: now)
                let t1 = monotonicNanos()
                latencies.append(t1 - t0)
                decisions += out.actions.count
                sink &+= out.actions.count
            }
        }
        let elapsed = Double(monotonicNanos() - start) / 1e9
        let cpu = Double(threadCPUNanos() - cpuStart) / 1e9
        latencies.sort()
        let p50 = Double(latencies[latencies.count / 2]) / 1000
        let p99 = Double(latencies[min(latencies.count - 1, latencies.count * 99 / 100)]) / 1000
        let perSecond = Double(decisions) / elapsed
        // Wall-clock figures suffer on a shared machine; the thread's CPU time shows the engine's own cost.
        print("\(label): \(Int(perSecond)) action-decisions/s wall, \(Int(Double(decisions) / cpu)) per CPU-second, "
              + "\(Int(Double(latencies.count) / elapsed)) requests/s, p50 \(format(p50)) µs, p99 \(format(p99)) µs per request "
              + "(\(latencies.count) requests, \(format(cpu / elapsed * 100))% CPU, sink \(sink % 10))")
    }

    static func format(_ x: Double) -> String {
        let scaled = (x * 100).rounded() / 100
        return String(scaled)
    }

    static func threadCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func inputs(_ path: String) -> [CheckInput] {
        guard let bytes = read(path), let doc = try? YAMLParser.parse(bytes, file: path).first,
              case let .map(m) = value(doc), case let .list(items)? = m[string: "inputs"] else { return [] }
        return items.compactMap { try? CheckInput(from: $0) }
    }

    static func yamlFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasSuffix(".yaml") { names.append(name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    static func value(_ node: YAMLNode) -> Value {
        switch node.kind {
        case let .scalar(s):
            switch s.resolved {
            case .null: return .null
            case let .bool(b): return .bool(b)
            case let .int(i): return .double(Double(i))
            case let .double(d): return .double(d)
            case let .string(t): return .string(t)
            }
        case let .sequence(items): return .list(items.map(value))
        case let .mapping(pairs): return .map(MapValue(stringKeyed: pairs.map { ($0.key.scalar?.value ?? "", value($0.value)) }))
        }
    }
}
