/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared invariant checks for the libFuzzer targets (docs/fuzzing.md).  A broken
 * invariant aborts with a message, so libFuzzer records it as a crash. */
#ifndef EK_FUZZ_UTIL_H
#define EK_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/base.h"

#define FZ_FAIL(...)                                                                        \
    do {                                                                                    \
        fprintf(stderr, "fuzz invariant broken (%s:%d): ", __FILE__, __LINE__);             \
        fprintf(stderr, __VA_ARGS__);                                                       \
        fputc('\n', stderr);                                                                \
        abort();                                                                            \
    } while (0)

/* Every view a decoder returns lies inside its input (or is empty). */
static inline void fz_view_in(ek_view v, const uint8_t *base, size_t len, const char *what)
{
    if (v.len == 0)
        return;
    if (!v.p || v.p < base || v.len > len || (size_t)(v.p - base) > len - v.len)
        FZ_FAIL("view %s [%p+%zu] outside input [%p+%zu]", what, (const void *)v.p, v.len,
                (const void *)base, len);
}

/* A failing decoder names a field and an offset inside (origin .. origin+len]. */
static inline void fz_err_ok(const ek_err *e, size_t origin, size_t len, const char *what)
{
    if (e->code == EK_OK)
        return;
    if (e->code > EK_ERR_NOSPACE)
        FZ_FAIL("%s: bad status %d", what, (int)e->code);
    if (!e->field || !e->field[0])
        FZ_FAIL("%s: error without field name", what);
    if (e->offset < origin || e->offset > origin + len)
        FZ_FAIL("%s: error %s offset %zu outside [%zu, %zu]", what, e->field, e->offset, origin, origin + len);
}

/* Offsets reported for elements (IEs, options) lie inside the input. */
static inline void fz_off_in(size_t off, size_t origin, size_t len, const char *what)
{
    if (off < origin || off > origin + len)
        FZ_FAIL("%s offset %zu outside [%zu, %zu]", what, off, origin, origin + len);
}

static inline bool fz_view_eq(ek_view a, ek_view b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Decoders write *err on every return, EK_OK included (ek_frame_decode relies on it):
 * the targets pre-fill it with garbage and check it was cleared. */
static inline void fz_err_poison(ek_err *e)
{
    memset(e, 0xA5, sizeof *e);
}

static inline void fz_err_cleared(const ek_err *e, const char *what)
{
    if (e->code != EK_OK)
        FZ_FAIL("%s returned EK_OK but left *err unset (code %d)", what, (int)e->code);
}

/* A non-zero origin in every target checks that offsets are frame-absolute. */
#define FZ_ORIGIN 3u

#endif /* EK_FUZZ_UTIL_H */
