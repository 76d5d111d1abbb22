/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_wpan_decode on an MPDU (IEEE 802.15.4-2015 §7.2, no FCS).
 * Checks views/offsets and, for clean unencrypted frames, that encode(decode(x))
 * re-decodes to the same header, IE list shape and payload. */
#include "ek/profile.h"
#include "fuzz_checks.h"

static void same(const ek_wpan_frame *a, const ek_wpan_frame *b)
{
    if (a->frame_type != b->frame_type || a->version != b->version || a->seq_suppressed != b->seq_suppressed ||
        (!a->seq_suppressed && a->seq != b->seq) || a->security != b->security)
        FZ_FAIL("wpan round trip: FCF/seq differ");
    if (a->dst.mode != b->dst.mode || a->src.mode != b->src.mode || a->has_dst_pan != b->has_dst_pan ||
        a->has_src_pan != b->has_src_pan || (a->has_dst_pan && a->dst_pan != b->dst_pan) ||
        (a->has_src_pan && a->src_pan != b->src_pan))
        FZ_FAIL("wpan round trip: addressing differs");
    if (a->dst.mode == EK_WPAN_AM_SHORT && a->dst.short_addr != b->dst.short_addr)
        FZ_FAIL("wpan round trip: dst16");
    if (a->src.mode == EK_WPAN_AM_EXT && memcmp(a->src.ext, b->src.ext, 8))
        FZ_FAIL("wpan round trip: src64");
    if (a->ies.n_hdr != b->ies.n_hdr || a->ies.n_pl != b->ies.n_pl || a->ies.n_sub != b->ies.n_sub)
        FZ_FAIL("wpan round trip: IE counts %u/%u/%u vs %u/%u/%u", a->ies.n_hdr, a->ies.n_pl, a->ies.n_sub,
                b->ies.n_hdr, b->ies.n_pl, b->ies.n_sub);
    if (a->has_cmd_id != b->has_cmd_id || (a->has_cmd_id && a->cmd_id != b->cmd_id))
        FZ_FAIL("wpan round trip: command id");
    if (!fz_view_eq(a->payload, b->payload))
        FZ_FAIL("wpan round trip: payload %zu vs %zu octets", a->payload.len, b->payload.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static ek_wpan_frame f, g;
    static uint8_t out[2048];
    ek_profile prof;
    ek_profile_default(&prof);
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_wpan_decode(ek_view_make(d, n), FZ_ORIGIN, &prof, &f, &e);
    if (st != EK_OK) {
        if (e.code != st)
            FZ_FAIL("status %d but err.code %d", (int)st, (int)e.code);
        fz_err_ok(&e, FZ_ORIGIN, n, "wpan");
        if (st == EK_ERR_UNSUPPORTED)
            fz_view_in(f.payload, d, n, "wpan.payload (unsupported)");
        return 0;
    }
    fz_err_cleared(&e, "ek_wpan_decode");
    fz_check_wpan(&f, d, n, FZ_ORIGIN);
    if (f.encrypted || ek_ie_list_status(&f.ies, NULL) != EK_OK || f.ies.payload_ie_in_header ||
        f.ies.hdr_dropped || f.ies.pl_dropped || f.ies.sub_dropped)
        return 0;
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    if (ek_wpan_encode(&f, &prof, &b, &e) != EK_OK)
        return 0; /* not every accepted input is encodable (e.g. reserved combinations) */
    ek_status st2 = ek_wpan_decode(ek_buf_view(&b), 0, &prof, &g, &e);
    if (st2 != EK_OK)
        FZ_FAIL("wpan: re-decode of the encoding failed: %s at %zu", e.field ? e.field : "?", e.offset);
    same(&f, &g);
    return 0;
}
