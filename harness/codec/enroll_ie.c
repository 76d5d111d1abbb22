/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the enroll_ie module work */
typedef int ek_enroll_ie_placeholder;
