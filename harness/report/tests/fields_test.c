/* SPDX-License-Identifier: BSD-3-Clause */
/* The field table renders what issue 2 §4 asks: numbers as JSON numbers, addresses as
 * canonical text, byte strings as lowercase hex, absent fields omitted. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/fields.h"

static char *json_of(const ek_frame *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    cr_assert_not_null(o);
    ek_json_frame(o, 7, f);
    fclose(o);
    return buf;
}

Test(fields, every_key_is_unique_and_findable)
{
    for (size_t i = 0; i < ek_fields_count; i++) {
        cr_assert_eq(ek_field_find(ek_fields[i].key), &ek_fields[i], "%s", ek_fields[i].key);
    }
    cr_assert_null(ek_field_find("no_such_key"));
}

Test(fields, json_renders_types_and_omits_absent_fields)
{
    static ek_frame f;
    memset(&f, 0, sizeof f);
    static const uint8_t netid[] = { 0xab, 0x01 };
    f.sum.has_fcs = true;
    f.sum.fcs_ok = true;
    f.sum.has_src64 = true;
    memcpy(f.sum.src64, "\x00\x12\x4b\x00\x00\x00\x00\x01", 8);
    f.sum.has_dio = true;
    f.sum.rank = 256;
    f.sum.version = 240;
    f.sum.instance_id = 30;
    f.sum.dtsn = 1;
    f.sum.dodagid[0] = 0xfd;
    f.sum.dodagid[15] = 0x01;
    f.sum.has_ji = true;
    f.sum.proxy_priority = 0x25;
    f.sum.network_id = ek_view_make(netid, sizeof netid);
    f.n_errors = 1;
    f.errors[0] = (ek_err){ EK_ERR_MALFORMED, "enroll.mep.length", 41, 0, 0 };
    char *j = json_of(&f);
    cr_assert_str_eq(j, "{\"frame\":7,\"fcs_ok\":true,\"src64\":\"00:12:4b:00:00:00:00:01\",\"dodagid\":\"fd00::1\","
                        "\"instance_id\":30,\"version\":240,\"rank\":256,\"dtsn\":1,\"proxy_priority\":37,"
                        "\"rank_priority\":0,\"pan_priority\":0,\"network_id\":\"ab01\","
                        "\"errors\":[{\"code\":\"MALFORMED\",\"field\":\"enroll.mep.length\",\"offset\":41}]}\n");
    free(j);
}
