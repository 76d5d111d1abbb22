/* SPDX-License-Identifier: BSD-3-Clause */
/* Manifest tests: save -> load round trip, canonical bytes, strict validation
 * naming the key, error map vs array, id == file stem, sorted directory listing. */
#include <cbor.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"

static char dir[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ek-vec-test-%ld", (long)getpid());
    mkdir(dir, 0700);
}

static void teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(manifest, .init = setup, .fini = teardown);

static void sample(ek_vec *v, const char *id)
{
    static const uint8_t fr[] = { 0x41, 0xd8, 0x01, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x02 };
    ek_vec_init(v);
    snprintf(v->id, sizeof v->id, "%s", id);
    snprintf(v->description, sizeof v->description, "sample data frame");
    cr_assert(ek_vec_add_ref(v, "IEEE 802.15.4-2015 §7.2"));
    v->linktype = 195;
    cr_assert(ek_vec_set_frame(v, fr, sizeof fr));
    v->wellformed = true;
    cr_assert(ek_vec_expect_bool(v, "wpan.fcs_ok", true));
    cr_assert(ek_vec_expect_uint(v, "wpan.dst_pan", 0xabcd));
    cr_assert(ek_vec_expect_uint(v, "wpan.tsch.asn", 0x1122334455ull));
    cr_assert(ek_vec_expect_text(v, "wpan.src64", "00:12:4b:00:14:b5:d9:c7"));
    cr_assert(ek_vec_expect_text(v, "icmpv6.rpl.dio.dagid", "fd00::1"));
    cr_assert(ek_vec_expect_text(v, "enroll.ji.network_id", "0a0b"));
}

static void save_raw(const char *name, const void *p, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* Encodes v without validation-side checks, by building a map by hand. */
static void load_expect_fail(const char *name, const char *needle)
{
    char path[256], eb[512] = "";
    ek_vec v;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_not(ek_vec_load(path, &v, eb, sizeof eb), "%s loaded", name);
    cr_assert(strstr(eb, needle) != NULL, "'%s' not in '%s'", needle, eb);
    cr_assert_null(v.frame);
}

Test(manifest, save_then_load_gives_the_same_vector)
{
    ek_vec v, w;
    char path[256], eb[512];
    sample(&v, "s1");
    v.has_profile = true;
    v.ep_type = 0x0f;
    snprintf(v.ep_profile, sizeof v.ep_profile, "draft-09");
    snprintf(v.ie_profile, sizeof v.ie_profile, "byte-aligned");
    snprintf(path, sizeof path, "%s/s1.cbor", dir);
    cr_assert(ek_vec_save(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_load(path, &w, eb, sizeof eb), "%s", eb);
    cr_assert_str_eq(w.id, "s1");
    cr_assert_str_eq(w.description, v.description);
    cr_assert_eq(w.n_refs, 1);
    cr_assert_str_eq(w.refs[0], v.refs[0]);
    cr_assert_eq(w.linktype, 195);
    cr_assert_eq(w.frame_len, v.frame_len);
    cr_assert_arr_eq(w.frame, v.frame, v.frame_len);
    cr_assert(w.wellformed);
    cr_assert(w.has_profile);
    cr_assert_eq(w.ep_type, 0x0f);
    cr_assert_str_eq(w.ep_profile, "draft-09");
    cr_assert_str_eq(w.ie_profile, "byte-aligned");
    cr_assert_eq(w.n_expect, v.n_expect);
    for (unsigned i = 0; i < v.n_expect; i++) {
        cr_assert_str_eq(w.expect[i].key, v.expect[i].key);
        cr_assert(ek_vec_value_eq(&w.expect[i].value, &v.expect[i].value), "%s", v.expect[i].key);
    }
    ek_profile p;
    cr_assert(ek_vec_profile(&w, &p));
    cr_assert_eq(p.mep, EK_MEP_DRAFT09);
    cr_assert_eq(p.ji, EK_JI_BYTE_ALIGNED);
    cr_assert_eq(p.mep_type, 0x0f);
    /* canonical: re-encoding the loaded vector gives the same bytes */
    uint8_t *a, *b;
    size_t an, bn;
    cr_assert(ek_vec_encode(&v, &a, &an, eb, sizeof eb));
    cr_assert(ek_vec_encode(&w, &b, &bn, eb, sizeof eb));
    cr_assert_eq(an, bn);
    cr_assert_arr_eq(a, b, an);
    free(a);
    free(b);
    ek_vec_free(&v);
    ek_vec_free(&w);
}

Test(manifest, defaults_apply_without_profile)
{
    ek_vec v, w;
    char path[256], eb[512];
    sample(&v, "d");
    snprintf(path, sizeof path, "%s/d.cbor", dir);
    cr_assert(ek_vec_save(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_load(path, &w, eb, sizeof eb), "%s", eb);
    cr_assert_not(w.has_profile);
    cr_assert_eq(w.ep_type, 0x2a);
    cr_assert_str_eq(w.ep_profile, "draft-16");
    cr_assert_str_eq(w.ie_profile, "rfc9032-literal");
    ek_vec_free(&v);
    ek_vec_free(&w);
}

Test(manifest, error_map_and_error_array_round_trip)
{
    ek_vec v, w;
    char path[256], eb[512];
    sample(&v, "m1");
    v.wellformed = false;
    cr_assert(ek_vec_add_error(&v, EK_ERR_MALFORMED, "wpan.fcf", 0));
    snprintf(path, sizeof path, "%s/m1.cbor", dir);
    cr_assert(ek_vec_save(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_load(path, &w, eb, sizeof eb), "%s", eb);
    cr_assert_eq(w.n_errors, 1);
    cr_assert_not(w.error_is_array);
    cr_assert_eq(w.errors[0].code, EK_ERR_MALFORMED);
    cr_assert_str_eq(w.errors[0].field, "wpan.fcf");
    ek_vec_free(&w);
    cr_assert(ek_vec_add_error(&v, EK_ERR_TRUNCATED, "icmpv6.rpl.opt.length", 41));
    cr_assert(ek_vec_save(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_load(path, &w, eb, sizeof eb), "%s", eb);
    cr_assert_eq(w.n_errors, 2);
    cr_assert(w.error_is_array);
    cr_assert_eq(w.errors[1].code, EK_ERR_TRUNCATED);
    cr_assert_eq(w.errors[1].offset, 41);
    ek_vec_free(&v);
    ek_vec_free(&w);
}

Test(manifest, save_refuses_what_load_would_reject)
{
    ek_vec v;
    char path[256], eb[512];
    sample(&v, "bad id!");
    snprintf(path, sizeof path, "%s/x.cbor", dir);
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "id:") != NULL, "%s", eb);
    snprintf(v.id, sizeof v.id, "x");
    v.linktype = 147;
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "linktype:") != NULL, "%s", eb);
    v.linktype = 195;
    cr_assert(ek_vec_add_error(&v, EK_ERR_MALFORMED, "wpan.fcf", 0));
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "wellformed") != NULL, "%s", eb);
    ek_vec_free(&v);
    ek_vec_init(&v);
    sample(&v, "x");
    snprintf(v.expect[4].value.text, EK_VEC_TEXT_MAX, "fd00:0::1"); /* dodagid, not RFC 5952 */
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "expect.icmpv6.rpl.dio.dagid") != NULL, "%s", eb);
    ek_vec_free(&v);
}

Test(manifest, expect_setters_reject_unknown_keys_and_kinds)
{
    ek_vec v;
    sample(&v, "k");
    cr_assert_not(ek_vec_expect_uint(&v, "no_such_key", 1));
    cr_assert_not(ek_vec_expect_bool(&v, "icmpv6.rpl.dio.rank", true));
    cr_assert_not(ek_vec_expect_uint(&v, "wpan.dst_pan", 1)); /* duplicate */
    ek_vec_free(&v);
}

/* Builds {"id": id, ...} with one key changed by `mut` and saves it as name. */
static void write_mutant(const char *name, const char *id, const char *drop, const char *extra_key,
                         cbor_item_t *extra_val)
{
    cbor_item_t *m = cbor_new_indefinite_map();
    struct { const char *k; cbor_item_t *v; } kv[] = {
        { "id", cbor_build_string(id) },
        { "description", cbor_build_string("d") },
        { "refs", cbor_new_definite_array(0) },
        { "linktype", cbor_build_uint8(230) },
        { "frame", cbor_build_bytestring((const unsigned char *)"\x41\x88", 2) },
        { "wellformed", cbor_build_bool(true) },
        { "expect", cbor_new_definite_map(0) },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        if (drop && !strcmp(drop, kv[i].k)) {
            cbor_decref(&kv[i].v);
            continue;
        }
        if (extra_key && !strcmp(extra_key, kv[i].k)) {
            cbor_decref(&kv[i].v);
            continue;
        }
        cr_assert(cbor_map_add(m, (struct cbor_pair){ .key = cbor_move(cbor_build_string(kv[i].k)), .value = cbor_move(kv[i].v) }), "libcbor allocation");
    }
    if (extra_key)
        cr_assert(cbor_map_add(m, (struct cbor_pair){ .key = cbor_move(cbor_build_string(extra_key)), .value = cbor_move(extra_val) }), "libcbor allocation");
    unsigned char *buf;
    size_t cap;
    size_t n = cbor_serialize_alloc(m, &buf, &cap);
    save_raw(name, buf, n);
    free(buf);
    cbor_decref(&m);
}

static cbor_item_t *map1(const char *k, cbor_item_t *v)
{
    cbor_item_t *m = cbor_new_definite_map(1);
    cr_assert(cbor_map_add(m, (struct cbor_pair){ .key = cbor_move(cbor_build_string(k)), .value = cbor_move(v) }), "libcbor allocation");
    return m;
}

Test(manifest, minimal_handmade_manifest_loads)
{
    write_mutant("ok.cbor", "ok", NULL, NULL, NULL);
    char path[256], eb[512];
    ek_vec v;
    snprintf(path, sizeof path, "%s/ok.cbor", dir);
    cr_assert(ek_vec_load(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert_eq(v.frame_len, 2);
    ek_vec_free(&v);
}

Test(manifest, strict_validation_names_the_key)
{
    write_mutant("a.cbor", "a", "frame", NULL, NULL);
    load_expect_fail("a.cbor", "frame: missing");
    write_mutant("b.cbor", "b", NULL, "colour", cbor_build_uint8(1));
    load_expect_fail("b.cbor", "colour: unknown key");
    write_mutant("c.cbor", "c", NULL, "linktype", cbor_build_string("195"));
    load_expect_fail("c.cbor", "linktype: must be an unsigned integer");
    write_mutant("d.cbor", "d", NULL, "wellformed", cbor_build_uint8(1));
    load_expect_fail("d.cbor", "wellformed: must be a bool");
    write_mutant("e.cbor", "e", NULL, "expect", map1("icmpv6.rpl.dio.rank", cbor_build_string("256")));
    load_expect_fail("e.cbor", "expect.icmpv6.rpl.dio.rank: must be an unsigned integer");
    write_mutant("f.cbor", "f", NULL, "expect", map1("colour", cbor_build_uint8(1)));
    load_expect_fail("f.cbor", "expect.colour: unknown key");
    write_mutant("g.cbor", "g", NULL, "profile", map1("ep_profile", cbor_build_string("draft-99")));
    load_expect_fail("g.cbor", "profile.ep_profile: unknown profile");
    write_mutant("h.cbor", "h", NULL, "profile", map1("ep_type", cbor_build_uint16(300)));
    load_expect_fail("h.cbor", "profile.ep_type: 300 exceeds 255");
    write_mutant("r.cbor", "r", NULL, "expect", map1("icmpv6.rpl.dio.rank", cbor_build_uint32(70000)));
    load_expect_fail("r.cbor", "expect.icmpv6.rpl.dio.rank: 70000 exceeds 65535");
    write_mutant("i.cbor", "i", NULL, "expect", map1("wpan.src64", cbor_build_string("00124b0014b5d9c7")));
    load_expect_fail("i.cbor", "expect.wpan.src64");
    write_mutant("j.cbor", "j", NULL, "expect", map1("enroll.ji.network_id", cbor_build_string("0A0B")));
    load_expect_fail("j.cbor", "expect.enroll.ji.network_id");
    write_mutant("k.cbor", "k", NULL, "error", map1("code", cbor_build_string("MALFORMED")));
    load_expect_fail("k.cbor", "error.field: missing");
    write_mutant("l.cbor", "l", NULL, "error", cbor_new_definite_array(0));
    load_expect_fail("l.cbor", "error: empty array");
    write_mutant("mismatch.cbor", "other", NULL, NULL, NULL);
    load_expect_fail("mismatch.cbor", "does not match the file name");
    write_mutant("n.cbor", "n", NULL, "refs", cbor_build_string("RFC 9032"));
    load_expect_fail("n.cbor", "refs: must be an array");
    save_raw("o.cbor", "\xa1\x61", 2); /* truncated CBOR */
    load_expect_fail("o.cbor", "cbor: not well-formed");
    save_raw("p.cbor", "\x01", 1);
    load_expect_fail("p.cbor", ": must be a map");
    load_expect_fail("nonexistent.cbor", "No such file");
}

Test(manifest, duplicate_key_is_rejected)
{
    /* {"id":"q","id":"q", ...} hand-assembled: map(2) "id" "q" "id" "q" */
    static const uint8_t b[] = { 0xa2, 0x62, 'i', 'd', 0x61, 'q', 0x62, 'i', 'd', 0x61, 'q' };
    save_raw("q.cbor", b, sizeof b);
    load_expect_fail("q.cbor", "id: duplicate key");
}

Test(manifest, trailing_bytes_are_rejected)
{
    static const uint8_t b[] = { 0xa0, 0x00 };
    save_raw("t.cbor", b, sizeof b);
    load_expect_fail("t.cbor", "trailing");
}

Test(manifest, list_dir_is_sorted_and_only_cbor)
{
    save_raw("b.cbor", "", 0);
    save_raw("a.cbor", "", 0);
    save_raw("c.txt", "", 0);
    save_raw(".hidden.cbor", "", 0);
    save_raw("a0.cbor", "", 0);
    ek_vec_paths p;
    char eb[256];
    cr_assert(ek_vec_list_dir(dir, &p, eb, sizeof eb), "%s", eb);
    cr_assert_eq(p.n, 3);
    cr_assert(strstr(p.path[0], "/a.cbor"));
    cr_assert(strstr(p.path[1], "/a0.cbor"));
    cr_assert(strstr(p.path[2], "/b.cbor"));
    ek_vec_paths_free(&p);
    cr_assert_not(ek_vec_list_dir("/nonexistent-dir", &p, eb, sizeof eb));
    cr_assert(strstr(eb, "/nonexistent-dir") != NULL);
}

/* ---- profile.contexts (RFC 6282 §3.1.2) ---- */

/* memmem without _GNU_SOURCE (C11 build) */
static const uint8_t *find_bytes(const uint8_t *h, size_t hn, const void *needle, size_t nn)
{
    for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
        if (!memcmp(h + i, needle, nn))
            return h + i;
    return NULL;
}

static cbor_item_t *strs(size_t n, const char *const *s)
{
    cbor_item_t *a = cbor_new_definite_array(n);
    for (size_t i = 0; i < n; i++)
        cr_assert(cbor_array_push(a, cbor_move(cbor_build_string(s[i]))), "libcbor allocation");
    return a;
}

static cbor_item_t *ctx_profile(size_t n, const char *const *s)
{
    return map1("contexts", strs(n, s));
}

Test(manifest, contexts_round_trip_canonically_and_reach_the_profile)
{
    ek_vec v, w;
    char path[256], eb[512];
    sample(&v, "c1");
    /* set out of order: the writer still lists them by ascending N */
    cr_assert(ek_vec_set_context(&v, 15, "2001:db8:1::/48"));
    cr_assert(ek_vec_set_context(&v, 0, "fd00::/64"));
    cr_assert(ek_vec_set_context(&v, 1, "fd01:2::/64"));
    cr_assert(v.has_profile);
    cr_assert_eq(ek_vec_n_contexts(&v), 3);
    snprintf(path, sizeof path, "%s/c1.cbor", dir);
    cr_assert(ek_vec_save(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_load(path, &w, eb, sizeof eb), "%s", eb);
    cr_assert_str_eq(w.contexts[0], "fd00::/64");
    cr_assert_str_eq(w.contexts[1], "fd01:2::/64");
    cr_assert_str_eq(w.contexts[15], "2001:db8:1::/48");
    cr_assert_eq(ek_vec_n_contexts(&w), 3);

    ek_profile p;
    cr_assert(ek_vec_profile(&w, &p));
    static const uint8_t fd00[16] = { 0xfd, 0x00 };
    static const uint8_t fd01[16] = { 0xfd, 0x01, 0x00, 0x02 };
    cr_assert(p.ctx[0].valid);
    cr_assert_eq(p.ctx[0].prefix_len, 64);
    cr_assert_arr_eq(p.ctx[0].prefix, fd00, 16);
    cr_assert(p.ctx[1].valid);
    cr_assert_arr_eq(p.ctx[1].prefix, fd01, 16);
    cr_assert_eq(p.ctx[15].prefix_len, 48);
    for (unsigned i = 2; i < 15; i++)
        cr_assert_not(p.ctx[i].valid, "ctx %u", i);

    /* canonical bytes: ..."ie_profile" <tstr> "contexts" [3 tstr ascending] */
    uint8_t *a, *b;
    size_t an, bn;
    cr_assert(ek_vec_encode(&v, &a, &an, eb, sizeof eb), "%s", eb);
    cr_assert(ek_vec_encode(&w, &b, &bn, eb, sizeof eb), "%s", eb);
    cr_assert_eq(an, bn);
    cr_assert_arr_eq(a, b, an);
    static const uint8_t want[] = { 0x68, 'c', 'o', 'n', 't', 'e', 'x', 't', 's', 0x83,
                                    0x6b, '0', '=', 'f', 'd', '0', '0', ':', ':', '/', '6', '4',
                                    0x6d, '1', '=', 'f', 'd', '0', '1', ':', '2', ':', ':', '/', '6', '4' };
    const uint8_t *at = find_bytes(a, an, want, sizeof want);
    const uint8_t *ie = find_bytes(a, an, "\x6aie_profile", 11);
    const uint8_t *ex = find_bytes(a, an, "\x66" "expect", 7);
    cr_assert(at && ie && ex);
    cr_assert(ie < at && at < ex, "contexts must follow ie_profile and precede expect");
    free(a);
    free(b);
    ek_vec_free(&v);
    ek_vec_free(&w);
}

Test(manifest, no_contexts_means_no_key_and_an_empty_table)
{
    ek_vec v;
    char eb[512];
    sample(&v, "c0");
    v.has_profile = true;
    uint8_t *a;
    size_t an;
    cr_assert(ek_vec_encode(&v, &a, &an, eb, sizeof eb), "%s", eb);
    cr_assert_null(find_bytes(a, an, "contexts", 8));
    free(a);
    ek_profile p;
    cr_assert(ek_vec_profile(&v, &p));
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++)
        cr_assert_not(p.ctx[i].valid);
    ek_vec_free(&v);
}

Test(manifest, context_setter_accepts_only_the_canonical_spelling)
{
    ek_vec v;
    sample(&v, "cs");
    cr_assert(ek_vec_set_context(&v, 3, "::/0"));
    cr_assert(ek_vec_set_context(&v, 4, "fd00:1:2:3:4:5:6:7/128"));
    cr_assert_not(ek_vec_set_context(&v, 16, "fd00::/64"));      /* N is 4 bits */
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00:0::/64"));     /* not RFC 5952 */
    cr_assert_not(ek_vec_set_context(&v, 0, "FD00::/64"));       /* not RFC 5952 (case) */
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::/064"));      /* leading zero */
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::/129"));
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::/"));
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::"));          /* no LEN */
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::1/64"));      /* bits past LEN */
    cr_assert_not(ek_vec_set_context(&v, 0, "fd00::/6x"));
    cr_assert_eq(v.contexts[0][0], '\0');
    ek_vec_free(&v);
}

Test(manifest, save_refuses_a_bad_or_orphan_context)
{
    ek_vec v;
    char path[256], eb[512];
    sample(&v, "co");
    snprintf(path, sizeof path, "%s/co.cbor", dir);
    snprintf(v.contexts[2], EK_VEC_CONTEXT_MAX, "fd00::/64"); /* bypasses the setter */
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "profile.contexts: context 2") != NULL, "%s", eb);
    v.has_profile = true;
    snprintf(v.contexts[2], EK_VEC_CONTEXT_MAX, "fd00::1/64");
    cr_assert_not(ek_vec_save(path, &v, eb, sizeof eb));
    cr_assert(strstr(eb, "profile.contexts: context 2 'fd00::1/64': prefix has bits set past LEN") != NULL, "%s", eb);
    ek_vec_free(&v);
}

Test(manifest, strict_context_validation_names_the_entry)
{
    static const char *const one_ok[] = { "0=fd00::/64" };
    write_mutant("c0.cbor", "c0", NULL, "profile", ctx_profile(1, one_ok));
    char path[256], eb[512];
    ek_vec v;
    snprintf(path, sizeof path, "%s/c0.cbor", dir);
    cr_assert(ek_vec_load(path, &v, eb, sizeof eb), "%s", eb);
    cr_assert(v.has_profile);
    cr_assert_str_eq(v.contexts[0], "fd00::/64");
    ek_vec_free(&v);

    write_mutant("ca.cbor", "ca", NULL, "profile", map1("contexts", cbor_build_string("0=fd00::/64")));
    load_expect_fail("ca.cbor", "profile.contexts: must be a (definite) array");
    write_mutant("cb.cbor", "cb", NULL, "profile", ctx_profile(0, NULL));
    load_expect_fail("cb.cbor", "profile.contexts: empty array");
    cbor_item_t *mixed = cbor_new_definite_array(1);
    cr_assert(cbor_array_push(mixed, cbor_move(cbor_build_uint8(0))), "libcbor allocation");
    write_mutant("cc.cbor", "cc", NULL, "profile", map1("contexts", mixed));
    load_expect_fail("cc.cbor", "profile.contexts[0]: must be a (definite) text string");
    static const char *const n16[] = { "16=fd00::/64" };
    write_mutant("cd.cbor", "cd", NULL, "profile", ctx_profile(1, n16));
    load_expect_fail("cd.cbor", "profile.contexts[0]: '16=fd00::/64': expected N=PREFIX/LEN with N in 0..15");
    static const char *const n0x[] = { "0=fd00::/64", "01=fd01::/64" };
    write_mutant("ce.cbor", "ce", NULL, "profile", ctx_profile(2, n0x));
    load_expect_fail("ce.cbor", "profile.contexts[1]: '01=fd01::/64': expected N=PREFIX/LEN");
    static const char *const noeq[] = { "fd00::/64" };
    write_mutant("cf.cbor", "cf", NULL, "profile", ctx_profile(1, noeq));
    load_expect_fail("cf.cbor", "profile.contexts[0]: 'fd00::/64': expected N=PREFIX/LEN");
    static const char *const dup[] = { "1=fd00::/64", "1=fd01::/64" };
    write_mutant("cg.cbor", "cg", NULL, "profile", ctx_profile(2, dup));
    load_expect_fail("cg.cbor", "profile.contexts[1]: '1=fd01::/64': context 1 given twice");
    static const char *const order[] = { "2=fd00::/64", "1=fd01::/64" };
    write_mutant("ch.cbor", "ch", NULL, "profile", ctx_profile(2, order));
    load_expect_fail("ch.cbor", "profile.contexts[1]: '1=fd01::/64': context 1 out of order");
    static const char *const noncanon[] = { "0=fd00:0:0::/64" };
    write_mutant("ci.cbor", "ci", NULL, "profile", ctx_profile(1, noncanon));
    load_expect_fail("ci.cbor", "profile.contexts[0]: '0=fd00:0:0::/64': prefix must be canonical");
    static const char *const badlen[] = { "0=fd00::/129" };
    write_mutant("cj.cbor", "cj", NULL, "profile", ctx_profile(1, badlen));
    load_expect_fail("cj.cbor", "profile.contexts[0]: '0=fd00::/129': LEN must be");
    static const char *const hostbits[] = { "0=fd00::1/64" };
    write_mutant("ck.cbor", "ck", NULL, "profile", ctx_profile(1, hostbits));
    load_expect_fail("ck.cbor", "profile.contexts[0]: '0=fd00::1/64': prefix has bits set past LEN");
    static const char *const nolen[] = { "0=fd00::" };
    write_mutant("cl.cbor", "cl", NULL, "profile", ctx_profile(1, nolen));
    load_expect_fail("cl.cbor", "profile.contexts[0]: '0=fd00::': expected PREFIX/LEN");
    static const char *const many[17] = { "0=::/0", "1=::/0", "2=::/0", "3=::/0", "4=::/0", "5=::/0",
                                          "6=::/0", "7=::/0", "8=::/0", "9=::/0", "10=::/0", "11=::/0",
                                          "12=::/0", "13=::/0", "14=::/0", "15=::/0", "15=::/0" };
    write_mutant("cm.cbor", "cm", NULL, "profile", ctx_profile(17, many));
    load_expect_fail("cm.cbor", "profile.contexts: more than 16 entries");
    write_mutant("cn.cbor", "cn", NULL, "profile", map1("context", strs(1, one_ok)));
    load_expect_fail("cn.cbor", "profile.context: unknown key");
}
