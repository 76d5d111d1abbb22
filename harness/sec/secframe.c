/* SPDX-License-Identifier: BSD-3-Clause */
/* Securing and unsecuring whole IEEE 802.15.4 MPDUs: Auxiliary Security Header
 * insertion (§7.2.1, §9.4), the CCM* a/m split (§9.3.5; 2015 header IEs in a, payload
 * IEs in m), the nonce (§9.3.2.2) and MIC placement (§7.2.1: MIC ends the MAC payload).
 * Boundaries come from the codec's decoder, so what we secure is what we parse. */
#include <string.h>

#include "ek/consts.h"
#include "ek/profile.h"
#include "ek/sec.h"

size_t ek_sec_aux_len(const ek_wpan_sec *sec)
{
    static const uint8_t ks_len[4] = { 0, 0, 4, 8 }; /* §9.4.4 Table 9-9 */
    return 1u + (sec->fc_suppressed ? 0u : 4u) + ks_len[sec->key_id_mode & 3] + (sec->key_id_mode ? 1u : 0u);
}

/* Octets from the FCF to the end of the source address (§7.2.1: FCF | seq | dst PAN |
 * dst addr | src PAN | src addr), where the Auxiliary Security Header goes. */
static size_t addr_end(const ek_wpan_frame *f)
{
    static const uint8_t alen[4] = { 0, 0, 2, 8 };
    return 2u + (f->seq_suppressed ? 0u : 1u) + (f->has_dst_pan ? 2u : 0u) + alen[f->dst.mode & 3] +
           (f->has_src_pan ? 2u : 0u) + alen[f->src.mode & 3];
}

static void write_aux(uint8_t *p, const ek_wpan_sec *s)
{
    static const uint8_t ks_len[4] = { 0, 0, 4, 8 };
    /* §9.4.2 Security Control: level b0-2 | KIM b3-4 | FC suppression b5 | ASN b6 */
    *p++ = (uint8_t)((s->level & 7) | ((s->key_id_mode & 3) << 3) | (s->fc_suppressed ? 0x20 : 0) |
                     (s->asn_in_nonce ? 0x40 : 0));
    if (!s->fc_suppressed) { /* §9.4.3 Frame Counter, little-endian on air */
        *p++ = (uint8_t)s->frame_counter;
        *p++ = (uint8_t)(s->frame_counter >> 8);
        *p++ = (uint8_t)(s->frame_counter >> 16);
        *p++ = (uint8_t)(s->frame_counter >> 24);
    }
    memcpy(p, s->key_source, ks_len[s->key_id_mode & 3]); /* §9.4.4 Key Source | Key Index */
    p += ks_len[s->key_id_mode & 3];
    if (s->key_id_mode)
        *p = s->key_index;
}

/* Offset of the Key Index octet (or of Security Control for KIM 0), for errors. */
static size_t key_index_offset(const ek_wpan_frame *f)
{
    size_t n = ek_sec_aux_len(&f->sec);
    return f->sec_offset + (f->sec.key_id_mode ? n - 1 : 0);
}

/* Builds the nonce for a decoded secured frame; the error names what is missing. */
static ek_status make_nonce(const ek_wpan_frame *f, const ek_sec_env *env, uint8_t nonce[EK_SEC_NONCE_LEN],
                            ek_err *err)
{
    const uint8_t *ext;
    if (env && env->has_src_ext)
        ext = env->src_ext;
    else if (f->src.mode == EK_WPAN_AM_EXT)
        ext = f->src.ext;
    else /* §9.3.2.2: the nonce needs the originator's extended address */
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.src64", 0);
    if (f->sec.asn_in_nonce)
        ek_sec_nonce_asn(ext, env ? env->asn : 0, nonce);
    else if (f->sec.fc_suppressed) /* neither counter nor ASN: no nonce */
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.frame_counter_suppression", f->sec_offset);
    else
        ek_sec_nonce_fc(ext, f->sec.frame_counter, f->sec.level, nonce);
    return EK_OK;
}

/* a/m/MIC split of a decoded secured frame of n octets (§9.3.5). */
static void split(const ek_wpan_frame *f, size_t n, ek_sec_info *info)
{
    info->sec = f->sec;
    info->sec_offset = f->sec_offset;
    info->mic_len = ek_wpan_mic_len(f->sec.level);
    info->mic_offset = n - info->mic_len;
    info->m_len = f->encrypted ? f->ciphertext.len : 0;
    info->a_len = info->mic_offset - info->m_len;
}

static ek_status check_sec(const ek_wpan_frame *f, ek_err *err)
{
    if (f->sec.level == 0) /* Security Enabled with level 0: nothing to do, reject */
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.sec_level", f->sec_offset);
    return EK_OK;
}

/* The common start of protect and unprotect: outputs cleared, the default profile when
 * none is given (*prof then points at defprof), the MAC layer of `in` decoded into *f. */
static ek_status begin(ek_view in, const ek_profile **prof, ek_profile *defprof, bool args_ok, size_t *out_len,
                       ek_sec_info *info, ek_wpan_frame *f, ek_err *err)
{
    memset(info, 0, sizeof *info);
    ek_err_clear(err);
    if (!*prof) {
        ek_profile_default(defprof);
        *prof = defprof;
    }
    if (!args_ok)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.security", 0);
    *out_len = 0;
    return ek_wpan_decode(in, 0, *prof, f, err);
}

ek_status ek_sec_protect(ek_view in, const ek_wpan_sec *sec, const ek_sec_env *env, const ek_sec_key *key,
                         const ek_profile *prof, uint8_t *out, size_t cap, size_t *out_len, ek_sec_info *info,
                         ek_err *err)
{
    ek_wpan_frame f;
    ek_profile defprof;
    ek_sec_info scratch;
    if (!info)
        info = &scratch;
    ek_status st = begin(in, &prof, &defprof, key && out && out_len, out_len, info, &f, err);
    if (st != EK_OK)
        return st;

    size_t n;
    if (!f.security) {
        if (!sec || sec->level == 0 || sec->level > 7 || sec->key_id_mode > 3)
            return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.sec_level", 0);
        if (f.version == EK_WPAN_VER_2003) /* no Auxiliary Security Header in 2003 */
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.security", 0);
        if (f.version < EK_WPAN_VER_2015 && (sec->fc_suppressed || sec->asn_in_nonce))
            return ek_err_set(err, EK_ERR_MALFORMED, "wpan.aux_sec.frame_counter_suppression", 0);
        size_t at = addr_end(&f), aux = ek_sec_aux_len(sec), mic = ek_wpan_mic_len(sec->level);
        n = in.len + aux + mic;
        if (n > cap) {
            if (err) {
                ek_err_set(err, EK_ERR_NOSPACE, "wpan.security", 0);
                err->need = n;
                err->have = cap;
            }
            return EK_ERR_NOSPACE;
        }
        /* template: MHR up to the source address | aux header | rest | zero MIC */
        memmove(out + at + aux, in.p + at, in.len - at);
        memmove(out, in.p, at);
        out[0] |= (uint8_t)EK_WPAN_FCF_SECURITY; /* FCF b3, LE16 low octet */
        write_aux(out + at, sec);
        memset(out + at + aux + (in.len - at), 0, mic);
        st = ek_wpan_decode(ek_view_make(out, n), 0, prof, &f, err);
        if (st != EK_OK)
            return st;
    } else {
        n = in.len;
        if (n > cap) {
            if (err) {
                ek_err_set(err, EK_ERR_NOSPACE, "wpan.security", 0);
                err->need = n;
                err->have = cap;
            }
            return EK_ERR_NOSPACE;
        }
        memmove(out, in.p, n);
        st = ek_wpan_decode(ek_view_make(out, n), 0, prof, &f, err);
        if (st != EK_OK)
            return st;
    }
    if ((st = check_sec(&f, err)) != EK_OK)
        return st;
    split(&f, n, info);
    if ((st = make_nonce(&f, env, info->nonce, err)) != EK_OK)
        return st;
    info->key = key;
    if (!ek_ccmstar_encrypt(key->key, info->nonce, info->mic_len, out, info->a_len, out + info->a_len, info->m_len,
                            out + info->mic_offset))
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.security", 0);
    info->mic_ok = true;
    *out_len = n;
    return EK_OK;
}

ek_status ek_sec_unprotect(ek_view in, const ek_sec_keyring *ring, const ek_sec_key *key, const ek_sec_env *env,
                           const ek_profile *prof, uint8_t *out, size_t cap, size_t *out_len, ek_sec_info *info,
                           ek_err *err)
{
    ek_wpan_frame f;
    ek_profile defprof;
    ek_sec_info scratch;
    if (!info)
        info = &scratch;
    ek_status st = begin(in, &prof, &defprof, out && out_len, out_len, info, &f, err);
    if (st != EK_OK)
        return st;
    if (!f.security) /* §9.2.4 incoming frame: nothing to unsecure */
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.security", 0);
    if ((st = check_sec(&f, err)) != EK_OK)
        return st;
    split(&f, in.len, info);
    const ek_sec_key *k = ring ? ek_sec_keyring_find(ring, &f.sec) : key;
    info->key = k;
    if (!k) /* §9.2.4 KeyDescriptor lookup failed: UNAVAILABLE_KEY */
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.aux_sec.key_index", key_index_offset(&f));
    uint8_t allowed = k->allowed_levels ? k->allowed_levels : EK_SEC_LEVELS_WITH_MIC;
    if (!((allowed >> f.sec.level) & 1)) /* §9.2.5: level not acceptable for this key */
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "wpan.aux_sec.sec_level", f.sec_offset);
    if ((st = make_nonce(&f, env, info->nonce, err)) != EK_OK)
        return st;

    size_t aux = ek_sec_aux_len(&f.sec);
    size_t hdr = info->a_len - aux; /* clear part without the aux header */
    size_t n = hdr + info->m_len;
    if (n > cap) {
        if (err) {
            ek_err_set(err, EK_ERR_NOSPACE, "wpan.payload", 0);
            err->need = n;
            err->have = cap;
        }
        return EK_ERR_NOSPACE;
    }
    /* decrypt in out's final place; a stays in `in` (it covers the original header) */
    memmove(out + hdr, in.p + info->a_len, info->m_len);
    if (!ek_ccmstar_decrypt(k->key, info->nonce, info->mic_len, in.p, info->a_len, out + hdr, info->m_len,
                            in.p + info->mic_offset))
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.mic", info->mic_offset);
    info->mic_ok = true;
    memmove(out, in.p, f.sec_offset);
    out[0] &= (uint8_t)~EK_WPAN_FCF_SECURITY;
    memmove(out + f.sec_offset, in.p + f.sec_offset + aux, info->a_len - f.sec_offset - aux);
    *out_len = n;
    return EK_OK;
}
