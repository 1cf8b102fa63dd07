// A minimal C interface to Debian's libre2 (C++ only), so Swift can use RE2 for CEL regexes.
// RE2 is the dialect CEL specifies and it matches in linear time, so hostile patterns cannot
// stall a decision. Only what CEL needs is exposed: compile, search with submatch offsets.
#ifndef ARB_RE2_H
#define ARB_RE2_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct arb_re2 arb_re2;

/// Compiles a UTF-8 pattern. On failure returns NULL and, if error_out is not NULL, stores a
/// malloc'd message the caller frees with free().
arb_re2 *arb_re2_new(const char *pattern, size_t length, char **error_out);
void arb_re2_delete(arb_re2 *re);
/// Number of capturing groups.
int arb_re2_groups(const arb_re2 *re);
/// Searches text[start..length) for the first match (unanchored). Returns 1 on a match and fills
/// offsets[0..2*(ngroups+1)) with byte start/end pairs (-1 for a group that did not take part),
/// 0 on no match. offsets may be NULL when ngroups is -1 (only the yes/no answer is wanted).
int arb_re2_search(const arb_re2 *re, const char *text, size_t length, size_t start, int ngroups, long *offsets);

#ifdef __cplusplus
}
#endif
#endif
