/* mend-image.c — an offline Windows installation: case-insensitive files, hives, mounts. */
#include "target/mend-image.h"
#include "base/mend-error.h"
#include "registry/mend-hive-registry.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct _MendImage
{
  MendTarget    parent_instance;
  char         *root;
  char         *target_name;
  MendRegistry *registry;
  GHashTable   *hives;        /* key: "SYSTEM", "SOFTWARE", "user:<name>" → MendHive* */
  GHashTable   *hive_errors;  /* same keys → GError* (so a bad hive is reported once) */
  GMutex        lock;
};

G_DEFINE_FINAL_TYPE (MendImage, mend_image, MEND_TYPE_TARGET)

#define LOGS_RELATIVE "Windows/System32/winevt/Logs"

static const char   *image_get_name     (MendTarget *t) { return MEND_IMAGE (t)->target_name; }
static MendRegistry *image_get_registry (MendTarget *t) { return MEND_IMAGE (t)->registry; }
static char         *image_find_path    (MendTarget *t, const char *rel);
static GStrv         image_list_users   (MendTarget *t) { return mend_image_list_users (MEND_IMAGE (t)); }
static gboolean      image_is_read_only (MendTarget *t, char **reason);

static char *
image_find_event_log_dir (MendTarget *t, GError **error)
{
  char *dir = image_find_path (t, LOGS_RELATIVE);

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_free (dir);
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("No event logs in this image (%s)"),
                   LOGS_RELATIVE);
      return NULL;
    }
  return dir;
}

static void
mend_image_finalize (GObject *object)
{
  MendImage *self = MEND_IMAGE (object);
  g_clear_object (&self->registry);
  g_hash_table_unref (self->hives);
  g_hash_table_unref (self->hive_errors);
  g_free (self->root);
  g_free (self->target_name);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (mend_image_parent_class)->finalize (object);
}

static void
mend_image_class_init (MendImageClass *klass)
{
  MendTargetClass *target_class = MEND_TARGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mend_image_finalize;
  target_class->get_name = image_get_name;
  target_class->get_registry = image_get_registry;
  target_class->find_path = image_find_path;
  target_class->list_users = image_list_users;
  target_class->find_event_log_dir = image_find_event_log_dir;
  target_class->is_read_only = image_is_read_only;
}

static void
mend_image_init (MendImage *self)
{
  self->hives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) mend_hive_free);
  self->hive_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_error_free);
  g_mutex_init (&self->lock);
}

/* Resolve RELATIVE ("a/b/c") under ROOT one component at a time, matching names
 * case-insensitively as NTFS does. */
static char *
find_ci (const char *root, const char *relative)
{
  g_auto (GStrv) parts = g_strsplit_set (relative, "/\\", -1);
  g_autofree char *cur = g_strdup (root);
  for (guint i = 0; parts[i]; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      g_autofree char *exact = g_build_filename (cur, parts[i], NULL);
      if (g_file_test (exact, G_FILE_TEST_EXISTS))
        {
          g_free (cur);
          cur = g_steal_pointer (&exact);
          continue;
        }
      g_autoptr (GDir) d = g_dir_open (cur, 0, NULL);
      const char *name;
      char *found = NULL;
      while (d && (name = g_dir_read_name (d)) != NULL)
        if (g_ascii_strcasecmp (name, parts[i]) == 0)
          {
            found = g_build_filename (cur, name, NULL);
            break;
          }
      if (found == NULL)
        return NULL;
      g_free (cur);
      cur = found;
    }
  return g_steal_pointer (&cur);
}

static MendHive *
source_machine_hive (gpointer owner, const char *name, GError **error)
{
  return mend_image_get_hive (owner, g_str_equal (name, "SOFTWARE") ? MEND_HIVE_SOFTWARE
                                                                     : MEND_HIVE_SYSTEM, error);
}

static MendHive *
source_user_hive (gpointer owner, const char *user, GError **error)
{
  return mend_image_get_user_hive (owner, user, error);
}

static GStrv
source_list_users (gpointer owner)
{
  return mend_image_list_users (owner);
}

static const MendHiveSource image_hive_source = {
  source_machine_hive, source_user_hive, source_list_users,
};

MendImage *
mend_image_open (const char *dir, GError **error)
{
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  if (!g_file_test (abs, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_WINDOWS,
                   _("%s is not a folder. Point --image at the folder that holds the Windows "
                     "folder (the root of the mounted Windows volume)."),
                   abs);
      return NULL;
    }
  g_autofree char *system = find_ci (abs, "Windows/System32/config/SYSTEM");
  if (system == NULL || !g_file_test (system, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_WINDOWS,
                   _("%s holds no Windows installation (no Windows/System32/config/SYSTEM). "
                     "Point --image at the root of the Windows volume, or use --image auto."),
                   abs);
      return NULL;
    }
  MendImage *self = g_object_new (MEND_TYPE_IMAGE, NULL);
  self->root = g_steal_pointer (&abs);
  self->target_name = g_strconcat ("image:", self->root, NULL);
  self->registry = mend_hive_registry_new (&image_hive_source, self);
  return self;
}

const char *
mend_image_get_root (MendImage *self)
{
  return self->root;
}

const char *
mend_image_get_target_name (MendImage *self)
{
  return self->target_name;
}

static char *
image_find_path (MendTarget *t, const char *relative)
{
  return find_ci (MEND_IMAGE (t)->root, relative);
}

char *
mend_image_find_path (MendImage *self, const char *relative)
{
  return image_find_path (MEND_TARGET (self), relative);
}

char *
mend_image_get_hive_path (MendImage *self, MendHiveKind kind)
{
  return find_ci (self->root, kind == MEND_HIVE_SYSTEM ? "Windows/System32/config/SYSTEM"
                                                       : "Windows/System32/config/SOFTWARE");
}

char *
mend_image_get_user_hive_path (MendImage *self, const char *user)
{
  if (user == NULL || strchr (user, '/') || strcmp (user, "..") == 0 || strcmp (user, ".") == 0)
    return NULL;
  g_autofree char *rel = g_strdup_printf ("Users/%s/NTUSER.DAT", user);
  return find_ci (self->root, rel);
}

static MendHive *
get_hive_locked (MendImage *self, const char *key, char *path, const char *what, GError **error)
{
  MendHive *hive = g_hash_table_lookup (self->hives, key);
  if (hive)
    {
      g_free (path);
      return hive;
    }
  GError *cached = g_hash_table_lookup (self->hive_errors, key);
  if (cached)
    {
      g_free (path);
      g_propagate_error (error, g_error_copy (cached));
      return NULL;
    }
  GError *local = NULL;
  if (path == NULL)
    g_set_error (&local, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("The image has no %s hive"), what);
  else
    hive = mend_hive_open (path, MEND_HIVE_OPEN_WRITE, &local);
  g_free (path);
  if (hive == NULL)
    {
      g_hash_table_insert (self->hive_errors, g_strdup (key), g_error_copy (local));
      g_propagate_error (error, local);
      return NULL;
    }
  g_hash_table_insert (self->hives, g_strdup (key), hive);
  return hive;
}

MendHive *
mend_image_get_hive (MendImage *self, MendHiveKind kind, GError **error)
{
  const char *key = kind == MEND_HIVE_SYSTEM ? "SYSTEM" : "SOFTWARE";
  g_mutex_lock (&self->lock);
  MendHive *h = get_hive_locked (self, key, mend_image_get_hive_path (self, kind), key, error);
  g_mutex_unlock (&self->lock);
  return h;
}

MendHive *
mend_image_get_user_hive (MendImage *self, const char *user, GError **error)
{
  g_autofree char *key = g_strconcat ("user:", user, NULL);
  g_autofree char *what = g_strdup_printf ("NTUSER.DAT (%s)", user);
  g_mutex_lock (&self->lock);
  MendHive *h = get_hive_locked (self, key, mend_image_get_user_hive_path (self, user), what,
                                 error);
  g_mutex_unlock (&self->lock);
  return h;
}

GStrv
mend_image_list_users (MendImage *self)
{
  GStrvBuilder *b = g_strv_builder_new ();
  g_autofree char *users = find_ci (self->root, "Users");
  g_autoptr (GDir) d = users ? g_dir_open (users, 0, NULL) : NULL;
  const char *name;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *hive = mend_image_get_user_hive_path (self, name);
      if (hive && g_file_test (hive, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (b, names->pdata[i]);
  GStrv r = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return r;
}

MendRegistry *
mend_image_get_registry (MendImage *self)
{
  return self->registry;
}

gboolean
mend_image_is_read_only (MendImage *self, char **reason)
{
  return image_is_read_only (MEND_TARGET (self), reason);
}

static gboolean
image_is_read_only (MendTarget *t, char **reason)
{
  MendImage *self = MEND_IMAGE (t);
  struct statvfs vfs;
  if (statvfs (self->root, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
    {
      if (reason)
        *reason = g_strdup_printf (_("%s is on a volume mounted read-only"), self->root);
      return TRUE;
    }
  g_autofree char *config = find_ci (self->root, "Windows/System32/config");
  if (config && access (config, W_OK) != 0)
    {
      int e = errno;
      if (reason)
        *reason = g_strdup_printf (_("%s cannot be written: %s"), config, g_strerror (e));
      return TRUE;
    }
  return FALSE;
}

static void
collect_hive (gpointer key, gpointer value, gpointer user_data)
{
  g_ptr_array_add (user_data, value);
}

GPtrArray *
mend_image_get_open_hives (MendImage *self)
{
  GPtrArray *r = g_ptr_array_new ();
  g_mutex_lock (&self->lock);
  g_hash_table_foreach (self->hives, collect_hive, r);
  g_mutex_unlock (&self->lock);
  return r;
}

void
mend_image_reload (MendImage *self)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->hives);
  g_hash_table_remove_all (self->hive_errors);
  g_mutex_unlock (&self->lock);
}

/* /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *
unescape_mount (const char *s)
{
  GString *out = g_string_new (NULL);
  for (const char *p = s; *p; p++)
    {
      if (p[0] == '\\' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
          g_ascii_isdigit (p[3]))
        {
          g_string_append_c (out, (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
pseudo_fs (const char *fstype)
{
  static const char *const pseudo[] = { "proc", "sysfs", "devtmpfs", "devpts", "cgroup",
                                        "cgroup2", "securityfs", "debugfs", "tracefs",
                                        "pstore", "bpf", "mqueue", "hugetlbfs", "configfs",
                                        "fusectl", "binfmt_misc", "autofs", "rpc_pipefs",
                                        "nsfs", "efivarfs", "overlay", "squashfs", NULL };
  return g_strv_contains (pseudo, fstype);
}

GPtrArray *
mend_image_discover (const char *mountinfo, GError **error)
{
  g_autofree char *contents = NULL;
  const char *file = mountinfo ? mountinfo : "/proc/self/mountinfo";
  if (!g_file_get_contents (file, &contents, NULL, error))
    return NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      /* id parent major:minor root mountpoint options [optional...] - fstype source super */
      g_auto (GStrv) f = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (f) < 7)
        continue;
      const char *fstype = NULL;
      for (guint j = 6; f[j]; j++)
        if (strcmp (f[j], "-") == 0 && f[j + 1])
          {
            fstype = f[j + 1];
            break;
          }
      if (fstype == NULL || pseudo_fs (fstype))
        continue;
      g_autofree char *mp = unescape_mount (f[4]);
      if (g_hash_table_contains (seen, mp))
        continue;
      g_hash_table_add (seen, g_strdup (mp));
      /* Any real filesystem may hold a copied installation; NTFS ones usually do. The
       * look-up is a handful of stat calls, so checking every mount is cheap. */
      g_autofree char *system = find_ci (mp, "Windows/System32/config/SYSTEM");
      if (system && g_file_test (system, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (found, g_strdup (mp));
    }
  return found;
}

/* ---- hive kinds ---------------------------------------------------------------------- */

const char *
mend_hive_kind_to_name (MendHiveKind kind)
{
  return kind == MEND_HIVE_SOFTWARE ? "SOFTWARE" : "SYSTEM";
}

gboolean
mend_hive_kind_for_path (const char *seam_path, MendHiveKind *out)
{
  g_auto (GStrv) parts = mend_registry_split_path (seam_path);

  if (g_strv_length (parts) < 2 || g_ascii_strcasecmp (parts[0], "HKLM") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (parts[1], "SYSTEM") == 0)
    *out = MEND_HIVE_SYSTEM;
  else if (g_ascii_strcasecmp (parts[1], "SOFTWARE") == 0)
    *out = MEND_HIVE_SOFTWARE;
  else
    return FALSE;
  return TRUE;
}
