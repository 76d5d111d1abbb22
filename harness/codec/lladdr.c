/* SPDX-License-Identifier: BSD-3-Clause */
/* Text forms of link-layer addresses (EUI-64, IEEE 802.15.4-2015 §7.2.2.9 extended
 * address) for command lines and profile files. */
#include "ek/lladdr.h"

#include <limits.h>

int ek_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ek_hex_octets(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (*s) {
        if (n > 0 && (*s == ':' || *s == '-'))
            s++;
        int hi = ek_hex_digit((unsigned char)s[0]), lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)s[1]);
        if (hi < 0 || lo < 0 || n == max || n > INT_MAX - 1)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    return (int)n;
}

bool ek_eui64_parse(const char *s, uint8_t ext[8])
{
    uint8_t tmp[8];
    char sep = 0;
    for (int i = 0; i < 8; i++) {
        int hi = ek_hex_digit((unsigned char)s[0]), lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)s[1]);
        if (hi < 0 || lo < 0)
            return false;
        tmp[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (i == 7)
            break;
        if (*s != ':' && *s != '-')
            return false;
        if (sep && *s != sep)
            return false; /* one separator throughout */
        sep = *s++;
    }
    if (*s != '\0')
        return false;
    memcpy(ext, tmp, 8);
    return true;
}
