/* SPDX-License-Identifier: BSD-3-Clause */
/* The JRC's persistent memory for enroll-refdut (see jrcstate.h). */
#include "jrcstate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define REC_MAX 512

int ek_jrcstate_load(ek_refnode *n, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char rec[REC_MAX + 1];
    size_t len = fread(rec, 1, sizeof rec, f);
    fclose(f);
    if (len > REC_MAX || !ek_refnode_jrc_restore(n, rec, len)) {
        snprintf(err, errlen, "%s: not a JRC state record", path);
        return -1;
    }
    return 0;
}

int ek_jrcstate_save(const ek_refnode *n, const char *path, char *err, size_t errlen)
{
    unsigned char rec[REC_MAX];
    size_t len = ek_refnode_jrc_state(n, rec, sizeof rec);
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(rec, 1, len, f) != len || fflush(f) != 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
