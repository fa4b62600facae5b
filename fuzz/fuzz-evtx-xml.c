/* fuzz-evtx-xml.c — libFuzzer target for the EventData extractor (mend-event-data.c) and
 * the certificate-event reading on top of it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/mend-event-data.h"
#include "checks/mend-checks-events.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  MendEventData *ev = mend_event_data_parse ((const char *) data, (gssize) size);
  char *text = g_strndup ((const char *) data, size);
  char *print = NULL;
  char *first = NULL;

  /* Every string handed out must be valid UTF-8 (it ends up in JSON and the GUI). */
  for (guint i = 0; i < mend_event_data_get_n_fields (ev); i++) {
    const MendEventField *field = mend_event_data_get_field (ev, i);

    if (!g_utf8_validate (field->value, -1, NULL)
        || (field->name != NULL && !g_utf8_validate (field->name, -1, NULL)))
      __builtin_trap ();
    if (field->name != NULL && mend_event_data_lookup (ev, field->name) == NULL)
      __builtin_trap ();
  }
  if (mend_event_data_get_binary (ev) != NULL
      && strspn (mend_event_data_get_binary (ev), "0123456789ABCDEF")
         != strlen (mend_event_data_get_binary (ev)))
    __builtin_trap ();
  (void) mend_event_data_get_activity_id (ev);
  (void) mend_event_data_get_time_created (ev);
  mend_event_data_free (ev);

  /* The NUL-terminated path the checks take. */
  mend_events_parse_certificate_event (text, &print, &first);
  if (print != NULL && strlen (print) != 40)
    __builtin_trap ();
  g_free (print);
  g_free (first);
  g_free (text);
  return 0;
}
