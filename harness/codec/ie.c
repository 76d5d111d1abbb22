/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the ie module work */
typedef int ek_ie_placeholder;
