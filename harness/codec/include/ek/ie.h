/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4-2015 §7.4 Information Elements: header IEs (§7.4.2), payload IEs
 * (§7.4.3), MLME sub-IEs incl. the TSCH ones (§7.4.4.2-4, §7.4.4.31), the IETF IE
 * (RFC 8137 §4) and its RFC 9032 Join-Info subtype.  Unknown elements are kept raw. */
#ifndef EK_IE_H
#define EK_IE_H

#include "ek/base.h"
#include "ek/enroll_ie.h"
#include "ek/profile.h"
#include "ek/wr.h"

#define EK_IE_MAX_HDR 16        /* header IEs per frame (terminators not counted) */
#define EK_IE_MAX_PAYLOAD 16    /* payload IEs per frame (PT not counted) */
#define EK_IE_MAX_SUB 32        /* MLME sub-IEs per frame, over all MLME IEs */
#define EK_IE_MAX_SLOTFRAMES 4  /* per TSCH Slotframe and Link IE */
#define EK_IE_MAX_LINKS 8       /* per slotframe */
#define EK_HIE_ACK_TIME_CORR 0x1E /* §7.4.2.7 ACK/NACK Time Correction */

/* Header IE (§7.4.2.1): descriptor LE16 = len(b0-6) | element id(b7-14) | type 0 (b15).
 * id 0x1e content: LE16 = time correction (b0-11, signed, µs) | rsvd(b12-14) | NACK(b15). */
typedef struct ek_ie_hdr {
    uint8_t id;
    size_t offset;          /* absolute offset of the descriptor */
    ek_view content;
    ek_err err;             /* this element's problem, EK_OK if none */
    bool has_time_corr;     /* id 0x1e decoded */
    int16_t time_corr_us;   /* -2048..2047 */
    bool nack;
} ek_ie_hdr;

/* TSCH Synchronization (short sub-IE 0x1a, §7.4.4.2): ASN(5, LE) | Join Metric(1). */
typedef struct ek_ie_tsch_sync {
    uint64_t asn;
    uint8_t join_metric;
} ek_ie_tsch_sync;

/* TSCH Timeslot (short sub-IE 0x1c, §7.4.4.4): id(1) [| 10 x LE16 | max_tx | length],
 * the last two LE16 (length 25) or LE24 (length 27). */
typedef struct ek_ie_tsch_timeslot {
    uint8_t id;
    bool full;              /* the template follows the id */
    bool wide;              /* max_tx / length are 3 octets (length 27) */
    uint16_t cca_offset, cca, tx_offset, rx_offset, rx_ack_delay, tx_ack_delay,
        rx_wait, ack_wait, rx_tx, max_ack;
    uint32_t max_tx, length;
} ek_ie_tsch_timeslot;

/* Channel Hopping (long sub-IE 0x9, §7.4.4.31): sequence id(1) | rest kept raw. */
typedef struct ek_ie_chan_hop {
    uint8_t seq_id;
    ek_view rest;
} ek_ie_chan_hop;

/* TSCH Slotframe and Link (short sub-IE 0x1b, §7.4.4.3):
 * n_sf(1) | n_sf x { handle(1) size(LE16) n_links(1) | n_links x { slot(LE16) choff(LE16) opts(1) } } */
typedef struct ek_ie_link {
    uint16_t timeslot;
    uint16_t channel_offset;
    uint8_t options;        /* b0 TX, b1 RX, b2 Shared, b3 Timekeeping, b4 Priority */
} ek_ie_link;

typedef struct ek_ie_slotframe {
    uint8_t handle;
    uint16_t size;
    uint8_t n_links;        /* links stored (<= EK_IE_MAX_LINKS) */
    unsigned links_dropped; /* links on the wire beyond the capacity */
    ek_ie_link links[EK_IE_MAX_LINKS];
} ek_ie_slotframe;

typedef struct ek_ie_sflink {
    uint8_t n_sf;           /* slotframes stored */
    unsigned sf_dropped;
    ek_ie_slotframe sf[EK_IE_MAX_SLOTFRAMES];
} ek_ie_sflink;

/* MLME sub-IE (§7.4.4.1): LE16 descriptor; b15 = 0 short: len(b0-7) id(b8-14);
 * b15 = 1 long: len(b0-10) id(b11-14). */
typedef struct ek_ie_sub {
    uint8_t parent;         /* index of the MLME payload IE in ek_ie_list.pl */
    bool is_long;
    uint8_t id;
    size_t offset;
    ek_view content;
    ek_err err;
    bool decoded;           /* u holds the value for the (is_long, id) pair; u is
                               undefined (not cleared by the decoder) when false */
    union {
        ek_ie_tsch_sync sync;
        ek_ie_tsch_timeslot ts;
        ek_ie_chan_hop hop;
        ek_ie_sflink sfl;
    } u;
} ek_ie_sub;

/* MPX IE (payload IE group 0x3, §7.4.3.1 Table 7-15; content per IEEE 802.15.9, as
 * Wireshark packet-ieee802154.c decodes it): Transaction Control(1) = transfer
 * type(b0-2) | transaction ID(b3-7), then by transfer type:
 *   0 full frame:          Multiplex ID(LE16) | upper-layer frame
 *   1 full frame, compressed Multiplex ID: b3-7 are the Multiplex ID | frame
 *   2 non-last fragment:   fragment number(1) [| total frame size(LE16) | Multiplex
 *                          ID(LE16) when the fragment number is 0] | fragment
 *   4 last fragment:       fragment number(1) | fragment
 *   6 abort:               [total frame size(LE16)]
 *   3, 5, 7 reserved:      nothing more is decoded (tshark: a warning, not malformed) */
#define EK_MPX_FULL 0
#define EK_MPX_FULL_COMPRESSED 1
#define EK_MPX_FRAGMENT 2
#define EK_MPX_LAST_FRAGMENT 4
#define EK_MPX_ABORT 6
typedef struct ek_ie_mpx {
    uint8_t transaction_control;
    uint8_t transfer_type;           /* b0-2 */
    uint8_t transaction_id;          /* b3-7 (transfer types other than 1) */
    bool has_multiplex_id, has_fragment_number, has_total_size;
    uint16_t multiplex_id;           /* type 1: b3-7 of the Transaction Control */
    uint8_t fragment_number;
    uint16_t total_size;
    ek_view data;                    /* upper-layer frame or fragment */
} ek_ie_mpx;

/* Payload IE (§7.4.3.1): LE16 descriptor = len(b0-10) | group(b11-14) | type 1 (b15).
 * IETF IE (group 0x5, RFC 8137 §4): subtype(1) | subtype content to the IE's end. */
typedef struct ek_ie_payload {
    uint8_t group;
    size_t offset;
    ek_view content;
    ek_err err;
    /* group 0x1 (MLME): its sub-IEs are ek_ie_list.sub[sub_first .. sub_first+n_sub) */
    uint8_t sub_first, n_sub;
    unsigned sub_dropped;
    /* group 0x5 (IETF) */
    bool has_subtype;
    uint8_t subtype;
    ek_view sub_content;    /* octets after the subtype */
    bool has_ji;            /* subtype == prof->ji_subtype and decoded */
    ek_enroll_ie ji;
    /* group 0x3 (MPX): decoded as far as its content goes (an overrun is the element's
     * TRUNCATED error naming the field) */
    bool has_mpx;
    ek_ie_mpx mpx;
} ek_ie_payload;

/* All IEs of one frame.  ht1/ht2/pt say which terminators were seen; the encoder
 * emits the required ones itself and the optional ones when the flag is set. */
typedef struct ek_ie_list {
    uint8_t n_hdr, n_pl, n_sub;
    unsigned hdr_dropped, pl_dropped, sub_dropped;
    ek_ie_hdr hdr[EK_IE_MAX_HDR];
    ek_ie_payload pl[EK_IE_MAX_PAYLOAD];
    ek_ie_sub sub[EK_IE_MAX_SUB];
    bool ht1, ht2, pt;
    bool pl_opaque;          /* decode: payload IEs not parsed (encrypted frame) */
    bool payload_ie_in_header; /* a type-1 descriptor met before HT1 (tshark: "Payload IE
                                  in header", Malformed); parsed as payload IEs anyway */
    ek_err err;              /* list-level problem (overrun, missing HT1), EK_OK if none */
} ek_ie_list;

/* Decodes the IE area at the start of `in` (the bytes after the MHR / aux security
 * header, MIC already removed).  Header IEs run to HT1/HT2 or the end; after HT1 the
 * payload IEs run to PT or the end, unless payload_opaque (encrypted frame) - then
 * decoding stops after the header terminator.  *used = octets of the IE area (the
 * payload or ciphertext starts there).  Element errors stay on the elements; the
 * return is the list-level error (also in out->err), EK_OK otherwise. */
EK_NODISCARD ek_status ek_ie_decode(ek_view in, size_t origin, const ek_profile *prof, bool payload_opaque,
                                    ek_ie_list *out, size_t *used, ek_err *err);
/* Writes header IEs, terminators (§7.4.1 rules; has_payload = data payload follows)
 * and payload IEs.  opaque (encrypted frame): payload IEs are not written (they are in
 * the caller's ciphertext); HT1/HT2 then follow the ht1/ht2 flags. */
EK_NODISCARD ek_status ek_ie_encode(const ek_ie_list *in, bool has_payload, bool opaque, const ek_profile *prof,
                                    ek_buf *out, ek_err *err);
/* Octets ek_ie_encode writes for the same arguments (0 when nothing is emitted). */
size_t ek_ie_encoded_len(const ek_ie_list *in, bool has_payload, bool opaque, const ek_profile *prof);
/* True iff encoding the list would emit at least one octet (FCF IE Present). */
bool ek_ie_any(const ek_ie_list *in, bool has_payload, bool opaque);
/* First element or list error (header, payload, sub-IE order), EK_OK if none. */
ek_status ek_ie_list_status(const ek_ie_list *l, ek_err *first);

/* Helpers to fill a list for encoding.  Return the new element, NULL when full. */
void ek_ie_list_init(ek_ie_list *l);
/* Empties *l (counters, flags, err = 0) without clearing the element arrays: cheap,
 * for decoders.  Only elements [0..n) are defined afterwards. */
void ek_ie_list_clear(ek_ie_list *l);
ek_ie_hdr *ek_ie_add_hdr(ek_ie_list *l, uint8_t id);
ek_ie_payload *ek_ie_add_payload(ek_ie_list *l, uint8_t group);
/* Adds a sub-IE to the last payload IE (which must be MLME, else NULL). */
ek_ie_sub *ek_ie_add_sub(ek_ie_list *l, bool is_long, uint8_t id);
/* The first decoded Join-Info / TSCH sync in the list, or NULL. */
const ek_enroll_ie *ek_ie_find_ji(const ek_ie_list *l);
const ek_ie_tsch_sync *ek_ie_find_sync(const ek_ie_list *l);

#endif /* EK_IE_H */
