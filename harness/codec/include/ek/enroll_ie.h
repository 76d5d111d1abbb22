/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9032 §2 6tisch-Join-Info ("Enrollment IE"), the content of an RFC 8137 IETF IE
 * with subtype 2.  Octets 1-3 have two bit readings (RFC 9032 §2 Figure 1), chosen at run
 * time by ek_profile.ji: "rfc9032-literal" and "byte-aligned". */
#ifndef EK_ENROLL_IE_H
#define EK_ENROLL_IE_H

#include "ek/base.h"
#include "ek/profile.h"
#include "ek/wr.h"

/* RFC 9032 §2 Fig. 1 (octet 0 = subtype, owned by the IETF IE, not by this struct):
 *
 *  "rfc9032-literal" (MSB first, the drawn row):
 *   octet 1: R(0x80) P(0x40) res(0x38) proxy[6:4](0x07)
 *   octet 2: proxy[3:0](0xF0) rank[11:8](0x0F)
 *   octet 3: rank[7:0]
 *  "byte-aligned":
 *   octet 1: R(0x80) P(0x40) res(0x3F)
 *   octet 2: res(0x80) proxy(0x7F)
 *   octet 3: rank(8)
 *  both: octet 4 PAN priority | 8-octet Join Proxy IID iff P | network ID 0..16 octets
 *  total length counting the subtype octet = 5 + 8*P + N, N <= 16.
 */
typedef struct ek_enroll_ie {
    bool r;              /* router for SLAAC-only hosts */
    bool p;              /* Join Proxy IID present */
    uint8_t reserved;    /* raw reserved bits: literal 3 bits (0..7), byte-aligned 7 bits
                            (octet1 & 0x3F) << 1 | octet2 >> 7 (0..127) */
    uint8_t proxy_prio;  /* 7 bits; 0x7f = never a Join Proxy */
    uint16_t rank_prio;  /* 12 bits literal, 8 bits byte-aligned */
    uint8_t pan_prio;
    uint8_t jp_iid[8];   /* valid iff p; on-wire order = IID order */
    ek_view network_id;  /* 0..16 octets */
} ek_enroll_ie;

/* Warnings (not errors) from ek_enroll_ie_warnings(). */
#define EK_ENROLL_IE_WARN_RESERVED 0x1u /* res bits set: RFC 9032 §2 says ignore on receipt */
#define EK_ENROLL_IE_WARN_NOT_JP 0x2u   /* proxy prio 0x7f: never a viable Join Proxy */

/* Decodes the subtype CONTENT (octets after the subtype octet); origin = offset of
 * content.p[0] in the frame.  network_id borrows from content.
 * TRUNCATED (fixed part, "enroll.ji.join_proxy_iid"), MALFORMED ("enroll.ji.network_id"). */
EK_NODISCARD ek_status ek_enroll_ie_decode(ek_view content, size_t origin, const ek_profile *prof,
                                           ek_enroll_ie *out, ek_err *err);
/* Writes the subtype content (no subtype octet).  MALFORMED for proxy > 0x7f,
 * rank > 0xfff (literal) / 0xff (byte-aligned), reserved out of range, netid > 16. */
EK_NODISCARD ek_status ek_enroll_ie_encode(const ek_enroll_ie *in, const ek_profile *prof, ek_buf *out,
                                           ek_err *err);
/* Content length = 4 + 8*P + N (the subtype octet not counted). */
size_t ek_enroll_ie_encoded_len(const ek_enroll_ie *in, const ek_profile *prof);
/* Bitmask of EK_ENROLL_IE_WARN_*. */
unsigned ek_enroll_ie_warnings(const ek_enroll_ie *ie);

#endif /* EK_ENROLL_IE_H */
