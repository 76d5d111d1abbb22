/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT profiles: INI files read with libinih, "section.key=value" overrides, strict
 * validation with FILE:LINE: section.key: reason messages, and the INI writer for
 * reports.  Option types 0x00-0x09 are refused (RFC 6550 §6.7); Imin must be a power of
 * two because the DODAG Configuration option carries its logarithm (RFC 6550 §6.7.6). */
#include "ek/dut.h"
#include "ek/lladdr.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/minprio.h"
#include "ek/td.h"

/* libinih's line buffer (INI_MAX_LINE 200) minus '\r', '\n' and NUL. */
#define DUT_MAX_LINE 197
/* A pledge's join time when the profile declares none ([timing] join_ms = 0): 40 EB
 * periods, room for a scan of several EBs and the Join Request's first transmission. */
#define JOIN_EB_PERIODS 40u

/* ---- value parsers: each returns false with a reason in why ---- */

static void whyf(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
}

/* Decimal or 0x.. unsigned in [lo, hi]; refuses signs, blanks and trailing text. */
static bool parse_uint(const char *v, uint64_t lo, uint64_t hi, uint64_t *out, char *why, size_t wl)
{
    if (*v == '\0') {
        whyf(why, wl, "empty value (expected a number in %llu..%llu)", (unsigned long long)lo,
             (unsigned long long)hi);
        return false;
    }
    if (*v < '0' || *v > '9') {
        whyf(why, wl, "\"%s\" is not a number (decimal or 0x..)", v);
        return false;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 0);
    if (errno == ERANGE || x > hi || x < lo) {
        whyf(why, wl, "%s out of range %llu..%llu", v, (unsigned long long)lo, (unsigned long long)hi);
        return false;
    }
    if (errno || !end || *end) {
        whyf(why, wl, "\"%s\" is not a number (decimal or 0x..)", v);
        return false;
    }
    *out = x;
    return true;
}

static bool parse_bool(const char *v, bool *out, char *why, size_t wl)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    whyf(why, wl, "\"%s\" is not a boolean (true/false, yes/no, on/off, 1/0)", v);
    return false;
}

static bool copy_str(char *dst, size_t cap, const char *v, char *why, size_t wl)
{
    size_t n = strlen(v);
    if (n >= cap) {
        whyf(why, wl, "value too long (%zu characters, at most %zu)", n, cap - 1);
        return false;
    }
    memcpy(dst, v, n + 1);
    return true;
}

static const struct {
    unsigned bit;
    const char *name;
} cap_names[] = {
    { EK_CAP_SENDS_DIO, "dio" }, { EK_CAP_SENDS_EB, "eb" },       { EK_CAP_MEP, "mep" },
    { EK_CAP_SECURED, "secured" }, { EK_CAP_ROOT, "root" },       { EK_CAP_PLEDGE, "pledge" },
    { EK_CAP_COJP, "cojp" },
};
#define CAP_N (sizeof cap_names / sizeof cap_names[0])

const char *ek_dut_caps_format(unsigned caps, char *buf, size_t buflen)
{
    if (buflen == 0)
        return buf;
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < CAP_N; i++) {
        if (!(caps & cap_names[i].bit))
            continue;
        int n = snprintf(buf + used, buflen - used, "%s%s", used ? ", " : "", cap_names[i].name);
        if (n < 0 || (size_t)n >= buflen - used)
            return buf; /* truncated, still NUL-terminated */
        used += (size_t)n;
    }
    if (used == 0)
        snprintf(buf, buflen, "none");
    return buf;
}

/* "dio, eb" / "dio eb" / "none" / "" -> bits. */
static bool parse_caps(const char *v, unsigned *out, char *why, size_t wl)
{
    unsigned caps = 0;
    const char *p = v;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", \t");
        bool found = false;
        if (n == 4 && strncmp(p, "none", 4) == 0)
            found = true;
        for (size_t i = 0; i < CAP_N && !found; i++) {
            if (strlen(cap_names[i].name) == n && strncmp(p, cap_names[i].name, n) == 0) {
                caps |= cap_names[i].bit;
                found = true;
            }
        }
        if (!found) {
            whyf(why, wl, "unknown capability \"%.*s\" (known: dio, eb, mep, secured, root, pledge, none)", (int)n,
                 p);
            return false;
        }
        p += n;
    }
    *out = caps;
    return true;
}

/* ---- the keys ---- */

typedef bool (*setter)(ek_dut *d, const char *v, char *why, size_t wl);

#define U_SETTER(fn, field, type, lo, hi)                             \
    static bool fn(ek_dut *d, const char *v, char *why, size_t wl)    \
    {                                                                 \
        uint64_t x;                                                   \
        if (!parse_uint(v, (lo), (hi), &x, why, wl))                  \
            return false;                                             \
        d->field = (type)x;                                           \
        return true;                                                  \
    }

static bool set_uri(ek_dut *d, const char *v, char *why, size_t wl)
{
    /* Only the scheme is checked here; ek_radio_open validates the rest (docs/radios.md). */
    static const char *const schemes[] = { "zep://", "zep-dispatch://", "zep-listen://", "pcap:",
                                           "pcap-zep:", "file:", "loop:" };
    bool ok = false;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && !ok; i++)
        ok = strncmp(v, schemes[i], strlen(schemes[i])) == 0;
    if (!ok) {
        whyf(why, wl,
             "\"%s\" has no known radio scheme (zep://, zep-dispatch://, zep-listen://, pcap:, pcap-zep:, file:, loop:)",
             v);
        return false;
    }
    return copy_str(d->radio_uri, sizeof d->radio_uri, v, why, wl);
}

/* IEEE 802.15.4-2015 §10.1.2.2: O-QPSK 2450 MHz channels 11..26 (channel page 0). */
U_SETTER(set_channel, channel, uint8_t, 11, 26)

static bool set_pace(ek_dut *d, const char *v, char *why, size_t wl) { return parse_bool(v, &d->pace, why, wl); }

static bool set_name(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!*v) {
        whyf(why, wl, "empty name");
        return false;
    }
    return copy_str(d->name, sizeof d->name, v, why, wl);
}

static bool set_pan(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 0xffff, &x, why, wl))
        return false;
    if (x == 0xffff) {
        whyf(why, wl, "0xffff is the broadcast PAN ID, not a PAN a DUT can belong to");
        return false;
    }
    d->pan_id = (uint16_t)x;
    return true;
}

static bool set_address(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (*v == '\0' || strcmp(v, "auto") == 0) {
        d->has_ext = false; /* learnt from the first frame the DUT sends */
        memset(d->ext, 0, sizeof d->ext);
        return true;
    }
    if (!ek_eui64_parse(v, d->ext)) {
        whyf(why, wl, "\"%s\" is not an EUI-64 (8 octets, e.g. 02:00:5e:ef:00:00:00:01; or auto)", v);
        return false;
    }
    d->has_ext = true;
    return true;
}

static bool set_caps(ek_dut *d, const char *v, char *why, size_t wl) { return parse_caps(v, &d->caps, why, wl); }
static bool set_spawn(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->spawn, sizeof d->spawn, v, why, wl);
}
static bool set_reset(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->reset, sizeof d->reset, v, why, wl);
}
U_SETTER(set_ready, ready_ms, uint32_t, 0, 600000)

/* ready_line: a spawned process may take long to start on a loaded machine (or a DUT
 * behind a boot loader): what it prints once its radio is open says when it can hear. */
static bool set_ready_line(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->ready_line, sizeof d->ready_line, v, why, wl);
}
U_SETTER(set_ready_timeout, ready_timeout_ms, uint32_t, 1, 600000)

/* reset_line: a reset command only sends the reset; what the DUT prints once it has
 * carried it out says when a stimulus can no longer be lost to it. */
static bool set_reset_line(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->reset_line, sizeof d->reset_line, v, why, wl);
}

/* stdin_file: a path (relative to the harness's working directory) whose content goes to
 * the DUT's stdin; existence is checked when the run starts, not here (--set order). */
static bool set_stdin_file(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->stdin_file, sizeof d->stdin_file, v, why, wl);
}

/* init_commands: lines separated by '|' (a ';' after a blank would start an INI comment). */
static bool set_init_commands(ek_dut *d, const char *v, char *why, size_t wl)
{
    return copy_str(d->init_commands, sizeof d->init_commands, v, why, wl);
}

/* network_id: RFC 9032 §2 Join-Info network ID, 1..16 octets as hex, either contiguous
 * ("fd00000000000000") or with ':' between every two octets; empty = not declared. */
static bool set_network_id(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint8_t id[16];
    size_t n = 0;
    bool colons = strchr(v, ':') != NULL, ok = true;
    const char *p = v;
    if (*v == '\0') {
        d->has_network_id = false;
        d->network_id_len = 0;
        memset(d->network_id, 0, sizeof d->network_id);
        return true;
    }
    while (*p && ok) {
        int hi = ek_hex_digit((unsigned char)p[0]);
        int lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)p[1]);
        if (hi < 0 || lo < 0 || n == sizeof id) {
            ok = false;
            break;
        }
        id[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
        if (colons && *p) {
            if (*p != ':' || p[1] == '\0')
                ok = false;
            else
                p++;
        }
    }
    if (!ok || n == 0) {
        whyf(why, wl, "\"%s\" is not a network ID: 1..16 octets as hex (RFC 9032 §2), e.g. fd00000000000000 "
                      "or fd:00:00:00:00:00:00:00", v);
        return false;
    }
    memset(d->network_id, 0, sizeof d->network_id);
    memcpy(d->network_id, id, n);
    d->network_id_len = (uint8_t)n;
    d->has_network_id = true;
    return true;
}

/* jp_iid: the Join Proxy interface ID the DUT advertises (RFC 9032 §2, P = 1), as an
 * EUI-64 ("02:00:5e:ef:00:00:00:01"); "none" = the DUT advertises P = 0 (the IID comes
 * from its link-layer address); empty = not declared. */
static bool set_jp_iid(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint8_t iid[8];
    if (*v == '\0' || strcmp(v, "none") == 0) {
        d->jp_iid_mode = *v ? EK_DUT_IID_NONE : EK_DUT_IID_UNDECLARED;
        memset(d->jp_iid, 0, sizeof d->jp_iid);
        return true;
    }
    if (!ek_eui64_parse(v, iid)) {
        whyf(why, wl, "\"%s\" is neither none (P = 0) nor 8 octets (e.g. 02:00:5e:ef:00:00:00:01)", v);
        return false;
    }
    memcpy(d->jp_iid, iid, sizeof iid);
    d->jp_iid_mode = EK_DUT_IID_VALUE;
    return true;
}

/* pan_priority: the Join-Info PAN priority the DUT advertises (RFC 9032 §2, one octet);
 * empty = not declared. */
static bool set_pan_priority(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (*v == '\0') {
        d->has_pan_priority = false;
        d->pan_priority = 0;
        return true;
    }
    if (!parse_uint(v, 0, 255, &x, why, wl))
        return false;
    d->pan_priority = (uint8_t)x;
    d->has_pan_priority = true;
    return true;
}

/* max_local_cost: the most the DUT adds to the adopted minimum for its EB proxy priority
 * ("local considerations", draft-16 §3.2); TDs that tell minimums apart by the EB proxy
 * priority apply only when it fits their windows (ek_td.max_cost). */
static bool set_max_local_cost(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 0x7f, &x, why, wl))
        return false;
    d->max_local_cost = (uint8_t)x;
    return true;
}

/* ---- roles ---- */

static const char *const role_names[EK_NODE_ROLE_COUNT] = { "6lr", "root", "pledge", "jrc" };

const char *ek_node_role_name(int role)
{
    return role >= 0 && role < EK_NODE_ROLE_COUNT ? role_names[role] : "?";
}

bool ek_node_role_parse(const char *name, ek_node_role *out)
{
    for (int i = 0; name && i < EK_NODE_ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (ek_node_role)i;
            return true;
        }
    return false;
}

static bool set_role(ek_dut *d, const char *v, char *why, size_t wl)
{
    ek_node_role r;
    if (!ek_node_role_parse(v, &r)) {
        whyf(why, wl, "unknown role \"%s\" (known: 6lr, root, pledge, jrc)", v);
        return false;
    }
    d->role = (uint8_t)r;
    return true;
}

/* ---- [root]: control commands and the DODAG size ---- */

int ek_dut_cmd_format(const char *tmpl, unsigned v, char *out, size_t outlen)
{
    if (!tmpl || !out || outlen == 0)
        return -1;
    size_t u = 0;
    unsigned conv = 0;
    for (const char *p = tmpl; *p; p++) {
        char num[16];
        const char *piece = num;
        size_t n;
        if (*p == '%' && p[1] == 'u') {
            snprintf(num, sizeof num, "%u", v);
            n = strlen(num);
            conv++;
            p++;
        } else if (*p == '%' && p[1] == '%') {
            piece = "%";
            n = 1;
            p++;
        } else if (*p == '%') {
            return -1;   /* any other conversion: refused, never handed to printf */
        } else {
            piece = p;
            n = 1;
        }
        if (u + n >= outlen)
            return -1;
        memcpy(out + u, piece, n);
        u += n;
    }
    out[u] = '\0';
    return conv == 1 ? 0 : -1;
}

static bool set_cmd(char *dst, size_t cap, const char *v, char *why, size_t wl)
{
    char probe[EK_DUT_STR + 16];
    if (v[0] && ek_dut_cmd_format(v, 0, probe, sizeof probe) != 0) {
        whyf(why, wl, "\"%s\": a command template needs exactly one %%u (the new minimum) and %%%% for a "
                      "literal %%", v);
        return false;
    }
    return copy_str(dst, cap, v, why, wl);
}

static bool set_cmd_set_min(ek_dut *d, const char *v, char *why, size_t wl)
{
    return set_cmd(d->cmd_set_min, sizeof d->cmd_set_min, v, why, wl);
}

static bool set_cmd_set_min_urgent(ek_dut *d, const char *v, char *why, size_t wl)
{
    return set_cmd(d->cmd_set_min_urgent, sizeof d->cmd_set_min_urgent, v, why, wl);
}

/* dodag_size: draft-16 §3.1 DODAG Size = DODAGSz x 2^Exp, at most 15 x 2^15 = 491520
 * (the draft-04/-09 12-bit code reaches further; the declaration is the size itself). */
static bool set_dodag_size(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!v[0]) {
        d->has_dodag_size = false;
        d->dodag_size = 0;
        return true;
    }
    uint64_t x;
    if (!parse_uint(v, 0, 491520, &x, why, wl))
        return false;
    d->has_dodag_size = true;
    d->dodag_size = (uint32_t)x;
    return true;
}

/* ---- [cojp]: a pledge's credentials (RFC 9031 §3) ---- */

/* 1..cap octets as contiguous hex (':' or '-' between octets allowed); "" = none. */
static bool parse_hex_octets(const char *v, uint8_t *out, size_t cap, size_t lo, uint8_t *n_out, const char *what,
                             char *why, size_t wl)
{
    if (!*v) {
        *n_out = 0;
        return true;
    }
    int got = ek_hex_octets(v, out, cap);
    if (got < 0) {
        whyf(why, wl, "\"%s\" is not %s: %zu..%zu octets as hex", v, what, lo, cap);
        return false;
    }
    size_t n = (size_t)got;
    if (n < lo) {
        whyf(why, wl, "%zu octets: %s needs %zu..%zu", n, what, lo, cap);
        return false;
    }
    *n_out = (uint8_t)n;
    return true;
}

static bool set_cojp_psk(ek_dut *d, const char *v, char *why, size_t wl)
{
    /* RFC 9031 §3: the PSK SHOULD be at least 128 bits; AES-CCM-16-64-128 keys derive from it */
    return parse_hex_octets(v, d->cojp_psk, sizeof d->cojp_psk, 16, &d->cojp_psk_len,
                            "a PSK (RFC 9031 §3: at least 128 bits)", why, wl);
}

static bool set_cojp_pledge_id(ek_dut *d, const char *v, char *why, size_t wl)
{
    return parse_hex_octets(v, d->cojp_pledge_id, sizeof d->cojp_pledge_id, 1, &d->cojp_pledge_id_len,
                            "a pledge identifier (RFC 9031 §7.3 ID Context)", why, wl);
}

static bool set_cojp_ack_timeout(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 1, 600000, &x, why, wl))
        return false;
    d->cojp_ack_timeout_ms = (uint32_t)x;
    return true;
}

static bool set_cojp_network_id(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!parse_hex_octets(v, d->cojp_network_id, sizeof d->cojp_network_id, 1, &d->cojp_network_id_len,
                          "a network ID (RFC 9032 §2: 1..16 octets)", why, wl))
        return false;
    d->cojp_has_network_id = d->cojp_network_id_len > 0;
    return true;
}

static bool set_cojp_jp_stateless(ek_dut *d, const char *v, char *why, size_t wl)
{
    return parse_bool(v, &d->cojp_jp_stateless, why, wl);
}

static bool set_ep_profile(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!ek_mep_profile_parse(v, &d->prof.mep)) {
        whyf(why, wl, "unknown profile \"%s\" (known: draft-03, draft-04, draft-09, draft-16)", v);
        return false;
    }
    return true;
}

/* The option types RFC 6550 §6.7 assigns (IANA "RPL Control Message Options", §20.4). */
static const char *const rpl_opt_names[] = {
    "Pad1 (RFC 6550 §6.7.2)",
    "PadN (RFC 6550 §6.7.3)",
    "DAG Metric Container (RFC 6550 §6.7.4)",
    "Route Information (RFC 6550 §6.7.5)",
    "RPL DODAG Configuration (RFC 6550 §6.7.6)",
    "RPL Target (RFC 6550 §6.7.7)",
    "Transit Information (RFC 6550 §6.7.8)",
    "Solicited Information (RFC 6550 §6.7.9)",
    "Prefix Information (RFC 6550 §6.7.10)",
    "RPL Target Descriptor (RFC 6550 §6.7.11)",
};

static bool set_ep_type(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 255, &x, why, wl))
        return false;
    if (x <= EK_RPL_OPT_TARGET_DESC) {
        whyf(why, wl, "%s collides with %s", v, rpl_opt_names[x]);
        return false;
    }
    d->prof.mep_type = (uint8_t)x;
    return true;
}

static bool set_ie_profile(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!ek_ji_profile_parse(v, &d->prof.ji)) {
        whyf(why, wl, "unknown profile \"%s\" (known: rfc9032-literal, byte-aligned)", v);
        return false;
    }
    return true;
}

/* ep_length: the option Length the harness's DIOs carry.  0 = the layout's own; 4 under
 * draft-16 = the "Opt Length = 4" that drafts -10..-16 print for a 3-octet body, sent with
 * one trailing zero octet, for a DUT built from that text.  Checked against ep_profile in
 * ek_dut_check. */
static bool set_ep_length(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 255, &x, why, wl))
        return false;
    d->ep_length = (uint8_t)x;
    return true;
}

static bool set_ie_subtype(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 255, &x, why, wl))
        return false;
    if (x == 0) {
        whyf(why, wl, "%s is Reserved in the IETF IE Subtype IDs registry (RFC 8137 §7)", v);
        return false;
    }
    if (x == EK_IETF_SUBTYPE_6P) {
        whyf(why, wl, "%s collides with 6P (RFC 8480 §6.1)", v);
        return false;
    }
    d->prof.ji_subtype = (uint8_t)x;
    return true;
}

/* Timing bounds: 1 ms .. 1 h; Imax = Imin << doublings is checked as a pair (pair_check).
 * Imin must be a power of two: the DODAG Configuration option the harness sends carries
 * DIOIntMin, with Imin = 2^DIOIntMin ms (RFC 6550 §6.7.6, §8.3.1). */
#define IMIN_MAX_MS 3600000u

static bool imin_check(uint32_t ms, char *why, size_t wl)
{
    if (ms != 0 && (ms & (ms - 1)) == 0)
        return true;
    uint32_t lo = 1;
    while (lo <= ms / 2)
        lo <<= 1;
    uint64_t hi = (uint64_t)lo << 1;
    if (hi <= IMIN_MAX_MS)
        whyf(why, wl, "%u is not a power of two (the DODAG Configuration option carries DIOIntMin = log2 of "
                      "Imin in ms, RFC 6550 §6.7.6): use %u or %llu",
             (unsigned)ms, (unsigned)lo, (unsigned long long)hi);
    else
        whyf(why, wl, "%u is not a power of two (the DODAG Configuration option carries DIOIntMin = log2 of "
                      "Imin in ms, RFC 6550 §6.7.6): use %u",
             (unsigned)ms, (unsigned)lo);
    return false;
}

static bool set_imin(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 1, IMIN_MAX_MS, &x, why, wl) || !imin_check((uint32_t)x, why, wl))
        return false;
    d->dio_imin_ms = (uint32_t)x;
    return true;
}
U_SETTER(set_doublings, dio_doublings, uint8_t, 0, 31)
/* RFC 6550 §6.7.6: DIORedundancyConstant is one octet; 0 = never suppress (§8.3.1). */
U_SETTER(set_redundancy, dio_redundancy, uint8_t, 0, 255)
U_SETTER(set_eb_period, eb_period_ms, uint32_t, 1, 3600000)
U_SETTER(set_slack, slack_ms, uint32_t, 0, 600000)
U_SETTER(set_join, join_ms, uint32_t, 0, 3600000)

/* [dodag]: what the harness's DODAG Configuration option carries (RFC 6550 §6.7.6).
 * MinHopRankIncrease 0 would make every rank the same DAGRank (§3.5.1), so 1..65535;
 * the OCP is any 16-bit code (0 OF0 RFC 6552, 1 MRHOF RFC 6719). */
U_SETTER(set_min_hop_rank_inc, min_hop_rank_inc, uint16_t, 1, 65535)
U_SETTER(set_ocp, ocp, uint16_t, 0, 65535)

/* [security] (RFC 8180 §4.6; IEEE 802.15.4-2015 §9.4). */
static bool set_sec_enabled(ek_dut *d, const char *v, char *why, size_t wl)
{
    if (!parse_bool(v, &d->secured, why, wl))
        return false;
    if (d->secured)
        d->caps |= EK_CAP_SECURED;   /* false leaves capabilities alone here; see ek_dut_set */
    return true;
}

/* A key name ek_sec_key_named knows, or 32 hex digits.  Only the key octets change: the
 * identifier frames carry (key_id_mode, index, key_source) stays what the profile's
 * key_id_mode, k1_index/k2_index and key_source keys made it (RFC 8180 §4.6 roles). */
static bool parse_key(const char *v, const char *label, ek_sec_key *out, char *why, size_t wl)
{
    ek_sec_key named, k;
    uint8_t raw[EK_SEC_KEY_LEN];
    if (ek_sec_key_named(v, &named)) {
        ek_sec_key_make(&k, v, named.key, out->key_index);
    } else if (ek_sec_key_parse_hex(v, raw)) {
        ek_sec_key_make(&k, label, raw, out->key_index);
    } else {
        char known[160];
        size_t u = 0;
        known[0] = '\0';
        for (const char *const *n = ek_sec_key_names(); *n && u + 1 < sizeof known; n++) {
            int w = snprintf(known + u, sizeof known - u, "%s%s", u ? ", " : "", *n);
            u = w < 0 ? u : u + (size_t)w >= sizeof known ? sizeof known - 1 : u + (size_t)w;
        }
        whyf(why, wl, "\"%s\" is neither a known key name (%s) nor 32 hex digits", v, known);
        return false;
    }
    k.key_id_mode = out->key_id_mode;
    memcpy(k.key_source, out->key_source, sizeof k.key_source);
    *out = k;
    return true;
}

static bool set_k1(ek_dut *d, const char *v, char *why, size_t wl) { return parse_key(v, "k1", &d->k1, why, wl); }
static bool set_k2(ek_dut *d, const char *v, char *why, size_t wl) { return parse_key(v, "k2", &d->k2, why, wl); }

/* IEEE 802.15.4-2015 §9.4.1.2 Table 9-7 Key Identifier Mode, for both keys.  Mode 0
 * (implicit: the key comes from the addresses) cannot tell K1 from K2 apart. */
static bool set_key_id_mode(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 0, 3, &x, why, wl))
        return false;
    if (x == 0) {
        whyf(why, wl, "0 (implicit key, IEEE 802.15.4-2015 §9.4.1.2) cannot tell K1 from K2 apart: "
                      "use 1 (key index), 2 (4-octet key source + index) or 3 (8-octet key source + index)");
        return false;
    }
    d->k1.key_id_mode = d->k2.key_id_mode = (uint8_t)x;
    return true;
}

/* §9.4.4.2 Key Index: 0x00 is reserved ("shall not be used"), so 1..255. */
static bool set_key_index(ek_sec_key *k, const char *v, char *why, size_t wl)
{
    uint64_t x;
    if (!parse_uint(v, 1, 255, &x, why, wl))
        return false;
    k->key_index = (uint8_t)x;
    return true;
}
static bool set_k1_index(ek_dut *d, const char *v, char *why, size_t wl) { return set_key_index(&d->k1, v, why, wl); }
static bool set_k2_index(ek_dut *d, const char *v, char *why, size_t wl) { return set_key_index(&d->k2, v, why, wl); }

/* §9.4.4.1 Key Source: 4 or 8 octets as hex, on-air order (ek_wpan_sec.key_source);
 * ':' '-' or ' ' between octets allowed, one kind throughout; empty = none.  Which
 * length the mode needs is ek_dut_check's business (the order of keys is free). */
static bool set_key_source(ek_dut *d, const char *v, char *why, size_t wl)
{
    uint8_t src[8] = { 0 };
    size_t n = 0;
    char sep = 0;
    const char *p = v;
    while (*p) {
        if (n > 0 && (*p == ':' || *p == '-' || *p == ' ')) {
            if (!sep)
                sep = *p;
            if (*p != sep)
                break;
            p++;
        } else if (n > 1 && sep) {
            break;
        }
        int hi = ek_hex_digit((unsigned char)p[0]);
        int lo = hi < 0 ? -1 : ek_hex_digit((unsigned char)p[1]);
        if (hi < 0 || lo < 0 || n == sizeof src) {
            n = 99;
            break;
        }
        src[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    if (*p || (n != 0 && n != 4 && n != 8)) {
        whyf(why, wl, "\"%s\" is not a key source: 4 octets (key_id_mode 2) or 8 octets (key_id_mode 3) as hex, "
                      "e.g. 0011223344556677", v);
        return false;
    }
    memcpy(d->k1.key_source, src, sizeof src);
    memcpy(d->k2.key_source, src, sizeof src);
    d->key_source_len = (uint8_t)n;
    return true;
}

/* IEEE 802.15.4-2015 §9.4.2.2 Table 9-6: levels 1-7 (0 = no security is enabled = false). */
U_SETTER(set_eb_level, eb_level, uint8_t, 1, 7)
U_SETTER(set_dio_level, dio_level, uint8_t, 1, 7)
static bool set_asn_nonce(ek_dut *d, const char *v, char *why, size_t wl)
{
    return parse_bool(v, &d->asn_nonce, why, wl);
}

typedef struct key_def {
    const char *section, *key;
    setter set;
} key_def;

/* keys[] in file order: the writer prints a [section] line whenever the section changes,
 * and [security] must stay last (it is written only when not at its defaults). */
enum {
    K_URI, K_CHANNEL, K_PACE,
    K_NAME, K_PAN_ID, K_ADDRESS, K_CAPS, K_SPAWN, K_RESET, K_READY, K_STDIN_FILE, K_INIT_COMMANDS,
    K_READY_LINE, K_READY_TIMEOUT, K_RESET_LINE,
    K_NETWORK_ID, K_JP_IID, K_PAN_PRIORITY, K_MAX_LOCAL_COST, K_ROLE,
    K_EP_PROFILE, K_EP_TYPE, K_IE_PROFILE, K_IE_SUBTYPE, K_EP_LENGTH,
    K_IMIN, K_DOUBLINGS, K_REDUNDANCY, K_EB_PERIOD, K_SLACK, K_JOIN,
    K_MIN_HOP_RANK_INC, K_OCP,
    K_CMD_SET_MIN, K_CMD_SET_MIN_URGENT, K_DODAG_SIZE,
    K_COJP_PSK, K_COJP_PLEDGE_ID, K_COJP_ACK_TIMEOUT, K_COJP_NETWORK_ID, K_COJP_JP_STATELESS,
    K_SEC_FIRST, K_K1 = K_SEC_FIRST + 1, K_K2, K_EB_LEVEL, K_DIO_LEVEL, K_ASN_NONCE,
    K_KEY_ID_MODE, K_K1_INDEX, K_K2_INDEX, K_KEY_SOURCE,
    KEY_N
};

static const key_def keys[KEY_N] = {
    [K_URI] = { "radio", "uri", set_uri },
    [K_CHANNEL] = { "radio", "channel", set_channel },
    [K_PACE] = { "radio", "pace", set_pace },
    [K_NAME] = { "dut", "name", set_name },
    [K_PAN_ID] = { "dut", "pan_id", set_pan },
    [K_ADDRESS] = { "dut", "address", set_address },
    [K_CAPS] = { "dut", "capabilities", set_caps },
    [K_SPAWN] = { "dut", "spawn", set_spawn },
    [K_RESET] = { "dut", "reset", set_reset },
    [K_READY] = { "dut", "ready_ms", set_ready },
    [K_STDIN_FILE] = { "dut", "stdin_file", set_stdin_file },
    [K_INIT_COMMANDS] = { "dut", "init_commands", set_init_commands },
    [K_READY_LINE] = { "dut", "ready_line", set_ready_line },
    [K_READY_TIMEOUT] = { "dut", "ready_timeout_ms", set_ready_timeout },
    [K_RESET_LINE] = { "dut", "reset_line", set_reset_line },
    [K_NETWORK_ID] = { "dut", "network_id", set_network_id },
    [K_JP_IID] = { "dut", "jp_iid", set_jp_iid },
    [K_PAN_PRIORITY] = { "dut", "pan_priority", set_pan_priority },
    [K_MAX_LOCAL_COST] = { "dut", "max_local_cost", set_max_local_cost },
    [K_ROLE] = { "dut", "role", set_role },
    [K_EP_PROFILE] = { "wire", "ep_profile", set_ep_profile },
    [K_EP_TYPE] = { "wire", "ep_type", set_ep_type },
    [K_IE_PROFILE] = { "wire", "ie_profile", set_ie_profile },
    [K_IE_SUBTYPE] = { "wire", "ie_subtype", set_ie_subtype },
    [K_EP_LENGTH] = { "wire", "ep_length", set_ep_length },
    [K_IMIN] = { "timing", "dio_imin_ms", set_imin },
    [K_DOUBLINGS] = { "timing", "dio_doublings", set_doublings },
    [K_REDUNDANCY] = { "timing", "dio_redundancy", set_redundancy },
    [K_EB_PERIOD] = { "timing", "eb_period_ms", set_eb_period },
    [K_SLACK] = { "timing", "slack_ms", set_slack },
    [K_JOIN] = { "timing", "join_ms", set_join },
    [K_MIN_HOP_RANK_INC] = { "dodag", "min_hop_rank_inc", set_min_hop_rank_inc },
    [K_OCP] = { "dodag", "ocp", set_ocp },
    [K_CMD_SET_MIN] = { "root", "cmd_set_min", set_cmd_set_min },
    [K_CMD_SET_MIN_URGENT] = { "root", "cmd_set_min_urgent", set_cmd_set_min_urgent },
    [K_DODAG_SIZE] = { "root", "dodag_size", set_dodag_size },
    [K_COJP_PSK] = { "cojp", "psk", set_cojp_psk },
    [K_COJP_PLEDGE_ID] = { "cojp", "pledge_id", set_cojp_pledge_id },
    [K_COJP_ACK_TIMEOUT] = { "cojp", "ack_timeout_ms", set_cojp_ack_timeout },
    [K_COJP_NETWORK_ID] = { "cojp", "network_id", set_cojp_network_id },
    [K_COJP_JP_STATELESS] = { "cojp", "jp_stateless", set_cojp_jp_stateless },
    [K_SEC_FIRST] = { "security", "enabled", set_sec_enabled },
    [K_K1] = { "security", "k1", set_k1 },
    [K_K2] = { "security", "k2", set_k2 },
    [K_EB_LEVEL] = { "security", "eb_level", set_eb_level },
    [K_DIO_LEVEL] = { "security", "dio_level", set_dio_level },
    [K_ASN_NONCE] = { "security", "asn_nonce", set_asn_nonce },
    [K_KEY_ID_MODE] = { "security", "key_id_mode", set_key_id_mode },
    [K_K1_INDEX] = { "security", "k1_index", set_k1_index },
    [K_K2_INDEX] = { "security", "k2_index", set_k2_index },
    [K_KEY_SOURCE] = { "security", "key_source", set_key_source },
};

static const char *const sections[] = { "radio", "dut", "wire", "timing", "dodag", "root", "cojp", "security" };

static bool known_section(const char *s)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(s, sections[i]) == 0)
            return true;
    return false;
}

/* Known keys of a section, for the "unknown key" message. */
static void keys_of(const char *section, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < KEY_N; i++) {
        if (strcmp(keys[i].section, section) != 0)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", keys[i].key);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}

/* Finds section.key; returns its index, or -1 with the reason (unknown section/key). */
static int lookup(const char *section, const char *key, char *why, size_t wl)
{
    if (!known_section(section)) {
        whyf(why, wl, "unknown section [%s] (known: radio, dut, wire, timing, dodag, root, cojp, security)", section);
        return -1;
    }
    for (size_t i = 0; i < KEY_N; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
            return (int)i;
    char known[256];
    keys_of(section, known, sizeof known);
    whyf(why, wl, "unknown key (known in [%s]: %s)", section, known);
    return -1;
}

/* Imax = Imin << doublings must fit the 32-bit millisecond fields the engine uses. */
static bool pair_check(const ek_dut *d, char *why, size_t wl)
{
    uint64_t imax = (uint64_t)d->dio_imin_ms << d->dio_doublings;
    if (imax > UINT32_MAX) {
        whyf(why, wl, "Imax = %u ms << %u = %llu ms does not fit 32 bits", (unsigned)d->dio_imin_ms,
             (unsigned)d->dio_doublings, (unsigned long long)imax);
        return false;
    }
    return true;
}

/* [security] enabled = true implies the secured capability, whatever capabilities says
 * (the file names [dut] first).  "secured" alone stays a plain declaration. */
static bool sec_check(ek_dut *d, char *why, size_t wl)
{
    (void)why;
    (void)wl;
    if (d->secured)
        d->caps |= EK_CAP_SECURED;
    return true;
}

/* The key identifier as a whole (IEEE 802.15.4-2015 §9.4.1.2, §9.4.4): the mode needs
 * exactly its key source, and a frame must be able to tell K1 from K2 (§9.2.2 lookup).
 * Returns -1 when fine, else the keys[] index to blame; seen (lines, may be NULL) picks
 * the later given of two keys. */
static int id_check(const ek_dut *d, const int *seen, char *why, size_t wl)
{
    static const uint8_t need[4] = { 0, 0, 4, 8 }; /* §9.4.4.1 Table 9-9 */
    uint8_t mode = d->k1.key_id_mode & 3;
    if (mode == 1 && d->key_source_len) {
        whyf(why, wl, "refused with key_id_mode 1 (key index only, IEEE 802.15.4-2015 §9.4.1.2); "
                      "key_id_mode 2 takes 4 octets, 3 takes 8");
        return K_KEY_SOURCE;
    }
    if (mode >= 2 && d->key_source_len == 0) {
        whyf(why, wl, "%u needs key_source (%u octets, IEEE 802.15.4-2015 §9.4.4.1)", (unsigned)mode,
             (unsigned)need[mode]);
        return K_KEY_ID_MODE;
    }
    if (mode >= 2 && d->key_source_len != need[mode]) {
        whyf(why, wl, "%u octets given, key_id_mode %u needs %u (IEEE 802.15.4-2015 §9.4.4.1)",
             (unsigned)d->key_source_len, (unsigned)mode, (unsigned)need[mode]);
        return seen && seen[K_KEY_ID_MODE] > seen[K_KEY_SOURCE] ? K_KEY_ID_MODE : K_KEY_SOURCE;
    }
    if (d->k1.key_index == d->k2.key_index &&
        memcmp(d->k1.key_source, d->k2.key_source, need[mode]) == 0) {
        whyf(why, wl, "k1_index and k2_index are both %u with the same key source: frames could not tell K1 "
                      "from K2 apart (IEEE 802.15.4-2015 §9.2.2)", (unsigned)d->k1.key_index);
        return seen && seen[K_K1_INDEX] > seen[K_K2_INDEX] ? K_K1_INDEX : K_K2_INDEX;
    }
    return -1;
}

/* Values that depend on other keys or on what the harness can observe: the option Length
 * for the wire profile, the redundancy constant.  The key at fault, or -1. */
static int value_check(const ek_dut *d, char *why, size_t wl)
{
    if (d->ep_length && !(d->prof.mep == EK_MEP_DRAFT16 && d->ep_length == EK_MEP_LEN_DRAFT16_ERRATUM) &&
        d->ep_length != ek_minprio_data_len(d->prof.mep)) {
        whyf(why, wl, "%u does not fit %s (0 = its own Length %u%s)", (unsigned)d->ep_length,
             ek_mep_profile_name(d->prof.mep), (unsigned)ek_minprio_data_len(d->prof.mep),
             d->prof.mep == EK_MEP_DRAFT16 ? "; 4 = the length drafts -10..-16 print" : "");
        return K_EP_LENGTH;
    }
    if (d->dio_redundancy >= 1 && d->dio_redundancy <= 3) {
        /* the harness announces k in its DODAG Configuration (RFC 6550 §8.3.1); its roles
         * send up to three consistent DIOs in one interval, and c >= k would legally
         * suppress the DUT's DIOs (RFC 6206 §4.2) that the windows wait for */
        whyf(why, wl, "%u: use 0 (never suppress) or at least 4, so the harness's own DIOs cannot "
             "suppress the DUT's (RFC 6206 §4.2)", (unsigned)d->dio_redundancy);
        return K_REDUNDANCY;
    }
    return -1;
}

int ek_dut_check(const ek_dut *d, char *err, size_t errlen)
{
    char why[320];
    int k = -1;
    if (errlen)
        err[0] = '\0';
    if (!imin_check(d->dio_imin_ms, why, sizeof why))
        k = K_IMIN;
    else if (!pair_check(d, why, sizeof why))
        k = K_DOUBLINGS;
    else if ((k = value_check(d, why, sizeof why)) >= 0) {
        /* k set */
    } else if (d->min_hop_rank_inc == 0) {
        whyf(why, sizeof why, "0 out of range 1..65535");
        k = K_MIN_HOP_RANK_INC;
    } else if (d->has_network_id && (d->network_id_len == 0 || d->network_id_len > sizeof d->network_id)) {
        whyf(why, sizeof why, "%u octets (1..16, RFC 9032 §2)", (unsigned)d->network_id_len);
        k = K_NETWORK_ID;
    } else
        k = id_check(d, NULL, why, sizeof why);
    if (k < 0)
        return 0;
    if (errlen)
        snprintf(err, errlen, "%s.%s: %s", keys[k].section, keys[k].key, why);
    return -1;
}

/* ---- defaults, file loading, overrides ---- */

void ek_dut_default(ek_dut *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "dut");
    snprintf(d->radio_uri, sizeof d->radio_uri, "zep://127.0.0.1:17755?local=127.0.0.1:17754");
    d->channel = 26;
    d->pace = true;
    d->pan_id = 0xface;
    d->caps = EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP;
    d->ready_ms = 100;
    d->ready_timeout_ms = 10000;
    ek_profile_default(&d->prof);
    d->dio_imin_ms = 16;
    d->dio_doublings = 6;
    d->dio_redundancy = 10;
    d->eb_period_ms = 50;
    d->slack_ms = 20;
    d->min_hop_rank_inc = 256;   /* DEFAULT_MIN_HOP_RANK_INCREASE, RFC 6550 §17 */
    d->max_local_cost = EK_DUT_MAX_LOCAL_COST_DEFAULT;
    d->ocp = 0;                  /* OF0, RFC 6552 §6 */
    d->secured = false;
    /* RFC 8180 §4.6 K1 (EBs) and K2; Key Identifier Mode 1, indices 1 and 2 */
    d->k1.key_id_mode = d->k2.key_id_mode = 1;
    d->k1.key_index = 1;
    d->k2.key_index = 2;
    char why[8];
    (void)parse_key("K1-minimal15", "k1", &d->k1, why, sizeof why);
    (void)parse_key("K2-contiki", "k2", &d->k2, why, sizeof why);
    d->key_source_len = 0;
    d->eb_level = 1;
    d->dio_level = 5;
    d->asn_nonce = false;
    d->cojp_ack_timeout_ms = 10000; /* RFC 9031 §7.2 Table 1 ACK_TIMEOUT */
}

typedef struct load_ctx {
    ek_dut *d;
    const char *file;
    FILE *f;
    int line;                /* lines read so far = the line being parsed */
    bool raw_indented;       /* the current raw line starts with blank (continuation) */
    bool over_long;          /* the current raw line exceeded DUT_MAX_LINE */
    int err_line;            /* first error's line, 0 = none */
    int seen[KEY_N];         /* line where each key was set, 0 = not yet */
    char *err;
    size_t errlen;
} load_ctx;

static void load_fail(load_ctx *c, int line, const char *what, const char *why)
{
    if (c->err_line)
        return; /* keep the first */
    c->err_line = line;
    if (c->errlen)
        snprintf(c->err, c->errlen, "%s:%d: %s: %s", c->file, line, what, why);
}

/* fgets-style reader for ini_parse_stream: counts lines (libinih's handler has no line
 * number in Debian's build) and turns an over-long line into an error instead of
 * letting libinih parse its tail as a new line. */
static char *load_reader(char *str, int num, void *stream)
{
    load_ctx *c = stream;
    if (!fgets(str, num, c->f))
        return NULL;
    c->line++;
    c->raw_indented = str[0] == ' ' || str[0] == '\t';
    size_t n = strlen(str);
    if (n > 0 && str[n - 1] != '\n' && !feof(c->f)) {
        int ch;
        while ((ch = fgetc(c->f)) != EOF && ch != '\n') {
        }
        char why[96];
        whyf(why, sizeof why, "line longer than %d characters (libinih limit)", DUT_MAX_LINE);
        load_fail(c, c->line, "line", why);
        snprintf(str, (size_t)num, "\n");
    }
    return str;
}

static int load_handler(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    char what[96], why[320];
    if (!value)
        value = ""; /* only with ini_allow_no_value */
    if (!section[0]) {
        whyf(what, sizeof what, "%s", name);
        load_fail(c, c->line, what, "key outside a section (add [radio], [dut], [wire], [timing], [dodag] or [security])");
        return 1;
    }
    whyf(what, sizeof what, "%s.%s", section, name);
    int k = lookup(section, name, why, sizeof why);
    if (k < 0) {
        if (!known_section(section))
            whyf(what, sizeof what, "[%s]", section);
        load_fail(c, c->line, what, why);
        return 1;
    }
    if (c->seen[k]) {
        if (c->raw_indented)
            whyf(why, sizeof why, "continuation lines are not allowed (value starts on line %d)", c->seen[k]);
        else
            whyf(why, sizeof why, "given twice (first on line %d)", c->seen[k]);
        load_fail(c, c->line, what, why);
        return 1;
    }
    c->seen[k] = c->line;
    if (!keys[k].set(c->d, value, why, sizeof why)) {
        load_fail(c, c->line, what, why);
        return 1;
    }
    return 1;
}

int ek_dut_load(const char *path, ek_dut *d, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* Work on a copy: a failed load leaves *d untouched. */
    ek_dut tmp = *d;
    load_ctx c = { .d = &tmp, .file = path, .f = f, .err = err, .errlen = errlen };
    int rc = ini_parse_stream(load_reader, &c, load_handler, &c);
    bool read_err = ferror(f);
    fclose(f);
    if (read_err) {
        if (errlen)
            snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    if (rc > 0 && (!c.err_line || rc < c.err_line)) {
        /* libinih's own syntax error (no '=' or an unclosed '[') came first. */
        c.err_line = 0;
        load_fail(&c, rc, "syntax", "expected [section] or key = value");
    } else if (rc < 0 && !c.err_line) {
        if (errlen)
            snprintf(err, errlen, "%s: libinih error %d", path, rc);
        return -1;
    }
    if (!c.err_line) {
        char why[160];
        if (!pair_check(&tmp, why, sizeof why)) {
            int li = c.seen[K_IMIN] > c.seen[K_DOUBLINGS] ? K_IMIN : K_DOUBLINGS;
            char what[64];
            whyf(what, sizeof what, "timing.%s", keys[li].key);
            load_fail(&c, c.seen[li] ? c.seen[li] : 1, what, why);
        }
    }
    if (!c.err_line) {
        char why[320], what[64];
        int k = value_check(&tmp, why, sizeof why);
        if (k >= 0) {
            whyf(what, sizeof what, "%s.%s", keys[k].section, keys[k].key);
            load_fail(&c, c.seen[k] ? c.seen[k] : 1, what, why);
        }
    }
    if (!c.err_line) {
        char why[160];
        if (!sec_check(&tmp, why, sizeof why))
            load_fail(&c, c.seen[K_CAPS] ? c.seen[K_CAPS] : 1, "dut.capabilities", why);
    }
    if (!c.err_line) {
        char why[320], what[64];
        int k = id_check(&tmp, c.seen, why, sizeof why);
        if (k >= 0) {
            whyf(what, sizeof what, "security.%s", keys[k].key);
            load_fail(&c, c.seen[k] ? c.seen[k] : 1, what, why);
        }
    }
    if (c.err_line)
        return -1;
    *d = tmp;
    return 0;
}

int ek_dut_set(ek_dut *d, const char *assignment, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    const char *eq = strchr(assignment, '=');
    const char *dot = strchr(assignment, '.');
    if (!eq || !dot || dot > eq || dot == assignment || dot + 1 == eq) {
        if (errlen)
            snprintf(err, errlen, "\"%s\": expected section.key=value (e.g. timing.dio_imin_ms=32)", assignment);
        return -1;
    }
    char section[32], key[48], what[96], why[320];
    size_t sl = (size_t)(dot - assignment), kl = (size_t)(eq - dot - 1);
    if (sl >= sizeof section || kl >= sizeof key) {
        if (errlen)
            snprintf(err, errlen, "\"%.40s...\": unknown key", assignment);
        return -1;
    }
    memcpy(section, assignment, sl);
    section[sl] = '\0';
    memcpy(key, dot + 1, kl);
    key[kl] = '\0';
    whyf(what, sizeof what, "%s.%s", section, key);
    int k = lookup(section, key, why, sizeof why);
    ek_dut tmp = *d;
    if (k < 0 || !keys[k].set(&tmp, eq + 1, why, sizeof why) || !pair_check(&tmp, why, sizeof why) ||
        !sec_check(&tmp, why, sizeof why)) {
        if (errlen)
            snprintf(err, errlen, "%s: %s", what, why);
        return -1;
    }
    /* an override turning security off also withdraws the capability it implied */
    if (k == K_SEC_FIRST && !tmp.secured)
        tmp.caps &= ~EK_CAP_SECURED;
    *d = tmp;
    return 0;
}

int ek_dut_from_uri(const char *uri, ek_dut *d, char *err, size_t errlen)
{
    char why[320];
    if (errlen)
        err[0] = '\0';
    if (!set_uri(d, uri, why, sizeof why)) {
        if (errlen)
            snprintf(err, errlen, "radio.uri: %s", why);
        return -1;
    }
    return 0;
}

/* ---- writer ---- */

typedef struct wbuf {
    char *p;
    size_t cap, used;
    bool bad;
} wbuf;

static void wf(wbuf *w, const char *fmt, ...)
{
    if (w->bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->p + w->used, w->cap - w->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= w->cap - w->used) {
        w->bad = true;
        return;
    }
    w->used += (size_t)n;
}

/* A string survives the round trip unless it has a newline, surrounding blanks (libinih
 * strips them) or an inline comment marker. */
static bool ini_safe(const char *s)
{
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r')
            return false;
        if (*p == ';' && p > s && (p[-1] == ' ' || p[-1] == '\t'))
            return false;
    }
    return true;
}

/* A key as its setter reads it back: its name when that names these very octets,
 * else 32 hex digits. */
static void format_sec_key(const ek_sec_key *k, char *v, size_t vl)
{
    ek_sec_key named;
    if (ek_sec_key_named(k->name, &named) && memcmp(named.key, k->key, EK_SEC_KEY_LEN) == 0) {
        snprintf(v, vl, "%s", k->name);
        return;
    }
    size_t u = 0;
    v[0] = '\0';
    for (int i = 0; i < EK_SEC_KEY_LEN && u + 3 <= vl; i++)
        u += (size_t)snprintf(v + u, vl - u, "%02x", k->key[i]);
}

static void hex_octets(const uint8_t *p, size_t n, const char *sep, char *v, size_t vl)
{
    size_t u = 0;
    v[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(v + u, vl - u, "%s%02x", i ? sep : "", p[i]);
        if (w < 0 || (size_t)w >= vl - u)
            return;
        u += (size_t)w;
    }
}

/* One key's value as text, in the form its setter reads back (k indexes keys[]). */
static void format_key(const ek_dut *d, size_t k, char *v, size_t vl)
{
    switch (k) {
    case K_URI: snprintf(v, vl, "%s", d->radio_uri); break;
    case K_CHANNEL: snprintf(v, vl, "%u", (unsigned)d->channel); break;
    case K_PACE: snprintf(v, vl, "%s", d->pace ? "true" : "false"); break;
    case K_NAME: snprintf(v, vl, "%s", d->name); break;
    case K_PAN_ID: snprintf(v, vl, "0x%04x", (unsigned)d->pan_id); break;
    case K_ADDRESS:
        if (d->has_ext)
            hex_octets(d->ext, 8, ":", v, vl);
        else
            snprintf(v, vl, "auto");
        break;
    case K_CAPS: ek_dut_caps_format(d->caps, v, vl); break;
    case K_SPAWN: snprintf(v, vl, "%s", d->spawn); break;
    case K_RESET: snprintf(v, vl, "%s", d->reset); break;
    case K_READY: snprintf(v, vl, "%u", (unsigned)d->ready_ms); break;
    case K_STDIN_FILE: snprintf(v, vl, "%s", d->stdin_file); break;
    case K_INIT_COMMANDS: snprintf(v, vl, "%s", d->init_commands); break;
    case K_READY_LINE: snprintf(v, vl, "%s", d->ready_line); break;
    case K_READY_TIMEOUT: snprintf(v, vl, "%u", (unsigned)d->ready_timeout_ms); break;
    case K_RESET_LINE: snprintf(v, vl, "%s", d->reset_line); break;
    case K_NETWORK_ID:
        if (d->has_network_id)
            hex_octets(d->network_id, d->network_id_len > 16 ? 16 : d->network_id_len, "", v, vl);
        else
            v[0] = '\0';
        break;
    case K_JP_IID:
        if (d->jp_iid_mode == EK_DUT_IID_VALUE)
            hex_octets(d->jp_iid, 8, ":", v, vl);
        else
            snprintf(v, vl, "%s", d->jp_iid_mode == EK_DUT_IID_NONE ? "none" : "");
        break;
    case K_PAN_PRIORITY:
        if (d->has_pan_priority)
            snprintf(v, vl, "0x%02x", (unsigned)d->pan_priority);
        else
            v[0] = '\0';
        break;
    case K_MAX_LOCAL_COST: snprintf(v, vl, "0x%02x", (unsigned)d->max_local_cost); break;
    case K_ROLE: snprintf(v, vl, "%s", ek_node_role_name(d->role)); break;
    case K_CMD_SET_MIN: snprintf(v, vl, "%s", d->cmd_set_min); break;
    case K_CMD_SET_MIN_URGENT: snprintf(v, vl, "%s", d->cmd_set_min_urgent); break;
    case K_DODAG_SIZE:
        if (d->has_dodag_size)
            snprintf(v, vl, "%u", (unsigned)d->dodag_size);
        else
            v[0] = '\0';
        break;
    case K_COJP_PSK: hex_octets(d->cojp_psk, d->cojp_psk_len > 32 ? 32 : d->cojp_psk_len, "", v, vl); break;
    case K_COJP_PLEDGE_ID:
        hex_octets(d->cojp_pledge_id, d->cojp_pledge_id_len > 64 ? 64 : d->cojp_pledge_id_len, "", v, vl);
        break;
    case K_COJP_ACK_TIMEOUT: snprintf(v, vl, "%u", (unsigned)d->cojp_ack_timeout_ms); break;
    case K_COJP_NETWORK_ID:
        hex_octets(d->cojp_network_id, d->cojp_has_network_id ? (d->cojp_network_id_len > 16 ? 16 : d->cojp_network_id_len) : 0,
                   "", v, vl);
        break;
    case K_COJP_JP_STATELESS: snprintf(v, vl, "%s", d->cojp_jp_stateless ? "true" : "false"); break;
    case K_EP_PROFILE: snprintf(v, vl, "%s", ek_mep_profile_name(d->prof.mep)); break;
    case K_EP_TYPE: snprintf(v, vl, "0x%02x", (unsigned)d->prof.mep_type); break;
    case K_IE_PROFILE: snprintf(v, vl, "%s", ek_ji_profile_name(d->prof.ji)); break;
    case K_IE_SUBTYPE: snprintf(v, vl, "%u", (unsigned)d->prof.ji_subtype); break;
    case K_EP_LENGTH: snprintf(v, vl, "%u", (unsigned)d->ep_length); break;
    case K_IMIN: snprintf(v, vl, "%u", (unsigned)d->dio_imin_ms); break;
    case K_DOUBLINGS: snprintf(v, vl, "%u", (unsigned)d->dio_doublings); break;
    case K_REDUNDANCY: snprintf(v, vl, "%u", (unsigned)d->dio_redundancy); break;
    case K_EB_PERIOD: snprintf(v, vl, "%u", (unsigned)d->eb_period_ms); break;
    case K_SLACK: snprintf(v, vl, "%u", (unsigned)d->slack_ms); break;
    case K_JOIN: snprintf(v, vl, "%u", (unsigned)d->join_ms); break;
    case K_MIN_HOP_RANK_INC: snprintf(v, vl, "%u", (unsigned)d->min_hop_rank_inc); break;
    case K_OCP: snprintf(v, vl, "%u", (unsigned)d->ocp); break;
    case K_SEC_FIRST: snprintf(v, vl, "%s", d->secured ? "true" : "false"); break;
    case K_K1: format_sec_key(&d->k1, v, vl); break;
    case K_K2: format_sec_key(&d->k2, v, vl); break;
    case K_EB_LEVEL: snprintf(v, vl, "%u", (unsigned)d->eb_level); break;
    case K_DIO_LEVEL: snprintf(v, vl, "%u", (unsigned)d->dio_level); break;
    case K_ASN_NONCE: snprintf(v, vl, "%s", d->asn_nonce ? "true" : "false"); break;
    case K_KEY_ID_MODE: snprintf(v, vl, "%u", (unsigned)d->k1.key_id_mode); break;
    case K_K1_INDEX: snprintf(v, vl, "%u", (unsigned)d->k1.key_index); break;
    case K_K2_INDEX: snprintf(v, vl, "%u", (unsigned)d->k2.key_index); break;
    case K_KEY_SOURCE: hex_octets(d->k1.key_source, d->key_source_len > 8 ? 8 : d->key_source_len, "", v, vl); break;
    default: v[0] = '\0'; break;
    }
}

/* A section written only when one of its keys differs from the defaults ([dodag],
 * [security]), so profiles that do not use it print as before. */
static bool range_is_default(const ek_dut *d, size_t first, size_t end)
{
    ek_dut def;
    ek_dut_default(&def);
    char a[EK_DUT_STR], b[EK_DUT_STR];
    for (size_t k = first; k < end; k++) {
        format_key(d, k, a, sizeof a);
        format_key(&def, k, b, sizeof b);
        if (strcmp(a, b) != 0)
            return false;
    }
    return true;
}

/* Whether ek_dut_write prints key k: every key of [radio], [wire] and [timing] and the
 * original [dut] keys always; the optional [dut] keys and the key identifier only when
 * not at their defaults; [dodag] and [security] only when the section is not default. */
static bool key_written(const ek_dut *d, size_t k, bool dodag_default, bool sec_default)
{
    if (k >= K_MIN_HOP_RANK_INC && k < K_CMD_SET_MIN)
        return !dodag_default;
    if (k >= K_SEC_FIRST && sec_default)
        return false;
    if ((k >= K_STDIN_FILE && k <= K_ROLE) || k == K_EP_LENGTH || (k >= K_CMD_SET_MIN && k < K_SEC_FIRST) ||
        k >= K_KEY_ID_MODE)
        return !range_is_default(d, k, k + 1);
    return true;
}

int ek_dut_write(const ek_dut *d, char *buf, size_t buflen)
{
    if (!buf || buflen == 0)
        return -1;
    buf[0] = '\0';
    if (!ini_safe(d->name) || !ini_safe(d->radio_uri) || !ini_safe(d->spawn) || !ini_safe(d->reset) ||
        !ini_safe(d->stdin_file) || !ini_safe(d->init_commands) || !ini_safe(d->ready_line) ||
        !ini_safe(d->reset_line) ||
        !ini_safe(d->cmd_set_min) ||
        !ini_safe(d->cmd_set_min_urgent))
        return -1;
    wbuf w = { buf, buflen, 0, false };
    wf(&w, "; enrollkit DUT profile (docs/harness.md)\n");
    const char *section = "";
    bool dodag_default = range_is_default(d, K_MIN_HOP_RANK_INC, K_CMD_SET_MIN);
    bool sec_default = range_is_default(d, K_SEC_FIRST, KEY_N);
    for (size_t k = 0; k < KEY_N; k++) {
        if (!key_written(d, k, dodag_default, sec_default))
            continue;
        if (strcmp(section, keys[k].section) != 0) {
            wf(&w, "%s[%s]\n", section[0] ? "\n" : "", keys[k].section);
            section = keys[k].section;
        }
        char v[EK_DUT_STR];
        format_key(d, k, v, sizeof v);
        wf(&w, "%s = %s\n", keys[k].key, v);
    }
    if (w.bad) {
        buf[0] = '\0';
        return -1;
    }
    return (int)w.used;
}

int ek_dut_setenv(const ek_dut *d)
{
    for (size_t k = 0; k < KEY_N; k++) {
        char name[64], v[EK_DUT_STR];
        int n = snprintf(name, sizeof name, "EK_%s_%s", keys[k].section, keys[k].key);
        if (n < 0 || (size_t)n >= sizeof name)
            return -1;
        for (char *p = name; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        format_key(d, k, v, sizeof v);
        if (setenv(name, v, 1) != 0)
            return -1;
    }
    return 0;
}

/* ---- time units ---- */

uint64_t ek_dut_ms_per_unit(const ek_dut *d, int unit)
{
    switch (unit) {
    case EK_T_MS:
        return 1;
    case EK_T_IMIN:
        return d->dio_imin_ms;
    case EK_T_IMAX:
        return d->dio_doublings < 32 ? (uint64_t)d->dio_imin_ms << d->dio_doublings : UINT64_MAX;
    case EK_T_EB:
        return d->eb_period_ms;
    case EK_T_ACK:
        return d->cojp_ack_timeout_ms;
    case EK_T_JOIN:
        return d->join_ms ? d->join_ms : (uint64_t)d->eb_period_ms * JOIN_EB_PERIODS;
    default:
        return 0;
    }
}

uint64_t ek_dut_dur_ns(const ek_dut *d, uint32_t n, int unit)
{
    uint64_t ms = ek_dut_ms_per_unit(d, unit);
    if (n == 0 || ms == 0)
        return 0;
    if (ms > UINT64_MAX / 1000000u / n)
        return UINT64_MAX;
    return ms * n * 1000000u;
}
