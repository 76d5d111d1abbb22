/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut --role pledge (pledge_main.c): the reference pledge's process. */
#ifndef EK_REFDUT_PLEDGE_MAIN_H
#define EK_REFDUT_PLEDGE_MAIN_H

#include <stdbool.h>

/* True when the command line says --role pledge, or --from-env with EK_DUT_ROLE=pledge. */
bool ek_refdut_pledge_wanted(int argc, char **argv);
/* The pledge's options, event loop and exit status (as enroll-refdut's). */
int ek_refdut_pledge_main(int argc, char **argv);

#endif /* EK_REFDUT_PLEDGE_MAIN_H */
