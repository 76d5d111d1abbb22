/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 2-octet FCS (IEEE 802.15.4-2015 §7.2.10): CRC-16/KERMIT, polynomial
 * x^16+x^12+x^5+1 processed reflected (0x8408), init 0, no final XOR, sent LSB first.
 * Check value of "123456789" = 0x2189 (the CRC-16/KERMIT catalogue value). */
#ifndef EK_FCS_H
#define EK_FCS_H

#include "ek/base.h"
#include "ek/wr.h"

#define EK_FCS16_LEN 2

/* CRC-16/KERMIT over the whole MPDU (MHR + MAC payload, MIC included; FCS excluded). */
uint16_t ek_fcs16(ek_view mpdu);
/* True iff mpdu_with_fcs is >= 2 octets and its last 2 octets (LSB first) match. */
bool ek_fcs16_check(ek_view mpdu_with_fcs);
/* Appends the FCS of everything already in b.  Returns false (NOSPACE sticks in b)
 * if it does not fit or b already overflowed. */
bool ek_fcs16_append(ek_buf *b);

#endif /* EK_FCS_H */
