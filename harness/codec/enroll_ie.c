/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9032 §2 6tisch-Join-Info content codec, both Figure 1 readings
 * (RFC 9032 §2 Figure 1).  Length rule: 5 + 8*P + N counting the subtype, N <= 16. */
#include "ek/enroll_ie.h"
#include "ek/consts.h"
#include "ek/rd.h"

/* Literal reading (RFC 9032 §2 Fig. 1 drawn row, MSB first):
 * R b8 | P b9 | res b10-12 | proxy b13-19 | rank b20-31, counting bit 0 = subtype MSB. */
static void unpack_literal(const uint8_t o[3], ek_enroll_ie *ie)
{
    ie->r = (o[0] & 0x80) != 0;
    ie->p = (o[0] & 0x40) != 0;
    ie->reserved = (uint8_t)((o[0] >> 3) & 0x07);
    ie->proxy_prio = (uint8_t)(((o[0] & 0x07) << 4) | (o[1] >> 4));
    ie->rank_prio = (uint16_t)(((o[1] & 0x0F) << 8) | o[2]);
}

/* Byte-aligned reading: R P res(6) | res(1) proxy(7) | rank(8). */
static void unpack_aligned(const uint8_t o[3], ek_enroll_ie *ie)
{
    ie->r = (o[0] & 0x80) != 0;
    ie->p = (o[0] & 0x40) != 0;
    ie->reserved = (uint8_t)(((o[0] & 0x3F) << 1) | (o[1] >> 7));
    ie->proxy_prio = (uint8_t)(o[1] & 0x7F);
    ie->rank_prio = o[2];
}

ek_status ek_enroll_ie_decode(ek_view content, size_t origin, const ek_profile *prof, ek_enroll_ie *out,
                              ek_err *err)
{
    ek_rd rd;
    uint8_t o[3];
    *out = (ek_enroll_ie){ 0 };
    ek_rd_init(&rd, content, origin);
    /* RFC 9032 §2: fixed part = 3 flag/priority octets + PAN priority. */
    ek_rd_bytes(&rd, 3, "enroll.ji.octets", o);
    ek_rd_u8(&rd, "enroll.ji.pan_priority", &out->pan_prio);
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);
    if (prof && prof->ji == EK_JI_BYTE_ALIGNED)
        unpack_aligned(o, out);
    else
        unpack_literal(o, out);
    /* RFC 9032 §2: "If the P bit is set, then 64 bits (8 bytes) of address are present." */
    if (out->p && !ek_rd_bytes(&rd, EK_JI_IID_LEN, "enroll.ji.join_proxy_iid", out->jp_iid))
        return ek_rd_finish(&rd, err);
    size_t at = ek_rd_offset(&rd);
    out->network_id = ek_rd_rest(&rd);
    /* RFC 9032 §2: network ID "up to 16-bytes in size". */
    if (out->network_id.len > EK_JI_NETID_MAX)
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "enroll.ji.network_id", at + EK_JI_NETID_MAX);
    if (out->network_id.len == 0)
        out->network_id.p = NULL;
    return ek_rd_finish(&rd, err);
}

static ek_status bad(ek_err *err, const char *field, size_t at)
{
    return ek_err_set(err, EK_ERR_MALFORMED, field, at);
}

ek_status ek_enroll_ie_encode(const ek_enroll_ie *in, const ek_profile *prof, ek_buf *out, ek_err *err)
{
    bool lit = !(prof && prof->ji == EK_JI_BYTE_ALIGNED);
    size_t at = out->len;
    uint8_t o[3];
    if (in->proxy_prio > 0x7F)
        return bad(err, "enroll.ji.proxy_priority", at);
    if (in->rank_prio > (lit ? 0xFFF : 0xFF))
        return bad(err, "enroll.ji.rank_priority", at);
    if (in->reserved > (lit ? 0x07 : 0x7F))
        return bad(err, "enroll.ji.reserved", at);
    if (in->network_id.len > EK_JI_NETID_MAX || (in->network_id.len && !in->network_id.p))
        return bad(err, "enroll.ji.network_id", at + 4 + (in->p ? EK_JI_IID_LEN : 0));
    uint8_t rp = (uint8_t)((in->r ? 0x80 : 0) | (in->p ? 0x40 : 0));
    if (lit) {
        o[0] = (uint8_t)(rp | (in->reserved << 3) | (in->proxy_prio >> 4));
        o[1] = (uint8_t)(((in->proxy_prio & 0x0F) << 4) | (in->rank_prio >> 8));
        o[2] = (uint8_t)in->rank_prio;
    } else {
        o[0] = (uint8_t)(rp | (in->reserved >> 1));
        o[1] = (uint8_t)(((in->reserved & 1) << 7) | in->proxy_prio);
        o[2] = (uint8_t)in->rank_prio;
    }
    ek_wr_bytes(out, "enroll.ji.octets", o, 3);
    ek_wr_u8(out, "enroll.ji.pan_priority", in->pan_prio);
    if (in->p)
        ek_wr_bytes(out, "enroll.ji.join_proxy_iid", in->jp_iid, EK_JI_IID_LEN);
    if (in->network_id.len)
        ek_wr_view(out, "enroll.ji.network_id", in->network_id);
    return ek_buf_finish(out, err);
}

size_t ek_enroll_ie_encoded_len(const ek_enroll_ie *in, const ek_profile *prof)
{
    (void)prof;
    return 4 + (in->p ? EK_JI_IID_LEN : 0) + in->network_id.len;
}

unsigned ek_enroll_ie_warnings(const ek_enroll_ie *ie)
{
    unsigned w = 0;
    if (ie->reserved)
        w |= EK_ENROLL_IE_WARN_RESERVED;
    if (ie->proxy_prio == EK_JI_PROXY_NOT_JP)
        w |= EK_ENROLL_IE_WARN_NOT_JP;
    return w;
}
