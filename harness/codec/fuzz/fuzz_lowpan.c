/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_lowpan_decode (RFC 4944 dispatch/mesh/BC0/frag and HC1, RFC 6282 IPHC).
 * Byte 0: bits 0-1 MAC source mode, bits 2-3 MAC destination mode (0 none, 1 short,
 * 2/3 extended), bit 4 installs contexts 0 and 1.  A clean, unfragmented IPHC packet
 * must re-encode (same form) and re-decode to the same IPv6/UDP header and payload. */
#include "ek/lowpan.h"
#include "ek/wpan.h"
#include "fuzz_checks.h"

static void mk_ll(unsigned sel, ek_lladdr *a, uint8_t seed)
{
    memset(a, 0, sizeof *a);
    static const uint8_t modes[4] = { EK_WPAN_AM_NONE, EK_WPAN_AM_SHORT, EK_WPAN_AM_EXT, EK_WPAN_AM_EXT };
    a->mode = modes[sel & 3];
    a->short_addr = (uint16_t)(0x0100 | seed);
    for (int i = 0; i < 8; i++)
        a->ext[i] = (uint8_t)(seed + i);
}

static void same(const ek_lowpan_pkt *a, const ek_lowpan_pkt *b)
{
    const ek_ipv6_hdr *x = &a->ip, *y = &b->ip;
    if (memcmp(x->src, y->src, 16) || memcmp(x->dst, y->dst, 16) || x->nh != y->nh || x->hlim != y->hlim ||
        x->tc != y->tc || x->flow != y->flow)
        FZ_FAIL("lowpan round trip: IPv6 header differs");
    if (a->has_udp != b->has_udp ||
        (a->has_udp && (a->udp.src_port != b->udp.src_port || a->udp.dst_port != b->udp.dst_port)))
        FZ_FAIL("lowpan round trip: UDP differs");
    if (!fz_view_eq(a->payload, b->payload))
        FZ_FAIL("lowpan round trip: payload differs");
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    ek_profile prof;
    ek_profile_default(&prof);
    if (d[0] & 0x10) {
        (void)ek_profile_set_context(&prof, 0, "fd00::/64");
        (void)ek_profile_set_context(&prof, 1, "2001:db8:1::/48");
    }
    ek_lladdr src, dst;
    mk_ll(d[0], &src, 0x10);
    mk_ll(d[0] >> 2, &dst, 0x20);
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_lowpan_pkt p, q;
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_lowpan_decode(ek_view_make(b, len), FZ_ORIGIN, &src, &dst, &prof, &p, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, len, "lowpan");
        return 0;
    }
    fz_err_cleared(&e, "ek_lowpan_decode");
    fz_check_lowpan(&p, b, len, FZ_ORIGIN);
    if (p.upper.len && (p.upper.p < b || p.upper.p + p.upper.len > b + len ||
                        p.upper_offset != FZ_ORIGIN + (size_t)(p.upper.p - b)))
        FZ_FAIL("lowpan: upper-layer view outside the input or at the wrong offset");
    /* The encoder emits neither extension headers (RFC 6282 §4.2), addresses whose
     * context is unknown nor HC1 (compressed is false for it): no round trip for those. */
    if (!p.has_ipv6 || !p.compressed || p.frag.present || p.mesh.present || p.has_bc0 || p.n_ext ||
        p.needs_ctx_src || p.needs_ctx_dst)
        return 0;
    uint8_t out[512];
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_lowpan_encode(&p, &src, &dst, &prof, &w, &e) != EK_OK)
        return 0; /* e.g. a form the decoder accepted but that no encoder may emit */
    if (ek_lowpan_decode(ek_buf_view(&w), 0, &src, &dst, &prof, &q, &e) != EK_OK)
        FZ_FAIL("lowpan: re-decode of the encoding failed: %s at %zu", e.field ? e.field : "?", e.offset);
    same(&p, &q);
    return 0;
}
