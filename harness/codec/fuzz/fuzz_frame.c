/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: ek_frame_decode (whole PSDU: FCS, MAC, IEs, 6LoWPAN, ICMPv6, RPL).
 * Byte 0: bits 0-1 MEP layout, bit 2 byte-aligned Join-Info profile, bit 3 fcs_present,
 * bit 4 MEP recognition off.  Checks every error, view and has_* layer. */
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static ek_frame f;
    if (n < 1)
        return 0;
    ek_profile prof;
    ek_profile_default(&prof);
    prof.mep = (ek_mep_profile)(d[0] & 3);
    prof.ji = (d[0] & 4) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    bool fcs = (d[0] & 8) != 0;
    if (d[0] & 0x10)
        prof.mep_type = 0;
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    ek_status st = ek_frame_decode(ek_view_make(b, len), fcs, &prof, &f);
    if ((st == EK_OK) != (f.n_errors == 0))
        FZ_FAIL("frame: status %d with %u errors", (int)st, f.n_errors);
    if (f.n_errors && st != f.errors[0].code)
        FZ_FAIL("frame: status %d != first error %d", (int)st, (int)f.errors[0].code);
    fz_check_frame(&f, b, len);
    return 0;
}
