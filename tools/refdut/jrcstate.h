/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut --role jrc --jrc-state FILE: the JRC's persistent memory (RFC 9031 §7.3.1:
 * the sender sequence numbers and replay windows of its OSCORE contexts), one file that
 * outlives the process. */
#ifndef EK_REFDUT_JRCSTATE_H
#define EK_REFDUT_JRCSTATE_H

#include <stddef.h>

#include "ek/refnode.h"

/* Loads the record when the file exists.  0 (also: no file yet), -1 with err. */
int ek_jrcstate_load(ek_refnode *n, const char *path, char *err, size_t errlen);
/* Writes the node's record: a temporary file renamed over path (never half written).
 * 0, -1 with err. */
int ek_jrcstate_save(const ek_refnode *n, const char *path, char *err, size_t errlen);

#endif /* EK_REFDUT_JRCSTATE_H */
