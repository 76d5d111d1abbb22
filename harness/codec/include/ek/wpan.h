/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 MAC frames, versions 2003/2006/2015: FCF (IEEE 802.15.4-2015 §7.2.1),
 * addressing and PAN ID compression (§7.2.2.6, Table 7-2; 2006 §7.2.1.1.5), Auxiliary
 * Security Header (§9.4) without crypto, v0/v1 beacon fields (§7.3.1), command id
 * (§7.3.4), IEs via ek/ie.h.  The MPDU is handled WITHOUT its FCS (see ek/fcs.h). */
#ifndef EK_WPAN_H
#define EK_WPAN_H

#include "ek/base.h"
#include "ek/ie.h"
#include "ek/lladdr.h"
#include "ek/profile.h"
#include "ek/wr.h"

/* Frame Control Field, LE16 (§7.2.1):
 *  b0-2 type | b3 security | b4 pending | b5 AR | b6 PAN ID compression | b7 rsvd |
 *  b8 seq suppression (v2) | b9 IE present (v2) | b10-11 dst mode | b12-13 version |
 *  b14-15 src mode */
#define EK_WPAN_FCF_SECURITY 0x0008u
#define EK_WPAN_FCF_PENDING 0x0010u
#define EK_WPAN_FCF_AR 0x0020u
#define EK_WPAN_FCF_PANID_COMP 0x0040u
#define EK_WPAN_FCF_SEQ_SUPP 0x0100u
#define EK_WPAN_FCF_IE_PRESENT 0x0200u

/* Auxiliary Security Header (§9.4.1): Security Control(1) = level(b0-2) | key id
 * mode(b3-4) | FC suppression(b5) | ASN in nonce(b6) | rsvd(b7); Frame Counter(LE32,
 * absent if suppressed); Key Identifier = key source(0/4/8, per mode) | key index(1,
 * modes 1-3).  key_source keeps the on-air octet order. */
typedef struct ek_wpan_sec {
    uint8_t level;          /* 0..7; MIC length {0,4,8,16}[level & 3]; encrypted iff level & 4 */
    uint8_t key_id_mode;    /* 0..3 */
    bool fc_suppressed;
    bool asn_in_nonce;
    uint32_t frame_counter; /* valid iff !fc_suppressed */
    uint8_t key_source[8];  /* 4 (mode 2) or 8 (mode 3) octets */
    uint8_t key_index;      /* modes 1..3 */
} ek_wpan_sec;

/* v0/v1 beacon (§7.3.1.2-4 of 2006): superframe spec(LE16) | GTS spec(1) [| GTS
 * directions(1) | 3 x n GTS descriptors] | pending spec(1) | 2 x s short + 8 x e ext
 * addresses.  Kept raw past the counts. */
typedef struct ek_wpan_beacon {
    uint16_t superframe;
    uint8_t gts_spec;       /* b0-2 descriptor count, b7 GTS permit */
    uint8_t gts_dirs;       /* present iff count > 0 */
    ek_view gts_list;       /* 3 x count octets */
    uint8_t pend_spec;      /* b0-2 short count, b4-6 ext count */
    ek_view pend_addrs;     /* 2 x short + 8 x ext octets */
} ek_wpan_beacon;

typedef struct ek_wpan_frame {
    uint16_t fcf;           /* decode: raw FCF; encode: ignored (computed) */
    uint8_t frame_type;     /* EK_WPAN_FT_* */
    uint8_t version;        /* EK_WPAN_VER_* */
    bool security, frame_pending, ack_request, pan_id_compression;
    bool seq_suppressed;    /* v2 only */
    bool ie_present;        /* v2 only; encode: computed from ies */
    uint8_t seq;
    bool has_dst_pan, has_src_pan; /* decode: what the frame carried; encode: computed */
    uint16_t dst_pan, src_pan;
    ek_lladdr dst, src;     /* mode from the FCF; ext in canonical order */
    ek_wpan_sec sec;        /* valid iff security */
    size_t sec_offset;      /* absolute offset of Security Control */
    ek_wpan_beacon beacon;  /* v0/v1 beacon frames only */
    bool has_cmd_id;
    uint8_t cmd_id;         /* MAC command frames: first MAC payload octet */
    ek_ie_list ies;         /* v2 IEs (empty otherwise) */
    bool encrypted;         /* security && (level & 4): payload IEs/payload are ciphertext */
    ek_view ciphertext;     /* encrypted frames: everything between the clear part and the MIC */
    ek_view payload;        /* MAC payload after IEs (and beacon fields / cmd id), before the MIC */
    size_t payload_offset;  /* absolute */
    ek_view mic;            /* decode: split off the end; encode: bytes to copy, or
                               empty for zero-filled placeholder of the right length */
    size_t mhr_len;         /* decode: octets up to and including the aux security header */
    size_t mic_missing;     /* decode of a cut capture: MIC octets not in the buffer */
} ek_wpan_frame;

/* MIC length of a security level (IEEE 802.15.4-2015 §9.4.2.2 Table 9-6). */
size_t ek_wpan_mic_len(uint8_t level);

/* Decodes an MPDU without FCS.  Header fields are frame errors (TRUNCATED/MALFORMED);
 * IE problems stay on the IEs (ek_ie_list_status).  UNSUPPORTED for frame types 4-7,
 * version 3 and security on 2003 frames: FCF fields are filled, payload = the rest.
 * Cheap on purpose: of the IE arrays only elements [0..n) are written, never cleared. */
EK_NODISCARD ek_status ek_wpan_decode(ek_view mpdu, size_t origin, const ek_profile *prof,
                                      ek_wpan_frame *out, ek_err *err);
/* The same for an MPDU captured short: `missing` octets of the frame (counted from
 * its end, so MIC octets first) are not in `mpdu` (pcap caplen < len).  The MIC is
 * taken only as far as it was captured (mic_missing); the payload ends where the
 * buffer or the MIC ends. */
EK_NODISCARD ek_status ek_wpan_decode_captured(ek_view mpdu, size_t missing, size_t origin,
                                               const ek_profile *prof, ek_wpan_frame *out, ek_err *err);
/* Builds the MPDU (no FCS; use ek_fcs16_append).  MALFORMED names the offending field. */
EK_NODISCARD ek_status ek_wpan_encode(const ek_wpan_frame *in, const ek_profile *prof, ek_buf *out,
                                      ek_err *err);
/* Octets ek_wpan_encode writes (no FCS); 0 for a frame it would reject. */
size_t ek_wpan_encoded_len(const ek_wpan_frame *in, const ek_profile *prof);
/* IEEE 802.15.4-2015 Table 7-2 (v2) / 2006 §7.2.1.1.5 (v0/v1): which PAN IDs are
 * present.  False if the combination is invalid (v0/v1 only). */
bool ek_wpan_pan_presence(uint8_t version, uint8_t dst_mode, uint8_t src_mode, bool comp,
                          bool *dst_pan, bool *src_pan);
/* Zeroes *f and sets version 2, data frame; convenient start for encoding. */
void ek_wpan_frame_init(ek_wpan_frame *f);
/* "Beacon", "Data", "Ack", "MAC Command", ... (§7.2.2.2 Table 7-1), low 3 bits used. */
const char *ek_wpan_frame_type_name(uint8_t ft);

#endif /* EK_WPAN_H */
