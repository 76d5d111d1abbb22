/* SPDX-License-Identifier: BSD-3-Clause */
/* Append-only writer (see ek/wr.h).  put() is the single bounds check. */
#include <string.h>

#include "ek/wr.h"

void ek_buf_init(ek_buf *b, uint8_t *p, size_t cap)
{
    b->p = p;
    b->cap = p ? cap : 0;
    b->len = 0;
    ek_err_clear(&b->err);
}

/* Returns where n bytes may be written, or NULL after recording NOSPACE.
 * len still advances so the caller learns the size it would have needed. */
static uint8_t *put(ek_buf *b, size_t n, const char *field)
{
    size_t at = b->len;
    b->len += n;
    if (b->err.code != EK_OK)
        return NULL;
    if (n > b->cap || at > b->cap - n) {
        b->err.code = EK_ERR_NOSPACE;
        b->err.field = field;
        b->err.offset = at;
        b->err.need = n;
        b->err.have = at <= b->cap ? b->cap - at : 0;
        return NULL;
    }
    return b->p + at;
}

bool ek_wr_u8(ek_buf *b, const char *field, uint8_t v)
{
    uint8_t *q = put(b, 1, field);
    if (q)
        q[0] = v;
    return q != NULL;
}

bool ek_wr_be16(ek_buf *b, const char *field, uint16_t v)
{
    uint8_t *q = put(b, 2, field);
    if (q) {
        q[0] = (uint8_t)(v >> 8);
        q[1] = (uint8_t)v;
    }
    return q != NULL;
}

bool ek_wr_le16(ek_buf *b, const char *field, uint16_t v)
{
    uint8_t *q = put(b, 2, field);
    if (q) {
        q[0] = (uint8_t)v;
        q[1] = (uint8_t)(v >> 8);
    }
    return q != NULL;
}

bool ek_wr_be32(ek_buf *b, const char *field, uint32_t v)
{
    uint8_t *q = put(b, 4, field);
    if (q)
        for (int i = 0; i < 4; i++)
            q[i] = (uint8_t)(v >> (24 - 8 * i));
    return q != NULL;
}

static bool wr_le_n(ek_buf *b, const char *field, uint64_t v, size_t n)
{
    uint8_t *q = put(b, n, field);
    if (q)
        for (size_t i = 0; i < n; i++)
            q[i] = (uint8_t)(v >> (8 * i));
    return q != NULL;
}

bool ek_wr_le32(ek_buf *b, const char *field, uint32_t v) { return wr_le_n(b, field, v, 4); }
bool ek_wr_le40(ek_buf *b, const char *field, uint64_t v) { return wr_le_n(b, field, v, 5); }
bool ek_wr_le64(ek_buf *b, const char *field, uint64_t v) { return wr_le_n(b, field, v, 8); }

bool ek_wr_bytes(ek_buf *b, const char *field, const uint8_t *src, size_t n)
{
    uint8_t *q = put(b, n, field);
    if (q && n)
        memcpy(q, src, n);
    return q != NULL;
}

bool ek_wr_view(ek_buf *b, const char *field, ek_view v)
{
    return ek_wr_bytes(b, field, v.p, v.len);
}

bool ek_wr_zero(ek_buf *b, const char *field, size_t n)
{
    uint8_t *q = put(b, n, field);
    if (q && n)
        memset(q, 0, n);
    return q != NULL;
}

size_t ek_wr_reserve(ek_buf *b, const char *field, size_t n)
{
    size_t at = b->len;
    (void)ek_wr_zero(b, field, n);
    return at;
}

static bool patchable(const ek_buf *b, size_t at, size_t n)
{
    return b->err.code == EK_OK && at <= b->len && n <= b->len - at;
}

void ek_wr_patch_le16(ek_buf *b, size_t at, uint16_t v)
{
    if (patchable(b, at, 2)) {
        b->p[at] = (uint8_t)v;
        b->p[at + 1] = (uint8_t)(v >> 8);
    }
}

void ek_wr_patch_be16(ek_buf *b, size_t at, uint16_t v)
{
    if (patchable(b, at, 2)) {
        b->p[at] = (uint8_t)(v >> 8);
        b->p[at + 1] = (uint8_t)v;
    }
}

void ek_wr_patch_u8(ek_buf *b, size_t at, uint8_t v)
{
    if (patchable(b, at, 1))
        b->p[at] = v;
}

ek_status ek_buf_finish(const ek_buf *b, ek_err *err)
{
    if (err)
        *err = b->err;
    return b->err.code;
}
