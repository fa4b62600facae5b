/* mend-event-data.h — the fields of one event record, pulled out of its rendered XML by a
 * small tolerant extractor (EventData/Data, UserData leaves, Binary, Correlation). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;    /* Name attribute or UserData element name; NULL for an unnamed <Data> */
  char *value;   /* text with entities decoded; never NULL */
} MendEventField;

typedef struct _MendEventData MendEventData;

/* Never fails: malformed XML yields whatever fields could be read before the damage.
 * LEN may be -1 for a NUL-terminated string. Embedded NULs end the input. */
MendEventData        *mend_event_data_parse           (const char *xml, gssize len);
void                  mend_event_data_free            (MendEventData *self);
guint                 mend_event_data_get_n_fields    (const MendEventData *self);
const MendEventField *mend_event_data_get_field       (const MendEventData *self, guint index);
/* First field whose name matches NAME (ASCII case-insensitive), or NULL. */
const char           *mend_event_data_lookup          (const MendEventData *self, const char *name);
/* The INDEX-th field in document order, named or not, or NULL. */
const char           *mend_event_data_get_nth         (const MendEventData *self, guint index);
/* Hex text of <Binary> (whitespace removed, upper case), or NULL when absent or empty. */
const char           *mend_event_data_get_binary      (const MendEventData *self);
/* <TimeCreated SystemTime="…"/> as written (ISO 8601, UTC), or NULL. This is when the
 * event happened; a record's written time can be later (logs saved from a filtered view). */
const char           *mend_event_data_get_time_created (const MendEventData *self);
/* <Correlation ActivityID="…"/>, or NULL. */
const char           *mend_event_data_get_activity_id (const MendEventData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendEventData, mend_event_data_free)

G_END_DECLS
