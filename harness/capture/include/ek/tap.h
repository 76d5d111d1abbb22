/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 TAP pseudo-header (LINKTYPE_IEEE802_15_4_TAP = 283): fixed header
 * and TLVs (tcpdump.org linktypes/LINKTYPE_IEEE802_15_4_TAP).
 * Pure codec: no I/O; all values little-endian; TLV values padded to 4 octets. */
#ifndef EK_TAP_H
#define EK_TAP_H

#include "ek/base.h"
#include "ek/wr.h"

#define EK_TAP_HDR_LEN 4      /* version(1)=0 | reserved(1)=0 | length(2, LE, incl. TLVs) */
#define EK_TAP_TLV_HDR_LEN 4  /* type(2, LE) | length(2, LE, value only, no padding) */
#define EK_TAP_VERSION 0

/* TLV types (LINKTYPE_IEEE802_15_4_TAP specification). */
#define EK_TAP_TLV_FCS_TYPE 0     /* u8: 0 none, 1 CRC-16, 2 CRC-32; absent => none */
#define EK_TAP_TLV_RSS 1          /* float32 dBm */
#define EK_TAP_TLV_BIT_RATE 2     /* u32 bit/s */
#define EK_TAP_TLV_CHANNEL 3      /* u16 channel, u8 page */
#define EK_TAP_TLV_SUN_PHY 4      /* u8 band, u8 type, u8 mode */
#define EK_TAP_TLV_SOF_TS 5       /* u64 ns */
#define EK_TAP_TLV_EOF_TS 6       /* u64 ns */
#define EK_TAP_TLV_ASN 7          /* u64 */
#define EK_TAP_TLV_SLOT_START 8   /* u64 ns */
#define EK_TAP_TLV_TIMESLOT_LEN 9 /* u32 us */
#define EK_TAP_TLV_LQI 10         /* u8 */
#define EK_TAP_TLV_CHAN_FREQ 11   /* float32 kHz */
#define EK_TAP_TLV_CHAN_PLAN 12   /* f32 ch0 kHz, f32 spacing kHz, u16 count */
#define EK_TAP_TLV_KNOWN 13       /* types 0..12 are decoded into fields */

#define EK_TAP_FCS_NONE 0
#define EK_TAP_FCS_CRC16 1
#define EK_TAP_FCS_CRC32 2

#define EK_TAP_MAX_RAW 8

/* A TLV kept raw: unknown type, or a known type whose length is wrong. */
typedef struct ek_tap_tlv {
    uint16_t type;
    size_t offset;  /* absolute offset of the TLV's type field */
    ek_view value;  /* without padding */
    ek_err err;     /* this element's own error (EK_OK for unknown types) */
} ek_tap_tlv;

/* Decoded header.  has_*: the TLV was present (and well formed).  The encoder
 * writes every has_* field in ascending type order, then raw[] (so encode(decode(b))
 * == b for headers in that canonical order), then `payload`. */
typedef struct ek_tap {
    uint8_t version, reserved; /* decode only; the encoder writes 0, 0 */
    uint16_t hdr_len;          /* decode only; computed by the encoder */
    bool has_fcs_type;  uint8_t fcs_type;
    bool has_rss;       float rss_dbm;
    bool has_bit_rate;  uint32_t bit_rate;
    bool has_channel;   uint16_t channel; uint8_t page;
    bool has_sun_phy;   uint8_t sun_band, sun_type, sun_mode;
    bool has_sof_ns;    uint64_t sof_ns;
    bool has_eof_ns;    uint64_t eof_ns;
    bool has_asn;       uint64_t asn;
    bool has_slot_start; uint64_t slot_start_ns;
    bool has_timeslot_len; uint32_t timeslot_us;
    bool has_lqi;       uint8_t lqi;
    bool has_chan_freq; float chan_freq_khz;
    bool has_chan_plan; float plan_ch0_khz, plan_spacing_khz; uint16_t plan_count;
    ek_tap_tlv raw[EK_TAP_MAX_RAW];
    unsigned n_raw, raw_dropped;
    ek_view payload;           /* the MPDU (+ FCS per fcs_type) after the header */
    size_t payload_offset;
} ek_tap;

/* Decodes a whole TAP record (header, TLVs, payload view).  TRUNCATED "wpan-tap.length"
 * when Length exceeds the record (Wireshark ignores such records); MALFORMED
 * "wpan-tap.length" when Length < 4 or not a multiple of 4; UNSUPPORTED
 * "wpan-tap.version".  Per-TLV errors stay in raw[i].err; EK_OK is still returned. */
EK_NODISCARD ek_status ek_tap_decode(ek_view in, size_t origin, ek_tap *out, ek_err *err);

/* Writes header + TLVs + payload.  MALFORMED "wpan-tap.fcs_type" for a value > 2,
 * "wpan-tap.tlv.length" for a raw TLV > 65535 octets. */
EK_NODISCARD ek_status ek_tap_encode(const ek_tap *in, ek_buf *out, ek_err *err);
size_t ek_tap_encoded_len(const ek_tap *in);
/* Header length alone (what the encoder writes as Length). */
size_t ek_tap_header_len(const ek_tap *in);

/* FCS length in octets for an FCS-type value (0, 2, 4). */
size_t ek_tap_fcs_len(uint8_t fcs_type);

#endif /* EK_TAP_H */
