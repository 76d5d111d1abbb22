/* SPDX-License-Identifier: BSD-3-Clause */
/* packet-enroll.c
 * Routines for 6TiSCH network enrollment control: the RFC 9032 §2 "6tisch-Join-Info"
 * IETF IE (RFC 8137 subtype 2, inside IEEE 802.15.4-2015 Enhanced Beacons) and the
 * RPL "Minimum Enrollment Priority" DIO option (draft-ietf-roll-enrollment-priority,
 * layouts of -03, -04, -09 and -16).  Hooks: docs/wireshark.md "Hooks and why".
 *
 * Out-of-tree epan plugin; follows doc/README.dissector.  Does not link the enrollkit
 * codec: only the shared wire constants of ek/consts.h are used.
 */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <epan/ipproto.h>
#include <epan/address.h>
#include <epan/dissectors/packet-ieee802154.h>

#include "ek/consts.h"
#include "enroll-compat.h"

void proto_register_enroll(void);
void proto_reg_handoff_enroll(void);

static int proto_enroll = -1;
static protocol_t *enroll_protocol; /* cached for proto_is_protocol_enabled() */

/* ---- enroll.ji.* : RFC 9032 §2 Figure 1 ---- */
static int hf_ji = -1;
static int hf_ji_profile = -1;
static int hf_ji_octets = -1;
static int hf_ji_r = -1;
static int hf_ji_p = -1;
static int hf_ji_res_lit = -1;
static int hf_ji_proxy_lit = -1;
static int hf_ji_rank_lit = -1;
static int hf_ji_res_ba = -1;
static int hf_ji_proxy_ba = -1;
static int hf_ji_rank_ba = -1;
static int hf_ji_pan = -1;
static int hf_ji_iid = -1;
static int hf_ji_netid = -1;
static int hf_ji_netid_len = -1;
static int hf_ji_dio_frame = -1;
static int hf_ji_dio_min = -1;
static int hf_6p_note = -1;

/* ---- enroll.mep.* : draft-ietf-roll-enrollment-priority ---- */
static int hf_mep = -1;
static int hf_mep_profile = -1;
static int hf_mep_type = -1;
static int hf_mep_length = -1;
static int hf_mep_r = -1;
static int hf_mep_min = -1;
static int hf_mep_version = -1;
static int hf_mep_t = -1;
static int hf_mep_exp8 = -1;
static int hf_mep_exp16 = -1;
static int hf_mep_size4 = -1;
static int hf_mep_size12 = -1;
static int hf_mep_size = -1;
static int hf_mep_trailing = -1;

static gint ett_ji = -1;
static gint ett_ji_octets = -1;
static gint ett_ietf_ie = -1;
static gint ett_ietf_tlv = -1;
static gint ett_mep = -1;

static expert_field ei_ji_length = EI_INIT;
static expert_field ei_ji_p_short = EI_INIT;
static expert_field ei_ji_netid_long = EI_INIT;
static expert_field ei_ji_reserved = EI_INIT;
static expert_field ei_ji_not_jp = EI_INIT;
static expert_field ei_ji_below_dio = EI_INIT;
static expert_field ei_mep_length = EI_INIT;
static expert_field ei_mep_erratum = EI_INIT;
static expert_field ei_mep_reserved = EI_INIT;
static expert_field ei_mep_disabled = EI_INIT;

/* Stock fields borrowed by name in the handoff (not exported as symbols). */
static int hf_wpan_pie_ietf = -1;
static int hf_wpan_pie_tlv = -1;
static int hf_wpan_pie_type = -1;
static int hf_wpan_pie_id = -1;
static int hf_wpan_pie_len = -1;
static int hf_wpan_ietf_sub_id = -1;
static int hf_icmpv6_type = -1;
static int hf_icmpv6_code = -1;
static int hf_icmpv6_rpl_opt_type = -1;
static int proto_icmpv6 = -1;

static dissector_handle_t stock_ietf_handle;
static dissector_handle_t stock_icmpv6_handle;
#ifdef ENROLL_MEP_POSTDISSECTOR
static dissector_handle_t post_handle;
#endif

/* ---- preferences ---- */
enum { MEP_DRAFT03, MEP_DRAFT04, MEP_DRAFT09, MEP_DRAFT16 };
enum { JI_LITERAL, JI_BYTE_ALIGNED };

static const enum_val_t mep_profile_vals[] = {
    { "draft-03", "draft-03 (Length 1: R | min)", MEP_DRAFT03 },
    { "draft-04", "draft-04..-07 (Length 3: exp | size12 | R | min)", MEP_DRAFT04 },
    { "draft-09", "draft-09 (Length 4: version | T min | exp | size12)", MEP_DRAFT09 },
    { "draft-16", "draft-10..-16 (Length 3: version | T min | Exp | Sz; Length 4 erratum)", MEP_DRAFT16 },
    { NULL, NULL, 0 }
};
static const enum_val_t ji_profile_vals[] = {
    { "rfc9032-literal", "RFC 9032 Figure 1 as drawn (proxy 7 bits, rank 12 bits)", JI_LITERAL },
    { "byte-aligned", "Byte-aligned (proxy in octet 2, rank 8 bits)", JI_BYTE_ALIGNED },
    { NULL, NULL, 0 }
};

static guint pref_mep_type = EK_MEP_TYPE_PROVISIONAL;
static gint pref_mep_profile = MEP_DRAFT16;
static gint pref_ji_profile = JI_LITERAL;
static guint pref_ji_subtype = EK_IETF_SUBTYPE_JOIN_INFO;
#if ENROLL_NEED_6P_RELABEL
static enroll_bool_t pref_6p_subtype1 = FALSE; /* off: see docs/wireshark.md */
#endif

/* Option data length each MEP profile needs (RFC 6550 §6.7.1: excludes Type/Length). */
static const guint mep_need[] = { EK_MEP_LEN_DRAFT03, EK_MEP_LEN_DRAFT04, EK_MEP_LEN_DRAFT09,
                                  EK_MEP_LEN_DRAFT16 };

/* ---- cross-packet state ----
 * First pass: DIOs record node (EUI-64 from the fe80::/64 IID) -> latest min priority.
 * Each EB stores what it saw, so -2, the GUI and random access give the same answer. */
typedef struct {
    guint32 frame;
    guint8 min_prio;
} enroll_dio_rec_t;

#define ENROLL_KEY_EB_XREF 1
#define ENROLL_KEY_MEP_HITS 2
#define ENROLL_MAX_HITS 8

typedef struct {
    guint n;
    struct {
        guint ds_index; /* index into pinfo->data_src */
        gint start;     /* offset of the option Type octet in that data source */
    } hit[ENROLL_MAX_HITS];
} enroll_mep_hits_t;

static wmem_map_t *dio_by_node;

/* Interface ID of a fe80::/64 network source -> EUI-64 (RFC 4291 App. A: flip U/L). */
static gboolean
node_from_net_src(const packet_info *pinfo, guint64 *eui64)
{
    const guint8 *a;
    guint64 v = 0;
    int i;

    if (pinfo->net_src.type != AT_IPv6 || pinfo->net_src.len != 16)
        return FALSE;
    a = (const guint8 *)pinfo->net_src.data;
    if (a[0] != 0xfe || (a[1] & 0xc0) != 0x80)
        return FALSE;
    for (i = 8; i < 16; i++)
        v = (v << 8) | a[i];
    *eui64 = v ^ G_GUINT64_CONSTANT(0x0200000000000000);
    return TRUE;
}

static void
record_dio(packet_info *pinfo, guint8 min_prio)
{
    guint64 node;
    enroll_dio_rec_t *rec;

    if (PINFO_FD_VISITED(pinfo) || !node_from_net_src(pinfo, &node))
        return;
    rec = (enroll_dio_rec_t *)wmem_map_lookup(dio_by_node, &node);
    if (!rec) {
        guint64 *key = wmem_new(wmem_file_scope(), guint64);
        *key = node;
        rec = wmem_new(wmem_file_scope(), enroll_dio_rec_t);
        wmem_map_insert(dio_by_node, key, rec);
    }
    rec->frame = pinfo->num;
    rec->min_prio = min_prio;
}

/* Info column text without printf: this runs for every EB/DIO even in summary mode,
 * where the plugin's cost budget is a few hundred ns per frame (docs/performance.md). */
static char *
put_hex8(char *p, guint v)
{
    static const char hx[] = "0123456789abcdef";
    *p++ = '0';
    *p++ = 'x';
    *p++ = hx[(v >> 4) & 0xF];
    *p++ = hx[v & 0xF];
    return p;
}

static void
col_append_prio(packet_info *pinfo, const char *l1, guint v1, const char *l2, guint v2)
{
    char buf[48], *p = buf;
    size_t n;

    if (!pinfo->cinfo)
        return;
    n = strlen(l1);
    memcpy(p, l1, n);
    p = put_hex8(p + n, v1);
    if (l2) {
        n = strlen(l2);
        memcpy(p, l2, n);
        p = put_hex8(p + n, v2);
    }
    *p = '\0';
    col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", buf);
}

/* ------------------------------------------------------------------------------------
 * Minimum Enrollment Priority option (draft-ietf-roll-enrollment-priority)
 * ------------------------------------------------------------------------------------ */

/* Decode one option whose Type octet is at `off` in `tvb`.  Items go under `parent`;
 * `anchor` (the stock "ICMPv6 RPL Option" node, may be NULL) gets a summary text. */
static void
add_mep_items(tvbuff_t *tvb, int off, packet_info *pinfo, proto_tree *parent, proto_item *anchor)
{
    proto_item *ti, *len_item;
    proto_tree *mt;
    guint opt_len, need, avail, min_prio = 0, r_or_t, exp = 0, code = 0;
    const guint prof = (guint)pref_mep_profile;
    const int b = off + 2; /* first data octet */

    if (tvb_captured_length_remaining(tvb, off) < 2)
        return;
    opt_len = tvb_get_uint8(tvb, off + 1);
    avail = (guint)tvb_captured_length_remaining(tvb, b);
    need = mep_need[prof];

    /* The items hang under the stock RPL option; a hidden protocol item makes the
     * protocol's own filter ("enroll") match wherever one of its fields does. */
    proto_item_set_hidden(proto_tree_add_item(parent, proto_enroll, tvb, off, MIN(2 + opt_len, 2 + avail), ENC_NA));
    ti = proto_tree_add_item(parent, hf_mep, tvb, off, MIN(2 + opt_len, 2 + avail), ENC_NA);
    mt = proto_item_add_subtree(ti, ett_mep);
    proto_item_append_text(ti, " (%s)", mep_profile_vals[prof].name);
    proto_item_set_generated(proto_tree_add_string(mt, hf_mep_profile, tvb, off, 0,
                                                   mep_profile_vals[prof].name));
    proto_tree_add_item(mt, hf_mep_type, tvb, off, 1, ENC_NA);
    len_item = proto_tree_add_item(mt, hf_mep_length, tvb, off + 1, 1, ENC_NA);

    /* The selected profile defines the layout, and Option Length (RFC 6550 §6.7.1: data
     * octets, Type and Length excluded) must be that layout's data length; -10..-16
     * §3.1's figure prints "Opt Length = 4" for its 3-octet body, so draft-16 also takes
     * 4 (the octet after the body is ignored).  The draft defines no extension area: any
     * other length, shorter or longer, is malformed and the option is ignored (no value
     * fields), as the enrollkit codec reports MALFORMED enroll.mep.length. */
    if (opt_len != need && !(prof == MEP_DRAFT16 && opt_len == EK_MEP_LEN_DRAFT16_ERRATUM)) {
        expert_add_info_format(pinfo, len_item, &ei_mep_length,
                               "Option length %u does not fit the %s layout (Length %u%s): option ignored",
                               opt_len, mep_profile_vals[prof].name, need,
                               prof == MEP_DRAFT16 ? " or 4" : "");
        if (anchor)
            proto_item_append_text(anchor, " [Minimum Enrollment Priority: bad length %u]", opt_len);
        return;
    }
    if (avail < opt_len)
        return; /* snapped: nothing more can be shown */

    switch (prof) {
    case MEP_DRAFT03: /* -03 §2: R(1) | min priority(7) */
        proto_tree_add_item(mt, hf_mep_r, tvb, b, 1, ENC_NA);
        r_or_t = tvb_get_uint8(tvb, b) >> 7;
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b, 1, ENC_NA, &min_prio);
        break;
    case MEP_DRAFT04: /* -04 §2: exp(4) | DODAG_Size(12) | R(1) | min(7) */
        proto_tree_add_item_ret_uint(mt, hf_mep_exp16, tvb, b, 2, ENC_BIG_ENDIAN, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size12, tvb, b, 2, ENC_BIG_ENDIAN, &code);
        proto_tree_add_item(mt, hf_mep_r, tvb, b + 2, 1, ENC_NA);
        r_or_t = tvb_get_uint8(tvb, b + 2) >> 7;
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 2, 1, ENC_NA, &min_prio);
        break;
    case MEP_DRAFT09: /* -09 §3.1: version(8) | T(1) min(7) | exp(4) size(12) */
        proto_tree_add_item(mt, hf_mep_version, tvb, b, 1, ENC_NA);
        proto_tree_add_item(mt, hf_mep_t, tvb, b + 1, 1, ENC_NA);
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 1, 1, ENC_NA, &min_prio);
        proto_tree_add_item_ret_uint(mt, hf_mep_exp16, tvb, b + 2, 2, ENC_BIG_ENDIAN, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size12, tvb, b + 2, 2, ENC_BIG_ENDIAN, &code);
        r_or_t = 0;
        break;
    default: /* MEP_DRAFT16, -16 §3.1: version(8) | T(1) min(7) | Exp(4) DODAGSz(4) */
        proto_tree_add_item(mt, hf_mep_version, tvb, b, 1, ENC_NA);
        proto_tree_add_item(mt, hf_mep_t, tvb, b + 1, 1, ENC_NA);
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 1, 1, ENC_NA, &min_prio);
        proto_tree_add_item_ret_uint(mt, hf_mep_exp8, tvb, b + 2, 1, ENC_NA, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size4, tvb, b + 2, 1, ENC_NA, &code);
        r_or_t = 0;
        break;
    }
    if (prof != MEP_DRAFT03)
        proto_item_set_generated(proto_tree_add_uint(mt, hf_mep_size, tvb, b, (gint)need, code << exp));

    if (opt_len > need) { /* draft-16 Length 4: the erratum octet, shown and ignored */
        proto_tree_add_item(mt, hf_mep_trailing, tvb, b + (int)need, (int)(opt_len - need), ENC_NA);
        expert_add_info(pinfo, len_item, &ei_mep_erratum);
    }
    if (r_or_t && (prof == MEP_DRAFT03 || prof == MEP_DRAFT04))
        expert_add_info(pinfo, ti, &ei_mep_reserved);
    if (min_prio == EK_MEP_PRIO_DISABLED)
        expert_add_info(pinfo, ti, &ei_mep_disabled);

    proto_item_append_text(ti, ", min=0x%02x", min_prio);
    if (anchor)
        proto_item_append_text(anchor, " [Minimum Enrollment Priority min=0x%02x]", min_prio);
    col_append_prio(pinfo, "MEP min=", min_prio, NULL, 0);
    record_dio(pinfo, (guint8)min_prio);
}

static void
add_mep_items_safe(tvbuff_t *tvb, int off, packet_info *pinfo, proto_tree *parent, proto_item *anchor)
{
    /* Items are bounds-checked above; this only keeps an unexpected exception on the
     * option, like the stock per-IE handling does, instead of losing the frame. */
    TRY {
        add_mep_items(tvb, off, pinfo, parent, anchor);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, parent, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
}

#ifdef ENROLL_MEP_POSTDISSECTOR
/* ---- hook (a), -DENROLL_MEP_POSTDISSECTOR: postdissector anchored on the stock
 *      icmpv6.rpl.opt.type nodes.  Forces a tree for every frame (docs/performance.md). ---- */

static guint
data_source_index(packet_info *pinfo, tvbuff_t *ds)
{
    guint i = 0;
    GSList *l;

    for (l = pinfo->data_src; l; l = l->next, i++)
        if (get_data_source_tvb((const struct data_source *)l->data) == ds)
            return i;
    return G_MAXUINT;
}


typedef struct {
    guint32 icmp_type, icmp_code;
    tvbuff_t *icmp_ds;
    guint n;
    proto_node *node[ENROLL_MAX_HITS];
} mep_walk_t;

static void
mep_walk(proto_node *node, gpointer data)
{
    mep_walk_t *w = (mep_walk_t *)data;
    field_info *fi = PNODE_FINFO(node);

    if (fi && fi->hfinfo && fi->ds_tvb && fi->length >= 1) {
        int id = fi->hfinfo->id;
        if (id == hf_icmpv6_type) {
            w->icmp_type = tvb_get_uint8(fi->ds_tvb, fi->start);
            w->icmp_ds = fi->ds_tvb;
        } else if (id == hf_icmpv6_code) {
            w->icmp_code = tvb_get_uint8(fi->ds_tvb, fi->start);
        } else if (id == hf_icmpv6_rpl_opt_type && w->n < ENROLL_MAX_HITS &&
                   w->icmp_ds == fi->ds_tvb && w->icmp_type == EK_ICMP6_TYPE_RPL &&
                   (w->icmp_code & ~(guint32)EK_RPL_CODE_SECURE) == EK_RPL_CODE_DIO &&
                   tvb_get_uint8(fi->ds_tvb, fi->start) == pref_mep_type) {
            w->node[w->n++] = node;
        }
    }
    proto_tree_children_foreach(node, mep_walk, data);
}

static int
dissect_enroll_post(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    mep_walk_t w;
    enroll_mep_hits_t *hits;
    guint i;

    if (pref_mep_type == 0 || !proto_is_frame_protocol(pinfo->layers, "icmpv6"))
        return 0;

    memset(&w, 0, sizeof w);
    if (tree)
        proto_tree_children_foreach(tree, mep_walk, &w);

    if (w.n > 0) {
        if (!PINFO_FD_VISITED(pinfo)) {
            /* Wanted hfids are primed on the first pass only: remember where the options
             * are so later passes (tshark -2, GUI filters) can decode them without. */
            hits = wmem_new0(wmem_file_scope(), enroll_mep_hits_t);
            for (i = 0; i < w.n; i++) {
                field_info *fi = PNODE_FINFO(w.node[i]);
                hits->hit[hits->n].ds_index = data_source_index(pinfo, fi->ds_tvb);
                hits->hit[hits->n].start = fi->start;
                hits->n++;
            }
            p_add_proto_data(wmem_file_scope(), pinfo, proto_enroll, ENROLL_KEY_MEP_HITS, hits);
        }
        for (i = 0; i < w.n; i++) {
            field_info *fi = PNODE_FINFO(w.node[i]);
            proto_node *opt = w.node[i]->parent;
            add_mep_items_safe(fi->ds_tvb, fi->start, pinfo, (proto_tree *)opt, (proto_item *)opt);
        }
        return tvb_captured_length(tvb);
    }

    hits = (enroll_mep_hits_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_enroll,
                                                 ENROLL_KEY_MEP_HITS);
    if (!hits)
        return 0;
    for (i = 0; i < hits->n; i++) {
        GSList *l = g_slist_nth(pinfo->data_src, hits->hit[i].ds_index);
        tvbuff_t *ds = l ? get_data_source_tvb((const struct data_source *)l->data) : NULL;
        if (ds && tvb_bytes_exist(ds, hits->hit[i].start, 2) &&
            tvb_get_uint8(ds, hits->hit[i].start) == pref_mep_type)
            add_mep_items_safe(ds, hits->hit[i].start, pinfo, tree, NULL);
    }
    return tvb_captured_length(tvb);
}

static void
update_wanted_hfids(void)
{
    GArray *wanted = NULL;

    if (!post_handle)
        return;
    if (pref_mep_type != 0 && hf_icmpv6_type >= 0 && hf_icmpv6_code >= 0 &&
        hf_icmpv6_rpl_opt_type >= 0) {
        wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), 3);
        g_array_append_val(wanted, hf_icmpv6_type);
        g_array_append_val(wanted, hf_icmpv6_code);
        g_array_append_val(wanted, hf_icmpv6_rpl_opt_type);
    }
    set_postdissector_wanted_hfids(post_handle, wanted); /* takes ownership; NULL clears */
}

#else /* !ENROLL_MEP_POSTDISSECTOR: the default hook */
/* ---- hook (b), default: ip.proto 58 wrapper: stock ICMPv6 first, then our own option walk.
 *      Handle with protocol -1 and its own name/description: no layer in frame.protocols,
 *      no Decode As name clash (docs/wireshark.md "Hooks and why"). ---- */

typedef struct {
    tvbuff_t *ds;
    gint start;
    proto_node *found;
} mep_find_t;

static void
mep_find(proto_node *node, gpointer data)
{
    mep_find_t *f = (mep_find_t *)data;
    field_info *fi = PNODE_FINFO(node);

    if (f->found)
        return;
    if (fi && fi->hfinfo && fi->hfinfo->id == hf_icmpv6_rpl_opt_type && fi->ds_tvb == f->ds &&
        fi->start == f->start) {
        f->found = node;
        return;
    }
    proto_tree_children_foreach(node, mep_find, data);
}

static int mep_after_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int ret);

static int
dissect_icmpv6_wrap(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    volatile int ret = 0;
    volatile gboolean threw = FALSE;
    volatile unsigned long exc_code = 0;
    const char *volatile exc_msg = NULL;
    int out;

    /* Stock ICMPv6 first.  It may throw part-way (e.g. a Secure DIO's trailing MAC parsed as
     * an option): keep the exception, still decode our option, then rethrow it so the stock
     * "Malformed" marker appears exactly as without the plugin. */
    TRY {
        ret = call_dissector_with_data(stock_icmpv6_handle, tvb, pinfo, tree, data);
    }
    CATCH_NONFATAL_ERRORS {
        threw = TRUE;
        exc_code = EXCEPT_CODE;
        exc_msg = GET_MESSAGE ? wmem_strdup(pinfo->pool, GET_MESSAGE) : NULL;
    }
    ENDTRY;

    out = mep_after_icmpv6(tvb, pinfo, tree, ret);
    if (threw)
        THROW_MESSAGE(exc_code, exc_msg);
    return out;
}

static int
mep_after_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int ret)
{
    guint type, code, len, end, off;
    proto_node *icmp_node = NULL;

    if (pref_mep_type == 0 || !proto_is_protocol_enabled(enroll_protocol) ||
        tvb_captured_length(tvb) < 4)
        return ret;
    type = tvb_get_uint8(tvb, 0);
    code = tvb_get_uint8(tvb, 1);
    if (type != EK_ICMP6_TYPE_RPL || (code & ~(guint)EK_RPL_CODE_SECURE) != EK_RPL_CODE_DIO)
        return ret;
    len = tvb_captured_length(tvb);
    end = tvb_reported_length(tvb);
    off = 4;
    if (code & EK_RPL_CODE_SECURE) {
        /* RFC 6550 §6.1 Fig. 8 Security section: T|res, Algorithm, KIM|res|LVL, Flags,
         * Counter(4), Key Identifier (Fig. 10: KIM 0 -> 1, 2 -> 9, 1 and unencrypted 3 -> 0);
         * the MAC (KIM 0-2: 4/8) or signature (KIM 3: 384/256) trails the message. */
        guint kim, lvl, kid, mac;
        if (len < off + 4)
            return ret;
        kim = (tvb_get_uint8(tvb, off + 2) >> 6) & 3;
        lvl = tvb_get_uint8(tvb, off + 2) & 7;
        if (lvl & 1 || lvl > 3)
            return ret; /* ENC-* (options encrypted) or unassigned level */
        kid = kim == 0 ? 1 : kim == 2 ? 9 : 0;
        mac = kim == 3 ? (lvl == 0 ? 384 : 256) : (lvl == 0 ? 4 : 8);
        off += 8 + kid;
        end = end > mac ? end - mac : 0;
    }
    off += 24; /* RFC 6550 §6.3.1 DIO base: instance, version, rank(2), G|MOP|Prf, DTSN,
                  flags, reserved, DODAGID(16) */
    if (end > len)
        end = len;
    if (tree) {
        /* The stock ICMPv6 item is the last child of the tree it was handed. */
        proto_node *c;
        for (c = ((proto_node *)tree)->first_child; c; c = c->next)
            if (PNODE_FINFO(c) && PNODE_FINFO(c)->hfinfo && PNODE_FINFO(c)->hfinfo->id == proto_icmpv6)
                icmp_node = c;
    }
    while (off < end) {
        guint ot = tvb_get_uint8(tvb, off), ol;
        if (ot == EK_RPL_OPT_PAD1) { /* RFC 6550 §6.7.2: a single octet */
            off++;
            continue;
        }
        if (off + 2 > end)
            break;
        ol = tvb_get_uint8(tvb, off + 1);
        if (off + 2 + ol > end)
            break; /* runs past the message or the captured data (RFC 6550 §6.7.1): stock
                      ICMPv6 reports it; no Length verdict, as in the codec */
        if (ot == pref_mep_type) {
            mep_find_t f = { tvb_get_ds_tvb(tvb), tvb_raw_offset(tvb) + (gint)off, NULL };
            if (icmp_node)
                proto_tree_children_foreach(icmp_node, mep_find, &f);
            if (f.found && f.found->parent)
                add_mep_items_safe(tvb, (int)off, pinfo, (proto_tree *)f.found->parent,
                                   (proto_item *)f.found->parent);
            else
                add_mep_items_safe(tvb, (int)off, pinfo, icmp_node ? (proto_tree *)icmp_node : tree, NULL);
        }
        off += 2 + ol;
    }
    return ret;
}
#endif /* ENROLL_MEP_POSTDISSECTOR */

/* ------------------------------------------------------------------------------------
 * RFC 9032 Join-Info, via a wrapper on wpan.payload_ie key 5 (IETF IE, RFC 8137 §5)
 * ------------------------------------------------------------------------------------ */

static void
dissect_join_info(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ie_item,
                  const ieee802154_packet *pkt)
{
    /* tvb starts at the Subtype octet (RFC 9032 §2 Figure 1). */
    static int *const lit_fields[] = { &hf_ji_r, &hf_ji_p, &hf_ji_res_lit, &hf_ji_proxy_lit,
                                       &hf_ji_rank_lit, NULL };
    static int *const ba_fields[] = { &hf_ji_r, &hf_ji_p, &hf_ji_res_ba, &hf_ji_proxy_ba,
                                      &hf_ji_rank_ba, NULL };
    const guint len = tvb_reported_length(tvb);
    proto_item *ti, *oi;
    proto_tree *jt;
    guint32 w, p, res, proxy, rank, pan, n, off;
    const gboolean lit = pref_ji_profile == JI_LITERAL;

    proto_item_set_hidden(proto_tree_add_item(tree, proto_enroll, tvb, 0, -1, ENC_NA)); /* "enroll" filter */
    ti = proto_tree_add_item(tree, hf_ji, tvb, 0, -1, ENC_NA);
    jt = proto_item_add_subtree(ti, ett_ji);
    proto_item_set_generated(proto_tree_add_string(jt, hf_ji_profile, tvb, 0, 0,
                                                   ji_profile_vals[pref_ji_profile].name));
    /* RFC 9032 §2: the content (Subtype octet included) is 5 + 8*P + N octets with a
     * network ID of N <= 16 octets.  Any other length is malformed and the IE is
     * ignored: no value fields, only the expert item (the enrollkit codec decodes no
     * Join-Info either and reports the error field named with each item below). */
    /* Content not all there (captured short, or the IE Length runs past the frame,
     * IEEE 802.15.4-2015 §7.4.3): its length cannot be judged and no value is shown,
     * as in the codec, which reports only the IE overrun (wpan.payload_ie.len). */
    if ((guint)tvb_captured_length(tvb) < len)
        return;
    if (len < EK_JI_MIN_LEN) { /* codec: enroll.ji.flags / enroll.ji.pan_priority */
        expert_add_info_format(pinfo, ti, &ei_ji_length,
                               "Join Info content is %u octet(s); RFC 9032 §2 needs 5 + 8*P + N (N <= 16)",
                               len);
        return;
    }
    p = (tvb_get_uint8(tvb, 1) >> 6) & 1;
    if (p && len < EK_JI_MIN_LEN + EK_JI_IID_LEN) { /* codec: enroll.ji.join_proxy_iid */
        expert_add_info_format(pinfo, ti, &ei_ji_p_short,
                               "P=1 but only %u of the 8 Join Proxy IID octets are present",
                               len - EK_JI_MIN_LEN);
        return;
    }
    n = len - EK_JI_MIN_LEN - (p ? EK_JI_IID_LEN : 0);
    if (n > EK_JI_NETID_MAX) { /* codec: enroll.ji.network_id */
        expert_add_info_format(pinfo, ti, &ei_ji_netid_long,
                               "Network ID is %u octets; RFC 9032 §2 allows up to 16 (length must be 5 + 8*P + N)",
                               n);
        return;
    }
    /* Octets 1-3: MSB-first bit fields, split per the selected reading of Figure 1. */
    w = tvb_get_ntoh24(tvb, 1);
    if (lit) {
        res = (w >> 19) & 0x7;
        proxy = (w >> 12) & 0x7F;
        rank = w & 0xFFF;
    } else {
        res = (w >> 15) & 0x7F;
        proxy = (w >> 8) & 0x7F;
        rank = w & 0xFF;
    }
    oi = proto_tree_add_bitmask_with_flags(jt, tvb, 1, hf_ji_octets, ett_ji_octets,
                                           lit ? lit_fields : ba_fields, ENC_BIG_ENDIAN, BMT_NO_APPEND);
    proto_tree_add_item_ret_uint(jt, hf_ji_pan, tvb, 4, 1, ENC_NA, &pan);
    off = EK_JI_MIN_LEN;
    if (res)
        expert_add_info_format(pinfo, oi, &ei_ji_reserved,
                               "Reserved bits set (0x%x): MUST be ignored on receipt (RFC 9032 §2)", res);
    if (p) {
        proto_tree_add_item(jt, hf_ji_iid, tvb, (int)off, EK_JI_IID_LEN, ENC_NA);
        off += EK_JI_IID_LEN;
    }
    proto_item_set_generated(proto_tree_add_uint(jt, hf_ji_netid_len, tvb, (int)off, 0, n));
    if (n > 0)
        proto_tree_add_item(jt, hf_ji_netid, tvb, (int)off, (int)n, ENC_NA);

    if (proxy == EK_JI_PROXY_NOT_JP)
        expert_add_info(pinfo, ti, &ei_ji_not_jp);

    /* Cross-packet: the node's own latest DIO sets the base of its proxy priority
     * (draft-ietf-roll-enrollment-priority-16 §3.2: JP value = min priority + local cost). */
    if (pkt && pkt->src_addr_mode == IEEE802154_FCF_ADDR_EXT) {
        enroll_dio_rec_t *seen = (enroll_dio_rec_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_enroll,
                                                                     ENROLL_KEY_EB_XREF);
        if (!PINFO_FD_VISITED(pinfo) && !seen) { /* first pass: snapshot the latest DIO */
            guint64 node = pkt->src64;
            enroll_dio_rec_t *rec = (enroll_dio_rec_t *)wmem_map_lookup(dio_by_node, &node);
            static enroll_dio_rec_t none; /* shared "no DIO seen" (frame 0), saves an allocation */
            if (rec) {
                seen = wmem_new(wmem_file_scope(), enroll_dio_rec_t);
                *seen = *rec;
            } else {
                seen = &none;
            }
            p_add_proto_data(wmem_file_scope(), pinfo, proto_enroll, ENROLL_KEY_EB_XREF, seen);
        }
        if (seen && seen->frame) {
            proto_item *fi = proto_tree_add_uint(jt, hf_ji_dio_frame, tvb, 0, 0, seen->frame);
            proto_item_set_generated(fi);
            proto_item_set_generated(proto_tree_add_uint(jt, hf_ji_dio_min, tvb, 0, 0, seen->min_prio));
            if (proxy < seen->min_prio)
                expert_add_info_format(pinfo, ti, &ei_ji_below_dio,
                                       "Proxy priority 0x%02x is below the minimum enrollment priority 0x%02x "
                                       "this node advertised in its DIO in frame %u",
                                       proxy, seen->min_prio, seen->frame);
        }
    }

    proto_item_append_text(ti, ": proxy=0x%02x rank=0x%x pan=0x%02x", proxy, rank, pan);
    if (ie_item)
        proto_item_append_text(ie_item, ", Join Info proxy=0x%02x", proxy);
    col_append_prio(pinfo, "JoinInfo proxy=", proxy, " pan=", pan);
}

/* Draw the IETF IE container the way stock ieee802154_create_pie_tree() does, with the
 * borrowed stock fields, so wpan.payload_ie.* and wpan.ietf_ie.sub_id keep working. */
static proto_tree *
draw_ietf_container(tvbuff_t *tvb, proto_tree *ies_tree, proto_item **item_out)
{
    static int *tlv_fields[] = { &hf_wpan_pie_type, &hf_wpan_pie_id, &hf_wpan_pie_len, NULL };
    proto_item *ti = proto_tree_add_item(ies_tree, hf_wpan_pie_ietf, tvb, 0, -1, ENC_NA);
    proto_tree *t = proto_item_add_subtree(ti, ett_ietf_ie);

    proto_tree_add_bitmask_with_flags(t, tvb, 0, hf_wpan_pie_tlv, ett_ietf_tlv, tlv_fields,
                                      ENC_LITTLE_ENDIAN, BMT_NO_FLAGS);
    proto_item_append_text(proto_tree_get_parent(ies_tree), ", IETF Payload IE");
    proto_tree_add_item(t, hf_wpan_ietf_sub_id, tvb, 2, 1, ENC_NA);
    *item_out = ti;
    return t;
}

#if ENROLL_NEED_6P_RELABEL
static void
hide_stock_header(proto_node *node, gpointer data _U_)
{
    field_info *fi = PNODE_FINFO(node);
    if (fi && fi->hfinfo && (fi->hfinfo->id == hf_wpan_pie_tlv || fi->hfinfo->id == hf_wpan_ietf_sub_id))
        proto_item_set_hidden((proto_item *)node);
}

/* RFC 8480 6P uses sub-ID 1; 4.0 only decodes the pre-RFC 0xC9.  Hand the stock 6top code a
 * relabelled copy (its own data source), drawn inside our container with the real Sub-ID. */
static int
dissect_6p_relabel(tvbuff_t *tvb, packet_info *pinfo, proto_tree *ies_tree, void *data)
{
    const guint len = tvb_captured_length(tvb);
    guint8 *copy = (guint8 *)tvb_memdup(pinfo->pool, tvb, 0, len);
    tvbuff_t *ctvb;
    proto_item *ie_item, *note;
    proto_tree *t = draw_ietf_container(tvb, ies_tree, &ie_item);
    proto_node *last;

    copy[2] = EK_IETF_SUBTYPE_6TOP_DRAFT;
    ctvb = tvb_new_child_real_data(tvb, copy, len, tvb_reported_length(tvb));
    add_new_data_source(pinfo, ctvb, "6P IE (sub-ID 1 relabelled 0xC9)");
    note = proto_tree_add_item(t, hf_6p_note, tvb, 2, 1, ENC_NA);
    proto_item_set_generated(note);
    call_dissector_with_data(stock_ietf_handle, ctvb, pinfo, t, data);
    /* The stock container it drew is our last child: keep only its 6top subtree visible. */
    for (last = ((proto_node *)t)->first_child; last && last->next; last = last->next)
        ;
    if (last && PNODE_FINFO(last) && PNODE_FINFO(last)->hfinfo &&
        PNODE_FINFO(last)->hfinfo->id == hf_wpan_pie_ietf) {
        proto_item_set_text((proto_item *)last, "6P (RFC 8480) via the stock 6top dissector");
        proto_tree_children_foreach(last, hide_stock_header, NULL);
    }
    return (int)tvb_reported_length(tvb);
}
#endif

static int
dissect_ietf_ie_wrap(tvbuff_t *tvb, packet_info *pinfo, proto_tree *ies_tree, void *data)
{
    /* tvb = 2-octet payload IE descriptor + Sub-ID + content (packet-ieee802154.c
     * dissect_ieee802154_payload_ie builds it so; RFC 8137 §4). */
    const guint len = tvb_reported_length(tvb);
    guint8 sub;
    proto_item *ie_item;
    proto_tree *t;

    if (len < 3 || tvb_captured_length(tvb) < 3 || !proto_is_protocol_enabled(enroll_protocol))
        return call_dissector_with_data(stock_ietf_handle, tvb, pinfo, ies_tree, data);
    sub = tvb_get_uint8(tvb, 2);
#if ENROLL_NEED_6P_RELABEL
    if (sub == EK_IETF_SUBTYPE_6P && pref_6p_subtype1 && pref_ji_subtype != EK_IETF_SUBTYPE_6P &&
        tvb_captured_length(tvb) == len && len >= 2 + 5)
        return dissect_6p_relabel(tvb, pinfo, ies_tree, data);
#endif
    if (sub != pref_ji_subtype || hf_wpan_pie_ietf < 0 || hf_wpan_pie_tlv < 0 || hf_wpan_ietf_sub_id < 0)
        return call_dissector_with_data(stock_ietf_handle, tvb, pinfo, ies_tree, data);

    t = draw_ietf_container(tvb, ies_tree, &ie_item);
    /* No TRY here: dissect_ieee802154_payload_ie() catches exceptions per IE. */
    dissect_join_info(tvb_new_subset_remaining(tvb, 2), pinfo, t, ie_item, (const ieee802154_packet *)data);
    return (int)len;
}

/* ------------------------------------------------------------------------------------ */

static void
enroll_prefs_apply(void)
{
    if (pref_mep_type > 0xFF)
        pref_mep_type = EK_MEP_TYPE_PROVISIONAL;
    if (pref_ji_subtype > 0xFF)
        pref_ji_subtype = EK_IETF_SUBTYPE_JOIN_INFO;
#ifdef ENROLL_MEP_POSTDISSECTOR
    update_wanted_hfids();
#endif
}

void
proto_register_enroll(void)
{
    static hf_register_info hf[] = {
        /* RFC 9032 §2 */
        { &hf_ji, { "6TiSCH Join Info (RFC 9032)", "enroll.ji", FT_NONE, BASE_NONE, NULL, 0x0,
                    "6tisch-Join-Info IETF IE subtype (Enrollment IE)", HFILL } },
        { &hf_ji_profile, { "Decoded with profile", "enroll.ji.profile", FT_STRING, BASE_NONE, NULL, 0x0,
                            "enroll.ji_profile preference in effect", HFILL } },
        { &hf_ji_octets, { "Flags and priorities", "enroll.ji.octets", FT_UINT24, BASE_HEX, NULL, 0x0,
                           "Raw octets 1-3 (R, P, res, proxy priority, rank priority)", HFILL } },
        { &hf_ji_r, { "R (router for SLAAC hosts)", "enroll.ji.r", FT_BOOLEAN, 24, NULL, 0x800000,
                      NULL, HFILL } },
        { &hf_ji_p, { "P (Join Proxy IID present)", "enroll.ji.p", FT_BOOLEAN, 24, NULL, 0x400000,
                      NULL, HFILL } },
        { &hf_ji_res_lit, { "Reserved", "enroll.ji.reserved", FT_UINT24, BASE_HEX, NULL, 0x380000,
                            NULL, HFILL } },
        { &hf_ji_proxy_lit, { "Proxy priority", "enroll.ji.proxy_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                              0x07F000, "Willingness to act as Join Proxy; 0x7f = never", HFILL } },
        { &hf_ji_rank_lit, { "Rank priority", "enroll.ji.rank_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                             0x000FFF, NULL, HFILL } },
        { &hf_ji_res_ba, { "Reserved", "enroll.ji.reserved", FT_UINT24, BASE_HEX, NULL, 0x3F8000,
                           NULL, HFILL } },
        { &hf_ji_proxy_ba, { "Proxy priority", "enroll.ji.proxy_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                             0x007F00, "Willingness to act as Join Proxy; 0x7f = never", HFILL } },
        { &hf_ji_rank_ba, { "Rank priority", "enroll.ji.rank_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                            0x0000FF, NULL, HFILL } },
        { &hf_ji_pan, { "PAN priority", "enroll.ji.pan_priority", FT_UINT8, BASE_DEC_HEX, NULL, 0x0,
                        NULL, HFILL } },
        { &hf_ji_iid, { "Join Proxy Interface ID", "enroll.ji.join_proxy_iid", FT_BYTES, BASE_NONE, NULL, 0x0,
                        "IID of the Join Proxy's fe80::/64 address (present if P=1)", HFILL } },
        { &hf_ji_netid, { "Network ID", "enroll.ji.network_id", FT_BYTES, BASE_NONE, NULL, 0x0,
                          NULL, HFILL } },
        { &hf_ji_netid_len, { "Network ID length", "enroll.ji.network_id_len", FT_UINT32, BASE_DEC, NULL, 0x0,
                              NULL, HFILL } },
        { &hf_ji_dio_frame, { "Own DIO in frame", "enroll.ji.dio_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
                              "Latest earlier DIO from this node (fe80:: IID matched to the EB source)", HFILL } },
        { &hf_ji_dio_min, { "Min priority in own DIO", "enroll.ji.dio_min_priority", FT_UINT8, BASE_DEC_HEX,
                            NULL, 0x0, NULL, HFILL } },
        { &hf_6p_note, { "Sub-ID 1 is 6P (RFC 8480)", "enroll.ietf_6p", FT_UINT8, BASE_DEC, NULL, 0x0,
                         "Decoded by the stock 6top dissector from a copy relabelled 0xC9", HFILL } },

        /* draft-ietf-roll-enrollment-priority */
        { &hf_mep, { "Minimum Enrollment Priority", "enroll.mep", FT_NONE, BASE_NONE, NULL, 0x0,
                     "RPL DIO option (draft-ietf-roll-enrollment-priority)", HFILL } },
        { &hf_mep_profile, { "Decoded with profile", "enroll.mep.profile", FT_STRING, BASE_NONE, NULL, 0x0,
                             "enroll.mep_profile preference in effect", HFILL } },
        { &hf_mep_type, { "Type", "enroll.mep.type", FT_UINT8, BASE_DEC_HEX, NULL, 0x0,
                          "Option type (TBD01; enroll.mep_option_type)", HFILL } },
        { &hf_mep_length, { "Length", "enroll.mep.length", FT_UINT8, BASE_DEC, NULL, 0x0,
                            "Option data length (RFC 6550 §6.7.1)", HFILL } },
        { &hf_mep_r, { "R (reserved)", "enroll.mep.r", FT_BOOLEAN, 8, NULL, 0x80, NULL, HFILL } },
        { &hf_mep_min, { "Min priority", "enroll.mep.min_priority", FT_UINT8, BASE_DEC_HEX, NULL, 0x7F,
                         "Minimum enrollment priority; 0x7f = enrollment disabled", HFILL } },
        { &hf_mep_version, { "Version", "enroll.mep.version", FT_UINT8, BASE_DEC, NULL, 0x0,
                             "Lollipop version (RFC 6550 §7.2)", HFILL } },
        { &hf_mep_t, { "T (reset Trickle)", "enroll.mep.t", FT_BOOLEAN, 8, NULL, 0x80, NULL, HFILL } },
        { &hf_mep_exp8, { "Exp", "enroll.mep.exp", FT_UINT8, BASE_DEC, NULL, 0xF0, NULL, HFILL } },
        { &hf_mep_exp16, { "Exp", "enroll.mep.exp", FT_UINT16, BASE_DEC, NULL, 0xF000, NULL, HFILL } },
        { &hf_mep_size4, { "DODAGSz", "enroll.mep.dodag_size_code", FT_UINT8, BASE_DEC, NULL, 0x0F,
                           NULL, HFILL } },
        { &hf_mep_size12, { "DODAG_Size", "enroll.mep.dodag_size_code", FT_UINT16, BASE_DEC, NULL, 0x0FFF,
                            NULL, HFILL } },
        { &hf_mep_size, { "DODAG size", "enroll.mep.dodag_size", FT_UINT32, BASE_DEC, NULL, 0x0,
                          "DODAG size = size code * 2^Exp", HFILL } },
        { &hf_mep_trailing, { "Trailing octets", "enroll.mep.trailing", FT_BYTES, BASE_NONE, NULL, 0x0,
                              "Length 4 under draft-16: the octet after the 3-octet body (ignored)", HFILL } },
    };
    static gint *ett[] = { &ett_ji, &ett_ji_octets, &ett_ietf_ie, &ett_ietf_tlv, &ett_mep };
    static ei_register_info ei[] = {
        { &ei_ji_length, { "enroll.ji.length_bad", PI_MALFORMED, PI_ERROR,
                           "Join Info length is not 5 + 8*P + N (N <= 16)", EXPFILL } },
        { &ei_ji_p_short, { "enroll.ji.iid_short", PI_MALFORMED, PI_ERROR,
                            "P=1 without the 8 Join Proxy IID octets", EXPFILL } },
        { &ei_ji_netid_long, { "enroll.ji.network_id_long", PI_MALFORMED, PI_ERROR,
                               "Network ID longer than 16 octets", EXPFILL } },
        { &ei_ji_reserved, { "enroll.ji.reserved_set", PI_PROTOCOL, PI_WARN,
                             "Reserved bits set", EXPFILL } },
        { &ei_ji_not_jp, { "enroll.ji.not_join_proxy", PI_PROTOCOL, PI_NOTE,
                           "Proxy priority 0x7f: not a Join Proxy", EXPFILL } },
        { &ei_ji_below_dio, { "enroll.ji.below_dio_min", PI_SEQUENCE, PI_WARN,
                              "Proxy priority below the node's own DIO minimum enrollment priority", EXPFILL } },
        { &ei_mep_length, { "enroll.mep.length_bad", PI_MALFORMED, PI_ERROR,
                            "Option length does not fit the selected profile: option ignored", EXPFILL } },
        { &ei_mep_erratum, { "enroll.mep.length_erratum", PI_PROTOCOL, PI_NOTE,
                             "Length 4 with the draft-16 layout: the -10..-16 \"Opt Length = 4\" erratum "
                             "(body is 3 octets; 1 trailing octet)", EXPFILL } },
        { &ei_mep_reserved, { "enroll.mep.reserved_set", PI_PROTOCOL, PI_WARN,
                              "Reserved bit R set (SHOULD be 0, MUST be ignored)", EXPFILL } },
        { &ei_mep_disabled, { "enroll.mep.disabled", PI_PROTOCOL, PI_NOTE,
                              "Min priority 0x7f: enrollment disabled", EXPFILL } },
    };
    module_t *m;
    expert_module_t *em;

    proto_enroll = proto_register_protocol("6TiSCH Network Enrollment Control", "Enroll", "enroll");
    enroll_protocol = find_protocol_by_id(proto_enroll);
    proto_register_field_array(proto_enroll, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto_enroll);
    expert_register_field_array(em, ei, array_length(ei));

    m = prefs_register_protocol(proto_enroll, enroll_prefs_apply);
    prefs_register_uint_preference(m, "mep_option_type", "MEP RPL option type",
                                   "RPL control message option type of the Minimum Enrollment Priority option. "
                                   "IANA has not assigned one (TBD01): the default 0x2A is enrollkit's "
                                   "provisional value. 0 turns the option decoding off.",
                                   16, &pref_mep_type);
    prefs_register_enum_preference(m, "mep_profile", "MEP option layout",
                                   "Draft revision whose layout is used; lengths that do not fit are flagged, "
                                   "never guessed", &pref_mep_profile, mep_profile_vals, FALSE);
    prefs_register_enum_preference(m, "ji_profile", "Join Info bit layout",
                                   "Reading of RFC 9032 Figure 1 for octets 1-3", &pref_ji_profile,
                                   ji_profile_vals, FALSE);
    prefs_register_uint_preference(m, "ji_subtype", "Join Info IETF IE subtype",
                                   "IETF IE Sub-ID of 6tisch-Join-Info (RFC 9032 §5: 2)", 10, &pref_ji_subtype);
#if ENROLL_NEED_6P_RELABEL
    prefs_register_bool_preference(m, "decode_6p_subtype1", "Decode 6P sub-ID 1 with the stock 6top dissector",
                                   "This Wireshark only decodes the pre-RFC sub-ID 0xC9; decode RFC 8480 "
                                   "sub-ID 1 by handing it a relabelled copy. The copy's header fields stay "
                                   "in the tree as hidden items (wpan.ietf_ie.sub_id 201), hence off by default", &pref_6p_subtype1);
#endif

#ifdef ENROLL_MEP_POSTDISSECTOR
    post_handle = register_dissector("enroll_post", dissect_enroll_post, proto_enroll);
    register_postdissector(post_handle);
#endif
    dio_by_node = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash, g_int64_equal);
}

void
proto_reg_handoff_enroll(void)
{
    dissector_table_t pie = find_dissector_table(IEEE802154_PAYLOAD_IE_DTABLE);

    hf_wpan_pie_ietf = proto_registrar_get_id_byname("wpan.payload_ie.ietf");
    hf_wpan_pie_tlv = proto_registrar_get_id_byname("wpan.payload_ie_tlv");
    hf_wpan_pie_type = proto_registrar_get_id_byname("wpan.payload_ie.type");
    hf_wpan_pie_id = proto_registrar_get_id_byname("wpan.payload_ie.id");
    hf_wpan_pie_len = proto_registrar_get_id_byname("wpan.payload_ie.length");
    hf_wpan_ietf_sub_id = proto_registrar_get_id_byname("wpan.ietf_ie.sub_id");
    hf_icmpv6_type = proto_registrar_get_id_byname("icmpv6.type");
    hf_icmpv6_code = proto_registrar_get_id_byname("icmpv6.code");
    hf_icmpv6_rpl_opt_type = proto_registrar_get_id_byname("icmpv6.rpl.opt.type");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");

    /* Plugin handoffs run after the built-in ones, so the stock entry is there to wrap.
     * Protocol -1: disabling "enroll" must not remove the IETF IE entry (and 6top with it);
     * the wrapper checks proto_is_protocol_enabled() itself. */
    if (pie && hf_wpan_pie_type >= 0 && hf_wpan_pie_id >= 0 && hf_wpan_pie_len >= 0) {
        stock_ietf_handle = dissector_get_uint_handle(pie, IEEE802154_PAYLOAD_IE_IETF);
        if (stock_ietf_handle)
            dissector_add_uint(IEEE802154_PAYLOAD_IE_DTABLE, IEEE802154_PAYLOAD_IE_IETF,
                               create_dissector_handle(dissect_ietf_ie_wrap, -1));
    }
#ifndef ENROLL_MEP_POSTDISSECTOR
    stock_icmpv6_handle = find_dissector("icmpv6");
    if (stock_icmpv6_handle && proto_icmpv6 >= 0)
        dissector_add_uint("ip.proto", IP_PROTO_ICMPV6,
                           create_dissector_handle_with_name_and_description(
                               dissect_icmpv6_wrap, -1, "enroll_icmpv6",
                               "ICMPv6 with enrollment option (enroll)"));
#else
    (void)stock_icmpv6_handle;
    update_wanted_hfids();
#endif
}
