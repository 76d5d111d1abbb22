/* SPDX-License-Identifier: BSD-3-Clause */
/* Deterministic frame generator for the benchmark capture and the fuzz seeds: the
 * i-th frame of a fixed mix (EBs with TSCH IEs and the RFC 9032 Join-Info IE, RPL
 * DIO/DIS/DAO, UDP data, a few malformed), built with the codec encoders only. */
#ifndef EK_BENCH_FRAMEGEN_H
#define EK_BENCH_FRAMEGEN_H

#include <stddef.h>
#include <stdint.h>

#include "ek/profile.h"

typedef enum ek_gen_kind {
    EK_GEN_EB = 0,  /* Enhanced Beacon: TSCH Sync/Timeslot/Hopping/Slotframe + Join-Info */
    EK_GEN_DIO,     /* DIO: DODAG Configuration + MEP option (prof layout) [+ PIO] */
    EK_GEN_DIS,
    EK_GEN_DAO,     /* DAO with Target + Transit */
    EK_GEN_DATA,    /* IPHC + UDP NHC data frame */
    EK_GEN_BAD,     /* malformed: cut short / bad FCS / bad option length */
    EK_GEN_KINDS
} ek_gen_kind;

/* Kind of frame i in the mix (20 % EB, 25 % DIO, 10 % DIS, 15 % DAO, ~29 % data,
 * 1 % malformed). */
ek_gen_kind ek_gen_kind_of(uint64_t i);
const char *ek_gen_kind_name(ek_gen_kind k);

/* Writes the PSDU (MPDU + correct CRC-16/KERMIT FCS, except for deliberately bad
 * ones) of frame i into buf.  Returns its length, 0 on an encoder failure (bug). */
size_t ek_gen_frame(uint64_t i, const ek_profile *prof, uint8_t *buf, size_t cap);

#endif /* EK_BENCH_FRAMEGEN_H */
