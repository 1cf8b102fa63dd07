#!/usr/bin/env python3
"""Generates Sources/ArbiterSchema/IDNATables.swift: the Unicode tables behind the IDNA2008
checks of the `hostname`, `idn-hostname` and `idn-email` formats.

Input: the Unicode Character Database text files, by default from /usr/share/unicode (Debian's
`unicode-data` package); the version is read from the files and written into the output.
Run from the repository root:

    python3 scripts/generate-idna-tables.py [UCD_DIR] > Sources/ArbiterSchema/IDNATables.swift

Tables (each a list of code point ranges with a small value, restricted to the code points
that IDNA2008 lets into a label, so ranges may run across the others):
- derived: RFC 5892 section 3's derived property, 1 PVALID, 2 CONTEXTJ, 3 CONTEXTO
  (absent: DISALLOWED or UNASSIGNED).
- bidi: the Bidi_Class of RFC 5893's rules, absent meaning L.
- joining: Joining_Type L, D, R, T (RFC 5892 appendix A.1).
- scripts: Greek, Hebrew, Hiragana, Katakana, Han (RFC 5892 appendix A.4-A.7).
"""
import os
import re
import sys

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
MAX = 0x10FFFF


def lines(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def span(text):
    if ".." in text:
        a, b = text.split("..")
        return range(int(a, 16), int(b, 16) + 1)
    return range(int(text, 16), int(text, 16) + 1)


def version():
    with open(os.path.join(UCD, "DerivedCoreProperties.txt"), encoding="utf-8") as f:
        first = f.readline()
    m = re.search(r"-(\d+\.\d+\.\d+)\.txt", first)
    return m.group(1) if m else "unknown"


# General category and bidi class from UnicodeData.txt (ranges given as First/Last pairs).
category = {}
bidi = {}
pending = None
for fields in lines("UnicodeData.txt"):
    cp, name, gc, bc = int(fields[0], 16), fields[1], fields[2], fields[4]
    if name.endswith(", First>"):
        pending = cp
        continue
    start = pending if name.endswith(", Last>") else cp
    pending = None
    for c in range(start, cp + 1):
        category[c] = gc
        bidi[c] = bc


def prop(name, wanted):
    out = set()
    for fields in lines(name):
        if fields[1] == wanted:
            out.update(span(fields[0]))
    return out


noncharacter = prop("PropList.txt", "Noncharacter_Code_Point")
white_space = prop("PropList.txt", "White_Space")
default_ignorable = prop("DerivedCoreProperties.txt", "Default_Ignorable_Code_Point")
# RFC 5892's Unstable (toNFKC(toCaseFold(toNFKC(cp))) != cp) is Changes_When_NFKC_Casefolded,
# apart from the default ignorables, which IgnorableProperties disallows anyway.
unstable = prop("DerivedNormalizationProps.txt", "Changes_When_NFKC_Casefolded")
old_hangul_jamo = set()
for fields in lines("HangulSyllableType.txt"):
    if fields[1] in ("L", "V", "T"):
        old_hangul_jamo.update(span(fields[0]))
ignorable_blocks = set(range(0x20D0, 0x2100)) | set(range(0x1D100, 0x1D200)) | set(range(0x1D200, 0x1D250))

exceptions = {}
for c in (0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007):
    exceptions[c] = "PVALID"
for c in [0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB] + list(range(0x0660, 0x066A)) + list(range(0x06F0, 0x06FA)):
    exceptions[c] = "CONTEXTO"
for c in [0x0640, 0x07FA, 0x302E, 0x302F, 0x303B] + list(range(0x3031, 0x3036)):
    exceptions[c] = "DISALLOWED"
ldh = {0x2D} | set(range(0x30, 0x3A)) | set(range(0x61, 0x7B))
letter_digits = {"Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"}


def derived(c):
    """RFC 5892 section 3, in its order (BackwardCompatible is empty)."""
    if c in exceptions:
        return exceptions[c]
    gc = category.get(c, "Cn")
    if gc == "Cn" and c not in noncharacter:
        return "UNASSIGNED"
    if c in ldh:
        return "PVALID"
    if c in (0x200C, 0x200D):
        return "CONTEXTJ"
    if c in unstable:
        return "DISALLOWED"
    if c in default_ignorable or c in white_space or c in noncharacter:
        return "DISALLOWED"
    if c in ignorable_blocks:
        return "DISALLOWED"
    if c in old_hangul_jamo:
        return "DISALLOWED"
    if gc in letter_digits:
        return "PVALID"
    return "DISALLOWED"


codes = {"PVALID": 1, "CONTEXTJ": 2, "CONTEXTO": 3}
allowed = {}
for c in range(MAX + 1):
    d = derived(c)
    if d in codes:
        allowed[c] = codes[d]

bidi_codes = {"R": 1, "AL": 2, "AN": 3, "EN": 4, "ES": 5, "CS": 6, "ET": 7, "ON": 8, "BN": 9, "NSM": 10}
bidi_values = {c: bidi_codes.get(bidi.get(c, "L"), 11) for c in allowed if bidi.get(c, "L") != "L"}

joining_codes = {"L": 1, "D": 2, "R": 3, "T": 4}
joining = {}
for fields in lines("ArabicShaping.txt"):
    joining[int(fields[0], 16)] = fields[2]
joining_values = {}
for c in allowed:
    jt = joining.get(c)
    if jt is None and category.get(c) in ("Mn", "Me", "Cf"):
        jt = "T"
    if jt in joining_codes:
        joining_values[c] = joining_codes[jt]

script_codes = {"Greek": 1, "Hebrew": 2, "Hiragana": 3, "Katakana": 4, "Han": 5}
script_values = {}
for fields in lines("Scripts.txt"):
    if fields[1] in script_codes:
        for c in span(fields[0]):
            if c in allowed:
                script_values[c] = script_codes[fields[1]]


def encode(values, exact=False):
    """Ranges of equal value as `start-end=v` in hex. Over the allowed code points only, a range
    may run across code points that are not allowed, whose lookups never happen; `exact` ranges
    cover exactly the code points with a value."""
    out = []
    current = None
    for c in range(MAX + 1) if exact else sorted(allowed):
        v = values.get(c)
        if v is None:
            if current:
                out.append(current)
                current = None
            continue
        if current and current[2] == v:
            current[1] = c
        else:
            if current:
                out.append(current)
            current = [c, c, v]
    if current:
        out.append(current)
    parts = [("%x" % a if a == b else "%x-%x" % (a, b)) + "=%d" % v for a, b, v in out]
    return ",".join(parts), len(out)


def literal(text):
    """A Swift multi-line string literal, wrapped at about 100 columns (line breaks are dropped)."""
    rows = []
    row = ""
    for part in text.split(","):
        if len(row) + len(part) > 96:
            rows.append(row)
            row = ""
        row += part + ","
    rows.append(row.rstrip(","))
    return '"""\n' + "\\\n".join("        " + r for r in rows) + '\n        """'


tables = [
    ("derived", "RFC 5892 derived property: 1 PVALID, 2 CONTEXTJ, 3 CONTEXTO; absent: DISALLOWED or UNASSIGNED.", allowed),
    ("bidi", "Bidi_Class: 1 R, 2 AL, 3 AN, 4 EN, 5 ES, 6 CS, 7 ET, 8 ON, 9 BN, 10 NSM, 11 other; absent: L.", bidi_values),
    ("joining", "Joining_Type: 1 L, 2 D, 3 R, 4 T; absent: U or C.", joining_values),
    ("scripts", "Script: 1 Greek, 2 Hebrew, 3 Hiragana, 4 Katakana, 5 Han; absent: another.", script_values),
]

print("// Generated by scripts/generate-idna-tables.py from the Unicode Character Database %s." % version())
print("// Do not edit; rerun the script instead.")
print()
print("/// The Unicode data of IDNA2008 (RFC 5892, RFC 5893) for the code points a label may hold,")
print("/// Unicode %s." % version())
print("enum IDNATables {")
for name, doc, values in tables:
    text, count = encode(values, exact=values is allowed)
    print("    /// %s %d ranges." % (doc, count))
    print("    static let %s = UnicodeRangeTable(%s)" % (name, literal(text)))
print("}")
