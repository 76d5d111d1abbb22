/* SPDX-License-Identifier: BSD-3-Clause */
/* Link-type decapsulation: pcap record -> IEEE 802.15.4 MPDU (+FCS) and capture
 * metadata, for LINKTYPE 195/230/283 and ZEP over UDP (port 17754) carried in
 * Ethernet, Linux cooked v1/v2, raw IP and BSD loopback (tcpdump.org link-layer
 * header types; IEEE 802.15.4 TAP; Wireshark packet-zep.c).  Pure: no I/O.
 * ek_cap_encap mirrors it. */
#ifndef EK_DECAP_H
#define EK_DECAP_H

#include "ek/base.h"
#include "ek/tap.h"
#include "ek/wr.h"
#include "ek/zep.h"

/* Link types as pcap_datalink() reports them (DLT_*) and as files carry them
 * (LINKTYPE_*); where the two differ both are listed. */
#define EK_LT_NULL 0          /* 4-octet AF in the capturing host's byte order */
#define EK_LT_EN10MB 1        /* Ethernet II, optional 802.1Q tag */
#define EK_LT_DLT_RAW_12 12   /* DLT_RAW on most platforms (libpcap maps 101 to it) */
#define EK_LT_DLT_RAW_14 14   /* DLT_RAW on OpenBSD */
#define EK_LT_RAW 101         /* LINKTYPE_RAW: bare IPv4/IPv6 */
#define EK_LT_LOOP 108        /* OpenBSD loopback: 4-octet AF, network order */
#define EK_LT_LINUX_SLL 113   /* Linux cooked v1, 16-octet header */
#define EK_LT_IEEE802_15_4_WITHFCS 195
#define EK_LT_IPV4 228
#define EK_LT_IPV6 229
#define EK_LT_IEEE802_15_4_NOFCS 230
#define EK_LT_LINUX_SLL2 276  /* Linux cooked v2, 20-octet header */
#define EK_LT_IEEE802_15_4_TAP 283

#define EK_CAP_ZEP_PORT 17754 /* IANA "zep"; Wireshark decodes it on either side */

#define EK_ETHERTYPE_IPV4 0x0800
#define EK_ETHERTYPE_IPV6 0x86dd
#define EK_ETHERTYPE_VLAN 0x8100
#define EK_IPPROTO_UDP 17

/* What sits after the MPDU. */
typedef enum ek_cap_fcs_kind {
    EK_CAP_FCS_NONE = 0,
    EK_CAP_FCS_CRC16,   /* IEEE 802.15.4-2015 §7.2.10, CRC-16/KERMIT */
    EK_CAP_FCS_CRC32,   /* 4-octet FCS (SUN PHYs), from TAP FCS type 2 */
    EK_CAP_FCS_CC24XX   /* ZEP LQI mode: RSSI, CRC-ok|correlation; not an FCS */
} ek_cap_fcs_kind;

typedef enum ek_cap_encap_kind {
    EK_CAP_WPAN = 0,    /* 195 / 230: the record is the PSDU */
    EK_CAP_TAP,         /* 283 */
    EK_CAP_ZEP          /* ZEP datagram inside a carrier link type */
} ek_cap_encap_kind;

typedef struct ek_cap_frame {
    int linktype;
    ek_cap_encap_kind encap;
    ek_view mpdu;            /* MAC header + payload, never the FCS */
    size_t mpdu_offset;      /* offset of mpdu.p[0] in the record */
    ek_view psdu;            /* mpdu + trailer (FCS / CC24xx), contiguous */
    bool fcs_present;        /* a real FCS follows the MPDU (CRC16 or CRC32) */
    ek_cap_fcs_kind fcs_kind;
    uint32_t fcs;            /* trailer value, little-endian as sent */
    ek_view trailer;         /* the FCS or CC24xx octets */
    bool fcs_checked, fcs_ok;/* CRC16 only: KERMIT over mpdu == fcs */
    /* Carrier (ZEP): */
    uint8_t ip_version;      /* 4 or 6 */
    uint16_t udp_sport, udp_dport;
    size_t zep_offset;
    bool has_zep;
    ek_zep zep;              /* channel, lqi, seq, NTP time, mode ... */
    bool has_tap;
    ek_tap tap;              /* ASN, channel, RSS, LQI ... */
    /* A record captured short (pcap caplen < len, e.g. a snap length): */
    bool truncated;          /* record.len < the original length */
    size_t orig_len;         /* the record's original length (record.len when whole) */
    size_t mpdu_len;         /* the MPDU's length on the wire; mpdu.len when whole,
                                more when the cut fell inside the MPDU */
} ek_cap_frame;

/* Decapsulates one record of `linktype`.  Offsets in errors count from record[0].
 * Returns EK_OK; TRUNCATED; MALFORMED ("ip.version", "zep.preamble", ...);
 * UNSUPPORTED "pcap.linktype", "eth.type", "ip.proto", "ipv6.nxt", "udp.port"
 * (not ZEP), "zep.type" (v2 / v3 Ack: no MPDU; out->has_zep and out->zep filled).  On MALFORMED
 * "zep.length" (octets after the ZEP frame) *out is complete and usable. */
EK_NODISCARD ek_status ek_cap_decap(int linktype, ek_view record, ek_cap_frame *out, ek_err *err);

/* The same for a record of which only record.len of orig_len octets were captured
 * (pcap caplen < len; orig_len <= record.len decodes as ek_cap_decap).  Then no FCS
 * is taken from the captured octets unless the whole FCS was captured (fcs_present
 * false otherwise), carrier lengths (IPv4 / IPv6 / UDP) are cut to what was captured,
 * mpdu is what was captured of the MPDU and mpdu_len its length on the wire.  A
 * TRUNCATED error whose read needed octets past record.len is the cut, not a fault of
 * the frame (ek_cap_cut_err tells which). */
EK_NODISCARD ek_status ek_cap_decap_captured(int linktype, ek_view record, size_t orig_len, ek_cap_frame *out,
                                             ek_err *err);

/* True when err is a TRUNCATED error that the end of captured data (captured octets
 * of the record) explains. */
bool ek_cap_cut_err(const ek_err *err, size_t captured);

/* Carrier and ZEP settings for ek_cap_encap. */
typedef struct ek_cap_encap_opts {
    bool ipv4;               /* ZEP over IPv4 (127.0.0.1) instead of IPv6 (::1) */
    uint16_t udp_sport, udp_dport;
    uint8_t zep_version;     /* 1, 2 or 3 (Data) */
    uint8_t zep_mode;        /* EK_ZEP_MODE_CRC / _LQI */
    uint8_t channel, lqi;
    uint16_t device_id;
    uint32_t seq, ntp_sec, ntp_frac;
    const ek_tap *tap;       /* 283: extra TLVs (payload/has_fcs_type ignored) */
} ek_cap_encap_opts;

/* RIOT-compatible defaults: IPv6, ports 17754/17754, ZEP v2 Data, CRC mode,
 * channel 26, LQI 0xff, seq 0, no TAP TLVs. */
void ek_cap_encap_opts_default(ek_cap_encap_opts *o);

/* Builds one record of `linktype` around `mpdu` (opts NULL = defaults).
 * add_fcs: append a correct CRC-16/KERMIT FCS (195: without it `mpdu` must already
 * end in its own FCS; 230 ignores it; 283 then adds FCS-type TLV 1; ZEP appends it
 * as the 2 trailing octets, else `mpdu` must end in its own 2 trailing octets).
 * With add_fcs false the bytes are written as given (vectors with a bad FCS).
 * UNSUPPORTED "pcap.linktype"; MALFORMED "zep.length"; NOSPACE. */
EK_NODISCARD ek_status ek_cap_encap(int linktype, ek_view mpdu, bool add_fcs,
                                    const ek_cap_encap_opts *opts, ek_buf *out, ek_err *err);

/* True for every link type ek_cap_decap understands. */
bool ek_cap_linktype_supported(int linktype);
/* "IEEE802_15_4_WITHFCS", "EN10MB", ... or "unknown". */
const char *ek_cap_linktype_name(int linktype);

#endif /* EK_DECAP_H */
