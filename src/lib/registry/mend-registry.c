/* mend-registry.c — the registry seam: dispatch to a backend plus shared path helpers. */
#include "registry/mend-registry.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>

G_DEFINE_ABSTRACT_TYPE (MendRegistry, mend_registry, G_TYPE_OBJECT)

static void
mend_registry_class_init (MendRegistryClass *klass)
{
}

static void
mend_registry_init (MendRegistry *self)
{
}

static gboolean
not_supported (GError **error)
{
  g_set_error_literal (error, MEND_ERROR, MEND_ERROR_FAILED,
                       _("This registry backend cannot make changes"));
  return FALSE;
}

gboolean
mend_registry_key_exists (MendRegistry *self, const char *path, GError **error)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), FALSE);
  return MEND_REGISTRY_GET_CLASS (self)->key_exists (self, path, error);
}

GStrv
mend_registry_list_subkeys (MendRegistry *self, const char *path, GError **error)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), NULL);
  return MEND_REGISTRY_GET_CLASS (self)->list_subkeys (self, path, error);
}

GPtrArray *
mend_registry_list_values (MendRegistry *self, const char *path, GError **error)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), NULL);
  return MEND_REGISTRY_GET_CLASS (self)->list_values (self, path, error);
}

MendRegValue *
mend_registry_get_value (MendRegistry *self, const char *path, const char *name, GError **error)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), NULL);
  return MEND_REGISTRY_GET_CLASS (self)->get_value (self, path, name, error);
}

char *
mend_registry_resolve (MendRegistry *self, const char *path)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), NULL);
  if (MEND_REGISTRY_GET_CLASS (self)->resolve)
    return MEND_REGISTRY_GET_CLASS (self)->resolve (self, path);
  return g_strdup (path);
}

GStrv
mend_registry_list_users (MendRegistry *self)
{
  g_return_val_if_fail (MEND_IS_REGISTRY (self), NULL);
  if (MEND_REGISTRY_GET_CLASS (self)->list_users)
    return MEND_REGISTRY_GET_CLASS (self)->list_users (self);
  return g_new0 (char *, 1);
}

gboolean
mend_registry_get_dword (MendRegistry *self, const char *path, const char *name, guint32 *out,
                         GError **error)
{
  g_autoptr (MendRegValue) v = mend_registry_get_value (self, path, name, error);
  if (v == NULL)
    return FALSE;
  return mend_reg_value_get_dword (v, out, error);
}

char *
mend_registry_get_string (MendRegistry *self, const char *path, const char *name, GError **error)
{
  g_autoptr (MendRegValue) v = mend_registry_get_value (self, path, name, error);
  if (v == NULL)
    return NULL;
  return mend_reg_value_get_string (v, error);
}

gboolean
mend_registry_create_key (MendRegistry *self, const char *path, GError **error)
{
  MendRegistryClass *klass = MEND_REGISTRY_GET_CLASS (self);
  return klass->create_key ? klass->create_key (self, path, error) : not_supported (error);
}

gboolean
mend_registry_set_value (MendRegistry *self, const char *path, const MendRegValue *value,
                         GError **error)
{
  MendRegistryClass *klass = MEND_REGISTRY_GET_CLASS (self);
  return klass->set_value ? klass->set_value (self, path, value, error) : not_supported (error);
}

gboolean
mend_registry_delete_value (MendRegistry *self, const char *path, const char *name,
                            GError **error)
{
  MendRegistryClass *klass = MEND_REGISTRY_GET_CLASS (self);
  return klass->delete_value ? klass->delete_value (self, path, name, error)
                             : not_supported (error);
}

gboolean
mend_registry_delete_tree (MendRegistry *self, const char *path, GError **error)
{
  MendRegistryClass *klass = MEND_REGISTRY_GET_CLASS (self);
  return klass->delete_tree ? klass->delete_tree (self, path, error) : not_supported (error);
}

GStrv
mend_registry_split_path (const char *path)
{
  GStrvBuilder *b = g_strv_builder_new ();
  g_auto (GStrv) parts = g_strsplit (path ? path : "", "\\", -1);
  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (b, parts[i]);
  GStrv r = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return r;
}

char *
mend_registry_join_path (const char *parent, const char *child)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (child);
  return g_strconcat (parent, "\\", child, NULL);
}
