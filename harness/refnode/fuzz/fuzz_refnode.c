/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: the reference node (ek/refnode.h), the compliant DUT, fed a stream of
 * MPDUs at increasing virtual times.  It must survive every input and keep its state
 * invariants (draft-ietf-roll-enrollment-priority-16 §3.1-3.2, RFC 6550 §8.2), and every
 * frame it sends must be a clean DIO or Join-Info EB (RFC 6550 §6.3.1, RFC 9032 §2). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/icmp6.h"
#include "ek/refnode.h"
#include "fuzz_util.h"

/* Input: byte 0 = configuration selector, then chunks [len:1][MPDU:len] (a short tail is
 * one last chunk), each given to ek_refnode_rx STEP_NS after the previous one.
 *   bits 0-1  wire profile (ek_mep_profile: draft-03/-04/-09/-16)
 *   bit  2    Join-Info layout (0 rfc9032-literal, 1 byte-aligned)
 *   bits 3-4  DIO redundancy k: 10, 0 (never suppress), 1, 3
 *   bit  5    1 = feed MPDUs as they are; 0 = patch a wrong ICMPv6 checksum first (so
 *             mutated DIOs get past the checksum and reach the RPL logic)
 *   bits 6-7  local cost: 0x05, 0x00, 0x3c, 0x7f
 * The input length picks the compliant variant (length mod the catalogue size; its local
 * cost, when it sets one, wins) and legacy mode (every fifth round of the catalogue), so
 * every implementation choice meets the same inputs.
 * After every chunk the node is polled until quiet, then its events up to the next
 * chunk (at most MAX_EV_GAP of them); after the last chunk, MAX_EV_END more events. */
#define STEP_NS (7ull * 1000000ull)
#define T0_NS 1000000000ull
#define MAX_EV_GAP 16
#define MAX_EV_END 48
#define MAX_BURST 8 /* frames one poll round may emit at one instant (DIO + EB is 2) */

static const uint8_t REDUNDANCY[4] = { 10, 0, 1, 3 };
static const uint8_t COST[4] = { 0x05, 0x00, 0x3c, 0x7f };

static ek_frame fz_tx, fz_rx; /* large: off the stack */
static bool g_legacy;         /* this input runs the node in legacy mode */

static void check_state(const ek_refnode *n, ek_refnode_state *st, const char *when)
{
    ek_refnode_get_state(n, st);
    if (st->dead)
        FZ_FAIL("%s: state.dead set without a fault", when);
    if (st->min_priority > EK_MEP_PRIO_DISABLED || st->proxy_priority > EK_MEP_PRIO_DISABLED)
        FZ_FAIL("%s: priority out of range min 0x%02x proxy 0x%02x", when, st->min_priority, st->proxy_priority);
    /* -16 §3.2: a JP never advertises below the adopted minimum (EP-15/19) */
    if (st->proxy_priority < st->min_priority)
        FZ_FAIL("%s: proxy 0x%02x < min 0x%02x", when, st->proxy_priority, st->min_priority);
    /* -16 §3.1: 0x7f disables the Join Proxy (EP-3) */
    if (st->min_priority == EK_MEP_PRIO_DISABLED && st->proxy_priority != EK_MEP_PRIO_DISABLED)
        FZ_FAIL("%s: min 0x7f but proxy 0x%02x", when, st->proxy_priority);
    /* RFC 6550 §8.2.1: our Rank is greater than our preferred parent's, and finite */
    if (st->joined && (st->rank <= st->parent_rank || st->rank == 0xffff))
        FZ_FAIL("%s: joined with rank 0x%04x, parent rank 0x%04x", when, st->rank, st->parent_rank);
}

static void check_tx(const uint8_t *b, size_t len, const ek_profile *prof, const uint8_t self[8],
                     const ek_refnode_state *st)
{
    if (len > EK_BUILD_MPDU_MAX)
        FZ_FAIL("tx: MPDU of %zu octets > %d", len, EK_BUILD_MPDU_MAX);
    /* an exact-size copy, so ASan catches a decoder over-read of what we sent */
    uint8_t *c = malloc(len ? len : 1);
    if (!c)
        abort();
    memcpy(c, b, len);
    ek_frame *f = &fz_tx;
    ek_status rs = ek_frame_decode(ek_view_make(c, len), false, prof, f);
    const ek_frame_summary *s = &f->sum;
    if (rs != EK_OK || f->n_errors != 0)
        FZ_FAIL("tx: sent frame does not decode cleanly: %u errors, first %s at %zu", f->n_errors,
                f->n_errors && f->errors[0].field ? f->errors[0].field : "?",
                f->n_errors ? f->errors[0].offset : (size_t)0);
    if (!s->has_mac || s->secured || !s->has_src64 || memcmp(s->src64, self, 8) != 0)
        FZ_FAIL("tx: not an unsecured frame from our EUI-64");
    if (s->frame_type == EK_WPAN_FT_DATA) {
        if (!s->has_icmp6 || s->icmp6_type != EK_ICMP6_TYPE_RPL || s->icmp6_code != EK_RPL_CODE_DIO || !s->has_dio)
            FZ_FAIL("tx: data frame that is not a DIO");
        if (!s->icmp6_checksum_ok)
            FZ_FAIL("tx: DIO with a wrong ICMPv6 checksum");
        if (!st->joined)
            FZ_FAIL("tx: DIO while not joined");
        /* EP-8/EP-17: only an adopted option is propagated; EP-9a: unchanged */
        if (s->has_mep != st->has_option)
            FZ_FAIL("tx: DIO option present %d but state.has_option %d", s->has_mep, st->has_option);
        if (s->has_mep && s->min_priority != st->min_priority)
            FZ_FAIL("tx: DIO option min 0x%02x, adopted 0x%02x", s->min_priority, st->min_priority);
        if (s->rank != st->rank || s->instance_id != st->instance || s->version != st->dodag_version ||
            memcmp(s->dodagid, st->dodagid, 16) != 0)
            FZ_FAIL("tx: DIO base (rank 0x%04x v%u) disagrees with the state (rank 0x%04x v%u)", s->rank,
                    s->version, st->rank, st->dodag_version);
    } else if (s->frame_type == EK_WPAN_FT_BEACON) {
        if (g_legacy)
            FZ_FAIL("tx: Enhanced Beacon in legacy mode");
        if (!s->has_ji || !s->has_asn)
            FZ_FAIL("tx: beacon without Join-Info or TSCH Synchronization IE");
        if (s->proxy_priority != st->proxy_priority)
            FZ_FAIL("tx: EB proxy priority 0x%02x, state 0x%02x", s->proxy_priority, st->proxy_priority);
        if (!st->joined)
            FZ_FAIL("tx: EB while not joined");
    } else {
        FZ_FAIL("tx: frame type %u", s->frame_type);
    }
    free(c);
}

/* Polls until quiet at `now`; every frame is checked; afterwards the next event is in
 * the future (RFC 6206 §4.2: whatever was due at now has run). */
static void drain(ek_refnode *n, uint64_t now, const ek_profile *prof, const uint8_t self[8])
{
    static uint8_t out[256];
    ek_refnode_state st;
    unsigned k = 0;
    for (;;) {
        size_t len = ek_refnode_poll(n, now, out, sizeof out);
        check_state(n, &st, "poll");
        if (len == 0)
            break;
        if (++k > MAX_BURST)
            FZ_FAIL("poll: more than %d frames at one instant", MAX_BURST);
        check_tx(out, len, prof, self, &st);
    }
    uint64_t nx = ek_refnode_next_event(n);
    if (nx <= now)
        FZ_FAIL("next_event %llu not after now %llu once polled", (unsigned long long)nx, (unsigned long long)now);
    if (!st.joined && nx != UINT64_MAX)
        FZ_FAIL("next_event %llu while not joined", (unsigned long long)nx);
}

/* RFC 4443 §2.3: recompute a wrong ICMPv6 checksum in place (fuzzing aid only). */
static void fix_checksum(uint8_t *b, size_t len, const ek_profile *prof)
{
    ek_frame *f = &fz_rx;
    (void)ek_frame_decode(ek_view_make(b, len), false, prof, f);
    if (!f->has_icmp6 || !f->has_net || !f->icmp6.checksum_checked || f->icmp6.checksum_ok)
        return;
    ek_view msg = f->net.payload;
    if (msg.len < 4 || msg.p < b || (size_t)(msg.p - b) + msg.len > len)
        return;
    uint16_t c = ek_icmp6_checksum(f->net.ip.src, f->net.ip.dst, msg);
    size_t at = (size_t)(msg.p - b) + 2;
    b[at] = (uint8_t)(c >> 8);
    b[at + 1] = (uint8_t)c;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    ek_refnode_cfg cfg;
    ek_refnode_cfg_default(&cfg);
    cfg.prof.mep = (ek_mep_profile)(d[0] & 3);
    cfg.prof.ji = (d[0] & 4) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    cfg.dio_redundancy = REDUNDANCY[(d[0] >> 3) & 3];
    bool fix = !(d[0] & 0x20);
    cfg.local_cost = COST[(d[0] >> 6) & 3];
    cfg.fault = EK_FAULT_NONE;
    const ek_refnode_variant_info *vars = NULL;
    size_t nv = ek_refnode_variants(&vars);
    if (nv && ek_refnode_variant_apply(vars[n % nv].name, &cfg) != 0)
        FZ_FAIL("variant %s does not apply", vars[n % nv].name);
    cfg.legacy = nv && (n / nv) % 5 == 4;
    g_legacy = cfg.legacy;
    char eb[128];
    ek_refnode *node = ek_refnode_new(&cfg, eb, sizeof eb);
    if (!node)
        FZ_FAIL("ek_refnode_new: %s", eb);
    ek_refnode_state st;
    check_state(node, &st, "new");

    uint64_t now = T0_NS;
    size_t i = 1;
    while (i < n) {
        size_t len = d[i++];
        if (len > n - i)
            len = n - i;
        uint8_t *c = malloc(len ? len : 1); /* exact size: ASan sees any over-read */
        if (!c)
            abort();
        memcpy(c, d + i, len);
        i += len;
        if (fix)
            fix_checksum(c, len, &cfg.prof);
        ek_refnode_rx(node, c, len, now);
        free(c);
        check_state(node, &st, "rx");
        drain(node, now, &cfg.prof, cfg.ext);
        uint64_t next = now + STEP_NS;
        for (unsigned k = 0; k < MAX_EV_GAP; k++) {
            uint64_t t = ek_refnode_next_event(node);
            if (t > next)
                break;
            now = t;
            drain(node, now, &cfg.prof, cfg.ext);
        }
        now = next;
    }
    for (unsigned k = 0; k < MAX_EV_END; k++) {
        uint64_t t = ek_refnode_next_event(node);
        if (t == UINT64_MAX)
            break;
        if (t > now) /* else: events left over from a gap that hit MAX_EV_GAP; polled late */
            now = t;
        drain(node, now, &cfg.prof, cfg.ext);
    }
    ek_refnode_free(node);
    return 0;
}
