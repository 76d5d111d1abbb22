/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html for a TD run: an ek_run_observer that feeds every frame of every TD to the
 * network checker (the DUT judged by the passive monitors, the nodes the harness plays
 * learnt from but not judged, a restart at each TD since the DUT is reset there) and
 * writes the page with the TD table when the run ends. */
#ifndef EK_HARNESS_HTMLRUN_H
#define EK_HARNESS_HTMLRUN_H

#include "ek/engine.h"

typedef struct ek_htmlrun ek_htmlrun;

/* path: where report.html goes; capture_href: the run's pcapng as the page links it
 * (relative), may be NULL; command: the command line.  NULL on allocation failure. */
ek_htmlrun *ek_htmlrun_new(const char *path, const char *capture_href, const char *command);
ek_run_observer ek_htmlrun_observer(ek_htmlrun *h);
/* 0, or -1 after printing why the page could not be written.  Frees h. */
int ek_htmlrun_close(ek_htmlrun *h);

#endif /* EK_HARNESS_HTMLRUN_H */
