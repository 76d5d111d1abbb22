/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMPv6 header decode/encode and the RFC 8200 §8.1 pseudo-header checksum
 * (RFC 4443 §2.3: computed with the checksum field zero, over the whole message). */
#include <string.h>

#include "ek/icmp6.h"
#include "ek/rd.h"

/* RFC 1071: add big-endian 16-bit words starting at an even message offset; an odd
 * tail octet is padded with 0.  64-bit accumulator: no overflow for any length. */
static uint64_t add_words(uint64_t a, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        a += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        a += (uint32_t)p[i] << 8;
    return a;
}

/* One's-complement sum of p[0..n) with octets zero_at and zero_at + 1 taken as 0 (the
 * checksum field), folded to 16 bits.  A word-aligned field is skipped in one step
 * (the hot path); an odd zero_at (no real protocol) goes octet by octet. */
static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n, size_t zero_at)
{
    uint64_t a = acc;
    if (zero_at >= n) {
        a = add_words(a, p, n);
    } else if ((zero_at & 1) == 0) {
        a = add_words(a, p, zero_at);
        if (zero_at + 2 < n)
            a = add_words(a, p + zero_at + 2, n - zero_at - 2);
    } else {
        for (size_t i = 0; i < n; i++) {
            uint32_t b = (i == zero_at || i == zero_at + 1) ? 0 : p[i];
            a += (i & 1) ? b : b << 8;
        }
    }
    while (a >> 16)
        a = (a & 0xFFFF) + (a >> 16);
    return (uint32_t)a;
}

/* RFC 8200 §8.1 pseudo-header: src, dst, upper-layer length (32), zero (24), NH (8). */
static uint32_t pseudo_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh, size_t ulen)
{
    uint8_t ph[40];
    memcpy(ph, src, 16);
    memcpy(ph + 16, dst, 16);
    ph[32] = (uint8_t)(ulen >> 24);
    ph[33] = (uint8_t)(ulen >> 16);
    ph[34] = (uint8_t)(ulen >> 8);
    ph[35] = (uint8_t)ulen;
    ph[36] = ph[37] = ph[38] = 0;
    ph[39] = nh;
    return sum16(0, ph, sizeof ph, SIZE_MAX - 1);
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return (uint16_t)~acc;
}

uint16_t ek_inet6_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh, ek_view msg,
                           size_t cksum_at)
{
    uint32_t acc = pseudo_sum(src, dst, nh, msg.len);
    if (msg.p)
        acc = sum16(acc, msg.p, msg.len, cksum_at >= msg.len ? SIZE_MAX - 1 : cksum_at);
    return fold(acc);
}

uint16_t ek_inet6_checksum_split(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
                                 ek_view even_head, ek_view body)
{
    uint32_t acc = pseudo_sum(src, dst, nh, even_head.len + body.len);
    if (even_head.p)
        acc = sum16(acc, even_head.p, even_head.len & ~(size_t)1, SIZE_MAX - 1);
    if (body.p)
        acc = sum16(acc, body.p, body.len, SIZE_MAX - 1);
    return fold(acc);
}

uint16_t ek_icmp6_checksum(const uint8_t src[16], const uint8_t dst[16], ek_view icmp_msg)
{
    return ek_inet6_checksum(src, dst, EK_IPV6_NH_ICMP6, icmp_msg, 2);
}

ek_status ek_icmp6_decode(ek_view msg, size_t origin, const uint8_t *src, const uint8_t *dst,
                          ek_icmp6 *out, ek_err *err)
{
    ek_rd rd;
    memset(out, 0, sizeof *out);
    ek_rd_init(&rd, msg, origin);
    ek_rd_u8(&rd, "icmpv6.type", &out->type);
    ek_rd_u8(&rd, "icmpv6.code", &out->code);
    ek_rd_be16(&rd, "icmpv6.checksum", &out->checksum);
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);
    out->body_offset = ek_rd_offset(&rd);
    out->body = ek_rd_rest(&rd);
    if (src && dst) {
        out->checksum_checked = true;
        out->checksum_ok = ek_icmp6_checksum(src, dst, msg) == out->checksum;
    }
    return ek_rd_finish(&rd, err);
}

size_t ek_icmp6_encoded_len(const ek_icmp6 *in)
{
    return EK_ICMP6_HDR_LEN + in->body.len;
}

ek_status ek_icmp6_encode(const ek_icmp6 *in, const uint8_t src[16], const uint8_t dst[16],
                          ek_buf *out, ek_err *err)
{
    size_t start = out->len;
    ek_wr_u8(out, "icmpv6.type", in->type);
    ek_wr_u8(out, "icmpv6.code", in->code);
    size_t at = ek_wr_reserve(out, "icmpv6.checksum", 2);
    ek_wr_view(out, "icmpv6.body", in->body);
    if (ek_buf_ok(out)) {
        ek_view m = ek_view_make(out->p + start, out->len - start);
        ek_wr_patch_be16(out, at, ek_icmp6_checksum(src, dst, m));
    }
    return ek_buf_finish(out, err);
}
