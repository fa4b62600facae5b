/* mend-image.h — an offline Windows installation: a folder holding Windows/System32/config.
 * A MendTarget; what is specific to hive files (paths, opened hives, reload) is here. */
#pragma once

#include <gio/gio.h>
#include "registry/mend-hive.h"
#include "registry/mend-registry.h"
#include "target/mend-target.h"

G_BEGIN_DECLS

#define MEND_TYPE_IMAGE (mend_image_get_type ())
G_DECLARE_FINAL_TYPE (MendImage, mend_image, MEND, IMAGE, MendTarget)

typedef enum {
  MEND_HIVE_SYSTEM,
  MEND_HIVE_SOFTWARE,
} MendHiveKind;

const char   *mend_hive_kind_to_name     (MendHiveKind kind);   /* "SYSTEM" */
/* The machine hive a seam path (HKLM\SYSTEM\..., HKLM\SOFTWARE\...) lives in. */
gboolean      mend_hive_kind_for_path    (const char *seam_path, MendHiveKind *out);

/* Fails with MEND_ERROR_NOT_WINDOWS when DIR has no Windows/System32/config/SYSTEM
 * (looked up case-insensitively). Hives are opened lazily. */
MendImage    *mend_image_open            (const char *dir, GError **error);
const char   *mend_image_get_root        (MendImage *self);
/* "image:/mnt/win" */
const char   *mend_image_get_target_name (MendImage *self);
/* Case-insensitive lookup of a relative path ("Windows/System32/mstsc.exe");
 * NULL if it does not exist. */
char         *mend_image_find_path       (MendImage *self, const char *relative);
/* Path of a hive file, or NULL if absent. USER is a profile folder name for NTUSER.DAT. */
char         *mend_image_get_hive_path   (MendImage *self, MendHiveKind kind);
char         *mend_image_get_user_hive_path (MendImage *self, const char *user);
/* Opened hive (cached); NULL + error if missing or corrupt. */
MendHive     *mend_image_get_hive        (MendImage *self, MendHiveKind kind, GError **error);
MendHive     *mend_image_get_user_hive   (MendImage *self, const char *user, GError **error);
/* Profile folder names under Users/ that have an NTUSER.DAT. */
GStrv         mend_image_list_users      (MendImage *self);
/* The registry seam over this image's hives (owned by the image). */
MendRegistry *mend_image_get_registry    (MendImage *self);
/* TRUE when the root is on a read-only mount or not writable by us. */
gboolean      mend_image_is_read_only    (MendImage *self, char **reason);
/* Every hive opened so far (element MendHive*, owned by the image). */
GPtrArray    *mend_image_get_open_hives  (MendImage *self);
/* Close all hives (drops staged changes) so they are reopened from disk. */
void          mend_image_reload          (MendImage *self);

/* Every folder on a mounted volume (NTFS, ntfs3, fuseblk, or any mount point / plain
 * folder passed in EXTRA_ROOTS) that holds a Windows installation. Reads
 * /proc/self/mountinfo (or MOUNTINFO when not NULL, for tests). */
GPtrArray    *mend_image_discover        (const char *mountinfo, GError **error);

G_END_DECLS
