/* SPDX-License-Identifier: BSD-3-Clause */
/* Test descriptions (TDs) as data: stable ID, objective, requirement IDs,
 * applicability, configuration and ordered steps - the F-Interop/ETSI shape
 * with packetdrill-style timing and OpenThread pktverify-style
 * must_next / must_not_next checks.  Verdicts form the TTCN-3 lattice
 * none < pass < inconclusive < fail < error; "not applicable" is kept apart. */
#ifndef EK_TD_H
#define EK_TD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/build.h"
#include "ek/frame.h"
#include "ek/profile.h"

/* ---- verdicts ---- */
typedef enum ek_verdict {
    EK_V_NONE = 0,
    EK_V_PASS,
    EK_V_INCONC,   /* the harness could not observe what it needed (precondition not met) */
    EK_V_FAIL,     /* the DUT misbehaved */
    EK_V_ERROR     /* the harness or the test bed broke (radio error, DUT gone) */
} ek_verdict;

/* TTCN-3 overwrite rule: the result only moves up the lattice. */
static inline ek_verdict ek_verdict_merge(ek_verdict a, ek_verdict b) { return a > b ? a : b; }
const char *ek_verdict_name(ek_verdict v);   /* "none" "pass" "inconc" "fail" "error" */

/* ---- applicability ---- */
#define EK_PROF(m) (1u << (m))                /* m: ek_mep_profile */
#define EK_PROF_ALL (EK_PROF(EK_MEP_DRAFT03) | EK_PROF(EK_MEP_DRAFT04) | EK_PROF(EK_MEP_DRAFT09) | EK_PROF(EK_MEP_DRAFT16))
#define EK_PROF_VERSIONED (EK_PROF(EK_MEP_DRAFT09) | EK_PROF(EK_MEP_DRAFT16))

/* DUT capabilities (DUT profile "capabilities", TD "needs"). */
#define EK_CAP_SENDS_DIO 0x01u   /* a 6LR: joins a DODAG and sends DIOs */
#define EK_CAP_SENDS_EB 0x02u    /* a Join Proxy: sends Enhanced Beacons with Join-Info */
#define EK_CAP_SECURED 0x04u     /* link-layer security on */
#define EK_CAP_ROOT 0x08u        /* DODAG root */
#define EK_CAP_PLEDGE 0x10u      /* pledge */
#define EK_CAP_MEP 0x20u         /* implements the Minimum Enrollment Priority option; a 6LR
                                    without it is a legacy stack (suite "legacy") */
#define EK_CAP_COJP 0x40u        /* a Join Proxy that forwards CoJP join traffic (RFC 9031 §6,
                                    §7) and takes the JRC's Parameter Updates (§8.2) */

/* The role a DUT plays in the network (DUT profile [dut] role; TD `role`).  A TD applies
 * only to DUTs of its role.  0 is the 6LR / Join Proxy, so every TD that names no role is
 * a 6LR TD.  EK_NODE_PLEDGE and EK_NODE_JRC are parsed; no TD needs them yet. */
typedef enum ek_node_role {
    EK_NODE_6LR = 0,   /* "6lr": a router that joins the harness's DODAG (and a Join Proxy) */
    EK_NODE_ROOT,      /* "root": the DODAG root; originates the option (draft-16 §3.2) */
    EK_NODE_PLEDGE,    /* "pledge" */
    EK_NODE_JRC,       /* "jrc" */
    EK_NODE_ROLE_COUNT
} ek_node_role;

/* "6lr", "root", "pledge", "jrc" ("?" out of range). */
const char *ek_node_role_name(int role);
/* By name; false when unknown. */
bool ek_node_role_parse(const char *name, ek_node_role *out);

/* ---- time ---- */
/* Durations follow the DUT's own timing, so one TD fits fast emulated nodes and slow
 * real ones (the DUT profile gives Imin, doublings and the EB period). */
typedef enum ek_tunit {
    EK_T_MS = 0,   /* milliseconds */
    EK_T_IMIN,     /* DIO Trickle Imin */
    EK_T_IMAX,     /* Imin << doublings */
    EK_T_EB,       /* EB period */
    EK_T_HALF_IMAX, /* Imax / 2: RFC 6206 §4.2 puts a Trickle transmission anywhere in
                      [I/2, I), so consecutive DIOs may be up to 3 half-Imax apart */
    EK_T_ACK,      /* a pledge's CoAP ACK_TIMEOUT during the join (DUT profile [cojp]
                      ack_timeout_ms; RFC 7252 §4.8, RFC 9031 §7.2) */
    EK_T_JOIN      /* the longest a pledge takes from the moment the Join Proxies' EBs begin
                      to its Join Request: how it finds and scans them is its own choice
                      (RFC 9031 §4.1), so the DUT profile declares it ([timing] join_ms;
                      undeclared: 40 EB periods, and a timeout is INCONC, never FAIL) */
} ek_tunit;

typedef struct ek_dur {
    uint32_t n;
    ek_tunit unit;
} ek_dur;

/* Initializers for static TD tables (`.window = EK_IMAX(2)`): plain braces, because a
 * compound literal is not a constant expression (C11 §6.7.9p4; gcc -Wpedantic warns).
 * In expressions use ek_dur_of(). */
#define EK_MS(x) { (x), EK_T_MS }
#define EK_IMIN(x) { (x), EK_T_IMIN }
#define EK_IMAX(x) { (x), EK_T_IMAX }
#define EK_EBS(x) { (x), EK_T_EB }
#define EK_HALF_IMAX(x) { (x), EK_T_HALF_IMAX }
#define EK_ACKS(x) { (x), EK_T_ACK }
#define EK_JOINS(x) { (x), EK_T_JOIN }

static inline ek_dur ek_dur_of(uint32_t n, ek_tunit unit)
{
    ek_dur d = { n, unit };
    return d;
}

/* ---- stimuli ---- */
/* Nodes the harness plays.  Each has a fixed EUI-64 (ek_td_role_ext) and a default rank. */
typedef enum ek_role {
    EK_ROLE_A = 0,   /* DODAG root / preferred parent, rank 256 */
    EK_ROLE_B,       /* a neighbour with a worse rank (1024): never the preferred parent */
    EK_ROLE_ROGUE,   /* insider attacker, rank 1024 unless given */
    EK_ROLE_COUNT
} ek_role;

typedef enum ek_stim_kind {
    EK_STIM_DIO = 0,  /* a DIO built from the fields below */
    EK_STIM_REPLAY,   /* re-send, byte-identical, the frame injected by step replay_step */
    EK_STIM_STOP,     /* stop `from`'s periodic stimulus */
    EK_STIM_EB,       /* an Enhanced Beacon from `from` (S9): ASN eb_asn, K1 per `sec` */
    EK_STIM_DIS,      /* a multicast DIS from `from`, no Solicited Information (RFC 6550 §6.2,
                         §8.3: the receiver MUST reset its Trickle timer) */
    EK_STIM_CMD,      /* a control command to the DUT itself, not a frame: the DUT profile's
                         template for `cmd` with `cmd_arg`, written to its stdin (a root DUT
                         changing its configured minimum).  `from` is unused. */
    EK_STIM_AGENT,    /* a frame from `from` built by the TD's agent (ek_td_agent.build with
                         agent_arg): Enhanced Beacons with chosen Join-Info, CoJP messages */
    EK_STIM_RESET     /* the DUT's reset in the middle of the TD (the profile's reset command
                         or the in-process reset hook), then the ready wait: a pledge's reboot
                         (its persistent memory survives, RFC 9031 §7.3.1).  No frame. */
} ek_stim_kind;

/* Control commands (EK_STIM_CMD) and the DUT profile key giving each one's template. */
typedef enum ek_cmd {
    EK_CMD_SET_MIN = 0,      /* [root] cmd_set_min: a routine change of the minimum (T = 0) */
    EK_CMD_SET_MIN_URGENT    /* [root] cmd_set_min_urgent: an important change (T = 1,
                                draft-16 §3.2) */
} ek_cmd;

/* Link-layer security of a stimulus (RFC 8180 §4.6: DIOs under K2, EBs
 * authenticated under K1).  Only meaningful when the DUT profile has security on;
 * with security off every stimulus is sent unsecured whatever this says. */
typedef enum ek_stim_sec {
    EK_SSEC_AUTO = 0,     /* as the network does: secured with the DUT profile's key and level */
    EK_SSEC_NONE,         /* unsecured, in a secured network (S5) */
    EK_SSEC_WRONG_KEY,    /* secured with a key the DUT does not hold, same key index (S5) */
    EK_SSEC_DEFAULT_K1    /* secured with the published default K1 ("K1-minimal15") (S9) */
} ek_stim_sec;

/* The frame counter a secured stimulus carries (IEEE 802.15.4-2015 §9.4.2). */
typedef enum ek_stim_fc {
    EK_FC_NEXT = 0,       /* the role's next counter (monotonic per role) */
    EK_FC_SAME_AS_STEP,   /* the counter used by step fc_step (replay with counter unchanged) */
    EK_FC_REWOUND         /* fc_step's counter minus fc_delta (counter rewound) */
} ek_stim_fc;

/* The enrollment option a stimulus DIO carries, in the DUT's wire profile. */
typedef struct ek_mep_spec {
    bool present;
    uint8_t version;    /* draft-09/16 Version (lollipop) */
    bool t;             /* draft-09/16 T */
    bool r;             /* draft-03/04 reserved R bit */
    uint8_t min;        /* Min Priority, 7 bits */
    uint32_t size;      /* DODAG size, rounded up to the profile's encoding; 0 = 0 */
} ek_mep_spec;

struct ek_td_ctx;
struct ek_dut;

typedef struct ek_stimulus {
    ek_role from;
    ek_stim_kind kind;
    uint16_t rank;             /* 0 = the role's default */
    uint8_t dodag_version;     /* DIO base Version; 0 = 240 */
    ek_mep_spec mep;
    const char *extra_hex;     /* raw options "f0 02 aa bb": exact bytes (Type, Length as
                                  declared, data), placed per extra_pos */
    ek_build_opt_pos extra_pos;
    unsigned replay_step;      /* EK_STIM_REPLAY: 1-based index of an earlier INJECT step */
    ek_dur every;              /* 0 = once; else keep sending until the TD ends or `from`
                                  injects again (periodic parent DIOs) */
    ek_stim_sec sec;           /* link-layer security */
    ek_stim_fc fc;
    unsigned fc_step;          /* EK_FC_SAME_AS_STEP / EK_FC_REWOUND: 1-based INJECT step */
    uint32_t fc_delta;
    uint64_t eb_asn;           /* EK_STIM_EB: the ASN it announces */
    ek_cmd cmd;                /* EK_STIM_CMD: which command */
    uint32_t cmd_arg;          /* EK_STIM_CMD: its argument (the minimum) */
    uint32_t agent_arg;        /* EK_STIM_AGENT: what the agent builds (the agent's own code) */
    /* Last word on the DIO (e.g. a profile-specific field); may be NULL. */
    void (*tweak)(const struct ek_td_ctx *ctx, ek_build_dio *dio);
} ek_stimulus;

/* ---- matching DUT frames ---- */
typedef enum ek_op { EK_OP_EQ = 0, EK_OP_NE, EK_OP_LT, EK_OP_LE, EK_OP_GT, EK_OP_GE, EK_OP_PRESENT, EK_OP_ABSENT } ek_op;

/* field: an ek_fields key ("proxy_priority", "min_priority", "rank", "version", ...) or
 * one of the engine's extra keys (docs/harness.md: "mep.version", "mep.t", "mep.r",
 * "mep.length", "mep.exp", "mep.size_code", "ji.reserved", "ji.p", "ji.length_ok", and
 * for link-layer security "sec.secured", "sec.mic_ok" (the MIC verified with
 * the profile's keys; only when the harness tried), "sec.level", "sec.frame_counter").
 * A frame without the field never satisfies a comparison (only EK_OP_ABSENT). */
typedef struct ek_cond {
    const char *field;   /* NULL ends the list */
    ek_op op;
    uint64_t value;
} ek_cond;

typedef enum ek_frame_class {
    EK_CLASS_ANY = 0,    /* any frame from the DUT */
    EK_CLASS_DIO,        /* a DIO from the DUT */
    EK_CLASS_EB,         /* an Enhanced Beacon from the DUT */
    EK_CLASS_COAP        /* a UDP datagram from or to the CoAP port 5683 (RFC 7252 §12.6):
                            CoJP traffic of a pledge (RFC 9031 §8) */
} ek_frame_class;
#define EK_FRAME_CLASS_COUNT 4

#define EK_MATCH_MAX_CONDS 4

typedef struct ek_match {
    ek_frame_class cls;
    ek_cond conds[EK_MATCH_MAX_CONDS];   /* all must hold */
    /* Extra check (may be NULL): true when the frame matches; otherwise a reason
     * ("option differs from the parent's at octet 4: 0x31 != 0x30"). */
    bool (*pred)(const struct ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen);
} ek_match;

/* ---- steps ---- */
typedef enum ek_step_kind {
    EK_STEP_INJECT = 0,  /* stimulus: after `at`, send stim */
    EK_STEP_WAIT,        /* let `window` pass, observing */
    EK_STEP_EXPECT,      /* check (must_next): a DUT frame matching `match` within `window` */
    EK_STEP_EXPECT_NOT,  /* check (must_not_next): no DUT frame matching within `window` */
    EK_STEP_ALWAYS,      /* verify: every DUT frame of match.cls within `window` satisfies the
                            conditions, and at least one such frame is seen (else on_timeout) */
    EK_STEP_NEXT         /* must_next: the DUT's next frame of match.cls, within `window`,
                            satisfies the conditions (none seen: on_timeout); ends at it */
} ek_step_kind;

typedef struct ek_step {
    ek_step_kind kind;
    const char *what;          /* one line for progress, reports and docs */
    ek_dur at;                 /* INJECT: delay after the previous step */
    bool at_from_start;        /* INJECT: `at` counts from the first step's start instead
                                  (packetdrill absolute time); already past = send now */
    ek_stimulus stim;
    ek_match match;
    ek_dur window;
    ek_verdict on_timeout;     /* EXPECT/ALWAYS with nothing seen: EK_V_FAIL (DUT did not
                                  do it) or EK_V_INCONC (a precondition could not be
                                  established); EK_V_NONE = EK_V_FAIL */
    unsigned info_profiles;    /* profiles in which a failure of this step is INFO only
                                  (spec says SHOULD/MAY there): pass with a note */
    unsigned profiles;         /* 0 = every profile; else the step runs only under these */
    ek_dur window_plus;        /* added to window: a window made of two kinds of time (CoAP
                                  timeouts and a pledge's scans); n = 0 adds nothing */
} ek_step;

/* ---- agents: the harness's reactive roles around a DUT ----
 * A TD may name an agent: per-TD state the engine allocates (zeroed) before the first
 * step and frees after the last, reachable by predicates as ctx->agent.  The agent
 * builds EK_STIM_AGENT frames, and sees every DUT frame before the steps judge it, with
 * the chance to answer at once (a JRC answering a pledge's Join Request through the
 * Join Proxy the harness plays, RFC 9031 §8.1). */
#define EK_AGENT_MAX_REPLIES 2

typedef struct ek_agent_reply {
    ek_role from;                       /* the role whose MAC sequence number it used */
    size_t len;
    uint8_t mpdu[EK_BUILD_MPDU_MAX];    /* no FCS */
} ek_agent_reply;

typedef struct ek_td_agent {
    size_t state_size;
    /* After the TD's reset, before step 1 (may be NULL). */
    void (*begin)(void *state, const struct ek_td_ctx *ctx, uint64_t now_ns);
    /* The frame of an EK_STIM_AGENT stimulus; seq is the MAC sequence number of s->from.
     * 0, or -1 with the reason in err (the step is an ERROR). */
    int (*build)(void *state, const struct ek_td_ctx *ctx, const ek_stimulus *s, uint8_t seq, uint64_t now_ns,
                 uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen);
    /* A DUT frame (mpdu as received, no FCS; f its decode): may fill up to cap replies, each
     * with the sequence number seq[reply.from] (then incremented).  Returns the count. */
    unsigned (*dut_frame)(void *state, const struct ek_td_ctx *ctx, const ek_frame *f, const uint8_t *mpdu,
                          size_t len, uint64_t now_ns, uint8_t seq[EK_ROLE_COUNT], ek_agent_reply *out,
                          unsigned cap);
} ek_td_agent;

typedef struct ek_td {
    const char *id;            /* stable: "TP-EP-06" */
    const char *suite;         /* "ep", "eb", "attack" */
    const char *title;
    const char *objective;
    const char *refs;          /* requirement IDs and sections: "EP-13, EP-15 (draft-16 §3.2)" */
    const char *config;        /* topology / configuration in words */
    unsigned profiles;         /* EK_PROF mask the TD applies to */
    unsigned needs;            /* EK_CAP_* the DUT must declare */
    const ek_step *steps;
    unsigned n_steps;
    /* How every expected value is derived: from the spec's permitted range and from what
     * the DUT itself advertised, never from one implementation's choices; each rule with
     * its section.  Printed in the registry docs. */
    const char *rule;
    /* The largest DUT local cost (EB proxy priority - adopted minimum) with which the TD's
     * EB windows still tell the minimums it sends apart; 0 = no assumption.  A DUT profile
     * declaring a larger max_local_cost makes the TD not applicable, never a false FAIL. */
    uint8_t max_cost;
    /* The DUT role the TD tests (ek_node_role); 0 = a 6LR.  Other roles: not applicable. */
    uint8_t role;
    /* The harness's reactive roles (NULL = none): see ek_td_agent. */
    const ek_td_agent *agent;
    /* Further applicability from the DUT profile (NULL = none): false with the reason
     * ("the pledge is provisioned with a network ID") makes the TD not applicable. */
    bool (*applies)(const struct ek_dut *dut, char *why, size_t whylen);
} ek_td;

#define EK_TD_MAX_STEPS 32


#endif /* EK_TD_H */
