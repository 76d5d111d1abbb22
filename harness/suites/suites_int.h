/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to harness/suites: initializer helpers for the const TD tables, the shared
 * predicates and stimulus tweaks (suites_common.c), and the per-file TD arrays. */
#ifndef EK_SUITES_INT_H
#define EK_SUITES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ek/engine.h"
#include "ek/suites.h"

/* Brace forms of the EK_MS/EK_IMIN/... durations: td.h's compound literals are not
 * constant expressions in ISO C11 static initializers (-pedantic). */
#define D_MS(x) { (x), EK_T_MS }
#define D_IMIN(x) { (x), EK_T_IMIN }
#define D_IMAX(x) { (x), EK_T_IMAX }
#define D_EB(x) { (x), EK_T_EB }
#define D_HALF_IMAX(x) { (x), EK_T_HALF_IMAX }
#define D_ACK(x) { (x), EK_T_ACK }
#define D_JOIN(x) { (x), EK_T_JOIN }
/* How long a DUT may take to answer (or relay the answer to) a Confirmable CoAP request:
 * until the requester gives up, MAX_TRANSMIT_WAIT = ACK_TIMEOUT x (2^(MAX_RETRANSMIT + 1)
 * - 1) x ACK_RANDOM_FACTOR = 46.5 ACK_TIMEOUT (RFC 7252 §4.8.2), rounded up.  CoAP sets
 * no earlier deadline (a server may even answer separately, §5.2.2), so a step that FAILs
 * a DUT for not answering waits this long; the first answer ends it. */
#define D_EXCHANGE D_ACK(47)
/* An answer a TD only needs as a precondition (INCONC without it): two ACK_TIMEOUTs, by
 * when the requester would have retransmitted; a DUT that takes longer is not judged on
 * it, and a DUT that never answers does not cost 47 ACK_TIMEOUTs per TD. */
#define D_ANSWER_PRECOND D_ACK(2)
/* The longest legal wait for the next DIO of a Trickle timer at Imax: 1.5 Imax
 * (RFC 6206 §4.2: a transmission anywhere in [I/2, I) of each interval). */
#define D_NEXT_DIO D_HALF_IMAX(3)
/* Moving to a much better parent: when a node uses a new neighbour is its own policy
 * (RFC 6550 §8.2.1; §14: a candidate may need to pass validation, e.g. link statistics
 * from more of its DIOs), so it may take the new parent's next two DIOs (every Imax),
 * as a join may (W_JOIN_DIO), then the next DIO of its own: 2 Imax + 1.5 Imax.  The
 * DIO ends the step, so the length costs only a DUT that never moves. */
#define D_PARENT_SWITCH D_HALF_IMAX(7)

#define P03 EK_PROF(EK_MEP_DRAFT03)
#define P04 EK_PROF(EK_MEP_DRAFT04)
#define P09 EK_PROF(EK_MEP_DRAFT09)
#define P16 EK_PROF(EK_MEP_DRAFT16)
#define P_UNVERSIONED (P03 | P04)

/* A 6LR that is also a Join Proxy and implements the option (DUT profile "dio, eb, mep"). */
#define NEEDS_JP (EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP)

/* The parent's periodic DIO period: one Imax.  Every INJECT sends at once, so the
 * repetitions only keep the parent alive; at most about one of them falls in any DUT
 * Trickle interval, so the harness's own DIOs never reach the DUT's redundancy
 * constant k and never suppress the DIOs the TDs wait for (RFC 6206 §4.2; with A every
 * 8 Imin a DUT with k = 3 rightly fell silent). */
#define PARENT_EVERY D_IMAX(1)

/* Step 1 of most TDs: A (rank 256) sends periodic DIOs carrying the option. */
#define STEP_PARENT(what_, ver_, t_, min_)                                                  \
    { .kind = EK_STEP_INJECT, .what = (what_),                                              \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,                                     \
                .mep = { .present = true, .version = (ver_), .t = (t_), .min = (min_) },    \
                .every = PARENT_EVERY } }

/* How long a join precondition waits from a neighbour's first periodic DIO for a DIO of
 * the DUT's own: it may join on any of the neighbour's first three DIOs (when, and after
 * how many DIOs, a node selects a parent is its own policy, RFC 6550 §8.2; a lossy link
 * loses one), then joining resets its Trickle timer (RFC 6550 §8.3) and 8 Imin cover its
 * first intervals.  Two PARENT_EVERY periods, then 8 Imin: a DIO ends the step at once,
 * and a precondition's INCONC costs the DUT nothing, so it errs on the long side. */
#define W_JOIN_DIO .window = D_IMAX(2), .window_plus = D_IMIN(8)

/* The precondition every TD checks after the first parent DIO: the DUT joined. */
#define STEP_JOINED                                                                         \
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT joins A and sends a DIO",      \
      .match = { .cls = EK_CLASS_DIO }, W_JOIN_DIO, .on_timeout = EK_V_INCONC }

/* Shared predicates (suites_common.c). */
/* The DUT frame decoded without a single error (TP-EB-01: "decodes cleanly"). */
bool ek_sp_clean_decode(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The DUT's DIO carries the option of the latest INJECT step that carried one,
 * unchanged: byte-identical under draft-09/16 (EP-9a); under draft-03/04 min >= the
 * received one (EP-19) and, for draft-04, exp/size unchanged (-04 "propagated
 * unmodified"). */
bool ek_sp_propagated(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The DUT's Trickle interval has grown: the DIO came >= ek_sp_trickle_gap_ns after its
 * previous one, so an unreset timer cannot send within 2 Imin + slack (TP-EP-07). */
uint64_t ek_sp_trickle_gap_ns(const ek_dut *d);
bool ek_sp_trickle_grown(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);

/* Rules that hold for every compliant stack (suites_common.c). */
/* Legal ranks through a parent (RFC 6550 §14; OF0 RFC 6552 §4.1; MRHOF RFC 6719 §5). */
void ek_sp_legal_rank_range(uint16_t parent_rank, uint16_t mhri, uint16_t ocp, uint32_t *lo, uint32_t *hi);
/* The DUT DIO's rank is a legal rank through A (its latest DIO's rank and MinHopRankIncrease). */
bool ek_sp_rank_via_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The DUT DIO's rank equals the DUT's rank when the latest INJECT step began. */
bool ek_sp_rank_unchanged(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* EB join metric = DAGRank(the DUT's advertised rank) - 1 (RFC 8180 §6.1). */
bool ek_sp_join_metric(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The DUT DIO carries no option it does not implement that a neighbour sent (EP-21). */
bool ek_sp_no_copied_option(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The gap to the DUT's previous DIO is at most 1.5 Imax + slack (RFC 6206 §4.2). */
bool ek_sp_trickle_gap_ok(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* Clean decode, and the Join-Info matches what the profile declares (RFC 9032 §2). */
bool ek_sp_eb_declared(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);

/* Security predicates (security.c; RFC 8180 §4.6, IEEE 802.15.4-2015 §9.2.5). */
/* The frame's security level is the DUT profile's dio_level (DIO) or eb_level (EB). */
bool ek_sp_sec_level(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The DUT profile's k1 is not the published default "K1-minimal15" (S9 precondition). */
bool ek_sp_k1_not_default(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The EB's ASN is below the highest ASN this TD's forged EBs announced (S9). */
bool ek_sp_asn_not_forged(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);

/* DODAG root predicates (tp_root.c; draft-16 §3.1, §3.2). */
/* The DIO carries an option of the configured type that decodes in the profile's layout. */
bool ek_sp_root_layout(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* Its DODAG size >= the profile's dodag_size (true when not declared). */
bool ek_sp_root_size_covers(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* Its DODAG size = the smallest representable value >= dodag_size. */
bool ek_sp_root_size_minimal(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* Against the root's previous DIO: the same Version with the same contents, or a newer one. */
bool ek_sp_root_version_order(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* Within 1.5 Imax (the root's own DODAG Configuration) + slack of the step's start. */
bool ek_sp_root_trickle_bound(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
/* The previous step's DIO came within 2 Imin + slack of that step's start (a reset). */
bool ek_sp_root_quick(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);

/* Shared tweaks. */
void ek_st_conf_mhri_128(const ek_td_ctx *ctx, ek_build_dio *dio);
void ek_st_malformed_first(const ek_td_ctx *ctx, ek_build_dio *dio);
void ek_st_len255_last(const ek_td_ctx *ctx, ek_build_dio *dio);
void ek_st_len4_trailing(const ek_td_ctx *ctx, ek_build_dio *dio);

/* The TDs of each file. */
extern const ek_td ek_td_ep_13, ek_td_ep_14, ek_td_ep_04, ek_td_ep_06, ek_td_ep_10, ek_td_ep_11,
    ek_td_ep_12, ek_td_ep_05, ek_td_ep_07, ek_td_ep_09;
extern const ek_td ek_td_eb_01, ek_td_eb_09;
extern const ek_td ek_td_atk_s2, ek_td_atk_s3, ek_td_atk_s4, ek_td_atk_s6, ek_td_atk_replay;
extern const ek_td ek_td_leg_01, ek_td_leg_02, ek_td_leg_03, ek_td_leg_04, ek_td_leg_05, ek_td_leg_06;
extern const ek_td ek_td_sec_01, ek_td_sec_02, ek_td_sec_03, ek_td_sec_04, ek_td_sec_05, ek_td_sec_06;
extern const ek_td ek_td_ep_01, ek_td_ep_02, ek_td_ep_03, ek_td_ep_08;
extern const ek_td ek_td_ep_10b, ek_td_cj_01, ek_td_cj_02, ek_td_cj_03, ek_td_cj_04, ek_td_atk_s12;
extern const ek_td ek_td_jrc_01, ek_td_jrc_02, ek_td_jrc_03, ek_td_jrc_04, ek_td_jrc_05;

/* Pledge predicates (tp_pledge.c; RFC 9032 §2, RFC 9031 §7.3, §8; RFC 7252 §4.2).  They read
 * what the TD's agent (the harness's Join Proxies and JRC) made of the frame. */
bool ek_sp_pl_jr_to_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_jr_to_b(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_any_jr_to_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_jr_to_malformed(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_joined_via_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_piv_rising(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_piv_after_reboot(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_retrans1(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_retrans2(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_retrans3(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_pu1_answered(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_pu2_answered(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_pu1_answered_again(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
bool ek_sp_pl_rank_ignored(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
extern const ek_td ek_td_eb_02, ek_td_eb_03, ek_td_eb_04, ek_td_eb_05, ek_td_eb_06, ek_td_eb_08;
extern const ek_td ek_td_sec_02_pledge, ek_td_sec_03_pledge, ek_td_sec_04_pledge;

#define EK_N_STEPS(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

#endif /* EK_SUITES_INT_H */
