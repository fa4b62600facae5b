/* mend-watchdog.h — measures how long the main loop stays blocked (a 10 ms timer that
 * records the largest gap between its runs) while a scan runs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts measuring; nested calls are counted. */
void   mend_watchdog_begin (void);
/* Stops measuring and returns the largest gap seen beyond the 10 ms period, in ms.
 * When $MEND_WATCHDOG_LOG names a file, appends "LABEL max-gap-ms=N" to it. */
double mend_watchdog_end   (const char *label);

G_END_DECLS
