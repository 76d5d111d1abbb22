/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4-2015 §7.2.10 FCS = CRC-16/KERMIT (reflected 0x8408, init 0, no xorout).
 * Bytewise shift/xor form of the reflected CCITT CRC: no table, ~8 ops per octet,
 * on the benchmark hot path.  A checksum is not a decoder, so it reads bytes directly. */
#include "ek/fcs.h"

static uint16_t crc_update(uint16_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Reflected CRC-CCITT, one octet at a time (x = low byte of crc ^ data). */
        uint8_t x = (uint8_t)(crc ^ p[i]);
        x ^= (uint8_t)(x << 4);
        crc = (uint16_t)((crc >> 8) ^ ((uint16_t)x << 8) ^ ((uint16_t)x << 3) ^ (x >> 4));
    }
    return crc;
}

uint16_t ek_fcs16(ek_view mpdu)
{
    if (!mpdu.p)
        return 0;
    return crc_update(0, mpdu.p, mpdu.len);
}

bool ek_fcs16_check(ek_view m)
{
    if (!m.p || m.len < EK_FCS16_LEN)
        return false;
    uint16_t want = (uint16_t)(m.p[m.len - 2] | (m.p[m.len - 1] << 8)); /* LSB first */
    return crc_update(0, m.p, m.len - 2) == want;
}

bool ek_fcs16_append(ek_buf *b)
{
    if (!ek_buf_ok(b))
        return false;
    return ek_wr_le16(b, "wpan.fcs", ek_fcs16(ek_buf_view(b)));
}
