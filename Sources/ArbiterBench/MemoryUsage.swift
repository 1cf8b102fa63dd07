#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of this process from /proc/self/status, in KiB.
struct MemoryUsage {
    var rssKiB: Int
    var peakKiB: Int

    static func current() -> MemoryUsage {
        var rss = -1, hwm = -1
        if let text = readFile("/proc/self/status").map({ String(decoding: $0, as: UTF8.self) }) {
            for line in text.split(separator: "\n") {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count >= 2 else { continue }
                if parts[0] == "VmRSS:" { rss = Int(parts[1]) ?? -1 }
                if parts[0] == "VmHWM:" { hwm = Int(parts[1]) ?? -1 }
            }
        }
        return MemoryUsage(rssKiB: rss, peakKiB: hwm)
    }

    /// Resets VmHWM to the current RSS so a later read is the peak of what follows
    /// (Linux: writing 5 to /proc/self/clear_refs).
    static func resetPeak() {
        if let f = fopen("/proc/self/clear_refs", "w") {
            fputs("5", f)
            fclose(f)
        }
    }
}
