/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_enroll_ie_decode (RFC 9032 §2 subtype content).  Byte 0 bit0
 * picks the byte-aligned profile.  A clean decode must re-encode to the exact input
 * (the length rule 4 + 8P + N, N <= 16, leaves no freedom). */
#include "ek/enroll_ie.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    ek_profile prof;
    ek_profile_default(&prof);
    prof.ji = (d[0] & 1) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_enroll_ie ji;
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_enroll_ie_decode(ek_view_make(b, len), FZ_ORIGIN, &prof, &ji, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, len, "enroll_ie");
        return 0;
    }
    fz_err_cleared(&e, "ek_enroll_ie_decode");
    fz_check_ji(&ji, b, len);
    if (ek_enroll_ie_encoded_len(&ji, &prof) != len)
        FZ_FAIL("enroll_ie: encoded_len %zu != input %zu", ek_enroll_ie_encoded_len(&ji, &prof), len);
    uint8_t out[64];
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_enroll_ie_encode(&ji, &prof, &w, &e) != EK_OK)
        FZ_FAIL("enroll_ie: decoded value does not encode: %s", e.field ? e.field : "?");
    if (!fz_view_eq(ek_buf_view(&w), ek_view_make(b, len)))
        FZ_FAIL("enroll_ie: encode(decode(x)) != x");
    return 0;
}
