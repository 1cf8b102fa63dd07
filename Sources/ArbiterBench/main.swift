// Benchmarks for issue 7; run with `make bench` (release build). Each group lives in its own
// file; this file only parses arguments, runs the groups and writes the results.
#if canImport(Glibc)
import Glibc
#endif

var output: String?
var quick = false
var busyCore = false
var only: Set<String> = []
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--output": output = arguments.next()
    case "--quick": quick = true
    case "--busy-core":
        // Keeps every core but one spinning for the whole run (issue 21.1's loaded-machine figures).
        busyCore = true
    case "--only": only.formUnion((arguments.next() ?? "").split(separator: ",").map(String.init))
    case "--generate-tree":
        // Writes the generated 10k-policy tree (for trying the daemon by hand) and exits.
        guard let dir = arguments.next() else { print("--generate-tree needs a directory"); exit(2) }
        do { try PolicyGenerator(kinds: 1000, policiesPerKind: 10).write(to: dir) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--measure-rss":
        // Child-process mode of EngineBench: memory of a fresh process that compiled one tree.
        guard let dir = arguments.next(), let out = arguments.next() else { print("--measure-rss needs DIR OUTFILE"); exit(2) }
        do { try EngineBench.measureRSS(policies: dir, output: out) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-case00":
        // Profiling mode: replays engine/case_00 N times with no timing around it, so `perf record`
        // and malloc counters (N minus a zero-request run) see only the decisions.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-case00 needs a count"); exit(2) }
        do { try EngineBench.loopCase00(count: n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-plan00":
        // Profiling mode: plans the PlanResources case 00 request N times, untimed.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-plan00 needs a count"); exit(2) }
        do { try PlanBench.loopCase00(count: n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-wire":
        // Parses and decodes the socket bench's request N times, untimed: a steady loop for perf.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-wire needs a count"); exit(2) }
        do { try SocketBench.loopWire(n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-dispatch":
        // The daemon's whole in-process path (parse, decode, decide, encode), untimed per stage.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-dispatch needs a count"); exit(2) }
        do { try SocketBench.loopDispatch(n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-wire-bytes":
        // The same request decoded straight from its bytes (the daemon's decoded path), untimed.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-wire-bytes needs a count"); exit(2) }
        do { try SocketBench.loopWireBytes(n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-metrics":
        // The in-process path N times with the decision metrics off or on, untimed, for callgrind.
        guard let mode = arguments.next(), let n = arguments.next().flatMap({ Int($0) }) else {
            print("--loop-metrics needs off|on and a count"); exit(2)
        }
        do { try MetricsBench.loop(mode, n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--drive":
        // Sends the socket bench's request N times on C connections at depth D to a running
        // daemon (or echo) socket: a fixed load for `strace -c` and callgrind on the daemon.
        guard let path = arguments.next(), let n = arguments.next().flatMap({ Int($0) }),
              let c = arguments.next().flatMap({ Int($0) }), let d = arguments.next().flatMap({ Int($0) }) else {
            print("--drive needs SOCKET N CONNECTIONS DEPTH"); exit(2)
        }
        do { try SocketBench.drive(path: path, requests: n, connections: c, depth: d) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--hostile-request":
        // Times the worst CheckResources request against the default CEL limits (issue 24).
        do { try HostileBench.run() } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-schema":
        // Validates the schema bench's resource N times, untimed: a steady loop for perf.
        guard let n = arguments.next().flatMap({ Int($0) }) else { print("--loop-schema needs a count"); exit(2) }
        do { try SchemaBench.loop(n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-audit":
        // CheckResources through RPCDispatcher.handle N times with decision logs off or on, untimed: for callgrind.
        guard let mode = arguments.next(), let n = arguments.next().flatMap({ Int($0) }) else {
            print("--loop-audit needs off|on and a count"); exit(2)
        }
        do { try AuditBench.loop(mode, n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "--loop-schema-check":
        // The schema bench's CheckResources request N times under one enforcement mode, untimed.
        guard let mode = arguments.next(), let n = arguments.next().flatMap({ Int($0) }) else {
            print("--loop-schema-check needs MODE and a count"); exit(2)
        }
        do { try SchemaBench.loopCheck(mode, n) } catch { print("\(error)"); exit(1) }
        exit(0)
    case "-h", "--help":
        print("usage: ArbiterBench [--output results.json] [--quick] [--busy-core] [--only cel,load,engine,plan,peers,socket,reload,schema,auxdata,audit,metrics] [--generate-tree DIR] [--loop-case00 N] [--loop-plan00 N] [--loop-wire N] [--loop-wire-bytes N] [--loop-dispatch N] [--drive SOCKET N CONNECTIONS DEPTH] [--loop-schema N] [--loop-schema-check none|warn|reject N] [--loop-metrics off|on N] [--loop-audit off|on N]")
        exit(0)
    default:
        print("unknown argument \(arg); see --help")
        exit(2)
    }
}

let report = BenchReport()
report.machine = MachineInfo.describe()
var spinners: BusyCores?
if busyCore {
    spinners = try BusyCores()
    report.machine.append(("busy_core", "\(max(1, cpuCount() - 1)) spinning thread(s) during the run"))
}
let groups: [(String, (BenchReport, Bool) throws -> Void)] = [
    ("cel", { r, q in CELBench.run(report: r, quick: q) }),
    ("load", LoadBench.run),
    ("engine", EngineBench.run),
    ("plan", PlanBench.run),
    ("peers", PeerBench.run),
    ("socket", SocketBench.run),
    ("reload", ReloadBench.run),
    ("schema", SchemaBench.run),
    ("auxdata", AuxDataBench.run),
    ("audit", AuditBench.run),
    ("metrics", MetricsBench.run),
]
for (name, body) in groups where only.isEmpty || only.contains(name) {
    print("== \(name)")
    let start = monotonicNanos()
    do {
        try body(report, quick)
    } catch {
        report.fail(name, "\(error)")
    }
    print("   (\(fmt(Double(monotonicNanos() - start) / 1e9)) s)")
}
spinners?.stop()
print("")
print(report.table())
if let output {
    do {
        let bytes = try report.json()
        try writeFile(output, String(decoding: bytes, as: UTF8.self) + "\n")
        print("wrote \(output)")
    } catch {
        report.fail("output", "\(error)")
    }
}
if !report.failures.isEmpty {
    print("\(report.failures.count) benchmark(s) FAILED:")
    for f in report.failures { print("  " + f) }
    exit(1)
}
