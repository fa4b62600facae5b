/* mend-journal-private.h — durable file helpers and manifest encoding shared by the apply
 * engine (mend-plan-apply.c) and undo (mend-journal.c). Not installed. */
#pragma once

#include <sys/stat.h>

#include <json-glib/json-glib.h>
#include "mend-image.h"
#include "mend-journal.h"
#include "mend-plan.h"

G_BEGIN_DECLS

#define MEND_JOURNAL_SCHEMA 1

gboolean      mend_change_kind_from_string (const char *s, MendChangeKind *out);
JsonNode     *mend_reg_value_to_json_hex   (const MendRegValue *v);   /* null for NULL */
MendRegValue *mend_reg_value_from_json_hex (JsonNode *node);
JsonNode     *mend_change_to_json          (const MendChange *change);

/* Crash-test hooks, read from the environment once per process:
 *   MEND_FAULT_AFTER_STEP=N   abort() at the Nth step point (a crash at that moment)
 *   MEND_FAULT_FAIL_AT_STEP=N the Nth step point fails with an error (exercises rollback)
 *   MEND_FAULT_DELAY_MS=N     sleep N ms at every step point (widens the SIGKILL windows)
 * Returns FALSE + error only for FAIL_AT_STEP. */
gboolean      mend_fault_point             (const char *step, GError **error);
/* Steps passed so far in this process (tests compute N from it). */
guint         mend_fault_get_step_count    (void);
void          mend_fault_reset             (void);

const char   *mend_hive_kind_to_name       (MendHiveKind kind);   /* "SYSTEM" */
gboolean      mend_hive_kind_for_path      (const char *seam_path, MendHiveKind *out);

/* <image>/ProgramData/RDPMend/journal (ProgramData found case-insensitively). */
char         *mend_journal_get_dir         (MendImage *image, gboolean create, GError **error);
/* g_get_user_data_dir()/rdpmend/journal/<hash of the image root>. */
char         *mend_journal_get_mirror_dir  (MendImage *image);
char         *mend_journal_sha256_file     (const char *path, GError **error);
gboolean      mend_journal_fsync_path      (const char *path, gboolean is_dir, GError **error);
/* Copies SRC to DEST and fsyncs it. */
gboolean      mend_journal_copy_durable    (const char *src, const char *dest, GError **error);
/* Puts the flushed temporary file TMP in place of TARGET: TARGET's mode and owner from ST
 * (NULL: keep TMP's), rename, fsync the folder. TMP is removed on failure. The last step of
 * every atomic replace (hive commits, undo restores). */
gboolean      mend_journal_install_temp    (const char *tmp, const char *target,
                                            const struct stat *st, GError **error);
/* Replaces TARGET with a copy of SOURCE: temporary file beside TARGET, fsync, TARGET's mode
 * and owner, rename, fsync the folder. TARGET is always either old or new. */
gboolean      mend_journal_replace_atomic  (const char *source, const char *target,
                                            GError **error);
/* Pretty JSON written through a temporary file + fsync + rename. */
gboolean      mend_journal_write_json      (const char *path, JsonNode *node, GError **error);
JsonNode     *mend_journal_read_json       (const char *path, GError **error);
/* Copies the entry FOLDER to the user's data dir (best effort: a warning on failure). */
void          mend_journal_mirror          (MendImage *image, const char *folder,
                                            gboolean manifest_only);

G_END_DECLS
