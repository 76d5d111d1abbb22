/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_coap_decode (RFC 7252 §3) and, on each OSCORE option found,
 * ek_oscore_opt_decode (RFC 8613 §6.1).  The CoAP option encoding is canonical (each
 * delta/length has exactly one form), so a clean decode must re-encode to exactly the
 * input; options come out in non-decreasing number order; every view lies inside the
 * input. */
#include "ek/coap.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    ek_coap_msg m;
    ek_err e;
    fz_err_poison(&e);
    ek_status st = ek_coap_decode(ek_view_make(d, n), FZ_ORIGIN, NULL, &m, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, n, "coap");
        return 0;
    }
    fz_err_cleared(&e, "ek_coap_decode");
    if (m.n_opts > EK_COAP_MAX_OPTS || m.token.len > EK_COAP_TOKEN_MAX || m.version != EK_COAP_VERSION)
        FZ_FAIL("coap: header fields out of range");
    fz_view_in(m.token, d, n, "coap.token");
    fz_view_in(m.payload, d, n, "coap.payload");
    if (m.payload.len && m.payload_offset != FZ_ORIGIN + (size_t)(m.payload.p - d))
        FZ_FAIL("coap: payload_offset %zu does not match the view", m.payload_offset);
    for (unsigned i = 0; i < m.n_opts; i++) {
        fz_view_in(m.opts[i].value, d, n, "coap.opt.value");
        fz_off_in(m.opts[i].offset, FZ_ORIGIN, n, "coap.opt");
        if (i && m.opts[i - 1].number > m.opts[i].number)
            FZ_FAIL("coap: option numbers go down");
        if (m.opts[i].number == EK_COAP_OPT_OSCORE) {
            ek_oscore_opt o;
            size_t at = FZ_ORIGIN + (size_t)(m.opts[i].value.p - d);
            fz_err_poison(&e);
            if (ek_oscore_opt_decode(m.opts[i].value, at, NULL, &o, &e) != EK_OK) {
                fz_err_ok(&e, at, m.opts[i].value.len, "oscore opt");
                continue;
            }
            fz_err_cleared(&e, "ek_oscore_opt_decode");
            if (o.piv.len > EK_OSCORE_PIV_MAX)
                FZ_FAIL("oscore: piv %zu", o.piv.len);
            fz_view_in(o.kid, m.opts[i].value.p, m.opts[i].value.len, "oscore.kid");
            fz_view_in(o.kid_context, m.opts[i].value.p, m.opts[i].value.len, "oscore.kid_context");
            uint8_t ob[300];
            ek_buf w;
            ek_buf_init(&w, ob, sizeof ob);
            if (ek_oscore_opt_encode(&o, NULL, &w, &e) != EK_OK || !fz_view_eq(ek_buf_view(&w), m.opts[i].value))
                FZ_FAIL("oscore: encode(decode(x)) != x");
        }
    }
    static uint8_t out[1 << 17];
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    if (ek_coap_encode(&m, NULL, &w, &e) != EK_OK)
        FZ_FAIL("coap: decoded message does not encode: %s", e.field ? e.field : "?");
    if (!fz_view_eq(ek_buf_view(&w), ek_view_make(d, n)) || ek_coap_encoded_len(&m) != n)
        FZ_FAIL("coap: encode(decode(x)) != x (%zu octets)", n);
    return 0;
}
