/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_ie_decode on an IE area (IEEE 802.15.4-2015 §7.4).
 * Input byte 0: bit0 payload_opaque (encrypted frame), bit1 byte-aligned Join-Info
 * profile; the rest is the IE area.  Checks used <= len, views and offsets. */
#include "ek/profile.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static ek_ie_list l;
    if (n < 1)
        return 0;
    ek_profile prof;
    ek_profile_default(&prof);
    bool opaque = d[0] & 1;
    prof.ji = (d[0] & 2) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_err e;
    fz_err_poison(&e);
    size_t used = (size_t)-1;
    ek_status st = ek_ie_decode(ek_view_make(b, len), FZ_ORIGIN, &prof, opaque, &l, &used, &e);
    fz_err_ok(&e, FZ_ORIGIN, len, "ie");
    if (st != l.err.code)
        FZ_FAIL("ie: return %d but list err %d", (int)st, (int)l.err.code);
    if (used > len)
        FZ_FAIL("ie: used %zu > %zu", used, len);
    if (st == EK_OK)
        fz_err_cleared(&e, "ek_ie_decode");
    fz_check_ies(&l, b, len, FZ_ORIGIN);
    if (opaque && l.n_pl)
        FZ_FAIL("ie: payload IEs parsed in an opaque area");
    return 0;
}
