/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap I/O tests: our classic-pcap writer read back through libpcap, pcapng made by
 * `editcap -F pcapng` from it (skipped if editcap is missing), open errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ek/decap.h"
#include "ek/pcapio.h"

static const uint8_t mpdu[] = { 0x41, 0xd8, 0x07, 0xcd, 0xab, 0xff, 0xff, 0xc7, 0xd9, 0xb5,
                                0x14, 0x00, 0x4b, 0x12, 0x00, 0x00, 0x01, 0x02, 0x03 };

static void tmpname(char *buf, size_t n, const char *suffix)
{
    snprintf(buf, n, "/tmp/ek-pcapio-%ld-%s", (long)getpid(), suffix);
}

/* Writes 3 records of `lt` (ZEP carriers get ZEP over IPv6) and returns their sizes. */
static void write_file(const char *path, int lt, uint8_t recs[3][256], size_t lens[3])
{
    ek_cap_writer *w;
    char eb[256];
    cr_assert_eq(ek_cap_writer_open(path, lt, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    for (int i = 0; i < 3; i++) {
        ek_buf b;
        ek_err e;
        ek_cap_encap_opts o;
        ek_cap_encap_opts_default(&o);
        o.seq = (uint32_t)i;
        ek_buf_init(&b, recs[i], 256);
        cr_assert_eq(ek_cap_encap(lt, ek_view_make(mpdu, sizeof mpdu - (size_t)i), true, &o, &b, &e), EK_OK);
        lens[i] = b.len;
        cr_assert_eq(ek_cap_write(w, 1700000000u + (uint64_t)i, 250000u * (uint32_t)i, ek_buf_view(&b)), EK_CAP_IO_OK);
    }
    cr_assert_eq(ek_cap_writer_close(w), EK_CAP_IO_OK);
}

static void read_back(const char *path, int want_lt, uint8_t recs[3][256], const size_t lens[3])
{
    ek_cap_reader *r;
    ek_cap_record rec;
    char eb[512];
    cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    cr_assert_eq(ek_cap_linktype(r), want_lt);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_OK, "%s", ek_cap_errmsg(r));
        cr_assert_eq(rec.index, (uint64_t)i + 1);
        cr_assert_eq(rec.linktype, want_lt);
        cr_assert_eq(rec.ts_sec, 1700000000u + (uint64_t)i);
        cr_assert_eq(rec.ts_nsec, 250000000u * (uint32_t)i);
        cr_assert_eq(rec.data.len, lens[i]);
        cr_assert_arr_eq(rec.data.p, recs[i], lens[i]);
        ek_cap_frame f;
        ek_err e;
        cr_assert_eq(ek_cap_decap(rec.linktype, rec.data, &f, &e), EK_OK);
        cr_assert_eq(f.mpdu.len, sizeof mpdu - (size_t)i);
        cr_assert_eq(f.fcs_checked, want_lt != EK_LT_IEEE802_15_4_NOFCS);
        cr_assert_eq(f.fcs_ok, want_lt != EK_LT_IEEE802_15_4_NOFCS);
    }
    cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_EOF);
    ek_cap_close(r);
}

Test(pcapio, written_pcap_reads_back_for_every_linktype)
{
    static const int lts[] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_NOFCS, EK_LT_IEEE802_15_4_TAP,
                               EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_NULL, EK_LT_LOOP,
                               EK_LT_IPV4, EK_LT_IPV6 };
    char path[128];
    tmpname(path, sizeof path, "rt.pcap");
    for (size_t k = 0; k < sizeof lts / sizeof lts[0]; k++) {
        uint8_t recs[3][256];
        size_t lens[3];
        write_file(path, lts[k], recs, lens);
        read_back(path, lts[k], recs, lens);
    }
    unlink(path);
}

Test(pcapio, linktype_raw_is_written_as_101_and_read_as_dlt_raw)
{
    char path[128];
    uint8_t recs[3][256];
    size_t lens[3];
    tmpname(path, sizeof path, "raw.pcap");
    write_file(path, EK_LT_RAW, recs, lens);
    FILE *f = fopen(path, "rb");
    uint8_t h[24];
    cr_assert_eq(fread(h, 1, 24, f), 24);
    fclose(f);
    cr_assert_eq(h[0], 0xd4); /* little-endian microsecond magic */
    cr_assert_eq(h[20], 101);
    ek_cap_reader *r;
    char eb[512];
    cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_OK);
    int lt = ek_cap_linktype(r);
    cr_assert(lt == EK_LT_DLT_RAW_12 || lt == EK_LT_DLT_RAW_14 || lt == EK_LT_RAW, "lt %d", lt);
    cr_assert_eq(ek_cap_dlt_to_linktype(lt), EK_LT_RAW);
    ek_cap_close(r);
    unlink(path);
}

Test(pcapio, pcapng_from_editcap_reads_the_same_records)
{
    if (system("command -v editcap >/dev/null 2>&1") != 0) {
        cr_skip_test("editcap not installed");
    }
    char path[128], ng[128], cmd[512];
    uint8_t recs[3][256];
    size_t lens[3];
    tmpname(path, sizeof path, "src.pcap");
    tmpname(ng, sizeof ng, "out.pcapng");
    write_file(path, EK_LT_EN10MB, recs, lens);
    snprintf(cmd, sizeof cmd, "editcap -F pcapng '%s' '%s'", path, ng);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(ng, "rb");
    uint8_t m[4];
    cr_assert_eq(fread(m, 1, 4, f), 4);
    fclose(f);
    cr_assert_eq(m[0], 0x0a); /* pcapng Section Header Block 0x0A0D0D0A */
    cr_assert_eq(m[1], 0x0d);
    read_back(ng, EK_LT_EN10MB, recs, lens);
    unlink(path);
    unlink(ng);
}

Test(pcapio, nonexistent_file_is_open_error_with_message)
{
    ek_cap_reader *r = (ek_cap_reader *)1;
    char eb[512] = "";
    cr_assert_eq(ek_cap_open("/nonexistent/dir/x.pcap", &r, eb, sizeof eb), EK_CAP_IO_ERR_OPEN);
    cr_assert_null(r);
    cr_assert(strstr(eb, "/nonexistent/dir/x.pcap") != NULL, "%s", eb);
    cr_assert(strstr(eb, "No such file") != NULL, "%s", eb);
}

Test(pcapio, non_capture_file_is_open_error)
{
    char path[128];
    tmpname(path, sizeof path, "junk.pcap");
    FILE *f = fopen(path, "wb");
    fputs("this is not a capture file at all\n", f);
    fclose(f);
    ek_cap_reader *r;
    char eb[512] = "";
    cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_ERR_OPEN);
    cr_assert(strlen(eb) > strlen(path) + 2, "%s", eb);
    unlink(path);
}

Test(pcapio, truncated_record_is_read_error)
{
    char path[128];
    uint8_t recs[3][256];
    size_t lens[3];
    tmpname(path, sizeof path, "cut.pcap");
    write_file(path, EK_LT_IEEE802_15_4_WITHFCS, recs, lens);
    cr_assert_eq(truncate(path, (off_t)(24 + 16 + lens[0] + 16 + 3)), 0);
    ek_cap_reader *r;
    ek_cap_record rec;
    char eb[512];
    cr_assert_eq(ek_cap_open(path, &r, eb, sizeof eb), EK_CAP_IO_OK);
    cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_OK);
    cr_assert_eq(ek_cap_next(r, &rec), EK_CAP_IO_ERR_READ);
    cr_assert(strstr(ek_cap_errmsg(r), "record 2") != NULL, "%s", ek_cap_errmsg(r));
    ek_cap_close(r);
    unlink(path);
}

Test(pcapio, writer_to_missing_dir_is_open_error)
{
    ek_cap_writer *w;
    char eb[256] = "";
    cr_assert_eq(ek_cap_writer_open("/nonexistent/dir/o.pcap", 195, &w, eb, sizeof eb), EK_CAP_IO_ERR_OPEN);
    cr_assert_null(w);
    cr_assert(strstr(eb, "No such file") != NULL, "%s", eb);
}
