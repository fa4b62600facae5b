/* mend-bench-events.c — walks one .evtx with RDP Mend's reader, as the events checks do
 * (filter on identifier, then render and pick fields), and prints counts per identifier. */
#include <stdio.h>
#include <stdlib.h>
#include "formats/mend-events.h"
#include "formats/mend-event-data.h"

typedef struct {
  guint counts[3];
  guint with_fields;
  guint rendered;
} Tally;

static const guint32 schannel_ids[] = { 36870, 36874, 36888 };

/* What the Schannel check does: identifier, time and the first insertion string. */
static gboolean
on_schannel (MendEventRecord *record, gpointer user_data)
{
  Tally *tally = user_data;
  g_autofree char *first = mend_event_record_dup_string (record, 0);

  for (guint i = 0; i < G_N_ELEMENTS (schannel_ids); i++)
    if (mend_event_record_get_id (record) == schannel_ids[i])
      tally->counts[i]++;
  if (first != NULL && mend_event_record_get_time_us (record) > 0)
    tally->with_fields++;
  return TRUE;
}

/* What evtxexport does and more: every record rendered as XML, then its fields picked. */
static gboolean
on_any (MendEventRecord *record, gpointer user_data)
{
  Tally *tally = user_data;
  g_autoptr(MendEventData) data = mend_event_data_parse (mend_event_record_get_xml (record), -1);

  tally->rendered++;
  on_schannel (record, user_data);
  if (mend_event_data_get_n_fields (data) > 0)
    tally->with_fields++;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendEventLog) log = NULL;
  Tally tally = { 0 };
  gboolean all;
  gint64 start;

  if (argc < 2) {
    fprintf (stderr, "usage: %s FILE.evtx [all]\n", argv[0]);
    return 2;
  }
  all = argc > 2 && g_str_equal (argv[2], "all");
  start = g_get_monotonic_time ();
  log = mend_event_log_open (argv[1], &error);
  if (log == NULL) {
    fprintf (stderr, "%s\n", error->message);
    return 1;
  }
  if (all)
    mend_event_log_foreach (log, NULL, 0, NULL, on_any, &tally, NULL, NULL);
  else
    mend_event_log_foreach (log, schannel_ids, G_N_ELEMENTS (schannel_ids),
                            (const char * const[]) { "Schannel", NULL },
                            on_schannel, &tally, NULL, NULL);
  printf ("records %u rendered %u failed %u 36870 %u 36874 %u 36888 %u seconds %.3f\n",
          mend_event_log_get_n_records (log), tally.rendered,
          mend_event_log_get_n_failed (log), tally.counts[0], tally.counts[1],
          tally.counts[2], (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
