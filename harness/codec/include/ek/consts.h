/* SPDX-License-Identifier: BSD-3-Clause */
/* Wire constants shared by the codec, the tools and the Wireshark plugin.
 * Plain #defines only: dissector/ includes this header without linking the codec.
 * Every value cites the section that assigns it. */
#ifndef EK_CONSTS_H
#define EK_CONSTS_H

/* ---- Minimum Enrollment Priority RPL option (draft-ietf-roll-enrollment-priority) ----
 * The type is TBD01 in every revision (-00 .. editor's copy after -16): IANA has not
 * assigned it.  enrollkit's provisional default is 0x2A, chosen because it is far
 * above every value in the IANA "RPL Control Message Options" registry (0x00-0x09 by
 * RFC 6550 §20.4; 0x0A RFC 6997; later RFCs/drafts use the low teens).  It is a
 * setting everywhere (--ep-type, enroll.mep_option_type); a plugfest should agree one. */
#define EK_MEP_TYPE_PROVISIONAL 0x2A
#define EK_MEP_PRIO_DISABLED 0x7F /* -16 §3.1: 0x7f = enrollment off ("infinity") */
#define EK_MEP_PRIO_DEFAULT 0x40  /* -16 §4.1 / -03 §2.1: assumed when no option */
#define EK_MEP_PRIO_MASK 0x7F

/* Option data lengths (RFC 6550 §6.7.1: Length excludes Type and Length). */
#define EK_MEP_LEN_DRAFT03 1 /* -00..-03: R | min(7) */
#define EK_MEP_LEN_DRAFT04 3 /* -04..-07: exp(4) size(12) | R | min(7) */
#define EK_MEP_LEN_DRAFT09 4 /* -09: version | T min | exp(4) size(12) */
#define EK_MEP_LEN_DRAFT16 3 /* -10..-16 corrected / editor's copy: version | T min | Exp(4) Sz(4) */
#define EK_MEP_LEN_DRAFT16_ERRATUM 4 /* -10..-16 print "Opt Length = 4" for a 3-octet body */

/* ---- RFC 8137 IETF IE, RFC 9032 6tisch-Join-Info ---- */
#define EK_IE_GROUP_ESDU 0x0
#define EK_IE_GROUP_MLME 0x1
#define EK_IE_GROUP_VENDOR 0x2
#define EK_IE_GROUP_MPX 0x3
#define EK_IE_GROUP_WISUN 0x4
#define EK_IE_GROUP_IETF 0x5        /* RFC 8137 §5 */
#define EK_IE_GROUP_TERMINATION 0xF /* IEEE 802.15.4-2015 §7.4.3 */
#define EK_IETF_SUBTYPE_6P 1        /* RFC 8480 §6.1 */
#define EK_IETF_SUBTYPE_JOIN_INFO 2 /* RFC 9032 §5 (IANA-assigned) */
#define EK_IETF_SUBTYPE_6TOP_DRAFT 0xC9 /* pre-RFC 6top sub-ID still used by Contiki-NG/OpenWSN */
#define EK_JI_MIN_LEN 5             /* RFC 9032 §2: subtype(1) + flags/prio(3) + PAN prio(1) */
#define EK_JI_IID_LEN 8             /* RFC 9032 §2: Join Proxy IID, present iff P=1 */
#define EK_JI_NETID_MAX 16          /* RFC 9032 §2: network ID up to 16 bytes */
#define EK_JI_PROXY_NOT_JP 0x7F     /* RFC 9032 §2: never a viable Join Proxy */

/* ---- IEEE 802.15.4-2015 ---- */
#define EK_WPAN_FT_BEACON 0
#define EK_WPAN_FT_DATA 1
#define EK_WPAN_FT_ACK 2
#define EK_WPAN_FT_CMD 3
#define EK_WPAN_VER_2003 0
#define EK_WPAN_VER_2006 1
#define EK_WPAN_VER_2015 2
#define EK_WPAN_AM_NONE 0
#define EK_WPAN_AM_SHORT 2
#define EK_WPAN_AM_EXT 3
#define EK_HIE_HT1 0x7E /* §7.4.2.18: header termination 1 (payload IEs follow) */
#define EK_HIE_HT2 0x7F /* §7.4.2.18: header termination 2 (payload follows) */
#define EK_MLME_TSCH_SYNC 0x1A
#define EK_MLME_TSCH_SLOTFRAME_LINK 0x1B
#define EK_MLME_TSCH_TIMESLOT 0x1C
#define EK_MLME_CHANNEL_HOPPING 0x9 /* long sub-IE */

/* ---- RFC 6550 RPL ---- */
#define EK_ICMP6_TYPE_RPL 155
#define EK_RPL_CODE_DIS 0x00
#define EK_RPL_CODE_DIO 0x01
#define EK_RPL_CODE_DAO 0x02
#define EK_RPL_CODE_DAO_ACK 0x03
#define EK_RPL_CODE_SECURE 0x80
#define EK_RPL_OPT_PAD1 0x00
#define EK_RPL_OPT_PADN 0x01
#define EK_RPL_OPT_METRIC 0x02
#define EK_RPL_OPT_ROUTE_INFO 0x03
#define EK_RPL_OPT_DODAG_CONF 0x04
#define EK_RPL_OPT_TARGET 0x05
#define EK_RPL_OPT_TRANSIT 0x06
#define EK_RPL_OPT_SOLICITED 0x07
#define EK_RPL_OPT_PREFIX_INFO 0x08
#define EK_RPL_OPT_TARGET_DESC 0x09

/* ---- link types and encapsulations ---- */
#define EK_DLT_IEEE802_15_4_WITHFCS 195
#define EK_DLT_IEEE802_15_4_NOFCS 230
#define EK_DLT_IEEE802_15_4_TAP 283
#define EK_ZEP_UDP_PORT 17754

#endif /* EK_CONSTS_H */
