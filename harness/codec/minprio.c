/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimum Enrollment Priority option: decode/encode for the draft-03, -04, -09 and -16
 * layouts (draft-ietf-roll-enrollment-priority-03 §2, -16 §3.1),
 * the DODAG-size round-up rule (-16 §3.1) and the expert warnings. */
#include <string.h>

#include "ek/consts.h"
#include "ek/minprio.h"
#include "ek/rd.h"

uint8_t ek_minprio_data_len(ek_mep_profile m)
{
    switch (m) {
    case EK_MEP_DRAFT03: return EK_MEP_LEN_DRAFT03;
    case EK_MEP_DRAFT04: return EK_MEP_LEN_DRAFT04;
    case EK_MEP_DRAFT09: return EK_MEP_LEN_DRAFT09;
    case EK_MEP_DRAFT16: return EK_MEP_LEN_DRAFT16;
    }
    return 0;
}

/* Largest size code per profile: 12 bits (-04..-09), 4 bits (-10..-16 "DODAGSz"). */
static uint16_t size_code_max(ek_mep_profile m)
{
    return m == EK_MEP_DRAFT16 ? 0x0F : m == EK_MEP_DRAFT03 ? 0 : 0x0FFF;
}

ek_status ek_minprio_decode(ek_view opt, size_t origin, const ek_profile *prof, ek_minprio *out,
                            ek_err *err)
{
    ek_rd rd, d;
    uint8_t b0 = 0, b1 = 0, b2 = 0;
    ek_mep_profile mep = prof ? prof->mep : EK_MEP_DRAFT16; /* NULL = defaults */
    memset(out, 0, sizeof *out);
    out->profile = mep;
    ek_rd_init(&rd, opt, origin);
    ek_rd_u8(&rd, "enroll.mep.type", &out->type);
    size_t len_at = ek_rd_offset(&rd);
    ek_rd_u8(&rd, "enroll.mep.length", &out->length);
    if (!ek_rd_sub(&rd, out->length, "enroll.mep.data", &d))
        return ek_rd_finish(&rd, err);

    /* The profile decides the layout; equal lengths are never guessed between. */
    bool len_ok = out->length == ek_minprio_data_len(mep) ||
                  (mep == EK_MEP_DRAFT16 && out->length == EK_MEP_LEN_DRAFT16_ERRATUM);
    if (!len_ok) {
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "enroll.mep.length", len_at);
        return ek_rd_finish(&rd, err);
    }
    switch (mep) {
    case EK_MEP_DRAFT03: /* -03 §2: R | min priority */
        ek_rd_u8(&d, "enroll.mep.min_priority", &b0);
        out->r = (b0 & 0x80) != 0;
        out->min_priority = b0 & EK_MEP_PRIO_MASK;
        break;
    case EK_MEP_DRAFT04: /* -04: exp(4) size(12) | R | min(7) */
        ek_rd_u8(&d, "enroll.mep.exp", &b0);
        ek_rd_u8(&d, "enroll.mep.dodag_size_code", &b1);
        ek_rd_u8(&d, "enroll.mep.min_priority", &b2);
        out->has_size = true;
        out->exp = b0 >> 4;
        out->size_code = (uint16_t)(((b0 & 0x0F) << 8) | b1);
        out->r = (b2 & 0x80) != 0;
        out->min_priority = b2 & EK_MEP_PRIO_MASK;
        break;
    case EK_MEP_DRAFT09: /* -09 §3.1: version | T min(7) | exp(4) size(12) */
        ek_rd_u8(&d, "enroll.mep.version", &out->version);
        ek_rd_u8(&d, "enroll.mep.min_priority", &b0);
        ek_rd_u8(&d, "enroll.mep.exp", &b1);
        ek_rd_u8(&d, "enroll.mep.dodag_size_code", &b2);
        out->has_version = out->has_size = true;
        out->t = (b0 & 0x80) != 0;
        out->min_priority = b0 & EK_MEP_PRIO_MASK;
        out->exp = b1 >> 4;
        out->size_code = (uint16_t)(((b1 & 0x0F) << 8) | b2);
        break;
    case EK_MEP_DRAFT16: /* -16 §3.1: version | T min(7) | Exp(4) DODAGSz(4) */
        ek_rd_u8(&d, "enroll.mep.version", &out->version);
        ek_rd_u8(&d, "enroll.mep.min_priority", &b0);
        ek_rd_u8(&d, "enroll.mep.exp", &b1);
        out->has_version = out->has_size = true;
        out->t = (b0 & 0x80) != 0;
        out->min_priority = b0 & EK_MEP_PRIO_MASK;
        out->exp = b1 >> 4;
        out->size_code = b1 & 0x0F;
        /* Length 4 accepted: -10..-16 print "Opt Length = 4" for a 3-octet body. */
        if (out->length == EK_MEP_LEN_DRAFT16_ERRATUM) {
            out->erratum_len4 = true;
            ek_rd_u8(&d, "enroll.mep.trailing", &out->trailing);
        }
        break;
    }
    out->dodag_size = (uint32_t)out->size_code << out->exp;
    if (!ek_rd_ok(&d))
        return ek_rd_finish(&d, err);
    return ek_rd_finish(&rd, err);
}

size_t ek_minprio_encoded_len(const ek_minprio *in, const ek_profile *prof)
{
    size_t n = 2u + ek_minprio_data_len(prof->mep);
    if (prof->mep == EK_MEP_DRAFT16 && in->erratum_len4)
        n++;
    return n;
}

ek_status ek_minprio_encode(const ek_minprio *in, const ek_profile *prof, ek_buf *out, ek_err *err)
{
    if (prof->mep_type == 0)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "enroll.mep.type", out->len);
    if (in->min_priority > EK_MEP_PRIO_MASK)
        return ek_err_set(err, EK_ERR_MALFORMED, "enroll.mep.min_priority", out->len);
    if (prof->mep != EK_MEP_DRAFT03 && (in->exp > 15 || in->size_code > size_code_max(prof->mep)))
        return ek_err_set(err, EK_ERR_MALFORMED, in->exp > 15 ? "enroll.mep.exp" : "enroll.mep.dodag_size_code",
                        out->len);
    uint8_t prio_r = (uint8_t)((in->r ? 0x80 : 0) | in->min_priority);
    uint8_t prio_t = (uint8_t)((in->t ? 0x80 : 0) | in->min_priority);
    ek_wr_u8(out, "enroll.mep.type", prof->mep_type);
    ek_wr_u8(out, "enroll.mep.length", (uint8_t)(ek_minprio_encoded_len(in, prof) - 2));
    switch (prof->mep) {
    case EK_MEP_DRAFT03:
        ek_wr_u8(out, "enroll.mep.min_priority", prio_r);
        break;
    case EK_MEP_DRAFT04:
        ek_wr_be16(out, "enroll.mep.dodag_size_code", (uint16_t)((in->exp << 12) | in->size_code));
        ek_wr_u8(out, "enroll.mep.min_priority", prio_r);
        break;
    case EK_MEP_DRAFT09:
        ek_wr_u8(out, "enroll.mep.version", in->version);
        ek_wr_u8(out, "enroll.mep.min_priority", prio_t);
        ek_wr_be16(out, "enroll.mep.dodag_size_code", (uint16_t)((in->exp << 12) | in->size_code));
        break;
    case EK_MEP_DRAFT16:
        ek_wr_u8(out, "enroll.mep.version", in->version);
        ek_wr_u8(out, "enroll.mep.min_priority", prio_t);
        ek_wr_u8(out, "enroll.mep.exp", (uint8_t)((in->exp << 4) | in->size_code));
        if (in->erratum_len4)
            ek_wr_u8(out, "enroll.mep.trailing", in->trailing);
        break;
    }
    return ek_buf_finish(out, err);
}

bool ek_minprio_size_encode(uint32_t n, ek_mep_profile m, uint8_t *exp, uint16_t *code)
{
    uint16_t max = size_code_max(m);
    *exp = 0;
    *code = 0;
    if (max == 0)
        return false;
    /* The first exponent whose rounded-up code fits gives the smallest value >= n:
     * a larger exponent can only round up further (-16 §3.1 "always round up"). */
    for (uint8_t e = 0; e <= 15; e++) {
        uint64_t unit = (uint64_t)1 << e;
        uint64_t c = ((uint64_t)n + unit - 1) / unit;
        if (c <= max) {
            *exp = e;
            *code = (uint16_t)c;
            return true;
        }
    }
    *exp = 15;
    *code = max;
    return false;
}

unsigned ek_minprio_warnings(const ek_minprio *m)
{
    unsigned w = 0;
    if (m->r && (m->profile == EK_MEP_DRAFT03 || m->profile == EK_MEP_DRAFT04))
        w |= EK_MINPRIO_WARN_RESERVED_R;
    if (m->min_priority == EK_MEP_PRIO_DISABLED)
        w |= EK_MINPRIO_WARN_DISABLED;
    if (m->erratum_len4)
        w |= EK_MINPRIO_WARN_ERRATUM_LEN4;
    return w;
}
