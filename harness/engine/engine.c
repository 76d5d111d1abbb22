/* SPDX-License-Identifier: BSD-3-Clause */
/* The TD runner: applicability, DUT reset, then each step in order -
 * stimuli (inject, periodic, replay, stop), checks in packetdrill / pktverify style
 * (must_next = EXPECT, must_not_next = EXPECT_NOT, ALWAYS over a window) - with the
 * TTCN-3 verdict lattice, the first non-pass reason kept and the deciding frames
 * commented.  Every time comes from the radio clock, so the loop radio replays a run
 * exactly.  With a secured DUT profile stimuli are secured per RFC 8180 §4.6
 * and the DUT's frames are unprotected (IEEE 802.15.4-2015 §9.2.5 MIC check) before
 * they are decoded and judged; the capture keeps them as received. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ek/fcs.h"
#include "ek/match.h"
#include "engine_int.h"

#define NS_PER_MS 1000000ull
#define RESET_TIMEOUT_MS 10000u
#define PROC_POLL_NS (50 * NS_PER_MS)   /* how often a managed DUT's liveness is checked */
#define STOP_GRACE_MS 1000u

typedef struct periodic {
    bool on;
    unsigned step;              /* 1-based INJECT step that started it */
    const ek_stimulus *stim;
    uint64_t next_ns, period_ns;
} periodic;

typedef struct run {
    const ek_engine_opts *o;
    ek_dut dut;                 /* working copy: the DUT address is learnt into it */
    ek_radio *radio;
    unsigned prof_bit;
    uint64_t frame_no;          /* run-wide frame counter */
    uint8_t seq[EK_ROLE_COUNT]; /* MAC sequence number per role (IEEE 802.15.4-2015 §8.2.3) */
    uint32_t fc[EK_ROLE_COUNT]; /* last frame counter per role (§9.4.2), monotonic over the run */
    ek_sec_keyring ring;        /* {k1, k2}: unprotects the DUT's frames */
    uint64_t asn;               /* ASN-nonce mode: latest ASN announced (DUT EB or our EB) */
    ek_dutproc proc;
    bool have_proc;
    bool dut_heard;             /* any DUT frame this run */
    uint64_t dut_last_no;
    bool eof;                   /* the capture file ended */
    bool first_td_done;
    uint64_t t_first_step;      /* radio time the TD's first step began */
    /* cascade: later TDs are not run */
    bool stop_run;
    char stop_reason[EK_MSG_MAX];
    /* the running TD */
    const ek_td *td;
    ek_td_result *res;
    ek_run_frame *frames;
    size_t n_frames, cap_frames;
    ek_td_ctx ctx;
    uint8_t inj[EK_TD_MAX_STEPS + 1][EK_BUILD_MPDU_MAX];
    periodic per[EK_ROLE_COUNT];
    unsigned td_dut_frames;
    uint64_t last_t[EK_FRAME_CLASS_COUNT], prev_t[EK_FRAME_CLASS_COUNT]; /* DUT frame times per ek_frame_class */
    bool has_last_dio, last_dio_has_mep; /* the DUT's latest DIO in this TD and its option */
    ek_minprio last_dio_mep;
    uint64_t cur_no;            /* number of the frame pump() returned */
    ek_radio_frame ahead;       /* read at a deadline but arrived after it: the next window's */
    bool have_ahead;
    bool fatal;                 /* death, radio error or interrupt in this TD */
    ek_verdict fatal_v;
    char fatal_msg[EK_MSG_MAX];
    bool fatal_cascade;         /* death / radio: later TDs are ERROR */
    ek_frame fr;                /* decode scratch (views into rxbuf or plain) */
    ek_frame nfr;               /* decode scratch for the harness's own DIOs (monitor) */
    ek_monitor mon;             /* passive monitors of the DUT (ek/monitor.h) */
    uint64_t fatal_no;          /* frame that made the TD fatal (monitor finding), 0 = none */
    /* PAN ID evidence for the "never heard" hints */
    unsigned pan_other, pan_other_dut;
    uint16_t pan_seen;
    /* Enhanced Beacons: the first EB-needing TD that saw none while the DUT talked */
    uint64_t run_ebs;
    const ek_td *eb_missing_td;
    void *agent;                /* the running TD's agent state (ek_td_agent), or NULL */
    uint8_t rxbuf[EK_RADIO_PSDU_MAX];   /* the DUT frame being judged, as received */
    uint8_t plain[EK_RADIO_PSDU_MAX];   /* its plaintext MPDU after ek_sec_unprotect */
} run;

static uint64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A duration in the DUT's units -> ns (ek_dut_ms_per_unit), saturating. */
static uint64_t dur_ns(const ek_dut *d, ek_dur x)
{
    bool half = x.unit == EK_T_HALF_IMAX;
    uint64_t ms = ek_dut_ms_per_unit(d, half ? (int)EK_T_IMAX : (int)x.unit);
    if (x.n == 0 || ms == 0)
        return 0;
    if (ms > UINT64_MAX / NS_PER_MS / x.n)
        return UINT64_MAX / 2;
    return half ? ms * x.n * (NS_PER_MS / 2) : ms * x.n * NS_PER_MS;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A step's window: window + window_plus + slack, saturating. */
static uint64_t window_ns(const run *r, const ek_step *st)
{
    uint64_t w = sat_add(dur_ns(&r->dut, st->window), dur_ns(&r->dut, st->window_plus));
    return sat_add(w, (uint64_t)r->dut.slack_ms * NS_PER_MS);
}

/* ---- evidence ---- */

static ek_run_frame *record(run *r, const uint8_t *psdu, size_t len, uint64_t t_ns, uint8_t channel, bool out)
{
    if (r->n_frames == r->cap_frames) {
        size_t cap = r->cap_frames ? r->cap_frames * 2 : 64;
        ek_run_frame *nf = realloc(r->frames, cap * sizeof *nf);
        if (!nf)
            return NULL;
        r->frames = nf;
        r->cap_frames = cap;
    }
    ek_run_frame *f = &r->frames[r->n_frames++];
    memset(f, 0, offsetof(ek_run_frame, psdu));
    f->no = ++r->frame_no;
    f->t_ns = t_ns;
    /* a live radio's frame: the wall-clock time it arrived, not when it was read */
    f->t_wall_ns = ek_radio_is_live(r->radio) ? ek_radio_wall_ns(r->radio, t_ns) : wall_ns();
    f->outbound = out;
    f->channel = channel;
    f->len = len > EK_RADIO_PSDU_MAX ? EK_RADIO_PSDU_MAX : len;
    memcpy(f->psdu, psdu, f->len);
    f->comment[0] = '\0';
    if (r->n_frames == 1)
        ek_msgf(f->comment, sizeof f->comment, "%s begins: %s", r->td->id, r->td->title ? r->td->title : "");
    if (out)
        r->res->injected++;
    else
        r->res->observed++;
    return f;
}

/* Appends a comment to a frame of the running TD ("; " between comments). */
static void comment(run *r, uint64_t no, const char *fmt_text)
{
    if (no == 0 || r->n_frames == 0 || no < r->frames[0].no)
        return;
    size_t i = (size_t)(no - r->frames[0].no);
    if (i >= r->n_frames)
        return;
    char *c = r->frames[i].comment;
    size_t u = strlen(c);
    if (u + 1 < EK_MSG_MAX)
        ek_msgf(c + u, EK_MSG_MAX - u, "%s%s", u ? "; " : "", fmt_text);
}

static void set_fatal(run *r, ek_verdict v, bool cascade, const char *msg)
{
    if (r->fatal)
        return;
    r->fatal = true;
    r->fatal_v = v;
    r->fatal_cascade = cascade;
    ek_msgf(r->fatal_msg, sizeof r->fatal_msg, "%s", msg);
}

/* ---- sending ---- */

static int send_frame(run *r, const uint8_t *mpdu, size_t len, uint64_t *no)
{
    uint64_t t = 0;
    if (ek_radio_send(r->radio, mpdu, len, &t) != 0) {
        char m[EK_MSG_MAX];
        ek_msgf(m, sizeof m, "radio error while sending: %s", ek_radio_errmsg(r->radio));
        set_fatal(r, EK_V_ERROR, true, m);
        return -1;
    }
    uint8_t psdu[EK_RADIO_PSDU_MAX];
    size_t n = len + 2 > EK_RADIO_PSDU_MAX ? EK_RADIO_PSDU_MAX - 2 : len;
    memcpy(psdu, mpdu, n);
    uint16_t fcs = ek_fcs16(ek_view_make(mpdu, n));   /* §7.2.10: LSB first on air */
    psdu[n] = (uint8_t)(fcs & 0xff);
    psdu[n + 1] = (uint8_t)(fcs >> 8);
    ek_run_frame *f = record(r, psdu, n + 2, t, r->dut.channel, true);
    if (no)
        *no = f ? f->no : 0;
    return 0;
}

/* The frame counter a secured stimulus carries (ek_stim_fc): the role's next, or one
 * relative to an earlier step's (modulo 2^32: a delta above it wraps to a huge counter).
 * -1 when that step sent nothing secured. */
static int stim_fc(run *r, const ek_stimulus *s, uint32_t *fc, char *err, size_t errlen)
{
    if (s->fc == EK_FC_NEXT) {
        *fc = ++r->fc[s->from];
        return 0;
    }
    unsigned k = s->fc_step;
    if (k == 0 || k > EK_TD_MAX_STEPS || !r->ctx.injected_secured[k]) {
        ek_msgf(err, errlen, "frame counter of step %u: that step sent no secured frame", k);
        return -1;
    }
    *fc = s->fc == EK_FC_REWOUND ? r->ctx.injected_fc[k] - s->fc_delta : r->ctx.injected_fc[k];
    return 0;
}

/* Builds, secures (when the profile and s->sec say so) and sends a DIO or EB stimulus as
 * `step` (1-based).  keep: store it in ctx.injected. */
static int send_stim(run *r, const ek_stimulus *s, unsigned step, bool keep, uint64_t *no, char *err, size_t errlen)
{
    uint8_t buf[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_minprio mep;
    bool has_mep = false, is_eb = s->kind == EK_STIM_EB, secured = false;
    memset(&mep, 0, sizeof mep);
    int rc;
    if (s->kind == EK_STIM_AGENT) {
        /* the TD's agent builds it (td_valid made sure there is one); unsecured, like every
         * frame of a pledge's join (RFC 9031 §5) */
        rc = r->td->agent->build(r->agent, &r->ctx, s, r->seq[s->from], ek_radio_now(r->radio), buf, sizeof buf, &len,
                                 err, errlen);
        if (rc != 0)
            return -2;
        r->seq[s->from]++;
        if (keep && step <= EK_TD_MAX_STEPS) {
            memcpy(r->inj[step], buf, len);
            r->ctx.injected[step] = r->inj[step];
            r->ctx.injected_len[step] = len;
            r->ctx.injected_from[step] = s->from;
        }
        return send_frame(r, buf, len, no);
    }
    rc = is_eb                     ? ek_stim_build_eb(s, &r->dut, r->seq[s->from], buf, sizeof buf, &len, err, errlen)
         : s->kind == EK_STIM_DIS ? ek_stim_build_dis(s, &r->dut, r->seq[s->from], buf, sizeof buf, &len, err, errlen)
                                  : ek_stim_build(s, &r->dut, &r->ctx, r->seq[s->from], buf, sizeof buf, &len, &mep,
                                                  &has_mep, err, errlen);
    if (rc != 0)
        return -2;
    bool is_dio = s->kind == EK_STIM_DIO;
    if (is_dio) {
        /* the plaintext DIO a neighbour sends: what the monitors compare the DUT against
         * (not a DIO a compliant DUT must drop: unsecured or wrongly keyed in a secured
         * network), and the rank / MinHopRankIncrease the TD's predicates read */
        ek_status nst = ek_frame_decode(ek_view_make(buf, len), false, &r->dut.prof, &r->nfr);
        (void)nst;   /* what decoded is what is learnt */
        if (!r->dut.secured || s->sec == EK_SSEC_AUTO)
            ek_monitor_neighbour_frame(&r->mon, &r->nfr, r->frame_no + 1, ek_radio_now(r->radio));
    }
    uint32_t fc = 0;
    ek_sec_key key;
    uint8_t level;
    if (ek_stim_sec_key(s, &r->dut, is_eb, &key, &level)) {
        if (stim_fc(r, s, &fc, err, errlen) != 0)
            return -2;
        if (is_eb)
            r->asn = s->eb_asn;
        if (ek_stim_secure(s, &r->dut, is_eb, fc, is_eb ? s->eb_asn : r->asn, buf, sizeof buf, &len, &secured, err,
                           errlen) != 0)
            return -2;
    }
    r->seq[s->from]++;
    if (keep && step <= EK_TD_MAX_STEPS) {
        memcpy(r->inj[step], buf, len);
        r->ctx.injected[step] = r->inj[step];
        r->ctx.injected_len[step] = len;
        r->ctx.injected_has_mep[step] = has_mep;
        r->ctx.injected_mep[step] = mep;
        r->ctx.injected_secured[step] = secured;
        r->ctx.injected_fc[step] = fc;
        r->ctx.injected_from[step] = s->from;
        r->ctx.injected_rank[step] = 0;
        r->ctx.injected_mhri[step] = 0;
        if (is_dio && r->nfr.sum.has_dio) {
            r->ctx.injected_rank[step] = r->nfr.sum.rank;
            for (unsigned i = 0; r->nfr.has_rpl && i < r->nfr.rpl.n_opts; i++)
                if (r->nfr.rpl.opts[i].kind == EK_RPL_OPTK_DODAG_CONF && r->nfr.rpl.opts[i].err.code == EK_OK)
                    r->ctx.injected_mhri[step] = r->nfr.rpl.opts[i].u.conf.min_hop_rank_inc;
        }
    }
    return send_frame(r, buf, len, no);
}

static void run_periodic(run *r, uint64_t now)
{
    for (int i = 0; i < EK_ROLE_COUNT && !r->fatal; i++) {
        periodic *p = &r->per[i];
        if (!p->on || p->next_ns > now)
            continue;
        char err[EK_MSG_MAX];
        int rc;
        if (p->stim->kind == EK_STIM_REPLAY)
            rc = send_frame(r, r->ctx.injected[p->stim->replay_step], r->ctx.injected_len[p->stim->replay_step], NULL);
        else
            rc = send_stim(r, p->stim, p->step, false, NULL, err, sizeof err);
        if (rc == -2) {
            char m[EK_MSG_MAX];
            ek_msgf(m, sizeof m, "periodic stimulus of step %u: %s", p->step, err);
            set_fatal(r, EK_V_ERROR, false, m);
        }
        p->next_ns = sat_add(p->next_ns, p->period_ns);
        if (p->next_ns <= now)
            p->next_ns = sat_add(now, p->period_ns);
    }
}

/* ---- receiving ---- */

static bool is_harness_addr(const uint8_t ext[8])
{
    for (int i = 0; i < EK_ROLE_COUNT; i++) {
        uint8_t a[8];
        ek_td_role_ext((ek_role)i, a);
        if (memcmp(a, ext, 8) == 0)
            return true;
    }
    return false;
}

static bool is_dut_frame(run *r, const ek_frame *f)
{
    const ek_frame_summary *s = &f->sum;
    if (r->dut.has_ext)
        return s->has_src64 && memcmp(s->src64, r->dut.ext, 8) == 0;
    if (s->has_src64 && is_harness_addr(s->src64))
        return false;
    if (s->has_src64) {   /* learn the DUT's address from its first frame */
        memcpy(r->dut.ext, s->src64, 8);
        r->dut.has_ext = true;
    }
    return true;
}

/* The DUT frame in r->fr (decoded from rxbuf[0..len), FCS included) as the matcher must
 * see it.  Security off: as decoded, sec.* from its own header.  Security on and the
 * frame secured: unprotected with {k1, k2} (IEEE 802.15.4-2015 §9.2.5: key lookup, level
 * check, CCM* MIC), the plaintext decoded in its place; a frame that does not verify
 * stays as received (ciphertext at ENC levels) with sec.mic_ok 0.  Frame counters of
 * the DUT are reported (sec.frame_counter), not judged here: TDs decide. */
static void dut_unprotect(run *r, size_t len)
{
    ek_frame_sec *fs = &r->ctx.frame_sec;
    memset(fs, 0, sizeof *fs);
    fs->secured = r->fr.has_mac && r->fr.mac.security;
    if (fs->secured) {
        fs->level = r->fr.mac.sec.level;
        fs->has_fc = !r->fr.mac.sec.fc_suppressed;
        fs->frame_counter = fs->has_fc ? r->fr.mac.sec.frame_counter : 0;
    }
    if (!r->dut.secured || !fs->secured || len < 2)
        return;
    fs->checked = true;
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    if (r->dut.has_ext) {
        env.has_src_ext = true;
        memcpy(env.src_ext, r->dut.ext, 8);
    }
    /* ASN nonce: an EB names its own ASN (clear at MIC-only levels); other frames use
     * the latest one announced (our frames are not slotted) */
    env.asn = r->fr.sum.has_asn ? r->fr.sum.asn : r->asn;
    ek_frame_fcs fcs = { r->fr.sum.fcs, r->fr.sum.fcs_ok };
    ek_sec_info info;
    ek_err e = { 0 };
    size_t plen = 0;
    ek_status st = ek_sec_unprotect(ek_view_make(r->rxbuf, len - 2), &r->ring, NULL, &env, &r->dut.prof, r->plain,
                                    sizeof r->plain, &plen, &info, &e);
    if (st != EK_OK || !info.mic_ok)
        return;
    fs->mic_ok = true;
    ek_status dst = ek_frame_decode_mpdu(ek_view_make(r->plain, plen), &fcs, &r->dut.prof, &r->fr);
    (void)dst;
    r->fr.sum.secured = true;   /* key "secured": as on the air (the plaintext has the bit clear) */
    if (r->fr.sum.has_asn)
        r->asn = r->fr.sum.asn;
}

/* PAN IDs on the channel that are not the profile's (the "never heard" hint). */
static void note_pan(run *r, const ek_frame_summary *s)
{
    if (!s->has_mac || (!s->has_dst_pan && !s->has_src_pan))
        return;
    uint16_t pan = s->has_dst_pan ? s->dst_pan : s->src_pan;
    if (pan == r->dut.pan_id || pan == 0xffff)
        return;
    r->pan_other++;
    r->pan_seen = pan;
}

/* Runs the passive monitors on the DUT frame in r->fr (frame `no`): every finding is a
 * comment on that frame; the first FAIL finding ends the TD as FAIL (not a cascade). */
static void monitor_dut_frame(run *r, uint64_t no, uint64_t t_ns)
{
    ek_monitor_finding fnd[EK_MONITOR_MAX_FINDINGS];
    size_t n = ek_monitor_node_frame(&r->mon, &r->fr, t_ns, fnd, EK_MONITOR_MAX_FINDINGS);
    for (size_t i = 0; i < n; i++) {
        char c[EK_MSG_MAX];
        bool fail = fnd[i].severity == EK_MON_FAIL;
        ek_msgf(c, sizeof c, "%s monitor %s (%s; %s): %s -> %s", r->td->id, fnd[i].rule, fnd[i].req, fnd[i].section,
                fnd[i].msg, fail ? "FAIL" : "INFO");
        comment(r, no, c);
        if (!fail) {
            r->res->monitor_infos++;
            r->res->info = true;
            continue;
        }
        r->res->monitor_fails++;
        if (!r->fatal) {
            ek_msgf(c, sizeof c, "monitor %s (%s; %s): %s (frame %llu)", fnd[i].rule, fnd[i].req, fnd[i].section,
                    fnd[i].msg, (unsigned long long)no);
            set_fatal(r, EK_V_FAIL, false, c);
            r->fatal_no = no;
        }
    }
}

/* The first enrollment option of the configured type in a decoded DIO that decoded
 * without error; false when there is none. */
static bool dio_mep(const ek_frame *f, ek_minprio *out)
{
    for (unsigned i = 0; i < f->rpl.n_opts; i++)
        if (f->rpl.opts[i].kind == EK_RPL_OPTK_MEP && f->rpl.opts[i].err.code == EK_OK) {
            *out = f->rpl.opts[i].u.mep;
            return true;
        }
    memset(out, 0, sizeof *out);
    return false;
}

/* The TD's agent sees the DUT frame in r->fr (rxbuf[0..mpdu_len) as received) and sends
 * whatever it answers at once (offline the capture holds the answers already). */
static void agent_answer(run *r, size_t mpdu_len, uint64_t t_ns)
{
    ek_agent_reply rep[EK_AGENT_MAX_REPLIES];
    r->ctx.t_frame_ns = t_ns;
    unsigned n = r->td->agent->dut_frame(r->agent, &r->ctx, &r->fr, r->rxbuf, mpdu_len, t_ns, r->seq, rep,
                                         EK_AGENT_MAX_REPLIES);
    for (unsigned i = 0; i < n && i < EK_AGENT_MAX_REPLIES && !r->fatal; i++)
        if (rep[i].len && !r->o->offline)
            (void)send_frame(r, rep[i].mpdu, rep[i].len, NULL);
}

/* Waits until `deadline` (radio clock) or a DUT frame.  Sends periodic stimuli and
 * records every frame on the way.  Returns 1 with the decoded DUT frame in r->fr
 * (number r->cur_no), 0 at the deadline, -1 on a fatal condition (r->fatal). */
static int pump(run *r, uint64_t deadline)
{
    for (;;) {
        if (r->fatal)
            return -1;
        if (r->o->interrupted && *r->o->interrupted) {
            set_fatal(r, EK_V_ERROR, false, "interrupted");
            return -1;
        }
        if (r->have_proc) {
            char why[128], m[EK_MSG_MAX];
            if (!ek_dutproc_alive(&r->proc, why, sizeof why)) {
                ek_msgf(m, sizeof m, "DUT process died: %s", why);
                set_fatal(r, EK_V_FAIL, true, m);
                return -1;
            }
        }
        uint64_t now = ek_radio_now(r->radio);
        run_periodic(r, now);
        if (r->fatal)
            return -1;
        ek_radio_frame rf;
        int rc;
        if (r->have_ahead) {
            if (r->ahead.t_ns > deadline)
                return 0;
            rf = r->ahead;
            r->have_ahead = false;
            rc = 1;
        } else if (now >= deadline) {
            /* A live radio's frames that arrived by the deadline but were not read yet (the
             * harness was not scheduled in time) still belong to this window: a window is
             * judged by arrival, never by the harness's own latency. */
            if (r->eof || !ek_radio_is_live(r->radio) || ek_radio_recv(r->radio, &rf, 0) != 1)
                return 0;
            rc = 1;
        } else {
            uint64_t until = deadline;
            for (int i = 0; i < EK_ROLE_COUNT; i++)
                if (r->per[i].on && r->per[i].next_ns < until)
                    until = r->per[i].next_ns;
            if (r->have_proc && until > now + PROC_POLL_NS)
                until = now + PROC_POLL_NS;
            if (r->eof) {
                ek_radio_sleep_until(r->radio, until);
                continue;
            }
            rc = ek_radio_recv(r->radio, &rf, until);
        }
        /* read now, but it came after the window (a late wake-up): the next window's */
        if (rc == 1 && rf.t_ns > deadline && ek_radio_is_live(r->radio)) {
            r->ahead = rf;
            r->have_ahead = true;
            return 0;
        }
        if (rc == 0)
            continue;
        if (rc < 0) {
            if (ek_radio_eof(r->radio)) {
                r->eof = true;   /* offline: nothing more will come; windows run out */
                continue;
            }
            char m[EK_MSG_MAX];
            ek_msgf(m, sizeof m, "radio error: %s", ek_radio_errmsg(r->radio));
            set_fatal(r, EK_V_ERROR, true, m);
            return -1;
        }
        if (rf.outbound)
            continue;   /* file radio: the harness's own recorded sends */
        ek_run_frame *rec = record(r, rf.psdu, rf.len, rf.t_ns, rf.channel, false);
        uint64_t no = rec ? rec->no : r->frame_no;
        /* a frame with problems is still judged on what decoded (errors are in fr); fr
         * borrows from rxbuf, which lives as long as the judgement */
        size_t rlen = rf.len > sizeof r->rxbuf ? sizeof r->rxbuf : rf.len;
        memcpy(r->rxbuf, rf.psdu, rlen);
        ek_status dst = ek_frame_decode(ek_view_make(r->rxbuf, rlen), true, &r->dut.prof, &r->fr);
        (void)dst;
        note_pan(r, &r->fr.sum);
        if (!is_dut_frame(r, &r->fr)) {
            /* another node on the channel: a neighbour the monitors learn from (only with
             * an EUI-64 source: a short-address frame may be the DUT's own) */
            if (r->fr.sum.has_src64 && !is_harness_addr(r->fr.sum.src64))
                ek_monitor_neighbour_frame(&r->mon, &r->fr, no, rf.t_ns);
            continue;
        }
        if (r->fr.sum.has_dst_pan || r->fr.sum.has_src_pan) {
            uint16_t pan = r->fr.sum.has_dst_pan ? r->fr.sum.dst_pan : r->fr.sum.src_pan;
            if (pan != r->dut.pan_id && pan != 0xffff)
                r->pan_other_dut++;
        }
        dut_unprotect(r, rlen);
        if (!(r->ctx.frame_sec.checked && !r->ctx.frame_sec.mic_ok))
            monitor_dut_frame(r, no, rf.t_ns);   /* a frame that did not verify is not judged */
        if (r->agent && r->td->agent->dut_frame && rlen >= 2)
            agent_answer(r, rlen - 2, rf.t_ns);
        if (ek_frame_is_class(&r->fr, EK_CLASS_DIO))
            r->res->dut_dios++;
        if (ek_frame_is_class(&r->fr, EK_CLASS_EB))
            r->res->dut_ebs++;
        if (ek_frame_is_class(&r->fr, EK_CLASS_COAP))
            r->res->dut_coap++;
        r->td_dut_frames++;
        if (ek_frame_is_class(&r->fr, EK_CLASS_EB))
            r->run_ebs++;
        r->dut_heard = true;
        r->dut_last_no = no;
        r->cur_no = no;
        r->ctx.t_frame_ns = rf.t_ns;
        if (ek_frame_is_class(&r->fr, EK_CLASS_DIO)) {
            /* the previous DIO's option for predicates; this one's kept for the next */
            r->ctx.has_prev_dio = r->has_last_dio;
            r->ctx.prev_dio_has_mep = r->last_dio_has_mep;
            r->ctx.prev_dio_mep = r->last_dio_mep;
            r->has_last_dio = true;
            r->last_dio_has_mep = dio_mep(&r->fr, &r->last_dio_mep);
        }
        for (int c = 0; c < EK_FRAME_CLASS_COUNT; c++) {
            r->prev_t[c] = r->last_t[c];
            if (ek_frame_is_class(&r->fr, (ek_frame_class)c))
                r->last_t[c] = rf.t_ns;
        }
        return 1;
    }
}

/* Observes until the deadline, ignoring what arrives (beyond recording it). */
static int idle_until(run *r, uint64_t deadline)
{
    int rc;
    while ((rc = pump(r, deadline)) == 1) {
    }
    return rc;
}

/* Until the spawned DUT prints `line` (dut.ready_line after spawn, dut.reset_line after a
 * reset command), observing meanwhile.  A process starts in milliseconds on an idle
 * machine and in seconds on a loaded one (or behind a boot loader), and a reset signal
 * is carried out when the DUT next gets the CPU; a stimulus sent before is lost, and the
 * TD would call a compliant DUT silent.  1 = printed; 0 = not within ready_timeout_ms
 * (msg says so); -1 = the observation itself ended (r->fatal: the DUT died, a monitor
 * FAIL on a frame it sent meanwhile, the radio, an interrupt), for the caller to report
 * as any failure before the next step. */
static int wait_dut_line(run *r, const char *line, const char *key, const char *after, char *msg, size_t msglen)
{
    uint64_t start = ek_radio_now(r->radio);
    uint64_t deadline = sat_add(start, (uint64_t)r->dut.ready_timeout_ms * NS_PER_MS);
    for (;;) {
        if (ek_dutproc_log_has(&r->proc, line))
            return 1;
        uint64_t now = ek_radio_now(r->radio);
        if (now >= deadline) {
            const char *log = r->o->dut_log_path && r->o->dut_log_path[0] ? r->o->dut_log_path : NULL;
            ek_msgf(msg, msglen, "the DUT, still running, printed no \"%s\" (%s) in %u ms "
                                 "(dut.ready_timeout_ms)%s; its output is %s%s", line, key,
                     (unsigned)r->dut.ready_timeout_ms, after, log ? "in " : "not kept (--out DIR or --dut-log FILE)",
                     log ? log : "");
            return 0;
        }
        if (idle_until(r, now + 5 * NS_PER_MS < deadline ? now + 5 * NS_PER_MS : deadline) < 0)
            return -1;
    }
}

/* The profile's reset command (with $EK_DUT_PID), then, for a spawned DUT, its
 * dut.reset_line, then stdin_file / init_commands again (a booted console takes them).
 * 0; -1 + err (a set-up ERROR); -2: the observation ended while waiting (r->fatal). */
static int reset_command(run *r, char *err, size_t errlen)
{
    bool ack = r->have_proc && r->dut.reset_line[0];
    if (ack)
        ek_dutproc_log_skip(&r->proc);   /* the line printed at an earlier reset does not count */
    int rc = r->have_proc ? ek_dutproc_run_io(&r->proc, r->dut.reset, RESET_TIMEOUT_MS, err, errlen)
                          : ek_dutproc_run(r->dut.reset, 0, RESET_TIMEOUT_MS, err, errlen);
    if (rc == 0 && ack) {
        int w = wait_dut_line(r, r->dut.reset_line, "dut.reset_line", " after its reset", err, errlen);
        if (w < 0)
            return -2;
        rc = w == 1 ? 0 : -1;
    }
    if (rc == 0 && r->have_proc && (r->dut.stdin_file[0] || r->dut.init_commands[0]))
        rc = ek_dutproc_send_init(&r->proc, &r->dut, err, errlen);
    return rc;
}

/* Starts the profile's spawn command, its output in dut_log (NULL or "": discarded).  With
 * dut.ready_line or dut.reset_line the output is read back (ek_dutproc_watch_log):
 * without a log, from a temporary file gone once the run ends.  0, or -1 + err (nothing
 * left running). */
static int spawn_dut(run *r, const char *dut_log, bool want_stdin, char *err, size_t errlen)
{
    char tmp_log[PATH_MAX] = "";
    const char *log_path = dut_log;
    int rc = 0;
    const char *watch_key = r->dut.ready_line[0] ? "dut.ready_line" : r->dut.reset_line[0] ? "dut.reset_line" : NULL;
    if (watch_key && !(log_path && log_path[0])) {
        const char *td = getenv("TMPDIR");
        snprintf(tmp_log, sizeof tmp_log, "%s/ek-dut-log-XXXXXX", td && td[0] ? td : "/tmp");
        int fd = mkstemp(tmp_log);
        if (fd < 0) {
            ek_msgf(err, errlen, "%s: cannot create a file for the DUT's output (%s): %s",
                     watch_key, tmp_log, strerror(errno));
            tmp_log[0] = '\0';
            rc = -1;
        } else {
            close(fd);
            log_path = tmp_log;
        }
    }
    if (rc == 0)
        rc = ek_dutproc_spawn_io(&r->proc, r->dut.spawn, log_path, want_stdin, err, errlen);
    if (rc == 0 && watch_key && ek_dutproc_watch_log(&r->proc, log_path, err, errlen) != 0) {
        char m[EK_MSG_MAX];
        ek_msgf(m, sizeof m, "%s: %s", watch_key, err);
        ek_msgf(err, errlen, "%s", m);
        ek_dutproc_stop(&r->proc, 500);
        rc = -1;
    }
    if (tmp_log[0])
        unlink(tmp_log);   /* the DUT and the watch keep it open */
    return rc;
}

/* ---- steps ---- */

static const char *vname_upper(ek_verdict v, bool info)
{
    if (info)
        return "INFO";
    switch (v) {
    case EK_V_PASS: return "PASS";
    case EK_V_INCONC: return "INCONC";
    case EK_V_FAIL: return "FAIL";
    case EK_V_ERROR: return "ERROR";
    default: return "NONE";
    }
}

static void ms_text(uint64_t ns, char *buf, size_t n)
{
    ek_msgf(buf, n, "%llu ms", (unsigned long long)((ns + NS_PER_MS / 2) / NS_PER_MS));
}

/* Step outcome: verdict, message and deciding frame, plus that frame's comment text. */
typedef struct outcome {
    ek_verdict v;
    char msg[EK_MSG_MAX];
    char cmsg[EK_MSG_MAX];
    uint64_t no;
    uint64_t t_reset_ns;   /* a reset step's: when it issued the reset (ek_step_result) */
} outcome;

/* EK_STIM_CMD: the profile's template filled in, to the in-process hook or the spawned
 * DUT's stdin.  Offline nothing is sent (the capture holds what the DUT did). */
static void do_command(run *r, const ek_stimulus *s, const char *what, outcome *oc)
{
    const char *tmpl = s->cmd == EK_CMD_SET_MIN_URGENT ? r->dut.cmd_set_min_urgent : r->dut.cmd_set_min;
    char line[EK_DUT_STR + 16], err[EK_MSG_MAX];
    if (ek_dut_cmd_format(tmpl, s->cmd_arg, line, sizeof line) != 0) {
        oc->v = EK_V_ERROR;
        ek_msgf(oc->msg, sizeof oc->msg, "%s: the profile's command template \"%s\" is unusable", what, tmpl);
        return;
    }
    int rc = 0;
    err[0] = '\0';
    if (r->o->offline) {
        /* nothing to send */
    } else if (r->o->cmd_hook) {
        rc = r->o->cmd_hook(r->o->cmd_ctx, line, ek_radio_now(r->radio));
        if (rc != 0)
            ek_msgf(err, sizeof err, "the DUT refused it");
    } else if (r->have_proc) {
        rc = ek_dutproc_send_line(&r->proc, line, err, sizeof err);
    } else {
        rc = -1;
        ek_msgf(err, sizeof err, "the DUT was not spawned by the harness, so it has no stdin to take commands");
    }
    if (rc != 0) {
        oc->v = EK_V_ERROR;
        ek_msgf(oc->msg, sizeof oc->msg, "control command \"%s\": %s", line, err);
        return;
    }
    oc->v = EK_V_NONE;
    ek_msgf(oc->msg, sizeof oc->msg, "sent the control command \"%s\" (%s)", line, what);
}

/* EK_STIM_RESET: the DUT's reset in the middle of a TD (the in-process hook or the
 * profile's reset command, then stdin_file / init_commands again), then ready_ms. */
static void do_reset(run *r, outcome *oc)
{
    char err[EK_MSG_MAX];
    int rc = 0;
    err[0] = '\0';
    uint64_t t_issued = ek_radio_now(r->radio);
    if (r->o->offline) {
        /* the capture holds what the DUT did */
    } else if (r->o->reset_hook) {
        r->o->reset_hook(r->o->reset_ctx, t_issued);
    } else if (r->dut.reset[0] && (r->o->manage_dut || !r->dut.spawn[0])) {
        rc = reset_command(r, err, sizeof err);
        if (rc == -2)
            return;   /* the DUT died or the run was interrupted: the caller reports it */
    } else {
        rc = -1;
        ek_msgf(err, sizeof err, "the DUT profile has no reset command");
    }
    if (rc != 0) {
        oc->v = EK_V_ERROR;
        ek_msgf(oc->msg, sizeof oc->msg, "reset of the DUT: %s", err);
        return;
    }
    if (!r->o->offline)
        oc->t_reset_ns = t_issued;
    if (!r->o->offline && idle_until(r, sat_add(ek_radio_now(r->radio), (uint64_t)r->dut.ready_ms * NS_PER_MS)) < 0)
        return;
    oc->v = EK_V_NONE;
    ek_msgf(oc->msg, sizeof oc->msg, "reset the DUT (a reboot), waited %u ms", (unsigned)r->dut.ready_ms);
}

static void do_inject(run *r, const ek_step *st, unsigned idx, outcome *oc)
{
    const ek_stimulus *s = &st->stim;
    char err[EK_MSG_MAX], what[160];
    uint64_t base = st->at_from_start ? r->t_first_step : ek_radio_now(r->radio);
    if (idle_until(r, sat_add(base, dur_ns(&r->dut, st->at))) < 0)
        return;
    ek_stim_describe(s, what, sizeof what);
    if ((unsigned)s->from >= EK_ROLE_COUNT) {
        oc->v = EK_V_ERROR;
        ek_msgf(oc->msg, sizeof oc->msg, "bad role %d", (int)s->from);
        return;
    }
    if (s->kind == EK_STIM_CMD) {
        do_command(r, s, what, oc);
        return;
    }
    if (s->kind == EK_STIM_RESET) {
        do_reset(r, oc);
        return;
    }
    periodic *p = &r->per[s->from];
    if (s->kind == EK_STIM_STOP) {
        p->on = false;
        oc->v = EK_V_NONE;
        ek_msgf(oc->msg, sizeof oc->msg, "%s", what);
        return;
    }
    p->on = false;   /* the role injects again: its periodic stimulus is replaced */
    uint64_t no = 0;
    int rc;
    if (s->kind == EK_STIM_REPLAY) {
        unsigned k = s->replay_step;
        if (k == 0 || k >= idx || !r->ctx.injected[k]) {
            oc->v = EK_V_ERROR;
            ek_msgf(oc->msg, sizeof oc->msg, "replay of step %u: that step injected nothing", k);
            return;
        }
        r->ctx.injected[idx] = r->ctx.injected[k];   /* byte-identical, MAC sequence included */
        r->ctx.injected_len[idx] = r->ctx.injected_len[k];
        r->ctx.injected_has_mep[idx] = r->ctx.injected_has_mep[k];
        r->ctx.injected_mep[idx] = r->ctx.injected_mep[k];
        r->ctx.injected_secured[idx] = r->ctx.injected_secured[k];
        r->ctx.injected_fc[idx] = r->ctx.injected_fc[k];
        rc = send_frame(r, r->ctx.injected[k], r->ctx.injected_len[k], &no);
    } else {
        rc = send_stim(r, s, idx, true, &no, err, sizeof err);
    }
    if (rc == -2) {
        oc->v = EK_V_ERROR;
        ek_msgf(oc->msg, sizeof oc->msg, "%s", err);
        return;
    }
    if (rc < 0)
        return;
    uint64_t period = dur_ns(&r->dut, s->every);
    if (period) {
        p->on = true;
        p->step = idx;
        p->stim = s;
        p->period_ns = period;
        p->next_ns = sat_add(ek_radio_now(r->radio), period);
    }
    oc->v = EK_V_NONE;
    oc->no = no;
    ek_msgf(oc->msg, sizeof oc->msg, "sent %s (frame %llu)", what, (unsigned long long)no);
    ek_msgf(oc->cmsg, sizeof oc->cmsg, "%s", st->what ? st->what : what);
}

static bool eval(run *r, const ek_match *m, unsigned *n_ok, char *why, size_t whylen)
{
    r->ctx.t_prev_same_class_ns = r->prev_t[(unsigned)m->cls < EK_FRAME_CLASS_COUNT ? m->cls : 0];
    return ek_match_frame(m, &r->ctx, &r->fr, &r->dut.prof, n_ok, why, whylen);
}

/* A one-line description of a DUT frame for a check without conditions. */
static void seen_summary(const ek_frame_summary *f, char *buf, size_t len)
{
    if (f->has_dio)
        ek_msgf(buf, len, "rank %u, version %u%s", f->rank, f->version, f->has_mep ? ", with the option" : "");
    else if (f->has_ji)
        ek_msgf(buf, len, "proxy_priority 0x%02x", f->proxy_priority);
    else
        ek_msgf(buf, len, "frame type %u", f->frame_type);
}

/* "; the DUT's frames carry PAN ID 0x1234, the profile says 0xface" when the channel
 * shows a PAN mismatch, else "". */
static void pan_hint(const run *r, char *buf, size_t len)
{
    buf[0] = '\0';
    if (r->pan_other_dut)
        ek_msgf(buf, len, "; %u DUT frame%s carr%s another PAN ID than the profile's 0x%04x: check [dut] pan_id",
                r->pan_other_dut, r->pan_other_dut == 1 ? "" : "s", r->pan_other_dut == 1 ? "ies" : "y",
                r->dut.pan_id);
    else if (r->pan_other)
        ek_msgf(buf, len, "; %u frame%s on the channel carr%s PAN ID 0x%04x, the profile says 0x%04x: check [dut] pan_id",
                r->pan_other, r->pan_other == 1 ? "" : "s", r->pan_other == 1 ? "ies" : "y", r->pan_seen,
                r->dut.pan_id);
}

/* A window of N EB periods for what an EB says means the DUT's next N EBs: when they
 * come slower than the profile's period (a busy host, a stalled process or radio), a
 * check waits for N of them, up to EB_STRETCH windows, so each EB is judged on what it
 * says.  A step that only asks for an EB (liveness) keeps its time window.  Returns N,
 * 0 when the window is a plain time window. */
#define EB_STRETCH 4
static unsigned ebs_wanted(const ek_step *st)
{
    const ek_match *m = &st->match;
    bool judges_content = m->conds[0].field != NULL || m->pred != NULL;
    /* a window of two kinds of time (window_plus) keeps its time: no count of EBs says it */
    return judges_content && m->cls == EK_CLASS_EB && st->window.unit == EK_T_EB && !st->window_plus.n ? st->window.n
                                                                                                      : 0;
}

static uint64_t stretch_ns(uint64_t win)
{
    return win > UINT64_MAX / EB_STRETCH ? UINT64_MAX : EB_STRETCH * win;
}

/* " (waited 800 ms for 3 EBs, 1 came)" / " or 3 EBs" after a stretched window's text. */
static void stretch_text(char *wtxt, size_t len, uint64_t waited_ns, unsigned want, unsigned came)
{
    size_t l = strlen(wtxt);
    char waited[24];
    ms_text(waited_ns, waited, sizeof waited);
    const char *pl = want == 1 ? "" : "s";
    if (came >= want)
        ek_msgf(wtxt + l, len - l, " or %u EB%s", want, pl);
    else
        ek_msgf(wtxt + l, len - l, " (waited %s for %u EB%s, %u came)", waited, want, pl, came);
}

/* A window measured (in part) in a pledge's join time (EK_T_JOIN). */
static bool uses_join_time(const ek_step *st)
{
    return st->window.unit == EK_T_JOIN || (st->window_plus.n && st->window_plus.unit == EK_T_JOIN);
}

/* The timeout of such a window names the join time it assumed.  How long a pledge scans
 * is its own choice (RFC 9031 §4.1): without its declaration ([timing] join_ms) the 40
 * EB periods are the harness's guess, so the timeout cannot be a FAIL. */
static void join_time_timeout(const run *r, const ek_step *st, outcome *oc)
{
    if (!uses_join_time(st))
        return;
    size_t u = strlen(oc->msg);
    if (r->dut.join_ms) {
        ek_msgf(oc->msg + u, sizeof oc->msg - u, " (the pledge's declared join time, [timing] join_ms: %u ms)",
                (unsigned)r->dut.join_ms);
        return;
    }
    if (oc->v == EK_V_FAIL)
        oc->v = EK_V_INCONC;
    ek_msgf(oc->msg + u, sizeof oc->msg - u, " (join time not declared, 40 EB periods assumed: set [timing] join_ms "
                                               "to judge it)");
}

static void do_expect(run *r, const ek_step *st, uint64_t start, outcome *oc)
{
    const ek_match *m = &st->match;
    uint64_t win = window_ns(r, st), deadline = sat_add(start, win);
    char why[EK_MSG_MAX], desc[160], best_why[EK_MSG_MAX] = "", wtxt[80];
    uint64_t best_no = 0;
    unsigned best_ok = 0, n_cls = 0, n_dut = 0;
    const char *cls = ek_frame_class_name(m->cls);
    unsigned want = ebs_wanted(st);
    uint64_t stretch_to = sat_add(start, stretch_ns(win));
    bool stretched = false;
    int rc;
    for (;;) {
        while ((rc = pump(r, deadline)) == 1) {
            unsigned ok = 0;
            n_dut++;
            bool in_cls = ek_frame_is_class(&r->fr, m->cls);
            if (eval(r, m, &ok, why, sizeof why)) {
                if (!why[0])   /* no conditions: say what the frame was */
                    seen_summary(&r->fr.sum, why, sizeof why);
                oc->v = EK_V_PASS;
                oc->no = r->cur_no;
                ek_msgf(oc->msg, sizeof oc->msg, "%s %s (frame %llu)", cls, why, (unsigned long long)r->cur_no);
                ek_msgf(oc->cmsg, sizeof oc->cmsg, "%s %s", cls, why);
                return;
            }
            if (in_cls) {   /* near miss: most conditions held; on a tie the latest */
                n_cls++;
                if (ok >= best_ok) {
                    best_ok = ok;
                    best_no = r->cur_no;
                    ek_msgf(best_why, sizeof best_why, "%s", why);
                }
                if (stretched && n_cls >= want)
                    break;
            }
        }
        if (rc == 0 && !stretched && n_cls < want && stretch_to > deadline) {
            stretched = true;
            deadline = stretch_to;
            continue;
        }
        break;
    }
    if (rc < 0)
        return;
    ek_match_describe(m, desc, sizeof desc);
    ms_text(win, wtxt, sizeof wtxt);
    if (stretched)
        stretch_text(wtxt, sizeof wtxt, stretch_to - start, want, n_cls);
    oc->v = st->on_timeout == EK_V_NONE ? EK_V_FAIL : st->on_timeout;
    if (best_no) {
        char hint[128];
        pan_hint(r, hint, sizeof hint);
        oc->no = best_no;
        ek_msgf(oc->msg, sizeof oc->msg, "no %s within %s; nearest frame %llu: %s%s", desc, wtxt,
                 (unsigned long long)best_no, best_why, hint);
        ek_msgf(oc->cmsg, sizeof oc->cmsg, "%s %s (expected %s within %s)", cls, best_why, desc, wtxt);
    } else {
        char hint[128];
        pan_hint(r, hint, sizeof hint);
        ek_msgf(oc->msg, sizeof oc->msg, "no %s within %s (%u other DUT frame%s)%s", desc, wtxt, n_dut,
                 n_dut == 1 ? "" : "s", hint);
    }
    join_time_timeout(r, st, oc);
}

static void do_expect_not(run *r, const ek_step *st, uint64_t start, outcome *oc)
{
    const ek_match *m = &st->match;
    uint64_t win = window_ns(r, st), deadline = sat_add(start, win);
    char why[EK_MSG_MAX], desc[160], wtxt[24];
    const char *cls = ek_frame_class_name(m->cls);
    int rc;
    while ((rc = pump(r, deadline)) == 1) {
        unsigned ok = 0;
        if (eval(r, m, &ok, why, sizeof why)) {
            oc->v = EK_V_FAIL;
            oc->no = r->cur_no;
            ek_msgf(oc->msg, sizeof oc->msg, "%s %s (frame %llu, must not be seen)", cls, why,
                     (unsigned long long)r->cur_no);
            ek_msgf(oc->cmsg, sizeof oc->cmsg, "%s %s (must not be seen)", cls, why);
            return;
        }
    }
    if (rc < 0)
        return;
    ek_match_describe(m, desc, sizeof desc);
    ms_text(win, wtxt, sizeof wtxt);
    oc->v = EK_V_PASS;
    ek_msgf(oc->msg, sizeof oc->msg, "no %s within %s", desc, wtxt);
}

/* ALWAYS over the window; NEXT (first_only) ends at the first frame of the class. */
static void do_always(run *r, const ek_step *st, uint64_t start, outcome *oc)
{
    bool first_only = st->kind == EK_STEP_NEXT;
    const ek_match *m = &st->match;
    uint64_t win = window_ns(r, st), deadline = sat_add(start, win);
    char why[EK_MSG_MAX], last_why[EK_MSG_MAX] = "", desc[160], wtxt[80];
    const char *cls = ek_frame_class_name(m->cls);
    unsigned seen = 0, want = ebs_wanted(st);
    if (first_only && want)
        want = 1; /* NEXT judges one EB: it waits (up to the stretch) for that one */
    uint64_t last_no = 0, stretch_to = sat_add(start, stretch_ns(win));
    bool stretched = false;
    int rc;
    for (;;) {
        rc = pump(r, deadline);
        if (rc == 0 && !stretched && seen < want && stretch_to > deadline) {
            stretched = true; /* slower EBs than the profile's period: wait for the next ones */
            deadline = stretch_to;
            continue;
        }
        if (rc != 1)
            break;
        if (!ek_frame_is_class(&r->fr, m->cls))
            continue;
        unsigned ok = 0;
        seen++;
        if (!eval(r, m, &ok, why, sizeof why)) {
            oc->v = EK_V_FAIL;
            oc->no = r->cur_no;
            ek_msgf(oc->msg, sizeof oc->msg, "%s %s (frame %llu)", cls, why, (unsigned long long)r->cur_no);
            ek_msgf(oc->cmsg, sizeof oc->cmsg, "%s %s", cls, why);
            return;
        }
        last_no = r->cur_no;
        ek_msgf(last_why, sizeof last_why, "%s", why);
        if (first_only) {
            oc->v = EK_V_PASS;
            oc->no = last_no;
            ek_msgf(oc->msg, sizeof oc->msg, "next %s %s (frame %llu)", cls, why[0] ? why : "seen",
                    (unsigned long long)last_no);
            ek_msgf(oc->cmsg, sizeof oc->cmsg, "next %s %s", cls, why[0] ? why : "seen");
            return;
        }
        if (stretched && seen >= want)
            break; /* the DUT's next `want` EBs, judged */
    }
    if (rc < 0)
        return;
    ek_match_describe(m, desc, sizeof desc);
    ms_text(win, wtxt, sizeof wtxt);
    if (stretched)
        stretch_text(wtxt, sizeof wtxt, stretch_to - start, want, seen);
    if (seen == 0) {
        oc->v = st->on_timeout == EK_V_NONE ? EK_V_FAIL : st->on_timeout;
        ek_msgf(oc->msg, sizeof oc->msg, "no %s from the DUT within %s", cls, wtxt);
        join_time_timeout(r, st, oc);
        return;
    }
    oc->v = EK_V_PASS;
    oc->no = last_no;
    ek_msgf(oc->msg, sizeof oc->msg, "all %u %s%s%s%s: %s (last frame %llu)", seen, cls, seen == 1 ? "" : "s",
             stretched ? " within " : "", stretched ? wtxt : "", last_why[0] ? last_why : desc,
             (unsigned long long)last_no);
    ek_msgf(oc->cmsg, sizeof oc->cmsg, "all %u %s%s: %s", seen, cls, seen == 1 ? "" : "s",
             last_why[0] ? last_why : desc);
}

/* ---- one TD ---- */

static bool td_valid(const ek_td *td, char *why, size_t whylen)
{
    if (!td->steps || td->n_steps == 0 || td->n_steps > EK_TD_MAX_STEPS) {
        ek_msgf(why, whylen, "TD definition: %u steps (1..%d)", td->n_steps, EK_TD_MAX_STEPS);
        return false;
    }
    for (unsigned i = 0; i < td->n_steps; i++) {
        const ek_step *s = &td->steps[i];
        if (s->kind == EK_STEP_EXPECT || s->kind == EK_STEP_EXPECT_NOT || s->kind == EK_STEP_ALWAYS ||
            s->kind == EK_STEP_NEXT) {
            for (unsigned c = 0; c < EK_MATCH_MAX_CONDS && s->match.conds[c].field; c++)
                if (!ek_match_key_known(s->match.conds[c].field)) {
                    ek_msgf(why, whylen, "TD definition: step %u: unknown match field '%s'", i + 1,
                             s->match.conds[c].field);
                    return false;
                }
        }
        if (s->kind == EK_STEP_INJECT && s->stim.kind == EK_STIM_AGENT && (!td->agent || !td->agent->build)) {
            ek_msgf(why, whylen, "TD definition: step %u asks the TD's agent for a frame, the TD has none", i + 1);
            return false;
        }
        if (s->kind == EK_STEP_INJECT && s->stim.kind == EK_STIM_REPLAY &&
            (s->stim.replay_step == 0 || s->stim.replay_step > i || td->steps[s->stim.replay_step - 1].kind != EK_STEP_INJECT)) {
            ek_msgf(why, whylen, "TD definition: step %u replays step %u, not an earlier INJECT", i + 1,
                     s->stim.replay_step);
            return false;
        }
        if (s->kind == EK_STEP_INJECT && (s->stim.kind == EK_STIM_DIO || s->stim.kind == EK_STIM_EB) &&
            s->stim.fc != EK_FC_NEXT &&
            (s->stim.fc_step == 0 || s->stim.fc_step > i || td->steps[s->stim.fc_step - 1].kind != EK_STEP_INJECT)) {
            ek_msgf(why, whylen, "TD definition: step %u takes the frame counter of step %u, not an earlier INJECT",
                     i + 1, s->stim.fc_step);
            return false;
        }
    }
    return true;
}

static void finish_reason(run *r, unsigned step, const char *msg)
{
    ek_td_result *res = r->res;
    if (res->reason[0])
        return;
    if (step)
        ek_msgf(res->reason, sizeof res->reason, "%s step %u: %s", r->td->id, step, msg);
    else
        ek_msgf(res->reason, sizeof res->reason, "%s: %s", r->td->id, msg);
    res->deciding_step = step;
}

static void run_td(run *r, const ek_td *td, ek_td_result *res)
{
    const ek_run_observer *obs = r->o->obs;
    char why[EK_MSG_MAX];
    r->n_frames = 0;
    memset(&r->ctx, 0, sizeof r->ctx);
    memset(r->per, 0, sizeof r->per);
    memset(r->last_t, 0, sizeof r->last_t);
    memset(r->prev_t, 0, sizeof r->prev_t);
    r->has_last_dio = r->last_dio_has_mep = false;
    r->ctx.dut = &r->dut;
    r->ctx.td = td;
    r->td_dut_frames = 0;
    r->fatal = false;
    r->fatal_cascade = false;
    r->fatal_msg[0] = '\0';
    r->fatal_no = 0;
    ek_monitor_reset(&r->mon);   /* the DUT is reset before every TD */
    r->ctx.mon = &r->mon;
    free(r->agent);
    r->agent = td->agent && td->agent->state_size ? calloc(1, td->agent->state_size) : NULL;
    r->ctx.agent = r->agent;
    uint64_t t0 = ek_radio_now(r->radio);
    res->t_start_ns = t0;

    if (!td_valid(td, why, sizeof why)) {
        res->verdict = EK_V_ERROR;
        finish_reason(r, 0, why);
        res->t_end_ns = t0;
        return;
    }
    /* Reset: the in-process hook, or the profile's command (none offline). */
    int rl = 1;
    if (r->o->offline) {
        /* the capture already holds what the DUT did */
    } else if (r->o->reset_hook) {
        r->o->reset_hook(r->o->reset_ctx, t0);
        res->t_reset_ns = ek_radio_now(r->radio);
    } else if (r->have_proc && !r->first_td_done) {
        /* just spawned: the DUT is already in its initial state, and a reset signal now
         * could arrive before it installed its handler; only the ready wait applies */
    } else if (r->dut.reset[0] && (r->o->manage_dut || !r->dut.spawn[0])) {
        char err[EK_MSG_MAX];
        (void)ek_dut_setenv(&r->dut);   /* the reset command sees the effective profile */
        int rc = reset_command(r, err, sizeof err);
        if (rc == -2) {
            rl = -1;   /* reported below as any end before step 1 */
        } else if (rc != 0) {
            res->verdict = EK_V_ERROR;
            finish_reason(r, 0, err);
            res->t_end_ns = ek_radio_now(r->radio);
            if (r->dut.reset_line[0] && r->have_proc) {
                /* a DUT that never acknowledges a reset would cost every TD the same wait */
                r->stop_run = true;
                ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: %s", err);
            }
            return;
        } else {
            res->t_reset_ns = ek_radio_now(r->radio);
        }
    }
    if (rl == 1 && r->have_proc && !r->first_td_done && r->dut.ready_line[0])
        rl = wait_dut_line(r, r->dut.ready_line, "dut.ready_line", "", why, sizeof why);
    if (rl == 0) {
        res->verdict = EK_V_ERROR;
        finish_reason(r, 0, why);
        r->stop_run = true;
        ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: %s", why);
        r->first_td_done = true;
        goto out;
    }
    /* offline, the capture's clock starts at the first TD's first stimulus */
    uint64_t ready = r->o->offline && !r->first_td_done ? 0 : (uint64_t)r->dut.ready_ms * NS_PER_MS;
    r->first_td_done = true;
    if (rl < 0 || idle_until(r, sat_add(ek_radio_now(r->radio), ready)) < 0) {
        /* the DUT is gone before the TD began: not this TD's input that killed it; a
         * monitor finding on a frame it sent meanwhile is still a FAIL of the DUT */
        bool mon = r->fatal_v == EK_V_FAIL && r->fatal_no;
        res->verdict = mon ? EK_V_FAIL : EK_V_ERROR;
        res->deciding_frame = mon ? r->fatal_no : 0;
        ek_msgf(why, sizeof why, "%s before step 1", r->fatal_msg);
        finish_reason(r, 0, why);
        goto out;
    }

    bool talk_expected = false;
    r->t_first_step = ek_radio_now(r->radio);
    res->t_step1_ns = r->t_first_step;
    if (td->agent && td->agent->state_size && !r->agent) {
        res->verdict = EK_V_ERROR;
        finish_reason(r, 0, "out of memory for the TD's agent");
        goto out;
    }
    if (r->agent && td->agent->begin)
        td->agent->begin(r->agent, &r->ctx, r->t_first_step);
    for (unsigned i = 0; i < td->n_steps; i++) {
        const ek_step *st = &td->steps[i];
        ek_step_result *sr = &res->steps[i];
        unsigned idx = i + 1;
        if (st->profiles && !(st->profiles & r->prof_bit)) {
            ek_msgf(sr->msg, sizeof sr->msg, "skipped: not for %s", ek_mep_profile_name(r->dut.prof.mep));
            continue;
        }
        uint64_t start = ek_radio_now(r->radio);
        r->ctx.step = idx;
        r->ctx.t_step_start_ns = start;
        r->ctx.t_step_begin_ns[idx] = start;
        r->ctx.has_rank_at[idx] = ek_monitor_node_rank(&r->mon, &r->ctx.rank_at[idx]);
        if (obs && obs->step_begin)
            obs->step_begin(obs->ctx, td, idx, st->what ? st->what : "", start - t0);
        sr->ran = true;
        outcome oc;
        memset(&oc, 0, sizeof oc);
        switch (st->kind) {
        case EK_STEP_INJECT: do_inject(r, st, idx, &oc); break;
        case EK_STEP_WAIT:
            if (idle_until(r, sat_add(start, window_ns(r, st))) == 0)
                ek_msgf(oc.msg, sizeof oc.msg, "waited");
            break;
        case EK_STEP_EXPECT: talk_expected = true; do_expect(r, st, start, &oc); break;
        case EK_STEP_EXPECT_NOT: do_expect_not(r, st, start, &oc); break;
        case EK_STEP_ALWAYS:
        case EK_STEP_NEXT: talk_expected = true; do_always(r, st, start, &oc); break;
        }
        if (r->fatal) {
            oc.v = r->fatal_v;
            oc.no = r->fatal_no;   /* a monitor finding's frame already carries its comment */
            oc.cmsg[0] = '\0';
            ek_msgf(oc.msg, sizeof oc.msg, "%s during step %u", r->fatal_msg, idx);
        }
        /* offline: a check whose window outlived the capture saw only part of it */
        if (!r->fatal && r->eof &&
            (st->kind == EK_STEP_EXPECT || st->kind == EK_STEP_EXPECT_NOT || st->kind == EK_STEP_ALWAYS ||
             st->kind == EK_STEP_NEXT) &&
            oc.v != EK_V_INCONC && oc.v != EK_V_ERROR &&
            !(oc.v == EK_V_PASS && oc.no && (st->kind == EK_STEP_EXPECT || st->kind == EK_STEP_NEXT)) &&
            !(oc.v == EK_V_FAIL && oc.no && st->kind != EK_STEP_EXPECT)) {
            char m[EK_MSG_MAX];
            ek_msgf(m, sizeof m, "%s; the capture ended before the window did", oc.msg);
            ek_msgf(oc.msg, sizeof oc.msg, "%s", m);
            oc.v = EK_V_INCONC;
        }
        /* SHOULD / MAY in this profile: a failure is reported, not counted */
        if (oc.v == EK_V_FAIL && !r->fatal && (st->info_profiles & r->prof_bit)) {
            char m[EK_MSG_MAX];
            ek_msgf(m, sizeof m, "INFO (not required in %s): %s", ek_mep_profile_name(r->dut.prof.mep), oc.msg);
            ek_msgf(oc.msg, sizeof oc.msg, "%s", m);
            oc.v = EK_V_PASS;
            sr->info = true;
            res->info = true;
        }
        sr->verdict = oc.v;
        sr->frame_no = oc.no;
        sr->t_ns = ek_radio_now(r->radio) - t0;
        sr->t_reset_ns = oc.t_reset_ns;
        ek_msgf(sr->msg, sizeof sr->msg, "%s", oc.msg);
        if (oc.no && oc.cmsg[0]) {
            char c[EK_MSG_MAX];
            if (st->kind == EK_STEP_INJECT)
                ek_msgf(c, sizeof c, "%s step %u: %s", td->id, idx, oc.cmsg);
            else
                ek_msgf(c, sizeof c, "%s step %u: %s -> %s", td->id, idx, oc.cmsg, vname_upper(oc.v, sr->info));
            comment(r, oc.no, c);
        }
        res->verdict = ek_verdict_merge(res->verdict, oc.v);
        if (oc.v > EK_V_PASS) {
            finish_reason(r, r->fatal ? 0 : idx, oc.msg);   /* a fatal message names its step */
            res->deciding_step = idx;
            res->deciding_frame = oc.no;
            break;   /* later steps build on this one: stop here (packetdrill style) */
        }
    }
    /* A DUT that said nothing at all while it had to talk has stopped answering (or was
     * never reachable): not a verdict on this TD's requirement. */
    if (!r->fatal && !r->eof && talk_expected && r->td_dut_frames == 0 && res->verdict >= EK_V_INCONC) {
        char m[EK_MSG_MAX], hint[128], scan[112] = "";
        pan_hint(r, hint, sizeof hint);
        /* a pledge talks only once it has found and scanned the EBs, for as long as it likes
         * (RFC 9031 §4.1): without its declared join time, silence is no FAIL */
        bool pledge = r->dut.role == EK_NODE_PLEDGE, guessed = pledge && !r->dut.join_ms;
        if (pledge && !hint[0] && guessed)
            ek_msgf(scan, sizeof scan, "; a pledge may scan longer than 40 EB periods: declare [timing] join_ms");
        else if (pledge && !hint[0])
            ek_msgf(scan, sizeof scan, "; its declared join time, [timing] join_ms: %u ms", (unsigned)r->dut.join_ms);
        else if (!pledge && r->dut_heard && res->t_reset_ns && r->have_proc && !r->dut.reset_line[0] &&
                 !r->o->reset_hook)
            ek_msgf(scan, sizeof scan, "; reset before this TD, it had ready_ms (%u ms) to reboot: "
                                        "dut.reset_line waits for it", (unsigned)r->dut.ready_ms);
        res->reason[0] = '\0';
        res->deciding_frame = 0;
        if (r->dut_heard) {
            res->verdict = guessed ? EK_V_INCONC : EK_V_FAIL;
            ek_msgf(m, sizeof m, "DUT silent: no frame from the DUT during the whole TD (last heard: frame %llu)%s",
                     (unsigned long long)r->dut_last_no, scan);
        } else {
            res->verdict = EK_V_ERROR;
            ek_msgf(m, sizeof m, "no frame from the DUT since the run began (check the radio URI, channel, "
                                  "PAN ID and DUT address)%s%s", hint, scan);
        }
        finish_reason(r, 0, m);
        r->stop_run = true;
        ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: DUT %s during %s (%s)",
                 r->dut_heard ? "stopped answering" : "never heard", td->id, m);
    }
    /* last look: a DUT that died on this TD's final input */
    if (!r->fatal && r->have_proc) {
        char w[128], m[EK_MSG_MAX];
        if (!ek_dutproc_alive(&r->proc, w, sizeof w)) {
            ek_msgf(m, sizeof m, "DUT process died: %s after the last step", w);
            set_fatal(r, EK_V_FAIL, true, m);
            res->verdict = ek_verdict_merge(res->verdict, EK_V_FAIL);
            res->reason[0] = '\0';
            finish_reason(r, 0, m);
        }
    }
    /* One root cause, one verdict: a DUT declared "eb" that has sent no EB in the whole run
     * while it did talk.  Later EB TDs say so instead of failing again on it. */
    if ((td->needs & EK_CAP_SENDS_EB) && res->verdict >= EK_V_INCONC && res->dut_ebs == 0 && r->run_ebs == 0 &&
        r->td_dut_frames > 0 && !r->eb_missing_td) {
        r->eb_missing_td = td;
        size_t u = strlen(res->reason);
        if (u + 1 < sizeof res->reason)
            ek_msgf(res->reason + u, sizeof res->reason - u,
                    " (the DUT has sent no Enhanced Beacon in this run although its profile declares capability eb)");
    }
out:
    if (r->fatal && r->fatal_cascade) {
        r->stop_run = true;
        ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: %s during %s (%s)",
                 strstr(r->fatal_msg, "died") ? "DUT died" : "the radio failed", td->id, r->fatal_msg);
    } else if (r->fatal && strcmp(r->fatal_msg, "interrupted") == 0) {
        r->stop_run = true;
        ek_msgf(r->stop_reason, sizeof r->stop_reason, "interrupted");
    }
    if (res->deciding_frame) {
        /* the TD's deciding frame already carries its step comment */
    }
    for (int i = 0; i < EK_ROLE_COUNT; i++)
        r->per[i].on = false;
    res->t_end_ns = ek_radio_now(r->radio);
}

/* ---- applicability and the run ---- */

static const char *const cap_names[] = { "dio", "eb", "secured", "root", "pledge", "mep", "cojp" };

bool ek_td_applicable(const ek_td *td, const ek_dut *dut, char *why, size_t whylen)
{
    if (!(td->profiles & EK_PROF(dut->prof.mep))) {
        ek_msgf(why, whylen, "not for profile %s", ek_mep_profile_name(dut->prof.mep));
        return false;
    }
    unsigned missing = td->needs & ~dut->caps;
    if (missing) {
        ek_msgf(why, whylen, "needs");
        for (unsigned b = 0; b < sizeof cap_names / sizeof cap_names[0]; b++) {
            size_t u = strlen(why);
            if ((missing & (1u << b)) && u + 1 < whylen)
                ek_msgf(why + u, whylen - u, "%s %s", u > 5 ? "," : "", cap_names[b]);
        }
        return false;
    }
    if (td->role != dut->role) {
        ek_msgf(why, whylen, "for role %s (DUT role %s)", ek_node_role_name(td->role), ek_node_role_name(dut->role));
        return false;
    }
    for (unsigned i = 0; td->steps && i < td->n_steps; i++) {
        const ek_stimulus *s = &td->steps[i].stim;
        if (td->steps[i].kind != EK_STEP_INJECT || s->kind != EK_STIM_CMD)
            continue;
        bool urgent = s->cmd == EK_CMD_SET_MIN_URGENT;
        if (!(urgent ? dut->cmd_set_min_urgent : dut->cmd_set_min)[0]) {
            ek_msgf(why, whylen, "needs root.%s (a control command of the DUT)",
                    urgent ? "cmd_set_min_urgent" : "cmd_set_min");
            return false;
        }
    }
    if (td->applies && !td->applies(dut, why, whylen))
        return false;
    if (td->max_cost && dut->max_local_cost > td->max_cost) {
        ek_msgf(why, whylen, "its EB windows need a local cost <= 0x%02x (max_local_cost is 0x%02x)", td->max_cost,
                dut->max_local_cost);
        return false;
    }
    if ((td->needs & EK_CAP_MEP) && dut->prof.mep_type == 0) {
        ek_msgf(why, whylen, "the option type is 0 (enrollment option off)");
        return false;
    }
    return true;
}

ek_verdict ek_engine_run(const ek_engine_opts *o, const ek_td *const *tds, size_t n, ek_td_result *results)
{
    const ek_run_observer *obs = o->obs;
    ek_verdict worst = EK_V_NONE;
    run *r = calloc(1, sizeof *r);
    for (size_t i = 0; i < n; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].td = tds[i];
        results[i].n_steps = tds[i]->n_steps > EK_TD_MAX_STEPS ? EK_TD_MAX_STEPS : tds[i]->n_steps;
        results[i].applicable = true;
    }
    if (obs && obs->run_begin)
        obs->run_begin(obs->ctx, o->dut, o->radio ? ek_radio_describe(o->radio) : "", n);
    if (!r || !o->radio || !o->dut) {
        for (size_t i = 0; i < n; i++) {
            results[i].verdict = EK_V_ERROR;
            ek_msgf(results[i].reason, sizeof results[i].reason, "%s: %s", tds[i]->id,
                     !r ? "out of memory" : "no radio or DUT profile");
            if (obs && obs->td_end)
                obs->td_end(obs->ctx, &results[i], NULL, 0);
        }
        if (obs && obs->run_end)
            obs->run_end(obs->ctx, results, n);
        free(r);
        return n ? EK_V_ERROR : EK_V_NONE;
    }
    r->o = o;
    r->dut = *o->dut;
    r->radio = o->radio;
    r->prof_bit = EK_PROF(r->dut.prof.mep);
    ek_monitor_cfg mc;
    memset(&mc, 0, sizeof mc);
    mc.prof = r->dut.prof;
    mc.implements_mep = (r->dut.caps & EK_CAP_MEP) != 0;
    mc.min_hop_rank_inc = r->dut.min_hop_rank_inc;
    mc.eb_period_ms = r->dut.eb_period_ms;
    mc.slack_ms = r->dut.slack_ms;
    mc.closed_world = !o->open_world && !o->offline;
    mc.has_network_id = r->dut.has_network_id;
    memcpy(mc.network_id, r->dut.network_id, sizeof mc.network_id);
    mc.network_id_len = r->dut.network_id_len;
    mc.jp_iid_mode = r->dut.jp_iid_mode == EK_DUT_IID_NONE    ? EK_MON_IID_NONE
                     : r->dut.jp_iid_mode == EK_DUT_IID_VALUE ? EK_MON_IID_VALUE
                                                              : EK_MON_IID_UNDECLARED;
    memcpy(mc.jp_iid, r->dut.jp_iid, 8);
    mc.has_pan_priority = r->dut.has_pan_priority;
    mc.pan_priority = r->dut.pan_priority;
    ek_monitor_init(&r->mon, &mc);
    ek_sec_keyring_init(&r->ring);
    if (r->dut.secured) {
        /* IEEE 802.15.4-2015 §9.2.5 level check: the levels with a MIC plus the profile's own */
        unsigned lv = EK_SEC_LEVELS_WITH_MIC | 1u << (r->dut.eb_level & 7) | 1u << (r->dut.dio_level & 7);
        ek_sec_key k1 = r->dut.k1, k2 = r->dut.k2;
        k1.allowed_levels = (uint8_t)lv;
        k2.allowed_levels = (uint8_t)lv;
        (void)ek_sec_keyring_add(&r->ring, &k1);
        (void)ek_sec_keyring_add(&r->ring, &k2);
    }
    if (o->manage_dut && !o->offline && r->dut.spawn[0]) {
        char err[EK_MSG_MAX];
        (void)ek_dut_setenv(&r->dut);   /* EK_<SECTION>_<KEY>: an emulated DUT follows overrides */
        bool want_stdin = r->dut.stdin_file[0] || r->dut.init_commands[0] || r->dut.cmd_set_min[0] ||
                          r->dut.cmd_set_min_urgent[0];
        int rc = spawn_dut(r, o->dut_log_path, want_stdin, err, sizeof err);
        if (rc == 0) {
            r->have_proc = true;
            if (want_stdin && ek_dutproc_send_init(&r->proc, &r->dut, err, sizeof err) != 0) {
                r->stop_run = true;
                ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: the DUT's init input: %s", err);
            }
        } else {
            r->stop_run = true;
            ek_msgf(r->stop_reason, sizeof r->stop_reason, "not run: cannot start the DUT: %s", err);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const ek_td *td = tds[i];
        ek_td_result *res = &results[i];
        char why[EK_MSG_MAX];
        r->td = td;
        r->res = res;
        r->n_frames = 0;
        if (obs && obs->td_begin)
            obs->td_begin(obs->ctx, td, i, n);
        if (!ek_td_applicable(td, &r->dut, why, sizeof why)) {
            res->applicable = false;
            ek_msgf(res->na_reason, sizeof res->na_reason, "%s", why);
        } else if (r->stop_run || (o->interrupted && *o->interrupted)) {
            res->verdict = EK_V_ERROR;
            ek_msgf(res->reason, sizeof res->reason, "%s: %s", td->id,
                     r->stop_run ? r->stop_reason : "interrupted");
        } else if (r->eof) {
            res->verdict = EK_V_ERROR;
            ek_msgf(res->reason, sizeof res->reason, "%s: not run: the capture ended", td->id);
        } else if (r->eb_missing_td && (td->needs & EK_CAP_SENDS_EB) && r->run_ebs == 0) {
            res->verdict = EK_V_INCONC;
            ek_msgf(res->reason, sizeof res->reason,
                    "%s: not run: the DUT has sent no Enhanced Beacon in this run (%s failed on it); does it "
                    "really have capability eb?", td->id, r->eb_missing_td->id);
        } else {
            run_td(r, td, res);
        }
        if (res->applicable)
            worst = ek_verdict_merge(worst, res->verdict);
        if (obs && obs->td_end)
            obs->td_end(obs->ctx, res, r->frames, r->n_frames);
        r->n_frames = 0;
    }
    if (r->have_proc)
        ek_dutproc_stop(&r->proc, STOP_GRACE_MS);
    if (obs && obs->run_end)
        obs->run_end(obs->ctx, results, n);
    free(r->frames);
    free(r->agent);
    free(r);
    return worst;
}
