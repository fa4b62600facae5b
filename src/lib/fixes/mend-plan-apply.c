/* mend-plan-apply.c — the one apply engine: refuse with nothing changed, or journal +
 * backups (fsynced) first, then each hive through an atomic commit; roll back on failure. */
#include "fixes/mend-plan.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"
#include "fixes/mend-journal-private.h"
#include "registry/mend-regfile.h"

typedef struct {
  MendHiveKind kind;
  MendHive    *hive;          /* owned by the image */
  char        *path;          /* absolute */
  char        *relative;      /* to the image root */
  char        *sha_before;
  guint32      seq1_before, seq2_before;
  char        *sha_after;
  guint32      seq1_after, seq2_after;
  gboolean     committed;
  MendRegFile *backup;
  GHashTable  *exported;      /* casefolded resolved path → GINT(recursive) */
} HiveState;

static void
hive_state_free (HiveState *hs)
{
  g_free (hs->path);
  g_free (hs->relative);
  g_free (hs->sha_before);
  g_free (hs->sha_after);
  g_clear_pointer (&hs->backup, mend_reg_file_free);
  g_clear_pointer (&hs->exported, g_hash_table_unref);
  g_free (hs);
}

typedef struct {
  MendImage         *image;
  MendRegistry      *registry;
  GPtrArray         *plans;
  GPtrArray         *hives;     /* HiveState*, SYSTEM before SOFTWARE */
  char              *id;
  char              *folder;
  gint64             created_us;
  MendApplyProgress  progress;
  gpointer           progress_data;
  guint              n_steps, step;
} Apply;

static void
report (Apply *a, const char *what)
{
  a->step++;
  if (a->progress != NULL)
    a->progress (what, MIN (1.0, (double) a->step / MAX (1, a->n_steps)), a->progress_data);
}

static HiveState *
hive_state_for (Apply *a, MendHiveKind kind)
{
  for (guint i = 0; i < a->hives->len; i++)
    {
      HiveState *hs = g_ptr_array_index (a->hives, i);

      if (hs->kind == kind)
        return hs;
    }
  return NULL;
}

static char *
relative_to_root (MendImage *image, const char *path)
{
  const char *root = mend_image_get_root (image);
  gsize n = strlen (root);

  if (g_str_has_prefix (path, root) && path[n] == G_DIR_SEPARATOR)
    return g_strdup (path + n + 1);
  return g_strdup (path);
}

/* ---- refusal checks: nothing has been written when these fail ----------------------------- */

static gboolean
check_writable (Apply *a, HiveState *hs, GError **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *dir = g_path_get_dirname (hs->path);

  if (mend_hive_is_dirty (hs->hive))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                   _("%s was not shut down cleanly by Windows (%s). Writing it now would "
                     "throw away changes Windows has not yet saved. Start Windows and shut "
                     "it down fully (hold Shift while choosing Shut down), then try again. "
                     "Nothing was changed."),
                   hs->relative, mend_hive_get_dirty_reason (hs->hive));
      return FALSE;
    }
  if (mend_image_is_read_only (a->image, &reason))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_READ_ONLY,
                   _("%s. Mount the Windows volume read-write (after a full shutdown of "
                     "Windows, not hibernation or Fast Startup) and try again. Nothing was "
                     "changed."),
                   reason);
      return FALSE;
    }
  if (access (hs->path, W_OK) != 0 || access (dir, W_OK) != 0)
    {
      int e = errno;
      MendError code = mend_error_from_errno (e);

      g_set_error (error, MEND_ERROR, code == MEND_ERROR_READ_ONLY ? code : MEND_ERROR_PERMISSION,
                   _("You cannot write %s (%s). Run the repair as a user who may write the "
                     "Windows volume (for example with sudo or pkexec). Nothing was changed."),
                   hs->path, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_preconditions (Apply *a, MendPlan *plan, GError **error)
{
  GPtrArray *changes = mend_plan_get_changes (plan);

  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (changes, i);
      g_autoptr (GError) local_error = NULL;
      gboolean holds = TRUE;

      switch (c->kind)
        {
        case MEND_CHANGE_CREATE_KEY:
          holds = !mend_registry_key_exists (a->registry, c->resolved_path, &local_error);
          break;
        case MEND_CHANGE_DELETE_TREE:
          holds = mend_registry_key_exists (a->registry, c->resolved_path, &local_error);
          break;
        case MEND_CHANGE_SET_VALUE:
        case MEND_CHANGE_DELETE_VALUE:
          {
            g_autoptr (MendRegValue) now =
              mend_registry_get_value (a->registry, c->resolved_path, c->value_name, &local_error);

            if (now == NULL && g_error_matches (local_error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
              g_clear_error (&local_error);
            holds = (now == NULL && c->old_value == NULL)
                    || (now != NULL && c->old_value != NULL
                        && mend_reg_value_equal (now, c->old_value));
            break;
          }
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!holds)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_PRECONDITION,
                       _("The plan for “%s” no longer matches the installation: %s changed "
                         "after the plan was made. Make the plan again. Nothing was changed."),
                       mend_plan_get_fix_id (plan), c->resolved_path);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- journal ----------------------------------------------------------------------------------- */

static void
export_once (HiveState *hs, MendRegistry *registry, const char *path, gboolean recursive,
             GError **error_out, gboolean *ok)
{
  g_autofree char *folded = g_utf8_casefold (path, -1);
  gpointer prev;
  g_autoptr (GError) local_error = NULL;

  if (!*ok)
    return;
  if (g_hash_table_lookup_extended (hs->exported, folded, NULL, &prev)
      && (GPOINTER_TO_INT (prev) || !recursive))
    return;
  if (!mend_reg_file_export_key (hs->backup, registry, path, recursive, &local_error))
    {
      if (g_error_matches (local_error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
        return;   /* a key the plan creates: nothing to back up */
      g_propagate_error (error_out, g_steal_pointer (&local_error));
      *ok = FALSE;
      return;
    }
  g_hash_table_insert (hs->exported, g_steal_pointer (&folded), GINT_TO_POINTER (recursive));
}

static gboolean
build_backups (Apply *a, GError **error)
{
  gboolean ok = TRUE;

  for (guint p = 0; p < a->plans->len; p++)
    {
      GPtrArray *changes = mend_plan_get_changes (g_ptr_array_index (a->plans, p));

      for (guint i = 0; i < changes->len && ok; i++)
        {
          MendChange *c = g_ptr_array_index (changes, i);
          MendHiveKind kind;
          HiveState *hs;

          mend_hive_kind_for_path (c->resolved_path, &kind);
          hs = hive_state_for (a, kind);
          switch (c->kind)
            {
            case MEND_CHANGE_DELETE_TREE:
              export_once (hs, a->registry, c->resolved_path, TRUE, error, &ok);
              break;
            case MEND_CHANGE_SET_VALUE:
            case MEND_CHANGE_DELETE_VALUE:
              export_once (hs, a->registry, c->resolved_path, FALSE, error, &ok);
              break;
            case MEND_CHANGE_CREATE_KEY:
              break;
            }
        }
    }
  /* Importing the backup must also undo what the plan adds: new values and new keys. */
  for (guint p = 0; p < a->plans->len && ok; p++)
    {
      GPtrArray *changes = mend_plan_get_changes (g_ptr_array_index (a->plans, p));

      for (guint i = 0; i < changes->len; i++)
        {
          MendChange *c = g_ptr_array_index (changes, i);
          g_autofree char *file_path = mend_reg_file_path_from_seam (c->resolved_path);
          g_autofree char *folded = g_utf8_casefold (c->resolved_path, -1);
          MendHiveKind kind;
          HiveState *hs;

          mend_hive_kind_for_path (c->resolved_path, &kind);
          hs = hive_state_for (a, kind);
          if (c->kind == MEND_CHANGE_CREATE_KEY)
            mend_reg_file_add_delete_key (hs->backup, file_path);
          else if (c->kind == MEND_CHANGE_SET_VALUE && c->old_value == NULL
                   && g_hash_table_contains (hs->exported, folded))
            mend_reg_file_key_add_deleted_value (mend_reg_file_add_key (hs->backup, file_path),
                                                 c->value_name);
        }
    }
  return ok;
}

static JsonNode *
build_manifest (Apply *a, const char *state, const char *error_message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) created = g_date_time_new_from_unix_utc (a->created_us / G_USEC_PER_SEC);
  g_autofree char *iso = g_date_time_format_iso8601 (created);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_int_value (b, MEND_JOURNAL_SCHEMA);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, a->id);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, iso);
  json_builder_set_member_name (b, "created_us");
  json_builder_add_int_value (b, a->created_us);
  json_builder_set_member_name (b, "tool");
  json_builder_add_string_value (b, "rdpmend " MEND_VERSION);
  json_builder_set_member_name (b, "target");
  json_builder_add_string_value (b, mend_image_get_target_name (a->image));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, state);
  if (error_message != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error_message);
    }

  json_builder_set_member_name (b, "fixes");
  json_builder_begin_array (b);
  for (guint p = 0; p < a->plans->len; p++)
    {
      MendPlan *plan = g_ptr_array_index (a->plans, p);
      GHashTableIter iter;
      gpointer k, v;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, mend_plan_get_fix_id (plan));
      json_builder_set_member_name (b, "params");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&iter, mend_plan_get_params (plan));
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          json_builder_set_member_name (b, k);
          json_builder_add_string_value (b, v);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint p = 0; p < a->plans->len; p++)
    {
      MendPlan *plan = g_ptr_array_index (a->plans, p);
      GPtrArray *changes = mend_plan_get_changes (plan);

      for (guint i = 0; i < changes->len; i++)
        {
          JsonNode *n = mend_change_to_json (g_ptr_array_index (changes, i));

          json_object_set_string_member (json_node_get_object (n), "fix",
                                         mend_plan_get_fix_id (plan));
          json_builder_add_value (b, n);
        }
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "hives");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->hives->len; i++)
    {
      HiveState *hs = g_ptr_array_index (a->hives, i);
      g_autofree char *copy = g_strdup_printf ("%s.before", mend_hive_kind_to_name (hs->kind));
      g_autofree char *reg = g_strdup_printf ("backup-%s.reg", mend_hive_kind_to_name (hs->kind));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, mend_hive_kind_to_name (hs->kind));
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, hs->relative);
      json_builder_set_member_name (b, "copy");
      json_builder_add_string_value (b, copy);
      json_builder_set_member_name (b, "reg");
      json_builder_add_string_value (b, reg);
      json_builder_set_member_name (b, "sha256_before");
      json_builder_add_string_value (b, hs->sha_before);
      json_builder_set_member_name (b, "sequence1_before");
      json_builder_add_int_value (b, hs->seq1_before);
      json_builder_set_member_name (b, "sequence2_before");
      json_builder_add_int_value (b, hs->seq2_before);
      if (hs->sha_after != NULL)
        {
          json_builder_set_member_name (b, "sha256_after");
          json_builder_add_string_value (b, hs->sha_after);
          json_builder_set_member_name (b, "sequence1_after");
          json_builder_add_int_value (b, hs->seq1_after);
          json_builder_set_member_name (b, "sequence2_after");
          json_builder_add_int_value (b, hs->seq2_after);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
write_manifest (Apply *a, const char *state, const char *error_message, GError **error)
{
  g_autoptr (JsonNode) node = build_manifest (a, state, error_message);
  g_autofree char *path = g_build_filename (a->folder, "manifest.json", NULL);

  return mend_durable_write_json (path, node, error);
}

static char *
new_entry_folder (Apply *a, const char *journal_dir, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (a->created_us / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  MendPlan *first = g_ptr_array_index (a->plans, 0);

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *id = n == 1
        ? g_strdup_printf ("%s-%s", stamp, mend_plan_get_fix_id (first))
        : g_strdup_printf ("%s-%s-%u", stamp, mend_plan_get_fix_id (first), n);
      g_autofree char *folder = g_build_filename (journal_dir, id, NULL);

      if (g_mkdir (folder, 0755) == 0)
        {
          a->id = g_steal_pointer (&id);
          return g_steal_pointer (&folder);
        }
      if (errno != EEXIST)
        {
          g_set_error (error, MEND_ERROR, mend_error_from_errno (errno),
                       _("Cannot create the journal entry %s: %s"), folder, g_strerror (errno));
          return NULL;
        }
    }
  g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Too many journal entries in one second"));
  return NULL;
}

static gboolean
write_journal (Apply *a, GError **error)
{
  g_autofree char *journal_dir = mend_journal_get_dir (a->image, TRUE, error);

  if (journal_dir == NULL)
    return FALSE;
  a->folder = new_entry_folder (a, journal_dir, error);
  if (a->folder == NULL || !mend_durable_fsync (journal_dir, TRUE, error))
    return FALSE;
  report (a, _("Journal entry created"));
  if (!mend_fault_point ("journal-folder", error))
    return FALSE;

  if (!build_backups (a, error))
    return FALSE;
  for (guint i = 0; i < a->hives->len; i++)
    {
      HiveState *hs = g_ptr_array_index (a->hives, i);
      const char *name = mend_hive_kind_to_name (hs->kind);
      g_autofree char *reg_name = g_strdup_printf ("backup-%s.reg", name);
      g_autofree char *reg_path = g_build_filename (a->folder, reg_name, NULL);
      g_autofree char *copy_name = g_strdup_printf ("%s.before", name);
      g_autofree char *copy_path = g_build_filename (a->folder, copy_name, NULL);
      g_autofree char *comment = g_strdup_printf (
        "RDP Mend backup of the keys %s touches in %s (%s), before the change.", a->id, name,
        hs->relative);

      mend_reg_file_add_comment (hs->backup, comment);
      if (!mend_reg_file_save (hs->backup, reg_path, MEND_REG_FILE_UTF16LE, error))
        return FALSE;
      report (a, _("Registry keys exported"));
      if (!mend_fault_point ("reg-backup", error))
        return FALSE;
      if (!mend_durable_copy (hs->path, copy_path, error))
        return FALSE;
      {
        g_autofree char *check = mend_durable_sha256_file (copy_path, error);

        if (check == NULL)
          return FALSE;
        if (!g_str_equal (check, hs->sha_before))
          {
            g_set_error (error, MEND_ERROR, MEND_ERROR_IO,
                         _("The copy of %s does not match the original (it changed while "
                           "being copied?). Nothing was changed."),
                         hs->relative);
            return FALSE;
          }
      }
      report (a, _("Hive copied"));
      if (!mend_fault_point ("hive-copy", error))
        return FALSE;
    }
  if (!write_manifest (a, "applying", NULL, error)
      || !mend_durable_fsync (a->folder, TRUE, error))
    return FALSE;
  mend_journal_mirror (a->image, a->folder, FALSE);
  report (a, _("Journal written"));
  return mend_fault_point ("manifest", error);
}

/* ---- writing ------------------------------------------------------------------------------ */

static gboolean
stage_change (MendRegistry *registry, MendChange *c, GError **error)
{
  switch (c->kind)
    {
    case MEND_CHANGE_CREATE_KEY:
      return mend_registry_create_key (registry, c->resolved_path, error);
    case MEND_CHANGE_SET_VALUE:
      return mend_registry_set_value (registry, c->resolved_path, c->new_value, error);
    case MEND_CHANGE_DELETE_VALUE:
      return mend_registry_delete_value (registry, c->resolved_path, c->value_name, error);
    case MEND_CHANGE_DELETE_TREE:
      return mend_registry_delete_tree (registry, c->resolved_path, error);
    }
  return FALSE;
}

/* Puts every hive already written back from its copy. */
static gboolean
roll_back (Apply *a, GError **error)
{
  gboolean ok = TRUE;

  mend_image_reload (a->image);
  for (guint i = 0; i < a->hives->len; i++)
    {
      HiveState *hs = g_ptr_array_index (a->hives, i);
      g_autofree char *copy_name = g_strdup_printf ("%s.before", mend_hive_kind_to_name (hs->kind));
      g_autofree char *copy = g_build_filename (a->folder, copy_name, NULL);
      g_autofree char *now = mend_durable_sha256_file (hs->path, NULL);

      if (now != NULL && g_str_equal (now, hs->sha_before))
        continue;
      if (!mend_durable_replace (copy, hs->path, ok ? error : NULL))
        ok = FALSE;
    }
  return ok;
}

static void
remove_stale_temporaries (const char *hive_path)
{
  g_autofree char *dir = g_path_get_dirname (hive_path);
  g_autofree char *base = g_path_get_basename (hive_path);
  g_autofree char *prefix = g_strdup_printf (".%s.rdpmend-", base);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
}

char *
mend_plans_apply (MendImage *image, GPtrArray *plans, MendApplyProgress progress,
                  gpointer progress_data, gboolean *rolled_back, GCancellable *cancellable,
                  GError **error)
{
  Apply a = { 0 };
  g_autoptr (GPtrArray) hives = g_ptr_array_new_with_free_func ((GDestroyNotify) hive_state_free);
  g_autoptr (GError) local_error = NULL;
  gboolean wrote_any = FALSE;
  guint n_changes = 0;

  g_return_val_if_fail (MEND_IS_IMAGE (image), NULL);
  g_return_val_if_fail (plans != NULL && plans->len > 0, NULL);

  if (rolled_back != NULL)
    *rolled_back = FALSE;
  a.image = image;
  a.plans = plans;
  a.hives = hives;
  a.progress = progress;
  a.progress_data = progress_data;
  a.created_us = g_get_real_time ();

  /* Start from what is on disk: staged leftovers must not leak into this apply. */
  mend_image_reload (image);
  a.registry = mend_image_get_registry (image);

  for (guint p = 0; p < plans->len; p++)
    {
      GPtrArray *changes = mend_plan_get_changes (g_ptr_array_index (plans, p));

      for (guint i = 0; i < changes->len; i++)
        {
          MendChange *c = g_ptr_array_index (changes, i);
          MendHiveKind kind;
          HiveState *hs;

          n_changes++;
          if (!mend_hive_kind_for_path (c->resolved_path, &kind))
            {
              g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                           _("Changes under %s cannot be applied to an offline image. Nothing "
                             "was changed."), c->resolved_path);
              return NULL;
            }
          if (hive_state_for (&a, kind) != NULL)
            continue;
          hs = g_new0 (HiveState, 1);
          hs->kind = kind;
          hs->hive = mend_image_get_hive (image, kind, error);
          if (hs->hive == NULL)
            {
              hive_state_free (hs);
              return NULL;
            }
          hs->path = g_strdup (mend_hive_get_path (hs->hive));
          hs->relative = relative_to_root (image, hs->path);
          hs->exported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          hs->backup = mend_reg_file_new ();
          g_ptr_array_add (hives, hs);
        }
    }
  if (n_changes == 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PRECONDITION,
                   _("There is nothing to apply: the plans contain no registry changes."));
      return NULL;
    }
  /* SYSTEM first, then SOFTWARE: a stable order for the journal and the crash tests. */
  if (hives->len == 2 && ((HiveState *) hives->pdata[0])->kind == MEND_HIVE_SOFTWARE)
    {
      gpointer t = hives->pdata[0];

      hives->pdata[0] = hives->pdata[1];
      hives->pdata[1] = t;
    }
  a.n_steps = 4 + 3 * hives->len;

  for (guint i = 0; i < hives->len; i++)
    {
      HiveState *hs = g_ptr_array_index (hives, i);

      if (!check_writable (&a, hs, error))
        return NULL;
      hs->sha_before = mend_durable_sha256_file (hs->path, error);
      if (hs->sha_before == NULL
          || !mend_hive_read_header (hs->path, &hs->seq1_before, &hs->seq2_before, error))
        return NULL;
    }
  for (guint p = 0; p < plans->len; p++)
    if (!check_preconditions (&a, g_ptr_array_index (plans, p), error))
      return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* A process killed while writing a hive leaves its temporary file beside it. */
  for (guint i = 0; i < hives->len; i++)
    remove_stale_temporaries (((HiveState *) hives->pdata[i])->path);

  /* 1. Journal, backups and hive copies, all fsynced before the first hive write. */
  if (!write_journal (&a, &local_error))
    {
      if (a.folder != NULL)
        write_manifest (&a, "failed", local_error->message, NULL);
      g_prefix_error (&local_error, _("Could not write the journal, so nothing was changed: "));
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_free (a.folder);
      g_free (a.id);
      return NULL;
    }

  /* 2. Stage every change, then 3. commit hive by hive. */
  for (guint p = 0; p < plans->len && local_error == NULL; p++)
    {
      GPtrArray *changes = mend_plan_get_changes (g_ptr_array_index (plans, p));

      for (guint i = 0; i < changes->len && local_error == NULL; i++)
        stage_change (a.registry, g_ptr_array_index (changes, i), &local_error);
    }
  if (local_error == NULL)
    {
      report (&a, _("Changes prepared"));
      mend_fault_point ("staged", &local_error);
    }
  for (guint i = 0; i < hives->len && local_error == NULL; i++)
    {
      HiveState *hs = g_ptr_array_index (hives, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      if (!mend_hive_commit (hs->hive, &local_error))
        break;
      hs->committed = TRUE;
      wrote_any = TRUE;
      report (&a, _("Hive written"));
      if (!mend_fault_point ("commit", &local_error))
        break;
      hs->sha_after = mend_durable_sha256_file (hs->path, &local_error);
      if (hs->sha_after == NULL
          || !mend_hive_read_header (hs->path, &hs->seq1_after, &hs->seq2_after, &local_error))
        break;
    }

  if (local_error != NULL)
    {
      g_autoptr (GError) rollback_error = NULL;

      if (!wrote_any)
        {
          mend_image_reload (image);
          write_manifest (&a, "failed", local_error->message, NULL);
          g_prefix_error (&local_error, _("Nothing was changed: "));
        }
      else if (roll_back (&a, &rollback_error))
        {
          write_manifest (&a, "rolled-back", local_error->message, NULL);
          if (rolled_back != NULL)
            *rolled_back = TRUE;
          g_prefix_error (&local_error,
                          _("Applying stopped part-way and what was written has been put "
                            "back from the backup (journal %s): "), a.id);
        }
      else
        {
          write_manifest (&a, "failed", local_error->message, NULL);
          g_prefix_error (&local_error,
                          _("Applying stopped part-way and putting the backup back failed "
                            "too (%s). Restore it with “rdpmend-cli undo %s”: "),
                          rollback_error->message, a.id);
        }
      mend_journal_mirror (image, a.folder, TRUE);
      mend_image_reload (image);
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_free (a.folder);
      g_free (a.id);
      return NULL;
    }

  /* 4. The entry says "applied" only once every hive is written. */
  if (!write_manifest (&a, "applied", NULL, &local_error))
    g_warning ("The fix was applied but the journal state could not be updated: %s",
               local_error->message);
  report (&a, _("Journal updated"));
  mend_fault_point ("applied", NULL);
  mend_journal_mirror (image, a.folder, TRUE);
  mend_image_reload (image);
  g_free (a.folder);
  return a.id;
}
