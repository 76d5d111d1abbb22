/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut --role pledge: the reference pledge (ek/pledge.h; RFC 9031, RFC 9032 §2)
 * as a process speaking ZEP.  This file is its event loop, options and status lines; the
 * persistent OSCORE record (RFC 9031 §7.3.1) lives in --state-file, written whenever it
 * changes and read again at start and on SIGHUP, which is a reboot. */
#include "pledge_main.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ek/lladdr.h"
#include "ek/pledge.h"
#include "ek/radio.h"
#include "process.h"

#define DEFAULT_RADIO "zep://127.0.0.1:17754?local=127.0.0.1:17755"
#define SIGNAL_LATENCY_NS 20000000ull

bool ek_refdut_pledge_wanted(int argc, char **argv)
{
    bool from_env = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            return strcmp(argv[i + 1], "pledge") == 0;
        if (strcmp(argv[i], "--role=pledge") == 0)
            return true;
        if (strncmp(argv[i], "--role=", 7) == 0)
            return false;
        from_env = from_env || strcmp(argv[i], "--from-env") == 0;
    }
    const char *r = getenv("EK_DUT_ROLE");
    return from_env && r && strcmp(r, "pledge") == 0;
}

enum {
    P_RADIO = 300, P_CHANNEL, P_FROM_ENV, P_PAN, P_ADDRESS, P_IE_PROFILE, P_IE_SUBTYPE, P_PSK, P_PLEDGE_ID,
    P_NETWORK_ID, P_ACK, P_STATE, P_SEED, P_VARIANT, P_LIST_VARIANTS, P_FAULT, P_ROLE, P_IGNORED
};

typedef struct popts {
    char radio[512];
    bool radio_given;
    uint8_t channel;
    char state[512];
    char variant[64];
    char env_radio_err[256];
    ek_pledge_cfg cfg;
} popts;

static int apply(popts *o, int opt, const char *name, const char *v)
{
    uint64_t x = 0;
    int n;
    switch (opt) {
    case P_RADIO:
        snprintf(o->radio, sizeof o->radio, "%s", v);
        o->radio_given = true;
        return 0;
    case P_CHANNEL:
        if (!ek_refdut_parse_uint(v, 11, 26, &x))
            break;
        o->channel = (uint8_t)x;
        return 0;
    case P_PAN:
        if (!ek_refdut_parse_uint(v, 0, 0xfffe, &x))
            break;
        o->cfg.pan_id = (uint16_t)x;
        return 0;
    case P_ADDRESS:
        if (strcmp(v, "auto") == 0)
            return 0;
        if (!ek_eui64_parse(v, o->cfg.ext))
            break;
        return 0;
    case P_IE_PROFILE:
        if (!ek_ji_profile_parse(v, &o->cfg.prof.ji))
            break;
        return 0;
    case P_IE_SUBTYPE:
        if (!ek_refdut_parse_uint(v, 2, 255, &x))   /* RFC 8137 §7: 0 reserved, 1 is 6P */
            break;
        o->cfg.prof.ji_subtype = (uint8_t)x;
        return 0;
    case P_PSK:
        n = ek_hex_octets(v, o->cfg.psk, sizeof o->cfg.psk);
        if (n < 16)   /* RFC 9031 §3: at least 128 bits */
            break;
        o->cfg.psk_len = (uint8_t)n;
        return 0;
    case P_PLEDGE_ID:
        n = ek_hex_octets(v, o->cfg.pledge_id, sizeof o->cfg.pledge_id);
        if (n < 1)
            break;
        o->cfg.pledge_id_len = (uint8_t)n;
        return 0;
    case P_NETWORK_ID:
        n = *v ? ek_hex_octets(v, o->cfg.network_id, sizeof o->cfg.network_id) : 0;
        if (n < 0)
            break;
        o->cfg.has_network_id = n > 0;
        o->cfg.network_id_len = (uint8_t)n;
        return 0;
    case P_ACK:
        if (!ek_refdut_parse_uint(v, 1, 600000, &x))
            break;
        o->cfg.ack_timeout_ms = (uint32_t)x;
        return 0;
    case P_STATE:
        snprintf(o->state, sizeof o->state, "%s", v);
        return 0;
    case P_SEED:
        if (!ek_refdut_parse_uint(v, 0, UINT64_MAX, &x))
            break;
        o->cfg.seed = x;
        return 0;
    case P_VARIANT:
        if (ek_pledge_variant_apply(v, &o->cfg) != 0) {
            fprintf(stderr, "enroll-refdut: %s: unknown pledge variant \"%s\" (--role pledge --list-variants)\n",
                    name, v);
            return -1;
        }
        snprintf(o->variant, sizeof o->variant, "%s", v);
        return 0;
    case P_FAULT: {
        ek_refnode_fault f = strcmp(v, "none") == 0 ? EK_FAULT_NONE : ek_refnode_fault_parse(v);
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get(f);
        if (f != EK_FAULT_NONE && (!fi || !strstr(fi->profiles, "+pledge"))) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is no pledge fault (--list-faults: PROFILES with +pledge)\n",
                    name, v);
            return -1;
        }
        o->cfg.fault = f;
        return 0;
    }
    case P_ROLE:
    case P_IGNORED:
        return 0;
    default:
        break;
    }
    fprintf(stderr, "enroll-refdut: %s: \"%s\" is not valid (see --help)\n", name, v);
    return -1;
}

/* --from-env: the variables ek_dut_setenv exports (docs/harness.md). */
static int apply_env(popts *o)
{
    static const struct {
        const char *var;
        int opt;
    } vars[] = {
        { "EK_RADIO_CHANNEL", P_CHANNEL }, { "EK_DUT_PAN_ID", P_PAN }, { "EK_DUT_ADDRESS", P_ADDRESS },
        { "EK_WIRE_IE_PROFILE", P_IE_PROFILE }, { "EK_WIRE_IE_SUBTYPE", P_IE_SUBTYPE }, { "EK_COJP_PSK", P_PSK },
        { "EK_COJP_PLEDGE_ID", P_PLEDGE_ID }, { "EK_COJP_NETWORK_ID", P_NETWORK_ID },
        { "EK_COJP_ACK_TIMEOUT_MS", P_ACK }, { "EK_REFDUT_VARIANT", P_VARIANT },
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i].var);
        if (v && (*v || vars[i].opt == P_NETWORK_ID) && apply(o, vars[i].opt, vars[i].var, v) != 0)
            return -1;
    }
    const char *uri = getenv("EK_RADIO_URI");
    if (uri && *uri && !ek_refdut_mirror_zep(uri, o->radio, sizeof o->radio))
        snprintf(o->env_radio_err, sizeof o->env_radio_err,
                 "EK_RADIO_URI \"%.150s\" cannot be mirrored (need zep://HOST:PORT?local=HOST:PORT); give --radio",
                 uri);
    return 0;
}

static void list_variants(void)
{
    const ek_pledge_variant_info *v;
    size_t n = ek_pledge_variants(&v);
    printf("%-20s %s\n", "NAME", "SUMMARY");
    for (size_t i = 0; i < n; i++)
        printf("%-20s %s\n", v[i].name, v[i].summary);
}

/* The persistent record: EK_PLEDGE_NV_LEN octets; absent = a new device. */
static size_t state_read(const char *path, uint8_t nv[EK_PLEDGE_NV_LEN])
{
    FILE *f = path[0] ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    size_t n = fread(nv, 1, EK_PLEDGE_NV_LEN, f);
    fclose(f);
    return n == EK_PLEDGE_NV_LEN ? n : 0;
}

static int state_write(const char *path, const uint8_t nv[EK_PLEDGE_NV_LEN])
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(nv, 1, EK_PLEDGE_NV_LEN, f) == EK_PLEDGE_NV_LEN;
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    return ok && rename(tmp, path) == 0 ? 0 : -1;   /* all or nothing: rename is atomic */
}

static void report(const ek_pledge_state *a, const ek_pledge_state *b)
{
    char ip[48];
    if (b->phase != a->phase || b->attempts != a->attempts) {
        if (b->phase == EK_PLEDGE_JOINING && b->has_jp) {
            snprintf(ip, sizeof ip, "fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x", b->jp_ip[8], b->jp_ip[9],
                     b->jp_ip[10], b->jp_ip[11], b->jp_ip[12], b->jp_ip[13], b->jp_ip[14], b->jp_ip[15]);
            ek_refdut_log(1,
                          "Join Request (attempt %" PRIu64 ") through %02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x to %s",
                          b->attempts, b->jp_ext[0], b->jp_ext[1], b->jp_ext[2], b->jp_ext[3], b->jp_ext[4], b->jp_ext[5],
                          b->jp_ext[6], b->jp_ext[7], ip);
        } else {
            ek_refdut_log(1, "%s", ek_pledge_phase_name(b->phase));
        }
        if (b->phase == EK_PLEDGE_JOINED && a->phase != EK_PLEDGE_JOINED)
            ek_refdut_log(1, "joined: %u link-layer key(s) (first key id %u), short address 0x%04x", b->n_keys,
                          (unsigned)b->key_id0, (unsigned)b->short_id);
    }
    if (b->updates_applied > a->updates_applied)
        ek_refdut_log(1, "Parameter Update applied: short address 0x%04x", (unsigned)b->short_id);
    if (b->dropped_unprotected > a->dropped_unprotected)
        ek_refdut_log(2, "unprotected response discarded (RFC 9031 §7.3.2)");
    if (b->dropped_oscore > a->dropped_oscore)
        ek_refdut_log(2, "OSCORE failure: message dropped");
}

/* SIGHUP, a reboot: RAM lost, the persistent record read back from the state file.
 * Returns the pledge to go on with (a new one built from that record). */
static ek_pledge *on_hup(ek_pledge *p, const popts *o, const ek_radio *r, uint64_t *gen_written,
                         ek_pledge_state *prev)
{
    ek_refdut_hup = 0;
    if (o->state[0]) {
        uint8_t nv[EK_PLEDGE_NV_LEN];
        char perr[160] = "";
        size_t nvn = state_read(o->state, nv);
        ek_pledge *np = ek_pledge_new(&o->cfg, nv, nvn, perr, sizeof perr);
        if (np) {
            ek_pledge_free(p);
            p = np;
        } else {
            ek_refdut_log(0, "cannot rebuild the pledge from %s after SIGHUP: %s; RAM state lost only", o->state,
                          perr);
            ek_pledge_reboot(p, ek_radio_now(r));
        }
    } else {
        ek_pledge_reboot(p, ek_radio_now(r));
    }
    *gen_written = UINT64_MAX;
    ek_pledge_get_state(p, prev);
    ek_refdut_log(0, "SIGHUP: rebooted (persistent memory kept)");
    return p;
}

int ek_refdut_pledge_main(int argc, char **argv)
{
    ek_refdut_signals();

    static popts o;
    memset(&o, 0, sizeof o);
    snprintf(o.radio, sizeof o.radio, "%s", DEFAULT_RADIO);
    o.channel = 26;
    ek_pledge_cfg_default(&o.cfg);
    static const struct option longopts[] = {
        { "radio", required_argument, NULL, P_RADIO }, { "channel", required_argument, NULL, P_CHANNEL },
        { "from-env", no_argument, NULL, P_FROM_ENV }, { "pan", required_argument, NULL, P_PAN },
        { "address", required_argument, NULL, P_ADDRESS }, { "ie-profile", required_argument, NULL, P_IE_PROFILE },
        { "ie-subtype", required_argument, NULL, P_IE_SUBTYPE }, { "psk", required_argument, NULL, P_PSK },
        { "pledge-id", required_argument, NULL, P_PLEDGE_ID }, { "network-id", required_argument, NULL, P_NETWORK_ID },
        { "ack-timeout-ms", required_argument, NULL, P_ACK }, { "state-file", required_argument, NULL, P_STATE },
        { "seed", required_argument, NULL, P_SEED }, { "variant", required_argument, NULL, P_VARIANT },
        { "list-variants", no_argument, NULL, P_LIST_VARIANTS }, { "fault", required_argument, NULL, P_FAULT },
        { "role", required_argument, NULL, P_ROLE }, { "ep-profile", required_argument, NULL, P_IGNORED },
        { "ep-type", required_argument, NULL, P_IGNORED }, { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' }, { NULL, 0, NULL, 0 },
    };
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--from-env") == 0 && apply_env(&o) != 0)
            return 1;
    int c, verbosity = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qv", longopts, NULL)) != -1) {
        if (c == 'q')
            verbosity = 0;
        else if (c == 'v')
            verbosity = 2;
        else if (c == P_LIST_VARIANTS) {
            list_variants();
            return 0;
        } else if (c == P_FROM_ENV)
            continue;
        else if (c == '?') {
            fprintf(stderr, "Try 'enroll-refdut --help'.\n");
            return 1;
        } else {
            char name[40] = "option";
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == c)
                    snprintf(name, sizeof name, "--%s", lo->name);
            if (apply(&o, c, name, optarg ? optarg : "") != 0)
                return 1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "enroll-refdut: unexpected argument \"%s\"\n", argv[optind]);
        return 1;
    }
    if (!o.radio_given && o.env_radio_err[0]) {
        fprintf(stderr, "enroll-refdut: --from-env: %s\n", o.env_radio_err);
        return 1;
    }
    if (o.cfg.psk_len == 0) {
        fprintf(stderr, "enroll-refdut: --role pledge needs --psk (or EK_COJP_PSK): 16..32 octets as hex\n");
        return 1;
    }
    ek_refdut_log_start(verbosity);
    char err[EK_RADIO_ERRLEN];
    ek_radio_opts ro;
    ek_radio_opts_default(&ro);
    ro.channel = o.channel;
    ro.pace = false;
    memcpy(ro.hello_eui64, o.cfg.ext, sizeof ro.hello_eui64);
    ek_radio *r = NULL;
    if (ek_radio_open(o.radio, &ro, &r, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-refdut: %s\n", err);
        return 2;
    }
    uint8_t nv[EK_PLEDGE_NV_LEN];
    size_t nvn = state_read(o.state, nv);
    char perr[160] = "";
    ek_pledge *p = ek_pledge_new(&o.cfg, nv, nvn, perr, sizeof perr);
    if (!p) {
        fprintf(stderr, "enroll-refdut: cannot create the pledge: %s\n", perr);
        ek_radio_close(r);
        return 2;
    }
    const ek_refnode_fault_info *fi = ek_refnode_fault_info_get(o.cfg.fault);
    ek_refdut_log(0, /* even under --quiet: what dut.ready_line waits for */
                  "pledge up on %s: ACK_TIMEOUT %u ms, network ID %s, persistent memory %s (%s), fault %s, variant %s",
                  ek_radio_describe(r), (unsigned)o.cfg.ack_timeout_ms,
                  o.cfg.has_network_id ? "provisioned" : "not provisioned",
                  o.state[0] ? o.state : "none: RAM only", nvn ? "read" : "new", o.cfg.fault && fi ? fi->name : "none",
                  o.variant[0] ? o.variant : "default");
    uint64_t gen_written = UINT64_MAX;
    ek_pledge_state prev, cur;
    ek_pledge_get_state(p, &prev);
    uint8_t out[EK_RADIO_PSDU_MAX];
    while (!ek_refdut_stop) {
        if (ek_refdut_hup)
            p = on_hup(p, &o, r, &gen_written, &prev);
        uint64_t now = ek_radio_now(r);
        size_t len;
        while ((len = ek_pledge_poll(p, now, out, sizeof out)) > 0) {
            if (ek_radio_send(r, out, len, NULL) != 0)
                ek_refdut_log(2, "send: %s", ek_radio_errmsg(r));
            else
                ek_refdut_log(2, "tx %zu octets", len);
        }
        uint64_t gen;
        ek_pledge_nv(p, nv, &gen);
        if (o.state[0] && gen != gen_written) {
            if (state_write(o.state, nv) != 0)
                ek_refdut_log(0, "cannot write the state file %s", o.state);
            gen_written = gen;
        }
        ek_pledge_get_state(p, &cur);
        report(&prev, &cur);
        prev = cur;
        uint64_t next = ek_pledge_next_event(p), deadline = now + SIGNAL_LATENCY_NS;
        if (next < deadline)
            deadline = next;
        ek_radio_frame f;
        int rc = ek_radio_recv(r, &f, deadline);
        if (rc == 1 && f.fcs_ok && f.len >= 2) {
            ek_pledge_rx(p, f.psdu, f.len - 2, f.t_ns);
        } else if (rc < 0 && !ek_refdut_stop && !ek_refdut_hup && errno != EINTR) {
            if (ek_radio_eof(r))
                break;
            ek_radio_sleep_until(r, ek_radio_now(r) + 1000000ull);
        }
    }
    ek_pledge_get_state(p, &cur);
    ek_refdut_log(1,
                  "exiting: %s; %" PRIu64 " Join Requests, %" PRIu64 " retransmissions, %" PRIu64 " unprotected and %" PRIu64
                  " OSCORE-failed messages dropped, %" PRIu64 " Parameter Updates, next Partial IV %" PRIu64,
                  ek_pledge_phase_name(cur.phase), cur.join_requests, cur.retransmissions, cur.dropped_unprotected,
                  cur.dropped_oscore, cur.updates_applied, cur.ssn);
    ek_pledge_free(p);
    ek_radio_close(r);
    return 0;
}
