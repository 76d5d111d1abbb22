/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole-frame decode: MPDU -> MAC + IEs -> 6LoWPAN -> ICMPv6 -> RPL, collecting
 * every error instead of stopping at the first: decoding of the rest of the frame
 * goes on wherever the format allows skipping the bad element.  The summary holds
 * the values the front ends print (JSON keys of enroll-decode --json). */
#ifndef EK_FRAME_H
#define EK_FRAME_H

#include "ek/base.h"
#include "ek/icmp6.h"
#include "ek/lowpan.h"
#include "ek/profile.h"
#include "ek/rpl.h"
#include "ek/wpan.h"

#define EK_FRAME_MAX_ERRORS 8
#define EK_FRAME_MAX_PSDU 127  /* aMaxPhyPacketSize, IEEE 802.15.4-2015 §11.3 Table 11-1 */

/* Flat view of the fields users ask for.  has_* says whether the frame carried it. */
typedef struct ek_frame_summary {
    bool has_fcs, fcs_ok;       /* fcs_ok: CRC-16/KERMIT over the MPDU matches */
    uint16_t fcs;
    bool has_mac;               /* the MAC header decoded */
    uint8_t frame_type, frame_version;
    bool has_seq;
    uint8_t seq;
    bool has_dst_pan, has_src_pan;
    uint16_t dst_pan, src_pan;
    bool has_src64, has_src16, has_dst64, has_dst16;
    uint8_t src64[8], dst64[8]; /* canonical EUI-64 order */
    uint16_t src16, dst16;
    bool secured;
    bool has_asn;               /* TSCH Synchronization IE */
    uint64_t asn;
    uint8_t join_metric;
    bool has_ipv6;
    uint8_t ip_src[16], ip_dst[16];
    bool has_icmp6, icmp6_checksum_ok;
    /* The same as Wireshark's icmpv6.checksum.status (epan/proto.h proto_checksum_enum_e):
     * 0 wrong, 1 correct, 2 not checked (e.g. a 6LoWPAN context is missing). */
    uint8_t icmp6_checksum_status;
    uint8_t icmp6_type, icmp6_code;
    bool has_dio;               /* RFC 6550 §6.3.1 base object */
    uint8_t instance_id, version, dtsn;
    uint16_t rank;
    uint8_t dodagid[16];
    bool has_mep;               /* the DIO's first well-formed Minimum Enrollment Priority
                                   option (draft-ietf-roll-enrollment-priority-16 §3.1) */
    uint8_t min_priority, mep_type, mep_length;
    bool has_mep_r, mep_r;      /* draft-03 §2 / -04 §2 reserved bit */
    bool has_mep_version, mep_t;/* draft-09 / -16 §3.1 */
    uint8_t mep_version, mep_exp;
    bool has_mep_size;          /* draft-04 / -09 / -16 */
    uint16_t mep_size_code;
    uint64_t mep_dodag_size;    /* size code << exp */
    bool has_ji;                /* RFC 9032 Join-Info IE */
    bool ji_r, ji_p;
    uint8_t proxy_priority, pan_priority, ji_reserved, network_id_len;
    uint16_t rank_priority;
    bool has_join_proxy_iid;
    uint8_t join_proxy_iid[8];
    ek_view network_id;
    /* Notes: not errors (a frame with only notes is not counted as erroneous). */
    bool truncated;             /* captured short (pcap caplen < len): no FCS unless it was
                                   captured; nothing is reported where the data ends */
    uint64_t captured_len, original_len; /* octets captured / on the wire (the front end
                                   sets the record's; the codec the MPDU's) */
    bool needs_ctx_src, needs_ctx_dst; /* stateful IPHC address whose context (ctx_src /
                                   ctx_dst) was not given (RFC 6282 §3.1.2): the address
                                   is incomplete, so has_ipv6 is false */
    uint8_t ctx_src, ctx_dst;
    bool psdu_too_long;         /* the PSDU (MPDU on the wire + a 2-octet FCS) is longer
                                   than aMaxPhyPacketSize, 127 octets (IEEE 802.15.4-2015
                                   §11.3 Table 11-1; 2047 only for the SUN, TVWS and
                                   LECIM PHYs): a warning, the frame is still decoded */
    uint64_t psdu_len;          /* that length, when psdu_too_long */
    bool has_ies_dropped;       /* IEs beyond the per-frame arrays (EK_IE_MAX_*) */
    uint16_t hdr_ies_dropped, pl_ies_dropped, sub_ies_dropped;
} ek_frame_summary;

/* One decoded frame: the summary, every layer that decoded, and every problem met.
 * Views in it borrow from the buffer given to ek_frame_decode. */
typedef struct ek_frame {
    ek_frame_summary sum;
    bool has_mac, has_net, has_icmp6, has_rpl; /* which layer structs below are valid */
    ek_wpan_frame mac;
    ek_lowpan_pkt net;
    ek_icmp6 icmp6;
    ek_rpl_msg rpl;
    ek_err errors[EK_FRAME_MAX_ERRORS];
    unsigned n_errors;        /* errors recorded (capped at EK_FRAME_MAX_ERRORS) */
    unsigned errors_dropped;  /* errors beyond the cap */
} ek_frame;

/* Decodes one PSDU.  fcs_present: the last 2 octets of `psdu` are a CRC-16/KERMIT FCS
 * (checked into sum.fcs_ok, then excluded from the MPDU).  Never stops at the first
 * problem when the format allows going on; every problem is appended to errors[].
 * Returns the first error's code, EK_OK for a clean frame. */
EK_NODISCARD ek_status ek_frame_decode(ek_view psdu, bool fcs_present, const ek_profile *prof,
                                       ek_frame *out);

/* An FCS verdict computed elsewhere (ek_cap_decap's fcs / fcs_ok), so the CRC is
 * not computed twice per frame. */
typedef struct ek_frame_fcs {
    uint16_t fcs;  /* as received, least significant octet first on air (§7.2.10) */
    bool ok;       /* CRC-16/KERMIT over the MPDU matches fcs */
} ek_frame_fcs;

/* Same as ek_frame_decode on the MPDU alone (no FCS octets in `mpdu`).  known: the
 * FCS verdict to copy into sum.has_fcs / fcs / fcs_ok, or NULL for a frame without
 * FCS (sum.has_fcs false).  Error offsets count from mpdu.p[0], as in ek_frame_decode.
 * ek_frame_decode(psdu, true, ...) == ek_frame_decode_mpdu(psdu minus 2 octets,
 * &{fcs, CRC ok}, ...). */
EK_NODISCARD ek_status ek_frame_decode_mpdu(ek_view mpdu, const ek_frame_fcs *known, const ek_profile *prof,
                                            ek_frame *out);

/* Same as ek_frame_decode_mpdu for an MPDU captured short: `mpdu` holds the first
 * mpdu.len of the frame's mpdu_len octets (pcap caplen < len; mpdu_len <= mpdu.len
 * decodes as ek_frame_decode_mpdu).  sum.truncated is set with captured_len /
 * original_len = mpdu.len / mpdu_len; the MIC is taken only as far as it was captured;
 * an error caused by the end of the captured data (a read that needs octets past
 * mpdu.len, anything at or after mpdu.len) is not reported, every other one is; the
 * ICMPv6 checksum of a cut packet is not checked. */
EK_NODISCARD ek_status ek_frame_decode_captured(ek_view mpdu, size_t mpdu_len, const ek_frame_fcs *known,
                                                const ek_profile *prof, ek_frame *out);

#endif /* EK_FRAME_H */
