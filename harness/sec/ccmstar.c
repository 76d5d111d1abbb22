/* SPDX-License-Identifier: BSD-3-Clause */
/* CCM* for IEEE 802.15.4 (IEEE 802.15.4-2015 Annex B.4; NIST SP 800-38C / RFC 3610
 * with L = 2 and, unlike CCM, M = 0 allowed) over AES-128 single-block encryptions
 * from libgcrypt (GCRY_CIPHER_MODE_ECB); AES itself is never implemented here.
 * libgcrypt's own CCM mode rejects M = 0, which level 4 needs, hence the blocks. */
#include <gcrypt.h>
#include <string.h>

#include "ek/sec.h"

#define BLK 16
#define L_FIELD 2 /* length field octets; 15 - L = 13-octet nonce (§9.3.2.2) */

/* libgcrypt must be initialised once per process before use (libgcrypt manual §2.4);
 * this is the one piece of process state of the module.  No secure memory: keys here
 * are test keys and the harness never runs setuid. */
static bool gcry_ready(void)
{
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        if (!gcry_check_version(GCRYPT_VERSION))
            return false;
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    return true;
}

static bool aes_open(gcry_cipher_hd_t *h, const uint8_t key[EK_SEC_KEY_LEN])
{
    if (!gcry_ready())
        return false;
    if (gcry_cipher_open(h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0))
        return false;
    if (gcry_cipher_setkey(*h, key, EK_SEC_KEY_LEN)) {
        gcry_cipher_close(*h);
        return false;
    }
    return true;
}

static bool aes_block(gcry_cipher_hd_t h, uint8_t out[BLK], const uint8_t in[BLK])
{
    return gcry_cipher_encrypt(h, out, BLK, in, BLK) == 0;
}

void ek_sec_nonce_fc(const uint8_t ext[8], uint32_t frame_counter, uint8_t level, uint8_t nonce[EK_SEC_NONCE_LEN])
{
    memcpy(nonce, ext, 8); /* canonical order = big-endian EUI-64 (Annex C.2.1.3) */
    nonce[8] = (uint8_t)(frame_counter >> 24);
    nonce[9] = (uint8_t)(frame_counter >> 16);
    nonce[10] = (uint8_t)(frame_counter >> 8);
    nonce[11] = (uint8_t)frame_counter;
    nonce[12] = level;
}

void ek_sec_nonce_asn(const uint8_t ext[8], uint64_t asn, uint8_t nonce[EK_SEC_NONCE_LEN])
{
    memcpy(nonce, ext, 8);
    for (int i = 0; i < 5; i++)
        nonce[8 + i] = (uint8_t)(asn >> (8 * (4 - i)));
}

static bool lengths_ok(size_t mic_len, size_t a_len, size_t m_len)
{
    /* B.4.1.1: l(a) < 2^16 - 2^8 uses the 2-octet form, the only one 802.15.4 frames
     * need; l(m) < 2^(8L). */
    return (mic_len == 0 || mic_len == 4 || mic_len == 8 || mic_len == 16) && a_len < 0xff00u && m_len <= 0xffffu;
}

/* B.4.1.2 authentication: T = first M octets of CBC-MAC over B0 | L(a) a pad | m pad,
 * B0 = Flags | Nonce | l(m), Flags = Adata<<6 | M'<<3 | L', M' = (M-2)/2, L' = L-1. */
static bool cbc_mac(gcry_cipher_hd_t h, const uint8_t nonce[EK_SEC_NONCE_LEN], size_t mic_len, const uint8_t *a,
                    size_t a_len, const uint8_t *m, size_t m_len, uint8_t tag[BLK])
{
    uint8_t x[BLK], b[BLK];
    b[0] = (uint8_t)((a_len ? 0x40 : 0) | (((mic_len - 2) / 2) << 3) | (L_FIELD - 1));
    memcpy(b + 1, nonce, EK_SEC_NONCE_LEN);
    b[14] = (uint8_t)(m_len >> 8);
    b[15] = (uint8_t)m_len;
    if (!aes_block(h, x, b))
        return false;
    /* AddAuthData: L(a) (2 octets BE) | a, zero-padded to a block multiple */
    size_t ai = 0, fill = 0;
    if (a_len) {
        memset(b, 0, BLK);
        b[0] = (uint8_t)(a_len >> 8);
        b[1] = (uint8_t)a_len;
        fill = 2;
        while (ai < a_len || fill) {
            while (fill < BLK && ai < a_len)
                b[fill++] = a[ai++];
            for (int i = 0; i < BLK; i++)
                x[i] ^= b[i];
            if (!aes_block(h, x, x))
                return false;
            memset(b, 0, BLK);
            fill = 0;
        }
    }
    /* PlaintextData: m, zero-padded */
    for (size_t mi = 0; mi < m_len; mi += BLK) {
        size_t n = m_len - mi < BLK ? m_len - mi : BLK;
        for (size_t i = 0; i < n; i++)
            x[i] ^= m[mi + i];
        if (!aes_block(h, x, x))
            return false;
    }
    memcpy(tag, x, BLK);
    return true;
}

/* B.4.1.3 encryption: A_i = Flags(L') | Nonce | i (2 octets BE), S_i = E(K, A_i);
 * C = m xor S_1 S_2 ...; U = T xor first M octets of S_0. */
static bool ctr_block(gcry_cipher_hd_t h, const uint8_t nonce[EK_SEC_NONCE_LEN], unsigned i, uint8_t s[BLK])
{
    uint8_t a[BLK];
    a[0] = L_FIELD - 1;
    memcpy(a + 1, nonce, EK_SEC_NONCE_LEN);
    a[14] = (uint8_t)(i >> 8);
    a[15] = (uint8_t)i;
    return aes_block(h, s, a);
}

static bool ctr_xor(gcry_cipher_hd_t h, const uint8_t nonce[EK_SEC_NONCE_LEN], uint8_t *m, size_t m_len)
{
    uint8_t s[BLK];
    for (size_t mi = 0; mi < m_len; mi += BLK) {
        if (!ctr_block(h, nonce, (unsigned)(mi / BLK + 1), s))
            return false;
        size_t n = m_len - mi < BLK ? m_len - mi : BLK;
        for (size_t i = 0; i < n; i++)
            m[mi + i] ^= s[i];
    }
    return true;
}

bool ek_ccmstar_encrypt(const uint8_t key[EK_SEC_KEY_LEN], const uint8_t nonce[EK_SEC_NONCE_LEN], size_t mic_len,
                        const uint8_t *a, size_t a_len, uint8_t *m, size_t m_len, uint8_t *mic)
{
    gcry_cipher_hd_t h;
    if (!lengths_ok(mic_len, a_len, m_len) || !aes_open(&h, key))
        return false;
    bool ok = true;
    if (mic_len) {
        uint8_t t[BLK], s0[BLK];
        ok = cbc_mac(h, nonce, mic_len, a, a_len, m, m_len, t) && ctr_block(h, nonce, 0, s0);
        if (ok)
            for (size_t i = 0; i < mic_len; i++)
                mic[i] = t[i] ^ s0[i];
    }
    ok = ok && ctr_xor(h, nonce, m, m_len);
    gcry_cipher_close(h);
    return ok;
}

bool ek_ccmstar_decrypt(const uint8_t key[EK_SEC_KEY_LEN], const uint8_t nonce[EK_SEC_NONCE_LEN], size_t mic_len,
                        const uint8_t *a, size_t a_len, uint8_t *c, size_t c_len, const uint8_t *mic)
{
    gcry_cipher_hd_t h;
    if (!lengths_ok(mic_len, a_len, c_len) || !aes_open(&h, key))
        return false;
    bool ok = ctr_xor(h, nonce, c, c_len);
    if (ok && mic_len) {
        uint8_t t[BLK], s0[BLK];
        ok = cbc_mac(h, nonce, mic_len, a, a_len, c, c_len, t) && ctr_block(h, nonce, 0, s0);
        uint8_t diff = ok ? 0 : 1;
        for (size_t i = 0; i < mic_len; i++) /* constant time over the tag */
            diff |= (uint8_t)(t[i] ^ s0[i] ^ mic[i]);
        ok = diff == 0;
        if (!ok && c_len)
            memset(c, 0, c_len);
    }
    gcry_cipher_close(h);
    return ok;
}
