/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9031 §8.4 CoJP objects: the Appendix A examples (bytes given by the RFC), round
 * trips with and without every optional parameter, every error path (code, field and
 * frame-absolute offset), prefix sweeps and a seeded random round trip.  Byte arrays
 * carry their RFC 8949 diagnostic notation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/cojp.h"
#include "ek_test_rng.h"

#define ORG 100 /* every decode runs at a non-zero origin: offsets are frame-absolute */

/* RFC 9031 Appendix A: {5: h'cafe'} = h'a10542cafe' (5 bytes). */
static const uint8_t rfc_jr[] = { 0xa1, 0x05, 0x42, 0xca, 0xfe };
/* RFC 9031 Appendix A: {2: [1, h'e6bf4287c2d7618d6a9687445ffd33e6'], 3: [h'af93']}
 * = h'a202820150e6bf4287c2d7618d6a9687445ffd33e6038142af93' (26 bytes). */
static const uint8_t rfc_cfg[] = { 0xa2, 0x02, 0x82, 0x01, 0x50, 0xe6, 0xbf, 0x42, 0x87, 0xc2, 0xd7, 0x61, 0x8d, 0x6a,
                                   0x96, 0x87, 0x44, 0x5f, 0xfd, 0x33, 0xe6, 0x03, 0x81, 0x42, 0xaf, 0x93 };
static const uint8_t key16[16] = { 0xe6, 0xbf, 0x42, 0x87, 0xc2, 0xd7, 0x61, 0x8d,
                                   0x6a, 0x96, 0x87, 0x44, 0x5f, 0xfd, 0x33, 0xe6 };
static const uint8_t key16b[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static bool veq(ek_view a, ek_view b) { return a.len == b.len && (!a.len || memcmp(a.p, b.p, a.len) == 0); }
static ek_view V(const void *p, size_t n) { return ek_view_make(p, n); }

/* ---- error helpers: code, field and offset ---- */

static void jr_err(const uint8_t *b, size_t n, ek_status code, const char *field, size_t off)
{
    ek_cojp_join_request jr;
    ek_err e;
    cr_assert_eq(ek_cojp_join_request_decode(V(b, n), ORG, &jr, &e), code, "status %s at %s %zu",
                 ek_status_name(e.code), e.field ? e.field : "-", e.offset);
    cr_assert_str_eq(e.field, field);
    cr_assert_eq(e.offset, off, "offset %zu != %zu (%s)", e.offset, off, field);
}

static void cfg_err(const uint8_t *b, size_t n, ek_status code, const char *field, size_t off)
{
    ek_cojp_config c;
    ek_err e;
    cr_assert_eq(ek_cojp_config_decode(V(b, n), ORG, &c, &e), code, "status %s at %s %zu",
                 ek_status_name(e.code), e.field ? e.field : "-", e.offset);
    cr_assert_str_eq(e.field, field);
    cr_assert_eq(e.offset, off, "offset %zu != %zu (%s)", e.offset, off, field);
}

static void unsup_err(const uint8_t *b, size_t n, ek_status code, const char *field, size_t off)
{
    ek_cojp_unsupported u;
    ek_err e;
    cr_assert_eq(ek_cojp_unsupported_decode(V(b, n), ORG, &u, &e), code, "status %s at %s %zu",
                 ek_status_name(e.code), e.field ? e.field : "-", e.offset);
    cr_assert_str_eq(e.field, field);
    cr_assert_eq(e.offset, off, "offset %zu != %zu (%s)", e.offset, off, field);
}

/* ==== RFC 9031 Appendix A ==== */

Test(cojp, appendix_a_join_request_decodes_with_default_role)
{
    ek_cojp_join_request jr;
    ek_err e;
    cr_assert_eq(ek_cojp_join_request_decode(V(rfc_jr, sizeof rfc_jr), ORG, &jr, &e), EK_OK);
    cr_assert_eq(e.code, EK_OK);
    cr_assert_not(jr.has_role);
    cr_assert_eq(jr.role, EK_COJP_ROLE_6TISCH_NODE); /* §8.4.1: absent = 6TiSCH Node */
    cr_assert_eq(jr.network_id.p, rfc_jr + 3);       /* a view into the input */
    cr_assert_eq(jr.network_id.len, 2);
    cr_assert_not(jr.has_unsupported);
    cr_assert_eq(jr.n_unknown, 0);
    cr_assert_eq(jr.flags, 0);
}

Test(cojp, appendix_a_join_request_encodes_to_the_rfc_bytes)
{
    ek_cojp_join_request jr = { .network_id = V(rfc_jr + 3, 2) };
    uint8_t m[16];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_join_request_encode(&jr, &b, &e), EK_OK);
    cr_assert_eq(b.len, 5);
    cr_assert_arr_eq(m, rfc_jr, 5);
    cr_assert_eq(ek_cojp_join_request_encoded_len(&jr), 5);
}

Test(cojp, appendix_a_configuration_decodes)
{
    ek_cojp_config c;
    ek_err e;
    cr_assert_eq(ek_cojp_config_decode(V(rfc_cfg, sizeof rfc_cfg), ORG, &c, &e), EK_OK);
    cr_assert(c.has_keys);
    cr_assert_eq(c.n_keys, 1);
    cr_assert_eq(c.keys[0].key_id, 1);
    cr_assert_not(c.keys[0].has_key_usage);
    cr_assert_eq(c.keys[0].key_usage, EK_COJP_KU_K1K2_ENC_MIC32); /* §8.4.3 default */
    cr_assert_eq(c.keys[0].key_value.p, rfc_cfg + 5);
    cr_assert_eq(c.keys[0].key_value.len, 16);
    cr_assert_not(c.keys[0].has_key_addinfo); /* key_id != 0: Key ID Mode 0x01 */
    cr_assert_eq(c.keys[0].offset, ORG + 3);
    cr_assert(c.has_short_id);
    cr_assert_eq(c.short_id.identifier.p, rfc_cfg + 24);
    cr_assert_not(c.short_id.has_lease_time); /* §8.4.4: infinity */
    cr_assert_not(c.has_jrc_address);
    cr_assert_not(c.has_blacklist);
    cr_assert_not(c.has_join_rate);
    cr_assert_eq(c.flags, 0);
}

Test(cojp, appendix_a_configuration_encodes_to_the_rfc_bytes)
{
    ek_cojp_config c = { 0 };
    c.has_keys = true;
    c.n_keys = 1;
    c.keys[0] = (ek_cojp_ll_key){ .key_id = 1, .key_value = V(key16, 16) };
    c.has_short_id = true;
    c.short_id.identifier = V(rfc_cfg + 24, 2);
    uint8_t m[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_OK);
    cr_assert_eq(b.len, 26);
    cr_assert_arr_eq(m, rfc_cfg, 26);
    cr_assert_eq(ek_cojp_config_encoded_len(&c), 26);
}

Test(cojp, appendix_a_objects_format_with_label_names)
{
    ek_cojp_join_request jr;
    ek_cojp_config c;
    char t[512];
    cr_assert_eq(ek_cojp_join_request_decode(V(rfc_jr, sizeof rfc_jr), 0, &jr, NULL), EK_OK);
    size_t n = ek_cojp_join_request_format(&jr, t, sizeof t);
    cr_assert_str_eq(t, "{role: 0 (6TiSCH Node) default, network_identifier: h'cafe'}");
    cr_assert_eq(n, strlen(t));
    cr_assert_eq(ek_cojp_config_decode(V(rfc_cfg, sizeof rfc_cfg), 0, &c, NULL), EK_OK);
    ek_cojp_config_format(&c, t, sizeof t);
    cr_assert_str_eq(t, "{link_layer_key_set: [{key_id: 1, key_usage: 0 (6TiSCH-K1K2-ENC-MIC32) default, "
                        "key_value: h'e6bf4287c2d7618d6a9687445ffd33e6'}], short_identifier: "
                        "{identifier: h'af93', lease_time: infinity}}");
}

Test(cojp, format_truncates_like_snprintf)
{
    ek_cojp_join_request jr;
    char t[10];
    cr_assert_eq(ek_cojp_join_request_decode(V(rfc_jr, sizeof rfc_jr), 0, &jr, NULL), EK_OK);
    size_t full = ek_cojp_join_request_format(&jr, NULL, 0);
    cr_assert_eq(ek_cojp_join_request_format(&jr, t, sizeof t), full);
    cr_assert_eq(strlen(t), 9);
    cr_assert_str_eq(t, "{role: 0 ");
}

/* ==== round trips with and without optional parameters ==== */

static void jr_roundtrip(const ek_cojp_join_request *in, const uint8_t *want, size_t want_len)
{
    uint8_t m[512];
    ek_buf b;
    ek_err e;
    ek_cojp_join_request out;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_join_request_encode(in, &b, &e), EK_OK, "%s", e.field ? e.field : "-");
    cr_assert_eq(ek_cojp_join_request_encoded_len(in), b.len);
    if (want) {
        cr_assert_eq(b.len, want_len);
        cr_assert_arr_eq(m, want, want_len);
    }
    cr_assert_eq(ek_cojp_join_request_decode(ek_buf_view(&b), 0, &out, &e), EK_OK, "%s @%zu", e.field, e.offset);
    cr_assert_eq(out.flags, 0); /* encoder output is deterministic */
    cr_assert_eq(out.has_role, in->has_role);
    cr_assert_eq(out.role, in->role);
    cr_assert(veq(out.network_id, in->network_id));
    cr_assert_eq(out.has_unsupported, in->has_unsupported);
    if (in->has_unsupported) {
        cr_assert_eq(out.unsupported.n, in->unsupported.n);
        for (unsigned i = 0; i < in->unsupported.n; i++) {
            cr_assert_eq(out.unsupported.p[i].code, in->unsupported.p[i].code);
            cr_assert_eq(out.unsupported.p[i].label, in->unsupported.p[i].label);
            cr_assert_eq(out.unsupported.p[i].addinfo_null, in->unsupported.p[i].addinfo_null);
            cr_assert(veq(out.unsupported.p[i].addinfo, in->unsupported.p[i].addinfo));
        }
    }
}

Test(cojp, join_request_roundtrip_with_role_6lbr)
{
    /* {1: 1, 5: h'cafe'} */
    static const uint8_t want[] = { 0xa2, 0x01, 0x01, 0x05, 0x42, 0xca, 0xfe };
    ek_cojp_join_request jr = { .has_role = true, .role = EK_COJP_ROLE_6LBR, .network_id = V(rfc_jr + 3, 2) };
    jr_roundtrip(&jr, want, sizeof want);
}

Test(cojp, join_request_roundtrip_with_explicit_role_0_and_empty_network_id)
{
    /* {1: 0, 5: h''} */
    static const uint8_t want[] = { 0xa2, 0x01, 0x00, 0x05, 0x40 };
    ek_cojp_join_request jr = { .has_role = true, .role = 0 };
    jr_roundtrip(&jr, want, sizeof want);
}

Test(cojp, join_request_roundtrip_with_unsupported_configuration)
{
    /* {5: h'cafe', 8: [0, 4, null, 1, 2, null, 0, 6, [h'01']]} */
    static const uint8_t addinfo[] = { 0x81, 0x41, 0x01 };
    static const uint8_t want[] = { 0xa2, 0x05, 0x42, 0xca, 0xfe, 0x08, 0x89, 0x00, 0x04, 0xf6, 0x01,
                                    0x02, 0xf6, 0x00, 0x06, 0x81, 0x41, 0x01 };
    ek_cojp_join_request jr = { .network_id = V(rfc_jr + 3, 2), .has_unsupported = true };
    jr.unsupported.n = 3;
    jr.unsupported.p[0] = (ek_cojp_unsup_param){ .code = 0, .label = 4, .addinfo_null = true };
    jr.unsupported.p[1] = (ek_cojp_unsup_param){ .code = 1, .label = 2, .addinfo_null = true };
    jr.unsupported.p[2] = (ek_cojp_unsup_param){ .code = 0, .label = 6, .addinfo = V(addinfo, 3) };
    jr_roundtrip(&jr, want, sizeof want);
}

Test(cojp, unsupported_roundtrip_negative_and_large_labels)
{
    /* [0, -1, null, 0, 70000, 1.5] - a label outside Table 5 and any addinfo */
    static const uint8_t want[] = { 0x86, 0x00, 0x20, 0xf6, 0x00, 0x1a, 0x00, 0x01, 0x11, 0x70, 0xf9, 0x3e, 0x00 };
    static const uint8_t f15[] = { 0xf9, 0x3e, 0x00 };
    ek_cojp_unsupported u = { .n = 2 };
    u.p[0] = (ek_cojp_unsup_param){ .code = 0, .label = -1, .addinfo_null = true };
    u.p[1] = (ek_cojp_unsup_param){ .code = 0, .label = 70000, .addinfo = V(f15, 3) };
    uint8_t m[32];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_unsupported_encode(&u, &b, &e), EK_OK);
    cr_assert_eq(b.len, sizeof want);
    cr_assert_arr_eq(m, want, sizeof want);
    cr_assert_eq(ek_cojp_unsupported_encoded_len(&u), sizeof want);
    ek_cojp_unsupported d;
    cr_assert_eq(ek_cojp_unsupported_decode(V(want, sizeof want), ORG, &d, &e), EK_OK);
    cr_assert_eq(d.n, 2);
    cr_assert_eq(d.p[0].label, -1);
    cr_assert_eq(d.p[0].offset, ORG + 1);
    cr_assert_eq(d.p[1].label, 70000);
    cr_assert_eq(d.p[1].offset, ORG + 4);
    cr_assert_eq(d.p[1].addinfo.p, want + 10);
    cr_assert_eq(d.p[1].addinfo.len, 3);
    cr_assert_eq(d.flags, 0);
}

static void cfg_roundtrip(const ek_cojp_config *in)
{
    uint8_t m[1024], m2[1024];
    ek_buf b, b2;
    ek_err e;
    ek_cojp_config out;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(in, &b, &e), EK_OK, "%s", e.field ? e.field : "-");
    cr_assert_eq(ek_cojp_config_encoded_len(in), b.len);
    cr_assert_eq(ek_cojp_config_decode(ek_buf_view(&b), 0, &out, &e), EK_OK, "%s @%zu", e.field, e.offset);
    cr_assert_eq(out.flags & EK_COJP_F_NOT_DETERMINISTIC, 0);
    cr_assert_eq(out.has_keys, in->has_keys);
    if (in->has_keys) {
        cr_assert_eq(out.n_keys, in->n_keys);
        for (unsigned i = 0; i < in->n_keys; i++) {
            const ek_cojp_ll_key *x = &in->keys[i], *y = &out.keys[i];
            cr_assert_eq(y->key_id, x->key_id);
            cr_assert_eq(y->has_key_usage, x->has_key_usage);
            cr_assert_eq(y->key_usage, x->key_usage);
            cr_assert(veq(y->key_value, x->key_value));
            cr_assert_eq(y->has_key_addinfo, x->has_key_addinfo);
            cr_assert(veq(y->key_addinfo, x->key_addinfo));
        }
    }
    cr_assert_eq(out.has_short_id, in->has_short_id);
    if (in->has_short_id) {
        cr_assert(veq(out.short_id.identifier, in->short_id.identifier));
        cr_assert_eq(out.short_id.has_lease_time, in->short_id.has_lease_time);
        cr_assert_eq(out.short_id.lease_time, in->short_id.lease_time);
    }
    cr_assert_eq(out.has_jrc_address, in->has_jrc_address);
    cr_assert(veq(out.jrc_address, in->jrc_address));
    cr_assert_eq(out.has_blacklist, in->has_blacklist);
    cr_assert_eq(out.n_blacklist, in->n_blacklist);
    for (unsigned i = 0; i < in->n_blacklist; i++)
        cr_assert(veq(out.blacklist[i], in->blacklist[i]));
    cr_assert_eq(out.has_join_rate, in->has_join_rate);
    cr_assert_eq(out.join_rate, in->join_rate);
    /* and encode(decode(b)) == b */
    ek_buf_init(&b2, m2, sizeof m2);
    cr_assert_eq(ek_cojp_config_encode(&out, &b2, &e), EK_OK);
    cr_assert(veq(ek_buf_view(&b2), ek_buf_view(&b)));
}

static const uint8_t jrc[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t eui[10] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01, 0x12, 0x34 };

Test(cojp, configuration_roundtrip_every_parameter)
{
    ek_cojp_config c = { 0 };
    c.has_keys = true;
    c.n_keys = 4;
    /* Key ID Mode 0x00: key_id 0, peer long+short address (10 octets), K2 MIC-64 */
    c.keys[0] = (ek_cojp_ll_key){ .key_id = 0, .has_key_usage = true, .key_usage = EK_COJP_KU_K2_MIC64,
                                  .key_value = V(key16b, 16), .has_key_addinfo = true, .key_addinfo = V(eui, 10) };
    /* Mode 0x02: 4-octet key source */
    c.keys[1] = (ek_cojp_ll_key){ .key_id = 2, .has_key_usage = true, .key_usage = EK_COJP_KU_K2_ENC_MIC128,
                                  .key_value = V(key16, 16), .has_key_addinfo = true, .key_addinfo = V(eui, 4) };
    /* Mode 0x03: 8-octet key source, usage 0 written explicitly */
    c.keys[2] = (ek_cojp_ll_key){ .key_id = 254, .has_key_usage = true, .key_usage = 0,
                                  .key_value = V(key16, 16), .has_key_addinfo = true, .key_addinfo = V(eui, 8) };
    /* Mode 0x01 */
    c.keys[3] = (ek_cojp_ll_key){ .key_id = 200, .key_value = V(key16, 16) };
    c.has_short_id = true;
    c.short_id = (ek_cojp_short_id){ .identifier = V(eui + 8, 2), .has_lease_time = true, .lease_time = 1000000 };
    c.has_jrc_address = true;
    c.jrc_address = V(jrc, 16);
    c.has_blacklist = true;
    c.n_blacklist = 2;
    c.blacklist[0] = V(eui, 8);
    c.blacklist[1] = V(eui, 0);
    c.has_join_rate = true;
    c.join_rate = 0; /* §8.4.2: 0 = drop all join traffic */
    cfg_roundtrip(&c);
}

Test(cojp, configuration_roundtrip_empty_and_single_parameters)
{
    ek_cojp_config c = { 0 };
    cfg_roundtrip(&c); /* {} */
    uint8_t m[4];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, NULL), EK_OK);
    cr_assert_eq(b.len, 1);
    cr_assert_eq(m[0], 0xa0);
    c.has_blacklist = true; /* {6: []}: zero or more */
    cfg_roundtrip(&c);
    c = (ek_cojp_config){ .has_join_rate = true, .join_rate = UINT64_MAX };
    cfg_roundtrip(&c);
    c = (ek_cojp_config){ .has_jrc_address = true, .jrc_address = V(jrc, 16) };
    cfg_roundtrip(&c);
    c = (ek_cojp_config){ .has_short_id = true, .short_id = { .identifier = V(eui + 8, 2) } };
    cfg_roundtrip(&c);
}

/* ==== decode: flags and tolerated forms ==== */

Test(cojp, indefinite_map_and_long_heads_decode_flagged_not_deterministic)
{
    /* {_ 5: h'cafe'} */
    static const uint8_t indef[] = { 0xbf, 0x05, 0x42, 0xca, 0xfe, 0xff };
    /* {5: h'cafe'} with a 1-byte length head 58 02 */
    static const uint8_t longhead[] = { 0xa1, 0x05, 0x58, 0x02, 0xca, 0xfe };
    /* {5: h'', 1: 0} keys out of order */
    static const uint8_t unsorted[] = { 0xa2, 0x05, 0x40, 0x01, 0x00 };
    /* {5: h'cafe'} with label 5 as 18 05 */
    static const uint8_t longlabel[] = { 0xa1, 0x18, 0x05, 0x42, 0xca, 0xfe };
    const uint8_t *v[] = { indef, longhead, unsorted, longlabel };
    size_t n[] = { sizeof indef, sizeof longhead, sizeof unsorted, sizeof longlabel };
    for (int i = 0; i < 4; i++) {
        ek_cojp_join_request jr;
        cr_assert_eq(ek_cojp_join_request_decode(V(v[i], n[i]), ORG, &jr, NULL), EK_OK, "case %d", i);
        cr_assert_eq(jr.flags, EK_COJP_F_NOT_DETERMINISTIC, "case %d", i);
    }
}

Test(cojp, indefinite_key_set_and_short_id_decode)
{
    /* {2: [_ 1, h'<16>'], 3: [_ h'af93', 5]} */
    uint8_t b[64];
    size_t n = 0;
    b[n++] = 0xa2;
    b[n++] = 0x02;
    b[n++] = 0x9f;
    b[n++] = 0x01;
    b[n++] = 0x50;
    memcpy(b + n, key16, 16);
    n += 16;
    b[n++] = 0xff;
    b[n++] = 0x03;
    b[n++] = 0x9f;
    b[n++] = 0x42;
    b[n++] = 0xaf;
    b[n++] = 0x93;
    b[n++] = 0x05;
    b[n++] = 0xff;
    ek_cojp_config c;
    cr_assert_eq(ek_cojp_config_decode(V(b, n), ORG, &c, NULL), EK_OK);
    cr_assert_eq(c.n_keys, 1);
    cr_assert(c.has_short_id);
    cr_assert_eq(c.short_id.lease_time, 5);
    cr_assert_eq(c.flags, EK_COJP_F_NOT_DETERMINISTIC);
}

Test(cojp, unknown_labels_are_kept_and_diagnosed_as_unsupported)
{
    /* {5: h'', 9: [1, 2, 3], -3: "a"} */
    static const uint8_t b[] = { 0xa3, 0x05, 0x40, 0x09, 0x83, 0x01, 0x02, 0x03, 0x22, 0x61, 0x61 };
    ek_cojp_join_request jr;
    cr_assert_eq(ek_cojp_join_request_decode(V(b, sizeof b), ORG, &jr, NULL), EK_OK);
    cr_assert_eq(jr.n_unknown, 2);
    cr_assert_eq(jr.unknown[0].label, 9);
    cr_assert_eq(jr.unknown[0].offset, ORG + 3);
    cr_assert_eq(jr.unknown[0].value.p, b + 4);
    cr_assert_eq(jr.unknown[0].value.len, 4);
    cr_assert_eq(jr.unknown[1].label, -3);
    cr_assert_eq(jr.unknown[1].value.len, 2);
    /* §8.3.1: a Diagnostic Response names each one {Unsupported, label, null} */
    ek_cojp_unsupported u = { 0 };
    cr_assert_eq(ek_cojp_join_request_diagnose(&jr, &u), 2);
    cr_assert_eq(u.n, 2);
    cr_assert_eq(u.p[0].code, EK_COJP_CODE_UNSUPPORTED);
    cr_assert_eq(u.p[0].label, 9);
    cr_assert(u.p[0].addinfo_null);
    cr_assert_eq(u.p[1].label, -3);
    char t[256];
    ek_cojp_join_request_format(&jr, t, sizeof t);
    cr_assert_str_eq(t, "{role: 0 (6TiSCH Node) default, network_identifier: h'', label 9: h'83010203', "
                        "label -3: h'6161'}");
}

Test(cojp, join_request_labels_in_a_configuration_are_unknown_there)
{
    /* {1: 1} as a Configuration: role is not a Table 4 parameter */
    static const uint8_t b[] = { 0xa1, 0x01, 0x01 };
    ek_cojp_config c;
    cr_assert_eq(ek_cojp_config_decode(V(b, sizeof b), ORG, &c, NULL), EK_OK);
    cr_assert_eq(c.n_unknown, 1);
    cr_assert_eq(c.unknown[0].label, EK_COJP_LABEL_ROLE);
    ek_cojp_unsupported u = { 0 };
    cr_assert_eq(ek_cojp_config_diagnose(&c, &u), 1);
    char t[128];
    ek_cojp_config_format(&c, t, sizeof t);
    cr_assert_str_eq(t, "{label 1: h'01'}");
}

Test(cojp, unknown_label_overflow_is_counted)
{
    /* {5: h'', 9: 0, 10: 0, ..., 19: 0}: 11 unknown labels, 8 kept */
    uint8_t b[64];
    size_t n = 0;
    b[n++] = 0xac;
    b[n++] = 0x05;
    b[n++] = 0x40;
    for (uint8_t l = 9; l <= 19; l++) {
        b[n++] = l;
        b[n++] = 0x00;
    }
    ek_cojp_join_request jr;
    cr_assert_eq(ek_cojp_join_request_decode(V(b, n), 0, &jr, NULL), EK_OK);
    cr_assert_eq(jr.n_unknown, EK_COJP_MAX_UNKNOWN);
    cr_assert_eq(jr.unknown_overflow, 3);
}

Test(cojp, invalid_short_identifier_is_silently_ignored)
{
    /* §8.4.4 / §8.4.4.1: {3: [h'af9301']}, {3: [h'ffff']}, {3: [h'fffe', 1]} */
    static const uint8_t len3[] = { 0xa1, 0x03, 0x81, 0x43, 0xaf, 0x93, 0x01 };
    static const uint8_t ffff[] = { 0xa1, 0x03, 0x81, 0x42, 0xff, 0xff };
    static const uint8_t fffe[] = { 0xa1, 0x03, 0x82, 0x42, 0xff, 0xfe, 0x01 };
    static const uint8_t feff[] = { 0xa1, 0x03, 0x81, 0x42, 0xfe, 0xff }; /* valid read first octet first */
    const uint8_t *v[] = { len3, ffff, fffe };
    size_t n[] = { sizeof len3, sizeof ffff, sizeof fffe };
    ek_cojp_config c;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ek_cojp_config_decode(V(v[i], n[i]), ORG, &c, NULL), EK_OK, "case %d", i);
        cr_assert_not(c.has_short_id, "case %d", i);
        cr_assert_eq(c.flags, EK_COJP_F_SHORT_ID_IGNORED, "case %d", i);
        cr_assert_eq(c.ignored_short_id.p, v[i] + 4);
    }
    cr_assert_eq(ek_cojp_config_decode(V(feff, sizeof feff), ORG, &c, NULL), EK_OK);
    cr_assert(c.has_short_id);
    char t[128];
    cr_assert_eq(ek_cojp_config_decode(V(ffff, sizeof ffff), 0, &c, NULL), EK_OK);
    ek_cojp_config_format(&c, t, sizeof t);
    cr_assert_str_eq(t, "{short_identifier: ignored h'ffff'}");
}

Test(cojp, jrc_address_of_wrong_length_is_discarded)
{
    /* §8.4.2: {4: h'fd000001'} */
    static const uint8_t b[] = { 0xa1, 0x04, 0x44, 0xfd, 0x00, 0x00, 0x01 };
    ek_cojp_config c;
    cr_assert_eq(ek_cojp_config_decode(V(b, sizeof b), ORG, &c, NULL), EK_OK);
    cr_assert_not(c.has_jrc_address);
    cr_assert_eq(c.flags, EK_COJP_F_JRC_ADDR_DISCARDED);
    cr_assert_eq(c.ignored_jrc_address.len, 4);
}

static size_t put_key(uint8_t *b, size_t n, uint8_t id, int usage, const uint8_t *val)
{
    b[n++] = id;
    if (usage >= 0)
        b[n++] = (uint8_t)usage;
    b[n++] = 0x50;
    memcpy(b + n, val, 16);
    return n + 16;
}

Test(cojp, one_key_value_under_two_mic_lengths_is_flagged)
{
    /* §8.4.3.3: {2: [1, 0, h'k', 2, 1, h'k']} MIC-32 and MIC-64 with one key */
    uint8_t b[64];
    size_t n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x86;
    n = put_key(b, n, 1, 0, key16);
    n = put_key(b, n, 2, 1, key16);
    ek_cojp_config c;
    cr_assert_eq(ek_cojp_config_decode(V(b, n), 0, &c, NULL), EK_OK);
    cr_assert_eq(c.flags, EK_COJP_F_KEY_MIC_REUSE);
    /* same MIC length (usage 0 and 3: both MIC-32): no flag */
    n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x86;
    n = put_key(b, n, 1, 0, key16);
    n = put_key(b, n, 2, 3, key16);
    cr_assert_eq(ek_cojp_config_decode(V(b, n), 0, &c, NULL), EK_OK);
    cr_assert_eq(c.flags, 0);
}

Test(cojp, addinfo_accepts_any_well_formed_item)
{
    /* [0, 2, X] for X = tag 24(h''), simple(32) f8 20, simple(0) e0, {_ "a": [_ ]}, (_ h'00')
     * - well-formed "any" (RFC 8949 §3) */
    static const uint8_t tag[] = { 0x83, 0x00, 0x02, 0xd8, 0x18, 0x40 };
    static const uint8_t s32[] = { 0x83, 0x00, 0x02, 0xf8, 0x20 };
    static const uint8_t s0[] = { 0x83, 0x00, 0x02, 0xe0 };
    static const uint8_t imap[] = { 0x83, 0x00, 0x02, 0xbf, 0x61, 0x61, 0x9f, 0xff, 0xff };
    static const uint8_t istr[] = { 0x83, 0x00, 0x02, 0x5f, 0x41, 0x00, 0xff };
    const uint8_t *v[] = { tag, s32, s0, imap, istr };
    size_t n[] = { sizeof tag, sizeof s32, sizeof s0, sizeof imap, sizeof istr };
    bool det[] = { true, true, true, false, false };
    for (int i = 0; i < 5; i++) {
        ek_cojp_unsupported u;
        cr_assert_eq(ek_cojp_unsupported_decode(V(v[i], n[i]), 0, &u, NULL), EK_OK, "case %d", i);
        cr_assert_eq(u.p[0].addinfo.p, v[i] + 3);
        cr_assert_eq(u.p[0].addinfo.len, n[i] - 3);
        cr_assert_eq(u.flags == 0, det[i], "case %d", i);
    }
}

Test(cojp, floats_not_in_shortest_form_are_flagged)
{
    /* [0, 2, 1.0] as f9 3c00 (shortest), fa 3f800000, fb 3ff0000000000000; 1.1 as fb
     * (shortest: not exact in binary32); 2^-24 as fa 33800000 (fits a binary16
     * subnormal) */
    static const uint8_t h[] = { 0x83, 0x00, 0x02, 0xf9, 0x3c, 0x00 };
    static const uint8_t s[] = { 0x83, 0x00, 0x02, 0xfa, 0x3f, 0x80, 0x00, 0x00 };
    static const uint8_t d[] = { 0x83, 0x00, 0x02, 0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0 };
    static const uint8_t d11[] = { 0x83, 0x00, 0x02, 0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a };
    static const uint8_t sub[] = { 0x83, 0x00, 0x02, 0xfa, 0x33, 0x80, 0x00, 0x00 };
    static const uint8_t s11[] = { 0x83, 0x00, 0x02, 0xfa, 0x3f, 0x8c, 0xcc, 0xcd }; /* 1.1f: no binary16 */
    const uint8_t *v[] = { h, s, d, d11, sub, s11 };
    size_t n[] = { sizeof h, sizeof s, sizeof d, sizeof d11, sizeof sub, sizeof s11 };
    bool det[] = { true, false, false, true, false, true };
    for (int i = 0; i < 6; i++) {
        ek_cojp_unsupported u;
        cr_assert_eq(ek_cojp_unsupported_decode(V(v[i], n[i]), 0, &u, NULL), EK_OK, "case %d", i);
        cr_assert_eq(u.flags == 0, det[i], "case %d", i);
    }
}

/* ==== decode errors: code + field + offset ==== */

Test(cojp, join_request_object_errors)
{
    static const uint8_t arr[] = { 0x80 };                                     /* [] */
    static const uint8_t trail[] = { 0xa1, 0x05, 0x42, 0xca, 0xfe, 0x00 };     /* {5: h'cafe'} 0 */
    static const uint8_t nonet[] = { 0xa1, 0x01, 0x00 };                       /* {1: 0} */
    static const uint8_t reserved[] = { 0xbc };                                /* AI 28 */
    jr_err(NULL, 0, EK_ERR_TRUNCATED, "cojp.join_request", ORG);
    jr_err(arr, 1, EK_ERR_MALFORMED, "cojp.join_request", ORG);
    jr_err(trail, sizeof trail, EK_ERR_MALFORMED, "cojp.join_request", ORG + 5);
    jr_err(nonet, sizeof nonet, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG);
    jr_err(reserved, 1, EK_ERR_MALFORMED, "cojp.join_request", ORG);
}

Test(cojp, join_request_label_errors)
{
    static const uint8_t dup[] = { 0xa2, 0x05, 0x40, 0x05, 0x40 };      /* {5: h'', 5: h''} */
    static const uint8_t text[] = { 0xa1, 0x61, 0x61, 0x40 };           /* {"a": h''} */
    static const uint8_t big[] = { 0xa1, 0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x40 }; /* {-2^63-1: h''} */
    static const uint8_t nokey[] = { 0xa2, 0x05, 0x40 };                /* map of 2, one entry */
    jr_err(dup, sizeof dup, EK_ERR_MALFORMED, "cojp.join_request.label", ORG + 3);
    jr_err(text, sizeof text, EK_ERR_MALFORMED, "cojp.join_request.label", ORG + 1);
    jr_err(big, sizeof big, EK_ERR_UNSUPPORTED, "cojp.join_request.label", ORG + 1);
    ek_cojp_join_request jr;
    ek_err e;
    cr_assert_eq(ek_cojp_join_request_decode(V(nokey, sizeof nokey), ORG, &jr, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "cojp.join_request.label");
    cr_assert_eq(e.offset, ORG + 3);
    cr_assert_eq(e.need, 1);
    cr_assert_eq(e.have, 0);
}

Test(cojp, join_request_map_entry_bound)
{
    /* 33 entries: 5: h'' and 32 unknown labels 9..40 */
    uint8_t b[128];
    size_t n = 0, at33 = 0;
    b[n++] = 0xb8;
    b[n++] = 33;
    b[n++] = 0x05;
    b[n++] = 0x40;
    for (unsigned l = 9; l < 41; l++) {
        if (l == 40)
            at33 = n;
        b[n++] = 0x18;
        b[n++] = (uint8_t)l;
        b[n++] = 0x00;
    }
    jr_err(b, n, EK_ERR_UNSUPPORTED, "cojp.join_request", ORG + at33);
}

Test(cojp, join_request_value_errors)
{
    static const uint8_t role_t[] = { 0xa2, 0x01, 0x40, 0x05, 0x40 };      /* {1: h'', 5: h''} */
    static const uint8_t role2[] = { 0xa2, 0x01, 0x02, 0x05, 0x40 };       /* {1: 2, ...}: Table 3 */
    static const uint8_t role_neg[] = { 0xa2, 0x01, 0x20, 0x05, 0x40 };    /* {1: -1, ...} */
    static const uint8_t net_t[] = { 0xa1, 0x05, 0x01 };                   /* {5: 1} */
    static const uint8_t net_tstr[] = { 0xa1, 0x05, 0x62, 0x61, 0x62 };    /* {5: "ab"} */
    static const uint8_t net_tag[] = { 0xa1, 0x05, 0xc2, 0x41, 0x01 };     /* {5: 2(h'01')} */
    static const uint8_t net_ind[] = { 0xa1, 0x05, 0x5f, 0x41, 0x00, 0xff }; /* {5: (_ h'00')} */
    static const uint8_t net_short[] = { 0xa1, 0x05, 0x42, 0xca };         /* {5: h'ca..} */
    static const uint8_t net_res[] = { 0xa1, 0x05, 0x5c };                 /* AI 28 */
    jr_err(role_t, sizeof role_t, EK_ERR_MALFORMED, "cojp.join_request.role", ORG + 2);
    jr_err(role2, sizeof role2, EK_ERR_UNSUPPORTED, "cojp.join_request.role", ORG + 2);
    jr_err(role_neg, sizeof role_neg, EK_ERR_MALFORMED, "cojp.join_request.role", ORG + 2);
    jr_err(net_t, sizeof net_t, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG + 2);
    jr_err(net_tstr, sizeof net_tstr, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG + 2);
    jr_err(net_tag, sizeof net_tag, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG + 2);
    jr_err(net_ind, sizeof net_ind, EK_ERR_UNSUPPORTED, "cojp.join_request.network_id", ORG + 2);
    jr_err(net_short, sizeof net_short, EK_ERR_TRUNCATED, "cojp.join_request.network_id", ORG + 2);
    jr_err(net_res, sizeof net_res, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG + 2);
    ek_cojp_join_request jr;
    ek_err e;
    cr_assert_eq(ek_cojp_join_request_decode(V(net_short, sizeof net_short), ORG, &jr, &e), EK_ERR_TRUNCATED);
    cr_assert_eq(e.need, 3);
    cr_assert_eq(e.have, 2);
}

Test(cojp, huge_declared_lengths_are_truncated_not_wrapped)
{
    /* {5: h'<2^64-1 bytes>'} and {9: [<2^64-1 items>]} */
    static const uint8_t b1[] = { 0xa1, 0x05, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
    static const uint8_t b2[] = { 0xa2, 0x05, 0x40, 0x09, 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
    jr_err(b1, sizeof b1, EK_ERR_TRUNCATED, "cojp.join_request.network_id", ORG + 2);
    jr_err(b2, sizeof b2, EK_ERR_TRUNCATED, "cojp.join_request.unknown", ORG + 14);
}

Test(cojp, unknown_value_errors)
{
    /* {9: 17 nested arrays} */
    uint8_t deep[32];
    size_t n = 0;
    deep[n++] = 0xa1;
    deep[n++] = 0x09;
    for (int i = 0; i < 17; i++)
        deep[n++] = 0x81;
    deep[n++] = 0x00;
    jr_err(deep, n, EK_ERR_UNSUPPORTED, "cojp.join_request.unknown", ORG + 2 + 16);
    /* 16 levels are fine: (then network_id missing) */
    deep[2 + 16] = 0x00;
    jr_err(deep, 2 + 17, EK_ERR_MALFORMED, "cojp.join_request.network_id", ORG);
    static const uint8_t brk[] = { 0xa1, 0x09, 0xff };                      /* {9: break} */
    static const uint8_t chunk[] = { 0xa1, 0x09, 0x7f, 0x41, 0x00, 0xff };   /* (_ h'00') in a text string */
    static const uint8_t nested[] = { 0xa1, 0x09, 0x5f, 0x5f, 0xff, 0xff };  /* (_ (_ )) */
    static const uint8_t simple[] = { 0xa1, 0x09, 0xf8, 0x10 };              /* simple(16) two-byte form */
    static const uint8_t indefint[] = { 0xa1, 0x09, 0x1f };                  /* major 0, AI 31 */
    jr_err(brk, sizeof brk, EK_ERR_MALFORMED, "cojp.join_request.unknown", ORG + 2);
    jr_err(chunk, sizeof chunk, EK_ERR_MALFORMED, "cojp.join_request.unknown", ORG + 3);
    jr_err(nested, sizeof nested, EK_ERR_MALFORMED, "cojp.join_request.unknown", ORG + 3);
    jr_err(simple, sizeof simple, EK_ERR_MALFORMED, "cojp.join_request.unknown", ORG + 2);
    jr_err(indefint, sizeof indefint, EK_ERR_MALFORMED, "cojp.join_request.unknown", ORG + 2);
}

Test(cojp, unsupported_configuration_errors)
{
    static const uint8_t empty[] = { 0x80 };                               /* [] */
    static const uint8_t map[] = { 0xa0 };                                 /* {} */
    static const uint8_t two[] = { 0x82, 0x00, 0x01 };                     /* [0, 1] */
    static const uint8_t one[] = { 0x9f, 0x00, 0xff };                     /* [_ 0] */
    static const uint8_t code2[] = { 0x83, 0x02, 0x01, 0xf6 };             /* [2, 1, null] */
    static const uint8_t code_t[] = { 0x83, 0x40, 0x01, 0xf6 };            /* [h'', 1, null] */
    static const uint8_t label_t[] = { 0x83, 0x00, 0xf6, 0xf6 };           /* [0, null, null] */
    static const uint8_t mal_ai[] = { 0x83, 0x01, 0x02, 0x80 };            /* [1, 2, []] */
    static const uint8_t trail[] = { 0x83, 0x00, 0x02, 0xf6, 0xf6 };
    unsup_err(empty, 1, EK_ERR_MALFORMED, "cojp.unsupported", ORG);
    unsup_err(map, 1, EK_ERR_MALFORMED, "cojp.unsupported", ORG);
    unsup_err(two, sizeof two, EK_ERR_MALFORMED, "cojp.unsupported.addinfo", ORG + 3);
    unsup_err(one, sizeof one, EK_ERR_MALFORMED, "cojp.unsupported.label", ORG + 2);
    unsup_err(code2, sizeof code2, EK_ERR_UNSUPPORTED, "cojp.unsupported.code", ORG + 1);
    unsup_err(code_t, sizeof code_t, EK_ERR_MALFORMED, "cojp.unsupported.code", ORG + 1);
    unsup_err(label_t, sizeof label_t, EK_ERR_MALFORMED, "cojp.unsupported.label", ORG + 2);
    unsup_err(mal_ai, sizeof mal_ai, EK_ERR_MALFORMED, "cojp.unsupported.addinfo", ORG + 3);
    unsup_err(trail, sizeof trail, EK_ERR_MALFORMED, "cojp.unsupported", ORG + 4);
    /* 9 triples > EK_COJP_MAX_UNSUP */
    uint8_t b[64];
    size_t n = 0;
    b[n++] = 0x98;
    b[n++] = 27;
    for (int i = 0; i < 9; i++) {
        b[n++] = 0x00;
        b[n++] = 0x02;
        b[n++] = 0xf6;
    }
    unsup_err(b, n, EK_ERR_UNSUPPORTED, "cojp.unsupported", ORG + 2 + 8 * 3);
    /* inside a Join_Request the same names, absolute offsets */
    static const uint8_t jr[] = { 0xa2, 0x05, 0x40, 0x08, 0x80 };          /* {5: h'', 8: []} */
    jr_err(jr, sizeof jr, EK_ERR_MALFORMED, "cojp.unsupported", ORG + 4);
}

Test(cojp, configuration_object_errors)
{
    static const uint8_t notmap[] = { 0x40 };
    static const uint8_t dup[] = { 0xa2, 0x07, 0x00, 0x07, 0x01 };          /* {7: 0, 7: 1} */
    static const uint8_t rate_neg[] = { 0xa1, 0x07, 0x20 };                 /* {7: -1} */
    static const uint8_t rate_f[] = { 0xa1, 0x07, 0xf9, 0x3c, 0x00 };       /* {7: 1.0} */
    static const uint8_t jrc_t[] = { 0xa1, 0x04, 0x80 };                    /* {4: []} */
    static const uint8_t trail[] = { 0xa0, 0xa0 };
    cfg_err(notmap, 1, EK_ERR_MALFORMED, "cojp.config", ORG);
    cfg_err(NULL, 0, EK_ERR_TRUNCATED, "cojp.config", ORG);
    cfg_err(dup, sizeof dup, EK_ERR_MALFORMED, "cojp.config.label", ORG + 3);
    cfg_err(rate_neg, sizeof rate_neg, EK_ERR_MALFORMED, "cojp.config.join_rate", ORG + 2);
    cfg_err(rate_f, sizeof rate_f, EK_ERR_MALFORMED, "cojp.config.join_rate", ORG + 2);
    cfg_err(jrc_t, sizeof jrc_t, EK_ERR_MALFORMED, "cojp.config.jrc_address", ORG + 2);
    cfg_err(trail, sizeof trail, EK_ERR_MALFORMED, "cojp.config", ORG + 1);
}

Test(cojp, link_layer_key_errors)
{
    uint8_t b[256];
    size_t n;
    static const uint8_t notarr[] = { 0xa1, 0x02, 0x01 };                   /* {2: 1} */
    static const uint8_t empty[] = { 0xa1, 0x02, 0x80 };                    /* {2: []} */
    static const uint8_t id_t[] = { 0xa1, 0x02, 0x81, 0x40 };               /* {2: [h'']} */
    static const uint8_t id_only[] = { 0xa1, 0x02, 0x81, 0x01 };            /* {2: [1]} */
    static const uint8_t use_only[] = { 0xa1, 0x02, 0x82, 0x01, 0x00 };     /* {2: [1, 0]} */
    static const uint8_t val_t[] = { 0xa1, 0x02, 0x82, 0x01, 0x61, 0x61 };  /* {2: [1, "a"]} */
    static const uint8_t id255[] = { 0xa1, 0x02, 0x82, 0x18, 0xff, 0x40 };  /* {2: [255, h'']} */
    static const uint8_t use15[] = { 0xa1, 0x02, 0x83, 0x01, 0x0f, 0x40 };  /* {2: [1, 15, h'']} */
    static const uint8_t use_neg[] = { 0xa1, 0x02, 0x83, 0x01, 0x20, 0x40 }; /* {2: [1, -1, h'']} */
    static const uint8_t val15[] = { 0xa1, 0x02, 0x82, 0x01, 0x4f };        /* key_value of 15 octets */
    static const uint8_t val_ind[] = { 0xa1, 0x02, 0x82, 0x01, 0x5f, 0xff }; /* (_ ) */
    cfg_err(notarr, sizeof notarr, EK_ERR_MALFORMED, "cojp.config.ll_key_set", ORG + 2);
    cfg_err(empty, sizeof empty, EK_ERR_MALFORMED, "cojp.config.ll_key_set", ORG + 2);
    cfg_err(id_t, sizeof id_t, EK_ERR_MALFORMED, "cojp.config.ll_key.key_id", ORG + 3);
    cfg_err(id_only, sizeof id_only, EK_ERR_MALFORMED, "cojp.config.ll_key.key_value", ORG + 4);
    cfg_err(use_only, sizeof use_only, EK_ERR_MALFORMED, "cojp.config.ll_key.key_value", ORG + 5);
    cfg_err(val_t, sizeof val_t, EK_ERR_MALFORMED, "cojp.config.ll_key.key_value", ORG + 4);
    cfg_err(id255, sizeof id255, EK_ERR_MALFORMED, "cojp.config.ll_key.key_id", ORG + 3);
    cfg_err(use15, sizeof use15, EK_ERR_UNSUPPORTED, "cojp.config.ll_key.key_usage", ORG + 4);
    cfg_err(use_neg, sizeof use_neg, EK_ERR_UNSUPPORTED, "cojp.config.ll_key.key_usage", ORG + 4);
    cfg_err(val15, sizeof val15, EK_ERR_TRUNCATED, "cojp.config.ll_key.key_value", ORG + 4);
    cfg_err(val_ind, sizeof val_ind, EK_ERR_UNSUPPORTED, "cojp.config.ll_key.key_value", ORG + 4);
    /* 15-octet key, complete */
    n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x82;
    b[n++] = 0x01;
    b[n++] = 0x4f;
    memset(b + n, 0x11, 15);
    n += 15;
    cfg_err(b, n, EK_ERR_MALFORMED, "cojp.config.ll_key.key_value", ORG + 4);
    /* key_id 0 without key_addinfo (§8.4.3.3 Mode 0x00) */
    n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x82;
    n = put_key(b, n, 0, -1, key16);
    cfg_err(b, n, EK_ERR_MALFORMED, "cojp.config.ll_key.key_addinfo", ORG + n);
    /* key_id 0 with a 4-octet addinfo; key_id 1 with a 2-octet addinfo */
    for (int id = 0; id < 2; id++) {
        n = 0;
        b[n++] = 0xa1;
        b[n++] = 0x02;
        b[n++] = 0x83;
        n = put_key(b, n, (uint8_t)id, -1, key16);
        size_t at = n;
        b[n++] = id ? 0x42 : 0x44;
        memset(b + n, 0x22, id ? 2 : 4);
        n += id ? 2 : 4;
        cfg_err(b, n, EK_ERR_MALFORMED, "cojp.config.ll_key.key_addinfo", ORG + at);
    }
    /* key_addinfo indefinite */
    n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x83;
    n = put_key(b, n, 1, -1, key16);
    b[n++] = 0x5f;
    b[n++] = 0xff;
    cfg_err(b, n, EK_ERR_UNSUPPORTED, "cojp.config.ll_key.key_addinfo", ORG + n - 2);
    /* 9 keys > EK_COJP_MAX_KEYS */
    size_t at9 = 0;
    n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x02;
    b[n++] = 0x92; /* 18 elements */
    for (int i = 0; i < 9; i++) {
        if (i == 8)
            at9 = n;
        n = put_key(b, n, (uint8_t)(i + 1), -1, key16);
    }
    cfg_err(b, n, EK_ERR_UNSUPPORTED, "cojp.config.ll_key_set", ORG + at9);
}

Test(cojp, short_identifier_errors)
{
    static const uint8_t notarr[] = { 0xa1, 0x03, 0x42, 0xaf, 0x93 };          /* {3: h'af93'} */
    static const uint8_t empty[] = { 0xa1, 0x03, 0x80 };                       /* {3: []} */
    static const uint8_t id_t[] = { 0xa1, 0x03, 0x81, 0x01 };                  /* {3: [1]} */
    static const uint8_t lease_t[] = { 0xa1, 0x03, 0x82, 0x42, 0xaf, 0x93, 0x20 }; /* lease -1 */
    static const uint8_t three[] = { 0xa1, 0x03, 0x83, 0x42, 0xaf, 0x93, 0x01, 0x01 };
    static const uint8_t id_ind[] = { 0xa1, 0x03, 0x81, 0x5f, 0xff };
    cfg_err(notarr, sizeof notarr, EK_ERR_MALFORMED, "cojp.config.short_id", ORG + 2);
    cfg_err(empty, sizeof empty, EK_ERR_MALFORMED, "cojp.config.short_id", ORG + 2);
    cfg_err(id_t, sizeof id_t, EK_ERR_MALFORMED, "cojp.config.short_id.identifier", ORG + 3);
    cfg_err(lease_t, sizeof lease_t, EK_ERR_MALFORMED, "cojp.config.short_id.lease_time", ORG + 6);
    cfg_err(three, sizeof three, EK_ERR_MALFORMED, "cojp.config.short_id", ORG + 7);
    cfg_err(id_ind, sizeof id_ind, EK_ERR_UNSUPPORTED, "cojp.config.short_id.identifier", ORG + 3);
}

Test(cojp, blacklist_errors)
{
    static const uint8_t notarr[] = { 0xa1, 0x06, 0x40 };                     /* {6: h''} */
    static const uint8_t entry[] = { 0xa1, 0x06, 0x82, 0x40, 0x01 };          /* {6: [h'', 1]} */
    cfg_err(notarr, sizeof notarr, EK_ERR_MALFORMED, "cojp.config.blacklist", ORG + 2);
    cfg_err(entry, sizeof entry, EK_ERR_MALFORMED, "cojp.config.blacklist.pledge_id", ORG + 4);
    /* 17 identifiers > EK_COJP_MAX_BLACKLIST */
    uint8_t b[64];
    size_t n = 0;
    b[n++] = 0xa1;
    b[n++] = 0x06;
    b[n++] = 0x91;
    for (int i = 0; i < 17; i++) {
        b[n++] = 0x41;
        b[n++] = (uint8_t)i;
    }
    cfg_err(b, n, EK_ERR_UNSUPPORTED, "cojp.config.blacklist", ORG + 3 + 16 * 2);
}

Test(cojp, diagnose_maps_errors_to_unsupported_parameters)
{
    ek_cojp_unsup_param p;
    ek_err e = { .code = EK_ERR_MALFORMED, .field = "cojp.config.ll_key.key_value" };
    cr_assert(ek_cojp_diagnose(&e, &p));
    cr_assert_eq(p.code, EK_COJP_CODE_MALFORMED);
    cr_assert_eq(p.label, EK_COJP_LABEL_LL_KEY_SET);
    cr_assert(p.addinfo_null);
    e = (ek_err){ .code = EK_ERR_UNSUPPORTED, .field = "cojp.join_request.role" };
    cr_assert(ek_cojp_diagnose(&e, &p));
    cr_assert_eq(p.code, EK_COJP_CODE_UNSUPPORTED);
    cr_assert_eq(p.label, EK_COJP_LABEL_ROLE);
    e = (ek_err){ .code = EK_ERR_TRUNCATED, .field = "cojp.config.short_id.lease_time" };
    cr_assert(ek_cojp_diagnose(&e, &p));
    cr_assert_eq(p.code, EK_COJP_CODE_MALFORMED);
    cr_assert_eq(p.label, EK_COJP_LABEL_SHORT_ID);
    e = (ek_err){ .code = EK_ERR_MALFORMED, .field = "cojp.config.blacklist.pledge_id" };
    cr_assert(ek_cojp_diagnose(&e, &p));
    cr_assert_eq(p.label, EK_COJP_LABEL_BLACKLIST);
    e = (ek_err){ .code = EK_ERR_MALFORMED, .field = "cojp.config" };
    cr_assert_not(ek_cojp_diagnose(&e, &p));
    e = (ek_err){ .code = EK_ERR_MALFORMED, .field = "cojp.config.label" };
    cr_assert_not(ek_cojp_diagnose(&e, &p));
    e = (ek_err){ .code = EK_OK };
    cr_assert_not(ek_cojp_diagnose(&e, &p));
}

Test(cojp, value_names_follow_the_rfc_tables)
{
    cr_assert_str_eq(ek_cojp_role_name(1), "6LBR");
    cr_assert_null(ek_cojp_role_name(2));
    cr_assert_str_eq(ek_cojp_key_usage_name(0), "6TiSCH-K1K2-ENC-MIC32");
    cr_assert_str_eq(ek_cojp_key_usage_name(14), "6TiSCH-K2-ENC-MIC128");
    cr_assert_null(ek_cojp_key_usage_name(15));
    cr_assert_null(ek_cojp_key_usage_name(-1));
    cr_assert_str_eq(ek_cojp_code_name(1), "Malformed");
    cr_assert_str_eq(ek_cojp_label_name(6), "blacklist");
    cr_assert_str_eq(ek_cojp_label_name(8), "unsupported configuration");
    cr_assert_null(ek_cojp_label_name(9));
}

/* ==== prefix sweeps: every truncation is TRUNCATED, inside the input ==== */

static void sweep(const uint8_t *b, size_t n, int which)
{
    for (size_t k = 0; k < n; k++) {
        ek_err e;
        ek_status st;
        if (which == 0) {
            ek_cojp_join_request jr;
            st = ek_cojp_join_request_decode(V(b, k), ORG, &jr, &e);
        } else if (which == 1) {
            ek_cojp_config c;
            st = ek_cojp_config_decode(V(b, k), ORG, &c, &e);
        } else {
            ek_cojp_unsupported u;
            st = ek_cojp_unsupported_decode(V(b, k), ORG, &u, &e);
        }
        cr_assert_eq(st, EK_ERR_TRUNCATED, "prefix %zu of %zu: %s at %s", k, n, ek_status_name(st),
                     e.field ? e.field : "-");
        cr_assert_eq(e.code, st);
        cr_assert(e.offset >= ORG && e.offset <= ORG + k, "prefix %zu offset %zu", k, e.offset);
        cr_assert(e.need > e.have);
    }
}

Test(cojp, every_prefix_of_every_object_is_truncated)
{
    sweep(rfc_jr, sizeof rfc_jr, 0);
    sweep(rfc_cfg, sizeof rfc_cfg, 1);
    /* the full configuration of configuration_roundtrip_every_parameter */
    ek_cojp_config c = { 0 };
    c.has_keys = true;
    c.n_keys = 2;
    c.keys[0] = (ek_cojp_ll_key){ .key_id = 0, .has_key_usage = true, .key_usage = 4, .key_value = V(key16b, 16),
                                  .has_key_addinfo = true, .key_addinfo = V(eui, 8) };
    c.keys[1] = (ek_cojp_ll_key){ .key_id = 3, .key_value = V(key16, 16) };
    c.has_short_id = true;
    c.short_id = (ek_cojp_short_id){ .identifier = V(eui + 8, 2), .has_lease_time = true, .lease_time = 70000 };
    c.has_jrc_address = true;
    c.jrc_address = V(jrc, 16);
    c.has_blacklist = true;
    c.n_blacklist = 1;
    c.blacklist[0] = V(eui, 8);
    c.has_join_rate = true;
    c.join_rate = 300;
    uint8_t m[256];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, NULL), EK_OK);
    sweep(m, b.len, 1);
    static const uint8_t jr[] = { 0xa2, 0x05, 0x42, 0xca, 0xfe, 0x08, 0x86, 0x00, 0x04, 0xf6,
                                  0x00, 0x06, 0x82, 0x41, 0x01, 0xf9, 0x3c, 0x00 };
    sweep(jr, sizeof jr, 0);
    sweep(jr + 6, sizeof jr - 6, 2);
}

/* ==== encoder errors ==== */

Test(cojp, encoders_report_nospace_and_the_size_needed)
{
    ek_cojp_config c = { .has_keys = true, .n_keys = 1 };
    c.keys[0] = (ek_cojp_ll_key){ .key_id = 1, .key_value = V(key16, 16) };
    c.has_short_id = true;
    c.short_id.identifier = V(rfc_cfg + 24, 2);
    for (size_t cap = 0; cap < 26; cap++) {
        uint8_t m[26];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, m, cap);
        cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_ERR_NOSPACE, "cap %zu", cap);
        cr_assert_eq(e.code, EK_ERR_NOSPACE);
        cr_assert_eq(b.len, 26, "cap %zu: len %zu", cap, b.len);
    }
}

Test(cojp, encoders_reject_what_decoders_reject)
{
    uint8_t m[128];
    ek_buf b;
    ek_err e;
    ek_cojp_join_request jr = { .has_role = true, .role = 2 };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_join_request_encode(&jr, &b, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "cojp.join_request.role");
    cr_assert_eq(b.len, 0);
    cr_assert_eq(ek_cojp_join_request_encoded_len(&jr), 0);

    jr = (ek_cojp_join_request){ .has_unsupported = true };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_join_request_encode(&jr, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "cojp.unsupported");
    cr_assert_eq(e.offset, 4); /* a2 05 40 08 | here */
    cr_assert_eq(b.len, 0);     /* nothing appended */

    static const uint8_t two_items[] = { 0x01, 0x02 };
    static const uint8_t long_head[] = { 0x18, 0x01 };
    static const uint8_t one[] = { 0x01 };
    const ek_view bad_ai[] = { V(two_items, 2), V(long_head, 2), V(NULL, 0) };
    for (int i = 0; i < 3; i++) {
        ek_cojp_unsupported u = { .n = 1 };
        u.p[0] = (ek_cojp_unsup_param){ .code = 0, .label = 2, .addinfo = bad_ai[i] };
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_cojp_unsupported_encode(&u, &b, &e), EK_ERR_MALFORMED, "case %d", i);
        cr_assert_str_eq(e.field, "cojp.unsupported.addinfo");
        cr_assert_eq(e.offset, 3);
    }
    ek_cojp_unsupported u = { .n = 1 };
    u.p[0] = (ek_cojp_unsup_param){ .code = EK_COJP_CODE_MALFORMED, .label = 2, .addinfo = V(one, 1) };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_unsupported_encode(&u, &b, &e), EK_ERR_MALFORMED); /* §8.4.5: null */
    u.p[0] = (ek_cojp_unsup_param){ .code = 5, .label = 2, .addinfo_null = true };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_unsupported_encode(&u, &b, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "cojp.unsupported.code");
    u.n = EK_COJP_MAX_UNSUP + 1;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_unsupported_encode(&u, &b, &e), EK_ERR_UNSUPPORTED);

    struct {
        ek_cojp_ll_key k;
        ek_status code;
        const char *field;
    } rows[] = {
        { { .key_id = 255, .key_value = V(key16, 16) }, EK_ERR_MALFORMED, "cojp.config.ll_key.key_id" },
        { { .key_id = 1, .has_key_usage = true, .key_usage = 15, .key_value = V(key16, 16) }, EK_ERR_UNSUPPORTED,
          "cojp.config.ll_key.key_usage" },
        { { .key_id = 1, .key_value = V(key16, 15) }, EK_ERR_MALFORMED, "cojp.config.ll_key.key_value" },
        { { .key_id = 0, .key_value = V(key16, 16) }, EK_ERR_MALFORMED, "cojp.config.ll_key.key_addinfo" },
        { { .key_id = 0, .key_value = V(key16, 16), .has_key_addinfo = true, .key_addinfo = V(eui, 4) },
          EK_ERR_MALFORMED, "cojp.config.ll_key.key_addinfo" },
        { { .key_id = 1, .key_value = V(key16, 16), .has_key_addinfo = true, .key_addinfo = V(eui, 10) },
          EK_ERR_MALFORMED, "cojp.config.ll_key.key_addinfo" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ek_cojp_config c = { .has_keys = true, .n_keys = 1 };
        c.keys[0] = rows[i].k;
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), rows[i].code, "row %zu", i);
        cr_assert_str_eq(e.field, rows[i].field, "row %zu", i);
        cr_assert_eq(b.len, 0, "row %zu", i);
    }
    ek_cojp_config c = { .has_keys = true };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "cojp.config.ll_key_set");
    c = (ek_cojp_config){ .has_short_id = true, .short_id = { .identifier = V("\xff\xff", 2) } };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "cojp.config.short_id.identifier");
    c = (ek_cojp_config){ .has_jrc_address = true, .jrc_address = V(jrc, 4) };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "cojp.config.jrc_address");
    c = (ek_cojp_config){ .has_blacklist = true, .n_blacklist = EK_COJP_MAX_BLACKLIST + 1 };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_cojp_config_encode(&c, &b, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "cojp.config.blacklist");
}

/* ==== seeded random round trips ==== */

static uint8_t pool[4096];

static ek_view rnd_view(uint32_t *s, size_t len)
{
    size_t off = ek_test_xorshift32(s) % (sizeof pool - len);
    return V(pool + off, len);
}

static void rnd_config(uint32_t *s, ek_cojp_config *c)
{
    memset(c, 0, sizeof *c);
    uint32_t r = ek_test_xorshift32(s);
    if ((c->has_keys = r & 1)) {
        c->n_keys = 1 + ek_test_xorshift32(s) % EK_COJP_MAX_KEYS;
        for (unsigned i = 0; i < c->n_keys; i++) {
            ek_cojp_ll_key *k = &c->keys[i];
            uint32_t q = ek_test_xorshift32(s);
            k->key_id = (uint8_t)(q % 4 == 0 ? 0 : 1 + (q >> 8) % 254);
            k->has_key_usage = (q >> 2) & 1;
            k->key_usage = k->has_key_usage ? (uint8_t)((q >> 16) % 15) : 0;
            k->key_value = rnd_view(s, 16);
            static const size_t mode0[] = { 2, 8, 10 }, other[] = { 4, 8 };
            if (k->key_id == 0 || ((q >> 3) & 1)) {
                k->has_key_addinfo = true;
                k->key_addinfo = rnd_view(s, k->key_id == 0 ? mode0[(q >> 24) % 3] : other[(q >> 24) % 2]);
            }
        }
    }
    if ((c->has_short_id = (r >> 1) & 1)) {
        do
            c->short_id.identifier = rnd_view(s, 2);
        while (c->short_id.identifier.p[0] == 0xff && c->short_id.identifier.p[1] >= 0xfe);
        if ((c->short_id.has_lease_time = (r >> 2) & 1))
            c->short_id.lease_time = (uint64_t)ek_test_xorshift32(s) << ((r >> 8) % 33);
    }
    if ((c->has_jrc_address = (r >> 3) & 1))
        c->jrc_address = rnd_view(s, 16);
    if ((c->has_blacklist = (r >> 4) & 1)) {
        c->n_blacklist = ek_test_xorshift32(s) % (EK_COJP_MAX_BLACKLIST + 1);
        for (unsigned i = 0; i < c->n_blacklist; i++)
            c->blacklist[i] = rnd_view(s, ek_test_xorshift32(s) % 30);
    }
    if ((c->has_join_rate = (r >> 5) & 1))
        c->join_rate = (uint64_t)ek_test_xorshift32(s) >> ((r >> 12) % 32);
}

Test(cojp, random_configuration_roundtrips_seeded)
{
    uint32_t s = 0x9031u;
    for (size_t i = 0; i < sizeof pool; i++)
        pool[i] = (uint8_t)ek_test_xorshift32(&s);
    for (int i = 0; i < 2000; i++) {
        ek_cojp_config c;
        rnd_config(&s, &c);
        cfg_roundtrip(&c);
    }
}

Test(cojp, random_join_request_roundtrips_seeded)
{
    uint32_t s = 0x8949u;
    static const uint8_t anys[][4] = { { 0x80 }, { 0x41, 0x00 }, { 0x19, 0x01, 0x00 }, { 0xa1, 0x01, 0x02 },
                                       { 0x20 }, { 0xf5 }, { 0x63, 0x61, 0x62, 0x63 } };
    static const size_t any_len[] = { 1, 2, 3, 3, 1, 1, 4 };
    for (size_t i = 0; i < sizeof pool; i++)
        pool[i] = (uint8_t)ek_test_xorshift32(&s);
    for (int i = 0; i < 2000; i++) {
        ek_cojp_join_request jr = { 0 };
        uint32_t r = ek_test_xorshift32(&s);
        jr.has_role = r & 1;
        jr.role = jr.has_role ? (uint8_t)((r >> 1) & 1) : 0;
        jr.network_id = rnd_view(&s, (r >> 2) % 40);
        if ((jr.has_unsupported = (r >> 8) & 1)) {
            jr.unsupported.n = 1 + ek_test_xorshift32(&s) % EK_COJP_MAX_UNSUP;
            for (unsigned k = 0; k < jr.unsupported.n; k++) {
                uint32_t q = ek_test_xorshift32(&s);
                ek_cojp_unsup_param *p = &jr.unsupported.p[k];
                p->code = q & 1;
                p->label = (int64_t)(q >> 8) - 0x800000;
                p->addinfo_null = p->code == EK_COJP_CODE_MALFORMED || ((q >> 1) & 1);
                if (!p->addinfo_null) {
                    unsigned a = (q >> 2) % 7;
                    p->addinfo = V(anys[a], any_len[a]);
                }
            }
        }
        jr_roundtrip(&jr, NULL, 0);
    }
}

/* Random bytes never crash a decoder, and errors stay inside the input. */
Test(cojp, random_damage_is_reported_inside_the_input)
{
    uint32_t s = 0x6ba1u;
    uint8_t m[256];
    for (int i = 0; i < 20000; i++) {
        size_t n = ek_test_xorshift32(&s) % 64;
        for (size_t k = 0; k < n; k++)
            m[k] = (uint8_t)ek_test_xorshift32(&s);
        if (n && i % 3)
            m[0] = (uint8_t)(0xa0 | (m[0] & 7)); /* mostly maps */
        ek_cojp_config c;
        ek_cojp_join_request jr;
        ek_err e;
        if (ek_cojp_config_decode(V(m, n), ORG, &c, &e) != EK_OK)
            cr_assert(e.field && e.offset >= ORG && e.offset <= ORG + n);
        if (ek_cojp_join_request_decode(V(m, n), ORG, &jr, &e) != EK_OK)
            cr_assert(e.field && e.offset >= ORG && e.offset <= ORG + n);
    }
}
