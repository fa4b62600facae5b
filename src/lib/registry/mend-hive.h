/* mend-hive.h — one offline hive file: open with integrity checks, atomic commit. */
#pragma once

#include <glib.h>
#include <hivex.h>

G_BEGIN_DECLS

typedef struct _MendHive MendHive;

typedef enum {
  MEND_HIVE_OPEN_READ = 0,
  MEND_HIVE_OPEN_WRITE = 1 << 0,
} MendHiveOpenFlags;

/* Opens PATH. A bad magic, truncation or any hivex parse error gives
 * MEND_ERROR_HIVE_CORRUPT; a missing file MEND_ERROR_NOT_FOUND. A dirty hive still opens
 * (reads may be stale); mend_hive_is_dirty() says so and writes are refused. */
MendHive   *mend_hive_open          (const char *path, MendHiveOpenFlags flags, GError **error);
void        mend_hive_free          (MendHive *hive);
hive_h     *mend_hive_get_handle    (MendHive *hive);
const char *mend_hive_get_path      (MendHive *hive);
/* Base block sequence numbers differ, or a .LOG/.LOG1/.LOG2 beside it holds newer data. */
gboolean    mend_hive_is_dirty      (MendHive *hive);
/* One sentence explaining why it is dirty (for evidence), or NULL when clean. */
const char *mend_hive_get_dirty_reason (MendHive *hive);
/* A dirty hive whose logs could be replayed is read from an in-memory copy with the logs
 * applied (as Windows would on load): its data is current. The file on disk is unchanged
 * and still dirty, so writes stay refused. */
gboolean    mend_hive_is_replayed   (MendHive *hive);
guint       mend_hive_get_replayed_entries (MendHive *hive);
guint32     mend_hive_get_sequence1 (MendHive *hive);
guint32     mend_hive_get_sequence2 (MendHive *hive);
/* Writes staged changes: refuses a dirty hive (MEND_ERROR_HIVE_DIRTY) and a read-only one
 * (MEND_ERROR_READ_ONLY). Commits to a temporary file in the same folder, fsyncs it,
 * restores mode and owner, renames it over the original and fsyncs the folder. */
gboolean    mend_hive_commit        (MendHive *hive, GError **error);
gboolean    mend_hive_has_changes   (MendHive *hive);
void        mend_hive_mark_changed  (MendHive *hive);

/* Reads the base block of PATH and reports the sequence numbers without hivex.
 * Returns FALSE + MEND_ERROR_HIVE_CORRUPT if it is not a regf file. */
gboolean    mend_hive_read_header   (const char *path, guint32 *seq1, guint32 *seq2,
                                     GError **error);

/* Writes a new, empty, clean hive (base block + one bin holding a root key and its security
 * cell) to PATH, which hivex can then open for writing. ROOT_NAME is the root key's name
 * (Windows uses names like "ROOT" or "CMI-CreateHive{…}"). */
gboolean    mend_hive_create_empty  (const char *path, const char *root_name, GError **error);

/* hivex error → MEND_ERROR with context (e.g. "SYSTEM: ..."). */
void        mend_hive_set_error_from_errno (GError **error, int err_no, const char *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendHive, mend_hive_free)

G_END_DECLS
