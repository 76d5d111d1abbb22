/* SPDX-License-Identifier: BSD-3-Clause */
/* Named link-layer keys and key lookup by the Auxiliary Security Header's Key
 * Identifier (IEEE 802.15.4-2015 §9.4.4, simplified §9.2.2 KeyDescriptor lookup).
 * RFC 8180 §4.6 names K1 (EBs) and K2 (data, ACKs) but publishes no key values. */
#include <stdio.h>
#include <string.h>

#include "ek/lladdr.h"
#include "ek/sec.h"

typedef struct named {
    const char *name;
    uint8_t key[EK_SEC_KEY_LEN];
    uint8_t kim, index;
} named;

static const named NAMED[] = {
    /* ASCII "6TiSCH minimal15": Contiki-NG os/net/mac/tsch/tsch-security.h
     * TSCH_SECURITY_K1 and OpenWSN's K1; EBs at level 1, KIM 1, key index 1 (RFC 8180
     * §4.6 roles; index per Contiki-NG TSCH_SECURITY_KEY_INDEX_EB). */
    { "K1-minimal15", { '6', 'T', 'i', 'S', 'C', 'H', ' ', 'm', 'i', 'n', 'i', 'm', 'a', 'l', '1', '5' }, 1, 1 },
    /* Contiki-NG's example TSCH_SECURITY_K2 (an example, not a standard value). */
    { "K2-contiki",
      { 0xde, 0xad, 0xbe, 0xef, 0xfa, 0xce, 0xca, 0xfe, 0xde, 0xad, 0xbe, 0xef, 0xfa, 0xce, 0xca, 0xfe },
      1, 2 },
    /* IEEE 802.15.4-2015 Annex C.2 (also 2006 Annex C.2): key C0..CF, implicit. */
    { "annex-c",
      { 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf },
      0, 0 },
};

static const char *const NAMES[] = { "K1-minimal15", "K2-contiki", "annex-c", NULL };

const char *const *ek_sec_key_names(void)
{
    return NAMES;
}

void ek_sec_key_make(ek_sec_key *out, const char *name, const uint8_t key[EK_SEC_KEY_LEN], uint8_t key_index)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    memcpy(out->key, key, EK_SEC_KEY_LEN);
    out->key_id_mode = 1;
    out->key_index = key_index;
}

bool ek_sec_key_named(const char *name, ek_sec_key *out)
{
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        if (strcmp(name, NAMED[i].name) == 0) {
            ek_sec_key_make(out, NAMED[i].name, NAMED[i].key, NAMED[i].index);
            out->key_id_mode = NAMED[i].kim;
            if (NAMED[i].kim == 0) /* the Annex C.2.2 example is level 4 */
                out->allowed_levels = 0xFE;
            return true;
        }
    }
    return false;
}

bool ek_sec_key_parse_hex(const char *text, uint8_t key[EK_SEC_KEY_LEN])
{
    uint8_t k[EK_SEC_KEY_LEN];
    char sep = 0;
    if (!text)
        return false;
    const char *p = text;
    for (int i = 0; i < EK_SEC_KEY_LEN; i++) {
        if (i > 0 && (*p == ':' || *p == '-' || *p == ' ')) {
            if (i == 1)
                sep = *p;
            if (*p != sep)
                return false;
            p++;
        } else if (i > 1 && sep) {
            return false; /* a separator, once used, is used throughout */
        }
        int hi = ek_hex_digit((unsigned char)p[0]);
        int lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)p[1]);
        if (hi < 0 || lo < 0)
            return false;
        k[i] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    if (*p != '\0')
        return false;
    memcpy(key, k, EK_SEC_KEY_LEN);
    return true;
}

void ek_sec_keyring_init(ek_sec_keyring *r)
{
    memset(r, 0, sizeof *r);
}

bool ek_sec_keyring_add(ek_sec_keyring *r, const ek_sec_key *k)
{
    if (r->n >= EK_SEC_MAX_KEYS)
        return false;
    r->k[r->n++] = *k;
    return true;
}

const ek_sec_key *ek_sec_keyring_find(const ek_sec_keyring *r, const ek_wpan_sec *sec)
{
    static const uint8_t ks_len[4] = { 0, 0, 4, 8 }; /* §9.4.4 Table 9-9 */
    if (!r || !sec)
        return NULL;
    for (unsigned i = 0; i < r->n && i < EK_SEC_MAX_KEYS; i++) {
        const ek_sec_key *k = &r->k[i];
        if (k->key_id_mode != (sec->key_id_mode & 3))
            continue;
        if (k->key_id_mode && k->key_index != sec->key_index)
            continue;
        if (memcmp(k->key_source, sec->key_source, ks_len[k->key_id_mode]) != 0)
            continue;
        return k;
    }
    return NULL;
}
