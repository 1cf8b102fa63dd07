/// The accepted differences between Arbiter's CEL and cel-cpp (cel-expr-python 0.1.3) on
/// generated expressions, by rule and reason. Each rule is as narrow as the difference it
/// describes: a disagreement none of them explains fails the test.
extension DifferentialTests {
    static let accepted = AcceptedDifference.all(
        AcceptedDifference(
            rule: "cross-type ordering, checked",
            reason: "Arbiter's checker accepts <, <=, >, >= across int, uint and double, as Cerbos enables cel-go's "
                + "cross-type numeric comparisons; cel-cpp's checker here has no such overloads (its runtime agrees "
                + "with ours unchecked)"
        ) { _, checked, ours, theirs in
            guard checked, !ours.isError, let message = theirs.error else { return false }
            return message.contains("found no matching overload for '_<") || message.contains("found no matching overload for '_>")
        },
        AcceptedDifference(
            rule: "int/uint parse trims spaces",
            reason: "cel-cpp converts ' 1' to 1 (absl::SimpleAtoi skips whitespace); cel-go's strconv.ParseInt, the spec "
                + "and Arbiter reject it"
        ) { expr, _, ours, theirs in
            ours.error == "type conversion error" && !theirs.isError && expr.contains("int(' 1')")
        },
        AcceptedDifference(
            rule: "substring end at size",
            reason: "cel-cpp rejects substring(start, end) whose end equals the string's size; cel-go and Arbiter "
                + "return the rest of the string (end is exclusive)"
        ) { expr, _, ours, theirs in
            !ours.isError && expr.contains(".substring(")
                && (theirs.error?.contains("<start> or <end> is greater than <string>.size()") ?? false)
        },
        AcceptedDifference(
            rule: "repeated map literal key",
            reason: "cel-cpp rejects a map literal that repeats a key; Arbiter keeps the last value. Neither the spec nor "
                + "the conformance suite settles it"
        ) { _, _, ours, theirs in
            !ours.isError && (theirs.error?.contains("duplicate key in map") ?? false)
        },
        AcceptedDifference(
            rule: "duration getMilliseconds",
            reason: "cel-go (Go's Duration.Milliseconds) and Arbiter give the whole duration in milliseconds; cel-cpp gives "
                + "the milliseconds within the second"
        ) { expr, _, _, _ in
            // Either outcome: the value goes on into arithmetic (overflow, modulus by zero).
            expr.contains(").getMilliseconds()")
        },
        AcceptedDifference(
            rule: "double as text",
            reason: "string() and format() write doubles as cel-go does (Go's NaN and -Inf, all the digits of %s, %d of a "
                + "double in its shortest form); cel-cpp writes them as C does (-nan, -inf, 1e+308, 10.000000)"
        ) { expr, _, ours, theirs in
            guard !ours.isError, !theirs.isError, expr.contains("format(") || expr.contains("string(") else { return false }
            return ["nan", "inf", "e+", ".000000"].contains { theirs.json.contains($0) } || expr.contains("'%d'.format(")
        },
        AcceptedDifference(
            rule: "format checked at compile time",
            reason: "with the checker on, Arbiter validates constant format strings against their arguments when it "
                + "compiles (cel-go's strings-extension validator, which Cerbos enables), so a bad clause (or a width, "
                + "which cel-go does not support) is a compile error even in a branch that never runs; cel-cpp only "
                + "fails such a call when it runs"
        ) { _, checked, ours, _ in
            guard checked, let message = ours.error, message.hasPrefix("compile:") else { return false }
            return message.contains("formatting")
        },
        AcceptedDifference(
            rule: "empty literal element type",
            reason: "Arbiter's checker, like cel-go's, types {} and [] with free type variables that the first matching "
                + "overload binds ({}[k] passed to math.sign becomes a double); cel-cpp's checker keeps them dyn"
        ) { expr, checked, ours, _ in
            guard checked, let message = ours.error, message.hasPrefix("compile: found no matching overload") else { return false }
            return expr.contains("{}[") || expr.contains("[][")
        },
        AcceptedDifference(
            rule: "split of an empty string",
            reason: "''.split('') is [] in cel-go (Go's strings.Split) and Arbiter, [''] in cel-cpp"
        ) { expr, _, ours, theirs in
            !ours.isError && !theirs.isError && expr.contains(".split('')")
        }
    )
}
