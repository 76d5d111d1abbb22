/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_oscore_unprotect_request / _response on hostile messages under
 * the CoJP JRC and pledge contexts (RFC 9031 §7.3), and protect -> unprotect round trips.
 * Byte 0 selects: bit 0 unprotect as response (else request), bit 1 also protect the rest
 * as a plain message and open it again.  Invariants: errors name a field with an offset
 * inside the input; a failed unprotect leaves the replay window alone; a success gives a
 * CoAP message without an OSCORE option; protect -> unprotect gives back the input
 * re-encoded. */
#include <string.h>

#include "ek/oscore.h"
#include "fuzz_util.h"

static const uint8_t PSK[16] = { 0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xde, 0xad,
                                 0xbe, 0xef, 0xca, 0xfe, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t PID[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };

static void check_plain(const uint8_t *p, size_t n, const char *what)
{
    ek_coap_msg m;
    ek_err e;
    if (ek_coap_decode(ek_view_make(p, n), 0, NULL, &m, &e) != EK_OK)
        FZ_FAIL("%s: output does not decode: %s", what, e.field);
    if (ek_coap_opt_find(&m, EK_COAP_OPT_OSCORE, NULL))
        FZ_FAIL("%s: output still has an OSCORE option", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    uint8_t sel = d[0];
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    static ek_oscore_ctx jrc0, pl0;
    static bool ready;
    ek_err e;
    if (!ready) {
        if (ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(PSK, 16), ek_view_make(PID, 8), &jrc0, &e) ||
            ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(PSK, 16), ek_view_make(PID, 8), &pl0, &e))
            FZ_FAIL("context derivation failed");
        ready = true;
    }
    ek_oscore_ctx jrc = jrc0, pl = pl0;
    static uint8_t out[EK_OSCORE_MSG_MAX + 64], back[EK_OSCORE_MSG_MAX + 64];
    size_t on = 0, bn = 0;
    ek_oscore_req rq;
    memset(&rq, 0, sizeof rq);
    rq.piv_len = 1;
    fz_err_poison(&e);
    ek_status st = (sel & 1) ? ek_oscore_unprotect_response(&pl, &rq, ek_view_make(b, len), FZ_ORIGIN, out,
                                                             sizeof out, &on, &e)
                             : ek_oscore_unprotect_request(&jrc, ek_view_make(b, len), FZ_ORIGIN, out, sizeof out,
                                                           &on, &rq, &e);
    if (st != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, len, "unprotect");
        if (memcmp(&jrc.replay, &jrc0.replay, sizeof jrc.replay) != 0)
            FZ_FAIL("a failed unprotect moved the replay window");
    } else {
        fz_err_cleared(&e, "unprotect");
        check_plain(out, on, "unprotect");
    }
    if (!(sel & 2))
        return 0;
    /* protect the input as a plain request (or response) and open it again */
    ek_oscore_req creq, sreq;
    if (sel & 1) {
        memset(&creq, 0, sizeof creq);
        ek_oscore_ctx p2 = pl0;
        jrc = jrc0;
        if (ek_oscore_protect_request(&p2, ek_view_make((const uint8_t *)"\x40\x02\x00\x01", 4), out, sizeof out, &on,
                                      &creq, &e) != EK_OK ||
            ek_oscore_unprotect_request(&jrc, ek_view_make(out, on), 0, back, sizeof back, &bn, &sreq, &e) != EK_OK)
            FZ_FAIL("fixed request does not round trip");
        if (ek_oscore_protect_response(&jrc, &sreq, (sel & 4) != 0, ek_view_make(b, len), out, sizeof out, &on, &e) !=
            EK_OK)
            return 0;
        if (ek_oscore_unprotect_response(&p2, &creq, ek_view_make(out, on), 0, back, sizeof back, &bn, &e) != EK_OK)
            FZ_FAIL("protected response does not open: %s @%zu", e.field, e.offset);
    } else {
        if (ek_oscore_protect_request(&pl, ek_view_make(b, len), out, sizeof out, &on, &creq, &e) != EK_OK)
            return 0;
        ek_oscore_ctx j2 = jrc0;
        if (ek_oscore_unprotect_request(&j2, ek_view_make(out, on), 0, back, sizeof back, &bn, &sreq, &e) != EK_OK)
            FZ_FAIL("protected request does not open: %s @%zu", e.field, e.offset);
    }
    check_plain(back, bn, "round trip");
    /* the result is the input with its options sorted: same length, same header */
    ek_coap_msg a, c;
    if (ek_coap_decode(ek_view_make(b, len), 0, NULL, &a, &e) != EK_OK ||
        ek_coap_decode(ek_view_make(back, bn), 0, NULL, &c, &e) != EK_OK)
        FZ_FAIL("round trip: decode");
    if (a.code != c.code || a.mid != c.mid || a.type != c.type || !fz_view_eq(a.token, c.token) ||
        a.n_opts != c.n_opts || !fz_view_eq(a.payload, c.payload) || bn != len)
        FZ_FAIL("round trip changed the message");
    return 0;
}
