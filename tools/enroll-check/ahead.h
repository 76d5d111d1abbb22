/* SPDX-License-Identifier: BSD-3-Clause */
/* Decode ahead: the records of several capture files, merged by time (the earliest
 * first; ties in argument order), read and decoded by a second thread into a ring of
 * frames while the caller judges the ones before them.  Judging and decoding then take
 * about as long as the slower of the two, not their sum.  The order, the frames and so
 * the verdicts are those of a plain loop (threads = 1 runs that loop). */
#ifndef EK_CHECK_AHEAD_H
#define EK_CHECK_AHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/frame.h"
#include "ek/profile.h"

typedef struct ek_ahead ek_ahead;

/* One record, decoded. */
typedef struct ek_ahead_frame {
    ek_frame f;
    ek_status st;                  /* ek_cap_decode_record's */
    bool fcs_ok;                   /* no FCS, or a correct one */
    uint64_t t_ns;                 /* capture time */
    const uint8_t *mpdu;           /* NULL when none was found */
    size_t mpdu_len;
} ek_ahead_frame;

/* Opens every file (an unreadable one is reported on stderr and skipped; so is a link
 * type the codec does not support, whose frames are still handed over) and starts
 * decoding.  threads: 1 = in the caller's thread, 2 = a decoding thread.  NULL when out
 * of memory. */
ek_ahead *ek_ahead_open(char **paths, int n, const ek_profile *prof, unsigned threads);
/* The next frame with an MPDU (ZEP Acks are skipped), valid until the next call; NULL
 * at the end. */
const ek_ahead_frame *ek_ahead_next(ek_ahead *a);
/* Stops (also before the end), closes the files and frees; returns 2 when a file could
 * not be opened or read, else 0. */
int ek_ahead_close(ek_ahead *a);

#endif /* EK_CHECK_AHEAD_H */
