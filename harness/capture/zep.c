/* SPDX-License-Identifier: BSD-3-Clause */
/* ZEP v1/v2/v3 codec (Wireshark packet-zep.c layout; RIOT sys/net/netdev/zep,
 * socket_zep behaviour).  ZEP has no RFC: Wireshark packet-zep.c is the reference.
 * Version 3 has the v2 layout (packet-zep.c decodes every version above 2 as v2):
 * Data 32-octet header, Ack 8 octets.  All reads go through ek_rd. */
#include <string.h>

#include "ek/rd.h"
#include "ek/zep.h"

#define V1_RESERVED 7
#define V2_RESERVED 10

ek_status ek_zep_decode(ek_view in, size_t origin, ek_zep *out, ek_err *err)
{
    ek_rd rd;
    uint8_t e = 0, x = 0, len = 0;
    memset(out, 0, sizeof *out);
    ek_rd_init(&rd, in, origin);

    ek_rd_u8(&rd, "zep.preamble", &e);
    ek_rd_u8(&rd, "zep.preamble", &x);
    if (ek_rd_ok(&rd) && (e != 'E' || x != 'X'))
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "zep.preamble", origin);
    ek_rd_u8(&rd, "zep.version", &out->version);
    if (ek_rd_ok(&rd) && out->version != 1 && out->version != 2 && out->version != 3)
        ek_rd_fail_at(&rd, EK_ERR_UNSUPPORTED, "zep.version", origin + 2);
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);

    if (out->version == 1) {
        out->type = EK_ZEP_TYPE_DATA; /* v1 has no type octet */
    } else {
        ek_rd_u8(&rd, "zep.type", &out->type);
        if (ek_rd_ok(&rd) && out->type == EK_ZEP_TYPE_ACK) {
            ek_rd_be32(&rd, "zep.seqno", &out->seq);
            /* An Ack is 8 octets; anything after it is not ZEP. */
            out->extra = ek_rd_rest(&rd);
            if (ek_rd_ok(&rd) && out->extra.len)
                ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "zep.length", origin + EK_ZEP_V2_ACK_LEN);
            return ek_rd_finish(&rd, err);
        }
        /* Wireshark treats other types like Data, RIOT only accepts Data (type 1);
         * we decode Data only and say so. */
        if (ek_rd_ok(&rd) && out->type != EK_ZEP_TYPE_DATA)
            ek_rd_fail_at(&rd, EK_ERR_UNSUPPORTED, "zep.type", origin + 3);
    }
    ek_rd_u8(&rd, "zep.channel_id", &out->channel);
    ek_rd_be16(&rd, "zep.device_id", &out->device_id);
    ek_rd_u8(&rd, "zep.lqi_mode", &out->mode);
    ek_rd_u8(&rd, "zep.lqi", &out->lqi);
    if (out->version == 1) {
        ek_rd_skip(&rd, V1_RESERVED, "zep.reserved_field");
    } else {
        ek_rd_be32(&rd, "zep.time", &out->ntp_sec);
        ek_rd_be32(&rd, "zep.time", &out->ntp_frac);
        ek_rd_be32(&rd, "zep.seqno", &out->seq);
        ek_rd_skip(&rd, V2_RESERVED, "zep.reserved_field");
    }
    size_t len_at = ek_rd_offset(&rd);
    ek_rd_u8(&rd, "zep.length", &len);
    out->length = len & EK_ZEP_LENGTH_MASK;
    out->length_hi = (uint8_t)(len >> 7);
    if (ek_rd_ok(&rd) && out->length < EK_ZEP_TRAILER_LEN)
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "zep.length", len_at);
    out->psdu_offset = ek_rd_offset(&rd);
    ek_rd_view(&rd, out->length, "zep.data", &out->psdu);
    out->extra = ek_rd_rest(&rd);
    if (ek_rd_ok(&rd) && out->extra.len)
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "zep.length", out->psdu_offset + out->length);
    return ek_rd_finish(&rd, err);
}

size_t ek_zep_encoded_len(const ek_zep *in)
{
    if (in->version >= 2 && in->type == EK_ZEP_TYPE_ACK)
        return EK_ZEP_V2_ACK_LEN;
    return (in->version == 1 ? EK_ZEP_V1_HDR_LEN : EK_ZEP_V2_DATA_HDR_LEN) + in->psdu.len;
}

static ek_status enc_fail(ek_err *err, ek_status code, const char *field)
{
    if (err) {
        ek_err_clear(err);
        err->code = code;
        err->field = field;
    }
    return code;
}

ek_status ek_zep_encode(const ek_zep *in, ek_buf *out, ek_err *err)
{
    if (in->version != 1 && in->version != 2 && in->version != 3)
        return enc_fail(err, EK_ERR_MALFORMED, "zep.version");
    if (in->version >= 2 && in->type != EK_ZEP_TYPE_DATA && in->type != EK_ZEP_TYPE_ACK)
        return enc_fail(err, EK_ERR_MALFORMED, "zep.type");
    bool ack = in->version >= 2 && in->type == EK_ZEP_TYPE_ACK;
    if (!ack && (in->psdu.len < EK_ZEP_TRAILER_LEN || in->psdu.len > EK_ZEP_LENGTH_MASK))
        return enc_fail(err, EK_ERR_MALFORMED, "zep.length");

    ek_wr_u8(out, "zep.preamble", 'E');
    ek_wr_u8(out, "zep.preamble", 'X');
    ek_wr_u8(out, "zep.version", in->version);
    if (in->version >= 2)
        ek_wr_u8(out, "zep.type", in->type);
    if (ack) {
        ek_wr_be32(out, "zep.seqno", in->seq);
        return ek_buf_finish(out, err);
    }
    ek_wr_u8(out, "zep.channel_id", in->channel);
    ek_wr_be16(out, "zep.device_id", in->device_id);
    ek_wr_u8(out, "zep.lqi_mode", in->mode);
    ek_wr_u8(out, "zep.lqi", in->lqi);
    if (in->version == 1) {
        ek_wr_zero(out, "zep.reserved_field", V1_RESERVED);
    } else {
        ek_wr_be32(out, "zep.time", in->ntp_sec);
        ek_wr_be32(out, "zep.time", in->ntp_frac);
        ek_wr_be32(out, "zep.seqno", in->seq);
        ek_wr_zero(out, "zep.reserved_field", V2_RESERVED);
    }
    ek_wr_u8(out, "zep.length", (uint8_t)in->psdu.len);
    ek_wr_view(out, "zep.data", in->psdu);
    return ek_buf_finish(out, err);
}

void ek_zep_init_data(ek_zep *z, uint8_t channel, ek_view psdu)
{
    memset(z, 0, sizeof *z);
    z->version = 2;
    z->type = EK_ZEP_TYPE_DATA;
    z->channel = channel;
    z->mode = EK_ZEP_MODE_CRC;
    z->lqi = 0xff;
    z->psdu = psdu;
    z->length = (uint8_t)psdu.len;
}
