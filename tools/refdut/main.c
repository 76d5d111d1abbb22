/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut: the reference 6LR + Join Proxy as a process speaking ZEP,
 * so the harness tests it exactly like an emulated or real device.  The behaviour is
 * ek_refnode (draft-ietf-roll-enrollment-priority, RFC 6550/6206 Trickle, RFC 9032 EBs);
 * this file is the event loop, the options and the status lines (process.c: signals, SIGHUP = reset). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ek/consts.h"
#include "ek/profile.h"
#include "ek/lladdr.h"
#include "ek/radio.h"
#include "ek/refnode.h"
#include "ek/sec.h"
#include "jrcstate.h"
#include "pledge_main.h"
#include "process.h"

#define DEFAULT_RADIO "zep://127.0.0.1:17754?local=127.0.0.1:17755"
/* Longest sleep in recv: bounds how late a signal is acted on if the radio retries on EINTR. */
#define SIGNAL_LATENCY_NS 20000000ull
/* A root reads its control commands from stdin between radio waits: at most this late. */
#define COMMAND_LATENCY_NS 2000000ull
/* Frames one poll round may emit; ek_refnode_poll returns 0 long before this. */
#define MAX_BURST 16

static const char usage[] =
    "Usage: enroll-refdut [OPTIONS]\n"
    "\n"
    "The enrollkit reference device: a compliant RPL 6LR and 6TiSCH Join Proxy that speaks\n"
    "ZEP (or any enrollkit radio), for testing the harness and for interop. It selects a\n"
    "preferred parent from received DIOs (OF0, RFC 6552), adopts the Minimum Enrollment\n"
    "Priority option from that parent only (draft-ietf-roll-enrollment-priority), sends DIOs\n"
    "on a Trickle timer (RFC 6206, RFC 6550 §8.3) carrying the adopted option unchanged, and\n"
    "Enhanced Beacons with an RFC 9032 Enrollment IE whose proxy priority is the adopted\n"
    "minimum plus the local cost (0x7f once the minimum is 0x7f). It skips unknown options and\n"
    "survives malformed ones. With --secured it runs a secured network (RFC 8180 §4.6): DIOs\n"
    "under K2, EBs authenticated under K1, and received frames must be secured, verify, and\n"
    "carry a frame counter above the sender's last (IEEE 802.15.4-2015 §9.2.5).\n"
    "--fault NAME switches on one seeded defect (--list-faults); --variant NAME one set of\n"
    "compliant implementation choices (--list-variants); --legacy makes it a pre-draft 6LR.\n"
    "Trickle Imin/Imax/k, MinHopRankIncrease and the OF (OCP 0 OF0, 1 MRHOF) come from the\n"
    "parent's DODAG Configuration option; the --dio-* options apply only before one arrives.\n"
    "See docs/refdut.md for the behaviour rules and their spec sections.\n"
    "\n"
    "Radio:\n"
    "  --radio URI          radio to use (default " DEFAULT_RADIO ":\n"
    "                       send to the harness on 17754, receive on 17755); any URI of\n"
    "                       docs/radios.md, e.g. zep-dispatch://127.0.0.1:17754\n"
    "  --channel N          802.15.4 channel 11..26 in ZEP headers; others dropped (default 26)\n"
    "  --from-env           take the settings from the EK_* variables the harness exports for\n"
    "                       a spawned DUT (EK_RADIO_URI mirrored: zep://H:P?local=L:Q becomes\n"
    "                       zep://L:Q?local=H:P; EK_RADIO_CHANNEL, EK_DUT_PAN_ID, EK_DUT_ADDRESS,\n"
    "                       EK_WIRE_*, EK_TIMING_*, EK_SECURITY_*; EK_REFDUT_VARIANT = --variant;\n"
    "                       EK_DUT_CAPABILITIES without the word mep = --legacy; EK_DUT_ROLE =\n"
    "                       --role); options\n"
    "                       given on the command line win\n"
    "\n"
    "Node:\n"
    "  --pan ID             PAN ID (default 0xface)\n"
    "  --address EUI64      our EUI-64 (default 02:00:5e:ef:00:00:00:01)\n"
    "  --ep-profile P       option layout: draft-03, draft-04, draft-09, draft-16 (default)\n"
    "  --ep-type N          option type code, 0x0a..0xff (default 0x2a, provisional; 0x00-0x09\n"
    "                       are RFC 6550 options)\n"
    "  --ie-profile P       RFC 9032 Figure 1 reading: rfc9032-literal (default), byte-aligned\n"
    "  --ie-subtype N       IETF IE subtype of Join-Info (default 2, RFC 9032 §5)\n"
    "  --local-cost N       added to the adopted minimum for the EB proxy priority, 0..127\n"
    "                       (default 5)\n"
    "  --dio-imin-ms N      Trickle Imin in ms until a DODAG Configuration arrives (default 16;\n"
    "                       then 2^DIOIntMin ms, RFC 6550 §8.3.1)\n"
    "  --dio-doublings N    Imax = Imin << N until then (default 6, Imax 1024 ms)\n"
    "  --dio-redundancy N   Trickle k until then, 0 = never suppress (default 10)\n"
    "  --eb-period-ms N     Enhanced Beacon period once joined (default 50)\n"
    "  --seed N             Trickle randomness seed (default 1; same seed, same timing)\n"
    "  --variant NAME       compliant implementation choices (OF0 Rf/Sp/Sr, MRHOF link ETX,\n"
    "                       Trickle phase, R copy, draft-16 Length-4 form, EB jitter, local\n"
    "                       cost); NAME from --list-variants (default: \"default\")\n"
    "  --list-variants      print the variant catalogue (name, OCP the harness must announce,\n"
    "                       summary) and exit\n"
    "  --legacy             a 6LR without the enrollment option: its type is an unknown option\n"
    "                       (skipped, never adopted or propagated), and no Enhanced Beacons\n"
    "\n"
    "\n";
/* Split in two: ISO C guarantees string literals of 4095 characters only. */
static const char usage_cojp[] =
    "Join Proxy (RFC 9031; unsecured networks):\n"
    "  --cojp               forward pledges' link-local Join Requests to the JRC (the DODAGID)\n"
    "                       statelessly, NON, DSCP AF43, relay the answers; take Parameter\n"
    "                       Updates (join rate, blacklist); forward nothing at minimum 0x7f\n"
    "                       (--from-env: the capability word cojp)\n"
    "  --cojp-psk HEX       our PSK with the JRC (16..32 octets; pledge ID = our EUI-64)\n"
    "  --cojp-window-ms N   the window the join rate is averaged over (default 10000,\n"
    "                       ACK_TIMEOUT; --from-env: [cojp] ack_timeout_ms)\n"
    "Pledge (--role pledge; the harness plays Join Proxies and the JRC, docs/refdut.md):\n"
    "  --role pledge        join with CoJP (RFC 9031) through the best Join Proxy heard in\n"
    "                       EBs; options: --psk HEX, --pledge-id HEX (default our EUI-64),\n"
    "                       --network-id HEX (provisioned), --ack-timeout-ms N (10000),\n"
    "                       --state-file PATH (OSCORE sequence number and replay window,\n"
    "                       RFC 9031 §7.3.1), --variant NAME (--role pledge --list-variants),\n"
    "                       --fault NAME (the +pledge faults of --list-faults); SIGHUP = reboot\n"
    "\n"
    "JRC (--role jrc; the harness plays the pledge and its Join Proxy):\n"
    "  --role jrc           answer Join Requests sent to fd00:: + our IID: a protected 2.04\n"
    "                       with a Configuration, 4.00 + Unsupported_Configuration for a\n"
    "                       malformed Join_Request, silence for every OSCORE error; no DIOs\n"
    "  --cojp-psk HEX       the PSK of the pledges below (--from-env: [cojp] psk)\n"
    "  --jrc-pledge-id HEX  a provisioned pledge ID, up to 4 times (--from-env: [cojp]\n"
    "                       pledge_id)\n"
    "  --jrc-state FILE     persistent memory: the OSCORE sequence numbers and replay windows,\n"
    "                       loaded at start and after SIGHUP (a reboot), written on change\n"
    "\n";
static const char usage_more[] =
    "DODAG root (--role root):\n"
    "  --role 6lr|root      root: originate the option instead of adopting one: DIOs on\n"
    "                       Trickle with rank 256, its own DODAG Configuration (--dio-*), the\n"
    "                       option with --root-min and the DODAG size of --routes; no EBs.\n"
    "                       Reads control commands from stdin, one a line: \"min N\" (routine\n"
    "                       change, T=0), \"min N urgent\" (T=1), \"routes N\"; each change of\n"
    "                       the option increments its Version (draft-09/-16) and resets\n"
    "                       Trickle (--variant root-deferred: urgent changes only)\n"
    "  --root-min N         the root's initial minimum, 0..0x7f (default 0x40)\n"
    "  --routes N           the routes it holds at start: its DODAG size (default 0)\n"
    "\n"
    "Link-layer security (IEEE 802.15.4-2015 §9, RFC 8180 §4.6; off by default):\n"
    "  --secured            secure every DIO and EB we send; drop unsecured, wrongly keyed and\n"
    "                       replayed frames (per-sender frame counter, updated only after the\n"
    "                       MIC verifies)\n"
    "  --k1 NAME|HEX        EB key (default K1-minimal15, the published Contiki-NG/OpenWSN\n"
    "                       default); NAME: K1-minimal15, K2-contiki, annex-c; HEX: 32 hex\n"
    "                       digits\n"
    "  --k2 NAME|HEX        DIO (data frame) key (default K2-contiki)\n"
    "  --key-id-mode N      how frames name both keys (IEEE 802.15.4-2015 §9.4.1.2): 1 key\n"
    "                       index (default), 2 4-octet key source + index, 3 8-octet key\n"
    "                       source + index; 0 (implicit) is refused: K1 and K2 would look alike\n"
    "  --k1-index N         K1's key index, 1..255 (default 1)\n"
    "  --k2-index N         K2's key index, 1..255 (default 2; must differ from K1's)\n"
    "  --key-source HEX     key source of both keys, on-air order: 4 octets for mode 2,\n"
    "                       8 for mode 3 (e.g. 0011223344556677); refused with mode 1\n"
    "  --eb-level N         EB security level 1-3 or 5-7 (default 1, MIC-32: RFC 8180 says\n"
    "                       EBs are authenticated, not encrypted)\n"
    "  --dio-level N        DIO security level 1-3 or 5-7 (default 5, ENC-MIC-32)\n"
    "  --asn-nonce          TSCH nonce: ASN instead of the frame counter (our ASN: 10 ms slots\n"
    "                       since start); frames with a stale ASN are dropped\n";

static const char usage_tail[] =
    "\n"
    "Faults (mutation testing):\n"
    "  --fault NAME         switch on one seeded defect; NAME from --list-faults\n"
    "  --list-faults        print the fault catalogue and exit: name, requirement broken, TD\n"
    "                       that catches it, profiles, TD that catches it in legacy mode\n"
    "                       (- if none), summary\n"
    "\n"
    "Output:\n"
    "  -q, --quiet          print errors, the start line (\"up on RADIO: ...\", once the\n"
    "                       radio is open: what a harness profile's dut.ready_line waits\n"
    "                       for) and the SIGHUP line (\"SIGHUP: state forgotten\", once a\n"
    "                       reset is carried out: what dut.reset_line waits for) only\n"
    "  -v, --verbose        also print every frame received and sent\n"
    "                       (default: status lines on stderr: start, parent joined, option\n"
    "                       adopted, proxy priority, Trickle resets, SIGHUP resets)\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Signals:\n"
    "  SIGHUP               forget everything learnt (parent, option, Trickle): the harness's\n"
    "                       reset between test descriptions (reset = kill -HUP \"$EK_DUT_PID\")\n"
    "  SIGTERM, SIGINT      exit cleanly with status 0\n"
    "\n"
    "Exit status: 0 after SIGTERM/SIGINT, 1 on a usage error, 2 when the radio or the node\n"
    "cannot be set up. With --fault crash-on-malformed-length (an option whose Length does\n"
    "not fit) or crash-on-empty-option (an option other than PadN with Length 0) the process\n"
    "aborts (SIGABRT): that is the defect it emulates.\n"
    "\n"
    "Examples:\n"
    "  enroll-refdut --ep-profile draft-09 --verbose\n"
    "  enroll-refdut --radio 'zep://127.0.0.1:40000?local=127.0.0.1:40001' --fault adopt-older\n"
    "  enroll-refdut --secured --k2 000102030405060708090a0b0c0d0e0f --verbose\n"
    "  enroll-refdut --variant rf-4-step-9-stretch-5 --ep-profile draft-04\n"
    "  enroll-refdut --legacy --fault copy-unknown-options\n"
    "  enroll-refdut --list-faults\n";

typedef struct options {
    char radio[512];
    bool radio_given;
    uint8_t channel;
    int verbosity; /* 0 quiet, 1 status, 2 frames */
    ek_refnode_cfg cfg;
    uint8_t key_source_len; /* octets --key-source gave: 0, 4 or 8 */
    char env_radio_err[256]; /* --from-env could not mirror EK_RADIO_URI (fatal only without --radio) */
    char variant[64];       /* --variant / EK_REFDUT_VARIANT, "" = default choices */
    char jrc_state[1024];   /* --jrc-state FILE: the JRC's persistent memory, "" = none */
} options;

/* ---- option parsing ---- */

/* "02:00:5e:ef:00:00:00:01" (':' or '-') -> canonical EUI-64 order. */
static const char *eui64_str(const uint8_t e[8], char buf[24])
{
    snprintf(buf, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
    return buf;
}

enum {
    OPT_RADIO = 256, OPT_CHANNEL, OPT_FROM_ENV, OPT_PAN, OPT_ADDRESS, OPT_EP_PROFILE, OPT_EP_TYPE,
    OPT_IE_PROFILE, OPT_IE_SUBTYPE, OPT_LOCAL_COST, OPT_IMIN, OPT_DOUBLINGS, OPT_REDUNDANCY, OPT_EB_PERIOD,
    OPT_SEED, OPT_FAULT, OPT_LIST_FAULTS, OPT_VERSION, OPT_SECURED, OPT_K1, OPT_K2, OPT_EB_LEVEL, OPT_DIO_LEVEL,
    OPT_ASN_NONCE, OPT_KEY_ID_MODE, OPT_K1_INDEX, OPT_K2_INDEX, OPT_KEY_SOURCE, OPT_LEGACY, OPT_VARIANT,
    OPT_LIST_VARIANTS, OPT_CAPABILITIES, OPT_ROLE, OPT_ROOT_MIN, OPT_ROUTES,
    OPT_COJP, OPT_COJP_PSK, OPT_COJP_WINDOW, OPT_JRC_PLEDGE_ID, OPT_JRC_STATE
};

/* "true"/"false" as a DUT profile writes them (also 1/0, yes/no, on/off). */
static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "1", "yes", "on" }, *const no[] = { "false", "0", "no", "off" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* A key name (ek_sec_key_names) or 32 hex digits.  Only the octets change: how frames
 * name the key (key id mode, index, key source) stays what --key-id-mode, --k1-index,
 * --k2-index and --key-source made it (ek/dut.h [security]). */
static bool parse_key(const char *v, const char *role, ek_sec_key *out)
{
    ek_sec_key named, k;
    uint8_t raw[EK_SEC_KEY_LEN];
    if (ek_sec_key_named(v, &named))
        ek_sec_key_make(&k, named.name, named.key, out->key_index);
    else if (ek_sec_key_parse_hex(v, raw))
        ek_sec_key_make(&k, role, raw, out->key_index);
    else
        return false;
    k.key_id_mode = out->key_id_mode;
    memcpy(k.key_source, out->key_source, sizeof k.key_source);
    *out = k;
    return true;
}

/* IEEE 802.15.4-2015 §9.4.4.1 Key Source: 4 or 8 octets of hex, on-air order, ':' '-'
 * or ' ' between octets allowed; empty = none.  Returns the count, or -1. */
static int parse_key_source(const char *v, uint8_t src[8])
{
    int n = 0;
    for (const char *p = v; *p;) {
        if (n > 0 && (*p == ':' || *p == '-' || *p == ' ')) {
            p++;
            continue;
        }
        int hi = ek_hex_digit((unsigned char)p[0]);
        int lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)p[1]);
        if (hi < 0 || lo < 0 || n == 8)
            return -1;
        src[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    return n == 0 || n == 4 || n == 8 ? n : -1;
}

/* 16..32 octets of hex (':' or '-' between octets allowed): a CoJP PSK (RFC 9031 §3:
 * at least 128 bits).  Returns the count, or -1. */
static int parse_psk(const char *v, uint8_t out[32])
{
    int n = ek_hex_octets(v, out, 32);
    return n >= 16 ? n : -1;
}

/* True iff `word` is one of the words of `list` (separated by anything but letters,
 * digits, '-' and '_'), case-insensitively. */
static bool has_word(const char *list, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = list; *p;) {
        size_t n = 0;
        while (p[n] && (p[n] == '-' || p[n] == '_' || (p[n] >= '0' && p[n] <= '9') ||
                        ((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z')))
            n++;
        if (n == wl && strncasecmp(p, word, wl) == 0)
            return true;
        p += n ? n : 1;
    }
    return false;
}

/* Applies one setting; name is the option or variable for messages.  0 or -1 (printed). */
static int apply(options *o, int opt, const char *name, const char *v)
{
    uint64_t x = 0;
    switch (opt) {
    case OPT_RADIO:
        if (strlen(v) >= sizeof o->radio) {
            fprintf(stderr, "enroll-refdut: %s: URI too long\n", name);
            return -1;
        }
        snprintf(o->radio, sizeof o->radio, "%s", v);
        return 0;
    case OPT_CHANNEL:
        /* IEEE 802.15.4-2015 §10.1.2.2: O-QPSK 2450 MHz, channels 11..26. */
        if (!ek_refdut_parse_uint(v, 11, 26, &x))
            break;
        o->channel = (uint8_t)x;
        return 0;
    case OPT_PAN:
        if (!ek_refdut_parse_uint(v, 0, 0xfffe, &x))
            break;
        o->cfg.pan_id = (uint16_t)x;
        return 0;
    case OPT_ADDRESS:
        if (!ek_eui64_parse(v, o->cfg.ext)) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not an EUI-64 (e.g. 02:00:5e:ef:00:00:00:01)\n", name, v);
            return -1;
        }
        return 0;
    case OPT_EP_PROFILE:
        if (!ek_mep_profile_parse(v, &o->cfg.prof.mep)) {
            fprintf(stderr, "enroll-refdut: %s: unknown profile \"%s\" (draft-03, draft-04, draft-09, draft-16)\n",
                    name, v);
            return -1;
        }
        return 0;
    case OPT_EP_TYPE:
        /* 0x00-0x09 are RFC 6550 §6.7.2-§6.7.11 options: the node would misparse them. */
        if (!ek_refdut_parse_uint(v, 0x0a, 0xff, &x)) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" must be 0x0a..0xff (0x00-0x09 are RFC 6550 options)\n",
                    name, v);
            return -1;
        }
        o->cfg.prof.mep_type = (uint8_t)x;
        return 0;
    case OPT_IE_PROFILE:
        if (!ek_ji_profile_parse(v, &o->cfg.prof.ji)) {
            fprintf(stderr, "enroll-refdut: %s: unknown profile \"%s\" (rfc9032-literal, byte-aligned)\n", name, v);
            return -1;
        }
        return 0;
    case OPT_IE_SUBTYPE:
        /* RFC 8137 §7: 0 reserved; RFC 8480 §6.1: 1 is 6P. */
        if (!ek_refdut_parse_uint(v, 2, 255, &x))
            break;
        o->cfg.prof.ji_subtype = (uint8_t)x;
        return 0;
    case OPT_LOCAL_COST:
        if (!ek_refdut_parse_uint(v, 0, 0x7f, &x))
            break;
        o->cfg.local_cost = (uint8_t)x;
        return 0;
    case OPT_IMIN:
        if (!ek_refdut_parse_uint(v, 1, 3600000, &x))
            break;
        o->cfg.dio_imin_ms = (uint32_t)x;
        return 0;
    case OPT_DOUBLINGS:
        if (!ek_refdut_parse_uint(v, 0, 31, &x))
            break;
        o->cfg.dio_doublings = (uint8_t)x;
        return 0;
    case OPT_REDUNDANCY:
        if (!ek_refdut_parse_uint(v, 0, 255, &x))
            break;
        o->cfg.dio_redundancy = (uint8_t)x;
        return 0;
    case OPT_EB_PERIOD:
        if (!ek_refdut_parse_uint(v, 1, 3600000, &x))
            break;
        o->cfg.eb_period_ms = (uint32_t)x;
        return 0;
    case OPT_SEED:
        if (!ek_refdut_parse_uint(v, 0, UINT64_MAX, &x))
            break;
        o->cfg.seed = x;
        return 0;
    case OPT_SECURED:
    case OPT_ASN_NONCE:
    case OPT_LEGACY: {
        bool b = false;
        if (!parse_bool(v, &b)) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not true or false\n", name, v);
            return -1;
        }
        if (opt == OPT_SECURED)
            o->cfg.secured = b;
        else if (opt == OPT_ASN_NONCE)
            o->cfg.asn_nonce = b;
        else
            o->cfg.legacy = b;
        return 0;
    }
    case OPT_CAPABILITIES:
        /* the DUT profile's capabilities ("dio, eb, mep"): without the word "mep" the
         * device does not implement the enrollment option - a legacy 6LR */
        o->cfg.legacy = !has_word(v, "mep");
        /* "cojp": a Join Proxy that forwards CoJP join traffic (RFC 9031) */
        o->cfg.cojp = has_word(v, "cojp");
        return 0;
    case OPT_COJP: {
        bool b = false;
        if (!parse_bool(v, &b)) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not true or false\n", name, v);
            return -1;
        }
        o->cfg.cojp = b;
        return 0;
    }
    case OPT_COJP_PSK: {
        int n = parse_psk(v, o->cfg.cojp_psk);
        if (n < 0) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not a PSK: 16..32 octets as hex (RFC 9031 §3)\n", name, v);
            return -1;
        }
        o->cfg.cojp_psk_len = (uint8_t)n;
        return 0;
    }
    case OPT_JRC_PLEDGE_ID: {
        /* a pledge the JRC is provisioned with (RFC 9031 §3): 1..16 octets as hex */
        uint8_t id[16];
        int k = ek_hex_octets(v, id, sizeof id);
        if (k <= 0 || o->cfg.jrc_n_pledges == EK_REFNODE_JRC_PLEDGES) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not a pledge ID (1..16 octets as hex; at most %d)\n", name,
                    v, EK_REFNODE_JRC_PLEDGES);
            return -1;
        }
        memcpy(o->cfg.jrc_pledge_id[o->cfg.jrc_n_pledges], id, (size_t)k);
        o->cfg.jrc_pledge_id_len[o->cfg.jrc_n_pledges++] = (uint8_t)k;
        return 0;
    }
    case OPT_JRC_STATE:
        snprintf(o->jrc_state, sizeof o->jrc_state, "%s", v);
        return 0;
    case OPT_COJP_WINDOW:
        if (!ek_refdut_parse_uint(v, 1, 600000, &x))
            break;
        o->cfg.cojp_rate_window_ms = (uint32_t)x;
        return 0;
    case OPT_ROLE:
        /* the DUT profile's [dut] role: this device plays a 6LR, the DODAG root or the JRC */
        if (strcmp(v, "6lr") == 0 || strcmp(v, "root") == 0 || strcmp(v, "jrc") == 0) {
            o->cfg.root = strcmp(v, "root") == 0;
            o->cfg.jrc = strcmp(v, "jrc") == 0;
            return 0;
        }
        fprintf(stderr, "enroll-refdut: %s: \"%s\": enroll-refdut plays role 6lr, root or jrc\n", name, v);
        return -1;
    case OPT_ROOT_MIN:
        if (!ek_refdut_parse_uint(v, 0, 0x7f, &x))
            break;
        o->cfg.root_min = (uint8_t)x;
        return 0;
    case OPT_ROUTES:
        if (!ek_refdut_parse_uint(v, 0, UINT32_MAX, &x))
            break;
        o->cfg.root_routes = (uint32_t)x;
        return 0;
    case OPT_VARIANT:
        if (ek_refnode_variant_apply(v, &o->cfg) != 0) {
            fprintf(stderr, "enroll-refdut: %s: unknown variant \"%s\" (see --list-variants)\n", name, v);
            return -1;
        }
        snprintf(o->variant, sizeof o->variant, "%s", v);
        return 0;
    case OPT_K1:
    case OPT_K2:
        if (!parse_key(v, opt == OPT_K1 ? "K1" : "K2", opt == OPT_K1 ? &o->cfg.k1 : &o->cfg.k2)) {
            char names[128] = "";
            for (const char *const *k = ek_sec_key_names(); *k; k++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "", *k);
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is neither a key name (%s) nor 32 hex digits\n", name, v,
                    names);
            return -1;
        }
        return 0;
    case OPT_KEY_ID_MODE:
        /* IEEE 802.15.4-2015 §9.4.1.2 Table 9-7; mode 0 = implicit key (from the addresses) */
        if (ek_refdut_parse_uint(v, 0, 0, &x)) {
            fprintf(stderr, "enroll-refdut: %s: 0 (implicit key) cannot tell K1 from K2 apart; use 1, 2 or 3\n", name);
            return -1;
        }
        if (!ek_refdut_parse_uint(v, 1, 3, &x))
            break;
        o->cfg.k1.key_id_mode = o->cfg.k2.key_id_mode = (uint8_t)x;
        return 0;
    case OPT_K1_INDEX:
    case OPT_K2_INDEX:
        /* §9.4.4.2: Key Index 0x00 is reserved */
        if (!ek_refdut_parse_uint(v, 1, 255, &x))
            break;
        (opt == OPT_K1_INDEX ? &o->cfg.k1 : &o->cfg.k2)->key_index = (uint8_t)x;
        return 0;
    case OPT_KEY_SOURCE: {
        uint8_t src[8] = { 0 };
        int n = parse_key_source(v, src);
        if (n < 0) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" is not a key source: 4 octets (mode 2) or 8 (mode 3) as hex\n",
                    name, v);
            return -1;
        }
        memcpy(o->cfg.k1.key_source, src, sizeof src);
        memcpy(o->cfg.k2.key_source, src, sizeof src);
        o->key_source_len = (uint8_t)n;
        return 0;
    }
    case OPT_EB_LEVEL:
    case OPT_DIO_LEVEL:
        /* IEEE 802.15.4-2015 §9.4.2.2 Table 9-6; level 4 (ENC without MIC) cannot be verified */
        if (!ek_refdut_parse_uint(v, 1, 7, &x) || x == 4) {
            fprintf(stderr, "enroll-refdut: %s: \"%s\" must be a security level with a MIC: 1-3 or 5-7\n", name, v);
            return -1;
        }
        if (opt == OPT_EB_LEVEL)
            o->cfg.eb_level = (uint8_t)x;
        else
            o->cfg.dio_level = (uint8_t)x;
        return 0;
    case OPT_FAULT: {
        if (strcmp(v, "none") == 0) {
            o->cfg.fault = EK_FAULT_NONE;
            return 0;
        }
        ek_refnode_fault f = ek_refnode_fault_parse(v);
        if (f == EK_FAULT_COUNT) {
            fprintf(stderr, "enroll-refdut: %s: unknown fault \"%s\" (see --list-faults)\n", name, v);
            return -1;
        }
        o->cfg.fault = f;
        return 0;
    }
    default:
        return -1;
    }
    fprintf(stderr, "enroll-refdut: %s: \"%s\" is not a number in range (see --help)\n", name, v);
    return -1;
}

/* --from-env: the variables ek_dut_setenv exports (docs/harness.md). */
static int apply_env(options *o)
{
    static const struct {
        const char *var;
        int opt;
    } vars[] = {
        { "EK_RADIO_CHANNEL", OPT_CHANNEL },      { "EK_DUT_PAN_ID", OPT_PAN },
        { "EK_DUT_ADDRESS", OPT_ADDRESS },        { "EK_WIRE_EP_PROFILE", OPT_EP_PROFILE },
        { "EK_WIRE_EP_TYPE", OPT_EP_TYPE },       { "EK_WIRE_IE_PROFILE", OPT_IE_PROFILE },
        { "EK_WIRE_IE_SUBTYPE", OPT_IE_SUBTYPE }, { "EK_TIMING_DIO_IMIN_MS", OPT_IMIN },
        { "EK_TIMING_DIO_DOUBLINGS", OPT_DOUBLINGS }, { "EK_TIMING_DIO_REDUNDANCY", OPT_REDUNDANCY },
        { "EK_TIMING_EB_PERIOD_MS", OPT_EB_PERIOD },
        { "EK_SECURITY_ENABLED", OPT_SECURED },   { "EK_SECURITY_K1", OPT_K1 },
        { "EK_SECURITY_K2", OPT_K2 },             { "EK_SECURITY_EB_LEVEL", OPT_EB_LEVEL },
        { "EK_SECURITY_DIO_LEVEL", OPT_DIO_LEVEL }, { "EK_SECURITY_ASN_NONCE", OPT_ASN_NONCE },
        { "EK_SECURITY_KEY_ID_MODE", OPT_KEY_ID_MODE }, { "EK_SECURITY_K1_INDEX", OPT_K1_INDEX },
        { "EK_SECURITY_K2_INDEX", OPT_K2_INDEX },  { "EK_SECURITY_KEY_SOURCE", OPT_KEY_SOURCE },
        { "EK_DUT_CAPABILITIES", OPT_CAPABILITIES }, { "EK_REFDUT_VARIANT", OPT_VARIANT },
        { "EK_DUT_ROLE", OPT_ROLE },
        { "EK_COJP_PSK", OPT_COJP_PSK },          { "EK_COJP_ACK_TIMEOUT_MS", OPT_COJP_WINDOW },
        { "EK_COJP_PLEDGE_ID", OPT_JRC_PLEDGE_ID },
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i].var);
        if (!v || !*v)
            continue;
        if (vars[i].opt == OPT_ADDRESS && strcmp(v, "auto") == 0)
            continue; /* the harness learns it: keep ours */
        if (apply(o, vars[i].opt, vars[i].var, v) != 0)
            return -1;
    }
    const char *uri = getenv("EK_RADIO_URI");
    if (uri && *uri && !ek_refdut_mirror_zep(uri, o->radio, sizeof o->radio))
        snprintf(o->env_radio_err, sizeof o->env_radio_err,
                 "EK_RADIO_URI \"%.150s\" cannot be mirrored (need zep://HOST:PORT?local=HOST:PORT); give --radio",
                 uri);
    return 0;
}

/* Columns 1-5 hold no spaces (scripts split them on white space); the summary is the
 * rest of the line. */
static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void list_faults(void)
{
    printf("%-26s %-12s %-9s %-44s %-16s %s\n", "NAME", "BREAKS", "CAUGHT-BY", "PROFILES", "LEGACY-CAUGHT-BY",
           "SUMMARY");
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *i = ek_refnode_fault_info_get((ek_refnode_fault)f);
        if (!i || !i->name)
            continue;
        printf("%-26s %-12s %-9s %-44s %-16s %s\n", i->name, or_dash(i->breaks), or_dash(i->caught_by),
               or_dash(i->profiles), or_dash(i->legacy_caught_by), i->summary ? i->summary : "");
    }
}

static void list_variants(void)
{
    const ek_refnode_variant_info *v = NULL;
    size_t nv = ek_refnode_variants(&v);
    ek_refnode_cfg def;
    ek_refnode_cfg_default(&def);
    /* LOCAL-COST: what the variant adds to the minimum (a harness profile declares it as
     * max_local_cost); "-" when it keeps --local-cost (default shown in the docs) */
    printf("%-27s %-9s %-10s %s\n", "NAME", "NEEDS-OCP", "LOCAL-COST", "SUMMARY");
    for (size_t i = 0; i < nv; i++) {
        char cost[8];
        if (v[i].local_cost >= 0)
            snprintf(cost, sizeof cost, "0x%02x", (unsigned)v[i].local_cost);
        else
            snprintf(cost, sizeof cost, "-");
        printf("%-27s %-9u %-10s %s\n", v[i].name, (unsigned)v[i].needs_ocp, cost, v[i].summary);
    }
}

/* 0 = run, 1 = usage error, 3 = done (help/version/list printed). */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        { "radio", required_argument, NULL, OPT_RADIO },
        { "channel", required_argument, NULL, OPT_CHANNEL },
        { "from-env", no_argument, NULL, OPT_FROM_ENV },
        { "pan", required_argument, NULL, OPT_PAN },
        { "address", required_argument, NULL, OPT_ADDRESS },
        { "ep-profile", required_argument, NULL, OPT_EP_PROFILE },
        { "ep-type", required_argument, NULL, OPT_EP_TYPE },
        { "ie-profile", required_argument, NULL, OPT_IE_PROFILE },
        { "ie-subtype", required_argument, NULL, OPT_IE_SUBTYPE },
        { "local-cost", required_argument, NULL, OPT_LOCAL_COST },
        { "dio-imin-ms", required_argument, NULL, OPT_IMIN },
        { "dio-doublings", required_argument, NULL, OPT_DOUBLINGS },
        { "dio-redundancy", required_argument, NULL, OPT_REDUNDANCY },
        { "eb-period-ms", required_argument, NULL, OPT_EB_PERIOD },
        { "seed", required_argument, NULL, OPT_SEED },
        { "secured", no_argument, NULL, OPT_SECURED },
        { "k1", required_argument, NULL, OPT_K1 },
        { "k2", required_argument, NULL, OPT_K2 },
        { "eb-level", required_argument, NULL, OPT_EB_LEVEL },
        { "dio-level", required_argument, NULL, OPT_DIO_LEVEL },
        { "asn-nonce", no_argument, NULL, OPT_ASN_NONCE },
        { "key-id-mode", required_argument, NULL, OPT_KEY_ID_MODE },
        { "k1-index", required_argument, NULL, OPT_K1_INDEX },
        { "k2-index", required_argument, NULL, OPT_K2_INDEX },
        { "key-source", required_argument, NULL, OPT_KEY_SOURCE },
        { "fault", required_argument, NULL, OPT_FAULT },
        { "list-faults", no_argument, NULL, OPT_LIST_FAULTS },
        { "legacy", no_argument, NULL, OPT_LEGACY },
        { "variant", required_argument, NULL, OPT_VARIANT },
        { "list-variants", no_argument, NULL, OPT_LIST_VARIANTS },
        { "role", required_argument, NULL, OPT_ROLE },
        { "root-min", required_argument, NULL, OPT_ROOT_MIN },
        { "routes", required_argument, NULL, OPT_ROUTES },
        { "cojp", no_argument, NULL, OPT_COJP },
        { "cojp-psk", required_argument, NULL, OPT_COJP_PSK },
        { "cojp-window-ms", required_argument, NULL, OPT_COJP_WINDOW },
        { "jrc-pledge-id", required_argument, NULL, OPT_JRC_PLEDGE_ID },
        { "jrc-state", required_argument, NULL, OPT_JRC_STATE },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    /* --from-env first, whatever its position: explicit options then override it. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--from-env") == 0) {
            if (apply_env(o) != 0)
                return 1;
            break;
        }
    }
    int c;
    while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q':
            o->verbosity = 0;
            break;
        case 'v':
            o->verbosity = 2;
            break;
        case 'h':
            fputs(usage, stdout);
            fputs(usage_cojp, stdout);
            fputs(usage_more, stdout);
            fputs(usage_tail, stdout);
            return 3;
        case OPT_VERSION:
            printf("enroll-refdut %s\n", EK_VERSION);
            return 3;
        case OPT_LIST_FAULTS:
            list_faults();
            return 3;
        case OPT_LIST_VARIANTS:
            list_variants();
            return 3;
        case OPT_FROM_ENV:
            break;
        case '?':
            fprintf(stderr, "Try 'enroll-refdut --help'.\n");
            return 1;
        default: {
            char name[32];
            const char *n = "option";
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == c) {
                    snprintf(name, sizeof name, "--%s", lo->name);
                    n = name;
                }
            if (apply(o, c, n, optarg ? optarg : "true") != 0) /* flags: --secured, --asn-nonce, --legacy */
                return 1;
            if (c == OPT_RADIO)
                o->radio_given = true;
        }
        }
    }
    if (optind < argc) {
        fprintf(stderr, "enroll-refdut: unexpected argument \"%s\" (see --help)\n", argv[optind]);
        return 1;
    }
    if (!o->radio_given && o->env_radio_err[0]) {
        fprintf(stderr, "enroll-refdut: --from-env: %s\n", o->env_radio_err);
        return 1;
    }
    /* a JRC takes part in no DODAG: the capability words of a 6LR (no mep = legacy, cojp)
     * do not apply to it */
    if (o->cfg.jrc)
        o->cfg.legacy = o->cfg.cojp = false;
    /* the key identifier as a whole (IEEE 802.15.4-2015 §9.4.4, §9.2.2): checked once every
     * option is in, so their order is free */
    static const uint8_t need[4] = { 0, 0, 4, 8 };
    uint8_t kim = o->cfg.k1.key_id_mode & 3;
    if (kim == 1 && o->key_source_len) {
        fprintf(stderr, "enroll-refdut: --key-source is refused with key id mode 1 (give --key-id-mode 2 or 3)\n");
        return 1;
    }
    if (kim >= 2 && o->key_source_len != need[kim]) {
        fprintf(stderr, "enroll-refdut: key id mode %u needs --key-source of %u octets (%u given)\n", (unsigned)kim,
                (unsigned)need[kim], (unsigned)o->key_source_len);
        return 1;
    }
    if (o->cfg.k1.key_index == o->cfg.k2.key_index) {
        fprintf(stderr, "enroll-refdut: --k1-index and --k2-index are both %u: frames could not tell K1 from K2 apart\n",
                (unsigned)o->cfg.k1.key_index);
        return 1;
    }
    if (((uint64_t)o->cfg.dio_imin_ms << o->cfg.dio_doublings) > UINT32_MAX) {
        fprintf(stderr, "enroll-refdut: Imax = %u ms << %u does not fit 32 bits\n", (unsigned)o->cfg.dio_imin_ms,
                (unsigned)o->cfg.dio_doublings);
        return 1;
    }
    return 0;
}

/* ---- status lines: what changed in the node's state ---- */

static void report_changes(const ek_refnode_state *a, const ek_refnode_state *b)
{
    char e[24];
    if (b->joined && (!a->joined || memcmp(a->parent_ext, b->parent_ext, 8) != 0))
        ek_refdut_log(1, "joined: preferred parent %s (rank %u), our rank %u, instance %u, DODAG version %u",
                      eui64_str(b->parent_ext, e), (unsigned)b->parent_rank, (unsigned)b->rank, (unsigned)b->instance,
                      (unsigned)b->dodag_version);
    else if (!b->joined && a->joined)
        ek_refdut_log(1, "left the DODAG (no parent)");
    if (b->has_option != a->has_option || b->min_priority != a->min_priority || b->opt_version != a->opt_version ||
        b->opt_t != a->opt_t || b->proxy_priority != a->proxy_priority) {
        if (b->has_option)
            ek_refdut_log(1,
                          "option adopted from the parent: min priority 0x%02x, version %u, T=%d -> EB proxy priority "
                          "0x%02x",
                          (unsigned)b->min_priority, (unsigned)b->opt_version, b->opt_t ? 1 : 0,
                          (unsigned)b->proxy_priority);
        else
            ek_refdut_log(1, "no option from the parent: min priority 0x%02x -> EB proxy priority 0x%02x",
                          (unsigned)b->min_priority, (unsigned)b->proxy_priority);
    }
    if (b->trickle_resets > a->trickle_resets)
        ek_refdut_log(1, "Trickle reset (#%" PRIu64 "), I = %u ms", b->trickle_resets, (unsigned)b->trickle_i_ms);
    if (b->dropped_unsecured > a->dropped_unsecured)
        ek_refdut_log(2, "dropped: unsecured frame in a secured network (#%" PRIu64 ")", b->dropped_unsecured);
    if (b->dropped_mic > a->dropped_mic)
        ek_refdut_log(2, "dropped: no key or MIC did not verify (#%" PRIu64 ")", b->dropped_mic);
    if (b->dropped_replay > a->dropped_replay)
        ek_refdut_log(2, "dropped: replayed frame counter or stale ASN (#%" PRIu64 ")", b->dropped_replay);
}

static void die_if_dead(const ek_refnode *n, const ek_refnode_cfg *cfg)
{
    ek_refnode_state s;
    ek_refnode_get_state(n, &s);
    if (!s.dead)
        return;
    const ek_refnode_fault_info *i = ek_refnode_fault_info_get(cfg->fault);
    fprintf(stderr, "enroll-refdut: fault %s fired: aborting (the seeded defect)\n", i && i->name ? i->name : "?");
    fflush(stderr);
    abort();
}

/* SIGHUP, the harness's reset: a reboot forgets what was learnt (parent, option, Trickle);
 * a JRC keeps what its persistent memory holds. */
static void on_hup(ek_refnode *n, const options *o, const ek_radio *r, ek_refnode_state *prev)
{
    ek_refdut_hup = 0;
    ek_refnode_reset(n, ek_radio_now(r));
    if (o->cfg.jrc && o->jrc_state[0]) {
        char serr[1200];
        if (ek_jrcstate_load(n, o->jrc_state, serr, sizeof serr) != 0)
            ek_refdut_log(0, "%s", serr);
    }
    ek_refnode_get_state(n, prev);
    ek_refdut_log(0, "SIGHUP: state forgotten (parent, option, Trickle)");
}

static const char *frame_kind(const uint8_t *mpdu, size_t len)
{
    /* IEEE 802.15.4-2015 §7.2.2.2: Frame Type, bits 0-2 of the Frame Control field. */
    if (len < 2)
        return "frame";
    switch (mpdu[0] & 0x07) {
    case EK_WPAN_FT_BEACON:
        return "EB";
    case EK_WPAN_FT_DATA:
        return "DIO";
    default:
        return "frame";
    }
}

int main(int argc, char **argv)
{
    /* --role pledge: another device altogether (pledge_main.c) */
    if (ek_refdut_pledge_wanted(argc, argv))
        return ek_refdut_pledge_main(argc, argv);
    /* First thing: a harness may send its reset (SIGHUP) right after spawning us, and
     * the default action would kill the process. */
    ek_refdut_signals();

    options o;
    memset(&o, 0, sizeof o);
    snprintf(o.radio, sizeof o.radio, "%s", DEFAULT_RADIO);
    o.channel = 26;
    o.verbosity = 1;
    ek_refnode_cfg_default(&o.cfg);
    o.cfg.seed = 1;
    int pr = parse_args(argc, argv, &o);
    if (pr == 3)
        return 0;
    if (pr != 0)
        return 1;
    ek_refdut_log_start(o.verbosity);

    char err[EK_RADIO_ERRLEN];
    ek_radio_opts ro;
    ek_radio_opts_default(&ro);
    ro.channel = o.channel;
    ro.pace = false; /* a device sends when its stack says so */
    /* a topology-mode dispatcher keys nodes on the HELLO's EUI-64: announce our own */
    memcpy(ro.hello_eui64, o.cfg.ext, sizeof ro.hello_eui64);
    ek_radio *r = NULL;
    if (ek_radio_open(o.radio, &ro, &r, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-refdut: %s\n", err);
        return 2;
    }
    char nerr[256] = "";
    ek_refnode *n = ek_refnode_new(&o.cfg, nerr, sizeof nerr);
    if (!n) {
        fprintf(stderr, "enroll-refdut: cannot create the node: %s\n", nerr[0] ? nerr : "invalid configuration");
        ek_radio_close(r);
        return 2;
    }
    char e[24];
    const ek_refnode_fault_info *fi = ek_refnode_fault_info_get(o.cfg.fault);
    /* even under --quiet: the line a harness profile's dut.ready_line waits for */
    ek_refdut_log(0, "up on %s: %s, option type 0x%02x, %s, address %s, PAN 0x%04x, fault %s, variant %s%s",
                  ek_radio_describe(r), ek_mep_profile_name(o.cfg.prof.mep), (unsigned)o.cfg.prof.mep_type,
                  ek_ji_profile_name(o.cfg.prof.ji), eui64_str(o.cfg.ext, e), (unsigned)o.cfg.pan_id,
                  o.cfg.fault == EK_FAULT_NONE ? "none" : fi && fi->name ? fi->name : "?",
                  o.variant[0] ? o.variant : "default",
                  o.cfg.legacy ? ", legacy (enrollment option not implemented, no EBs)" : "");
    if (o.cfg.secured)
        ek_refdut_log(1,
                      "secured: DIOs under %s (index %u) at level %u, EBs under %s (index %u) at level %u, %s nonce, "
                      "key id mode %u",
                      o.cfg.k2.name, (unsigned)o.cfg.k2.key_index, (unsigned)o.cfg.dio_level, o.cfg.k1.name,
                      (unsigned)o.cfg.k1.key_index, (unsigned)o.cfg.eb_level, o.cfg.asn_nonce ? "ASN" : "frame-counter",
                      (unsigned)o.cfg.k1.key_id_mode);

    if (o.jrc_state[0] && o.cfg.jrc) {
        char serr[1200];
        if (ek_jrcstate_load(n, o.jrc_state, serr, sizeof serr) != 0) {
            fprintf(stderr, "enroll-refdut: %s\n", serr);
            ek_refnode_free(n);
            ek_radio_close(r);
            return 2;
        }
    }
    if (o.cfg.jrc)
        ek_refdut_log(1, "JRC: %u provisioned pledge(s), persistent memory %s", (unsigned)o.cfg.jrc_n_pledges,
                      o.jrc_state[0] ? o.jrc_state : "none (RAM only)");
    if (o.cfg.root)
        ek_refdut_log(1, "DODAG root: minimum 0x%02x, %u routes; control commands on stdin (min N [urgent], routes N)",
                      (unsigned)o.cfg.root_min, (unsigned)o.cfg.root_routes);
    /* a root's control commands: stdin, read without blocking between radio waits */
    bool cmd_in = o.cfg.root && fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) == 0;
    char cmd_buf[512];
    size_t cmd_len = 0;

    ek_refnode_state prev, cur;
    ek_refnode_get_state(n, &prev);
    uint8_t out[EK_RADIO_PSDU_MAX];
    uint64_t last_err_log = 0, errors = 0;
    while (!ek_refdut_stop) {
        if (ek_refdut_hup)
            on_hup(n, &o, r, &prev);
        uint64_t now = ek_radio_now(r);
        while (cmd_in) {
            ssize_t got = read(STDIN_FILENO, cmd_buf + cmd_len, sizeof cmd_buf - 1 - cmd_len);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                cmd_in = false; /* stdin closed: no more commands */
                break;
            }
            if (got < 0)
                break;
            cmd_len += (size_t)got;
            cmd_buf[cmd_len] = '\0';
            char *nl;
            while ((nl = strchr(cmd_buf, '\n')) != NULL) {
                *nl = '\0';
                char msg[160];
                if (cmd_buf[0] && ek_refnode_command(n, cmd_buf, ek_radio_now(r), msg, sizeof msg) == 0)
                    ek_refdut_log(1, "command \"%s\": %s", cmd_buf, msg);
                else if (cmd_buf[0])
                    ek_refdut_log(0, "command \"%s\" refused: %s", cmd_buf, msg);
                size_t rest = cmd_len - (size_t)(nl + 1 - cmd_buf);
                memmove(cmd_buf, nl + 1, rest + 1);
                cmd_len = rest;
            }
            if (cmd_len == sizeof cmd_buf - 1)
                cmd_len = 0; /* a line longer than any command: dropped */
        }
        for (int i = 0; i < MAX_BURST; i++) {
            size_t len = ek_refnode_poll(n, now, out, sizeof out);
            if (len == 0)
                break;
            if (ek_radio_send(r, out, len, NULL) != 0) {
                /* Nobody listening yet (ICMP port unreachable) is normal before the harness starts. */
                if (now - last_err_log > 1000000000ull || errors == 0)
                    ek_refdut_log(2, "send: %s", ek_radio_errmsg(r));
                last_err_log = now;
                errors++;
            } else {
                ek_refdut_log(2, "tx %s (%zu octets)", frame_kind(out, len), len);
            }
        }
        ek_refnode_get_state(n, &cur);
        report_changes(&prev, &cur);
        prev = cur;

        uint64_t next = ek_refnode_next_event(n);
        uint64_t deadline = now + (cmd_in ? COMMAND_LATENCY_NS : SIGNAL_LATENCY_NS);
        if (next < deadline)
            deadline = next;
        ek_radio_frame f;
        int rc = ek_radio_recv(r, &f, deadline);
        if (rc == 1) {
            if (!f.fcs_ok || f.len < 2) {
                ek_refdut_log(2, "rx %zu octets with a bad FCS: dropped", f.len);
                continue;
            }
            ek_refdut_log(2, "rx %s (%zu octets, channel %u)", frame_kind(f.psdu, f.len - 2), f.len - 2,
                          (unsigned)f.channel);
            ek_refnode_rx(n, f.psdu, f.len - 2, f.t_ns);
            die_if_dead(n, &o.cfg);
            ek_refnode_get_state(n, &cur);
            if (o.jrc_state[0] && cur.jrc_state_writes != prev.jrc_state_writes) {
                /* RFC 9031 §7.3.1: each update written before the answer goes out */
                char serr[1200];
                if (ek_jrcstate_save(n, o.jrc_state, serr, sizeof serr) != 0)
                    ek_refdut_log(0, "%s", serr);
            }
            report_changes(&prev, &cur);
            prev = cur;
        } else if (rc < 0) {
            if (ek_refdut_stop || ek_refdut_hup || errno == EINTR)
                continue;
            if (ek_radio_eof(r)) {
                ek_refdut_log(0, "radio: end of input");
                break;
            }
            uint64_t t = ek_radio_now(r);
            if (t - last_err_log > 1000000000ull || errors == 0)
                ek_refdut_log(2, "recv: %s", ek_radio_errmsg(r));
            last_err_log = t;
            errors++;
            ek_radio_sleep_until(r, t + 1000000ull); /* no busy loop on a persistent error */
        }
    }
    ek_refnode_get_state(n, &cur);
    ek_refdut_log(1, "exiting; since the start or last SIGHUP: %" PRIu64 " DIOs and %" PRIu64 " EBs sent, %" PRIu64
                     " DIOs received, %" PRIu64 " dropped",
                  cur.dios_sent, cur.ebs_sent, cur.dios_received, cur.dios_dropped);
    if (o.cfg.secured)
        ek_refdut_log(1,
                      "security drops: %" PRIu64 " unsecured, %" PRIu64 " MIC/key, %" PRIu64 " replay; frame counter %" PRIu32,
                      cur.dropped_unsecured, cur.dropped_mic, cur.dropped_replay, cur.frame_counter);
    ek_refnode_free(n);
    ek_radio_close(r);
    return 0;
}
