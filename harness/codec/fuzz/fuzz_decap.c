/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_cap_decap (link types 195/230/283 and ZEP over Ethernet, Linux
 * cooked v1/v2, raw IP, loopback), then ek_frame_decode on the result as enroll-decode
 * does.  Byte 0 picks the link type (table below); the rest is the pcap record. */
#include "ek/decap.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static ek_frame f;
    static const int lts[16] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_NOFCS, EK_LT_IEEE802_15_4_TAP,
                                 EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_RAW, EK_LT_DLT_RAW_12,
                                 EK_LT_DLT_RAW_14, EK_LT_IPV4, EK_LT_IPV6, EK_LT_NULL, EK_LT_LOOP,
                                 EK_LT_IEEE802_15_4_TAP, EK_LT_EN10MB, 147 /* unsupported */ };
    if (n < 1)
        return 0;
    int lt = lts[d[0] & 15];
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_cap_frame cf;
    ek_err e;
    ek_err_clear(&e);
    ek_status st = ek_cap_decap(lt, ek_view_make(b, len), &cf, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, 0, len, "decap");
        if (!(st == EK_ERR_MALFORMED && cf.mpdu.p))
            return 0;
    }
    fz_view_in(cf.mpdu, b, len, "cap.mpdu");
    fz_view_in(cf.psdu, b, len, "cap.psdu");
    fz_view_in(cf.trailer, b, len, "cap.trailer");
    if (cf.mpdu.len && cf.mpdu.p != b + cf.mpdu_offset)
        FZ_FAIL("decap: mpdu_offset %zu does not match the view", cf.mpdu_offset);
    if (cf.psdu.len < cf.mpdu.len || (cf.psdu.len && cf.psdu.p != cf.mpdu.p))
        FZ_FAIL("decap: psdu does not start with the mpdu");
    if (cf.has_zep) {
        fz_view_in(cf.zep.psdu, b, len, "zep.psdu");
        fz_view_in(cf.zep.extra, b, len, "zep.extra");
    }
    if (cf.has_tap) {
        fz_view_in(cf.tap.payload, b, len, "tap.payload");
        for (unsigned i = 0; i < cf.tap.n_raw && i < EK_TAP_MAX_RAW; i++)
            fz_view_in(cf.tap.raw[i].value, b, len, "tap.raw");
        if (cf.tap.n_raw > EK_TAP_MAX_RAW)
            FZ_FAIL("decap: tap n_raw %u", cf.tap.n_raw);
    }
    ek_profile prof;
    ek_profile_default(&prof);
    bool crc16 = cf.fcs_kind == EK_CAP_FCS_CRC16;
    ek_view in = crc16 ? cf.psdu : cf.mpdu;
    (void)ek_frame_decode(in, crc16, &prof, &f);
    fz_check_frame(&f, in.p, in.len);
    return 0;
}
