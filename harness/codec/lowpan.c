/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the lowpan module work */
typedef int ek_lowpan_placeholder;
