/* SPDX-License-Identifier: BSD-3-Clause */
/* Status names and error formatting shared by every codec module. */
#include <stdio.h>

#include "ek/base.h"

const char *ek_status_name(ek_status s)
{
    switch (s) {
    case EK_OK: return "OK";
    case EK_ERR_TRUNCATED: return "TRUNCATED";
    case EK_ERR_MALFORMED: return "MALFORMED";
    case EK_ERR_UNSUPPORTED: return "UNSUPPORTED";
    case EK_ERR_NOSPACE: return "NOSPACE";
    }
    return "UNKNOWN";
}

const char *ek_err_format(const ek_err *e, char *buf, size_t buflen)
{
    if (!buf || buflen == 0)
        return buf;
    if (!e || e->code == EK_OK) {
        snprintf(buf, buflen, "OK");
    } else if (e->code == EK_ERR_TRUNCATED || e->code == EK_ERR_NOSPACE) {
        snprintf(buf, buflen, "%s at %s (offset %zu): need %zu byte(s), have %zu",
                 ek_status_name(e->code), e->field ? e->field : "?", e->offset, e->need, e->have);
    } else {
        snprintf(buf, buflen, "%s at %s (offset %zu)", ek_status_name(e->code),
                 e->field ? e->field : "?", e->offset);
    }
    return buf;
}

ek_status ek_err_set(ek_err *e, ek_status code, const char *field, size_t offset)
{
    if (e) {
        ek_err_clear(e);
        e->code = code;
        e->field = field;
        e->offset = offset;
    }
    return code;
}
