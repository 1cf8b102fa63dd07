/// A rule's effect.
public enum Effect: String, Sendable, Hashable {
    case allow = "EFFECT_ALLOW"
    case deny = "EFFECT_DENY"
}
