/* SPDX-License-Identifier: BSD-3-Clause */
/* pcapng writer tests: files read back through libpcap (ek_cap_open), comments and
 * direction flags checked with stock tshark (`-e frame.comment -e
 * frame.packet_flags_direction`, shown as 0x00000001 / 0x00000002; skipped when tshark is missing), padding for every
 * comment length mod 4, streaming (readable before close), open errors name the path. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek/pcapng.h"
#include "ek/wr.h"

/* Data frame, 2015, PAN 0xabcd, dst 0xffff, src extended: tshark shows
 * "IEEE 802.15.4 Data, Dst: Broadcast, Src: ..." with a correct FCS once appended. */
static const uint8_t mpdu[] = { 0x41, 0xd8, 0x07, 0xcd, 0xab, 0xff, 0xff, 0xc7, 0xd9, 0xb5,
                                0x14, 0x00, 0x4b, 0x12, 0x00, 0x00, 0x01, 0x02, 0x03 };

static size_t with_fcs(uint8_t *out, size_t cap, size_t mlen)
{
    ek_buf b;
    ek_buf_init(&b, out, cap);
    cr_assert(ek_wr_bytes(&b, "mpdu", mpdu, mlen));
    cr_assert(ek_fcs16_append(&b));
    return b.len;
}

static void tmpname(char *buf, size_t n, const char *suffix)
{
    snprintf(buf, n, "/tmp/ek-pcapng-%ld-%s", (long)getpid(), suffix);
}

static const char *comments[] = {
    "TP-EP-06 step 3: proxy priority 0x30 < minimum 0x40 -> FAIL",
    "",
    "quotes \" ' <tag> & amp; tab\there \xc3\xa9\xe2\x86\x92 done",
    "a",
    "ab",
    "abc",
    "abcd",
};
#define NC (sizeof comments / sizeof comments[0])

static bool have_tshark(void)
{
    return system("tshark -v >/dev/null 2>&1") == 0;
}

Test(pcapng, written_file_reads_back_through_libpcap)
{
    char path[128], eb[512];
    tmpname(path, sizeof path, "rb.pcapng");
    ek_pcapng_opts o;
    ek_pcapng_opts_default(&o);
    o.shb_comment = "enroll-harness run against refdut";
    o.if_name = "zep://127.0.0.1:17754";
    ek_pcapng *w;
    cr_assert_eq(ek_pcapng_open(path, &o, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t fr[NC][64];
    size_t fl[NC];
    for (size_t i = 0; i < NC; i++) {
        fl[i] = with_fcs(fr[i], sizeof fr[i], sizeof mpdu - i);
        cr_assert_eq(ek_pcapng_write(w, 1700000000123456789ull + i * 1000000ull, fr[i], fl[i],
                                     i % 2 ? EK_PCAPNG_DIR_IN : EK_PCAPNG_DIR_OUT, comments[i]),
                     EK_CAP_IO_OK);
    }
    cr_assert_eq(ek_pcapng_count(w), NC);
    cr_assert_str_eq(ek_pcapng_errmsg(w), "");
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);

    ek_cap_reader *r;
    ek_cap_record rec;
    cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    cr_assert_eq(ek_cap_linktype(r), EK_LT_IEEE802_15_4_WITHFCS);
    for (size_t i = 0; i < NC; i++) {
        cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_OK, "%s", ek_cap_errmsg(r));
        cr_assert_eq(rec.ts_sec, 1700000000u);
        cr_assert_eq(rec.ts_nsec, 123456789u + (uint32_t)i * 1000000u);
        cr_assert_eq(rec.data.len, fl[i]);
        cr_assert_arr_eq(rec.data.p, fr[i], fl[i]);
        ek_cap_frame f;
        ek_err e;
        cr_assert_eq(ek_cap_decap(rec.linktype, rec.data, &f, &e), EK_OK);
        cr_assert(f.fcs_ok);
    }
    cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_EOF);
    ek_cap_close(r);
    unlink(path);
}

/* tshark 4.0: frame.comment is the EPB opt_comment, frame.packet_flags_direction the
 * epb_flags bits 0-1 (1 inbound, 2 outbound). */
Test(pcapng, tshark_shows_comments_and_direction)
{
    if (!have_tshark()) cr_skip_test("tshark not installed");
    char path[128], eb[512], cmd[512];
    tmpname(path, sizeof path, "ts.pcapng");
    ek_pcapng *w;
    cr_assert_eq(ek_pcapng_open(path, NULL, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t fr[64];
    size_t n = with_fcs(fr, sizeof fr, sizeof mpdu);
    cr_assert_eq(ek_pcapng_write(w, 1700000000000000000ull, fr, n, EK_PCAPNG_DIR_OUT, comments[0]), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_write(w, 1700000000500000000ull, fr, n, EK_PCAPNG_DIR_IN, comments[2]), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_write(w, 1700000001000000000ull, fr, n, EK_PCAPNG_DIR_UNKNOWN, NULL), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);

    snprintf(cmd, sizeof cmd,
             "tshark -r %s -T fields -E separator=, -e frame.number -e frame.packet_flags_direction "
             "-e frame.comment 2>/dev/null",
             path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char line[3][512] = { { 0 } };
    for (int i = 0; i < 3; i++) cr_assert_not_null(fgets(line[i], sizeof line[i], p), "line %d", i);
    char extra[64];
    cr_assert_null(fgets(extra, sizeof extra, p), "unexpected: %s [%s|%s|%s]", extra, line[0], line[1], line[2]);
    cr_assert_eq(pclose(p), 0);
    char want[512];
    snprintf(want, sizeof want, "1,0x00000002,%s\n", comments[0]);
    cr_assert_str_eq(line[0], want);
    /* tshark -T fields escapes tab as \t in field values. */
    cr_assert_str_eq(line[1], "2,0x00000001,quotes \" ' <tag> & amp; tab\\there \xc3\xa9\xe2\x86\x92 done\n");
    cr_assert_str_eq(line[2], "3,,\n");

    /* And nothing Malformed in the frames themselves. */
    snprintf(cmd, sizeof cmd, "tshark -r %s -V 2>&1 | grep -c -i malformed", path);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(extra, sizeof extra, p));
    pclose(p);
    cr_assert_str_eq(extra, "0\n");
    unlink(path);
}

/* Every block is on disk as soon as ek_pcapng_write returns (a crash loses nothing). */
Test(pcapng, streaming_file_is_readable_before_close)
{
    char path[128], eb[512];
    tmpname(path, sizeof path, "st.pcapng");
    ek_pcapng *w;
    cr_assert_eq(ek_pcapng_open(path, NULL, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t fr[64];
    size_t n = with_fcs(fr, sizeof fr, sizeof mpdu);
    for (int k = 1; k <= 3; k++) {
        cr_assert_eq(ek_pcapng_write(w, (uint64_t)k * 1000000000ull, fr, n, EK_PCAPNG_DIR_IN, comments[k % NC]),
                     EK_CAP_IO_OK);
        ek_cap_reader *r;
        ek_cap_record rec;
        cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
        int got = 0;
        while (ek_cap_next(r, &rec) == EK_CAP_IO_OK) got++;
        ek_cap_close(r);
        cr_assert_eq(got, k);
    }
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
    unlink(path);
}

/* Layout: SHB, IDB, EPB lengths are multiples of 4 and the trailing length repeats. */
Test(pcapng, blocks_are_padded_and_lengths_repeat)
{
    char path[128], eb[512];
    tmpname(path, sizeof path, "ly.pcapng");
    ek_pcapng *w;
    cr_assert_eq(ek_pcapng_open(path, NULL, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t fr[64];
    for (size_t i = 0; i < NC; i++) {
        size_t n = with_fcs(fr, sizeof fr, sizeof mpdu - i);
        cr_assert_eq(ek_pcapng_write(w, 42, fr, n, EK_PCAPNG_DIR_OUT, comments[i]), EK_CAP_IO_OK);
    }
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    static uint8_t all[1 << 16];
    size_t total = fread(all, 1, sizeof all, f);
    fclose(f);
    size_t off = 0, blocks = 0;
    while (off < total) {
        cr_assert_leq(off + 12, total);
        uint32_t type = (uint32_t)all[off] | (uint32_t)all[off + 1] << 8 | (uint32_t)all[off + 2] << 16 |
                        (uint32_t)all[off + 3] << 24;
        uint32_t len = (uint32_t)all[off + 4] | (uint32_t)all[off + 5] << 8 | (uint32_t)all[off + 6] << 16 |
                       (uint32_t)all[off + 7] << 24;
        cr_assert_eq(len % 4, 0, "block %zu length %u", blocks, len);
        cr_assert_leq(off + len, total);
        cr_assert_arr_eq(all + off + len - 4, all + off + 4, 4);
        if (blocks == 0) cr_assert_eq(type, 0x0A0D0D0Au);
        if (blocks == 1) cr_assert_eq(type, 1u);
        if (blocks >= 2) cr_assert_eq(type, 6u);
        off += len;
        blocks++;
    }
    cr_assert_eq(off, total);
    cr_assert_eq(blocks, 2 + NC);
    unlink(path);
}

/* A comment longer than an option can hold is cut at a UTF-8 boundary, not mid-character. */
Test(pcapng, huge_comment_is_cut_at_a_character_boundary)
{
    char path[128], eb[512];
    tmpname(path, sizeof path, "big.pcapng");
    size_t n = 70000;
    char *c = malloc(n + 1);
    cr_assert_not_null(c);
    c[0] = 'x';
    for (size_t i = 1; i + 1 < n; i += 2) { /* "é" = c3 a9 at odd offsets */
        c[i] = (char)0xc3;
        c[i + 1] = (char)0xa9;
    }
    c[n - 1] = 'y';
    c[n] = 0;
    ek_pcapng *w;
    cr_assert_eq(ek_pcapng_open(path, NULL, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t fr[64];
    size_t fn = with_fcs(fr, sizeof fr, sizeof mpdu);
    cr_assert_eq(ek_pcapng_write(w, 1, fr, fn, EK_PCAPNG_DIR_IN, c), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
    free(c);
    FILE *f = fopen(path, "rb");
    static uint8_t all[1 << 17];
    size_t total = fread(all, 1, sizeof all, f);
    fclose(f);
    /* Find the EPB option: after SHB + IDB + 28-octet EPB header + padded data. */
    size_t off = 0;
    for (int b = 0; b < 2; b++)
        off += (size_t)all[off + 4] | (size_t)all[off + 5] << 8 | (size_t)all[off + 6] << 16;
    size_t opt = off + 28 + ((fn + 3) & ~(size_t)3);
    cr_assert_leq(opt + 4, total);
    cr_assert_eq(all[opt] | all[opt + 1] << 8, 1); /* opt_comment */
    unsigned olen = all[opt + 2] | (unsigned)all[opt + 3] << 8;
    cr_assert_leq(olen, 65532u);
    cr_assert_eq(olen % 2, 1, "cut inside a 2-octet character: %u", olen);
    cr_assert_eq(all[opt + 4 + olen - 1], 0xa9);
    unlink(path);
}

Test(pcapng, open_error_names_the_path)
{
    char eb[512];
    ek_pcapng *w = (ek_pcapng *)1;
    cr_assert_eq(ek_pcapng_open("/nonexistent-dir/x.pcapng", NULL, &w, eb, sizeof eb), EK_CAP_IO_ERR_OPEN);
    cr_assert_null(w);
    cr_assert(strstr(eb, "/nonexistent-dir/x.pcapng") != NULL, "%s", eb);
    cr_assert(strstr(eb, "No such file") != NULL, "%s", eb);
    cr_assert_eq(ek_pcapng_close(NULL), EK_CAP_IO_OK);
}

Test(pcapng, write_error_on_full_device_is_reported_with_path)
{
    if (access("/dev/full", W_OK) != 0) cr_skip_test("no /dev/full");
    char eb[512];
    ek_pcapng *w;
    /* The SHB write itself fails on /dev/full. */
    ek_cap_io rc = ek_pcapng_open("/dev/full", NULL, &w, eb, sizeof eb);
    cr_assert_eq(rc, EK_CAP_IO_ERR_WRITE);
    cr_assert_null(w);
    cr_assert(strstr(eb, "/dev/full: write: ") != NULL, "%s", eb);
}
