/* mend-events.h — a small reader over one offline .evtx file (libevtx): walks the records,
 * filtering on event identifier and provider before any XML is rendered. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One record, valid only during the callback. Rendering XML is the costly step: ask for
 * it only for records that matter; the insertion strings are nearly free. */
typedef struct _MendEventRecord MendEventRecord;

/* Number from the record header: EventRecordID, except in logs saved from a filtered view,
 * where Windows renumbers the records and the XML keeps the original. */
guint64     mend_event_record_get_number   (const MendEventRecord *record);
guint32     mend_event_record_get_id       (const MendEventRecord *record);
/* Written time, microseconds since 1970 (UTC); 0 when unknown. Usually the event's time;
 * in a log saved from a filtered view it is the save time (the XML's TimeCreated is not). */
gint64      mend_event_record_get_time_us  (const MendEventRecord *record);
/* Source name as libevtx gives it: the Provider's EventSourceName when there is one
 * (classic sources: "TermService", "BugCheck"), else its Name ("Schannel"); NULL if none. */
const char *mend_event_record_get_provider (const MendEventRecord *record);
/* The record as UTF-8 XML, rendered on the first call; NULL (and the record counted as
 * failed) when libevtx cannot render it. */
const char *mend_event_record_get_xml      (MendEventRecord *record);
/* The event data values in order (Data elements, without names). */
guint       mend_event_record_get_n_strings (MendEventRecord *record);
char       *mend_event_record_dup_string   (MendEventRecord *record, guint index);

/* Return FALSE to stop the walk. */
typedef gboolean (*MendEventLogFunc) (MendEventRecord *record, gpointer user_data);

#define MEND_TYPE_EVENT_LOG (mend_event_log_get_type ())
G_DECLARE_FINAL_TYPE (MendEventLog, mend_event_log, MEND, EVENT_LOG, GObject)

/* Fails with MEND_ERROR_NOT_FOUND when PATH does not exist, MEND_ERROR_PARSE when it is
 * not an event log libevtx can open, MEND_ERROR_FAILED when built without libevtx. */
MendEventLog *mend_event_log_open            (const char *path, GError **error);
const char   *mend_event_log_get_path        (MendEventLog *self);
guint         mend_event_log_get_n_records   (MendEventLog *self);
/* Calls FUNC for every record whose identifier is in EVENT_IDS (all when N_EVENT_IDS is 0)
 * and whose source name is in PROVIDERS (ASCII case-insensitive; all when NULL), in file
 * order. Records that cannot be read are counted and skipped. FALSE only when cancelled. */
gboolean      mend_event_log_foreach         (MendEventLog       *self,
                                              const guint32      *event_ids,
                                              guint               n_event_ids,
                                              const char * const *providers,
                                              MendEventLogFunc    func,
                                              gpointer            user_data,
                                              GCancellable       *cancellable,
                                              GError            **error);
/* Records the last walk skipped, and why the first of them failed (or NULL). */
guint         mend_event_log_get_n_failed    (MendEventLog *self);
const char   *mend_event_log_get_first_failure (MendEventLog *self);

/* "2020-09-19T03:52:13.993400Z", or NULL for 0. */
char         *mend_event_time_format         (gint64 time_us);

G_END_DECLS
