/* SPDX-License-Identifier: BSD-3-Clause */
/* Seeded xorshift generators for the unit tests' randomized round trips and damage
 * sweeps (Marsaglia 2003).  The caller owns the state, so a fixed seed replays the same
 * cases on every run and every machine; rand() would not. */
#ifndef EK_TEST_RNG_H
#define EK_TEST_RNG_H

#include <stdint.h>

/* xorshift32 (13, 17, 5); *s must not be 0. */
static inline uint32_t ek_test_xorshift32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* xorshift64 (13, 7, 17), low 32 bits returned; *s must not be 0. */
static inline uint32_t ek_test_xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)*s;
}

#endif /* EK_TEST_RNG_H */
