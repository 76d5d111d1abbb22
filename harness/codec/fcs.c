/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the fcs module work */
typedef int ek_fcs_placeholder;
