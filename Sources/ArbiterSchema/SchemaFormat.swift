import CEL

/// The `format` values that are checked, those Cerbos's validator (santhosh-tekuri/jsonschema)
/// checks. Unknown formats are annotations and accept everything; non-strings pass every format.
enum SchemaFormat: Sendable {
    case dateTime, date, time, duration, email, idnEmail, hostname, idnHostname, ipv4, ipv6
    case uri, uriReference, iri, iriReference, uriTemplate, jsonPointer, relativeJSONPointer, uuid, regex

    init?(name: String) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "duration": self = .duration
        case "email": self = .email
        case "idn-email": self = .idnEmail
        case "hostname": self = .hostname
        case "idn-hostname": self = .idnHostname
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        case "iri": self = .iri
        case "iri-reference": self = .iriReference
        case "uri-template": self = .uriTemplate
        case "json-pointer": self = .jsonPointer
        case "relative-json-pointer": self = .relativeJSONPointer
        case "uuid": self = .uuid
        case "regex": self = .regex
        default: return nil
        }
    }

    func accepts(_ value: Value) -> Bool {
        guard case let .string(s) = value else { return true }
        let b = Array(s.utf8)
        switch self {
        case .dateTime: return FormatCheck.dateTime(b)
        case .date: return FormatCheck.date(b[...])
        case .time: return FormatCheck.time(b[...])
        case .duration: return FormatCheck.duration(b)
        case .email: return FormatCheck.email(s, international: false)
        case .idnEmail: return FormatCheck.email(s, international: true)
        case .hostname: return FormatCheck.hostname(s, international: false)
        case .idnHostname: return FormatCheck.hostname(s, international: true)
        case .ipv4: return FormatCheck.ipv4(b[...])
        case .ipv6: return FormatCheck.ipv6(s)
        case .uri: return FormatCheck.uri(s, reference: false, international: false)
        case .uriReference: return FormatCheck.uri(s, reference: true, international: false)
        case .iri: return FormatCheck.uri(s, reference: false, international: true)
        case .iriReference: return FormatCheck.uri(s, reference: true, international: true)
        case .uriTemplate: return FormatCheck.uriTemplate(s)
        case .jsonPointer: return FormatCheck.jsonPointer(s)
        case .relativeJSONPointer: return FormatCheck.relativeJSONPointer(s)
        case .uuid: return FormatCheck.uuid(b)
        case .regex: return (try? RE2Regex(s)) != nil
        }
    }
}
