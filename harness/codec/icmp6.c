/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the icmp6 module work */
typedef int ek_icmp6_placeholder;
