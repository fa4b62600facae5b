/* mend-checks-events-scan.c — the walks over an offline image's event logs that the event
 * checks share: finding and reading one log, and the single walk of the System log for
 * Schannel and certificate events, kept on the image between checks. */
#include "checks/mend-checks-events-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* ---- one log file --------------------------------------------------------------------- */

void
mend_events_log_status_free (LogStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->path);
  g_free (status->file_name);
  g_free (status->channel);
  g_free (status->problem);
  g_free (status->first_failure);
  g_free (status);
}

/* Case-insensitive lookup of NAME in DIR (NTFS mounts keep Windows' mixed case). */
static char *
find_in_dir (const char *dir, const char *name)
{
  g_autoptr(GDir) d = NULL;
  g_autofree char *exact = g_build_filename (dir, name, NULL);
  const char *entry;

  if (g_file_test (exact, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&exact);
  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return NULL;
  while ((entry = g_dir_read_name (d)) != NULL)
    if (g_ascii_strcasecmp (entry, name) == 0) {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

LogStatus *
mend_events_scan_log (const char *logs_dir, const char *file_name, const char *channel,
                      const Walk *walk, GCancellable *cancellable)
{
  g_autoptr(LogStatus) status = g_new0 (LogStatus, 1);
  g_autoptr(MendEventLog) log = NULL;
  g_autoptr(GError) error = NULL;

  status->file_name = g_strdup (file_name);
  status->channel = g_strdup (channel);
  status->path = logs_dir != NULL ? find_in_dir (logs_dir, file_name) : NULL;
  if (status->path == NULL)
    return g_steal_pointer (&status);

  log = mend_event_log_open (status->path, &error);
  if (log == NULL) {
    status->problem = g_strdup (error->message);
    return g_steal_pointer (&status);
  }
  if (!mend_event_log_foreach (log, walk->ids, walk->n_ids, walk->providers, walk->func,
                               walk->data, cancellable, &error)) {
    status->problem = g_strdup (error->message);
    return g_steal_pointer (&status);
  }
  status->n_records = mend_event_log_get_n_records (log);
  status->n_failed = mend_event_log_get_n_failed (log);
  status->first_failure = g_strdup (mend_event_log_get_first_failure (log));
  if (status->n_records > 0 && status->n_failed == status->n_records) {
    /* libevtx opens these but every chunk is refused: as good as unreadable. */
    status->problem = g_strdup_printf (_("None of the %u records of the event log “%s” could "
                                         "be read (%s); it was skipped"),
                                       status->n_records, status->path,
                                       status->first_failure ? status->first_failure : "");
    return g_steal_pointer (&status);
  }
  status->readable = TRUE;
  return g_steal_pointer (&status);
}

gint64
mend_events_event_time (const MendEventRecord *record, const MendEventData *data)
{
  const char *text = data != NULL ? mend_event_data_get_time_created (data) : NULL;

  if (text != NULL) {
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

    if (dt != NULL)
      return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  }
  return mend_event_record_get_time_us (record);
}

/* ---- the System log: Schannel and certificate events in one walk ------------------------ */

static void
cert_event_clear (gpointer data)
{
  CertEvent *ev = data;

  g_free (ev->channel);
  g_free (ev->provider);
  g_free (ev->thumbprint);
  g_free (ev->text);
}

static const guint32 schannel_ids[] = { 36870, 36874, 36888 };
static const guint32 cert_ids[] = { 1056, 1057, 1058 };

void
mend_events_system_scan_free (SystemScan *scan)
{
  if (scan == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (scan->schannel); i++)
    g_clear_pointer (&scan->schannel[i].by_value, g_hash_table_unref);
  g_array_unref (scan->certs);
  mend_events_log_status_free (scan->system);
  mend_events_log_status_free (scan->rcm[0]);
  mend_events_log_status_free (scan->rcm[1]);
  g_free (scan->stamp);
  g_free (scan);
}

static gboolean
is_cert_provider (const char *provider)
{
  return provider != NULL
         && (g_ascii_strcasecmp (provider, "TermService") == 0
             || g_ascii_strcasecmp (provider,
                                    "Microsoft-Windows-TerminalServices-RemoteConnectionManager") == 0
             || g_ascii_strncasecmp (provider, "Microsoft-Windows-RemoteDesktopServices",
                                     strlen ("Microsoft-Windows-RemoteDesktopServices")) == 0);
}

/* A SHA-1 thumbprint: 20 bytes of <Binary>, or a data value of 40 hex digits. */
static char *
find_thumbprint (const MendEventData *data)
{
  const char *binary = mend_event_data_get_binary (data);

  if (binary != NULL && strlen (binary) == 40)
    return g_strdup (binary);
  for (guint i = 0; i < mend_event_data_get_n_fields (data); i++) {
    g_autofree char *v = g_strdup (mend_event_data_get_nth (data, i));
    GString *hex = g_string_new (NULL);

    for (const char *s = v; *s; s++)
      if (g_ascii_isxdigit (*s))
        g_string_append_c (hex, g_ascii_toupper (*s));
      else if (*s != ' ')
        break;
    if (hex->len == 40 && strspn (v, "0123456789abcdefABCDEF ") == strlen (v))
      return g_string_free (hex, FALSE);
    g_string_free (hex, TRUE);
  }
  return NULL;
}

static void
on_cert_event (SystemScan *scan, MendEventRecord *record)
{
  const char *xml = mend_event_record_get_xml (record);
  g_autoptr(MendEventData) data = NULL;
  CertEvent ev = { 0 };

  if (xml == NULL)
    return;
  data = mend_event_data_parse (xml, -1);
  ev.id = mend_event_record_get_id (record);
  ev.time_us = mend_events_event_time (record, data);
  ev.number = mend_event_record_get_number (record);
  ev.channel = g_strdup (scan->channel);
  ev.provider = g_strdup (mend_event_record_get_provider (record));
  mend_events_parse_certificate_event (xml, &ev.thumbprint, &ev.text);
  g_array_append_val (scan->certs, ev);
}

void
mend_events_parse_certificate_event (const char *xml, char **thumbprint, char **text)
{
  g_autoptr(MendEventData) data = mend_event_data_parse (xml, -1);
  g_autofree char *print = find_thumbprint (data);
  const char *first = mend_event_data_get_nth (data, 0);

  if (text != NULL)
    *text = (first != NULL && first[0] != '\0'
             && (print == NULL || g_ascii_strcasecmp (first, print) != 0))
            ? g_strdup (first) : NULL;
  if (thumbprint != NULL)
    *thumbprint = g_steal_pointer (&print);
}

/* Schannel floods (tens of thousands per hour) are counted from the insertion strings;
 * only the first record of each identifier is rendered, to learn which string holds the
 * field worth counting. */
static void
on_schannel_event (SchannelStat *stat, MendEventRecord *record)
{
  /* The written time: without the XML there is no TimeCreated. Windows writes Schannel
   * events as they happen; only logs saved from a filtered view differ. */
  gint64 t = mend_event_record_get_time_us (record);

  if (!stat->learnt) {
    const char *xml = mend_event_record_get_xml (record);

    stat->learnt = TRUE;
    stat->key_index = -1;
    if (xml != NULL && stat->key_field != NULL) {
      g_autoptr(MendEventData) data = mend_event_data_parse (xml, -1);

      for (guint i = 0; i < mend_event_data_get_n_fields (data); i++) {
        const MendEventField *field = mend_event_data_get_field (data, i);

        if (field->name != NULL && g_ascii_strcasecmp (field->name, stat->key_field) == 0)
          stat->key_index = (int) i;
      }
    }
  }
  stat->count++;
  if (t > 0 && (stat->first_us == 0 || t < stat->first_us))
    stat->first_us = t;
  if (t > stat->last_us)
    stat->last_us = t;
  if (stat->key_index >= 0) {
    g_autofree char *value = mend_event_record_dup_string (record, (guint) stat->key_index);

    if (value != NULL) {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (stat->by_value, value));

      g_hash_table_replace (stat->by_value, g_steal_pointer (&value), GUINT_TO_POINTER (n + 1));
    }
  }
}

static gboolean
on_system_record (MendEventRecord *record, gpointer user_data)
{
  SystemScan *scan = user_data;
  guint32 id = mend_event_record_get_id (record);
  const char *provider = mend_event_record_get_provider (record);

  for (guint i = 0; i < G_N_ELEMENTS (schannel_ids); i++)
    if (id == schannel_ids[i]) {
      if (provider != NULL && g_ascii_strcasecmp (provider, "Schannel") == 0)
        on_schannel_event (&scan->schannel[i], record);
      return TRUE;
    }
  if (is_cert_provider (provider))
    on_cert_event (scan, record);
  return TRUE;
}

static char *
file_stamp (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return g_strdup ("-");
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, path,
                          (gint64) st.st_size, (gint64) st.st_mtime);
}

SystemScan *
mend_events_system_scan_run (const char *logs_dir, GCancellable *cancellable)
{
  SystemScan *scan = g_new0 (SystemScan, 1);
  guint32 ids[G_N_ELEMENTS (schannel_ids) + G_N_ELEMENTS (cert_ids)];
  Walk walk = { ids, G_N_ELEMENTS (ids), NULL, on_system_record, scan };
  Walk rcm_walk = { cert_ids, G_N_ELEMENTS (cert_ids), NULL, on_system_record, scan };
  g_autofree char *system_path = NULL;

  memcpy (ids, schannel_ids, sizeof schannel_ids);
  memcpy (ids + G_N_ELEMENTS (schannel_ids), cert_ids, sizeof cert_ids);
  for (guint i = 0; i < G_N_ELEMENTS (schannel_ids); i++) {
    scan->schannel[i].id = schannel_ids[i];
    scan->schannel[i].by_value = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  }
  /* 36888 carries the TLS alert code, 36874 the protocol the client asked for. */
  scan->schannel[1].key_field = "Protocol";
  scan->schannel[2].key_field = "AlertDesc";
  scan->certs = g_array_new (FALSE, TRUE, sizeof (CertEvent));
  g_array_set_clear_func (scan->certs, cert_event_clear);

  system_path = logs_dir ? find_in_dir (logs_dir, MEND_EVTX_SYSTEM) : NULL;
  scan->stamp = file_stamp (system_path);
  scan->channel = CHANNEL_SYSTEM;
  scan->system = mend_events_scan_log (logs_dir, MEND_EVTX_SYSTEM, CHANNEL_SYSTEM, &walk,
                                       cancellable);
  scan->channel = CHANNEL_RCM_ADMIN;
  scan->rcm[0] = mend_events_scan_log (logs_dir, MEND_EVTX_RCM_ADMIN, CHANNEL_RCM_ADMIN,
                                       &rcm_walk, cancellable);
  scan->channel = CHANNEL_RCM_OPERATIONAL;
  scan->rcm[1] = mend_events_scan_log (logs_dir, MEND_EVTX_RCM_OPERATIONAL,
                                       CHANNEL_RCM_OPERATIONAL, &rcm_walk, cancellable);
  scan->channel = NULL;
  return scan;
}

/* Schannel and certificate checks both need the System log, which can be large: the walk
 * is done once per image and kept on the image until the file changes. */
SystemScan *
mend_events_context_system_scan (MendCheckContext *ctx, const char *dir)
{
  MendTarget *target = mend_check_context_get_target (ctx);
  g_autofree char *path = find_in_dir (dir, MEND_EVTX_SYSTEM);
  g_autofree char *stamp = file_stamp (path);
  SystemScan *scan = g_object_get_data (G_OBJECT (target), "mend-events-system-scan");

  if (scan != NULL && g_strcmp0 (scan->stamp, stamp) == 0)
    return scan;
  scan = mend_events_system_scan_run (dir, mend_check_context_get_cancellable (ctx));
  if (g_cancellable_is_cancelled (mend_check_context_get_cancellable (ctx))) {
    /* A cut-short walk must not stand in for the next run. */
    g_free (scan->stamp);
    scan->stamp = g_strdup ("cancelled");
  }
  g_object_set_data_full (G_OBJECT (target), "mend-events-system-scan", scan,
                          (GDestroyNotify) mend_events_system_scan_free);
  return scan;
}
