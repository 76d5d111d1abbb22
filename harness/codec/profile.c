/* SPDX-License-Identifier: BSD-3-Clause */
/* Wire-profile defaults and name tables (see ek/profile.h). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/profile.h"

void ek_profile_default(ek_profile *p)
{
    memset(p, 0, sizeof *p);
    p->mep_type = EK_MEP_TYPE_PROVISIONAL;
    p->mep = EK_MEP_DRAFT16;
    p->ji = EK_JI_RFC9032_LITERAL;
    p->ji_subtype = EK_IETF_SUBTYPE_JOIN_INFO;
}

static const char *const mep_names[] = { "draft-03", "draft-04", "draft-09", "draft-16" };
static const char *const ji_names[] = { "rfc9032-literal", "byte-aligned" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, unsigned n, unsigned i)
{
    return i < n ? names[i] : "?";
}

/* Index of `name` in names[0..n), exact match (CLI spelling); false if absent. */
static bool index_of(const char *const *names, unsigned n, const char *name, unsigned *i)
{
    for (*i = 0; name && *i < n; ++*i)
        if (strcmp(name, names[*i]) == 0)
            return true;
    return false;
}

const char *ek_mep_profile_name(ek_mep_profile m)
{
    return name_of(mep_names, COUNT(mep_names), (unsigned)m);
}

bool ek_mep_profile_parse(const char *name, ek_mep_profile *out)
{
    unsigned i;
    if (!index_of(mep_names, COUNT(mep_names), name, &i))
        return false;
    *out = (ek_mep_profile)i;
    return true;
}

const char *ek_ji_profile_name(ek_ji_profile j)
{
    return name_of(ji_names, COUNT(ji_names), (unsigned)j);
}

bool ek_ji_profile_parse(const char *name, ek_ji_profile *out)
{
    unsigned i;
    if (!index_of(ji_names, COUNT(ji_names), name, &i))
        return false;
    *out = (ek_ji_profile)i;
    return true;
}

bool ek_profile_set_context(ek_profile *p, unsigned i, const char *text)
{
    char addr[INET6_ADDRSTRLEN + 1];
    const char *slash = text ? strchr(text, '/') : NULL;
    if (i >= EK_LOWPAN_CONTEXTS || !slash || (size_t)(slash - text) >= sizeof addr)
        return false;
    memcpy(addr, text, (size_t)(slash - text));
    addr[slash - text] = '\0';
    char *end = NULL;
    long bits = strtol(slash + 1, &end, 10);
    if (!end || *end != '\0' || bits < 0 || bits > 128)
        return false;
    if (inet_pton(AF_INET6, addr, p->ctx[i].prefix) != 1)
        return false;
    p->ctx[i].prefix_len = (uint8_t)bits;
    p->ctx[i].valid = true;
    return true;
}
