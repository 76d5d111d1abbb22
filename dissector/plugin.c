/* SPDX-License-Identifier: BSD-3-Clause */
/* plugin.c
 * Plugin registration for the "enroll" epan plugin.  Hand-written stand-in for the
 * tools/make-plugin-reg.py output, which needs Wireshark's build-tree config.h
 * (not installed by libwireshark-dev).  ABI: wsutil/plugins.c of 4.0 .. 4.6.
 */

#define WS_BUILD_DLL
#include <gmodule.h>
#include <ws_symbol_export.h>
#include <epan/proto.h>

#include "enroll-compat.h"
#if ENROLL_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.0.0"
#endif

void proto_register_enroll(void);
void proto_reg_handoff_enroll(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if ENROLL_WS_AT_LEAST(4, 4)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

/* 4.4+: optional; lets "About > Plugins" show the type. */
uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_enroll;
    plug.register_handoff = proto_reg_handoff_enroll;
    proto_register_plugin(&plug);
}
