/* mend-durable.h — durable file operations shared by hive commits and the journal:
 * flush a file or folder, copy or replace a file through a temporary file beside it,
 * install a flushed temporary file over a target. */
#pragma once

#include <sys/stat.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  mend_durable_fsync        (const char *path, gboolean is_dir, GError **error);
char     *mend_durable_sha256_file  (const char *path, GError **error);
/* Copies SRC to DEST and fsyncs it. */
gboolean  mend_durable_copy         (const char *src, const char *dest, GError **error);
/* Puts the flushed temporary file TMP in place of TARGET: TARGET's mode and owner from ST
 * (NULL: keep TMP's), rename, fsync the folder. TMP is removed on failure. The last step of
 * every atomic replace (hive commits, undo restores). */
gboolean  mend_durable_install_temp (const char *tmp, const char *target,
                                     const struct stat *st, GError **error);
/* Replaces TARGET with a copy of SOURCE: temporary file beside TARGET, fsync, TARGET's mode
 * and owner, rename, fsync the folder. TARGET is always either old or new. */
gboolean  mend_durable_replace      (const char *source, const char *target, GError **error);
/* Pretty JSON written through a temporary file + fsync + rename. */
gboolean  mend_durable_write_json   (const char *path, JsonNode *node, GError **error);
/* A JSON object read from PATH; MEND_ERROR_PARSE otherwise. */
JsonNode *mend_durable_read_json    (const char *path, GError **error);

G_END_DECLS
