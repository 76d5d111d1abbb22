/* SPDX-License-Identifier: BSD-3-Clause */
/* RPL control messages (RFC 6550 §6): security section (§6.1), DIS/DIO/DAO/DAO-ACK
 * base objects (§6.2.1-§6.5.1), the option walk (§6.7) and the lollipop sequence
 * comparison (§7.2).  Options decode into ek_rpl_opt; errors stay on the option. */
#include <stddef.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/rd.h"
#include "ek/rpl.h"

static ek_status fail(ek_err *err, ek_status code, const char *field, size_t at)
{
    return ek_err_set(err, code, field, at);
}

size_t ek_rpl_sec_mac_len(uint8_t kim, uint8_t lvl)
{
    /* §6.1 Fig. 11: KIM 0-2 -> MAC-32/ENC-MAC-32/MAC-64/ENC-MAC-64;
     * KIM 3 -> Sign-3072 (384 octets) / Sign-2048 (256 octets), each with an ENC variant. */
    if (lvl > 3)
        return 0;
    if (kim == 3)
        return lvl < 2 ? 384 : 256;
    return lvl < 2 ? 4 : 8;
}

size_t ek_rpl_sec_keyid_len(uint8_t kim, uint8_t lvl)
{
    switch (kim & 3) { /* §6.1 Fig. 10 */
    case 0: return 1;
    case 1: return 0;
    case 2: return 9;
    default: return (lvl == 1 || lvl == 3) ? 9 : 0; /* present iff the level encrypts */
    }
}

static bool lvl_encrypts(uint8_t lvl) { return lvl == 1 || lvl == 3; }

/* ---- options (§6.7) ---- */

static unsigned prefix_octets(unsigned bits) { return (bits + 7) / 8; }

/* Decodes the data of a known option into o->u; returns false (o->err set) when the
 * length or a value does not fit the type. */
static bool opt_data_decode(ek_rd *d, ek_rpl_opt *o, size_t len_at)
{
    uint8_t b = 0;
    unsigned len = o->length;
    switch (o->kind) {
    case EK_RPL_OPTK_PADN: /* §6.7.3: 0..5 octets of padding */
        if (len > 5)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        return true;
    case EK_RPL_OPTK_METRIC: /* §6.7.4: kept raw; RFC 6551 objects not decoded here */
        return true;
    case EK_RPL_OPTK_ROUTE_INFO: { /* §6.7.5 */
        ek_rpl_route_info *r = &o->u.route;
        if (len < 6 || len > 22)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        size_t pl_at = ek_rd_offset(d);
        ek_rd_u8(d, "icmpv6.rpl.opt.route.prefix_length", &r->prefix_len);
        ek_rd_u8(d, "icmpv6.rpl.opt.route.flag", &b);
        r->prf = (b >> 3) & 3;
        r->resvd_bits = b & 0xE7;
        ek_rd_be32(d, "icmpv6.rpl.opt.route.lifetime", &r->lifetime);
        r->prefix_bytes = (uint8_t)(len - 6);
        ek_rd_bytes(d, r->prefix_bytes, "icmpv6.rpl.opt.route.prefix", r->prefix);
        if (r->prefix_len > 128 || prefix_octets(r->prefix_len) > r->prefix_bytes)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.route.prefix_length", pl_at);
        return ek_rd_ok(d);
    }
    case EK_RPL_OPTK_DODAG_CONF: { /* §6.7.6: exactly 14 */
        ek_rpl_dodag_conf *c = &o->u.conf;
        if (len != 14)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        ek_rd_u8(d, "icmpv6.rpl.opt.config.flag", &b);
        c->flags_resvd = b >> 4;
        c->a = (b & 0x08) != 0;
        c->pcs = b & 0x07;
        ek_rd_u8(d, "icmpv6.rpl.opt.config.interval_double", &c->dio_int_doublings);
        ek_rd_u8(d, "icmpv6.rpl.opt.config.interval_min", &c->dio_int_min);
        ek_rd_u8(d, "icmpv6.rpl.opt.config.redundancy", &c->dio_redundancy);
        ek_rd_be16(d, "icmpv6.rpl.opt.config.max_rank_inc", &c->max_rank_inc);
        ek_rd_be16(d, "icmpv6.rpl.opt.config.min_hop_rank_inc", &c->min_hop_rank_inc);
        ek_rd_be16(d, "icmpv6.rpl.opt.config.ocp", &c->ocp);
        ek_rd_u8(d, "icmpv6.rpl.opt.config.rsv", &c->reserved);
        ek_rd_u8(d, "icmpv6.rpl.opt.config.def_lifetime", &c->def_lifetime);
        ek_rd_be16(d, "icmpv6.rpl.opt.config.lifetime_unit", &c->lifetime_unit);
        return ek_rd_ok(d);
    }
    case EK_RPL_OPTK_TARGET: { /* §6.7.7 */
        ek_rpl_target *t = &o->u.target;
        if (len < 2 || len > 18)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        ek_rd_u8(d, "icmpv6.rpl.opt.target.flag", &t->flags);
        size_t pl_at = ek_rd_offset(d);
        ek_rd_u8(d, "icmpv6.rpl.opt.target.prefix_length", &t->prefix_len);
        t->prefix_bytes = (uint8_t)(len - 2);
        ek_rd_bytes(d, t->prefix_bytes, "icmpv6.rpl.opt.target.prefix", t->prefix);
        if (t->prefix_len > 128 || prefix_octets(t->prefix_len) > t->prefix_bytes)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.target.prefix_length", pl_at);
        return ek_rd_ok(d);
    }
    case EK_RPL_OPTK_TRANSIT: { /* §6.7.8: 4, or 20 with the parent address */
        ek_rpl_transit *t = &o->u.transit;
        if (len != 4 && len != 20)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        ek_rd_u8(d, "icmpv6.rpl.opt.transit.flag", &b);
        t->e = (b & 0x80) != 0;
        t->flags = b & 0x7F;
        ek_rd_u8(d, "icmpv6.rpl.opt.transit.pathctl", &t->path_control);
        ek_rd_u8(d, "icmpv6.rpl.opt.transit.pathseq", &t->path_seq);
        ek_rd_u8(d, "icmpv6.rpl.opt.transit.pathlifetime", &t->path_lifetime);
        t->has_parent = len == 20;
        if (t->has_parent)
            ek_rd_bytes(d, 16, "icmpv6.rpl.opt.transit.parent", t->parent);
        return ek_rd_ok(d);
    }
    case EK_RPL_OPTK_SOLICITED: { /* §6.7.9: exactly 3 */
        ek_rpl_solicited *s = &o->u.sol;
        if (len != 3)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        ek_rd_u8(d, "icmpv6.rpl.opt.solicited.instance", &s->instance);
        ek_rd_u8(d, "icmpv6.rpl.opt.solicited.flag", &b);
        s->v = (b & 0x80) != 0;
        s->i = (b & 0x40) != 0;
        s->d = (b & 0x20) != 0;
        s->flags = b & 0x1F;
        ek_rd_u8(d, "icmpv6.rpl.opt.solicited.version", &s->version);
        return ek_rd_ok(d);
    }
    case EK_RPL_OPTK_PREFIX_INFO: { /* §6.7.10: exactly 30 */
        ek_rpl_prefix_info *p = &o->u.pio;
        if (len != 30)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", len_at);
        size_t pl_at = ek_rd_offset(d);
        ek_rd_u8(d, "icmpv6.rpl.opt.prefix.length", &p->prefix_len);
        ek_rd_u8(d, "icmpv6.rpl.opt.prefix.flag", &b);
        p->l = (b & 0x80) != 0;
        p->a = (b & 0x40) != 0;
        p->r = (b & 0x20) != 0;
        p->reserved1 = b & 0x1F;
        ek_rd_be32(d, "icmpv6.rpl.opt.prefix.valid_lifetime", &p->valid_lifetime);
        ek_rd_be32(d, "icmpv6.rpl.opt.prefix.preferred_lifetime", &p->preferred_lifetime);
        ek_rd_be32(d, "icmpv6.rpl.opt.prefix.reserved2", &p->reserved2);
        ek_rd_bytes(d, 16, "icmpv6.rpl.opt.prefix", p->prefix);
        if (p->prefix_len > 128)
            return ek_rd_fail_at(d, EK_ERR_MALFORMED, "icmpv6.rpl.opt.prefix.length", pl_at);
        return ek_rd_ok(d);
    }
    default:
        return true;
    }
}

static ek_rpl_opt_kind kind_of(uint8_t type, const ek_profile *prof)
{
    /* The configured enrollment type wins: it is a setting, and a test may pick it. */
    if (prof->mep_type != 0 && type == prof->mep_type)
        return EK_RPL_OPTK_MEP;
    switch (type) {
    case EK_RPL_OPT_PADN: return EK_RPL_OPTK_PADN;
    case EK_RPL_OPT_METRIC: return EK_RPL_OPTK_METRIC;
    case EK_RPL_OPT_ROUTE_INFO: return EK_RPL_OPTK_ROUTE_INFO;
    case EK_RPL_OPT_DODAG_CONF: return EK_RPL_OPTK_DODAG_CONF;
    case EK_RPL_OPT_TARGET: return EK_RPL_OPTK_TARGET;
    case EK_RPL_OPT_TRANSIT: return EK_RPL_OPTK_TRANSIT;
    case EK_RPL_OPT_SOLICITED: return EK_RPL_OPTK_SOLICITED;
    case EK_RPL_OPT_PREFIX_INFO: return EK_RPL_OPTK_PREFIX_INFO;
    default: return EK_RPL_OPTK_RAW; /* §6.7.1: unknown types are skipped by length */
    }
}

/* §6.7.1 walk: Pad1 is one octet, every other option Type | Length | data. */
static void walk_options(ek_rd *rd, const ek_profile *prof, ek_rpl_msg *out)
{
    while (ek_rd_ok(rd) && ek_rd_left(rd) > 0) {
        ek_rpl_opt tmp;
        ek_rpl_opt *o = out->n_opts < EK_RPL_MAX_OPTS ? &out->opts[out->n_opts] : &tmp;
        memset(o, 0, sizeof *o);
        o->offset = ek_rd_offset(rd);
        ek_view whole = ek_rd_peek_rest(rd); /* the whole option, Type first, for ek_minprio_decode */
        ek_rd_u8(rd, "icmpv6.rpl.opt.type", &o->type);
        bool stop = false;
        if (o->type == EK_RPL_OPT_PAD1) {
            o->kind = EK_RPL_OPTK_PAD1;
        } else {
            size_t len_at = ek_rd_offset(rd);
            if (ek_rd_left(rd) < 1) {
                (void)ek_err_set(&o->err, EK_ERR_TRUNCATED, "icmpv6.rpl.opt.length", len_at);
                o->err.need = 1;
                stop = true;
            } else {
                ek_rd_u8(rd, "icmpv6.rpl.opt.length", &o->length);
                if (o->length > ek_rd_left(rd)) {
                    /* Overrun: nothing after it can be trusted, and nothing to skip to. */
                    (void)ek_err_set(&o->err, EK_ERR_TRUNCATED, "icmpv6.rpl.opt.length", len_at);
                    o->err.need = o->length;
                    o->err.have = ek_rd_left(rd);
                    o->data = ek_rd_rest(rd);
                    stop = true;
                } else {
                    ek_rd d;
                    ek_rd_sub(rd, o->length, "icmpv6.rpl.opt.data", &d);
                    o->data = ek_view_make(d.p, d.len);
                    o->kind = kind_of(o->type, prof);
                    if (o->kind == EK_RPL_OPTK_MEP) {
                        whole.len = 2u + o->length;
                        ek_err e;
                        if (ek_minprio_decode(whole, o->offset, prof, &o->u.mep, &e) != EK_OK)
                            o->err = e;
                    } else if (!opt_data_decode(&d, o, len_at)) {
                        o->err = d.err;
                    }
                    if (o->err.code != EK_OK)
                        o->kind = EK_RPL_OPTK_RAW; /* keep the bytes; the encoder reproduces them */
                }
            }
        }
        if (o->err.code != EK_OK)
            out->n_opt_errors++;
        if (o == &tmp)
            out->opts_dropped++;
        else
            out->n_opts++;
        if (stop)
            break;
    }
}

/* ---- base objects ---- */

static void dio_decode(ek_rd *rd, ek_rpl_dio *b)
{
    uint8_t f = 0;
    ek_rd_u8(rd, "icmpv6.rpl.dio.instance", &b->instance);
    ek_rd_u8(rd, "icmpv6.rpl.dio.version", &b->version);
    ek_rd_be16(rd, "icmpv6.rpl.dio.rank", &b->rank);
    ek_rd_u8(rd, "icmpv6.rpl.dio.flag", &f); /* G 0 MOP(3) Prf(3) */
    b->g = (f & 0x80) != 0;
    b->zero_bit = (f & 0x40) != 0;
    b->mop = (f >> 3) & 7;
    b->prf = f & 7;
    ek_rd_u8(rd, "icmpv6.rpl.dio.dtsn", &b->dtsn);
    ek_rd_u8(rd, "icmpv6.rpl.dio.flag2", &b->flags);
    ek_rd_u8(rd, "icmpv6.rpl.dio.reserved", &b->reserved);
    ek_rd_bytes(rd, 16, "icmpv6.rpl.dio.dagid", b->dodagid);
}

static void dao_decode(ek_rd *rd, ek_rpl_dao *b)
{
    uint8_t f = 0;
    ek_rd_u8(rd, "icmpv6.rpl.dao.instance", &b->instance);
    ek_rd_u8(rd, "icmpv6.rpl.dao.flag", &f); /* K D Flags(6) */
    b->k = (f & 0x80) != 0;
    b->d = (f & 0x40) != 0;
    b->flags = f & 0x3F;
    ek_rd_u8(rd, "icmpv6.rpl.dao.flag.rsv", &b->reserved);
    ek_rd_u8(rd, "icmpv6.rpl.dao.sequence", &b->seq);
    if (b->d)
        ek_rd_bytes(rd, 16, "icmpv6.rpl.dao.dodagid", b->dodagid);
}

static void ack_decode(ek_rd *rd, ek_rpl_dao_ack *b)
{
    uint8_t f = 0;
    ek_rd_u8(rd, "icmpv6.rpl.daoack.instance", &b->instance);
    ek_rd_u8(rd, "icmpv6.rpl.daoack.flag", &f); /* D Reserved(7) */
    b->d = (f & 0x80) != 0;
    b->reserved = f & 0x7F;
    ek_rd_u8(rd, "icmpv6.rpl.daoack.sequence", &b->seq);
    ek_rd_u8(rd, "icmpv6.rpl.daoack.status", &b->status);
    if (b->d)
        ek_rd_bytes(rd, 16, "icmpv6.rpl.daoack.dodagid", b->dodagid);
}

/* Defines every field a consumer may read without clearing opts[] (hot path):
 * options [0..n_opts) are zeroed one by one as the walk fills them. */
static void msg_reset(ek_rpl_msg *m)
{
    memset(m, 0, offsetof(ek_rpl_msg, opts));
    memset(&m->n_opts, 0, sizeof *m - offsetof(ek_rpl_msg, n_opts));
}
_Static_assert(offsetof(ek_rpl_msg, opts) < offsetof(ek_rpl_msg, n_opts) &&
                   offsetof(ek_rpl_msg, n_opts) < offsetof(ek_rpl_msg, opts_dropped) &&
                   offsetof(ek_rpl_msg, opts_dropped) < offsetof(ek_rpl_msg, n_opt_errors),
               "ek_rpl_msg: opts[] is followed by the counters only");

ek_status ek_rpl_decode(ek_view icmp_body, uint8_t code, size_t origin, const ek_profile *prof,
                        ek_rpl_msg *out, ek_err *err)
{
    ek_rd rd;
    ek_profile def;
    if (!prof) { /* NULL = defaults, as in the other decoders */
        ek_profile_default(&def);
        prof = &def;
    }
    msg_reset(out);
    out->code = code;
    out->secure = (code & EK_RPL_CODE_SECURE) != 0;
    uint8_t base = code & 0x7F;
    if (base > EK_RPL_CODE_DAO_ACK) /* P2P-DRO (RFC 6997), CC (0x8A): not decoded */
        return fail(err, EK_ERR_UNSUPPORTED, "icmpv6.code", origin >= 3 ? origin - 3 : 0);
    ek_rd_init(&rd, icmp_body, origin);

    if (out->secure) { /* §6.1 Fig. 8: the security section precedes the base */
        ek_rpl_security *s = &out->sec;
        uint8_t b = 0;
        ek_rd_u8(&rd, "icmpv6.rpl.secure.flag", &b);
        s->t = (b & 0x80) != 0;
        s->reserved = b & 0x7F;
        ek_rd_u8(&rd, "icmpv6.rpl.secure.algorithm", &s->algorithm);
        size_t lvl_at = ek_rd_offset(&rd);
        ek_rd_u8(&rd, "icmpv6.rpl.secure.kim", &b); /* KIM(2) Resvd(3) LVL(3) */
        s->kim = b >> 6;
        s->resvd = (b >> 3) & 7;
        s->lvl = b & 7;
        ek_rd_u8(&rd, "icmpv6.rpl.secure.flags", &s->flags);
        ek_rd_be32(&rd, "icmpv6.rpl.secure.counter", &s->counter);
        if (!ek_rd_ok(&rd))
            return ek_rd_finish(&rd, err);
        if (s->lvl > 3) { /* Fig. 11: 4-7 unassigned, so the MAC length is unknown */
            ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "icmpv6.rpl.secure.lvl", lvl_at);
            return ek_rd_finish(&rd, err);
        }
        size_t kid = ek_rpl_sec_keyid_len(s->kim, s->lvl);
        if (kid == 9) { /* Key Source (64) then Key Index (8) */
            s->has_key_source = true;
            ek_rd_bytes(&rd, 8, "icmpv6.rpl.secure.key.source", s->key_source);
        }
        if (kid >= 1) {
            s->has_key_index = true;
            ek_rd_u8(&rd, "icmpv6.rpl.secure.key.index", &s->key_index);
        }
        if (!ek_rd_ok(&rd))
            return ek_rd_finish(&rd, err);
        /* The MAC/signature closes the message (§6.1, §10.3): split it off first, so
         * the base and options end where it starts. */
        if (!ek_rd_tail(&rd, ek_rpl_sec_mac_len(s->kim, s->lvl), "icmpv6.rpl.secure.mac", &out->mac))
            return ek_rd_finish(&rd, err);
        if (lvl_encrypts(s->lvl)) { /* ENC-*: everything after the section is ciphertext */
            out->encrypted = true;
            out->ciphertext = ek_rd_rest(&rd);
            return ek_rd_finish(&rd, err);
        }
    }

    switch (base) {
    case EK_RPL_CODE_DIS:
        ek_rd_u8(&rd, "icmpv6.rpl.dis.flags", &out->base.dis.flags);
        ek_rd_u8(&rd, "icmpv6.rpl.dis.reserved", &out->base.dis.reserved);
        break;
    case EK_RPL_CODE_DIO: dio_decode(&rd, &out->base.dio); break;
    case EK_RPL_CODE_DAO: dao_decode(&rd, &out->base.dao); break;
    default: ack_decode(&rd, &out->base.ack); break;
    }
    if (!ek_rd_ok(&rd))
        return ek_rd_finish(&rd, err);
    walk_options(&rd, prof, out); /* option errors stay on the options */
    return ek_rd_finish(&rd, err);
}

/* ---- encode ---- */

static size_t opt_len(const ek_rpl_opt *o, const ek_profile *prof)
{
    switch (o->kind) {
    case EK_RPL_OPTK_PAD1: return 1;
    case EK_RPL_OPTK_PADN: return 2u + o->length;
    case EK_RPL_OPTK_ROUTE_INFO: return 2u + 6u + o->u.route.prefix_bytes;
    case EK_RPL_OPTK_DODAG_CONF: return 2u + 14u;
    case EK_RPL_OPTK_TARGET: return 2u + 2u + o->u.target.prefix_bytes;
    case EK_RPL_OPTK_TRANSIT: return 2u + (o->u.transit.has_parent ? 20u : 4u);
    case EK_RPL_OPTK_SOLICITED: return 2u + 3u;
    case EK_RPL_OPTK_PREFIX_INFO: return 2u + 30u;
    case EK_RPL_OPTK_MEP: return ek_minprio_encoded_len(&o->u.mep, prof);
    default: return 2u + o->data.len;
    }
}

static ek_status opt_encode(const ek_rpl_opt *o, const ek_profile *prof, ek_buf *b, ek_err *err)
{
    size_t at = b->len;
    size_t n = opt_len(o, prof);
    if (o->kind == EK_RPL_OPTK_PAD1)
        return ek_wr_u8(b, "icmpv6.rpl.opt.type", EK_RPL_OPT_PAD1) ? EK_OK : ek_buf_finish(b, err);
    if (o->kind == EK_RPL_OPTK_MEP)
        return ek_minprio_encode(&o->u.mep, prof, b, err);
    if (n - 2 > 255 || (o->kind == EK_RPL_OPTK_PADN && o->length > 5))
        return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", at);
    static const uint8_t type_of[] = {
        [EK_RPL_OPTK_PADN] = EK_RPL_OPT_PADN, [EK_RPL_OPTK_METRIC] = EK_RPL_OPT_METRIC,
        [EK_RPL_OPTK_ROUTE_INFO] = EK_RPL_OPT_ROUTE_INFO,
        [EK_RPL_OPTK_DODAG_CONF] = EK_RPL_OPT_DODAG_CONF, [EK_RPL_OPTK_TARGET] = EK_RPL_OPT_TARGET,
        [EK_RPL_OPTK_TRANSIT] = EK_RPL_OPT_TRANSIT, [EK_RPL_OPTK_SOLICITED] = EK_RPL_OPT_SOLICITED,
        [EK_RPL_OPTK_PREFIX_INFO] = EK_RPL_OPT_PREFIX_INFO,
    };
    uint8_t type = o->kind == EK_RPL_OPTK_RAW ? o->type : type_of[o->kind];
    ek_wr_u8(b, "icmpv6.rpl.opt.type", type);
    ek_wr_u8(b, "icmpv6.rpl.opt.length", (uint8_t)(n - 2));
    switch (o->kind) {
    case EK_RPL_OPTK_PADN:
        ek_wr_zero(b, "icmpv6.rpl.opt.padn", o->length);
        break;
    case EK_RPL_OPTK_ROUTE_INFO: {
        const ek_rpl_route_info *r = &o->u.route;
        if (r->prefix_len > 128 || r->prefix_bytes > 16 || prefix_octets(r->prefix_len) > r->prefix_bytes)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.opt.route.prefix_length", at + 2);
        ek_wr_u8(b, "icmpv6.rpl.opt.route.prefix_length", r->prefix_len);
        ek_wr_u8(b, "icmpv6.rpl.opt.route.flag", (uint8_t)((r->resvd_bits & 0xE7) | (r->prf & 3) << 3));
        ek_wr_be32(b, "icmpv6.rpl.opt.route.lifetime", r->lifetime);
        ek_wr_bytes(b, "icmpv6.rpl.opt.route.prefix", r->prefix, r->prefix_bytes);
        break;
    }
    case EK_RPL_OPTK_DODAG_CONF: {
        const ek_rpl_dodag_conf *c = &o->u.conf;
        if (c->flags_resvd > 15 || c->pcs > 7)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.opt.config.flag", at + 2);
        ek_wr_u8(b, "icmpv6.rpl.opt.config.flag",
                 (uint8_t)(c->flags_resvd << 4 | (c->a ? 0x08 : 0) | c->pcs));
        ek_wr_u8(b, "icmpv6.rpl.opt.config.interval_double", c->dio_int_doublings);
        ek_wr_u8(b, "icmpv6.rpl.opt.config.interval_min", c->dio_int_min);
        ek_wr_u8(b, "icmpv6.rpl.opt.config.redundancy", c->dio_redundancy);
        ek_wr_be16(b, "icmpv6.rpl.opt.config.max_rank_inc", c->max_rank_inc);
        ek_wr_be16(b, "icmpv6.rpl.opt.config.min_hop_rank_inc", c->min_hop_rank_inc);
        ek_wr_be16(b, "icmpv6.rpl.opt.config.ocp", c->ocp);
        ek_wr_u8(b, "icmpv6.rpl.opt.config.rsv", c->reserved);
        ek_wr_u8(b, "icmpv6.rpl.opt.config.def_lifetime", c->def_lifetime);
        ek_wr_be16(b, "icmpv6.rpl.opt.config.lifetime_unit", c->lifetime_unit);
        break;
    }
    case EK_RPL_OPTK_TARGET: {
        const ek_rpl_target *t = &o->u.target;
        if (t->prefix_len > 128 || t->prefix_bytes > 16 || prefix_octets(t->prefix_len) > t->prefix_bytes)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.opt.target.prefix_length", at + 3);
        ek_wr_u8(b, "icmpv6.rpl.opt.target.flag", t->flags);
        ek_wr_u8(b, "icmpv6.rpl.opt.target.prefix_length", t->prefix_len);
        ek_wr_bytes(b, "icmpv6.rpl.opt.target.prefix", t->prefix, t->prefix_bytes);
        break;
    }
    case EK_RPL_OPTK_TRANSIT: {
        const ek_rpl_transit *t = &o->u.transit;
        ek_wr_u8(b, "icmpv6.rpl.opt.transit.flag", (uint8_t)((t->e ? 0x80 : 0) | (t->flags & 0x7F)));
        ek_wr_u8(b, "icmpv6.rpl.opt.transit.pathctl", t->path_control);
        ek_wr_u8(b, "icmpv6.rpl.opt.transit.pathseq", t->path_seq);
        ek_wr_u8(b, "icmpv6.rpl.opt.transit.pathlifetime", t->path_lifetime);
        if (t->has_parent)
            ek_wr_bytes(b, "icmpv6.rpl.opt.transit.parent", t->parent, 16);
        break;
    }
    case EK_RPL_OPTK_SOLICITED: {
        const ek_rpl_solicited *s = &o->u.sol;
        ek_wr_u8(b, "icmpv6.rpl.opt.solicited.instance", s->instance);
        ek_wr_u8(b, "icmpv6.rpl.opt.solicited.flag",
                 (uint8_t)((s->v ? 0x80 : 0) | (s->i ? 0x40 : 0) | (s->d ? 0x20 : 0) | (s->flags & 0x1F)));
        ek_wr_u8(b, "icmpv6.rpl.opt.solicited.version", s->version);
        break;
    }
    case EK_RPL_OPTK_PREFIX_INFO: {
        const ek_rpl_prefix_info *p = &o->u.pio;
        if (p->prefix_len > 128)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.opt.prefix.length", at + 2);
        ek_wr_u8(b, "icmpv6.rpl.opt.prefix.length", p->prefix_len);
        ek_wr_u8(b, "icmpv6.rpl.opt.prefix.flag",
                 (uint8_t)((p->l ? 0x80 : 0) | (p->a ? 0x40 : 0) | (p->r ? 0x20 : 0) | (p->reserved1 & 0x1F)));
        ek_wr_be32(b, "icmpv6.rpl.opt.prefix.valid_lifetime", p->valid_lifetime);
        ek_wr_be32(b, "icmpv6.rpl.opt.prefix.preferred_lifetime", p->preferred_lifetime);
        ek_wr_be32(b, "icmpv6.rpl.opt.prefix.reserved2", p->reserved2);
        ek_wr_bytes(b, "icmpv6.rpl.opt.prefix", p->prefix, 16);
        break;
    }
    default: /* RAW, METRIC: data as given */
        ek_wr_view(b, "icmpv6.rpl.opt.data", o->data);
        break;
    }
    return ek_buf_finish(b, err);
}

size_t ek_rpl_encoded_len(const ek_rpl_msg *in, const ek_profile *prof)
{
    size_t n = 0;
    uint8_t base = in->code & 0x7F;
    bool secure = (in->code & EK_RPL_CODE_SECURE) != 0;
    if (secure) {
        n += 8 + ek_rpl_sec_keyid_len(in->sec.kim, in->sec.lvl) + in->mac.len;
        if (lvl_encrypts(in->sec.lvl))
            return n + in->ciphertext.len;
    }
    switch (base) {
    case EK_RPL_CODE_DIS: n += 2; break;
    case EK_RPL_CODE_DIO: n += 24; break;
    case EK_RPL_CODE_DAO: n += 4 + (in->base.dao.d ? 16 : 0); break;
    default: n += 4 + (in->base.ack.d ? 16 : 0); break;
    }
    for (unsigned i = 0; i < in->n_opts && i < EK_RPL_MAX_OPTS; i++)
        n += opt_len(&in->opts[i], prof);
    return n;
}

ek_status ek_rpl_encode(const ek_rpl_msg *in, const ek_profile *prof, ek_buf *b, ek_err *err)
{
    uint8_t base = in->code & 0x7F;
    bool secure = (in->code & EK_RPL_CODE_SECURE) != 0;
    if (base > EK_RPL_CODE_DAO_ACK)
        return fail(err, EK_ERR_UNSUPPORTED, "icmpv6.code", b->len);
    if (secure) { /* §6.1 Fig. 8 */
        const ek_rpl_security *s = &in->sec;
        if (s->kim > 3 || s->lvl > 3 || s->resvd > 7 || s->reserved > 0x7F)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.secure.lvl", b->len + 2);
        if (in->mac.len != ek_rpl_sec_mac_len(s->kim, s->lvl))
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.secure.mac", b->len);
        ek_wr_u8(b, "icmpv6.rpl.secure.flag", (uint8_t)((s->t ? 0x80 : 0) | s->reserved));
        ek_wr_u8(b, "icmpv6.rpl.secure.algorithm", s->algorithm);
        ek_wr_u8(b, "icmpv6.rpl.secure.kim", (uint8_t)(s->kim << 6 | s->resvd << 3 | s->lvl));
        ek_wr_u8(b, "icmpv6.rpl.secure.flags", s->flags);
        ek_wr_be32(b, "icmpv6.rpl.secure.counter", s->counter);
        size_t kid = ek_rpl_sec_keyid_len(s->kim, s->lvl);
        if (kid == 9)
            ek_wr_bytes(b, "icmpv6.rpl.secure.key.source", s->key_source, 8);
        if (kid >= 1)
            ek_wr_u8(b, "icmpv6.rpl.secure.key.index", s->key_index);
        if (lvl_encrypts(s->lvl)) {
            ek_wr_view(b, "icmpv6.rpl.secure.ciphertext", in->ciphertext);
            ek_wr_view(b, "icmpv6.rpl.secure.mac", in->mac);
            return ek_buf_finish(b, err);
        }
    }
    switch (base) {
    case EK_RPL_CODE_DIS:
        ek_wr_u8(b, "icmpv6.rpl.dis.flags", in->base.dis.flags);
        ek_wr_u8(b, "icmpv6.rpl.dis.reserved", in->base.dis.reserved);
        break;
    case EK_RPL_CODE_DIO: {
        const ek_rpl_dio *d = &in->base.dio;
        if (d->mop > 7 || d->prf > 7)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.dio.flag", b->len + 4);
        ek_wr_u8(b, "icmpv6.rpl.dio.instance", d->instance);
        ek_wr_u8(b, "icmpv6.rpl.dio.version", d->version);
        ek_wr_be16(b, "icmpv6.rpl.dio.rank", d->rank);
        ek_wr_u8(b, "icmpv6.rpl.dio.flag",
                 (uint8_t)((d->g ? 0x80 : 0) | (d->zero_bit ? 0x40 : 0) | d->mop << 3 | d->prf));
        ek_wr_u8(b, "icmpv6.rpl.dio.dtsn", d->dtsn);
        ek_wr_u8(b, "icmpv6.rpl.dio.flag2", d->flags);
        ek_wr_u8(b, "icmpv6.rpl.dio.reserved", d->reserved);
        ek_wr_bytes(b, "icmpv6.rpl.dio.dagid", d->dodagid, 16);
        break;
    }
    case EK_RPL_CODE_DAO: {
        const ek_rpl_dao *d = &in->base.dao;
        if (d->flags > 0x3F)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.dao.flag", b->len + 1);
        ek_wr_u8(b, "icmpv6.rpl.dao.instance", d->instance);
        ek_wr_u8(b, "icmpv6.rpl.dao.flag", (uint8_t)((d->k ? 0x80 : 0) | (d->d ? 0x40 : 0) | d->flags));
        ek_wr_u8(b, "icmpv6.rpl.dao.flag.rsv", d->reserved);
        ek_wr_u8(b, "icmpv6.rpl.dao.sequence", d->seq);
        if (d->d)
            ek_wr_bytes(b, "icmpv6.rpl.dao.dodagid", d->dodagid, 16);
        break;
    }
    default: {
        const ek_rpl_dao_ack *a = &in->base.ack;
        if (a->reserved > 0x7F)
            return fail(err, EK_ERR_MALFORMED, "icmpv6.rpl.daoack.flag", b->len + 1);
        ek_wr_u8(b, "icmpv6.rpl.daoack.instance", a->instance);
        ek_wr_u8(b, "icmpv6.rpl.daoack.flag", (uint8_t)((a->d ? 0x80 : 0) | a->reserved));
        ek_wr_u8(b, "icmpv6.rpl.daoack.sequence", a->seq);
        ek_wr_u8(b, "icmpv6.rpl.daoack.status", a->status);
        if (a->d)
            ek_wr_bytes(b, "icmpv6.rpl.daoack.dodagid", a->dodagid, 16);
        break;
    }
    }
    for (unsigned i = 0; i < in->n_opts && i < EK_RPL_MAX_OPTS; i++) {
        ek_status st = opt_encode(&in->opts[i], prof, b, err);
        if (st != EK_OK)
            return st;
    }
    if (secure)
        ek_wr_view(b, "icmpv6.rpl.secure.mac", in->mac);
    return ek_buf_finish(b, err);
}

int ek_rpl_lollipop_cmp(uint8_t a, uint8_t b)
{
    if (a == b)
        return 0;
    /* §7.2 rule 3.1: one counter in the linear region [128..255], one in [0..127]. */
    if (a >= 128 && b < 128)
        return (256 + b - a) <= EK_RPL_SEQUENCE_WINDOW ? -1 : 1;
    if (b >= 128 && a < 128)
        return (256 + a - b) <= EK_RPL_SEQUENCE_WINDOW ? 1 : -1;
    if (a >= 128) { /* rule 3.2, linear region: no wrap inside it */
        int d = (int)a - (int)b;
        if (d > EK_RPL_SEQUENCE_WINDOW || d < -EK_RPL_SEQUENCE_WINDOW)
            return EK_RPL_LOLLIPOP_INCOMPARABLE;
        return d > 0 ? 1 : -1;
    }
    /* rule 3.2, circular region: RFC 1982 serial arithmetic mod 128; the distance is
     * taken around the circle, so 2 is newer than 127 (as Contiki-NG and RIOT do). */
    unsigned d = (unsigned)(a - b) & 0x7F;
    if (d <= EK_RPL_SEQUENCE_WINDOW)
        return 1;
    if (d >= 128 - EK_RPL_SEQUENCE_WINDOW)
        return -1;
    return EK_RPL_LOLLIPOP_INCOMPARABLE;
}

const char *ek_rpl_code_name(uint8_t code)
{
    static const char *const n[] = { "DIS", "DIO", "DAO", "DAO-ACK" };
    static const char *const s[] = { "SDIS", "SDIO", "SDAO", "SDAO-ACK" };
    uint8_t base = code & 0x7F;
    if (base > 3)
        return "?";
    return (code & EK_RPL_CODE_SECURE) ? s[base] : n[base];
}
