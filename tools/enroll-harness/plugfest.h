/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-harness --plugfest SETUP.ini: a multi-node network on an in-process ZEP hub
 * (ek/zephub.h).  The harness starts every node of the set-up file, plays the DODAG root
 * (and a rogue neighbour) through a scenario of enrollment-option changes, hears every
 * frame and judges every node live with the network checker (ek/netcheck.h), the one
 * enroll-check runs offline.  docs/plugfest.md is the manual. */
#ifndef EK_HARNESS_PLUGFEST_H
#define EK_HARNESS_PLUGFEST_H

#include <stdbool.h>

/* True when argv asks for a plugfest run (--plugfest or --plugfest=FILE anywhere). */
bool ek_plugfest_requested(int argc, char **argv);

/* The whole run: option parsing, set-up file, hub, nodes, scenario, reports.  Returns
 * the exit status (docs/plugfest.md): 0 every judged node passed, 1 a FAIL or a node
 * died, 2 the test bed broke or the run was interrupted, 3 nothing judged, 64 usage. */
int ek_plugfest_main(int argc, char **argv);

#endif /* EK_HARNESS_PLUGFEST_H */
