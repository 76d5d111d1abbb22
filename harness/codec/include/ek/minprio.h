/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimum Enrollment Priority RPL option (draft-ietf-roll-enrollment-priority), one
 * struct for every published layout; the profile (prof->mep) picks the layout, never
 * the length (draft-ietf-roll-enrollment-priority-16 §3.1).  Framing: RFC 6550 §6.7.1 Type | Length | data. */
#ifndef EK_MINPRIO_H
#define EK_MINPRIO_H

#include "ek/base.h"
#include "ek/profile.h"
#include "ek/wr.h"

/* Warning bits from ek_minprio_warnings(): well-formed but worth an expert note. */
#define EK_MINPRIO_WARN_RESERVED_R 0x1u  /* -03/-04: R set (MUST be ignored, SHOULD be 0) */
#define EK_MINPRIO_WARN_DISABLED 0x2u    /* min priority 0x7f: Join Proxy off (-16 §3.1) */
#define EK_MINPRIO_WARN_ERRATUM_LEN4 0x4u /* -16 profile, Length 4 as printed in -10..-16 */

/* Layouts (offsets from the Type octet):
 *  draft-03 (-00..-03 §2):   Len 1 | R(1) min(7)
 *  draft-04 (-04..-07):      Len 3 | exp(4) size[11:8](4) | size[7:0] | R(1) min(7)
 *  draft-09 (-09 §3.1):      Len 4 | version | T(1) min(7) | exp(4) size[11:8](4) | size[7:0]
 *  draft-16 (-16 §3.1):      Len 3 | version | T(1) min(7) | Exp(4) DODAGSz(4)
 *                            (Len 4 + 1 trailing octet accepted: -10..-16 erratum) */
typedef struct ek_minprio {
    ek_mep_profile profile; /* layout used (prof->mep at decode time)                 */
    uint8_t type;           /* option Type octet                                       */
    uint8_t length;         /* Opt Length as on the wire (RFC 6550 §6.7.1: data only)  */
    bool r;                 /* draft-03/-04 reserved bit (0x80 of the priority octet)  */
    bool has_version;       /* draft-09/-16                                            */
    uint8_t version;        /* lollipop, RFC 6550 §7.2                                 */
    bool t;                 /* draft-09/-16 T: adopting triggers a Trickle reset       */
    uint8_t min_priority;   /* 7 bits; 0x7f = enrollment disabled                      */
    bool has_size;          /* draft-04/-09/-16                                        */
    uint8_t exp;            /* 4 bits                                                  */
    uint16_t size_code;     /* 12 bits (draft-04/-09) or 4 bits (draft-16)             */
    uint32_t dodag_size;    /* size_code << exp (computed; ignored by the encoder)     */
    bool erratum_len4;      /* draft-16 profile and Length 4 (warning, not an error)   */
    uint8_t trailing;       /* the 4th data octet when erratum_len4                    */
} ek_minprio;

/* Decodes one whole option (Type, Length, data) from the front of `opt` using
 * prof->mep.  Writes *out; consumes 2 + Length octets.  TRUNCATED if the data runs out,
 * MALFORMED "enroll.mep.length" (offset of the Length octet) if Length does not fit
 * the profile.  The Type octet is not checked against prof->mep_type; prof NULL =
 * the draft-16 layout. */
EK_NODISCARD ek_status ek_minprio_decode(ek_view opt, size_t origin, const ek_profile *prof,
                                         ek_minprio *out, ek_err *err);
/* Writes Type (prof->mep_type) | Length | data for prof->mep.  erratum_len4 (draft-16
 * only) writes Length 4 plus `trailing`.  MALFORMED on out-of-range fields,
 * UNSUPPORTED if prof->mep_type == 0, NOSPACE from the buffer. */
EK_NODISCARD ek_status ek_minprio_encode(const ek_minprio *in, const ek_profile *prof, ek_buf *out,
                                         ek_err *err);
/* 2 + the data length of prof->mep (+1 for the draft-16 Length-4 erratum form). */
size_t ek_minprio_encoded_len(const ek_minprio *in, const ek_profile *prof);
/* Option data length of a profile's canonical layout (1, 3, 4, 3). */
uint8_t ek_minprio_data_len(ek_mep_profile m);

/* Smallest representable size >= n (-16 §3.1: the root rounds up) for the profile's size
 * field (12-bit code for draft-04/-09, 4-bit for draft-16).  Writes exp/code; returns
 * false (and the largest value) when n is above the maximum or the profile has no size. */
bool ek_minprio_size_encode(uint32_t n, ek_mep_profile m, uint8_t *exp, uint16_t *code);
/* EK_MINPRIO_WARN_* bits for a decoded option. */
unsigned ek_minprio_warnings(const ek_minprio *m);

#endif /* EK_MINPRIO_H */
