/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the minprio module work */
typedef int ek_minprio_placeholder;
