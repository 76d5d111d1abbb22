/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the run-report writers (not installed). */
#ifndef EK_RR_INTERNAL_H
#define EK_RR_INTERNAL_H

#include <stddef.h>

#include "ek/engine.h"

/* Copies s into out as valid UTF-8 without C0 controls other than \t \n (XML 1.0 §2.2
 * Char): invalid sequences and other controls become '?'.  Always terminates out. */
void ek_rr_clean_utf8(const char *s, char *out, size_t outlen);
/* Copies at most `cols` characters (UTF-8 aware) of s, ending in "..." when cut. */
void ek_rr_cut(const char *s, size_t cols, char *out, size_t outlen);
/* Number of UTF-8 characters in s. */
size_t ek_rr_cols(const char *s);

/* A step's word: "not run", "done" (ran without a check: an injection), or the
 * verdict word. */
const char *ek_rr_step_word(const ek_step_result *s);

#endif /* EK_RR_INTERNAL_H */
