/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 TAP header codec (LINKTYPE_IEEE802_15_4_TAP, tcpdump.org link-layer header types).
 * Known TLVs (types 0..12) become fields; unknown or wrong-length ones are kept
 * raw with their own error, and the list goes on while the header length allows. */
#include <string.h>

#include "ek/rd.h"
#include "ek/tap.h"

/* Fixed value lengths of the known TLVs, indexed by type (TAP spec). */
static const uint8_t tlv_len[EK_TAP_TLV_KNOWN] = {
    1, 4, 4, 3, 3, 8, 8, 8, 8, 4, 1, 4, 10,
};

static size_t pad4(size_t n) { return (4 - (n & 3)) & 3; }

static float f32_from(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

size_t ek_tap_fcs_len(uint8_t fcs_type)
{
    return fcs_type == EK_TAP_FCS_CRC16 ? 2 : fcs_type == EK_TAP_FCS_CRC32 ? 4 : 0;
}

static void keep_raw(ek_tap *out, uint16_t type, size_t at, ek_view v, const ek_err *e)
{
    if (out->n_raw >= EK_TAP_MAX_RAW) {
        out->raw_dropped++;
        return;
    }
    ek_tap_tlv *t = &out->raw[out->n_raw++];
    t->type = type;
    t->offset = at;
    t->value = v;
    if (e)
        t->err = *e;
    else
        ek_err_clear(&t->err);
}

/* Decodes one known TLV value (length already checked) into its field. */
static void known_tlv(ek_tap *out, uint16_t type, ek_rd *v, size_t at, ek_view raw)
{
    uint32_t u32 = 0;
    switch (type) {
    case EK_TAP_TLV_FCS_TYPE:
        ek_rd_u8(v, "wpan-tap.fcs_type", &out->fcs_type);
        if (out->fcs_type > EK_TAP_FCS_CRC32) {
            ek_rd_fail_at(v, EK_ERR_MALFORMED, "wpan-tap.fcs_type", v->origin);
            ek_err e = v->err;
            out->fcs_type = EK_TAP_FCS_NONE; /* unusable: fall back to the default */
            keep_raw(out, type, at, raw, &e);
            return;
        }
        out->has_fcs_type = true;
        break;
    case EK_TAP_TLV_RSS:
        ek_rd_le32(v, "wpan-tap.rss", &u32);
        out->rss_dbm = f32_from(u32);
        out->has_rss = true;
        break;
    case EK_TAP_TLV_BIT_RATE:
        out->has_bit_rate = ek_rd_le32(v, "wpan-tap.bit_rate", &out->bit_rate);
        break;
    case EK_TAP_TLV_CHANNEL:
        ek_rd_le16(v, "wpan-tap.ch_num", &out->channel);
        out->has_channel = ek_rd_u8(v, "wpan-tap.ch_page", &out->page);
        break;
    case EK_TAP_TLV_SUN_PHY:
        ek_rd_u8(v, "wpan-tap.sun_band", &out->sun_band);
        ek_rd_u8(v, "wpan-tap.sun_type", &out->sun_type);
        out->has_sun_phy = ek_rd_u8(v, "wpan-tap.mode", &out->sun_mode);
        break;
    case EK_TAP_TLV_SOF_TS:
        out->has_sof_ns = ek_rd_le64(v, "wpan-tap.sof_ts", &out->sof_ns);
        break;
    case EK_TAP_TLV_EOF_TS:
        out->has_eof_ns = ek_rd_le64(v, "wpan-tap.eof_ts", &out->eof_ns);
        break;
    case EK_TAP_TLV_ASN:
        out->has_asn = ek_rd_le64(v, "wpan-tap.asn", &out->asn);
        break;
    case EK_TAP_TLV_SLOT_START:
        out->has_slot_start = ek_rd_le64(v, "wpan-tap.slot_start_ts", &out->slot_start_ns);
        break;
    case EK_TAP_TLV_TIMESLOT_LEN:
        out->has_timeslot_len = ek_rd_le32(v, "wpan-tap.tsc_length", &out->timeslot_us);
        break;
    case EK_TAP_TLV_LQI:
        out->has_lqi = ek_rd_u8(v, "wpan-tap.lqi", &out->lqi);
        break;
    case EK_TAP_TLV_CHAN_FREQ:
        ek_rd_le32(v, "wpan-tap.ch_freq", &u32);
        out->chan_freq_khz = f32_from(u32);
        out->has_chan_freq = true;
        break;
    case EK_TAP_TLV_CHAN_PLAN:
        ek_rd_le32(v, "wpan-tap.chplan.start", &u32);
        out->plan_ch0_khz = f32_from(u32);
        ek_rd_le32(v, "wpan-tap.chplan.spacing", &u32);
        out->plan_spacing_khz = f32_from(u32);
        out->has_chan_plan = ek_rd_le16(v, "wpan-tap.chplan.channels", &out->plan_count);
        break;
    default:
        break;
    }
}

ek_status ek_tap_decode(ek_view in, size_t origin, ek_tap *out, ek_err *err)
{
    ek_rd rd, tlvs;
    memset(out, 0, sizeof *out);
    ek_rd_init(&rd, in, origin);

    ek_rd_u8(&rd, "wpan-tap.version", &out->version);
    ek_rd_u8(&rd, "wpan-tap.reserved", &out->reserved);
    size_t len_at = ek_rd_offset(&rd);
    ek_rd_le16(&rd, "wpan-tap.length", &out->hdr_len);
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);
    if (out->version != EK_TAP_VERSION) {
        ek_rd_fail_at(&rd, EK_ERR_UNSUPPORTED, "wpan-tap.version", origin);
        return ek_rd_finish(&rd, err);
    }
    if (out->hdr_len < EK_TAP_HDR_LEN || (out->hdr_len & 3)) {
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "wpan-tap.length", len_at);
        return ek_rd_finish(&rd, err);
    }
    if (out->hdr_len > in.len) {
        /* Report it on the Length field: the record is shorter than it says. */
        ek_rd_fail_at(&rd, EK_ERR_TRUNCATED, "wpan-tap.length", len_at);
        rd.err.need = out->hdr_len;
        rd.err.have = in.len;
        return ek_rd_finish(&rd, err);
    }
    ek_rd_sub(&rd, out->hdr_len - EK_TAP_HDR_LEN, "wpan-tap.tlv", &tlvs);

    while (ek_rd_ok(&tlvs) && ek_rd_left(&tlvs) > 0) {
        size_t at = ek_rd_offset(&tlvs);
        uint16_t type = 0, vlen = 0;
        ek_rd val;
        ek_rd_le16(&tlvs, "wpan-tap.tlv.type", &type);
        ek_rd_le16(&tlvs, "wpan-tap.tlv.length", &vlen);
        ek_rd_sub(&tlvs, vlen, "wpan-tap.tlv.value", &val);
        ek_rd_skip(&tlvs, pad4(vlen), "wpan-tap.tlv.padding");
        if (!ek_rd_ok(&tlvs))
            break; /* the TLV overruns the header: nothing after it can be found */
        ek_view raw = ek_view_make(val.p, val.len);
        if (type >= EK_TAP_TLV_KNOWN) {
            keep_raw(out, type, at, raw, NULL);
        } else if (vlen != tlv_len[type]) {
            ek_err e = { EK_ERR_MALFORMED, "wpan-tap.tlv.length", at + 2, tlv_len[type], vlen };
            keep_raw(out, type, at, raw, &e);
        } else {
            known_tlv(out, type, &val, at, raw);
        }
    }
    if (!ek_rd_ok(&tlvs))
        return ek_rd_finish(&tlvs, err);
    out->payload_offset = ek_rd_offset(&rd);
    out->payload = ek_rd_rest(&rd);
    return ek_rd_finish(&rd, err);
}

size_t ek_tap_header_len(const ek_tap *in)
{
    size_t n = EK_TAP_HDR_LEN;
    const bool has[EK_TAP_TLV_KNOWN] = {
        in->has_fcs_type, in->has_rss, in->has_bit_rate, in->has_channel, in->has_sun_phy,
        in->has_sof_ns, in->has_eof_ns, in->has_asn, in->has_slot_start, in->has_timeslot_len,
        in->has_lqi, in->has_chan_freq, in->has_chan_plan,
    };
    for (unsigned t = 0; t < EK_TAP_TLV_KNOWN; t++)
        if (has[t])
            n += EK_TAP_TLV_HDR_LEN + tlv_len[t] + pad4(tlv_len[t]);
    for (unsigned i = 0; i < in->n_raw && i < EK_TAP_MAX_RAW; i++)
        n += EK_TAP_TLV_HDR_LEN + in->raw[i].value.len + pad4(in->raw[i].value.len);
    return n;
}

size_t ek_tap_encoded_len(const ek_tap *in)
{
    return ek_tap_header_len(in) + in->payload.len;
}

static void tlv_head(ek_buf *out, uint16_t type)
{
    ek_wr_le16(out, "wpan-tap.tlv.type", type);
    ek_wr_le16(out, "wpan-tap.tlv.length", tlv_len[type]);
}

ek_status ek_tap_encode(const ek_tap *in, ek_buf *out, ek_err *err)
{
    size_t hl = ek_tap_header_len(in);
    if (in->has_fcs_type && in->fcs_type > EK_TAP_FCS_CRC32) {
        if (err) {
            ek_err_clear(err);
            err->code = EK_ERR_MALFORMED;
            err->field = "wpan-tap.fcs_type";
        }
        return EK_ERR_MALFORMED;
    }
    if (hl > UINT16_MAX) {
        if (err) {
            ek_err_clear(err);
            err->code = EK_ERR_MALFORMED;
            err->field = "wpan-tap.length";
        }
        return EK_ERR_MALFORMED;
    }
    /* Header: version 0, reserved 0, Length = header incl. TLVs (LE). */
    ek_wr_u8(out, "wpan-tap.version", EK_TAP_VERSION);
    ek_wr_u8(out, "wpan-tap.reserved", 0);
    ek_wr_le16(out, "wpan-tap.length", (uint16_t)hl);
    if (in->has_fcs_type) {
        tlv_head(out, EK_TAP_TLV_FCS_TYPE);
        ek_wr_u8(out, "wpan-tap.fcs_type", in->fcs_type);
        ek_wr_zero(out, "wpan-tap.tlv.padding", 3);
    }
    if (in->has_rss) {
        tlv_head(out, EK_TAP_TLV_RSS);
        ek_wr_le32(out, "wpan-tap.rss", f32_bits(in->rss_dbm));
    }
    if (in->has_bit_rate) {
        tlv_head(out, EK_TAP_TLV_BIT_RATE);
        ek_wr_le32(out, "wpan-tap.bit_rate", in->bit_rate);
    }
    if (in->has_channel) {
        tlv_head(out, EK_TAP_TLV_CHANNEL);
        ek_wr_le16(out, "wpan-tap.ch_num", in->channel);
        ek_wr_u8(out, "wpan-tap.ch_page", in->page);
        ek_wr_zero(out, "wpan-tap.tlv.padding", 1);
    }
    if (in->has_sun_phy) {
        tlv_head(out, EK_TAP_TLV_SUN_PHY);
        ek_wr_u8(out, "wpan-tap.sun_band", in->sun_band);
        ek_wr_u8(out, "wpan-tap.sun_type", in->sun_type);
        ek_wr_u8(out, "wpan-tap.mode", in->sun_mode);
        ek_wr_zero(out, "wpan-tap.tlv.padding", 1);
    }
    if (in->has_sof_ns) {
        tlv_head(out, EK_TAP_TLV_SOF_TS);
        ek_wr_le64(out, "wpan-tap.sof_ts", in->sof_ns);
    }
    if (in->has_eof_ns) {
        tlv_head(out, EK_TAP_TLV_EOF_TS);
        ek_wr_le64(out, "wpan-tap.eof_ts", in->eof_ns);
    }
    if (in->has_asn) {
        tlv_head(out, EK_TAP_TLV_ASN);
        ek_wr_le64(out, "wpan-tap.asn", in->asn);
    }
    if (in->has_slot_start) {
        tlv_head(out, EK_TAP_TLV_SLOT_START);
        ek_wr_le64(out, "wpan-tap.slot_start_ts", in->slot_start_ns);
    }
    if (in->has_timeslot_len) {
        tlv_head(out, EK_TAP_TLV_TIMESLOT_LEN);
        ek_wr_le32(out, "wpan-tap.tsc_length", in->timeslot_us);
    }
    if (in->has_lqi) {
        tlv_head(out, EK_TAP_TLV_LQI);
        ek_wr_u8(out, "wpan-tap.lqi", in->lqi);
        ek_wr_zero(out, "wpan-tap.tlv.padding", 3);
    }
    if (in->has_chan_freq) {
        tlv_head(out, EK_TAP_TLV_CHAN_FREQ);
        ek_wr_le32(out, "wpan-tap.ch_freq", f32_bits(in->chan_freq_khz));
    }
    if (in->has_chan_plan) {
        tlv_head(out, EK_TAP_TLV_CHAN_PLAN);
        ek_wr_le32(out, "wpan-tap.chplan.start", f32_bits(in->plan_ch0_khz));
        ek_wr_le32(out, "wpan-tap.chplan.spacing", f32_bits(in->plan_spacing_khz));
        ek_wr_le16(out, "wpan-tap.chplan.channels", in->plan_count);
        ek_wr_zero(out, "wpan-tap.tlv.padding", 2);
    }
    for (unsigned i = 0; i < in->n_raw && i < EK_TAP_MAX_RAW; i++) {
        const ek_tap_tlv *t = &in->raw[i];
        ek_wr_le16(out, "wpan-tap.tlv.type", t->type);
        ek_wr_le16(out, "wpan-tap.tlv.length", (uint16_t)t->value.len);
        ek_wr_view(out, "wpan-tap.tlv.value", t->value);
        ek_wr_zero(out, "wpan-tap.tlv.padding", pad4(t->value.len));
    }
    ek_wr_view(out, "wpan-tap.payload", in->payload);
    return ek_buf_finish(out, err);
}
