/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 MAC frame codec (2003/2006/2015): MHR per IEEE 802.15.4-2015 §7.2,
 * PAN ID presence per Table 7-2 (v2) and 2006 §7.2.1.1.5 (v0/v1), Auxiliary Security
 * Header §9.4 (parse/build only, no crypto), v0/v1 beacon fields (2006 §7.2.2.1),
 * command id (§7.3.4).  IEs are delegated to ie.c.  No FCS here (fcs.c). */
#include <stddef.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/rd.h"
#include "ek/wpan.h"

/* §9.4.2.2 Table 9-6: MIC-32/64/128 for levels 1/5, 2/6, 3/7; none for 0 and 4. */
size_t ek_wpan_mic_len(uint8_t level)
{
    static const uint8_t mic[4] = { 0, 4, 8, 16 };
    return mic[level & 3];
}

/* Key Identifier field length per Key Identifier Mode (§9.4.4 Table 9-9). */
static size_t key_source_len(uint8_t kim)
{
    static const uint8_t ks[4] = { 0, 0, 4, 8 };
    return ks[kim & 3];
}

const char *ek_wpan_frame_type_name(uint8_t ft)
{
    static const char *const names[8] = { "Beacon",   "Data",     "Ack",      "MAC Command",
                                           "Reserved", "Multipurpose", "Fragment", "Extended" };
    return names[ft & 7];
}

bool ek_wpan_pan_presence(uint8_t version, uint8_t dm, uint8_t sm, bool comp, bool *dp, bool *sp)
{
    bool d = dm != EK_WPAN_AM_NONE, s = sm != EK_WPAN_AM_NONE;
    if (version < EK_WPAN_VER_2015) {
        /* 2006 §7.2.1.1.5: Dst PAN iff dst address; Src PAN iff src address and no
         * compression; compression only with both addresses present. */
        if (comp && !(d && s))
            return false;
        *dp = d;
        *sp = s && !comp;
        return true;
    }
    /* IEEE 802.15.4-2015 Table 7-2 */
    if (!d && !s) {          /* rows 1, 2 */
        *dp = comp;
        *sp = false;
    } else if (d && !s) {    /* rows 3, 4 */
        *dp = !comp;
        *sp = false;
    } else if (!d && s) {    /* rows 5, 6 */
        *dp = false;
        *sp = !comp;
    } else if (dm == EK_WPAN_AM_EXT && sm == EK_WPAN_AM_EXT) { /* rows 7, 8 */
        *dp = !comp;
        *sp = false;
    } else {                 /* rows 9-14: any short address involved */
        *dp = true;
        *sp = !comp;
    }
    return true;
}

void ek_wpan_frame_init(ek_wpan_frame *f)
{
    memset(f, 0, sizeof *f);
    f->version = EK_WPAN_VER_2015;
    f->frame_type = EK_WPAN_FT_DATA;
}

/* Extended addresses go LSB first on air (§7.2.2.5); ek_lladdr keeps EUI-64 order. */
static void rd_addr(ek_rd *rd, uint8_t mode, const char *f16, const char *f64, ek_lladdr *a)
{
    memset(a, 0, sizeof *a);
    a->mode = mode;
    if (mode == EK_WPAN_AM_SHORT) {
        ek_rd_le16(rd, f16, &a->short_addr);
    } else if (mode == EK_WPAN_AM_EXT) {
        uint8_t b[8];
        ek_rd_bytes(rd, 8, f64, b);
        for (int i = 0; i < 8; i++)
            a->ext[i] = b[7 - i];
    }
}

static void wr_addr(ek_buf *b, const ek_lladdr *a, const char *f16, const char *f64)
{
    if (a->mode == EK_WPAN_AM_SHORT) {
        ek_wr_le16(b, f16, a->short_addr);
    } else if (a->mode == EK_WPAN_AM_EXT) {
        uint8_t x[8];
        for (int i = 0; i < 8; i++)
            x[i] = a->ext[7 - i];
        ek_wr_bytes(b, f64, x, 8);
    }
}

static ek_status finish_unsupported(ek_rd *rd, ek_wpan_frame *out, const char *field, size_t at, ek_err *err)
{
    out->payload_offset = ek_rd_offset(rd);
    out->payload = ek_rd_rest(rd);
    ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, field, at);
    return ek_rd_finish(rd, err);
}

/* Defines every field a consumer may read without touching the ~14 KB IE element
 * arrays (hot path): scalars are zeroed, the IE list is emptied (ek_ie_list_clear). */
static void frame_reset(ek_wpan_frame *f)
{
    size_t ies_end = offsetof(ek_wpan_frame, ies) + sizeof f->ies;
    memset(f, 0, offsetof(ek_wpan_frame, ies));
    memset((uint8_t *)f + ies_end, 0, sizeof *f - ies_end);
    ek_ie_list_clear(&f->ies);
}

ek_status ek_wpan_decode(ek_view mpdu, size_t origin, const ek_profile *prof, ek_wpan_frame *out, ek_err *err)
{
    return ek_wpan_decode_captured(mpdu, 0, origin, prof, out, err);
}

ek_status ek_wpan_decode_captured(ek_view mpdu, size_t missing, size_t origin, const ek_profile *prof,
                                  ek_wpan_frame *out, ek_err *err)
{
    ek_rd rd;
    uint16_t fcf;
    frame_reset(out);
    ek_rd_init(&rd, mpdu, origin);
    if (!ek_rd_le16(&rd, "wpan.fcf", &fcf))
        return ek_rd_finish(&rd, err);
    /* §7.2.2.1 FCF */
    out->fcf = fcf;
    out->frame_type = fcf & 0x7;
    out->version = (uint8_t)((fcf >> 12) & 0x3);
    out->security = (fcf & EK_WPAN_FCF_SECURITY) != 0;
    out->frame_pending = (fcf & EK_WPAN_FCF_PENDING) != 0;
    out->ack_request = (fcf & EK_WPAN_FCF_AR) != 0;
    out->pan_id_compression = (fcf & EK_WPAN_FCF_PANID_COMP) != 0;
    uint8_t dm = (uint8_t)((fcf >> 10) & 0x3), sm = (uint8_t)((fcf >> 14) & 0x3);
    out->dst.mode = dm;
    out->src.mode = sm;
    if (out->frame_type > EK_WPAN_FT_CMD) /* reserved, multipurpose, fragment, extended */
        return finish_unsupported(&rd, out, "wpan.frame_type", origin, err);
    if (out->version > EK_WPAN_VER_2015)
        return finish_unsupported(&rd, out, "wpan.version", origin, err);
    if (out->version == EK_WPAN_VER_2015) {
        /* b8/b9 exist only in 2015 (reserved before) */
        out->seq_suppressed = (fcf & EK_WPAN_FCF_SEQ_SUPP) != 0;
        out->ie_present = (fcf & EK_WPAN_FCF_IE_PRESENT) != 0;
    }
    if (dm == 1) /* §7.2.2.9 Table 7-3: mode 1 reserved */
        return ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "wpan.dst_addr_mode", origin), ek_rd_finish(&rd, err);
    if (sm == 1)
        return ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "wpan.src_addr_mode", origin), ek_rd_finish(&rd, err);
    if (!ek_wpan_pan_presence(out->version, dm, sm, out->pan_id_compression, &out->has_dst_pan,
                              &out->has_src_pan))
        return ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "wpan.pan_id_compression", origin),
               ek_rd_finish(&rd, err);

    /* §7.2.1 MHR order: seq | dst PAN | dst addr | src PAN | src addr | aux sec hdr */
    if (!out->seq_suppressed)
        ek_rd_u8(&rd, "wpan.seq_no", &out->seq);
    if (out->has_dst_pan)
        ek_rd_le16(&rd, "wpan.dst_pan", &out->dst_pan);
    rd_addr(&rd, dm, "wpan.dst16", "wpan.dst64", &out->dst);
    if (out->has_src_pan)
        ek_rd_le16(&rd, "wpan.src_pan", &out->src_pan);
    rd_addr(&rd, sm, "wpan.src16", "wpan.src64", &out->src);
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);

    size_t mic_len = 0;
    if (out->security) {
        ek_wpan_sec *s = &out->sec;
        uint8_t sc;
        out->sec_offset = ek_rd_offset(&rd);
        if (out->version == EK_WPAN_VER_2003) /* 2003 security has no Aux Security Header */
            return finish_unsupported(&rd, out, "wpan.security", origin, err);
        /* §9.4.2 Security Control: level b0-2 | KIM b3-4 | FC suppr. b5 | ASN b6 (2015) */
        ek_rd_u8(&rd, "wpan.aux_sec.security_control_field", &sc);
        s->level = sc & 0x7;
        s->key_id_mode = (uint8_t)((sc >> 3) & 0x3);
        if (out->version == EK_WPAN_VER_2015) {
            s->fc_suppressed = (sc & 0x20) != 0;
            s->asn_in_nonce = (sc & 0x40) != 0;
        }
        if (!s->fc_suppressed) /* §9.4.3: Frame Counter, LE32 */
            ek_rd_le32(&rd, "wpan.aux_sec.frame_counter", &s->frame_counter);
        /* §9.4.4: Key Source (0/4/8) | Key Index (1) for modes 1-3 */
        ek_rd_bytes(&rd, key_source_len(s->key_id_mode), "wpan.aux_sec.key_source", s->key_source);
        if (s->key_id_mode)
            ek_rd_u8(&rd, "wpan.aux_sec.key_index", &s->key_index);
        mic_len = ek_wpan_mic_len(s->level);
        out->encrypted = (s->level & 4) != 0;
    }
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);
    out->mhr_len = rd.pos;

    /* The MIC (§9.3.5) is the last mic_len octets of the MAC payload; the cursor then
     * ends where the MIC starts.  Of a frame captured short by `missing` octets only
     * the MIC's first mic_len - missing octets (if any) are in the buffer. */
    out->mic_missing = missing < mic_len ? missing : mic_len;
    if (!ek_rd_tail(&rd, mic_len - out->mic_missing, "wpan.mic", &out->mic))
        return ek_rd_finish(&rd, err);

    if (out->frame_type == EK_WPAN_FT_BEACON && out->version < EK_WPAN_VER_2015) {
        /* 2006 §7.2.2.1: superframe spec | GTS fields | pending address fields (clear) */
        ek_wpan_beacon *bc = &out->beacon;
        ek_rd_le16(&rd, "wpan.superframe_spec", &bc->superframe);
        ek_rd_u8(&rd, "wpan.gts.spec", &bc->gts_spec);
        unsigned ngts = bc->gts_spec & 0x7;
        if (ngts) {
            ek_rd_u8(&rd, "wpan.gts.direction", &bc->gts_dirs);
            ek_rd_view(&rd, 3u * ngts, "wpan.gts.descriptor", &bc->gts_list);
        }
        ek_rd_u8(&rd, "wpan.pending.spec", &bc->pend_spec);
        ek_rd_view(&rd, 2u * (bc->pend_spec & 0x7) + 8u * ((bc->pend_spec >> 4) & 0x7), "wpan.pending.addr",
                   &bc->pend_addrs);
        if (!ek_rd_ok(&rd))
            return ek_rd_finish(&rd, err);
    }
    if (out->ie_present) {
        size_t used = 0;
        /* IE problems stay on the list (ek_ie_list_status); the frame goes on */
        ek_status ie_st = ek_ie_decode(ek_rd_peek_rest(&rd), ek_rd_offset(&rd), prof, out->encrypted, &out->ies,
                                       &used, NULL);
        (void)ie_st;
        ek_rd_skip(&rd, used, "wpan.ie");
    }
    /* 2006 §7.5.8.2.1: a command frame's id stays in the open payload; v2 encrypted
     * commands (id after encrypted payload IEs) are left opaque. */
    if (out->frame_type == EK_WPAN_FT_CMD && (!out->encrypted || out->version < EK_WPAN_VER_2015)) {
        if (!ek_rd_u8(&rd, "wpan.cmd", &out->cmd_id))
            return ek_rd_finish(&rd, err);
        out->has_cmd_id = true;
    }
    out->payload_offset = ek_rd_offset(&rd);
    if (out->encrypted)
        out->ciphertext = ek_rd_rest(&rd);
    else
        out->payload = ek_rd_rest(&rd);
    return ek_rd_finish(&rd, err);
}

/* Validation shared by encode and encoded_len.  Returns EK_OK or the error. */
static ek_status check(const ek_wpan_frame *f, ek_err *err, bool *dp, bool *sp)
{
    if (f->frame_type > EK_WPAN_FT_CMD)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.frame_type", 0);
    if (f->version > EK_WPAN_VER_2015)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.version", 0);
    if (f->dst.mode == 1 || f->dst.mode > 3)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.dst_addr_mode", 0);
    if (f->src.mode == 1 || f->src.mode > 3)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.src_addr_mode", 0);
    if (f->version < EK_WPAN_VER_2015 && f->seq_suppressed)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.seqno_suppression", 0);
    if (!ek_wpan_pan_presence(f->version, f->dst.mode, f->src.mode, f->pan_id_compression, dp, sp))
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.pan_id_compression", 0);
    if (f->security && f->version == EK_WPAN_VER_2003)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.security", 0);
    if (f->security && (f->sec.level > 7 || f->sec.key_id_mode > 3))
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.security_control_field", 0);
    if (f->security && f->version < EK_WPAN_VER_2015 && (f->sec.fc_suppressed || f->sec.asn_in_nonce))
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.frame_counter_suppression", 0);
    size_t mic = f->security ? ek_wpan_mic_len(f->sec.level) : 0;
    if (f->mic.len && f->mic.len != mic)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.mic", 0);
    bool enc = f->security && (f->sec.level & 4);
    if (enc && f->ies.n_pl)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.payload_ie", 0); /* encrypted: give ciphertext */
    if (!enc && f->ciphertext.len)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.ciphertext", 0);
    if (enc && f->payload.len)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.payload", 0);
    bool has_ies = f->ies.n_hdr || f->ies.n_pl || f->ies.ht1 || f->ies.ht2 || f->ies.pt;
    if (has_ies && f->version < EK_WPAN_VER_2015)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.ie_present", 0);
    if (f->frame_type == EK_WPAN_FT_BEACON && f->version < EK_WPAN_VER_2015) {
        const ek_wpan_beacon *bc = &f->beacon;
        if (bc->gts_list.len != 3u * (bc->gts_spec & 7))
            return ek_err_set(err, EK_ERR_MALFORMED, "wpan.gts.descriptor", 0);
        if (bc->pend_addrs.len != 2u * (bc->pend_spec & 7) + 8u * ((bc->pend_spec >> 4) & 7))
            return ek_err_set(err, EK_ERR_MALFORMED, "wpan.pending.addr", 0);
    }
    bool cmd_clear = f->frame_type == EK_WPAN_FT_CMD && (!enc || f->version < EK_WPAN_VER_2015);
    if (cmd_clear != f->has_cmd_id)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.cmd", 0);
    return EK_OK;
}

/* Octets after the IEs: command id + payload, or ciphertext. */
static bool tail_nonempty(const ek_wpan_frame *f, bool enc)
{
    return enc ? f->ciphertext.len > 0 : (f->payload.len > 0 || (f->has_cmd_id && f->version == EK_WPAN_VER_2015));
}

size_t ek_wpan_encoded_len(const ek_wpan_frame *f, const ek_profile *prof)
{
    bool dp, sp;
    if (check(f, NULL, &dp, &sp) != EK_OK)
        return 0;
    static const uint8_t alen[4] = { 0, 0, 2, 8 };
    bool enc = f->security && (f->sec.level & 4);
    size_t n = 2 + (f->seq_suppressed ? 0 : 1) + (dp ? 2 : 0) + (sp ? 2 : 0) + alen[f->dst.mode] + alen[f->src.mode];
    if (f->security)
        n += 1 + (f->sec.fc_suppressed ? 0 : 4) + key_source_len(f->sec.key_id_mode) + (f->sec.key_id_mode ? 1 : 0);
    if (f->frame_type == EK_WPAN_FT_BEACON && f->version < EK_WPAN_VER_2015)
        n += 2 + 1 + ((f->beacon.gts_spec & 7) ? 1 : 0) + f->beacon.gts_list.len + 1 + f->beacon.pend_addrs.len;
    if (f->version == EK_WPAN_VER_2015)
        n += ek_ie_encoded_len(&f->ies, tail_nonempty(f, enc), enc, prof);
    n += f->has_cmd_id ? 1 : 0;
    n += enc ? f->ciphertext.len : f->payload.len;
    return n + (f->security ? ek_wpan_mic_len(f->sec.level) : 0);
}

ek_status ek_wpan_encode(const ek_wpan_frame *f, const ek_profile *prof, ek_buf *b, ek_err *err)
{
    bool dp, sp;
    ek_status st = check(f, err, &dp, &sp);
    if (st != EK_OK) {
        if (err)
            err->offset = b->len;
        return st;
    }
    bool enc = f->security && (f->sec.level & 4);
    bool v2 = f->version == EK_WPAN_VER_2015;
    bool tail = tail_nonempty(f, enc);
    bool ies = v2 && ek_ie_any(&f->ies, tail, enc);
    /* §7.2.2.1 FCF */
    uint16_t fcf = (uint16_t)(f->frame_type | ((unsigned)f->dst.mode << 10) | ((unsigned)f->version << 12) |
                              ((unsigned)f->src.mode << 14));
    fcf |= f->security ? EK_WPAN_FCF_SECURITY : 0;
    fcf |= f->frame_pending ? EK_WPAN_FCF_PENDING : 0;
    fcf |= f->ack_request ? EK_WPAN_FCF_AR : 0;
    fcf |= f->pan_id_compression ? EK_WPAN_FCF_PANID_COMP : 0;
    fcf |= f->seq_suppressed ? EK_WPAN_FCF_SEQ_SUPP : 0;
    fcf |= ies ? EK_WPAN_FCF_IE_PRESENT : 0;
    ek_wr_le16(b, "wpan.fcf", fcf);
    if (!f->seq_suppressed)
        ek_wr_u8(b, "wpan.seq_no", f->seq);
    if (dp)
        ek_wr_le16(b, "wpan.dst_pan", f->dst_pan);
    wr_addr(b, &f->dst, "wpan.dst16", "wpan.dst64");
    if (sp)
        ek_wr_le16(b, "wpan.src_pan", f->src_pan);
    wr_addr(b, &f->src, "wpan.src16", "wpan.src64");
    if (f->security) {
        /* §9.4.2 Security Control | Frame Counter | Key Identifier */
        const ek_wpan_sec *s = &f->sec;
        uint8_t sc = (uint8_t)(s->level | (s->key_id_mode << 3) | (s->fc_suppressed ? 0x20 : 0) |
                               (s->asn_in_nonce ? 0x40 : 0));
        ek_wr_u8(b, "wpan.aux_sec.security_control_field", sc);
        if (!s->fc_suppressed)
            ek_wr_le32(b, "wpan.aux_sec.frame_counter", s->frame_counter);
        ek_wr_bytes(b, "wpan.aux_sec.key_source", s->key_source, key_source_len(s->key_id_mode));
        if (s->key_id_mode)
            ek_wr_u8(b, "wpan.aux_sec.key_index", s->key_index);
    }
    if (f->frame_type == EK_WPAN_FT_BEACON && !v2) {
        const ek_wpan_beacon *bc = &f->beacon;
        ek_wr_le16(b, "wpan.superframe_spec", bc->superframe);
        ek_wr_u8(b, "wpan.gts.spec", bc->gts_spec);
        if (bc->gts_spec & 7) {
            ek_wr_u8(b, "wpan.gts.direction", bc->gts_dirs);
            ek_wr_view(b, "wpan.gts.descriptor", bc->gts_list);
        }
        ek_wr_u8(b, "wpan.pending.spec", bc->pend_spec);
        ek_wr_view(b, "wpan.pending.addr", bc->pend_addrs);
    }
    if (ies && (st = ek_ie_encode(&f->ies, tail, enc, prof, b, err)) != EK_OK)
        return st;
    if (f->has_cmd_id)
        ek_wr_u8(b, "wpan.cmd", f->cmd_id);
    ek_wr_view(b, "wpan.payload", enc ? f->ciphertext : f->payload);
    if (f->security) {
        size_t mic = ek_wpan_mic_len(f->sec.level);
        if (f->mic.len)
            ek_wr_view(b, "wpan.mic", f->mic);
        else
            ek_wr_zero(b, "wpan.mic", mic);
    }
    return ek_buf_finish(b, err);
}
