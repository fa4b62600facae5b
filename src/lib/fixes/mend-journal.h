/* mend-journal.h — applied plans on disk: manifest, .reg exports, hive copies; undo. */
#pragma once

#include <gio/gio.h>
#include "target/mend-image.h"

G_BEGIN_DECLS

typedef struct {
  char   *id;          /* "20261126T041500Z-enable-rdp" */
  char   *folder;      /* absolute path of the entry */
  gint64  created;     /* unix seconds */
  GStrv   fix_ids;
  char   *state;       /* "applied", "undone", "rolled-back", "failed" */
} MendJournalEntry;

void       mend_journal_entry_free (MendJournalEntry *entry);

/* Entries for IMAGE (ProgramData/RDPMend/journal), newest first. */
GPtrArray *mend_journal_list       (MendImage *image, GError **error);
/* Restores the state before entry ID (NULL = the newest applied). Refuses with
 * MEND_ERROR_CHANGED_SINCE when a newer entry exists or the hive changed since,
 * unless FORCE. */
gboolean   mend_journal_undo       (MendImage *image, const char *id, gboolean force,
                                    char **undone_id, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendJournalEntry, mend_journal_entry_free)

G_END_DECLS
