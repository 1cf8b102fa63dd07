// See arb_re2.h for why this shim exists.
#include "arb_re2.h"
#include <re2/re2.h>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

struct arb_re2 {
    re2::RE2 re;
    explicit arb_re2(const re2::StringPiece &p, const re2::RE2::Options &o) : re(p, o) {}
};

extern "C" arb_re2 *arb_re2_new(const char *pattern, size_t length, char **error_out) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(re2::RE2::Options::EncodingUTF8);
    arb_re2 *r = new (std::nothrow) arb_re2(re2::StringPiece(pattern, length), options);
    if (r == nullptr) {
        if (error_out) *error_out = strdup("out of memory");
        return nullptr;
    }
    if (!r->re.ok()) {
        if (error_out) *error_out = strdup(r->re.error().c_str());
        delete r;
        return nullptr;
    }
    return r;
}

extern "C" void arb_re2_delete(arb_re2 *re) { delete re; }

extern "C" int arb_re2_groups(const arb_re2 *re) { return re->re.NumberOfCapturingGroups(); }

extern "C" int arb_re2_search(const arb_re2 *re, const char *text, size_t length, size_t start, int ngroups, long *offsets) {
    re2::StringPiece input(text, length);
    if (ngroups < 0 || offsets == nullptr) {
        return re->re.Match(input, start, length, re2::RE2::UNANCHORED, nullptr, 0) ? 1 : 0;
    }
    int n = ngroups + 1;
    std::vector<re2::StringPiece> sub(n);
    if (!re->re.Match(input, start, length, re2::RE2::UNANCHORED, sub.data(), n)) return 0;
    for (int i = 0; i < n; i++) {
        if (sub[i].data() == nullptr) {
            offsets[2 * i] = -1;
            offsets[2 * i + 1] = -1;
        } else {
            long s = static_cast<long>(sub[i].data() - text);
            offsets[2 * i] = s;
            offsets[2 * i + 1] = s + static_cast<long>(sub[i].size());
        }
    }
    return 1;
}
