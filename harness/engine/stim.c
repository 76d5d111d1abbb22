/* SPDX-License-Identifier: BSD-3-Clause */
/* Stimuli -> frames: the DIO a harness role sends (RFC 6550 §6.3.1 via ek_build_dio_frame),
 * with the enrollment option in the DUT's wire profile (draft-ietf-roll-enrollment-
 * priority) and raw extra options given as hex (RFC 6550 §6.7.1 Type | Length | data);
 * Enhanced Beacons (RFC 8180 §6.1); link-layer security per RFC 8180 §4.6 (DIOs under
 * K2, EBs authenticated under K1) with IEEE 802.15.4-2015 §9 CCM* (ek_sec_protect). */
#include <stdio.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/lladdr.h"
#include "engine_int.h"

void ek_td_role_ext(ek_role r, uint8_t ext[8])
{
    /* 02:00:5e:ef:00:00:00:0a + role: locally administered, documentation OUI range */
    static const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
    memcpy(ext, base, 8);
    ext[7] = (uint8_t)(0x0a + (unsigned)r);
}

uint16_t ek_stim_role_rank(ek_role r)
{
    return r == EK_ROLE_A ? 256 : 1024;
}

const char *ek_role_name(ek_role r)
{
    switch (r) {
    case EK_ROLE_A: return "A";
    case EK_ROLE_B: return "B";
    case EK_ROLE_ROGUE: return "ROGUE";
    default: return "?";
    }
}

int ek_stim_parse_extra(const char *hex, ek_build_raw_opt *out, unsigned cap, char *err, size_t errlen)
{
    uint8_t b[EK_BUILD_MAX_EXTRA_OPTS * (EK_BUILD_RAW_OPT_MAX + 2)];
    size_t group_end[EK_BUILD_MAX_EXTRA_OPTS * 2], n = 0;
    unsigned groups = 0;
    if (!hex)
        return 0;
    /* Octets first (pairs of hex digits; spaces, ':' and ',' separate; ';' ends an option). */
    for (const char *p = hex; *p;) {
        if (*p == ' ' || *p == '\t' || *p == ':' || *p == ',') {
            p++;
            continue;
        }
        if (*p == ';') {
            if (groups < sizeof group_end / sizeof group_end[0] && (groups == 0 || group_end[groups - 1] != n))
                group_end[groups++] = n;
            p++;
            continue;
        }
        int hi = ek_hex_digit((unsigned char)p[0]), lo = p[1] ? ek_hex_digit((unsigned char)p[1]) : -1;
        if (hi < 0 || lo < 0) {
            snprintf(err, errlen, "extra_hex: bad hex at offset %zu", (size_t)(p - hex));
            return -1;
        }
        if (n == sizeof b) {
            snprintf(err, errlen, "extra_hex: more than %zu octets", sizeof b);
            return -1;
        }
        b[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    if (groups == 0 || group_end[groups - 1] != n) {
        if (groups == sizeof group_end / sizeof group_end[0]) {
            snprintf(err, errlen, "extra_hex: more than %zu ';'-separated groups", sizeof group_end / sizeof group_end[0]);
            return -1;
        }
        group_end[groups++] = n;
    }
    unsigned count = 0;
    size_t i = 0;
    for (unsigned g = 0; g < groups; g++) {
        while (i < group_end[g]) {
            size_t left = group_end[g] - i;
            if (count == cap) {
                snprintf(err, errlen, "extra_hex: more than %u options", cap);
                return -1;
            }
            ek_build_raw_opt *o = &out[count];
            memset(o, 0, sizeof *o);
            o->type = b[i];
            if (o->type == 0) {     /* RFC 6550 §6.7.2: Pad1 is one octet, no Length */
                i += 1;
                count++;
                continue;
            }
            if (left == 1) {
                snprintf(err, errlen, "extra_hex: option 0x%02x has no Length octet", o->type);
                return -1;
            }
            o->length = b[i + 1];
            size_t data = left - 2;
            if (o->length < data)
                data = o->length;   /* the declared Length fits: it ends this option */
            if (data > EK_BUILD_RAW_OPT_MAX) {
                snprintf(err, errlen, "extra_hex: option 0x%02x data longer than %d octets", o->type,
                         EK_BUILD_RAW_OPT_MAX);
                return -1;
            }
            o->data_len = (uint8_t)data;
            memcpy(o->data, b + i + 2, data);
            i += 2 + data;
            count++;
        }
    }
    return (int)count;
}

/* The builder identity of the role sending s: its EUI-64, the DUT's PAN, seq. */
static int role_node(const ek_stimulus *s, const ek_dut *dut, uint8_t seq, ek_build_node *node, char *err,
                     size_t errlen)
{
    if ((unsigned)s->from >= EK_ROLE_COUNT) {
        snprintf(err, errlen, "bad role %d", (int)s->from);
        return -1;
    }
    memset(node, 0, sizeof *node);
    ek_td_role_ext(s->from, node->ext);
    node->pan_id = dut->pan_id;
    node->seq = seq;
    return 0;
}

int ek_stim_build(const ek_stimulus *s, const ek_dut *dut, const ek_td_ctx *ctx, uint8_t seq, uint8_t *out,
                  size_t cap, size_t *len, ek_minprio *mep, bool *has_mep, char *err, size_t errlen)
{
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    ek_build_dio d;
    ek_err e = { 0 };
    if (role_node(s, dut, seq, &node, err, errlen) != 0)
        return -1;
    ek_build_dio_init(&d);
    d.base.rank = s->rank ? s->rank : ek_stim_role_rank(s->from);
    d.base.version = s->dodag_version ? s->dodag_version : 240;   /* RFC 6550 §7.2 lollipop start */
    ek_stim_conf(dut, &d.conf);
    if (s->mep.present) {
        ek_mep_profile m = dut->prof.mep;
        memset(&d.mep, 0, sizeof d.mep);
        d.has_mep = true;
        d.mep.profile = m;
        d.mep.type = dut->prof.mep_type;
        d.mep.length = ek_minprio_data_len(m);
        d.mep.min_priority = s->mep.min;
        d.mep.has_version = m == EK_MEP_DRAFT09 || m == EK_MEP_DRAFT16;
        d.mep.version = d.mep.has_version ? s->mep.version : 0;
        d.mep.t = d.mep.has_version && s->mep.t;
        d.mep.r = !d.mep.has_version && s->mep.r;
        d.mep.has_size = m != EK_MEP_DRAFT03;
        /* drafts -10..-16 print "Opt Length = 4" for the 3-octet body: a DUT built from
         * that text is sent that length, with one trailing zero octet (profile ep_length) */
        d.mep.erratum_len4 = m == EK_MEP_DRAFT16 && dut->ep_length == EK_MEP_LEN_DRAFT16_ERRATUM;
        d.mep.trailing = 0;
        if (d.mep.has_size && s->mep.size) {
            if (!ek_minprio_size_encode(s->mep.size, m, &d.mep.exp, &d.mep.size_code)) {
                snprintf(err, errlen, "DODAG size %lu does not fit the %s layout", (unsigned long)s->mep.size,
                         ek_mep_profile_name(m));
                return -1;
            }
            d.mep.dodag_size = (uint32_t)d.mep.size_code << d.mep.exp;
        }
    }
    int nx = ek_stim_parse_extra(s->extra_hex, d.extra, EK_BUILD_MAX_EXTRA_OPTS, err, errlen);
    if (nx < 0)
        return -1;
    d.n_extra = (unsigned)nx;
    d.extra_pos = s->extra_pos;
    if (s->tweak)
        s->tweak(ctx, &d);
    ek_status st = ek_build_dio_frame(&node, &d, &dut->prof, out, cap, len, &e);
    if (st != EK_OK) {
        snprintf(err, errlen, "cannot build the DIO: %s at offset %zu (%s)", e.field ? e.field : "?", e.offset,
                 st == EK_ERR_NOSPACE ? "too long" : st == EK_ERR_UNSUPPORTED ? "unsupported" : "invalid field");
        return -1;
    }
    *has_mep = d.has_mep;
    if (d.has_mep)
        *mep = d.mep;
    return 0;
}

int ek_stim_build_eb(const ek_stimulus *s, const ek_dut *dut, uint8_t seq, uint8_t *out, size_t cap, size_t *len,
                     char *err, size_t errlen)
{
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    ek_build_eb e;
    ek_err er = { 0 };
    if (role_node(s, dut, seq, &node, err, errlen) != 0)
        return -1;
    ek_build_eb_init(&e);
    e.asn = s->eb_asn & 0xffffffffffull;   /* 40-bit ASN (IEEE 802.15.4-2015 §7.4.4.2) */
    /* RFC 8180 §6.1: join metric = DAGRank(rank) - 1 with the profile's MinHopRankIncrease */
    unsigned rank = s->rank ? s->rank : ek_stim_role_rank(s->from);
    unsigned dag = rank / (dut->min_hop_rank_inc ? dut->min_hop_rank_inc : 256u);
    e.join_metric = (uint8_t)(dag == 0 ? 0 : dag - 1 > 0xff ? 0xff : dag - 1);
    e.has_ji = true;
    e.ji.proxy_prio = EK_STIM_EB_PROXY_PRIO;   /* RFC 9032 §2: a willing Join Proxy */
    ek_status st = ek_build_eb_frame(&node, &e, &dut->prof, out, cap, len, &er);
    if (st != EK_OK) {
        snprintf(err, errlen, "cannot build the EB: %s at offset %zu", er.field ? er.field : "?", er.offset);
        return -1;
    }
    return 0;
}

void ek_stim_conf(const ek_dut *dut, ek_rpl_dodag_conf *conf)
{
    unsigned lg = 0;
    while (lg < 31 && (1u << (lg + 1)) <= dut->dio_imin_ms)
        lg++;   /* floor(log2); the profile check refuses an Imin that is not a power of two */
    conf->dio_int_min = (uint8_t)lg;
    conf->dio_int_doublings = dut->dio_doublings;
    conf->dio_redundancy = dut->dio_redundancy;
    conf->min_hop_rank_inc = dut->min_hop_rank_inc ? dut->min_hop_rank_inc : 256;
    conf->ocp = dut->ocp;
}

int ek_stim_build_dis(const ek_stimulus *s, const ek_dut *dut, uint8_t seq, uint8_t *out, size_t cap, size_t *len,
                      char *err, size_t errlen)
{
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    ek_err e = { 0 };
    if (role_node(s, dut, seq, &node, err, errlen) != 0)
        return -1;
    if (ek_build_dis_frame(&node, &dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "cannot build the DIS: %s at offset %zu", e.field ? e.field : "?", e.offset);
        return -1;
    }
    return 0;
}

bool ek_stim_sec_key(const ek_stimulus *s, const ek_dut *dut, bool is_eb, ek_sec_key *key, uint8_t *level)
{
    if (!dut->secured || s->sec == EK_SSEC_NONE)
        return false;
    /* RFC 8180 §4.6: EBs under K1 (key index 1), everything else under K2 (index 2) */
    const ek_sec_key *net = is_eb ? &dut->k1 : &dut->k2;
    *level = is_eb ? dut->eb_level : dut->dio_level;
    switch (s->sec) {
    case EK_SSEC_WRONG_KEY: {
        /* same Key Identifier, other octets: the DUT finds "its" key and the MIC fails */
        uint8_t k[EK_SEC_KEY_LEN];
        for (int i = 0; i < EK_SEC_KEY_LEN; i++)
            k[i] = (uint8_t)(net->key[i] ^ 0xa5);
        const ek_sec_key *other = is_eb ? &dut->k2 : &dut->k1;
        if (memcmp(k, other->key, EK_SEC_KEY_LEN) == 0)
            for (int i = 0; i < EK_SEC_KEY_LEN; i++)
                k[i] = (uint8_t)(net->key[i] ^ 0x5a);
        ek_sec_key_make(key, "wrong-key", k, net->key_index);
        key->key_id_mode = net->key_id_mode;
        memcpy(key->key_source, net->key_source, sizeof key->key_source);
        break;
    }
    case EK_SSEC_DEFAULT_K1: {
        /* the published default's octets under the network K1's identifier (mode, index,
         * source): the DUT looks up its own K1 and the MIC fails (S9) */
        ek_sec_key d;
        if (!ek_sec_key_named("K1-minimal15", &d))
            return false;
        ek_sec_key_make(key, "K1-minimal15", d.key, dut->k1.key_index);
        key->key_id_mode = dut->k1.key_id_mode;
        memcpy(key->key_source, dut->k1.key_source, sizeof key->key_source);
        break;
    }
    default:
        *key = *net;
        break;
    }
    return true;
}

int ek_stim_secure(const ek_stimulus *s, const ek_dut *dut, bool is_eb, uint32_t fc, uint64_t asn, uint8_t *buf,
                   size_t cap, size_t *len, bool *secured, char *err, size_t errlen)
{
    ek_sec_key key;
    uint8_t level = 0;
    *secured = false;
    if (!ek_stim_sec_key(s, dut, is_eb, &key, &level))
        return 0;
    /* IEEE 802.15.4-2015 §9.4.1.2/§9.4.4: the key's own identifier (profile key_id_mode
     * 1-3, index, key source in on-air order); frame counter carried even in ASN-nonce
     * mode so the receiver's replay check has something to compare */
    ek_wpan_sec sec;
    memset(&sec, 0, sizeof sec);
    sec.level = level;
    sec.key_id_mode = key.key_id_mode;
    sec.key_index = key.key_index;
    memcpy(sec.key_source, key.key_source, sizeof sec.key_source);
    sec.frame_counter = fc;
    /* ASN nonce only for EBs, which state their ASN: the radios are not slotted, so no
     * other frame has an ASN both sides agree on (docs/security.md) */
    sec.asn_in_nonce = dut->asn_nonce && is_eb;
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    env.asn = asn;
    ek_sec_info info;
    ek_err e = { 0 };
    size_t out_len = 0;
    ek_status st = ek_sec_protect(ek_view_make(buf, *len), &sec, &env, &key, &dut->prof, buf, cap, &out_len, &info, &e);
    if (st != EK_OK) {
        snprintf(err, errlen, "cannot secure the %s: %s at offset %zu%s", is_eb ? "EB" : "DIO", e.field ? e.field : "?",
                 e.offset, st == EK_ERR_NOSPACE ? " (too long with the auxiliary header and MIC)" : "");
        return -1;
    }
    *len = out_len;
    *secured = true;
    return 0;
}

/* " (unsecured)", " (wrong key, counter of step 2)": only what differs from the network's
 * normal security, so descriptions of plain stimuli stay as they were. */
static size_t describe_sec(const ek_stimulus *s, char *buf, size_t buflen, size_t u)
{
    static const char *const sec_names[] = { "", "unsecured", "wrong key", "default K1" };
    const char *sn = (unsigned)s->sec < 4 ? sec_names[s->sec] : "?";
    char fcs[48] = "";
    if (s->fc == EK_FC_SAME_AS_STEP)
        snprintf(fcs, sizeof fcs, "counter of step %u", s->fc_step);
    else if (s->fc == EK_FC_REWOUND)
        snprintf(fcs, sizeof fcs, "counter of step %u - %lu", s->fc_step, (unsigned long)s->fc_delta);
    if (u < buflen && (sn[0] || fcs[0]))
        u += (size_t)snprintf(buf + u, buflen - u, " (%s%s%s)", sn, sn[0] && fcs[0] ? ", " : "", fcs);
    return u;
}

void ek_stim_describe(const ek_stimulus *s, char *buf, size_t buflen)
{
    if (s->kind == EK_STIM_EB) {
        int w = snprintf(buf, buflen, "EB from %s ASN %llu", ek_role_name(s->from), (unsigned long long)s->eb_asn);
        (void)describe_sec(s, buf, buflen, w < 0 ? 0 : (size_t)w);
        return;
    }
    if (s->kind == EK_STIM_STOP) {
        snprintf(buf, buflen, "stop %s's periodic DIO", ek_role_name(s->from));
        return;
    }
    if (s->kind == EK_STIM_CMD) {
        snprintf(buf, buflen, "%s change of the DUT's minimum to 0x%02x",
                 s->cmd == EK_CMD_SET_MIN_URGENT ? "urgent" : "routine", (unsigned)s->cmd_arg);
        return;
    }
    if (s->kind == EK_STIM_DIS) {
        int w = snprintf(buf, buflen, "multicast DIS from %s", ek_role_name(s->from));
        (void)describe_sec(s, buf, buflen, w < 0 ? 0 : (size_t)w);
        return;
    }
    if (s->kind == EK_STIM_AGENT) {
        snprintf(buf, buflen, "frame from %s built by the TD's agent (%u)", ek_role_name(s->from),
                 (unsigned)s->agent_arg);
        return;
    }
    if (s->kind == EK_STIM_RESET) {
        snprintf(buf, buflen, "reset of the DUT (a reboot)");
        return;
    }
    if (s->kind == EK_STIM_REPLAY) {
        snprintf(buf, buflen, "replay of step %u's frame as %s", s->replay_step, ek_role_name(s->from));
        return;
    }
    int w = snprintf(buf, buflen, "DIO from %s rank %u version %u", ek_role_name(s->from),
                     (unsigned)(s->rank ? s->rank : ek_stim_role_rank(s->from)),
                     (unsigned)(s->dodag_version ? s->dodag_version : 240));
    size_t u = w < 0 ? 0 : (size_t)w;
    if (u < buflen && s->mep.present)
        u += (size_t)snprintf(buf + u, buflen - u, ", option min 0x%02x v%u T=%d", s->mep.min, s->mep.version,
                              s->mep.t ? 1 : 0);
    else if (u < buflen)
        u += (size_t)snprintf(buf + u, buflen - u, ", no option");
    if (u < buflen && s->extra_hex && s->extra_hex[0])
        u += (size_t)snprintf(buf + u, buflen - u, ", extra [%s]", s->extra_hex);
    u = describe_sec(s, buf, buflen, u);
    (void)u;
}
