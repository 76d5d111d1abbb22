/* SPDX-License-Identifier: BSD-3-Clause */
/* An IEEE 802.15.4 link-layer address as the upper layers need it: the MAC codec
 * fills it, 6LoWPAN derives IIDs from it (RFC 6282 §3.2.2, RFC 4944 §6). */
#ifndef EK_LLADDR_H
#define EK_LLADDR_H

#include "ek/base.h"

typedef struct ek_lladdr {
    uint8_t mode;        /* EK_WPAN_AM_NONE / _SHORT / _EXT (IEEE 802.15.4-2015 §7.2.2.9) */
    uint16_t short_addr; /* valid when mode == short */
    uint8_t ext[8];      /* valid when mode == ext; canonical EUI-64 order (00:12:4b:..),
                            i.e. the reverse of the on-air little-endian order */
} ek_lladdr;

/* Value of one hexadecimal digit (either case), -1 for anything else. */
int ek_hex_digit(int c);
/* Octets as pairs of hex digits ("deadbeef", "de:ad:be:ef", "de-ad-be-ef": one ':' or
 * '-' allowed between two octets): how many went to out (at most max), or -1 when text is
 * not that or holds more than max octets. */
int ek_hex_octets(const char *text, uint8_t *out, size_t max);
/* "02:00:5e:ef:00:00:00:01" (or '-' separated; one separator throughout) in canonical
 * order into ext; false, ext untouched, for anything else.  Shared by every front end
 * and the DUT profile so an address is spelled one way everywhere. */
bool ek_eui64_parse(const char *text, uint8_t ext[8]);

#endif /* EK_LLADDR_H */
