/* SPDX-License-Identifier: BSD-3-Clause */
/* The runner over the loop radio (virtual time) with scripted peers written here: a
 * compliant one (adopts the parent's option, EB proxy = min + 5), one that lowers the
 * priority, a silent one, one that dies after a reset, and a managed DUT process killed
 * by SIGABRT.  Checks verdicts, exact reasons, deciding frames, comments, frame
 * numbering, stimuli (periodic, STOP, REPLAY) and determinism. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/engine.h"
#include "ek/match.h"
#include "ek/pcapng.h"
#include "engine_int.h"

/* decode problems are part of what the tests look at, not a reason to stop */
#define DECODE_IGNORING(x) do { ek_status st_ = (x); (void)st_; } while (0)

#define MS 1000000ull

/* ---- scripted peer ---- */
/* P_NO_EB: a 6LR without EBs; P_OTHER_PAN: its frames carry PAN ID 0x1234 */
typedef enum pmode { P_GOOD, P_LOWER, P_SILENT, P_DIE_ON_RESET2, P_KILL_PROC, P_STALL, P_NO_EB, P_OTHER_PAN } pmode;

typedef struct peer {
    pmode mode;
    ek_profile prof;
    uint8_t ext[8];
    bool joined, has_opt, dead;
    ek_minprio opt;
    uint8_t min;
    uint64_t next_dio, next_eb;
    uint8_t seq;
    unsigned rx_frames, resets;
    const char *pidfile;
    /* a secured network (keys from *keys: K2 DIOs at level 5, K1 EBs at level 1) */
    bool secured;
    const ek_dut *keys;
    unsigned bad_mic_every, sent;   /* every n-th frame goes out with a broken MIC */
    uint32_t fc;
    unsigned rx_unsecured, rx_bad;  /* dropped inputs */
    unsigned eb_every_ms;           /* its EB period (0: the 50 ms its profile declares) */
    unsigned eb_first_ms;           /* its first EB after joining (0: 7 ms) */
} peer;

/* Secures a frame the peer emits (RFC 8180 §4.6). */
static void peer_secure(peer *p, uint8_t *out, size_t *len, bool eb)
{
    ek_wpan_sec sec = { .level = eb ? 1 : 5, .key_id_mode = 1, .key_index = eb ? 1 : 2, .frame_counter = ++p->fc };
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    ek_sec_info info;
    ek_err e;
    cr_assert_eq(ek_sec_protect(ek_view_make(out, *len), &sec, &env, eb ? &p->keys->k1 : &p->keys->k2, &p->prof, out,
                                EK_BUILD_MPDU_MAX, len, &info, &e), EK_OK);
    if (p->bad_mic_every && ++p->sent % p->bad_mic_every == 0)
        out[*len - 1] ^= 0x01;
}

static ek_frame peer_fr;

static void peer_rx(void *ctx, const uint8_t *mpdu, size_t len, uint64_t now)
{
    peer *p = ctx;
    uint8_t a[8];
    p->rx_frames++;
    if (p->dead)
        return;
    if (p->mode == P_KILL_PROC && p->pidfile) {
        /* the managed DUT "crashes" on the first input: kill it for real and give the
           kernel time to finish it, so the engine's waitpid sees it */
        long pid = 0;
        for (int i = 0; i < 400 && pid <= 0; i++) {
            FILE *f = fopen(p->pidfile, "r");
            if (f) {
                if (fscanf(f, "%ld", &pid) != 1)
                    pid = 0;
                fclose(f);
            }
            if (pid <= 0)
                nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
        }
        cr_assert_gt(pid, 0);
        kill((pid_t)pid, SIGABRT);
        nanosleep(&(struct timespec){ 0, 300000000L }, NULL);
        p->dead = true;
        return;
    }
    uint8_t plain[EK_BUILD_MPDU_MAX];
    if (p->secured) {   /* IEEE 802.15.4-2015 §9.2.5, without the replay check */
        if (len < 1 || !(mpdu[0] & EK_WPAN_FCF_SECURITY)) {
            p->rx_unsecured++;
            return;
        }
        ek_sec_keyring ring;
        ek_sec_keyring_init(&ring);
        cr_assert(ek_sec_keyring_add(&ring, &p->keys->k1) && ek_sec_keyring_add(&ring, &p->keys->k2));
        ek_sec_env env;
        memset(&env, 0, sizeof env);
        ek_sec_info info;
        ek_err e;
        size_t plen = 0;
        if (ek_sec_unprotect(ek_view_make(mpdu, len), &ring, NULL, &env, &p->prof, plain, sizeof plain, &plen, &info,
                             &e) != EK_OK) {
            p->rx_bad++;
            return;
        }
        mpdu = plain;
        len = plen;
    }
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(mpdu, len), NULL, &p->prof, &peer_fr));
    ek_td_role_ext(EK_ROLE_A, a);
    if (!peer_fr.sum.has_dio || !peer_fr.sum.has_src64 || memcmp(peer_fr.sum.src64, a, 8) != 0)
        return;   /* only the preferred parent A counts (EP-5) */
    p->has_opt = false;
    p->min = EK_MEP_PRIO_DEFAULT;   /* EP-17 */
    for (unsigned i = 0; i < peer_fr.rpl.n_opts; i++)
        if (peer_fr.rpl.opts[i].kind == EK_RPL_OPTK_MEP && peer_fr.rpl.opts[i].err.code == EK_OK) {
            p->has_opt = true;
            p->opt = peer_fr.rpl.opts[i].u.mep;
            p->min = p->opt.min_priority;
        }
    if (!p->joined) {
        p->joined = true;
        p->next_dio = now + 5 * MS;
        p->next_eb = now + (p->eb_first_ms ? p->eb_first_ms : 7) * MS;
    }
}

static uint64_t peer_next(void *ctx)
{
    peer *p = ctx;
    if (p->mode == P_STALL)
        return 0;   /* a timer always due that never makes progress: the loop radio gives up */
    if (p->dead || !p->joined || p->mode == P_SILENT)
        return UINT64_MAX;
    return p->next_dio < p->next_eb ? p->next_dio : p->next_eb;
}

static void peer_run(void *ctx, uint64_t now, ek_radio *loop)
{
    peer *p = ctx;
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    ek_build_node n = { .pan_id = p->mode == P_OTHER_PAN ? 0x1234 : 0xface };
    memcpy(n.ext, p->ext, 8);
    if (p->mode == P_STALL || peer_next(p) > now)
        return;
    if (p->next_dio <= now) {
        ek_build_dio d;
        ek_build_dio_init(&d);
        d.base.rank = 768;   /* OF0: 256 + 2 * 256 */
        d.has_mep = p->has_opt;
        if (d.has_mep)
            d.mep = p->opt;
        n.seq = p->seq++;
        cr_assert_eq(ek_build_dio_frame(&n, &d, &p->prof, out, sizeof out, &len, &e), EK_OK);
        if (p->secured)
            peer_secure(p, out, &len, false);
        ek_radio_loop_emit(loop, out, len);
        p->next_dio += 40 * MS;
    }
    if (p->next_eb <= now && p->mode == P_NO_EB)
        p->next_eb += 50 * MS;
    else if (p->next_eb <= now) {
        ek_build_eb e2;
        ek_build_eb_init(&e2);
        e2.has_ji = true;
        e2.join_metric = 2;   /* RFC 8180 §6.1: DAGRank(768) - 1 */
        unsigned proxy = p->min == 0x7f ? 0x7f : p->min + 5u > 0x7f ? 0x7f : p->min + 5u;
        if (p->mode == P_LOWER)
            proxy = p->min >= 0x10 ? p->min - 0x10u : 0;
        e2.ji.proxy_prio = (uint8_t)proxy;
        e2.ji.pan_prio = 1;
        n.seq = p->seq++;
        cr_assert_eq(ek_build_eb_frame(&n, &e2, &p->prof, out, sizeof out, &len, &e), EK_OK);
        if (p->secured)
            peer_secure(p, out, &len, true);
        ek_radio_loop_emit(loop, out, len);
        p->next_eb += (p->eb_every_ms ? p->eb_every_ms : 50) * MS;
    }
}

static void peer_reset(void *ctx, uint64_t now)
{
    peer *p = ctx;
    (void)now;
    p->resets++;
    p->joined = false;
    p->has_opt = false;
    if (p->mode == P_DIE_ON_RESET2 && p->resets == 2)
        p->dead = true;
}

/* ---- observer: copies every TD's frames ---- */
#define MAXF 8192
typedef struct obs_log {
    unsigned run_begin, td_begin, td_end, run_end, step_begin;
    ek_run_frame *f;
    size_t n;
    size_t td_first[16], td_n[16];
} obs_log;

static void o_run_begin(void *c, const ek_dut *d, const char *desc, size_t n)
{
    (void)d;
    (void)desc;
    (void)n;
    ((obs_log *)c)->run_begin++;
}
static void o_td_begin(void *c, const ek_td *td, size_t i, size_t n)
{
    (void)td;
    (void)i;
    (void)n;
    ((obs_log *)c)->td_begin++;
}
static void o_step(void *c, const ek_td *td, unsigned s, const char *w, uint64_t e)
{
    (void)td;
    (void)s;
    (void)w;
    (void)e;
    ((obs_log *)c)->step_begin++;
}
static void o_td_end(void *c, const ek_td_result *r, const ek_run_frame *f, size_t n)
{
    obs_log *l = c;
    (void)r;
    if (l->td_end < 16) {
        l->td_first[l->td_end] = l->n;
        l->td_n[l->td_end] = n;
    }
    l->td_end++;
    for (size_t i = 0; i < n && l->n < MAXF; i++)
        l->f[l->n++] = f[i];
}
static void o_run_end(void *c, const ek_td_result *r, size_t n)
{
    (void)r;
    (void)n;
    ((obs_log *)c)->run_end++;
}

/* ---- TDs ---- */
#define A_DIO_30 { .from = EK_ROLE_A, .kind = EK_STIM_DIO, .mep = { .present = true, .version = 241, .min = 0x30 }, .every = EK_IMIN(4) }

static const ek_step prop_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "DUT propagates the option",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x30 } } }, .window = EK_IMAX(1) },
    { .kind = EK_STEP_EXPECT, .what = "EB proxy priority >= 0x30",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 } } }, .window = EK_EBS(3) },
    { .kind = EK_STEP_ALWAYS, .what = "every EB >= 0x30",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 } } }, .window = EK_EBS(4) },
};
static const ek_td td_prop = { "TP-T-01", "t", "propagation", "obj", "EP-15", "A + DUT", EK_PROF_ALL,
                               EK_CAP_SENDS_DIO, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };
static const ek_td td_prop_b = { "TP-T-01b", "t", "propagation again", "obj", "EP-15", "A + DUT", EK_PROF_ALL,
                                 EK_CAP_SENDS_DIO, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };
static const ek_td td_prop_c = { "TP-T-01c", "t", "propagation thrice", "obj", "EP-15", "A + DUT", EK_PROF_ALL,
                                 EK_CAP_SENDS_DIO, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step always_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_ALWAYS, .what = "every EB >= 0x30",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 } } }, .window = EK_EBS(4) },
};
static const ek_td td_always = { "TP-T-02", "t", "always", "obj", "EP-15", "cfg", EK_PROF_ALL, 0, always_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step inconc_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "precondition: version 99",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.version", EK_OP_EQ, 99 } } }, .window = EK_IMIN(8),
      .on_timeout = EK_V_INCONC },
};
static const ek_td td_inconc = { "TP-T-03", "t", "inconc", "obj", "EP-1", "cfg", EK_PROF_ALL, 0, inconc_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step not_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT_NOT, .what = "no EB below 0x30",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x30 } } }, .window = EK_EBS(3) },
};
static const ek_td td_not = { "TP-T-04", "t", "must not", "obj", "EP-15", "cfg", EK_PROF_ALL, 0, not_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_td td_na_prof = { "TP-T-NA1", "t", "draft-03 only", "obj", "EP-20", "cfg", EK_PROF(EK_MEP_DRAFT03), 0, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };
static const ek_td td_na_caps = { "TP-T-NA2", "t", "root only", "obj", "EP-8", "cfg", EK_PROF_ALL,
                                  EK_CAP_ROOT | EK_CAP_SENDS_EB, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step info_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "SHOULD-level: proxy 0x7f",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_EQ, 0x7f } } }, .window = EK_EBS(2),
      .info_profiles = EK_PROF(EK_MEP_DRAFT16) },
    { .kind = EK_STEP_EXPECT, .what = "draft-03 only step", .profiles = EK_PROF(EK_MEP_DRAFT03),
      .match = { .cls = EK_CLASS_EB }, .window = EK_EBS(2) },
    { .kind = EK_STEP_EXPECT, .what = "an EB", .match = { .cls = EK_CLASS_EB }, .window = EK_EBS(2) },
};
static const ek_td td_info = { "TP-T-05", "t", "info", "obj", "EP-3", "cfg", EK_PROF_ALL, 0, info_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step stim_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A periodic", .stim = A_DIO_30 },
    { .kind = EK_STEP_WAIT, .what = "let it run", .window = EK_IMAX(1) },
    { .kind = EK_STEP_INJECT, .what = "stop A", .stim = { .from = EK_ROLE_A, .kind = EK_STIM_STOP } },
    { .kind = EK_STEP_WAIT, .what = "quiet", .window = EK_IMAX(1) },
    { .kind = EK_STEP_INJECT, .what = "rogue replays step 1", .at = EK_MS(5),
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_REPLAY, .replay_step = 1 } },
    { .kind = EK_STEP_INJECT, .what = "B with extras",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIO, .extra_hex = "f0 02 aa bb; 00; f1 05 01", .extra_pos = EK_BUILD_OPT_FIRST } },
};
static const ek_td td_stim = { "TP-T-06", "t", "stimuli", "obj", "EP-12", "cfg", EK_PROF_ALL, 0, stim_steps, 6, "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step bad_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "bogus", .match = { .cls = EK_CLASS_DIO, .conds = { { "bogus", EK_OP_EQ, 1 } } },
      .window = EK_IMIN(1) },
};
static const ek_td td_bad = { "TP-T-07", "t", "bad TD", "obj", "-", "cfg", EK_PROF_ALL, 0, bad_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

/* ---- harness ---- */
static ek_dut dut;
static peer pr;
static ek_radio *radio;
static obs_log lg;
static ek_run_observer obs;
static ek_engine_opts opts;

static void setup_run(pmode mode)
{
    ek_dut_default(&dut);
    dut.caps = EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP;
    memset(&pr, 0, sizeof pr);
    pr.mode = mode;
    pr.prof = dut.prof;
    memcpy(pr.ext, (const uint8_t[8]){ 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 }, 8);
    static ek_radio_loop_peer lp;
    lp = (ek_radio_loop_peer){ &pr, peer_rx, peer_next, peer_run };
    radio = ek_radio_loop_new(&lp, 1000 * MS);
    cr_assert(radio);
    free(lg.f);
    memset(&lg, 0, sizeof lg);
    lg.f = calloc(MAXF, sizeof *lg.f);
    obs = (ek_run_observer){ &lg, o_run_begin, o_td_begin, o_step, o_td_end, o_run_end };
    opts = (ek_engine_opts){ .dut = &dut, .radio = radio, .obs = &obs, .reset_hook = peer_reset, .reset_ctx = &pr };
}

static void teardown_run(void)
{
    ek_radio_close(radio);
    radio = NULL;
    free(lg.f);
    lg.f = NULL;
}

static const ek_run_frame *frame_no(uint64_t no)
{
    for (size_t i = 0; i < lg.n; i++)
        if (lg.f[i].no == no)
            return &lg.f[i];
    return NULL;
}

Test(engine, compliant_peer_passes_with_commented_evidence)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_prop };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_PASS);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    cr_assert_str_eq(res[0].reason, "");
    cr_assert_eq(res[0].deciding_frame, 0);
    cr_assert(res[0].applicable);
    cr_assert_eq(lg.run_begin, 1);
    cr_assert_eq(lg.td_begin, 1);
    cr_assert_eq(lg.td_end, 1);
    cr_assert_eq(lg.run_end, 1);
    cr_assert_eq(lg.step_begin, 4);
    /* frame 1 is the first injected DIO: TD begin + stimulus comments */
    cr_assert_eq(lg.f[0].no, 1);
    cr_assert(lg.f[0].outbound);
    cr_assert_str_eq(lg.f[0].comment, "TP-T-01 begins: propagation; TP-T-01 step 1: A advertises min 0x30");
    cr_assert_eq(res[0].steps[0].frame_no, 1);
    cr_assert_eq(res[0].steps[0].verdict, EK_V_NONE);
    /* every check's deciding frame is commented "-> PASS" */
    for (unsigned s = 1; s < 4; s++) {
        cr_assert_eq(res[0].steps[s].verdict, EK_V_PASS, "step %u %s", s + 1, res[0].steps[s].msg);
        const ek_run_frame *f = frame_no(res[0].steps[s].frame_no);
        cr_assert(f);
        cr_assert(!f->outbound);
        cr_assert(strstr(f->comment, "-> PASS"), "%s", f->comment);
    }
    const ek_run_frame *d2 = frame_no(res[0].steps[1].frame_no);
    cr_assert_str_eq(d2->comment, "TP-T-01 step 2: DIO enroll.mep.min_priority 0x30 == 0x30 -> PASS");
    char want[EK_MSG_MAX];
    snprintf(want, sizeof want, "DIO enroll.mep.min_priority 0x30 == 0x30 (frame %llu)", (unsigned long long)d2->no);
    cr_assert_str_eq(res[0].steps[1].msg, want);
    cr_assert_str_eq(frame_no(res[0].steps[2].frame_no)->comment, "TP-T-01 step 3: EB enroll.ji.proxy_priority 0x35 >= 0x30 -> PASS");
    cr_assert(strstr(res[0].steps[3].msg, "all 4 EBs: enroll.ji.proxy_priority 0x35 >= 0x30 (last frame"), "%s", res[0].steps[3].msg);
    /* numbering is dense and times are monotonic; injected + observed = all frames */
    for (size_t i = 0; i < lg.n; i++) {
        cr_assert_eq(lg.f[i].no, i + 1);
        if (i)
            cr_assert_geq(lg.f[i].t_ns, lg.f[i - 1].t_ns);
        cr_assert_gt(lg.f[i].t_wall_ns, 0);
        cr_assert_eq(lg.f[i].channel, 26);
        cr_assert(ek_fcs16_check(ek_view_make(lg.f[i].psdu, lg.f[i].len)));
    }
    cr_assert_eq(res[0].injected + res[0].observed, lg.n);
    cr_assert_gt(res[0].injected, 1);   /* periodic parent DIOs */
    cr_assert_eq(pr.resets, 1);
    cr_assert_geq(res[0].t_end_ns, res[0].t_start_ns);
    /* the reset's time, then step 1 after ready_ms, before the first stimulus (report.html
     * leaves the DUT frames in between out of its checker) */
    cr_assert_geq(res[0].t_reset_ns, res[0].t_start_ns);
    cr_assert_geq(res[0].t_step1_ns, res[0].t_reset_ns + (uint64_t)dut.ready_ms * MS);
    cr_assert_leq(res[0].t_step1_ns, lg.f[0].t_ns);
    cr_assert_eq(ek_engine_exit_code(res, 1), 0);
    teardown_run();
}

static const ek_step reset_steps[] = {
    { .kind = EK_STEP_WAIT, .what = "settle", .window = EK_MS(50) },
    { .kind = EK_STEP_INJECT, .what = "the DUT reboots", .stim = { .kind = EK_STIM_RESET } },
    { .kind = EK_STEP_WAIT, .what = "after it", .window = EK_MS(50) },
};
static const ek_td td_reset = { "TP-T-09", "t", "a reset step", "obj", "-", "cfg", EK_PROF_ALL, 0, reset_steps, 3, "rule", 0, EK_NODE_6LR, NULL, NULL };

/* A reset step stamps when it issued the reset (report.html restarts its checker there);
 * the other steps stamp nothing */
Test(engine, a_reset_step_stamps_its_time)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_reset };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(pr.resets, 2, "the reset before the TD and the step's");
    const ek_step_result *s = res[0].steps;
    cr_assert(s[1].ran);
    cr_assert_geq(s[1].t_reset_ns, res[0].t_start_ns + s[0].t_ns);
    cr_assert_leq(s[1].t_reset_ns + (uint64_t)dut.ready_ms * MS, res[0].t_start_ns + s[1].t_ns);
    cr_assert_eq(s[0].t_reset_ns, 0);
    cr_assert_eq(s[2].t_reset_ns, 0);
    teardown_run();
}

Test(engine, lowering_peer_fails_with_reason_and_nearest_frame)
{
    /* The lowering peer advertises min 0x30 in its DIOs and 0x20 in its EBs: the passive
     * monitor (proxy-below-min) judges its first EB during step 3, before the step's own
     * window runs out, and names the frame. */
    setup_run(P_LOWER);
    const ek_td *tds[] = { &td_prop };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_FAIL);
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    cr_assert_eq(res[0].deciding_step, 3);
    uint64_t d = res[0].deciding_frame;
    cr_assert_gt(d, 0);
    char want[EK_MSG_MAX];
    snprintf(want, sizeof want, "EB proxy priority 0x20 < the minimum 0x30 the node advertised");
    cr_assert(strstr(res[0].reason, "TP-T-01: monitor proxy-below-min (EP-15; "), "%s", res[0].reason);
    cr_assert(strstr(res[0].reason, want), "%s", res[0].reason);
    snprintf(want, sizeof want, "(frame %llu) during step 3", (unsigned long long)d);
    cr_assert(strstr(res[0].reason, want), "%s", res[0].reason);
    cr_assert(strstr(frame_no(d)->comment, "TP-T-01 monitor proxy-below-min"), "%s", frame_no(d)->comment);
    cr_assert(strstr(frame_no(d)->comment, "-> FAIL"), "%s", frame_no(d)->comment);
    cr_assert_eq(res[0].monitor_fails, 1);
    cr_assert(!res[0].steps[3].ran);   /* the TD stops at its first fail */
    cr_assert_eq(res[0].steps[1].verdict, EK_V_PASS);
    cr_assert_eq(ek_engine_exit_code(res, 1), 1);
    teardown_run();
}

Test(engine, an_eb_window_waits_for_the_duts_ebs_when_they_come_slower)
{
    /* The peer's first EB comes 250 ms after the option, and then every 300 ms, not the
     * 50 ms its profile declares (a busy host or a stalled radio looks the same): "within
     * 3 EB periods" (170 ms with slack) waits for its next EBs, and that first one
     * carries the raised proxy priority. */
    setup_run(P_GOOD);
    pr.eb_every_ms = 300;
    pr.eb_first_ms = 250;
    const ek_td *tds[] = { &td_prop };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].steps[2].verdict, EK_V_PASS, "%s", res[0].steps[2].msg);
    cr_assert(strstr(res[0].steps[2].msg, ">= 0x30"), "%s", res[0].steps[2].msg);
    teardown_run();
    /* EBs that keep showing too low a value still fail, after as many EBs as the window */
    setup_run(P_GOOD);
    pr.eb_every_ms = 300;
    static const ek_step high_steps[] = {
        { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
        { .kind = EK_STEP_EXPECT, .what = "EB proxy priority >= 0x60",
          .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x60 } } },
          .window = EK_EBS(3) },
    };
    static const ek_td td_high = { "TP-T-SLOW", "t", "slow EBs", "obj", "EP-15", "A + DUT", EK_PROF_ALL,
                                   EK_CAP_SENDS_DIO, high_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };
    const ek_td *tds2[] = { &td_high };
    ek_engine_run(&opts, tds2, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    cr_assert(strstr(res[0].reason, "or 3 EBs"), "%s", res[0].reason);
    teardown_run();
}

Test(engine, always_fails_on_first_violating_frame)
{
    setup_run(P_LOWER);
    const ek_td *tds[] = { &td_always };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    char want[EK_MSG_MAX];
    snprintf(want, sizeof want, "TP-T-02 step 2: EB enroll.ji.proxy_priority 0x20 < 0x30 (frame %llu)",
             (unsigned long long)res[0].deciding_frame);
    cr_assert_str_eq(res[0].reason, want);
    cr_assert_str_eq(frame_no(res[0].deciding_frame)->comment, "TP-T-02 step 2: EB enroll.ji.proxy_priority 0x20 < 0x30 -> FAIL");
    /* it is the first EB the DUT sent */
    for (size_t i = 0; i < lg.n && lg.f[i].no < res[0].deciding_frame; i++) {
        ek_frame f;
        DECODE_IGNORING(ek_frame_decode(ek_view_make(lg.f[i].psdu, lg.f[i].len), true, &dut.prof, &f));
        cr_assert(!ek_frame_is_class(&f, EK_CLASS_EB));
    }
    teardown_run();
}

/* One TD against a peer whose EBs come first after first_ms, then every every_ms, not
 * the 50 ms its profile declares; the caller asserts, then calls teardown_run(). */
static void run_slow_ebs(pmode mode, unsigned first_ms, unsigned every_ms, const ek_td *td, ek_td_result *res)
{
    setup_run(mode);
    pr.eb_first_ms = first_ms;
    pr.eb_every_ms = every_ms;
    const ek_td *tds[] = { td };
    ek_engine_run(&opts, tds, 1, res);
}

Test(engine, an_always_eb_window_waits_for_the_duts_ebs_when_they_come_slower)
{
    /* "every EB within 4 EB periods" (220 ms with slack) while the peer's first EB comes
     * 250 ms after the option and then every 300 ms: without waiting for its EBs the step
     * saw none and failed a compliant DUT. */
    ek_td_result res[1];
    run_slow_ebs(P_GOOD, 250, 300, &td_always, res);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    /* EBs at 250, 550 and 850 ms: all three judged, and the message says it waited */
    cr_assert(strstr(res[0].steps[1].msg, "all 3 EBs within 220 ms (waited 880 ms for 4 EBs, 3 came)"), "%s",
              res[0].steps[1].msg);
    teardown_run();
    /* faster EBs (every 60 ms after 250 ms): the step ends at the fourth */
    run_slow_ebs(P_GOOD, 250, 60, &td_always, res);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    cr_assert(strstr(res[0].steps[1].msg, "all 4 EBs within 220 ms or 4 EBs"), "%s", res[0].steps[1].msg);
    teardown_run();
    /* NEXT judges one EB: it waits for that one */
    static const ek_step next_steps[] = {
        { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
        { .kind = EK_STEP_NEXT, .what = "next EB >= 0x30",
          .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 } } },
          .window = EK_EBS(4) },
    };
    static const ek_td td_next = { "TP-T-NEXT", "t", "next", "obj", "EP-15", "cfg", EK_PROF_ALL, 0, next_steps, 2,
                                   "rule", 0, EK_NODE_6LR, NULL, NULL };
    run_slow_ebs(P_GOOD, 250, 300, &td_next, res);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    cr_assert(strstr(res[0].steps[1].msg, "next EB"), "%s", res[0].steps[1].msg);
    teardown_run();
    /* the same slow EBs from a DUT that breaks the rule: still FAIL, on its first EB
     * (the step or the always-on monitor, whichever judges that EB first) */
    run_slow_ebs(P_LOWER, 250, 300, &td_always, res);
    cr_assert_eq(res[0].verdict, EK_V_FAIL, "%s", res[0].reason);
    cr_assert(strstr(res[0].reason, "0x20 < "), "%s", res[0].reason);
    teardown_run();
}

Test(engine, expect_not_passes_for_compliant_and_fails_for_lowering)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_not };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    cr_assert_str_eq(res[0].steps[1].msg, "no EB with enroll.ji.proxy_priority < 0x30 within 170 ms");
    teardown_run();
    setup_run(P_LOWER);
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    char want[EK_MSG_MAX];
    snprintf(want, sizeof want, "TP-T-04 step 2: EB enroll.ji.proxy_priority 0x20 < 0x30 (frame %llu, must not be seen)",
             (unsigned long long)res[0].deciding_frame);
    cr_assert_str_eq(res[0].reason, want);
    teardown_run();
}

Test(engine, unmet_precondition_is_inconclusive)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_inconc };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_INCONC);
    cr_assert_eq(res[0].verdict, EK_V_INCONC);
    /* IMIN(8) = 128 ms + 20 ms slack; the nearest DIO has another version */
    cr_assert(strstr(res[0].reason, "TP-T-03 step 2: no DIO with enroll.mep.version == 99 within 148 ms; nearest frame "),
              "%s", res[0].reason);
    cr_assert(strstr(res[0].reason, ": enroll.mep.version 241 != 99"), "%s", res[0].reason);
    cr_assert(strstr(frame_no(res[0].deciding_frame)->comment, "-> INCONC"));
    cr_assert_eq(ek_engine_exit_code(res, 1), 2);
    teardown_run();
}

Test(engine, not_applicable_is_kept_apart)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_na_prof, &td_na_caps, &td_prop };
    ek_td_result res[3];
    cr_assert_eq(ek_engine_run(&opts, tds, 3, res), EK_V_PASS);
    cr_assert(!res[0].applicable);
    cr_assert_str_eq(res[0].na_reason, "not for profile draft-16");
    cr_assert(!res[1].applicable);
    cr_assert_str_eq(res[1].na_reason, "needs root");
    cr_assert_eq(res[0].verdict, EK_V_NONE);
    cr_assert_eq(lg.td_end, 3);          /* reports see every TD */
    cr_assert_eq(lg.td_n[0], 0);
    cr_assert_eq(pr.resets, 1);          /* n/a TDs are not run */
    cr_assert_eq(lg.f[0].no, 1);
    cr_assert_eq(ek_engine_exit_code(res, 3), 0);
    char why[EK_MSG_MAX];
    dut.caps = 0;
    cr_assert(!ek_td_applicable(&td_na_caps, &dut, why, sizeof why));
    cr_assert_str_eq(why, "needs eb, root");
    teardown_run();
}

Test(engine, info_step_passes_with_note_and_profile_skips)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_info };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_PASS);
    cr_assert_eq(res[0].verdict, EK_V_PASS, "%s", res[0].reason);
    cr_assert(res[0].info);
    cr_assert(res[0].steps[1].info);
    cr_assert_eq(res[0].steps[1].verdict, EK_V_PASS);
    cr_assert(strstr(res[0].steps[1].msg, "INFO (not required in draft-16): no EB with enroll.ji.proxy_priority == 0x7f within 120 ms"),
              "%s", res[0].steps[1].msg);
    cr_assert(strstr(frame_no(res[0].steps[1].frame_no)->comment, "-> INFO"));
    cr_assert(!res[0].steps[2].ran);
    cr_assert_str_eq(res[0].steps[2].msg, "skipped: not for draft-16");
    cr_assert(res[0].steps[3].ran);
    cr_assert_eq(res[0].steps[3].verdict, EK_V_PASS);
    teardown_run();
}

Test(engine, periodic_stop_replay_and_extra_options)
{
    setup_run(P_SILENT);
    const ek_td *tds[] = { &td_stim };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_NONE);   /* no checks at all */
    cr_assert_eq(res[0].verdict, EK_V_NONE, "%s", res[0].reason);
    uint8_t a[8], rogue[8];
    ek_td_role_ext(EK_ROLE_A, a);
    ek_td_role_ext(EK_ROLE_ROGUE, rogue);
    uint64_t stop_t = lg.f[0].t_ns + 0;
    unsigned during = 0, after = 0;
    uint8_t last_seq = 0;
    const ek_run_frame *first = &lg.f[0];
    uint64_t t_stop = res[0].steps[2].t_ns + res[0].t_start_ns;
    for (size_t i = 0; i < lg.n; i++) {
        const ek_run_frame *f = &lg.f[i];
        cr_assert(f->outbound);   /* the silent peer sent nothing */
        ek_frame d;
        DECODE_IGNORING(ek_frame_decode(ek_view_make(f->psdu, f->len), true, &dut.prof, &d));
        if (memcmp(d.sum.src64, a, 8) == 0 && f->no != res[0].steps[4].frame_no) {
            if (f->t_ns <= t_stop) {
                if (during)
                    cr_assert_eq(d.sum.seq, (uint8_t)(last_seq + 1));   /* per-role MAC sequence */
                last_seq = d.sum.seq;
                during++;
            } else {
                after++;
            }
        }
    }
    (void)stop_t;
    /* every IMIN(4) = 64 ms over IMAX(1) + slack = 1044 ms: the first + 16 repeats */
    cr_assert_eq(during, 17, "%u", during);
    cr_assert_eq(after, 0);
    /* the replay is byte-identical to step 1's frame (MAC sequence number included) */
    const ek_run_frame *rp = frame_no(res[0].steps[4].frame_no);
    cr_assert(rp);
    cr_assert_eq(rp->len, first->len);
    cr_assert_eq(memcmp(rp->psdu, first->psdu, first->len), 0);
    cr_assert_eq(rp->t_ns - (res[0].steps[3].t_ns + res[0].t_start_ns), 5 * MS);   /* at = 5 ms */
    /* B's DIO carries the raw options first: f0 02 aa bb, Pad1, f1 05 01 (Length beyond the data) */
    const ek_run_frame *bf = frame_no(res[0].steps[5].frame_no);
    ek_frame d;
    DECODE_IGNORING(ek_frame_decode(ek_view_make(bf->psdu, bf->len), true, &dut.prof, &d));
    cr_assert(d.sum.has_dio);
    cr_assert_eq(d.sum.rank, 1024);
    cr_assert_eq(d.rpl.opts[0].type, 0xf0);
    cr_assert_eq(d.rpl.opts[0].length, 2);
    cr_assert_eq(d.rpl.opts[1].kind, EK_RPL_OPTK_PAD1);
    cr_assert_eq(d.rpl.opts[2].type, 0xf1);
    cr_assert_eq(d.rpl.opts[2].length, 5);
    cr_assert(strstr(res[0].steps[4].msg, "sent replay of step 1's frame as ROGUE (frame"), "%s", res[0].steps[4].msg);
    cr_assert_str_eq(res[0].steps[2].msg, "stop A's periodic DIO");
    cr_assert_str_eq(res[0].steps[1].msg, "waited");
    (void)rogue;
    teardown_run();
}

Test(engine, silence_after_death_fails_that_td_and_errors_the_rest)
{
    setup_run(P_DIE_ON_RESET2);
    const ek_td *tds[] = { &td_prop, &td_prop_b, &td_na_prof, &td_prop_c };
    ek_td_result res[4];
    cr_assert_eq(ek_engine_run(&opts, tds, 4, res), EK_V_ERROR);
    cr_assert_eq(res[0].verdict, EK_V_PASS);
    cr_assert_eq(res[1].verdict, EK_V_FAIL);
    char want[EK_MSG_MAX];
    snprintf(want, sizeof want,
             "TP-T-01b: DUT silent: no frame from the DUT during the whole TD (last heard: frame %llu)",
             (unsigned long long)lg.f[lg.td_first[0] + lg.td_n[0] - 1].no);
    cr_assert_str_eq(res[1].reason, want);
    cr_assert(!res[2].applicable);   /* n/a stays n/a */
    cr_assert_eq(res[3].verdict, EK_V_ERROR);
    snprintf(want, sizeof want, "TP-T-01c: not run: DUT stopped answering during TP-T-01b (DUT silent: no frame "
                                "from the DUT during the whole TD (last heard: frame %llu))",
             (unsigned long long)lg.f[lg.td_first[0] + lg.td_n[0] - 1].no);
    cr_assert_str_eq(res[3].reason, want);
    cr_assert_eq(lg.td_end, 4);
    cr_assert_eq(lg.td_n[3], 0);
    /* numbering runs on across TDs; the second TD's first frame says it begins */
    cr_assert_eq(lg.f[lg.td_first[1]].no, lg.f[lg.td_first[0] + lg.td_n[0] - 1].no + 1);
    cr_assert(strncmp(lg.f[lg.td_first[1]].comment, "TP-T-01b begins: propagation again", 34) == 0);
    cr_assert_eq(ek_engine_exit_code(res, 4), 1);
    teardown_run();
}

Test(engine, never_heard_dut_is_an_error_not_a_fail)
{
    setup_run(P_SILENT);
    const ek_td *tds[] = { &td_prop, &td_prop_b };
    ek_td_result res[2];
    ek_engine_run(&opts, tds, 2, res);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[0].reason, "TP-T-01: no frame from the DUT since the run began (check the radio URI, "
                                    "channel, PAN ID and DUT address)");
    cr_assert_eq(res[1].verdict, EK_V_ERROR);
    cr_assert(strncmp(res[1].reason, "TP-T-01b: not run: DUT never heard during TP-T-01 (", 51) == 0, "%s", res[1].reason);
    teardown_run();
}

Test(engine, managed_dut_killed_by_sigabrt_fails_and_cascades, .timeout = 20)
{
    char pidfile[64];
    snprintf(pidfile, sizeof pidfile, "/tmp/ek-engine-test-%ld.pid", (long)getpid());
    unlink(pidfile);
    setup_run(P_KILL_PROC);
    pr.pidfile = pidfile;
    snprintf(dut.spawn, sizeof dut.spawn, "echo $$ > %s; exec sleep 30", pidfile);
    opts.manage_dut = true;
    const ek_td *tds[] = { &td_prop, &td_prop_b };
    ek_td_result res[2];
    cr_assert_eq(ek_engine_run(&opts, tds, 2, res), EK_V_ERROR);
    cr_assert_eq(res[0].verdict, EK_V_FAIL, "%s", res[0].reason);
    cr_assert_str_eq(res[0].reason, "TP-T-01: DUT process died: killed by signal 6 (SIGABRT) during step 2");
    cr_assert_eq(res[0].deciding_step, 2);
    cr_assert_str_eq(res[0].steps[1].msg, "DUT process died: killed by signal 6 (SIGABRT) during step 2");
    cr_assert_eq(res[1].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[1].reason,
                     "TP-T-01b: not run: DUT died during TP-T-01 (DUT process died: killed by signal 6 (SIGABRT))");
    cr_assert_eq(lg.td_end, 2);
    cr_assert_eq(lg.run_end, 1);
    unlink(pidfile);
    teardown_run();
}

Test(engine, interrupted_run_errors_every_td_and_still_reports)
{
    setup_run(P_GOOD);
    volatile int stop = 1;
    opts.interrupted = &stop;
    const ek_td *tds[] = { &td_prop, &td_na_prof };
    ek_td_result res[2];
    cr_assert_eq(ek_engine_run(&opts, tds, 2, res), EK_V_ERROR);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[0].reason, "TP-T-01: interrupted");
    cr_assert(!res[1].applicable);
    cr_assert_eq(lg.td_end, 2);
    cr_assert_eq(lg.run_end, 1);
    teardown_run();
}

Test(engine, bad_td_definition_is_an_error)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_bad, &td_prop };
    ek_td_result res[2];
    ek_engine_run(&opts, tds, 2, res);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[0].reason, "TP-T-07: TD definition: step 2: unknown match field 'bogus'");
    cr_assert_eq(res[1].verdict, EK_V_PASS, "%s", res[1].reason);   /* a TD bug does not cascade */
    teardown_run();
}

Test(engine, no_radio_is_an_error_for_every_td)
{
    ek_dut d;
    ek_dut_default(&d);
    ek_engine_opts o = { .dut = &d };
    const ek_td *tds[] = { &td_prop };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&o, tds, 1, res), EK_V_ERROR);
    cr_assert_str_eq(res[0].reason, "TP-T-01: no radio or DUT profile");
}

/* Two runs with the loop radio and a deterministic peer give identical results and
 * frames (wall-clock stamps aside). */
Test(engine, deterministic_across_runs)
{
    const ek_td *tds[] = { &td_prop, &td_always, &td_not, &td_info, &td_stim };
    static ek_td_result r1[5], r2[5];
    static ek_run_frame f1[MAXF];
    size_t n1;
    for (int mode = P_GOOD; mode <= P_LOWER; mode++) {
        setup_run((pmode)mode);
        ek_engine_run(&opts, tds, 5, r1);
        n1 = lg.n;
        memcpy(f1, lg.f, n1 * sizeof *f1);
        teardown_run();
        setup_run((pmode)mode);
        ek_engine_run(&opts, tds, 5, r2);
        cr_assert_eq(lg.n, n1);
        for (size_t i = 0; i < n1; i++) {
            cr_assert_eq(lg.f[i].no, f1[i].no);
            cr_assert_eq(lg.f[i].t_ns, f1[i].t_ns);
            cr_assert_eq(lg.f[i].len, f1[i].len);
            cr_assert_eq(lg.f[i].outbound, f1[i].outbound);
            cr_assert_eq(memcmp(lg.f[i].psdu, f1[i].psdu, f1[i].len), 0);
            cr_assert_str_eq(lg.f[i].comment, f1[i].comment);
        }
        for (size_t i = 0; i < 5; i++) {
            cr_assert_eq(r1[i].verdict, r2[i].verdict);
            cr_assert_str_eq(r1[i].reason, r2[i].reason);
            cr_assert_eq(r1[i].deciding_frame, r2[i].deciding_frame);
            cr_assert_eq(r1[i].t_end_ns - r1[i].t_start_ns, r2[i].t_end_ns - r2[i].t_start_ns);
            for (unsigned s = 0; s < r1[i].n_steps; s++)
                cr_assert_str_eq(r1[i].steps[s].msg, r2[i].steps[s].msg);
        }
        teardown_run();
    }
}

/* Offline evaluation: the frames of a live (loop) run written as pcapng with direction
 * flags, replayed through the file: radio, give the same verdicts, messages, frame
 * numbers and comments. */
Test(engine, offline_file_radio_reproduces_the_live_verdicts)
{
    const ek_td *tds[] = { &td_prop, &td_not, &td_inconc };
    static ek_td_result live[3], off[3];
    static ek_run_frame f1[MAXF];
    char path[64], err[256];
    snprintf(path, sizeof path, "/tmp/ek-engine-offline-%ld.pcapng", (long)getpid());
    for (int mode = P_GOOD; mode <= P_LOWER; mode++) {
        setup_run((pmode)mode);
        ek_engine_run(&opts, tds, 3, live);
        size_t n1 = lg.n;
        memcpy(f1, lg.f, n1 * sizeof *f1);
        ek_pcapng *w = NULL;
        ek_pcapng_opts po;
        ek_pcapng_opts_default(&po);
        cr_assert_eq(ek_pcapng_open(path, &po, &w, err, sizeof err), EK_CAP_IO_OK, "%s", err);
        for (size_t i = 0; i < n1; i++)
            cr_assert_eq(ek_pcapng_write(w, f1[i].t_ns, f1[i].psdu, f1[i].len,
                                         f1[i].outbound ? EK_PCAPNG_DIR_OUT : EK_PCAPNG_DIR_IN, f1[i].comment),
                         EK_CAP_IO_OK);
        cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
        teardown_run();

        setup_run((pmode)mode);
        ek_radio_close(radio);
        char uri[80];
        snprintf(uri, sizeof uri, "file:%s", path);
        ek_radio_opts ro;
        ek_radio_opts_default(&ro);
        cr_assert_eq(ek_radio_open(uri, &ro, &radio, err, sizeof err), 0, "%s", err);
        opts.radio = radio;
        opts.reset_hook = NULL;
        opts.offline = true;
        ek_engine_run(&opts, tds, 3, off);
        for (size_t i = 0; i < 3; i++) {
            cr_assert_neq(live[i].t_reset_ns, 0);
            cr_assert_eq(off[i].t_reset_ns, 0, "offline: no reset is run");
            cr_assert_eq(off[i].verdict, live[i].verdict, "mode %d TD %zu: %s / %s", mode, i, off[i].reason,
                         live[i].reason);
            cr_assert_str_eq(off[i].reason, live[i].reason);
            cr_assert_eq(off[i].deciding_frame, live[i].deciding_frame);
            for (unsigned s = 0; s < off[i].n_steps; s++)
                cr_assert_str_eq(off[i].steps[s].msg, live[i].steps[s].msg);
        }
        cr_assert_eq(lg.n, n1);
        for (size_t i = 0; i < n1; i++) {
            cr_assert_eq(lg.f[i].no, f1[i].no);
            cr_assert_eq(lg.f[i].t_ns, f1[i].t_ns);
            cr_assert_eq(lg.f[i].outbound, f1[i].outbound);
            cr_assert_eq(memcmp(lg.f[i].psdu, f1[i].psdu, f1[i].len), 0);
            cr_assert_str_eq(lg.f[i].comment, f1[i].comment);
        }
        teardown_run();
    }
    unlink(path);
}

/* A capture that stops early: checks whose window it does not cover are inconclusive,
 * and the TDs after it are not run. */
Test(engine, offline_capture_ending_early_is_inconclusive)
{
    const ek_td *tds[] = { &td_not, &td_prop };
    static ek_td_result live[2], off[2];
    char path[64], err[256];
    snprintf(path, sizeof path, "/tmp/ek-engine-offline2-%ld.pcapng", (long)getpid());
    setup_run(P_GOOD);
    ek_engine_run(&opts, tds, 2, live);
    ek_pcapng *w = NULL;
    ek_pcapng_opts po;
    ek_pcapng_opts_default(&po);
    cr_assert_eq(ek_pcapng_open(path, &po, &w, err, sizeof err), EK_CAP_IO_OK, "%s", err);
    for (size_t i = 0; i < 3 && i < lg.n; i++)   /* the first frames only */
        cr_assert_eq(ek_pcapng_write(w, lg.f[i].t_ns, lg.f[i].psdu, lg.f[i].len,
                                     lg.f[i].outbound ? EK_PCAPNG_DIR_OUT : EK_PCAPNG_DIR_IN, NULL), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
    teardown_run();
    setup_run(P_GOOD);
    ek_radio_close(radio);
    char uri[80];
    snprintf(uri, sizeof uri, "file:%s", path);
    cr_assert_eq(ek_radio_open(uri, NULL, &radio, err, sizeof err), 0, "%s", err);
    opts.radio = radio;
    opts.reset_hook = NULL;
    opts.offline = true;
    ek_engine_run(&opts, tds, 2, off);
    cr_assert_eq(off[0].verdict, EK_V_INCONC, "%s", off[0].reason);
    cr_assert(strstr(off[0].reason, "; the capture ended before the window did"), "%s", off[0].reason);
    cr_assert_eq(off[1].verdict, EK_V_ERROR);
    cr_assert_str_eq(off[1].reason, "TP-T-01: not run: the capture ended");
    unlink(path);
    teardown_run();
}

Test(engine, radio_error_is_an_error_and_cascades)
{
    setup_run(P_STALL);
    const ek_td *tds[] = { &td_prop, &td_prop_b };
    ek_td_result res[2];
    cr_assert_eq(ek_engine_run(&opts, tds, 2, res), EK_V_ERROR);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert(strncmp(res[0].reason, "TP-T-01: radio error: loop: peer keeps a timer due at", 53) == 0, "%s",
              res[0].reason);
    cr_assert(strncmp(res[1].reason, "TP-T-01b: not run: the radio failed during TP-T-01 (radio error: loop:", 70) == 0,
              "%s", res[1].reason);
    cr_assert_eq(ek_engine_exit_code(res, 2), 2);
    teardown_run();
}

Test(engine, frames_from_another_address_are_not_the_duts)
{
    setup_run(P_GOOD);
    dut.has_ext = true;
    memcpy(dut.ext, (const uint8_t[8]){ 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x77 }, 8);
    const ek_td *tds[] = { &td_prop };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert(strstr(res[0].reason, "no frame from the DUT since the run began"), "%s", res[0].reason);
    cr_assert_gt(res[0].observed, 0);   /* the other node's frames are still evidence */
    teardown_run();
}

static const ek_step abs_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A at +0", .stim = { .from = EK_ROLE_A } },
    { .kind = EK_STEP_WAIT, .what = "30 ms", .window = EK_MS(10) },
    { .kind = EK_STEP_INJECT, .what = "B at 100 ms from the start", .at = EK_MS(100), .at_from_start = true,
      .stim = { .from = EK_ROLE_B } },
    { .kind = EK_STEP_INJECT, .what = "B at 50 ms from the start: already past", .at = EK_MS(50),
      .at_from_start = true, .stim = { .from = EK_ROLE_B } },
    { .kind = EK_STEP_INJECT, .what = "A 7 ms after the previous step", .at = EK_MS(7), .stim = { .from = EK_ROLE_A } },
};
static const ek_td td_abs = { "TP-T-08", "t", "times", "obj", "-", "cfg", EK_PROF_ALL, 0, abs_steps, 5, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(engine, absolute_and_relative_injection_times)
{
    setup_run(P_SILENT);
    const ek_td *tds[] = { &td_abs };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_NONE, "%s", res[0].reason);
    uint64_t t1 = frame_no(res[0].steps[0].frame_no)->t_ns;
    cr_assert_eq(frame_no(res[0].steps[2].frame_no)->t_ns - t1, 100 * MS);
    cr_assert_eq(frame_no(res[0].steps[3].frame_no)->t_ns - t1, 100 * MS);   /* past: at once */
    cr_assert_eq(frame_no(res[0].steps[4].frame_no)->t_ns - t1, 107 * MS);
    teardown_run();
}

/* ---- link-layer security ---- */

static const ek_step sec_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30 (K2)", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "DUT DIO verified, propagated",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x30 }, { "wpan.security", EK_OP_EQ, 1 },
                                                 { "enroll.decode.mic_ok", EK_OP_EQ, 1 }, { "wpan.aux_sec.sec_level", EK_OP_EQ, 5 } } },
      .window = EK_IMAX(1) },
    { .kind = EK_STEP_EXPECT, .what = "DUT EB verified",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 }, { "enroll.decode.mic_ok", EK_OP_EQ, 1 },
                                                { "wpan.aux_sec.sec_level", EK_OP_EQ, 1 }, { "wpan.aux_sec.frame_counter", EK_OP_GT, 0 } } },
      .window = EK_EBS(3) },
    { .kind = EK_STEP_EXPECT, .what = "a DUT frame that does not verify is still seen",
      .match = { .conds = { { "wpan.security", EK_OP_EQ, 1 }, { "enroll.decode.mic_ok", EK_OP_EQ, 0 } } }, .window = EK_EBS(4) },
    { .kind = EK_STEP_WAIT, .what = "A's periodic DIOs go on", .window = EK_IMAX(1) },
    { .kind = EK_STEP_INJECT, .what = "rogue, wrong key",
      .stim = { .from = EK_ROLE_ROGUE, .sec = EK_SSEC_WRONG_KEY, .mep = { .present = true, .min = 0x10 } } },
    { .kind = EK_STEP_INJECT, .what = "B unsecured", .stim = { .from = EK_ROLE_B, .sec = EK_SSEC_NONE } },
    { .kind = EK_STEP_INJECT, .what = "A replays step 1",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_REPLAY, .replay_step = 1 } },
    { .kind = EK_STEP_INJECT, .what = "A, counter of step 1",
      .stim = { .from = EK_ROLE_A, .fc = EK_FC_SAME_AS_STEP, .fc_step = 1, .mep = { .present = true, .min = 0x31 } } },
    { .kind = EK_STEP_INJECT, .what = "A, counter of step 1 rewound by 1",
      .stim = { .from = EK_ROLE_A, .fc = EK_FC_REWOUND, .fc_step = 1, .fc_delta = 1 } },
    { .kind = EK_STEP_INJECT, .what = "A EB (K1)", .stim = { .from = EK_ROLE_A, .kind = EK_STIM_EB, .eb_asn = 5000 } },
    { .kind = EK_STEP_INJECT, .what = "rogue EB under the default K1",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_EB, .sec = EK_SSEC_DEFAULT_K1, .eb_asn = 6000 } },
    { .kind = EK_STEP_INJECT, .what = "A next", .stim = { .from = EK_ROLE_A } },
    { .kind = EK_STEP_INJECT, .what = "A, counter of step 1 minus 2^31 (wraps: huge)",
      .stim = { .from = EK_ROLE_A, .sec = EK_SSEC_WRONG_KEY, .fc = EK_FC_REWOUND, .fc_step = 1,
                .fc_delta = 0x80000000u } },
};
static const ek_td td_sec = { "TP-T-SEC", "t", "security", "obj", "S1 S5 S9", "A + DUT, secured", EK_PROF_ALL,
                              EK_CAP_SECURED, sec_steps, 14, "rule", 0, EK_NODE_6LR, NULL, NULL };

static void setup_secured_run(void)
{
    setup_run(P_GOOD);
    char err[256];
    cr_assert_eq(ek_dut_set(&dut, "security.enabled=true", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&dut, "security.k1=000102030405060708090a0b0c0d0e0f", err, sizeof err), 0, "%s", err);
    pr.secured = true;
    pr.keys = &dut;
    pr.bad_mic_every = 3;
}

/* The Auxiliary Security Header of an injected frame (raw, as on the air). */
static ek_frame raw_fr;
static const ek_wpan_sec *inj_sec(const ek_td_result *res, unsigned step)
{
    const ek_run_frame *f = frame_no(res->steps[step - 1].frame_no);
    cr_assert(f, "step %u", step);
    cr_assert(f->outbound);
    DECODE_IGNORING(ek_frame_decode(ek_view_make(f->psdu, f->len), true, &dut.prof, &raw_fr));
    return raw_fr.mac.security ? &raw_fr.mac.sec : NULL;
}

Test(engine, secured_run_secures_stimuli_and_unprotects_dut_frames)
{
    setup_secured_run();
    const ek_td *tds[] = { &td_sec };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_PASS, "%s", res[0].reason);
    for (unsigned i = 0; i < 14; i++)
        cr_assert(res[0].steps[i].ran, "step %u", i + 1);
    /* the matcher saw the decrypted DIO and the sec.* facts */
    cr_assert(strstr(res[0].steps[1].msg, "enroll.mep.min_priority 0x30 == 0x30, wpan.security 1 == 1, enroll.decode.mic_ok 1 == 1, "
                                          "wpan.aux_sec.sec_level 5 == 5"), "%s", res[0].steps[1].msg);
    cr_assert(strstr(frame_no(res[0].steps[3].frame_no)->comment, "enroll.decode.mic_ok 0 == 0 -> PASS"));
    cr_assert_gt(res[0].dut_dios, 0);
    cr_assert_gt(res[0].dut_ebs, 0);
    /* counters: step 1 = A's first; SAME and REWOUND relative to it; NEXT monotonic per role */
    const ek_wpan_sec *s1 = inj_sec(&res[0], 1);
    cr_assert(s1);
    uint32_t f1 = s1->frame_counter;
    cr_assert_eq(f1, 1);
    cr_assert_eq(s1->key_index, 2);
    cr_assert_eq(s1->level, 5);
    uint32_t a_max = f1;
    for (size_t i = 0; i < lg.n; i++) {   /* A's periodic DIOs took the next counters */
        ek_frame f;
        if (!lg.f[i].outbound)
            continue;
        DECODE_IGNORING(ek_frame_decode(ek_view_make(lg.f[i].psdu, lg.f[i].len), true, &dut.prof, &f));
        if (f.sum.src64[7] == 0x0a && f.mac.security && lg.f[i].no < res[0].steps[7].frame_no)
            a_max = f.mac.sec.frame_counter > a_max ? f.mac.sec.frame_counter : a_max;
    }
    cr_assert_gt(a_max, 1, "periodic DIOs of A advanced its counter");
    const ek_wpan_sec *s5 = inj_sec(&res[0], 6);
    cr_assert(s5 && s5->key_index == 2);
    cr_assert_eq(s5->frame_counter, 1, "ROGUE has its own counter");
    cr_assert_null(inj_sec(&res[0], 7), "EK_SSEC_NONE: unsecured");
    const ek_run_frame *r7 = frame_no(res[0].steps[7].frame_no), *r1 = frame_no(res[0].steps[0].frame_no);
    cr_assert_eq(r7->len, r1->len);
    cr_assert_arr_eq(r7->psdu, r1->psdu, r1->len, "REPLAY stays byte-identical");
    cr_assert_eq(inj_sec(&res[0], 9)->frame_counter, f1);
    cr_assert_eq(inj_sec(&res[0], 10)->frame_counter, f1 - 1);
    const ek_wpan_sec *s10 = inj_sec(&res[0], 11);
    cr_assert_eq(s10->frame_counter, a_max + 1);
    cr_assert_eq(s10->key_index, 1);
    cr_assert_eq(s10->level, 1);
    cr_assert(ek_frame_is_class(&raw_fr, EK_CLASS_EB));
    cr_assert_eq(raw_fr.sum.asn, 5000);
    cr_assert_eq(inj_sec(&res[0], 12)->key_index, 1);
    cr_assert_eq(inj_sec(&res[0], 13)->frame_counter, a_max + 2);
    cr_assert_eq(inj_sec(&res[0], 14)->frame_counter, f1 + 0x80000000u);
    /* the peer (checking MICs with the network's keys) dropped exactly the bad ones */
    cr_assert_eq(pr.rx_unsecured, 1);
    cr_assert_eq(pr.rx_bad, 3);   /* wrong key, default K1, wrong key */
    /* the capture keeps the DUT's frames as received: secured */
    unsigned inbound = 0;
    for (size_t i = 0; i < lg.n; i++)
        if (!lg.f[i].outbound) {
            inbound++;
            cr_assert(lg.f[i].psdu[0] & EK_WPAN_FCF_SECURITY, "frame %llu", (unsigned long long)lg.f[i].no);
        }
    cr_assert_eq(inbound, res[0].observed);
    teardown_run();
}

static const ek_step fc_bad_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A", .stim = { .from = EK_ROLE_A, .fc = EK_FC_SAME_AS_STEP, .fc_step = 2 } },
    { .kind = EK_STEP_INJECT, .what = "A", .stim = { .from = EK_ROLE_A } },
};
static const ek_td td_fc_bad = { "TP-T-FC1", "t", "bad fc_step", "obj", "-", "cfg", EK_PROF_ALL, 0, fc_bad_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };
static const ek_step fc_unsec_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "B unsecured", .stim = { .from = EK_ROLE_B, .sec = EK_SSEC_NONE } },
    { .kind = EK_STEP_INJECT, .what = "B, its counter", .stim = { .from = EK_ROLE_B, .fc = EK_FC_SAME_AS_STEP, .fc_step = 1 } },
};
static const ek_td td_fc_unsec = { "TP-T-FC2", "t", "fc of an unsecured step", "obj", "-", "cfg", EK_PROF_ALL, 0, fc_unsec_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(engine, counter_of_a_step_that_sent_nothing_secured_is_an_error)
{
    setup_secured_run();
    const ek_td *tds[] = { &td_fc_bad, &td_fc_unsec };
    ek_td_result res[2];
    ek_engine_run(&opts, tds, 2, res);
    cr_assert_eq(res[0].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[0].reason,
                     "TP-T-FC1: TD definition: step 1 takes the frame counter of step 2, not an earlier INJECT");
    cr_assert_eq(res[1].verdict, EK_V_ERROR);
    cr_assert_str_eq(res[1].reason, "TP-T-FC2 step 2: frame counter of step 1: that step sent no secured frame");
    teardown_run();
}

static const ek_step unsec_view_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_EXPECT, .what = "unsecured DIO",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "wpan.security", EK_OP_EQ, 0 }, { "enroll.decode.mic_ok", EK_OP_ABSENT, 0 },
                                                 { "wpan.aux_sec.sec_level", EK_OP_ABSENT, 0 } } },
      .window = EK_IMAX(1) },
};
static const ek_td td_unsec_view = { "TP-T-SEC0", "t", "unsecured view", "obj", "-", "cfg", EK_PROF_ALL, 0, unsec_view_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(engine, security_off_frames_read_as_unsecured)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_unsec_view };
    ek_td_result res[1];
    cr_assert_eq(ek_engine_run(&opts, tds, 1, res), EK_V_PASS, "%s", res[0].reason);
    cr_assert_gt(res[0].dut_dios, 0);
    for (size_t i = 0; i < lg.n; i++)
        cr_assert_not(lg.f[i].psdu[0] & EK_WPAN_FCF_SECURITY);
    teardown_run();
}

/* ---- must_next, PAN hint, one verdict for a DUT that sends no EB ---- */

static const ek_step next_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A advertises min 0x30", .stim = A_DIO_30 },
    { .kind = EK_STEP_NEXT, .what = "the next DIO carries min 0x30",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x30 } } }, .window = EK_IMAX(1) },
    { .kind = EK_STEP_NEXT, .what = "the next DIO carries min 0x31 (never)",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x31 } } }, .window = EK_IMAX(1) },
};
static const ek_td td_next = { "TP-T-NEXT", "t", "next", "obj", "-", "cfg", EK_PROF_ALL, 0, next_steps, 3, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(engine, next_step_judges_only_the_next_frame_of_its_class)
{
    setup_run(P_GOOD);
    const ek_td *tds[] = { &td_next };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].steps[1].verdict, EK_V_PASS, "%s", res[0].steps[1].msg);
    cr_assert(strstr(res[0].steps[1].msg, "next DIO "), "%s", res[0].steps[1].msg);
    uint64_t first = res[0].steps[1].frame_no;
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    cr_assert_eq(res[0].deciding_step, 3);
    /* step 3 failed on the very next DIO after step 2's, not at the end of its window */
    uint64_t d = res[0].deciding_frame;
    cr_assert_gt(d, first);
    for (size_t i = 0; i < lg.n; i++) {
        if (lg.f[i].no <= first || lg.f[i].no >= d || lg.f[i].outbound)
            continue;
        ek_frame f;
        DECODE_IGNORING(ek_frame_decode(ek_view_make(lg.f[i].psdu, lg.f[i].len), true, &dut.prof, &f));
        cr_assert(!ek_frame_is_class(&f, EK_CLASS_DIO), "frame %llu is a DIO before the deciding one",
                  (unsigned long long)lg.f[i].no);
    }
    cr_assert(res[0].steps[2].t_ns < 200 * MS, "step 3 ran its whole window");
    teardown_run();
}

Test(engine, other_pan_id_is_named_in_the_reason)
{
    setup_run(P_OTHER_PAN);
    const ek_td *tds[] = { &td_inconc };
    ek_td_result res[1];
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_eq(res[0].verdict, EK_V_INCONC);
    cr_assert(strstr(res[0].reason, "carry another PAN ID than the profile's 0xface: check [dut] pan_id"), "%s",
              res[0].reason);
    teardown_run();
    setup_run(P_GOOD);
    ek_engine_run(&opts, tds, 1, res);
    cr_assert_null(strstr(res[0].reason, "PAN ID"), "%s", res[0].reason);
    teardown_run();
}

static const ek_td td_eb_a = { "TP-T-EB1", "t", "EBs", "obj", "-", "cfg", EK_PROF_ALL,
                               EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };
static const ek_td td_eb_b = { "TP-T-EB2", "t", "EBs again", "obj", "-", "cfg", EK_PROF_ALL,
                               EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB, prop_steps, 4, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(engine, a_dut_declared_eb_that_sends_none_fails_once)
{
    setup_run(P_NO_EB);
    const ek_td *tds[] = { &td_eb_a, &td_prop, &td_eb_b };
    ek_td_result res[3];
    ek_engine_run(&opts, tds, 3, res);
    cr_assert_eq(res[0].verdict, EK_V_FAIL);
    cr_assert(strstr(res[0].reason, "the DUT has sent no Enhanced Beacon in this run although its profile declares "
                                    "capability eb"), "%s", res[0].reason);
    cr_assert_eq(res[1].verdict, EK_V_FAIL);   /* td_prop needs no EB capability but checks EBs: judged */
    cr_assert_eq(res[2].verdict, EK_V_INCONC);
    cr_assert_str_eq(res[2].reason, "TP-T-EB2: not run: the DUT has sent no Enhanced Beacon in this run (TP-T-EB1 "
                                    "failed on it); does it really have capability eb?");
    teardown_run();
}
