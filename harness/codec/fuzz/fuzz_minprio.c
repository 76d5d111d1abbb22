/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_minprio_decode (draft-ietf-roll-enrollment-priority option,
 * every layout).  Byte 0 bits 0-1 pick the profile (draft-03/-04/-09/-16).  A clean
 * decode consumes 2 + Length octets and re-encodes to exactly those octets. */
#include "ek/minprio.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    ek_profile prof;
    ek_profile_default(&prof);
    prof.mep = (ek_mep_profile)(d[0] & 3);
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_minprio m;
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_minprio_decode(ek_view_make(b, len), FZ_ORIGIN, &prof, &m, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, len, "minprio");
        return 0;
    }
    fz_err_cleared(&e, "ek_minprio_decode");
    size_t used = 2u + m.length;
    if (used > len)
        FZ_FAIL("minprio: Length %u runs past the input (%zu)", m.length, len);
    if (m.min_priority > 0x7f || m.exp > 15)
        FZ_FAIL("minprio: field out of range");
    if (b[0] == 0)
        return 0; /* the encoder refuses type 0 ("do not recognise") */
    prof.mep_type = b[0];
    uint8_t out[16];
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_minprio_encode(&m, &prof, &w, &e) != EK_OK)
        FZ_FAIL("minprio: decoded option does not encode: %s", e.field ? e.field : "?");
    if (!fz_view_eq(ek_buf_view(&w), ek_view_make(b, used)))
        FZ_FAIL("minprio: encode(decode(x)) != x (profile %d, %zu octets)", (int)prof.mep, used);
    return 0;
}
