/* mend-registry.h — the registry seam: one interface, offline (hivex) and live backends.
 *
 * Paths are backslash-separated, case-insensitive, and start with a root:
 *   HKLM\SYSTEM\CurrentControlSet\...   (offline: resolved through Select\Current)
 *   HKLM\SOFTWARE\...
 *   HKU\<user>\...                       (offline: Users/<user>/NTUSER.DAT)
 * Writes are staged and only reach the disk through mend_registry_commit().
 */
#pragma once

#include <gio/gio.h>
#include "registry/mend-regvalue.h"

G_BEGIN_DECLS

#define MEND_TYPE_REGISTRY (mend_registry_get_type ())
G_DECLARE_DERIVABLE_TYPE (MendRegistry, mend_registry, MEND, REGISTRY, GObject)

struct _MendRegistryClass
{
  GObjectClass parent_class;

  gboolean      (*key_exists)   (MendRegistry *self, const char *path, GError **error);
  GStrv         (*list_subkeys) (MendRegistry *self, const char *path, GError **error);
  GPtrArray    *(*list_values)  (MendRegistry *self, const char *path, GError **error);
  MendRegValue *(*get_value)    (MendRegistry *self, const char *path, const char *name,
                                 GError **error);
  char         *(*resolve)      (MendRegistry *self, const char *path);
  GStrv         (*list_users)   (MendRegistry *self);

  gboolean      (*create_key)   (MendRegistry *self, const char *path, GError **error);
  gboolean      (*set_value)    (MendRegistry *self, const char *path, const MendRegValue *value,
                                 GError **error);
  gboolean      (*delete_value) (MendRegistry *self, const char *path, const char *name,
                                 GError **error);
  gboolean      (*delete_tree)  (MendRegistry *self, const char *path, GError **error);

  gpointer padding[8];
};

/* TRUE if the key exists; FALSE with error unset if it does not; FALSE + error if the
 * hive holding it is missing or unreadable. */
gboolean      mend_registry_key_exists   (MendRegistry *self, const char *path, GError **error);
GStrv         mend_registry_list_subkeys (MendRegistry *self, const char *path, GError **error);
/* Element type MendRegValue*, owned by the array. */
GPtrArray    *mend_registry_list_values  (MendRegistry *self, const char *path, GError **error);
/* NULL + MEND_ERROR_NOT_FOUND if the key or value does not exist. */
MendRegValue *mend_registry_get_value    (MendRegistry *self, const char *path, const char *name,
                                          GError **error);
/* The path as it really is in the target (CurrentControlSet → ControlSet001), for evidence. */
char         *mend_registry_resolve      (MendRegistry *self, const char *path);
/* User profiles that have a loadable NTUSER.DAT (offline) or are loaded (live). */
GStrv         mend_registry_list_users   (MendRegistry *self);

/* Convenience readers. Absent → FALSE + MEND_ERROR_NOT_FOUND. */
gboolean      mend_registry_get_dword    (MendRegistry *self, const char *path, const char *name,
                                          guint32 *out, GError **error);
char         *mend_registry_get_string   (MendRegistry *self, const char *path, const char *name,
                                          GError **error);

/* Staged writes (see mend-hive-registry.h for how offline commits reach the disk). */
gboolean      mend_registry_create_key   (MendRegistry *self, const char *path, GError **error);
gboolean      mend_registry_set_value    (MendRegistry *self, const char *path,
                                          const MendRegValue *value, GError **error);
gboolean      mend_registry_delete_value (MendRegistry *self, const char *path, const char *name,
                                          GError **error);
gboolean      mend_registry_delete_tree  (MendRegistry *self, const char *path, GError **error);

/* Path helpers shared by backends. */
GStrv         mend_registry_split_path   (const char *path);      /* on '\\', no empties */
char         *mend_registry_join_path    (const char *parent, const char *child);

G_END_DECLS
