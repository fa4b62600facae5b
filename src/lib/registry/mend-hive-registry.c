/* mend-hive-registry.c — seam paths → hive + node; CurrentControlSet via Select\Current. */
#include "registry/mend-hive-registry.h"
#include "base/mend-error.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

struct _MendHiveRegistry
{
  MendRegistry   parent_instance;
  MendHiveSource source;
  gpointer       owner; /* not referenced: the owner owns us */
};

G_DEFINE_FINAL_TYPE (MendHiveRegistry, mend_hive_registry, MEND_TYPE_REGISTRY)

/* A parsed seam path: which hive, and the key names inside it. */
typedef struct {
  MendHive *hive;      /* borrowed from the owner */
  GStrv     parts;     /* key names below the hive root, CurrentControlSet resolved */
  char     *prefix;    /* "HKLM\\SYSTEM" etc., for display */
} HivePath;

static void
hive_path_clear (HivePath *hp)
{
  g_clear_pointer (&hp->parts, g_strfreev);
  g_clear_pointer (&hp->prefix, g_free);
}

static gboolean
is_root (const char *s, const char *a, const char *b)
{
  return g_ascii_strcasecmp (s, a) == 0 || g_ascii_strcasecmp (s, b) == 0;
}

static gboolean
read_select_current (MendHive *hive, guint32 *out)
{
  hive_h *h = mend_hive_get_handle (hive);
  hive_node_h sel = hivex_node_get_child (h, hivex_root (h), "Select");
  if (sel == 0)
    return FALSE;
  hive_value_h v = hivex_node_get_value (h, sel, "Current");
  if (v == 0)
    return FALSE;
  errno = 0;
  int32_t cur = hivex_value_dword (h, v);
  if (errno != 0 || cur <= 0 || cur > 999)
    return FALSE;
  *out = (guint32) cur;
  return TRUE;
}

static gboolean
parse_path (MendHiveRegistry *self, const char *path, HivePath *out, GError **error)
{
  g_auto (GStrv) parts = mend_registry_split_path (path);
  guint n = g_strv_length (parts);
  guint skip = 0;

  memset (out, 0, sizeof *out);
  if (n >= 2 && is_root (parts[0], "HKLM", "HKEY_LOCAL_MACHINE"))
    {
      const char *name;
      if (g_ascii_strcasecmp (parts[1], "SYSTEM") == 0)
        name = "SYSTEM";
      else if (g_ascii_strcasecmp (parts[1], "SOFTWARE") == 0)
        name = "SOFTWARE";
      else
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                       _("No hive for %s in an offline image"), path);
          return FALSE;
        }
      out->hive = self->source.get_machine_hive (self->owner, name, error);
      out->prefix = g_strdup_printf ("HKLM\\%s", name);
      skip = 2;
    }
  else if (n >= 2 && is_root (parts[0], "HKU", "HKEY_USERS"))
    {
      out->hive = self->source.get_user_hive (self->owner, parts[1], error);
      out->prefix = g_strdup_printf ("HKU\\%s", parts[1]);
      skip = 2;
    }
  else
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                   _("Registry path “%s” does not start with HKLM\\SYSTEM, HKLM\\SOFTWARE or "
                     "HKU\\<user>"),
                   path);
      return FALSE;
    }
  if (out->hive == NULL)
    {
      hive_path_clear (out);
      return FALSE;
    }

  GStrvBuilder *b = g_strv_builder_new ();
  for (guint i = skip; i < n; i++)
    {
      if (i == skip && g_ascii_strcasecmp (out->prefix, "HKLM\\SYSTEM") == 0 &&
          g_ascii_strcasecmp (parts[i], "CurrentControlSet") == 0)
        {
          guint32 cur = 0;
          if (!read_select_current (out->hive, &cur))
            {
              g_strv_builder_unref (b);
              g_set_error_literal (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                                   _("SYSTEM hive has no usable Select\\Current value: the "
                                     "current control set is unknown"));
              hive_path_clear (out);
              return FALSE;
            }
          g_autofree char *cs = g_strdup_printf ("ControlSet%03u", cur);
          g_strv_builder_add (b, cs);
        }
      else
        g_strv_builder_add (b, parts[i]);
    }
  out->parts = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return TRUE;
}

/* Walks to the node; 0 if any component is missing. hivex matches names
 * case-insensitively, as Windows does. */
static hive_node_h
walk (hive_h *h, GStrv parts, guint upto)
{
  hive_node_h node = hivex_root (h);
  for (guint i = 0; i < upto && node != 0; i++)
    node = hivex_node_get_child (h, node, parts[i]);
  return node;
}

static hive_node_h
lookup (MendHiveRegistry *self, const char *path, HivePath *hp, gboolean report_missing,
        GError **error)
{
  if (!parse_path (self, path, hp, error))
    return 0;
  hive_h *h = mend_hive_get_handle (hp->hive);
  errno = 0;
  hive_node_h node = walk (h, hp->parts, g_strv_length (hp->parts));
  if (node == 0 && errno != 0 && errno != ENOENT)
    {
      mend_hive_set_error_from_errno (error, errno, mend_hive_get_path (hp->hive));
      return 0;
    }
  if (node == 0 && report_missing)
    g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("Key %s does not exist"), path);
  return node;
}

static gboolean
mend_hive_registry_key_exists (MendRegistry *registry, const char *path, GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  GError *local = NULL;
  hive_node_h node = lookup (self, path, &hp, FALSE, &local);
  hive_path_clear (&hp);
  if (local)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return node != 0;
}

static GStrv
mend_hive_registry_list_subkeys (MendRegistry *registry, const char *path, GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  hive_node_h node = lookup (self, path, &hp, TRUE, error);
  if (node == 0)
    {
      hive_path_clear (&hp);
      return NULL;
    }
  hive_h *h = mend_hive_get_handle (hp.hive);
  g_autofree hive_node_h *children = hivex_node_children (h, node);
  if (children == NULL)
    {
      mend_hive_set_error_from_errno (error, errno, mend_hive_get_path (hp.hive));
      hive_path_clear (&hp);
      return NULL;
    }
  GStrvBuilder *b = g_strv_builder_new ();
  for (guint i = 0; children[i]; i++)
    {
      char *name = hivex_node_name (h, children[i]);
      if (name)
        {
          g_strv_builder_add (b, name);
          free (name);
        }
    }
  hive_path_clear (&hp);
  GStrv r = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return r;
}

static MendRegValue *
read_value (hive_h *h, hive_value_h v)
{
  hive_type type = 0;
  size_t len = 0;
  char *key = hivex_value_key (h, v);
  char *data = hivex_value_value (h, v, &type, &len);
  if (key == NULL || data == NULL)
    {
      free (key);
      free (data);
      return NULL;
    }
  g_autoptr (GBytes) bytes = g_bytes_new (data, len);
  MendRegValue *r = mend_reg_value_new (key, (guint32) type, bytes);
  free (key);
  free (data);
  return r;
}

static GPtrArray *
mend_hive_registry_list_values (MendRegistry *registry, const char *path, GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  hive_node_h node = lookup (self, path, &hp, TRUE, error);
  if (node == 0)
    {
      hive_path_clear (&hp);
      return NULL;
    }
  hive_h *h = mend_hive_get_handle (hp.hive);
  g_autofree hive_value_h *values = hivex_node_values (h, node);
  if (values == NULL)
    {
      mend_hive_set_error_from_errno (error, errno, mend_hive_get_path (hp.hive));
      hive_path_clear (&hp);
      return NULL;
    }
  GPtrArray *r = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_reg_value_free);
  for (guint i = 0; values[i]; i++)
    {
      MendRegValue *v = read_value (h, values[i]);
      if (v)
        g_ptr_array_add (r, v);
    }
  hive_path_clear (&hp);
  return r;
}

static MendRegValue *
mend_hive_registry_get_value (MendRegistry *registry, const char *path, const char *name,
                              GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  hive_node_h node = lookup (self, path, &hp, TRUE, error);
  MendRegValue *r = NULL;
  if (node != 0)
    {
      hive_h *h = mend_hive_get_handle (hp.hive);
      errno = 0;
      hive_value_h v = hivex_node_get_value (h, node, name ? name : "");
      if (v != 0)
        r = read_value (h, v);
      if (r == NULL)
        g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("Value %s\\%s does not exist"),
                     path, name && *name ? name : _("(Default)"));
    }
  hive_path_clear (&hp);
  return r;
}

static char *
mend_hive_registry_resolve (MendRegistry *registry, const char *path)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  if (!parse_path (self, path, &hp, NULL))
    return g_strdup (path);
  g_autofree char *rest = g_strjoinv ("\\", hp.parts);
  char *r = *rest ? g_strconcat (hp.prefix, "\\", rest, NULL) : g_strdup (hp.prefix);
  hive_path_clear (&hp);
  return r;
}

static GStrv
mend_hive_registry_list_users (MendRegistry *registry)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  return self->source.list_users (self->owner);
}

/* --- staged writes ------------------------------------------------------------------ */

static hive_node_h
walk_create (hive_h *h, GStrv parts, gboolean *created)
{
  hive_node_h node = hivex_root (h);
  for (guint i = 0; parts[i] && node != 0; i++)
    {
      hive_node_h child = hivex_node_get_child (h, node, parts[i]);
      if (child == 0)
        {
          child = hivex_node_add_child (h, node, parts[i]);
          if (created)
            *created = TRUE;
        }
      node = child;
    }
  return node;
}

static gboolean
mend_hive_registry_create_key (MendRegistry *registry, const char *path, GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  if (!parse_path (self, path, &hp, error))
    return FALSE;
  gboolean created = FALSE;
  errno = 0;
  hive_node_h node = walk_create (mend_hive_get_handle (hp.hive), hp.parts, &created);
  if (node == 0)
    mend_hive_set_error_from_errno (error, errno ? errno : EINVAL, mend_hive_get_path (hp.hive));
  else if (created)
    mend_hive_mark_changed (hp.hive);
  hive_path_clear (&hp);
  return node != 0;
}

/* hivex replaces a node's whole value list at once; rebuild it with VALUE set (or, when
 * VALUE is NULL, with DELETE_NAME removed). */
static gboolean
rewrite_values (hive_h *h, hive_node_h node, const MendRegValue *value, const char *delete_name,
                gboolean *found, GError **error, const char *what)
{
  g_autofree hive_value_h *values = hivex_node_values (h, node);
  if (values == NULL)
    {
      mend_hive_set_error_from_errno (error, errno, what);
      return FALSE;
    }
  GPtrArray *keep = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_reg_value_free);
  const char *target = value ? value->name : delete_name;
  gboolean replaced = FALSE;
  for (guint i = 0; values[i]; i++)
    {
      MendRegValue *v = read_value (h, values[i]);
      if (v == NULL)
        continue;
      if (g_ascii_strcasecmp (v->name, target) == 0)
        {
          replaced = TRUE;
          mend_reg_value_free (v);
          if (value)
            g_ptr_array_add (keep, mend_reg_value_copy (value));
          continue;
        }
      g_ptr_array_add (keep, v);
    }
  if (value && !replaced)
    g_ptr_array_add (keep, mend_reg_value_copy (value));
  if (found)
    *found = replaced;

  g_autofree hive_set_value *set = g_new0 (hive_set_value, keep->len + 1);
  for (guint i = 0; i < keep->len; i++)
    {
      MendRegValue *v = keep->pdata[i];
      gsize len;
      set[i].key = v->name;
      set[i].t = v->type;
      set[i].value = (char *) g_bytes_get_data (v->data, &len);
      set[i].len = len;
    }
  int rc = hivex_node_set_values (h, node, keep->len, set, 0);
  int e = errno;
  g_ptr_array_unref (keep);
  if (rc != 0)
    {
      mend_hive_set_error_from_errno (error, e, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
mend_hive_registry_set_value (MendRegistry *registry, const char *path, const MendRegValue *value,
                              GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  if (!parse_path (self, path, &hp, error))
    return FALSE;
  hive_h *h = mend_hive_get_handle (hp.hive);
  errno = 0;
  hive_node_h node = walk_create (h, hp.parts, NULL);
  gboolean ok = FALSE;
  if (node == 0)
    mend_hive_set_error_from_errno (error, errno ? errno : EINVAL, mend_hive_get_path (hp.hive));
  else
    ok = rewrite_values (h, node, value, NULL, NULL, error, mend_hive_get_path (hp.hive));
  mend_hive_mark_changed (hp.hive);
  hive_path_clear (&hp);
  return ok;
}

static gboolean
mend_hive_registry_delete_value (MendRegistry *registry, const char *path, const char *name,
                                 GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  hive_node_h node = lookup (self, path, &hp, TRUE, error);
  gboolean ok = FALSE, found = FALSE;
  if (node != 0)
    {
      ok = rewrite_values (mend_hive_get_handle (hp.hive), node, NULL, name ? name : "", &found,
                           error, mend_hive_get_path (hp.hive));
      if (ok && found)
        mend_hive_mark_changed (hp.hive);
      if (ok && !found)
        {
          ok = FALSE;
          g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("Value %s\\%s does not exist"),
                       path, name);
        }
    }
  hive_path_clear (&hp);
  return ok;
}

static gboolean
mend_hive_registry_delete_tree (MendRegistry *registry, const char *path, GError **error)
{
  MendHiveRegistry *self = MEND_HIVE_REGISTRY (registry);
  HivePath hp;
  hive_node_h node = lookup (self, path, &hp, TRUE, error);
  gboolean ok = FALSE;
  if (node != 0)
    {
      hive_h *h = mend_hive_get_handle (hp.hive);
      if (node == hivex_root (h))
        g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                     _("Refusing to delete the root of a hive"));
      else if (hivex_node_delete_child (h, node) != 0)
        mend_hive_set_error_from_errno (error, errno, mend_hive_get_path (hp.hive));
      else
        {
          mend_hive_mark_changed (hp.hive);
          ok = TRUE;
        }
    }
  hive_path_clear (&hp);
  return ok;
}

static void
mend_hive_registry_class_init (MendHiveRegistryClass *klass)
{
  MendRegistryClass *reg_class = MEND_REGISTRY_CLASS (klass);
  reg_class->key_exists = mend_hive_registry_key_exists;
  reg_class->list_subkeys = mend_hive_registry_list_subkeys;
  reg_class->list_values = mend_hive_registry_list_values;
  reg_class->get_value = mend_hive_registry_get_value;
  reg_class->resolve = mend_hive_registry_resolve;
  reg_class->list_users = mend_hive_registry_list_users;
  reg_class->create_key = mend_hive_registry_create_key;
  reg_class->set_value = mend_hive_registry_set_value;
  reg_class->delete_value = mend_hive_registry_delete_value;
  reg_class->delete_tree = mend_hive_registry_delete_tree;
}

static void
mend_hive_registry_init (MendHiveRegistry *self)
{
}

MendRegistry *
mend_hive_registry_new (const MendHiveSource *source, gpointer owner)
{
  MendHiveRegistry *self = g_object_new (MEND_TYPE_HIVE_REGISTRY, NULL);
  self->source = *source;
  self->owner = owner;
  return MEND_REGISTRY (self);
}

MendHive *
mend_hive_registry_hive_for_path (MendHiveRegistry *self, const char *path, GError **error)
{
  HivePath hp;
  if (!parse_path (self, path, &hp, error))
    return NULL;
  MendHive *h = hp.hive;
  hive_path_clear (&hp);
  return h;
}
