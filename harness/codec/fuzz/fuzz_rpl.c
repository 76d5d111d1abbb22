/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_rpl_decode (RFC 6550 §6 bodies and options).  Byte 0: bits 0-2
 * pick the ICMPv6 code (DIS, DIO, DAO, DAO-ACK, and their Secure 0x80 forms), bits 3-4
 * the MEP layout, bit 5 turns MEP recognition off.  A clean message without option
 * errors re-encodes and re-decodes to the same base object and option list. */
#include "ek/rpl.h"
#include "fuzz_checks.h"

static void same(const ek_rpl_msg *a, const ek_rpl_msg *b)
{
    if (a->code != b->code || a->n_opts != b->n_opts)
        FZ_FAIL("rpl round trip: code/n_opts %u/%u vs %u/%u", a->code, a->n_opts, b->code, b->n_opts);
    switch (a->code & 0x7f) {
    case 0:
        if (a->base.dis.flags != b->base.dis.flags || a->base.dis.reserved != b->base.dis.reserved)
            FZ_FAIL("rpl round trip: DIS");
        break;
    case 1: {
        const ek_rpl_dio *x = &a->base.dio, *y = &b->base.dio;
        if (x->instance != y->instance || x->version != y->version || x->rank != y->rank || x->g != y->g ||
            x->mop != y->mop || x->prf != y->prf || x->dtsn != y->dtsn || memcmp(x->dodagid, y->dodagid, 16))
            FZ_FAIL("rpl round trip: DIO base");
        break;
    }
    case 2:
        if (a->base.dao.instance != b->base.dao.instance || a->base.dao.seq != b->base.dao.seq ||
            a->base.dao.d != b->base.dao.d || (a->base.dao.d && memcmp(a->base.dao.dodagid, b->base.dao.dodagid, 16)))
            FZ_FAIL("rpl round trip: DAO base");
        break;
    default:
        break;
    }
    for (unsigned i = 0; i < a->n_opts; i++)
        if (a->opts[i].kind != b->opts[i].kind || a->opts[i].type != b->opts[i].type ||
            a->opts[i].length != b->opts[i].length)
            FZ_FAIL("rpl round trip: option %u kind/type/length %d/%u/%u vs %d/%u/%u", i, (int)a->opts[i].kind,
                    a->opts[i].type, a->opts[i].length, (int)b->opts[i].kind, b->opts[i].type, b->opts[i].length);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static ek_rpl_msg m, m2;
    static uint8_t out[1024];
    if (n < 1)
        return 0;
    static const uint8_t codes[8] = { 0x00, 0x01, 0x02, 0x03, 0x80, 0x81, 0x82, 0x83 };
    ek_profile prof;
    ek_profile_default(&prof);
    uint8_t code = codes[d[0] & 7];
    prof.mep = (ek_mep_profile)((d[0] >> 3) & 3);
    if (d[0] & 0x20)
        prof.mep_type = 0;
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_rpl_decode(ek_view_make(b, len), code, FZ_ORIGIN, &prof, &m, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, len, "rpl");
        return 0;
    }
    fz_err_cleared(&e, "ek_rpl_decode");
    fz_check_rpl(&m, b, len, FZ_ORIGIN);
    if (m.secure || m.n_opt_errors || m.opts_dropped)
        return 0;
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_rpl_encode(&m, &prof, &w, &e) != EK_OK)
        return 0;
    if (ek_rpl_decode(ek_buf_view(&w), code, 0, &prof, &m2, &e) != EK_OK)
        FZ_FAIL("rpl: re-decode of the encoding failed: %s at %zu", e.field ? e.field : "?", e.offset);
    same(&m, &m2);
    return 0;
}
