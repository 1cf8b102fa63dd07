import ArbiterJSON
import CEL

/// Collects every figure of a run, prints them as a table and writes them as JSON.
final class BenchReport {
    /// One measured figure.
    struct Row {
        var group: String
        var name: String
        var value: Double
        var unit: String
        var note: String
    }

    private(set) var rows: [Row] = []
    private(set) var failures: [String] = []
    var machine: [(String, String)] = []

    /// Records a figure and prints it at once, so progress is visible during long runs.
    func add(_ group: String, _ name: String, _ value: Double, _ unit: String, note: String = "") {
        rows.append(Row(group: group, name: name, value: value, unit: unit, note: note))
        print("  \(group) | \(name): \(fmt(value, value < 10 ? 3 : 1)) \(unit)\(note.isEmpty ? "" : "  (\(note))")")
    }

    /// Records a failed benchmark; the run continues with the others and exits non-zero.
    func fail(_ group: String, _ message: String) {
        failures.append("\(group): \(message)")
        print("  FAILED \(group): \(message)")
    }

    /// The value of a recorded figure, for ratios.
    func value(_ group: String, _ name: String) -> Double? {
        rows.last { $0.group == group && $0.name == name }?.value
    }

    /// The final table: group, figure, value, unit.
    func table() -> String {
        let w0 = max(5, rows.map(\.group.count).max() ?? 0)
        let w1 = max(6, rows.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func lpad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = pad("group", w0) + "  " + pad("figure", w1) + "  " + lpad("value", 14) + "  unit\n"
        out += String(repeating: "-", count: w0 + w1 + 30) + "\n"
        for r in rows {
            out += pad(r.group, w0) + "  " + pad(r.name, w1) + "  " + lpad(fmt(r.value, r.value < 10 ? 3 : 1), 14) + "  " + r.unit
            if !r.note.isEmpty { out += "  (" + r.note + ")" }
            out += "\n"
        }
        return out
    }

    /// The whole run as JSON: machine, rows, failures.
    func json() throws -> [UInt8] {
        let rowValues: [Value] = rows.map { r in
            .map(MapValue(stringKeyed: [
                ("group", .string(r.group)), ("name", .string(r.name)),
                ("value", r.value.isFinite ? .double(r.value) : .null), ("unit", .string(r.unit)), ("note", .string(r.note)),
            ]))
        }
        let doc = Value.map(MapValue(stringKeyed: [
            ("machine", .map(MapValue(stringKeyed: machine.map { ($0.0, Value.string($0.1)) }))),
            ("results", .list(rowValues)),
            ("failures", .list(failures.map { .string($0) })),
        ]))
        return try JSONWriter.encode(doc)
    }
}
