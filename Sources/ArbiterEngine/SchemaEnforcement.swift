/// `schema.enforcement`: what attribute schema violations do (spec §2.10).
public enum SchemaEnforcement: String, Sendable, CaseIterable {
    /// Schemas are not checked.
    case none
    /// Violations are reported in `validationErrors`; decisions are unaffected.
    case warn
    /// Violations are reported and every requested action is denied.
    case reject
}
