/* mend-watchdog.c — main-loop responsiveness measurement used during scans. */
#include <stdio.h>
#include "mend-watchdog.h"

#define PERIOD_MS 10

static guint  timer_id;
static guint  depth;
static gint64 last_tick;
static gint64 max_gap_us;

static gboolean
on_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - last_tick - PERIOD_MS * 1000;

  if (gap > max_gap_us)
    max_gap_us = gap;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

void
mend_watchdog_begin (void)
{
  if (depth++ > 0)
    return;
  max_gap_us = 0;
  last_tick = g_get_monotonic_time ();
  /* Higher priority than redraws and idles, so only true blocking delays it. */
  timer_id = g_timeout_add_full (G_PRIORITY_HIGH, PERIOD_MS, on_tick, NULL, NULL);
}

double
mend_watchdog_end (const char *label)
{
  const char *log = g_getenv ("MEND_WATCHDOG_LOG");
  double ms;

  if (depth == 0)
    return 0;
  if (--depth > 0)
    return max_gap_us / 1000.0;
  on_tick (NULL);
  g_clear_handle_id (&timer_id, g_source_remove);
  ms = max_gap_us / 1000.0;
  if (log != NULL && *log != '\0')
    {
      FILE *f = fopen (log, "a");
      if (f != NULL)
        {
          fprintf (f, "%s max-gap-ms=%.1f\n", label ? label : "scan", ms);
          fclose (f);
        }
    }
  return ms;
}
