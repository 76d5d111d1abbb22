/* SPDX-License-Identifier: BSD-3-Clause */
/* Runs TDs against a DUT through a radio and keeps the evidence: every frame injected
 * and observed (with its number and time), per-step partial verdicts, the first fail's
 * reason and deciding frame.  The same engine runs live (ZEP, pcap),
 * in virtual time (loop radio + in-process reference node) and offline (file radio). */
#ifndef EK_ENGINE_H
#define EK_ENGINE_H

#include "ek/dut.h"
#include "ek/match.h"
#include "ek/monitor.h"
#include "ek/radio.h"
#include "ek/td.h"

#define EK_MSG_MAX 256

/* The EUI-64 the harness uses for a role (02:00:5e:ef:00:00:00:0a + role). */
void ek_td_role_ext(ek_role r, uint8_t ext[8]);

/* What a TD's predicates and tweaks may look at. */
typedef struct ek_td_ctx {
    const ek_dut *dut;
    const ek_td *td;
    unsigned step;                        /* 1-based index of the running step */
    /* The frame each INJECT step sent (by step index), for byte comparisons. */
    const uint8_t *injected[EK_TD_MAX_STEPS + 1];
    size_t injected_len[EK_TD_MAX_STEPS + 1];
    /* The option (decoded) each INJECT step's DIO carried, when it carried one. */
    bool injected_has_mep[EK_TD_MAX_STEPS + 1];
    ek_minprio injected_mep[EK_TD_MAX_STEPS + 1];
    /* Link-layer security of each INJECT step's frame: secured or not, and the
     * frame counter it carried (IEEE 802.15.4-2015 §9.4.2; a REPLAY step repeats its
     * source's).  Security off: every injected_secured is false. */
    bool injected_secured[EK_TD_MAX_STEPS + 1];
    uint32_t injected_fc[EK_TD_MAX_STEPS + 1];
    /* Security facts of the DUT frame being matched (keys sec.*, docs/harness.md). */
    ek_frame_sec frame_sec;
    /* Time of the DUT frame being matched and of the DUT's previous frame of the same
     * class (0 if none): lets a predicate assert gaps (Trickle, TP-EP-07). */
    uint64_t t_frame_ns, t_prev_same_class_ns;
    uint64_t t_step_start_ns;
    /* What the DUT itself advertised so far in this TD (its latest DIO's rank and minimum,
     * the MinHopRankIncrease in force): the passive monitor's view.  Never NULL in a run. */
    const ek_monitor *mon;
    /* The DUT's advertised rank when each step began (has_rank_at false: no DIO yet). */
    bool has_rank_at[EK_TD_MAX_STEPS + 1];
    uint16_t rank_at[EK_TD_MAX_STEPS + 1];
    /* Each INJECT step's sender and the rank / MinHopRankIncrease its DIO carried. */
    ek_role injected_from[EK_TD_MAX_STEPS + 1];
    uint16_t injected_rank[EK_TD_MAX_STEPS + 1];
    uint16_t injected_mhri[EK_TD_MAX_STEPS + 1];
    /* When each step began (radio clock; 0 = not run): a predicate can measure from an
     * earlier stimulus, e.g. a control command (TP-EP-08). */
    uint64_t t_step_begin_ns[EK_TD_MAX_STEPS + 1];
    /* The DUT's DIO before the one being matched, in this TD: seen at all, and the
     * enrollment option it carried (the first one of the configured type that decoded).
     * Lets a predicate compare consecutive DIOs (TP-EP-02: one Version, one content). */
    bool has_prev_dio;
    bool prev_dio_has_mep;
    ek_minprio prev_dio_mep;
    /* The TD's agent state (ek_td_agent), NULL when the TD has none.  The agent saw the
     * DUT frame being matched before the predicate runs. */
    void *agent;
} ek_td_ctx;

typedef struct ek_step_result {
    ek_verdict verdict;
    bool info;                 /* failed, but only INFO under this profile */
    bool ran;                  /* false: skipped (profile) or the TD ended before it */
    char msg[EK_MSG_MAX];      /* "EB proxy priority 0x35 >= 0x30 (frame 41)" */
    uint64_t frame_no;         /* deciding frame (1-based run-wide number), 0 = none */
    uint64_t t_ns;             /* when the step ended, relative to the TD start */
    uint64_t t_reset_ns;       /* radio clock: when a reset step (EK_STIM_RESET) issued the
                                  DUT's reset; 0 = not one, offline, or the reset failed */
} ek_step_result;

typedef struct ek_td_result {
    const ek_td *td;
    bool applicable;
    char na_reason[EK_MSG_MAX];     /* why not applicable ("needs eb", "profile draft-03") */
    ek_verdict verdict;
    bool info;                      /* passed with INFO notes */
    char reason[EK_MSG_MAX];        /* the first non-pass step's reason (inconc, fail or error),
                                       "TP-EP-06 step 3: ..."; "TP-EP-06: ..." for TD-wide ones */
    uint64_t deciding_frame;        /* run-wide frame number, 0 = none */
    unsigned monitor_fails, monitor_infos; /* passive-monitor findings during the TD */
    unsigned deciding_step;         /* 1-based, 0 = none */
    ek_step_result steps[EK_TD_MAX_STEPS];
    unsigned n_steps;
    uint64_t t_start_ns, t_end_ns;  /* radio clock */
    uint64_t t_reset_ns;            /* radio clock: when the DUT's reset command (or hook)
                                       before this TD returned; 0 = none (offline, just
                                       spawned, no reset command, or it failed) */
    uint64_t t_step1_ns;            /* radio clock: when step 1 began (after ready_ms); 0 =
                                       the TD ended before it */
    unsigned injected, observed;    /* frames */
    unsigned dut_dios, dut_ebs;     /* DUT DIOs / Enhanced Beacons seen during the TD, as the
                                       matcher classed them (a DIO that failed to
                                       verify at an ENC level is ciphertext: not counted) */
    unsigned dut_coap;              /* DUT CoAP frames (EK_CLASS_COAP: a pledge's or a JRC's
                                       CoJP traffic) seen during the TD */
} ek_td_result;

/* One frame of the run's evidence.  comment is set on deciding frames (and on the
 * first frame of a TD): "TP-EP-06 step 3: proxy priority 0x30 < minimum 0x40 -> FAIL". */
typedef struct ek_run_frame {
    uint64_t no;               /* 1-based, run-wide (= pcapng packet number) */
    uint64_t t_ns;             /* radio clock */
    uint64_t t_wall_ns;        /* CLOCK_REALTIME at capture (pcapng timestamps) */
    bool outbound;             /* injected by the harness */
    uint8_t channel;
    size_t len;
    uint8_t psdu[EK_RADIO_PSDU_MAX];   /* MPDU + FCS */
    char comment[EK_MSG_MAX];
} ek_run_frame;

/* Callbacks the front end gives (progress, reports, capture).  All may be NULL. */
typedef struct ek_run_observer {
    void *ctx;
    void (*run_begin)(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds);
    void (*td_begin)(void *ctx, const ek_td *td, size_t index, size_t total);
    void (*step_begin)(void *ctx, const ek_td *td, unsigned step, const char *what, uint64_t elapsed_ns);
    /* After a TD: its result and all its frames, comments set.  Reports are rewritten /
     * appended here, so they are complete after every TD. */
    void (*td_end)(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames);
    void (*run_end)(void *ctx, const ek_td_result *results, size_t n);
} ek_run_observer;

typedef struct ek_engine_opts {
    const ek_dut *dut;
    ek_radio *radio;
    const ek_run_observer *obs;
    /* Start dut->spawn before the first TD and stop it after the last; run dut->reset
     * before each TD.  Off for the loop radio (the test owns the in-process node). */
    bool manage_dut;
    /* Called before each TD instead of dut->reset (in-process DUTs); may be NULL. */
    void (*reset_hook)(void *ctx, uint64_t now_ns);
    void *reset_ctx;
    /* Called with each control command (EK_STIM_CMD, the profile's template filled in, no
     * newline) instead of writing it to a spawned DUT's stdin (in-process DUTs); may be
     * NULL.  Returns 0, or -1 when the DUT refused it (the step is an ERROR). */
    int (*cmd_hook)(void *ctx, const char *line, uint64_t now_ns);
    void *cmd_ctx;
    volatile int *interrupted; /* set by a signal handler: the run stops, reports still written */
    /* Offline evaluation (file: radio replaying a capture the harness wrote, or any
     * capture whose first record is the first stimulus): no DUT process, no reset, no
     * ready wait before the first TD (the capture's clock starts at its first record);
     * stimuli are still built (predicates compare against them) but the file radio
     * sends nothing, and the capture's own outbound records are skipped.  A check whose
     * window runs past the end of the capture is inconclusive, never pass or fail. */
    bool offline;
    /* The spawned DUT's stdout and stderr go here (NULL: discarded), never into the
     * harness's own output; its stdin is a pipe that receives the profile's stdin_file
     * and init_commands after spawn and after every reset. */
    const char *dut_log_path;
    /* Monitors assume the harness plays every neighbour of the DUT (rank-increase rule);
     * off for a shared channel.  Default (false) = closed world on. */
    bool open_world;
} ek_engine_opts;
#define EK_ENGINE_HAS_DUT_LOG 1

/* Runs the TDs in order; results[i] for tds[i].  Passive monitors (ek/monitor.h) judge
 * every DUT frame of every TD: a FAIL finding fails the TD it occurred in (deciding frame
 * commented), an INFO finding is a comment.  The DUT dying or going silent makes the
 * running TD FAIL (a compliant DUT survives every input) and every later TD ERROR with
 * that reason; a DUT never heard since the run began is an ERROR (set-up problem), as
 * are radio errors.  A TD stops at its first step worse than pass.  Every observer
 * callback runs for every TD whatever happens.  Returns the worst verdict over all
 * applicable TDs (EK_V_NONE if none).  docs/harness.md describes the rules. */
ek_verdict ek_engine_run(const ek_engine_opts *o, const ek_td *const *tds, size_t n,
                         ek_td_result *results);

/* Applicability of a TD for a DUT: true, or false with the reason. */
bool ek_td_applicable(const ek_td *td, const ek_dut *dut, char *why, size_t whylen);

/* Process exit code for a run: 0 all pass (n/a ignored), 1 any fail, 2 error/inconclusive
 * (and no fail). */
int ek_engine_exit_code(const ek_td_result *results, size_t n);

#endif /* EK_ENGINE_H */
