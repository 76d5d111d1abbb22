/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the rpl module work */
typedef int ek_rpl_placeholder;
