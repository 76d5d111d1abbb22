/* SPDX-License-Identifier: BSD-3-Clause */
/* The TD registry: the single source of truth for what enrollkit tests.  enroll-harness
 * --list prints it and docs/test-descriptions.md is generated from it (CI checks the
 * file is current). */
#ifndef EK_SUITES_H
#define EK_SUITES_H

#include <stdio.h>

#include "ek/td.h"

/* Every TD, in run order (tolerance and malformed input first, then propagation,
 * adoption, ..., then the attack scenarios). */
const ek_td *const *ek_suites_all(size_t *n);
/* By stable ID ("TP-EP-06"), case-sensitive; NULL if unknown. */
const ek_td *ek_suites_find(const char *id);

typedef struct ek_suite_info {
    const char *name;          /* "default", "ep", "eb", "attack" */
    const char *summary;
} ek_suite_info;
const ek_suite_info *ek_suites_list(size_t *n);
/* TDs of a suite ("default" = all) into out (capacity cap); returns the count, or -1 if
 * the suite is unknown. */
int ek_suites_select(const char *suite, const ek_td **out, size_t cap);

/* Markdown of the whole registry (docs/test-descriptions.md), deterministic. */
void ek_suites_write_markdown(FILE *o);
/* One line per TD: "TP-EP-06  ep  draft-09,draft-16  EP-13, EP-15  title". */
void ek_suites_write_list(FILE *o);

#endif /* EK_SUITES_H */
