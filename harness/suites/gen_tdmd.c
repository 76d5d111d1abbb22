/* SPDX-License-Identifier: BSD-3-Clause */
/* gen_tdmd: writes docs/test-descriptions.md from the TD registry (ek_suites_write_markdown),
 * or with --check FILE compares the registry's output with the checked-in file (the meson
 * test td_doc_current) and names the first differing line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/suites.h"

static char *slurp(FILE *f, size_t *n)
{
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    for (;;) {
        if (len == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
        }
        size_t r = fread(b + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    *n = len;
    return b;
}

static int check(const char *path)
{
    FILE *want = tmpfile(), *have = fopen(path, "rb");
    if (!want || !have) {
        fprintf(stderr, "gen_tdmd: cannot open %s\n", have ? "a temporary file" : path);
        return 1;
    }
    ek_suites_write_markdown(want);
    rewind(want);
    size_t wn = 0, hn = 0;
    char *w = slurp(want, &wn), *h = slurp(have, &hn);
    fclose(want);
    fclose(have);
    if (!w || !h)
        return 1;
    int rc = 0;
    if (wn != hn || memcmp(w, h, wn) != 0) {
        size_t i = 0, line = 1;
        while (i < wn && i < hn && w[i] == h[i])
            line += w[i++] == '\n';
        fprintf(stderr, "gen_tdmd: %s is out of date (first difference on line %zu); regenerate it "
                        "with: gen_tdmd -o %s\n", path, line, path);
        rc = 1;
    } else {
        printf("%s is current\n", path);
    }
    free(w);
    free(h);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--check") == 0)
        return check(argv[2]);
    if (argc == 3 && strcmp(argv[1], "-o") == 0) {
        FILE *o = fopen(argv[2], "wb");
        if (!o) {
            perror(argv[2]);
            return 1;
        }
        ek_suites_write_markdown(o);
        return fclose(o) == 0 ? 0 : 1;
    }
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        ek_suites_write_list(stdout);
        return 0;
    }
    if (argc == 1) {
        ek_suites_write_markdown(stdout);
        return 0;
    }
    fprintf(stderr, "usage: gen_tdmd [-o FILE | --check FILE | --list]\n");
    return 2;
}
