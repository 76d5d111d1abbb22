/* SPDX-License-Identifier: BSD-3-Clause */
/* 6LoWPAN adaptation layer: RFC 4944 §5 dispatch, mesh (§5.2), broadcast (§11.1) and
 * fragment headers (§5.3, no reassembly); uncompressed IPv6 (0x41, RFC 8200 §3); HC1
 * and HC_UDP (0x42, RFC 4944 §10.1, §10.3.2; decode only); IPHC
 * (RFC 6282 §3, every TF/NH/HLIM/CID/SAC/SAM/M/DAC/DAM form) with the UDP NHC (§4.3). */
#ifndef EK_LOWPAN_H
#define EK_LOWPAN_H

#include "ek/base.h"
#include "ek/lladdr.h"
#include "ek/profile.h"
#include "ek/wr.h"

#define EK_LOWPAN_DISPATCH_IPV6 0x41 /* RFC 4944 §5.1: 01 000001 */
#define EK_LOWPAN_DISPATCH_HC1 0x42  /* RFC 4944 §5.1, §10.1: 01 000010 LOWPAN_HC1 */
#define EK_LOWPAN_DISPATCH_BC0 0x50  /* RFC 4944 §5.1: 01 010000 */
#define EK_LOWPAN_IPHC_MASK 0xE0     /* RFC 6282 §3.1: 011xxxxx */
#define EK_LOWPAN_IPHC_PATTERN 0x60
#define EK_LOWPAN_FRAG1_LEN 4        /* RFC 4944 §5.3 */
#define EK_LOWPAN_FRAGN_LEN 5
#define EK_IPV6_HDR_LEN 40
#define EK_IPV6_NH_UDP 17

/* RFC 4944 §5.1 dispatch classes (plus RFC 6282 IPHC, RFC 8025 page switch). */
typedef enum ek_lowpan_dispatch {
    EK_LOWPAN_D_NALP = 0, /* 00xxxxxx: not a LoWPAN frame */
    EK_LOWPAN_D_IPV6,     /* 01000001 */
    EK_LOWPAN_D_BC0,      /* 01010000 */
    EK_LOWPAN_D_IPHC,     /* 011xxxxx */
    EK_LOWPAN_D_MESH,     /* 10xxxxxx */
    EK_LOWPAN_D_FRAG1,    /* 11000xxx */
    EK_LOWPAN_D_FRAGN,    /* 11100xxx */
    EK_LOWPAN_D_PAGE,     /* 1111xxxx (RFC 8025 §3) */
    EK_LOWPAN_D_RESERVED, /* everything else (ESC, unassigned) */
    EK_LOWPAN_D_HC1       /* 01000010 (RFC 4944 §10.1) */
} ek_lowpan_dispatch;

/* The IPv6 header as decompressed.  payload_len is derived (IPHC) or read (0x41). */
typedef struct ek_ipv6_hdr {
    uint8_t tc;        /* traffic class, IPv6 order: DSCP(6) ECN(2) */
    uint32_t flow;     /* 20 bits */
    uint8_t nh;
    uint8_t hlim;
    uint8_t src[16], dst[16];
    uint16_t payload_len;
} ek_ipv6_hdr;

/* RFC 6282 §3.1.1 Fig. 2, two octets MSB first:
 *   0 1 1 TF(2) NH(1) HLIM(2) | CID(1) SAC(1) SAM(2) M(1) DAC(1) DAM(2)
 * then [SCI(4) DCI(4) when CID=1]. */
typedef struct ek_iphc_form {
    uint8_t tf, nh, hlim, cid, sac, sam, m, dac, dam, sci, dci;
} ek_iphc_form;

/* RFC 6282 §4.3.3: 11110 C P(2) | ports per P | [checksum if C=0].  Length elided. */
typedef struct ek_udp_hdr {
    uint16_t src_port, dst_port;
    uint16_t length;       /* derived on decode; computed on encode */
    uint16_t checksum;     /* when elided: recomputed (RFC 6282 §4.3.3) unless fragmented */
    bool checksum_recomputed;
    bool c;                /* checksum elided */
    uint8_t p;             /* port form 0..3 */
} ek_udp_hdr;

/* RFC 4944 §5.3: FRAG1 11000 size(11) | tag(16); FRAGN 11100 size(11) | tag(16) | offset(8) */
typedef struct ek_lowpan_frag {
    bool present;
    bool first;            /* FRAG1 */
    uint16_t size;         /* datagram_size: the uncompressed IPv6 datagram, octets */
    uint16_t tag;
    uint8_t offset;        /* datagram_offset, 8-octet units (FRAGN only) */
} ek_lowpan_frag;

/* RFC 4944 §5.2: 10 V F HopsLeft(4) | originator (V: 1 = 16-bit) | final (F) */
typedef struct ek_lowpan_mesh {
    bool present;
    uint8_t hops_left;
    ek_lladdr orig, final;
} ek_lowpan_mesh;

typedef struct ek_lowpan_pkt {
    ek_lowpan_dispatch dispatch; /* of the first header after mesh/BC0/frag */
    ek_lowpan_mesh mesh;
    bool has_bc0;
    uint8_t bc0_seq;
    ek_lowpan_frag frag;
    bool has_ipv6;               /* false for FRAGN and NALP */
    bool compressed;             /* IPHC (true) or 0x41 / HC1 (false) */
    bool hc1;                    /* RFC 4944 §10.1 HC1 (the IPv6 header is in ip) */
    uint8_t hc1_encoding;        /* the HC1 encoding octet */
    bool has_hc2;                /* HC1 "more" bit: the HC_UDP encoding octet follows */
    uint8_t hc2_encoding;        /* RFC 4944 §10.3.2 HC_UDP encoding */
    ek_iphc_form iphc;
    uint16_t iphc_raw;           /* the two IPHC octets */
    bool needs_ctx_src;          /* SAC=1 with context iphc.sci not configured (RFC 6282
                                    §3.1.2): ip.src holds only what the packet carries */
    bool needs_ctx_dst;          /* the same for DAC=1 and iphc.dci */
    ek_ipv6_hdr ip;
    bool has_udp;                /* NH=1 with the UDP NHC, or HC1 with HC_UDP */
    ek_udp_hdr udp;
    ek_view payload;             /* upper-layer bytes (after the UDP NHC if any); for an
                                    unsupported NHC or FRAGN: everything left */
    size_t payload_offset;       /* frame-absolute */
    /* IPv6 extension headers (RFC 8200 §4: Hop-by-Hop, Routing, Destination Options),
     * inline or NHC-encoded (RFC 6282 §4.2), walked to the upper-layer header: */
    uint8_t n_ext;               /* extension headers walked */
    bool ext_routing;            /* one is a Routing header (RFC 8200 §8.1: the checksum's
                                    destination is then the final one, not ip.dst) */
    uint8_t upper_nh;            /* the upper-layer protocol (ip.nh when n_ext == 0) */
    ek_view upper;               /* its header and data (== payload when n_ext == 0) */
    size_t upper_offset;
} ek_lowpan_pkt;

/* Dispatch class of a first octet (RFC 4944 §5.1, RFC 6282 §3.1, RFC 8025 §3). */
ek_lowpan_dispatch ek_lowpan_classify(uint8_t dispatch);
/* "IPHC", "FRAG1", ... or "?". */
const char *ek_lowpan_dispatch_name(ek_lowpan_dispatch d);

/* Decodes the MAC payload.  ll_src/ll_dst are the MAC addresses (for IIDs; may be NULL if
 * no form needs them); contexts come from prof->ctx.  A stateful address whose context
 * is not configured is no error: needs_ctx_src / needs_ctx_dst say so and the rest of
 * the packet decodes.  TRUNCATED/MALFORMED name the field ("6lowpan.iphc.sam",
 * "6lowpan.hc1.encoding", ...).  UNSUPPORTED "6lowpan.nhc" for a non-UDP
 * NHC and "6lowpan.dispatch" for NALP/reserved/pages != 0 (out is filled up to there). */
EK_NODISCARD ek_status ek_lowpan_decode(ek_view mac_payload, size_t origin, const ek_lladdr *ll_src,
                                        const ek_lladdr *ll_dst, const ek_profile *prof,
                                        ek_lowpan_pkt *out, ek_err *err);

/* Writes [mesh] [BC0] [frag] then IPHC with exactly in->iphc (compressed) or 0x41 + 40
 * octets, [UDP NHC], payload.  Payload/UDP lengths are derived.  MALFORMED naming the
 * field when the forced form cannot represent the header; NOSPACE from the buffer. */
EK_NODISCARD ek_status ek_lowpan_encode(const ek_lowpan_pkt *in, const ek_lladdr *ll_src,
                                        const ek_lladdr *ll_dst, const ek_profile *prof,
                                        ek_buf *out, ek_err *err);
/* Octets ek_lowpan_encode would write (also when it would fail: what it got to). */
size_t ek_lowpan_encoded_len(const ek_lowpan_pkt *in, const ek_lladdr *ll_src,
                             const ek_lladdr *ll_dst, const ek_profile *prof);

/* The maximal compression form for ip (and udp->p if udp != NULL): smallest TF/HLIM,
 * NH=1 iff udp, SAC/DAC when a valid context gives fewer inline bits (CID=1 when a
 * context other than 0 is used).  Never fails: SAM/DAM 00 always fit. */
void ek_lowpan_iphc_best_form(const ek_ipv6_hdr *ip, ek_udp_hdr *udp, const ek_lladdr *ll_src,
                              const ek_lladdr *ll_dst, const ek_profile *prof, ek_iphc_form *form);
/* Shorthand: best form + ek_lowpan_encode (no mesh/BC0/frag). */
EK_NODISCARD ek_status ek_lowpan_encode_max(const ek_ipv6_hdr *ip, const ek_udp_hdr *udp,
                                            ek_view payload, const ek_lladdr *ll_src,
                                            const ek_lladdr *ll_dst, const ek_profile *prof,
                                            ek_buf *out, ek_err *err);
/* FRAG1/FRAGN header alone (RFC 4944 §5.3); MALFORMED if size > 2047. */
EK_NODISCARD ek_status ek_lowpan_frag_encode(const ek_lowpan_frag *f, ek_buf *out, ek_err *err);
/* IID from a MAC address (RFC 6282 §3.2.2, RFC 4944 §6): EUI-64 with U/L flipped, or
 * 0000:00ff:fe00:XXXX; false for no address. */
bool ek_lowpan_iid_from_ll(const ek_lladdr *ll, uint8_t iid[8]);

#endif /* EK_LOWPAN_H */
