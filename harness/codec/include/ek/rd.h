/* SPDX-License-Identifier: BSD-3-Clause */
/* Bounds-checked read cursor.  Every decoder fetches through it:
 * the first failure sticks, records field + absolute offset, and every later read
 * yields 0 - tcpdump's GET_* safety without longjmp. */
#ifndef EK_RD_H
#define EK_RD_H

#include <string.h>

#include "ek/base.h"

typedef struct ek_rd {
    const uint8_t *p; /* start of this cursor's window */
    size_t len;       /* window length */
    size_t pos;       /* bytes consumed */
    size_t origin;    /* absolute offset of p[0] within the outermost frame */
    ek_err err;       /* first failure; err.code == EK_OK while healthy */
} ek_rd;

/* Open a cursor over `in`; `origin` is in's offset inside the outermost frame. */
void ek_rd_init(ek_rd *rd, ek_view in, size_t origin);

static inline bool ek_rd_ok(const ek_rd *rd) { return rd->err.code == EK_OK; }
static inline size_t ek_rd_left(const ek_rd *rd) { return rd->len - rd->pos; }
/* Absolute offset of the next byte to read. */
static inline size_t ek_rd_offset(const ek_rd *rd) { return rd->origin + rd->pos; }

/* Internal to the inline fast paths below: records EK_ERR_TRUNCATED (need n, have
 * what is left) at the current offset unless a failure is already recorded.
 * Always returns NULL.  Out of line: it is the cold path. */
const uint8_t *ek_rd_underrun(ek_rd *rd, size_t n, const char *field);

/* Returns a pointer to n readable bytes and advances, or NULL after recording
 * EK_ERR_TRUNCATED.  A failed cursor never hands out bytes again.  Every fetch
 * is built on it: the single place that compares a length with what is left. */
static inline const uint8_t *ek_rd_take(ek_rd *rd, size_t n, const char *field)
{
    if (rd->err.code == EK_OK && n <= rd->len - rd->pos) {
        const uint8_t *q = rd->p + rd->pos;
        rd->pos += n;
        return q;
    }
    return ek_rd_underrun(rd, n, field);
}

/* Fixed-width fetches.  On failure *out is 0 and EK_ERR_TRUNCATED is recorded.
 * The common ones are inline: they run several times per octet of every frame. */
static inline bool ek_rd_u8(ek_rd *rd, const char *field, uint8_t *out)
{
    const uint8_t *q = ek_rd_take(rd, 1, field);
    *out = q ? q[0] : 0;
    return q != NULL;
}

static inline bool ek_rd_be16(ek_rd *rd, const char *field, uint16_t *out)
{
    const uint8_t *q = ek_rd_take(rd, 2, field);
    *out = q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
    return q != NULL;
}

static inline bool ek_rd_le16(ek_rd *rd, const char *field, uint16_t *out)
{
    const uint8_t *q = ek_rd_take(rd, 2, field);
    *out = q ? (uint16_t)((q[1] << 8) | q[0]) : 0;
    return q != NULL;
}

static inline bool ek_rd_be32(ek_rd *rd, const char *field, uint32_t *out)
{
    const uint8_t *q = ek_rd_take(rd, 4, field);
    *out = q ? ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3] : 0;
    return q != NULL;
}

static inline bool ek_rd_le32(ek_rd *rd, const char *field, uint32_t *out)
{
    const uint8_t *q = ek_rd_take(rd, 4, field);
    *out = q ? ((uint32_t)q[3] << 24) | ((uint32_t)q[2] << 16) | ((uint32_t)q[1] << 8) | q[0] : 0;
    return q != NULL;
}

bool ek_rd_le40(ek_rd *rd, const char *field, uint64_t *out); /* TSCH ASN */
bool ek_rd_le64(ek_rd *rd, const char *field, uint64_t *out);

/* Copy n bytes out (addresses); zero-fills dst on failure. */
static inline bool ek_rd_bytes(ek_rd *rd, size_t n, const char *field, uint8_t *dst)
{
    const uint8_t *q = ek_rd_take(rd, n, field);
    if (q)
        memcpy(dst, q, n);
    else if (n)
        memset(dst, 0, n);
    return q != NULL;
}

/* Borrow n bytes as a view. */
static inline bool ek_rd_view(ek_rd *rd, size_t n, const char *field, ek_view *out)
{
    const uint8_t *q = ek_rd_take(rd, n, field);
    out->p = q;
    out->len = q ? n : 0;
    return q != NULL;
}

static inline bool ek_rd_skip(ek_rd *rd, size_t n, const char *field)
{
    return ek_rd_take(rd, n, field) != NULL;
}

/* Borrow everything left. Never fails. */
ek_view ek_rd_rest(ek_rd *rd);
/* Everything left, without consuming it (empty after a failure). */
ek_view ek_rd_peek_rest(const ek_rd *rd);
/* Split the last n octets off the window (a trailer: MAC MIC, RPL MAC/signature):
 * *out borrows them and later reads stop before them.  TRUNCATED (need n, have
 * what is left) at the current offset if fewer than n are left. */
bool ek_rd_tail(ek_rd *rd, size_t n, const char *field, ek_view *out);
/* Peek without consuming; false (and no error recorded) if fewer than 1 byte left. */
bool ek_rd_peek_u8(const ek_rd *rd, uint8_t *out);

/* Open a child cursor over the next n bytes (a length-delimited element) and
 * consume them from the parent.  The child keeps absolute offsets and its own
 * error, so a bad element does not poison the list around it. */
bool ek_rd_sub(ek_rd *rd, size_t n, const char *field, ek_rd *child);

/* Record a failure at the current position (or at an explicit absolute offset).
 * Only the first failure is kept.  Returns false, for `return ek_rd_fail(...)`. */
bool ek_rd_fail(ek_rd *rd, ek_status code, const char *field);
bool ek_rd_fail_at(ek_rd *rd, ek_status code, const char *field, size_t abs_offset);

/* Copy the cursor's status into *err (if err != NULL) and return its code. */
ek_status ek_rd_finish(const ek_rd *rd, ek_err *err);

#endif /* EK_RD_H */
