/* mend-target.h — what checks and fixes examine: a Windows installation seen through its
 * registry, its files, its user profiles, its event logs, and whether it can be written.
 * The offline image (mend-image.h) is the first implementation; the live Windows system is
 * the second. Checks and fixes use only this interface. */
#pragma once

#include <gio/gio.h>
#include "registry/mend-registry.h"

G_BEGIN_DECLS

#define MEND_TYPE_TARGET (mend_target_get_type ())
G_DECLARE_DERIVABLE_TYPE (MendTarget, mend_target, MEND, TARGET, GObject)

struct _MendTargetClass
{
  GObjectClass parent_class;

  const char   *(*get_name)      (MendTarget *self);
  MendRegistry *(*get_registry)  (MendTarget *self);
  char         *(*find_path)     (MendTarget *self, const char *relative);
  GStrv         (*list_users)    (MendTarget *self);
  char         *(*find_event_log_dir) (MendTarget *self, GError **error);
  gboolean      (*is_read_only)  (MendTarget *self, char **reason);

  gpointer padding[8];
};

/* "image:/mnt/win", "live". */
const char   *mend_target_get_name      (MendTarget *self);
/* The registry seam over this target (owned by the target). */
MendRegistry *mend_target_get_registry  (MendTarget *self);
/* A file or folder of the target by its path from the system drive's root
 * ("Windows/System32/mstsc.exe", matched case-insensitively), as a path this process can
 * open; NULL if it does not exist. */
char         *mend_target_find_path     (MendTarget *self, const char *relative);
/* User profile folder names that have a registry hive. */
GStrv         mend_target_list_users    (MendTarget *self);
/* The folder holding the target's .evtx event logs (offline: Windows/System32/winevt/Logs;
 * live: a folder of exported channels), or NULL + MEND_ERROR_NOT_FOUND when there is none. */
char         *mend_target_find_event_log_dir (MendTarget *self, GError **error);
/* TRUE when repairs cannot be written (read-only volume, no permission), with REASON. */
gboolean      mend_target_is_read_only  (MendTarget *self, char **reason);

G_END_DECLS
