/* SPDX-License-Identifier: BSD-3-Clause */
/* Wire profiles: every layout choice the specs leave open is a runtime value,
 * named exactly as on the command line.  No #if changes a layout. */
#ifndef EK_PROFILE_H
#define EK_PROFILE_H

#include "ek/base.h"

/* Minimum Enrollment Priority option layouts (draft-ietf-roll-enrollment-priority-03 §2,
 * -04 §3, -09 §3, -16 §3.1). */
typedef enum ek_mep_profile {
    EK_MEP_DRAFT03 = 0, /* "draft-03": Length 1, R | min(7)                                   */
    EK_MEP_DRAFT04,     /* "draft-04": Length 3, exp(4) size(12) | R | min(7)   (-04 .. -07)  */
    EK_MEP_DRAFT09,     /* "draft-09": Length 4, version | T min(7) | exp(4) size(12)          */
    EK_MEP_DRAFT16      /* "draft-16": Length 3, version | T min(7) | Exp(4) DODAGSz(4);
                           Length 4 accepted and flagged (the -10..-16 erratum)               */
} ek_mep_profile;

/* RFC 9032 §2 Figure 1 readings. */
typedef enum ek_ji_profile {
    EK_JI_RFC9032_LITERAL = 0, /* "rfc9032-literal": R,P,res(3),proxy(7),rank(12) */
    EK_JI_BYTE_ALIGNED         /* "byte-aligned": R,P,res(6) | res(1),proxy(7) | rank(8) */
} ek_ji_profile;

#define EK_LOWPAN_CONTEXTS 16

/* RFC 6282 §3.1.2 context: prefix bits used for SAC/DAC=1 compression. */
typedef struct ek_lowpan_ctx {
    bool valid;
    uint8_t prefix_len; /* bits, 0..128 */
    uint8_t prefix[16];
} ek_lowpan_ctx;

typedef struct ek_profile {
    uint8_t mep_type;          /* option type code; 0 = do not recognise the option */
    ek_mep_profile mep;
    ek_ji_profile ji;
    uint8_t ji_subtype;        /* IETF IE subtype of Join-Info, default 2 */
    ek_lowpan_ctx ctx[EK_LOWPAN_CONTEXTS];
} ek_profile;

/* Defaults: type 0x2A (provisional), draft-16, rfc9032-literal, subtype 2, no contexts. */
void ek_profile_default(ek_profile *p);

/* Name <-> value; parse returns false for an unknown name. */
const char *ek_mep_profile_name(ek_mep_profile m);
bool ek_mep_profile_parse(const char *name, ek_mep_profile *out);
const char *ek_ji_profile_name(ek_ji_profile j);
bool ek_ji_profile_parse(const char *name, ek_ji_profile *out);
/* "fd00::/64" into ctx[i]; false on syntax error. */
bool ek_profile_set_context(ek_profile *p, unsigned i, const char *prefix_text);

#endif /* EK_PROFILE_H */
