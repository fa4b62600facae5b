/* mend-hive-registry.h — the registry seam over an offline image's hive files (hivex). */
#pragma once

#include "mend-registry.h"
#include "mend-image.h"

G_BEGIN_DECLS

#define MEND_TYPE_HIVE_REGISTRY (mend_hive_registry_get_type ())
G_DECLARE_FINAL_TYPE (MendHiveRegistry, mend_hive_registry, MEND, HIVE_REGISTRY, MendRegistry)

/* IMAGE is not referenced (the image owns its registry). */
MendRegistry *mend_hive_registry_new (MendImage *image);
/* The hive a seam path lives in (opening it if needed), or NULL + error. */
MendHive     *mend_hive_registry_hive_for_path (MendHiveRegistry *self, const char *path,
                                                GError **error);

G_END_DECLS
