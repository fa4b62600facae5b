/* mend-fault.h — fault injection for the crash tests. Every write path calls
 * mend_fault_point() between its steps. Read from the environment once per call:
 *   MEND_FAULT_AFTER_STEP=N   abort() at the Nth step point (a crash at that moment)
 *   MEND_FAULT_FAIL_AT_STEP=N the Nth step point fails with an error (exercises rollback)
 *   MEND_FAULT_DELAY_MS=N     sleep N ms at every step point (widens the SIGKILL windows) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns FALSE + error only for FAIL_AT_STEP. */
gboolean mend_fault_point          (const char *step, GError **error);
/* Steps passed so far in this process (tests compute N from it). */
guint    mend_fault_get_step_count (void);
void     mend_fault_reset          (void);

G_END_DECLS
