/* SPDX-License-Identifier: BSD-3-Clause */
typedef int ek_cap_zep_placeholder;
