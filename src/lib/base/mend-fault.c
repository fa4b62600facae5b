/* mend-fault.c — fault injection points for the crash tests (see mend-fault.h). */
#include "base/mend-fault.h"

#include <stdlib.h>
#include "base/mend-error.h"

static guint fault_steps;

guint
mend_fault_get_step_count (void)
{
  return fault_steps;
}

void
mend_fault_reset (void)
{
  fault_steps = 0;
}

static guint
env_uint (const char *name)
{
  const char *s = g_getenv (name);

  return s != NULL ? (guint) g_ascii_strtoull (s, NULL, 10) : 0;
}

gboolean
mend_fault_point (const char *step, GError **error)
{
  guint delay = env_uint ("MEND_FAULT_DELAY_MS");

  fault_steps++;
  if (delay > 0)
    g_usleep ((gulong) delay * 1000);
  if (env_uint ("MEND_FAULT_AFTER_STEP") == fault_steps)
    {
      g_printerr ("rdpmend: fault injection: crashing after step %u (%s)\n", fault_steps, step);
      abort ();
    }
  if (env_uint ("MEND_FAULT_FAIL_AT_STEP") == fault_steps)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO,
                   "fault injection: step %u (%s) failed", fault_steps, step);
      return FALSE;
    }
  return TRUE;
}
