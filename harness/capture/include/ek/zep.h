/* SPDX-License-Identifier: BSD-3-Clause */
/* ZigBee Encapsulation Protocol (ZEP) v1 / v2 and v3 Data / v2 and v3 Ack, as
 * Wireshark's packet-zep.c and RIOT socket_zep speak it (ZEP has no RFC; packet-zep.c
 * decodes every version above 2 with the v2 layout).  Pure codec: no I/O, views into the input. */
#ifndef EK_ZEP_H
#define EK_ZEP_H

#include "ek/base.h"
#include "ek/wr.h"

#define EK_ZEP_V1_HDR_LEN 16      /* 'E' 'X' ver chan devid(2) mode lqi res(7) len */
#define EK_ZEP_V2_DATA_HDR_LEN 32 /* ... ntp(8) seq(4) res(10) len */
#define EK_ZEP_V2_ACK_LEN 8       /* 'E' 'X' 2 2 seq(4) */
#define EK_ZEP_TYPE_DATA 1
#define EK_ZEP_TYPE_ACK 2
#define EK_ZEP_MODE_LQI 0         /* trailing 2 octets: CC24xx RSSI, CRC-ok|corr */
#define EK_ZEP_MODE_CRC 1         /* trailing 2 octets: the 802.15.4 FCS */
#define EK_ZEP_LENGTH_MASK 0x7f   /* Length: low 7 bits, trailing 2 octets included */
#define EK_ZEP_TRAILER_LEN 2

/* One ZEP datagram.
 *   v1:      45 58 | 01 | chan | devid(BE16) | mode | lqi | res(7) | len | PSDU
 *   v2 Data: 45 58 | 02 | 01 | chan | devid(BE16) | mode | lqi | ntp s(BE32) f(BE32)
 *            | seq(BE32) | res(10) | len | PSDU
 *   v2 Ack:  45 58 | 02 | 02 | seq(BE32)
 *   v3:      as v2, version octet 03 (Data 32-octet header, Ack 8 octets)
 * psdu = the `length` octets after the header: MPDU + 2 trailing octets (FCS in CRC
 * mode, CC24xx metadata in LQI mode). */
typedef struct ek_zep {
    uint8_t version;      /* 1, 2 or 3 */
    uint8_t type;         /* v2 / v3: EK_ZEP_TYPE_*; v1: EK_ZEP_TYPE_DATA (implicit) */
    uint8_t channel;
    uint16_t device_id;
    uint8_t mode;         /* EK_ZEP_MODE_LQI / _CRC (the whole octet) */
    uint8_t lqi;
    uint32_t ntp_sec;     /* v2 / v3 only: seconds since 1900 (NTP, RFC 5905 §6) */
    uint32_t ntp_frac;    /* v2 / v3 only: 2^-32 s */
    uint32_t seq;         /* v2 / v3 only */
    uint8_t length;       /* decoded Length (low 7 bits); computed by the encoder */
    uint8_t length_hi;    /* decoded bit 7 of the Length octet (reserved) */
    ek_view psdu;         /* Data: MPDU + 2 trailing octets */
    size_t psdu_offset;   /* absolute offset of psdu.p[0] */
    ek_view extra;        /* bytes after psdu (decode only; non-empty => MALFORMED) */
} ek_zep;

/* Decodes one datagram (UDP payload).  `origin` = offset of in.p[0] in the record.
 * Returns EK_OK; TRUNCATED; MALFORMED "zep.preamble"/"zep.length"; UNSUPPORTED
 * "zep.version"/"zep.type".  On MALFORMED "zep.length" because octets follow the
 * PSDU (Wireshark then rejects the datagram, RIOT drops it) *out is complete. */
EK_NODISCARD ek_status ek_zep_decode(ek_view in, size_t origin, ek_zep *out, ek_err *err);

/* Writes header + psdu; Length = psdu.len (2..127 for Data; Ack has no psdu);
 * version 1, 2 or 3 (3 with the v2 layout).
 * MALFORMED "zep.version"/"zep.type"/"zep.length" for what it cannot emit validly. */
EK_NODISCARD ek_status ek_zep_encode(const ek_zep *in, ek_buf *out, ek_err *err);
size_t ek_zep_encoded_len(const ek_zep *in);

/* What RIOT socket_zep accepts: v2 Data, mode CRC,
 * LQI 0xff, seq 0, given channel; psdu must carry a correct KERMIT FCS. */
void ek_zep_init_data(ek_zep *z, uint8_t channel, ek_view psdu);

#endif /* EK_ZEP_H */
