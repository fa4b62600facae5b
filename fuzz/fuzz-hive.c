/* fuzz-hive.c — a hostile hive file through the integrity checks and the registry seam:
 * open, dirty detection, walk every key and value to a bounded depth. */
#include "registry/mend-hive.h"
#include "target/mend-image.h"
#include "registry/mend-registry.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char *root;
static char *hive_path;

static void
walk (MendRegistry *reg, const char *path, int depth, int *budget)
{
  if (depth > 6 || --*budget <= 0)
    return;
  g_autoptr (GPtrArray) values = mend_registry_list_values (reg, path, NULL);
  for (guint i = 0; values && i < values->len; i++)
    g_free (mend_reg_value_to_display (values->pdata[i]));
  g_auto (GStrv) keys = mend_registry_list_subkeys (reg, path, NULL);
  for (guint i = 0; keys && keys[i] && i < 16; i++)
    {
      g_autofree char *child = mend_registry_join_path (path, keys[i]);
      walk (reg, child, depth + 1, budget);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (root == NULL)
    {
      root = g_dir_make_tmp ("fuzz-hive-XXXXXX", NULL);
      g_autofree char *cfg = g_build_filename (root, "Windows", "System32", "config", NULL);
      g_mkdir_with_parents (cfg, 0755);
      hive_path = g_build_filename (cfg, "SYSTEM", NULL);
    }
  if (!g_file_set_contents (hive_path, (const char *) data, size, NULL))
    return 0;
  g_autoptr (MendImage) image = mend_image_open (root, NULL);
  if (image == NULL)
    return 0;
  MendRegistry *reg = mend_image_get_registry (image);
  int budget = 2000;
  walk (reg, "HKLM\\SYSTEM", 0, &budget);
  guint32 v;
  mend_registry_get_dword (reg, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
                           "fDenyTSConnections", &v, NULL);
  return 0;
}
