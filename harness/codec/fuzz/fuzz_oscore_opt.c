/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_oscore_opt_decode (RFC 8613 §6.1 OSCORE option value).  The whole
 * input is the option value.  A clean decode re-encodes to exactly the input (the flag
 * byte determines every length; kid is the rest); views inside the input. */
#include "ek/coap.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    ek_oscore_opt o;
    ek_err e;
    fz_err_poison(&e);
    if (ek_oscore_opt_decode(ek_view_make(d, n), FZ_ORIGIN, NULL, &o, &e) != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, n, "oscore opt");
        return 0;
    }
    fz_err_cleared(&e, "ek_oscore_opt_decode");
    fz_view_in(o.piv, d, n, "oscore.piv");
    fz_view_in(o.kid, d, n, "oscore.kid");
    fz_view_in(o.kid_context, d, n, "oscore.kid_context");
    if (o.piv.len > EK_OSCORE_PIV_MAX)
        FZ_FAIL("oscore: piv %zu", o.piv.len);
    static uint8_t out[1 << 17];
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_oscore_opt_encode(&o, NULL, &w, &e) != EK_OK)
        FZ_FAIL("oscore: decoded value does not encode: %s", e.field ? e.field : "?");
    if (!fz_view_eq(ek_buf_view(&w), ek_view_make(d, n)) || ek_oscore_opt_encoded_len(&o) != n)
        FZ_FAIL("oscore: encode(decode(x)) != x (%zu octets)", n);
    return 0;
}
