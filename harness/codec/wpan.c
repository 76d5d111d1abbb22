/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the wpan module work */
typedef int ek_wpan_placeholder;
