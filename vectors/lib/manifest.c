/* SPDX-License-Identifier: BSD-3-Clause */
typedef int ek_vec_placeholder;
