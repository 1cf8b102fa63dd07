#if canImport(Glibc)
import Glibc
#endif
// For `timespec`'s members on Linux (see ArbiterServer's AuditFileSink.swift); the release
// build's whole-module compile attributes them to CoreFoundation.
import CoreFoundation

/// What the run was measured on, for results.json and docs/benchmarks.md.
enum MachineInfo {
    static func describe() -> [(String, String)] {
        var model = "unknown"
        if let text = readFile("/proc/cpuinfo").map({ String(decoding: $0, as: UTF8.self) }) {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    model = String(line[line.index(after: colon)...]).trimmingCharacters()
                }
                break
            }
        }
        var load = "unknown"
        if let text = readFile("/proc/loadavg").map({ String(decoding: $0, as: UTF8.self) }) {
            load = text.split(separator: " ").prefix(3).joined(separator: " ")
        }
        var kernel = "unknown"
        if let text = readFile("/proc/sys/kernel/osrelease").map({ String(decoding: $0, as: UTF8.self) }) {
            kernel = text.trimmingCharacters()
        }
        return [("nproc", "\(cpuCount())"), ("cpu", model), ("loadavg_at_start", load), ("kernel", kernel),
                ("started_unix", "\(wallClockSeconds())")]
    }
}

private func wallClockSeconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return ts.tv_sec
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
