/* mend-journal.c — journal entries on disk (list, undo). Undo restores the hive copy when
 * the hive is exactly as we left it,
 * and refuses (unless forced) when anything else wrote it since. */
#include "fixes/mend-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"
#include "fixes/mend-journal-private.h"
#include "registry/mend-regfile.h"

char *
mend_journal_get_dir (MendImage *image, gboolean create, GError **error)
{
  g_autofree char *existing = mend_image_find_path (image, "ProgramData/RDPMend/journal");
  g_autofree char *program_data = NULL;
  g_autofree char *dir = NULL;

  if (existing != NULL || !create)
    {
      if (existing == NULL)
        g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                     _("No fix has been applied to this installation yet (there is no "
                       "ProgramData/RDPMend/journal folder)."));
      return g_steal_pointer (&existing);
    }

  program_data = mend_image_find_path (image, "ProgramData");
  if (program_data == NULL)
    program_data = g_build_filename (mend_image_get_root (image), "ProgramData", NULL);
  dir = g_build_filename (program_data, "RDPMend", "journal", NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      mend_error_set_errno (error, errno, _("Cannot create the journal folder"), dir);
      return NULL;
    }
  /* The new folders must survive a crash as much as the files inside them. */
  {
    g_autofree char *rdpmend = g_path_get_dirname (dir);

    if (!mend_durable_fsync (rdpmend, TRUE, error)
        || !mend_durable_fsync (program_data, TRUE, error)
        || !mend_durable_fsync (mend_image_get_root (image), TRUE, error))
      return NULL;
  }
  return g_steal_pointer (&dir);
}

char *
mend_journal_get_mirror_dir (MendImage *image)
{
  g_autofree char *canonical = g_canonicalize_filename (mend_image_get_root (image), NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);

  hash[16] = '\0';
  return g_build_filename (g_get_user_data_dir (), "rdpmend", "journal", hash, NULL);
}

void
mend_journal_mirror (MendImage *image, const char *folder, gboolean manifest_only)
{
  g_autofree char *id = g_path_get_basename (folder);
  g_autofree char *mirror_root = mend_journal_get_mirror_dir (image);
  g_autofree char *dest = g_build_filename (mirror_root, id, NULL);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;

  if (g_mkdir_with_parents (dest, 0700) != 0)
    {
      g_warning ("Cannot create the journal copy %s: %s", dest, g_strerror (errno));
      return;
    }
  dir = g_dir_open (folder, 0, &error);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (folder, name, NULL);
      g_autofree char *to = g_build_filename (dest, name, NULL);

      if (name[0] == '.' || (manifest_only && !g_str_equal (name, "manifest.json")))
        continue;
      if (!mend_durable_copy (src, to, &error))
        {
          g_warning ("Cannot copy the journal entry to %s: %s", dest, error->message);
          return;
        }
    }
  mend_durable_fsync (dest, TRUE, NULL);
}

/* ---- listing ------------------------------------------------------------------------------ */

void
mend_journal_entry_free (MendJournalEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->folder);
  g_strfreev (entry->fix_ids);
  g_free (entry->state);
  g_free (entry);
}

static MendJournalEntry *
entry_from_manifest (const char *folder, JsonObject *m)
{
  MendJournalEntry *entry = g_new0 (MendJournalEntry, 1);
  JsonArray *fixes = json_object_has_member (m, "fixes")
                       ? json_object_get_array_member (m, "fixes") : NULL;
  GPtrArray *ids = g_ptr_array_new ();

  entry->id = g_strdup (json_object_get_string_member_with_default (m, "id", ""));
  entry->folder = g_strdup (folder);
  /* Microseconds keep two entries of the same second in order. */
  entry->created = json_object_get_int_member_with_default (m, "created_us", 0) / G_USEC_PER_SEC;
  entry->state = g_strdup (json_object_get_string_member_with_default (m, "state", "unknown"));
  for (guint i = 0; fixes != NULL && i < json_array_get_length (fixes); i++)
    {
      JsonNode *n = json_array_get_element (fixes, i);

      if (JSON_NODE_HOLDS_OBJECT (n))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member_with_default (
                                json_node_get_object (n), "id", "")));
    }
  g_ptr_array_add (ids, NULL);
  entry->fix_ids = (GStrv) g_ptr_array_free (ids, FALSE);
  return entry;
}

/* Entries with their manifests, newest first (by microsecond creation time). */
static GPtrArray *
load_entries (MendImage *image, GPtrArray **manifests_out, GError **error)
{
  g_autofree char *root = mend_journal_get_dir (image, FALSE, NULL);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_journal_entry_free);
  g_autoptr (GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GArray) order = NULL;
  const char *name;

  if (root == NULL)
    {
      if (manifests_out != NULL)
        *manifests_out = g_steal_pointer (&manifests);
      return g_steal_pointer (&entries);
    }
  dir = g_dir_open (root, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (root, name, NULL);
      g_autofree char *path = g_build_filename (folder, "manifest.json", NULL);
      g_autoptr (GError) local_error = NULL;
      JsonNode *node;

      if (name[0] == '.' || !g_file_test (folder, G_FILE_TEST_IS_DIR))
        continue;
      node = mend_durable_read_json (path, &local_error);
      if (node == NULL)
        {
          /* A crash before the manifest was first written leaves only backups. */
          g_debug ("skipping journal folder %s: %s", folder, local_error->message);
          continue;
        }
      g_ptr_array_add (entries, entry_from_manifest (folder, json_node_get_object (node)));
      g_ptr_array_add (manifests, node);
    }

  /* Sort both arrays by created_us, newest first. */
  order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < entries->len; i++)
    g_array_append_val (order, i);
  for (guint i = 1; i < order->len; i++)
    for (guint j = i; j > 0; j--)
      {
        guint a = g_array_index (order, guint, j - 1), b = g_array_index (order, guint, j);
        JsonObject *ma = json_node_get_object (g_ptr_array_index (manifests, a));
        JsonObject *mb = json_node_get_object (g_ptr_array_index (manifests, b));
        gint64 ua = json_object_get_int_member_with_default (ma, "created_us", 0);
        gint64 ub = json_object_get_int_member_with_default (mb, "created_us", 0);

        if (ua > ub || (ua == ub && g_strcmp0 (((MendJournalEntry *) entries->pdata[a])->id,
                                               ((MendJournalEntry *) entries->pdata[b])->id) >= 0))
          break;
        g_array_index (order, guint, j - 1) = b;
        g_array_index (order, guint, j) = a;
      }
  {
    GPtrArray *sorted = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_journal_entry_free);
    GPtrArray *sorted_m = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

    for (guint i = 0; i < order->len; i++)
      {
        guint k = g_array_index (order, guint, i);

        g_ptr_array_add (sorted, g_steal_pointer (&entries->pdata[k]));
        g_ptr_array_add (sorted_m, g_steal_pointer (&manifests->pdata[k]));
      }
    g_ptr_array_set_free_func (entries, NULL);
    g_ptr_array_set_free_func (manifests, NULL);
    if (manifests_out != NULL)
      *manifests_out = sorted_m;
    else
      g_ptr_array_unref (sorted_m);
    return sorted;
  }
}

GPtrArray *
mend_journal_list (MendImage *image, GError **error)
{
  return load_entries (image, NULL, error);
}

/* ---- undo --------------------------------------------------------------------------------- */

static gboolean
state_is_active (const char *state)
{
  return g_strcmp0 (state, "applied") == 0 || g_strcmp0 (state, "applying") == 0
         || g_strcmp0 (state, "undoing") == 0;
}

static gboolean
hives_overlap (JsonObject *a, JsonObject *b)
{
  JsonArray *ha = json_object_get_array_member (a, "hives");
  JsonArray *hb = json_object_get_array_member (b, "hives");

  for (guint i = 0; ha != NULL && i < json_array_get_length (ha); i++)
    for (guint j = 0; hb != NULL && j < json_array_get_length (hb); j++)
      if (g_strcmp0 (json_object_get_string_member_with_default (
                       json_array_get_object_element (ha, i), "name", "a"),
                     json_object_get_string_member_with_default (
                       json_array_get_object_element (hb, j), "name", "b")) == 0)
        return TRUE;
  return FALSE;
}

typedef enum {
  HIVE_NOTHING,    /* already as before */
  HIVE_RESTORE,    /* exactly as we left it: put the copy back */
  HIVE_CHANGED,    /* something else wrote it since */
} HiveAction;

static gboolean
set_state (JsonObject *m, const char *folder, const char *state, GError **error)
{
  g_autofree char *path = g_build_filename (folder, "manifest.json", NULL);
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (m, "state", state);
  json_node_set_object (node, m);
  return mend_durable_write_json (path, node, error);
}

/* Forced undo of a hive that changed since: restore only what the plan touched, from the
 * manifest's old values and the .reg backup, through the registry seam. */
static gboolean
undo_changes_in_place (MendImage *image, JsonObject *m, const char *folder,
                       const char *hive_name, GError **error)
{
  MendRegistry *registry = mend_image_get_registry (image);
  JsonArray *changes = json_object_get_array_member (m, "changes");
  g_autofree char *reg_name = g_strdup_printf ("backup-%s.reg", hive_name);
  g_autofree char *reg_path = g_build_filename (folder, reg_name, NULL);
  g_autoptr (MendRegFile) backup = NULL;

  for (gint i = (gint) json_array_get_length (changes) - 1; i >= 0; i--)
    {
      JsonObject *c = json_array_get_object_element (changes, (guint) i);
      const char *path = json_object_get_string_member_with_default (c, "resolved_path", "");
      const char *name = json_object_get_string_member_with_default (c, "value", "");
      MendChangeKind kind;
      MendHiveKind hk;
      g_autoptr (GError) local_error = NULL;
      gboolean exists;

      if (!mend_hive_kind_for_path (path, &hk) || !g_str_equal (mend_hive_kind_to_name (hk), hive_name)
          || !mend_change_kind_from_string (json_object_get_string_member_with_default (c, "kind", ""),
                                            &kind))
        continue;
      exists = mend_registry_key_exists (registry, path, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      switch (kind)
        {
        case MEND_CHANGE_CREATE_KEY:
          if (exists && !mend_registry_delete_tree (registry, path, error))
            return FALSE;
          break;
        case MEND_CHANGE_SET_VALUE:
        case MEND_CHANGE_DELETE_VALUE:
          {
            JsonNode *old_node = json_object_get_member (c, "old");
            g_autoptr (MendRegValue) old = mend_reg_value_from_json_hex (old_node);

            if (old != NULL)
              {
                if (!mend_registry_set_value (registry, path, old, error))
                  return FALSE;
              }
            else if (exists)
              {
                g_autoptr (MendRegValue) cur = mend_registry_get_value (registry, path, name, NULL);

                if (cur != NULL && !mend_registry_delete_value (registry, path, name, error))
                  return FALSE;
              }
            break;
          }
        case MEND_CHANGE_DELETE_TREE:
          {
            g_autofree char *file_root = mend_reg_file_path_from_seam (path);
            g_autofree char *prefix = g_strconcat (file_root, "\\", NULL);
            g_autoptr (MendRegFile) subset = mend_reg_file_new ();
            GPtrArray *keys;

            if (backup == NULL && (backup = mend_reg_file_load (reg_path, error)) == NULL)
              return FALSE;
            if (exists && !mend_registry_delete_tree (registry, path, error))
              return FALSE;
            keys = mend_reg_file_get_keys (backup);
            for (guint k = 0; k < keys->len; k++)
              {
                MendRegFileKey *key = g_ptr_array_index (keys, k);
                MendRegFileKey *copy;

                if (key->delete_key
                    || (g_ascii_strcasecmp (key->path, file_root) != 0
                        && g_ascii_strncasecmp (key->path, prefix, strlen (prefix)) != 0))
                  continue;
                copy = mend_reg_file_add_key (subset, key->path);
                for (guint v = 0; v < key->values->len; v++)
                  mend_reg_file_key_add_value (copy, g_ptr_array_index (key->values, v));
              }
            if (!mend_reg_file_apply (subset, registry, error))
              return FALSE;
            break;
          }
        }
    }
  return TRUE;
}

gboolean
mend_journal_undo (MendImage *image, const char *id, gboolean force, char **undone_id,
                   GError **error)
{
  g_autoptr (GPtrArray) manifests = NULL;
  g_autoptr (GPtrArray) entries = load_entries (image, &manifests, error);
  MendJournalEntry *entry = NULL;
  JsonObject *m = NULL;
  JsonArray *hives;
  g_autoptr (GArray) actions = NULL;
  guint index = 0;
  gboolean any_forced = FALSE, wrote_any = FALSE;
  g_autofree char *previous_state = NULL;

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      MendJournalEntry *e = g_ptr_array_index (entries, i);

      if (id != NULL ? g_str_equal (e->id, id) : state_is_active (e->state))
        {
          entry = e;
          m = json_node_get_object (g_ptr_array_index (manifests, i));
          index = i;
          break;
        }
    }
  if (entry == NULL)
    {
      if (id != NULL)
        g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                     _("There is no journal entry “%s” (see “rdpmend-cli journal”)."), id);
      else
        g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                     _("There is nothing to undo: no applied fix in the journal."));
      return FALSE;
    }
  if (!state_is_active (entry->state))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PRECONDITION,
                   _("The journal entry %s is already “%s”: there is nothing to undo."),
                   entry->id, entry->state);
      return FALSE;
    }
  for (guint i = 0; i < index && !force; i++)
    {
      MendJournalEntry *newer = g_ptr_array_index (entries, i);

      if (state_is_active (newer->state)
          && hives_overlap (m, json_node_get_object (g_ptr_array_index (manifests, i))))
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE,
                       _("A newer fix (%s) changed the same hive after %s. Undo that one "
                         "first, or use --force to restore only the keys %s touched."),
                       newer->id, entry->id, entry->id);
          return FALSE;
        }
    }

  /* Decide per hive before touching anything, so a refusal changes nothing. */
  hives = json_object_get_array_member (m, "hives");
  actions = g_array_new (FALSE, TRUE, sizeof (HiveAction));
  for (guint i = 0; hives != NULL && i < json_array_get_length (hives); i++)
    {
      JsonObject *h = json_array_get_object_element (hives, i);
      const char *rel = json_object_get_string_member_with_default (h, "path", "");
      g_autofree char *path = g_build_filename (mend_image_get_root (image), rel, NULL);
      const char *before = json_object_get_string_member_with_default (h, "sha256_before", "");
      const char *after = json_object_get_string_member_with_default (h, "sha256_after", "");
      g_autofree char *now = mend_durable_sha256_file (path, error);
      HiveAction action = HIVE_CHANGED;
      guint32 s1 = 0, s2 = 0;

      if (now == NULL)
        return FALSE;
      if (g_str_equal (now, before))
        action = HIVE_NOTHING;
      else if (after[0] != '\0' && g_str_equal (now, after))
        action = HIVE_RESTORE;
      else if (after[0] == '\0' && mend_hive_read_header (path, &s1, &s2, NULL))
        {
          /* Interrupted before the manifest said "applied": our own commit bumps the
           * sequence numbers by exactly one; Windows would have moved them further. */
          gint64 b1 = json_object_get_int_member_with_default (h, "sequence1_before", -1);

          if (s1 == s2 && (gint64) s1 == b1 + 1)
            action = HIVE_RESTORE;
        }
      if (action == HIVE_CHANGED && !force)
        {
          gint64 a1 = json_object_get_int_member_with_default (h, "sequence1_after", -1);

          mend_hive_read_header (path, &s1, &s2, NULL);
          if (a1 >= 0 && (gint64) s1 != a1)
            g_set_error (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE,
                         _("%s changed after %s was applied: Windows has been started since "
                           "(sequence number %lld → %u). Restoring the copy "
                           "would throw away what Windows wrote. Use --force to put back "
                           "only the keys this fix touched."),
                         rel, entry->id, (long long) a1, s1);
          else
            g_set_error (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE,
                         _("%s changed after %s was applied (another program wrote it). "
                           "Restoring the copy would throw that away. Use --force to put "
                           "back only the keys this fix touched."),
                         rel, entry->id);
          return FALSE;
        }
      g_array_append_val (actions, action);
    }

  previous_state = g_strdup (entry->state);
  if (!set_state (m, entry->folder, "undoing", error))
    return FALSE;
  if (!mend_fault_point ("undo-started", error))
    return FALSE;

  for (guint i = 0; i < actions->len; i++)
    {
      JsonObject *h = json_array_get_object_element (hives, i);
      const char *name = json_object_get_string_member_with_default (h, "name", "");
      const char *rel = json_object_get_string_member_with_default (h, "path", "");
      g_autofree char *path = g_build_filename (mend_image_get_root (image), rel, NULL);
      g_autofree char *copy_name = g_strdup_printf ("%s.before", name);
      g_autofree char *copy = g_build_filename (entry->folder, copy_name, NULL);

      switch (g_array_index (actions, HiveAction, i))
        {
        case HIVE_NOTHING:
          break;
        case HIVE_RESTORE:
          if (!mend_durable_replace (copy, path, error))
            {
              if (!wrote_any)
                set_state (m, entry->folder, previous_state, NULL);
              g_prefix_error (error, _("Undo of %s stopped: "), entry->id);
              return FALSE;
            }
          wrote_any = TRUE;
          break;
        case HIVE_CHANGED:
          {
            MendHiveKind kind = g_str_equal (name, "SOFTWARE") ? MEND_HIVE_SOFTWARE : MEND_HIVE_SYSTEM;
            MendHive *hive;

            mend_image_reload (image);
            if (!undo_changes_in_place (image, m, entry->folder, name, error)
                || (hive = mend_image_get_hive (image, kind, error)) == NULL
                || !mend_hive_commit (hive, error))
              {
                mend_image_reload (image);
                if (!wrote_any)
                  set_state (m, entry->folder, previous_state, NULL);
                g_prefix_error (error, _("Forced undo of %s stopped: "), entry->id);
                return FALSE;
              }
            any_forced = TRUE;
            wrote_any = TRUE;
            break;
          }
        }
      if (!mend_fault_point ("undo-hive-restored", error))
        return FALSE;
    }

  json_object_set_int_member (m, "undone_us", g_get_real_time ());
  json_object_set_boolean_member (m, "undo_forced", any_forced);
  if (!set_state (m, entry->folder, "undone", error))
    return FALSE;
  mend_journal_mirror (image, entry->folder, TRUE);
  mend_image_reload (image);
  if (undone_id != NULL)
    *undone_id = g_strdup (entry->id);
  return TRUE;
}
