/* mend-hive-registry.h — the registry seam over hive files (hivex). The owner of the hive
 * files (an offline image) hands in how to get them; this layer knows nothing of images. */
#pragma once

#include "registry/mend-hive.h"
#include "registry/mend-registry.h"

G_BEGIN_DECLS

#define MEND_TYPE_HIVE_REGISTRY (mend_hive_registry_get_type ())
G_DECLARE_FINAL_TYPE (MendHiveRegistry, mend_hive_registry, MEND, HIVE_REGISTRY, MendRegistry)

/* How the hive registry reaches the hive files. Hives returned are owned (cached) by OWNER
 * and stay valid while it lives; NULL + error when missing or corrupt. */
typedef struct {
  /* NAME is "SYSTEM" or "SOFTWARE". */
  MendHive *(*get_machine_hive) (gpointer owner, const char *name, GError **error);
  /* USER is a profile folder name (HKU\<user>). */
  MendHive *(*get_user_hive)    (gpointer owner, const char *user, GError **error);
  GStrv     (*list_users)       (gpointer owner);
} MendHiveSource;

/* OWNER is not referenced (it owns the registry). */
MendRegistry *mend_hive_registry_new (const MendHiveSource *source, gpointer owner);
/* The hive a seam path lives in (opening it if needed), or NULL + error. */
MendHive     *mend_hive_registry_hive_for_path (MendHiveRegistry *self, const char *path,
                                                GError **error);

G_END_DECLS
