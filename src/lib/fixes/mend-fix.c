/* mend-fix.c — the builders a fix computes its plan with: each compares with what is there
 * now and records a change only when something differs. */
#include "fixes/mend-fix.h"

#include <glib/gi18n-lib.h>
#include "base/mend-error.h"

static void
append_terminated (GPtrArray *array, const char *text)
{
  g_ptr_array_index (array, array->len - 1) = g_strdup (text);
  g_ptr_array_add (array, NULL);
}

void
mend_fix_add_step (MendFixContext *ctx, const char *step)
{
  append_terminated (ctx->steps, step);
}

void
mend_fix_add_note (MendFixContext *ctx, const char *note)
{
  append_terminated (ctx->notes, note);
}

void
mend_fix_set_warning (MendFixContext *ctx, const char *warning)
{
  g_free (ctx->warning);
  ctx->warning = g_strdup (warning);
}

void
mend_fix_set_link (MendFixContext *ctx, const char *link)
{
  g_free (ctx->link);
  ctx->link = g_strdup (link);
}

static MendChange *
change_new (MendFixContext *ctx, MendChangeKind kind, const char *path, const char *value_name,
            const char *description)
{
  MendChange *change = g_new0 (MendChange, 1);

  change->kind = kind;
  change->path = g_strdup (path);
  change->resolved_path = mend_registry_resolve (ctx->registry, path);
  if (change->resolved_path == NULL)
    change->resolved_path = g_strdup (path);
  change->value_name = g_strdup (value_name);
  change->description = g_strdup (description);
  return change;
}

/* Absent (no key, no value) is not an error here; a missing or unreadable hive is. */
static MendRegValue *
read_current (MendRegistry *registry, const char *path, const char *name, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MendRegValue *v = mend_registry_get_value (registry, path, name, &local_error);

  if (v == NULL && !g_error_matches (local_error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return v;
}

gboolean
mend_fix_require_hive (MendFixContext *ctx, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  mend_registry_key_exists (ctx->registry, path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
mend_fix_require_key (MendFixContext *ctx, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (mend_registry_key_exists (ctx->registry, path, &local_error))
    return TRUE;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      g_autofree char *resolved = mend_registry_resolve (ctx->registry, path);

      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                   _("The key %s does not exist in this installation, so the fix “%s” has "
                     "nothing to change. Nothing was written."),
                   resolved != NULL ? resolved : path, ctx->fix_id);
    }
  return FALSE;
}

gboolean
mend_fix_create_key (MendFixContext *ctx, const char *path, GError **error)
{
  g_auto (GStrv) parts = mend_registry_split_path (path);
  g_autoptr (GString) sofar = NULL;
  guint n = g_strv_length (parts);

  if (n < 2)
    return TRUE;
  sofar = g_string_new (parts[0]);
  g_string_append_printf (sofar, "\\%s", parts[1]);
  for (guint i = 2; i < n; i++)
    {
      g_autoptr (GError) local_error = NULL;

      g_string_append_printf (sofar, "\\%s", parts[i]);
      if (mend_registry_key_exists (ctx->registry, sofar->str, &local_error))
        continue;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      {
        g_autofree char *desc = g_strdup_printf (_("Create the key %s"), sofar->str);

        g_ptr_array_add (ctx->changes,
                         change_new (ctx, MEND_CHANGE_CREATE_KEY, sofar->str, NULL, desc));
      }
    }
  return TRUE;
}

static gboolean
plan_creates_key (MendFixContext *ctx, const char *path)
{
  for (guint i = 0; i < ctx->changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (ctx->changes, i);

      if (c->kind == MEND_CHANGE_CREATE_KEY && g_ascii_strcasecmp (c->path, path) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
mend_fix_set_value (MendFixContext *ctx, const char *path, MendRegValue *value,
                    const char *description, GError **error)
{
  g_autoptr (MendRegValue) owned = value;
  g_autoptr (MendRegValue) old = NULL;
  g_autoptr (GError) local_error = NULL;
  MendChange *change;

  if (!mend_registry_key_exists (ctx->registry, path, &local_error) && !plan_creates_key (ctx, path))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!mend_fix_create_key (ctx, path, error))
        return FALSE;
    }
  else
    {
      old = read_current (ctx->registry, path, value->name, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (old != NULL && mend_reg_value_equal (old, value))
        return TRUE;
    }

  change = change_new (ctx, MEND_CHANGE_SET_VALUE, path, value->name, description);
  change->old_value = g_steal_pointer (&old);
  change->new_value = g_steal_pointer (&owned);
  g_ptr_array_add (ctx->changes, change);
  return TRUE;
}

gboolean
mend_fix_delete_value (MendFixContext *ctx, const char *path, const char *name,
                       const char *description, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MendRegValue) old = read_current (ctx->registry, path, name, &local_error);
  MendChange *change;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (old == NULL)
    return TRUE;
  change = change_new (ctx, MEND_CHANGE_DELETE_VALUE, path, name, description);
  change->old_value = g_steal_pointer (&old);
  g_ptr_array_add (ctx->changes, change);
  return TRUE;
}

gboolean
mend_fix_delete_tree (MendFixContext *ctx, const char *path, const char *description,
                      GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!mend_registry_key_exists (ctx->registry, path, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }
  g_ptr_array_add (ctx->changes,
                   change_new (ctx, MEND_CHANGE_DELETE_TREE, path, NULL, description));
  return TRUE;
}
