/* SPDX-License-Identifier: BSD-3-Clause */
/* Bounds-checked read cursor (see ek/rd.h).  All multi-octet helpers are built on
 * ek_rd_take() (inline in ek/rd.h), the single place that compares a length with
 * what is left; only its cold path ek_rd_underrun() lives here. */
#include <string.h>

#include "ek/rd.h"

void ek_rd_init(ek_rd *rd, ek_view in, size_t origin)
{
    /* An empty window still gets a real address: take(rd, 0) then succeeds (q != NULL)
     * and no NULL + 0 pointer arithmetic ever happens (C11 6.5.6). */
    static const uint8_t none[1];
    rd->p = in.p ? in.p : none;
    rd->len = in.p ? in.len : 0;
    rd->pos = 0;
    rd->origin = origin;
    ek_err_clear(&rd->err);
}

static void record(ek_rd *rd, ek_status code, const char *field, size_t abs, size_t need, size_t have)
{
    if (rd->err.code != EK_OK)
        return; /* first failure sticks */
    rd->err.code = code;
    rd->err.field = field;
    rd->err.offset = abs;
    rd->err.need = need;
    rd->err.have = have;
}

const uint8_t *ek_rd_underrun(ek_rd *rd, size_t n, const char *field)
{
    /* The first failure sticks: record() keeps an earlier one. */
    record(rd, EK_ERR_TRUNCATED, field, rd->origin + rd->pos, n, rd->len - rd->pos);
    return NULL;
}

static const uint8_t *take(ek_rd *rd, size_t n, const char *field)
{
    return ek_rd_take(rd, n, field);
}

static uint64_t le_n(const uint8_t *q, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--)
        v = (v << 8) | q[i - 1];
    return v;
}

bool ek_rd_le40(ek_rd *rd, const char *field, uint64_t *out)
{
    const uint8_t *q = take(rd, 5, field);
    *out = q ? le_n(q, 5) : 0;
    return q != NULL;
}

bool ek_rd_le64(ek_rd *rd, const char *field, uint64_t *out)
{
    const uint8_t *q = take(rd, 8, field);
    *out = q ? le_n(q, 8) : 0;
    return q != NULL;
}

ek_view ek_rd_rest(ek_rd *rd)
{
    ek_view v = ek_rd_peek_rest(rd);
    rd->pos += v.len;
    return v;
}

ek_view ek_rd_peek_rest(const ek_rd *rd)
{
    ek_view v = { NULL, 0 };
    if (rd->err.code == EK_OK) {
        v.p = rd->p + rd->pos;
        v.len = rd->len - rd->pos;
    }
    return v;
}

bool ek_rd_tail(ek_rd *rd, size_t n, const char *field, ek_view *out)
{
    out->p = NULL;
    out->len = 0;
    if (rd->err.code != EK_OK)
        return false;
    if (n > rd->len - rd->pos) {
        record(rd, EK_ERR_TRUNCATED, field, rd->origin + rd->pos, n, rd->len - rd->pos);
        return false;
    }
    rd->len -= n;
    out->p = rd->p + rd->len;
    out->len = n;
    return true;
}

bool ek_rd_peek_u8(const ek_rd *rd, uint8_t *out)
{
    if (rd->err.code != EK_OK || rd->pos >= rd->len) {
        *out = 0;
        return false;
    }
    *out = rd->p[rd->pos];
    return true;
}

bool ek_rd_sub(ek_rd *rd, size_t n, const char *field, ek_rd *child)
{
    size_t at = rd->origin + rd->pos;
    const uint8_t *q = take(rd, n, field);
    ek_rd_init(child, ek_view_make(q, q ? n : 0), at);
    if (!q)
        child->err = rd->err;
    return q != NULL;
}

bool ek_rd_fail(ek_rd *rd, ek_status code, const char *field)
{
    record(rd, code, field, rd->origin + rd->pos, 0, 0);
    return false;
}

bool ek_rd_fail_at(ek_rd *rd, ek_status code, const char *field, size_t abs_offset)
{
    record(rd, code, field, abs_offset, 0, 0);
    return false;
}

ek_status ek_rd_finish(const ek_rd *rd, ek_err *err)
{
    if (err)
        *err = rd->err;
    return rd->err.code;
}
