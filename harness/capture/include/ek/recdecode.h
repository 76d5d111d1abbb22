/* SPDX-License-Identifier: BSD-3-Clause */
/* One capture record decoded down to RPL: link-type decapsulation (ek/decap.h) then the
 * whole-frame decode (ek/frame.h), the way every front end reads captures (enroll-decode,
 * enroll-check), so a frame means the same thing to all of them.  Pure: no I/O. */
#ifndef EK_RECDECODE_H
#define EK_RECDECODE_H

#include "ek/decap.h"
#include "ek/frame.h"
#include "ek/pcapio.h"
#include "ek/profile.h"

/* Decodes rec into f.  Decapsulation failures are recorded as errors of the frame (no
 * MAC then); where the record was captured short, what its end explains is the
 * truncation note instead of an error.  Codec error offsets are turned into record
 * offsets.  A ZEP v2/v3 Ack (no MPDU) is not an error.  *cf (may be NULL) receives the
 * carrier details (ZEP header, FCS, MPDU view); cf->mpdu.p is NULL when no MPDU was
 * found.  Returns the status of the first error, EK_OK for a clean frame. */
ek_status ek_cap_decode_record(const ek_cap_record *rec, const ek_profile *prof, ek_frame *f, ek_cap_frame *cf);

#endif /* EK_RECDECODE_H */
