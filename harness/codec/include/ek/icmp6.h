/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMPv6 header (RFC 4443 §2.1) and its checksum over the IPv6 pseudo-header
 * (RFC 8200 §8.1, RFC 4443 §2.3).  6LoWPAN never elides it (RFC 6282 §4). */
#ifndef EK_ICMP6_H
#define EK_ICMP6_H

#include "ek/base.h"
#include "ek/wr.h"

#define EK_IPV6_NH_ICMP6 58 /* IANA protocol number, RFC 4443 §1 */
#define EK_ICMP6_HDR_LEN 4

/* RFC 4443 §2.1:  Type(8) | Code(8) | Checksum(16) | message body */
typedef struct ek_icmp6 {
    uint8_t type;
    uint8_t code;
    uint16_t checksum;     /* as on the wire (decode); ignored by the encoder */
    bool checksum_checked; /* addresses were given */
    bool checksum_ok;      /* wire checksum == computed */
    ek_view body;          /* after the 4-octet header */
    size_t body_offset;    /* frame-absolute offset of body.p[0] */
} ek_icmp6;

/* One's-complement checksum of src ‖ dst ‖ len(32) ‖ 0(24) ‖ 58 ‖ msg, with the
 * message's checksum octets (2..3) taken as zero.  Borrows msg only. */
uint16_t ek_icmp6_checksum(const uint8_t src[16], const uint8_t dst[16], ek_view icmp_msg);
/* Same sum for any upper layer (e.g. UDP, next header 17, checksum at octet 6);
 * cksum_at >= msg.len means no field is zeroed. */
uint16_t ek_inet6_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh, ek_view msg,
                           size_t cksum_at);

/* Same sum over a message given as an even-length header (its checksum octets already
 * zero) followed by a body, e.g. a decompressed UDP header and the payload in the frame. */
uint16_t ek_inet6_checksum_split(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
                                 ek_view even_head, ek_view body);

/* Decodes the header of the ICMPv6 message `msg` (the whole IPv6 payload).  src/dst may
 * be NULL (then the checksum is not checked).  TRUNCATED below 4 octets.  A wrong
 * checksum is not an error: checksum_ok says so. */
EK_NODISCARD ek_status ek_icmp6_decode(ek_view msg, size_t origin, const uint8_t *src,
                                       const uint8_t *dst, ek_icmp6 *out, ek_err *err);
/* Writes type, code, the computed checksum and in->body.  NOSPACE from the buffer. */
EK_NODISCARD ek_status ek_icmp6_encode(const ek_icmp6 *in, const uint8_t src[16],
                                       const uint8_t dst[16], ek_buf *out, ek_err *err);
/* Octets ek_icmp6_encode writes: 4 + body.len. */
size_t ek_icmp6_encoded_len(const ek_icmp6 *in);

#endif /* EK_ICMP6_H */
