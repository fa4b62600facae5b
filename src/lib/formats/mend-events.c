/* mend-events.c — MendEventLog: one .evtx file through libevtx. Rendering a record as XML is
 * the expensive step, so the walk filters on identifier and provider first. */
#include "formats/mend-events.h"
#include "base/mend-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#ifdef MEND_HAVE_LIBEVTX
#include <libevtx.h>
#endif

/* 100-ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH G_GUINT64_CONSTANT (116444736000000000)

struct _MendEventLog {
  GObject  parent_instance;
  char    *path;
  guint    n_records;
  guint    n_failed;
  char    *first_failure;
#ifdef MEND_HAVE_LIBEVTX
  libevtx_file_t *file;
#endif
};

G_DEFINE_FINAL_TYPE (MendEventLog, mend_event_log, G_TYPE_OBJECT)

#ifdef MEND_HAVE_LIBEVTX
/* The root cause libevtx reports for ERROR (the first line of its backtrace: the later
 * lines only say which caller gave up); frees ERROR. */
static char *
take_evtx_message (libevtx_error_t **error)
{
  char buf[2048] = { 0 };
  char *nl;

  if (error == NULL || *error == NULL)
    return g_strdup (_("unknown error"));
  if (libevtx_error_backtrace_sprint (*error, buf, sizeof buf) < 0
      && libevtx_error_sprint (*error, buf, sizeof buf) < 0)
    buf[0] = '\0';
  libevtx_error_free (error);
  nl = strchr (buf, '\n');
  if (nl != NULL)
    *nl = '\0';
  g_strstrip (buf);
  return g_utf8_make_valid (buf[0] ? buf : _("unknown error"), -1);
}
#endif

static void
mend_event_log_finalize (GObject *object)
{
  MendEventLog *self = MEND_EVENT_LOG (object);

#ifdef MEND_HAVE_LIBEVTX
  if (self->file != NULL) {
    libevtx_file_close (self->file, NULL);
    libevtx_file_free (&self->file, NULL);
  }
#endif
  g_free (self->path);
  g_free (self->first_failure);
  G_OBJECT_CLASS (mend_event_log_parent_class)->finalize (object);
}

static void
mend_event_log_class_init (MendEventLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_event_log_finalize;
}

static void
mend_event_log_init (MendEventLog *self)
{
}

MendEventLog *
mend_event_log_open (const char *path, GError **error)
{
  g_autoptr(MendEventLog) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                 _("The event log “%s” does not exist or is not a file"), path);
    return NULL;
  }
  self = g_object_new (MEND_TYPE_EVENT_LOG, NULL);
  self->path = g_strdup (path);

#ifdef MEND_HAVE_LIBEVTX
  {
    libevtx_error_t *evtx_error = NULL;
    int n = 0;

    if (libevtx_file_initialize (&self->file, &evtx_error) != 1) {
      g_autofree char *msg = take_evtx_message (&evtx_error);

      g_set_error (error, MEND_ERROR, MEND_ERROR_FAILED,
                   _("Could not set up the event log reader: %s"), msg);
      return NULL;
    }
    if (libevtx_file_open (self->file, path, LIBEVTX_OPEN_READ, &evtx_error) != 1) {
      g_autofree char *msg = take_evtx_message (&evtx_error);

      /* A handle whose open failed must not be closed. */
      libevtx_file_free (&self->file, NULL);
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("“%s” is not an event log that can be read (%s); it was skipped"),
                   path, msg);
      return NULL;
    }
    if (libevtx_file_get_number_of_records (self->file, &n, &evtx_error) != 1) {
      g_autofree char *msg = take_evtx_message (&evtx_error);

      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("Could not count the records of the event log “%s” (%s); it was skipped"),
                   path, msg);
      return NULL;
    }
    self->n_records = n > 0 ? (guint) n : 0;
  }
#else
  g_set_error (error, MEND_ERROR, MEND_ERROR_FAILED,
               _("This build cannot read event logs (it was built without libevtx)"));
  return NULL;
#endif

  return g_steal_pointer (&self);
}

const char *
mend_event_log_get_path (MendEventLog *self)
{
  g_return_val_if_fail (MEND_IS_EVENT_LOG (self), NULL);
  return self->path;
}

guint
mend_event_log_get_n_records (MendEventLog *self)
{
  g_return_val_if_fail (MEND_IS_EVENT_LOG (self), 0);
  return self->n_records;
}

guint
mend_event_log_get_n_failed (MendEventLog *self)
{
  g_return_val_if_fail (MEND_IS_EVENT_LOG (self), 0);
  return self->n_failed;
}

const char *
mend_event_log_get_first_failure (MendEventLog *self)
{
  g_return_val_if_fail (MEND_IS_EVENT_LOG (self), NULL);
  return self->first_failure;
}

#ifdef MEND_HAVE_LIBEVTX
static void
note_failure (MendEventLog *self, guint index, libevtx_error_t **evtx_error)
{
  g_autofree char *msg = take_evtx_message (evtx_error);

  self->n_failed++;
  if (self->first_failure == NULL)
    self->first_failure = g_strdup_printf (_("record %u: %s"), index, msg);
}

static gboolean
wanted_id (guint32 id, const guint32 *ids, guint n_ids)
{
  if (n_ids == 0)
    return TRUE;
  for (guint i = 0; i < n_ids; i++)
    if (ids[i] == id)
      return TRUE;
  return FALSE;
}

static gboolean
wanted_provider (const char *provider, const char * const *providers)
{
  if (providers == NULL)
    return TRUE;
  if (provider == NULL)
    return FALSE;
  for (guint i = 0; providers[i] != NULL; i++)
    if (g_ascii_strcasecmp (providers[i], provider) == 0)
      return TRUE;
  return FALSE;
}
#endif

#ifdef MEND_HAVE_LIBEVTX
struct _MendEventRecord {
  MendEventLog     *log;
  guint             index;
  libevtx_record_t *record;
  guint64           number;
  guint32           id;
  gint64            time_us;
  const char       *provider;
  GByteArray       *xml;        /* shared buffer of the walk */
  gboolean          xml_done;
  const char       *xml_text;
};
#else
struct _MendEventRecord {
  int unused;
};
#endif

guint64
mend_event_record_get_number (const MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  return record->number;
#else
  return 0;
#endif
}

guint32
mend_event_record_get_id (const MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  return record->id;
#else
  return 0;
#endif
}

gint64
mend_event_record_get_time_us (const MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  return record->time_us;
#else
  return 0;
#endif
}

const char *
mend_event_record_get_provider (const MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  return record->provider;
#else
  return NULL;
#endif
}

const char *
mend_event_record_get_xml (MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  libevtx_error_t *evtx_error = NULL;
  size_t size = 0;

  if (record->xml_done)
    return record->xml_text;
  record->xml_done = TRUE;
  if (libevtx_record_get_utf8_xml_string_size (record->record, &size, &evtx_error) != 1
      || size == 0) {
    note_failure (record->log, record->index, &evtx_error);
    return NULL;
  }
  g_byte_array_set_size (record->xml, size);
  if (libevtx_record_get_utf8_xml_string (record->record, record->xml->data, size,
                                          &evtx_error) != 1) {
    note_failure (record->log, record->index, &evtx_error);
    return NULL;
  }
  record->xml->data[size - 1] = '\0';
  record->xml_text = (const char *) record->xml->data;
  return record->xml_text;
#else
  return NULL;
#endif
}

guint
mend_event_record_get_n_strings (MendEventRecord *record)
{
#ifdef MEND_HAVE_LIBEVTX
  int n = 0;

  if (libevtx_record_get_number_of_strings (record->record, &n, NULL) != 1 || n < 0)
    return 0;
  return (guint) n;
#else
  return 0;
#endif
}

char *
mend_event_record_dup_string (MendEventRecord *record, guint index)
{
#ifdef MEND_HAVE_LIBEVTX
  size_t size = 0;
  g_autofree guint8 *buf = NULL;

  if (libevtx_record_get_utf8_string_size (record->record, (int) index, &size, NULL) != 1
      || size == 0 || size > 1024 * 1024)
    return NULL;
  buf = g_malloc0 (size + 1);
  if (libevtx_record_get_utf8_string (record->record, (int) index, buf, size, NULL) != 1)
    return NULL;
  return g_utf8_make_valid ((const char *) buf, -1);
#else
  return NULL;
#endif
}

gboolean
mend_event_log_foreach (MendEventLog       *self,
                        const guint32      *event_ids,
                        guint               n_event_ids,
                        const char * const *providers,
                        MendEventLogFunc    func,
                        gpointer            user_data,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_return_val_if_fail (MEND_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  self->n_failed = 0;
  g_clear_pointer (&self->first_failure, g_free);

#ifdef MEND_HAVE_LIBEVTX
  {
    g_autoptr(GByteArray) xml = g_byte_array_new ();
    g_autoptr(GByteArray) provider = g_byte_array_new ();

    for (guint i = 0; i < self->n_records; i++) {
      libevtx_record_t *record = NULL;
      libevtx_error_t *evtx_error = NULL;
      MendEventRecord rec = { 0 };
      guint32 id = 0;
      guint64 filetime = 0;
      size_t size = 0;
      int has;
      gboolean go_on;

      if ((i & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (libevtx_file_get_record_by_index (self->file, (int) i, &record, &evtx_error) != 1
          || libevtx_record_get_event_identifier (record, &id, &evtx_error) != 1) {
        note_failure (self, i, &evtx_error);
        if (record != NULL)
          libevtx_record_free (&record, NULL);
        continue;
      }
      if (!wanted_id (id, event_ids, n_event_ids)) {
        libevtx_record_free (&record, NULL);
        continue;
      }

      has = libevtx_record_get_utf8_source_name_size (record, &size, &evtx_error);
      if (has == 1 && size > 0) {
        g_byte_array_set_size (provider, size + 1);
        if (libevtx_record_get_utf8_source_name (record, provider->data, size,
                                                 &evtx_error) != 1)
          has = -1;
        provider->data[size] = '\0';
      }
      if (has < 0) {
        note_failure (self, i, &evtx_error);
        libevtx_record_free (&record, NULL);
        continue;
      }
      rec.provider = (has == 1 && size > 0) ? (const char *) provider->data : NULL;
      if (!wanted_provider (rec.provider, providers)) {
        libevtx_record_free (&record, NULL);
        continue;
      }

      rec.log = self;
      rec.index = i;
      rec.record = record;
      rec.id = id;
      rec.xml = xml;
      if (libevtx_record_get_written_time (record, &filetime, NULL) == 1
          && filetime > FILETIME_UNIX_EPOCH)
        rec.time_us = (gint64) ((filetime - FILETIME_UNIX_EPOCH) / 10);
      if (libevtx_record_get_identifier (record, &rec.number, NULL) != 1)
        rec.number = 0;

      go_on = func (&rec, user_data);
      libevtx_record_free (&record, NULL);
      if (!go_on)
        break;
    }
    return TRUE;
  }
#else
  return TRUE;
#endif
}

char *
mend_event_time_format (gint64 time_us)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;

  if (time_us <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  if (dt == NULL)
    return NULL;
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06dZ", base, (int) (time_us % G_USEC_PER_SEC));
}
