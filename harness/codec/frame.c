/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled in by the frame module work */
typedef int ek_frame_placeholder;
