/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-compat.h
 * The one place where the plugin meets differences between Wireshark 4.0, 4.2, 4.4 and
 * 4.6.  The dissector is written against the newest API; older releases get thin
 * aliases here, so no version #if appears in packet-enroll.c outside this header.
 */
#ifndef ENROLL_COMPAT_H
#define ENROLL_COMPAT_H

#include <ws_version.h>

#define ENROLL_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* 4.4 switched boolean preferences and ret_boolean to C99 bool (ws_version.h 4.4). */
#if ENROLL_WS_AT_LEAST(4, 4)
typedef bool enroll_bool_t;
#else
typedef gboolean enroll_bool_t;
#endif

/* 4.4 renamed the tvb accessors to C99 integer names and deprecated the glib ones
 * (epan/tvbuff.h); before 4.4 only the glib names exist. */
#if !ENROLL_WS_AT_LEAST(4, 4)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* 4.0/4.2 decode only the pre-RFC 6top sub-ID 0xC9; 4.4 decodes any IETF IE as 6P
 * (packet-ieee802154.c dissect_ietf_ie), so the relabel is only needed before. */
#define ENROLL_NEED_6P_RELABEL (!ENROLL_WS_AT_LEAST(4, 4))

#endif /* ENROLL_COMPAT_H */
