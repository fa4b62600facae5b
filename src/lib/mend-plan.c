/* mend-plan.c — MendPlan: what a fix will change, shown before anything is written, and
 * the single apply engine (refuse → journal + backups, fsynced → atomic hive writes). */
#include "mend-plan.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include "mend-error.h"
#include "mend-journal-private.h"
#include "fixes/mend-fix-private.h"

struct _MendPlan
{
  GObject     parent_instance;

  const MendFixInfo *info;
  GPtrArray  *changes;   /* MendChange* */
  GPtrArray  *steps;     /* char*, NULL-terminated */
  GPtrArray  *notes;     /* char*, NULL-terminated */
  char       *warning;
  char       *link;
  GHashTable *params;    /* char* → char* */
};

G_DEFINE_FINAL_TYPE (MendPlan, mend_plan, G_TYPE_OBJECT)

/* Catalog order (CATALOG.md "Fixes"). */
static const MendFixInfo fix_infos[] = {
  { "reset-mslicensing", N_("Reset the Remote Desktop license store"), "client", FALSE },
  { "rebind-certificate", N_("Bind a usable certificate to the Remote Desktop listener"), "server", FALSE },
  { "enable-tls12", N_("Re-enable TLS 1.2"), "both", FALSE },
  { "set-credssp-mitigated", N_("Set CredSSP encryption oracle remediation to Mitigated"), "client", TRUE },
  { "enable-rdp", N_("Allow Remote Desktop connections"), "server", FALSE },
  { "enable-listener", N_("Enable the Remote Desktop listener"), "server", FALSE },
  { "enable-services", N_("Re-enable the Remote Desktop services"), "server", FALSE },
  { "restore-servicedll", N_("Restore the Remote Desktop service library"), "server", FALSE },
  { "set-security-negotiate", N_("Let the listener negotiate TLS (security layer Negotiate)"), "server", FALSE },
  { "enable-firewall-rule", N_("Enable the Remote Desktop firewall rules"), "server", FALSE },
  { "open-update-catalog", N_("Find the latest cumulative update"), "both", FALSE },
};

static const char * const thumbprint_params[] = { "thumbprint", NULL };
static const char * const value_params[] = { "value", NULL };

static const MendFixImpl fix_impls[] = {
  { "reset-mslicensing", NULL, mend_fix_reset_mslicensing },
  { "rebind-certificate", thumbprint_params, mend_fix_rebind_certificate },
  { "enable-tls12", NULL, mend_fix_enable_tls12 },
  { "set-credssp-mitigated", value_params, mend_fix_set_credssp_mitigated },
  { "enable-rdp", NULL, mend_fix_enable_rdp },
  { "enable-listener", NULL, mend_fix_enable_listener },
  { "enable-services", NULL, mend_fix_enable_services },
  { "restore-servicedll", NULL, mend_fix_restore_servicedll },
  { "set-security-negotiate", NULL, mend_fix_set_security_negotiate },
  { "enable-firewall-rule", NULL, mend_fix_enable_firewall_rule },
  { "open-update-catalog", NULL, mend_fix_open_update_catalog },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fix_infos) == G_N_ELEMENTS (fix_impls));

const MendFixInfo *
mend_fix_list_all (guint *n_fixes)
{
  if (n_fixes != NULL)
    *n_fixes = G_N_ELEMENTS (fix_infos);
  return fix_infos;
}

const MendFixInfo *
mend_fix_lookup (const char *fix_id)
{
  for (guint i = 0; fix_id != NULL && i < G_N_ELEMENTS (fix_infos); i++)
    if (g_str_equal (fix_infos[i].id, fix_id))
      return &fix_infos[i];
  return NULL;
}

const MendFixImpl *
mend_fix_impl_lookup (const char *fix_id)
{
  for (guint i = 0; fix_id != NULL && i < G_N_ELEMENTS (fix_impls); i++)
    if (g_str_equal (fix_impls[i].id, fix_id))
      return &fix_impls[i];
  return NULL;
}

gboolean
mend_fix_accepts_param (const char *fix_id, const char *key)
{
  const MendFixImpl *impl = mend_fix_impl_lookup (fix_id);

  for (guint i = 0; impl != NULL && impl->params != NULL && impl->params[i] != NULL; i++)
    if (g_strcmp0 (impl->params[i], key) == 0)
      return TRUE;
  return FALSE;
}

const char *
mend_change_kind_to_string (MendChangeKind kind)
{
  switch (kind)
    {
    case MEND_CHANGE_CREATE_KEY:
      return "create-key";
    case MEND_CHANGE_SET_VALUE:
      return "set-value";
    case MEND_CHANGE_DELETE_VALUE:
      return "delete-value";
    case MEND_CHANGE_DELETE_TREE:
      return "delete-tree";
    }
  return "unknown";
}

gboolean
mend_change_kind_from_string (const char *s, MendChangeKind *out)
{
  for (MendChangeKind k = MEND_CHANGE_CREATE_KEY; k <= MEND_CHANGE_DELETE_TREE; k++)
    if (g_strcmp0 (s, mend_change_kind_to_string (k)) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

void
mend_change_free (MendChange *change)
{
  if (change == NULL)
    return;
  g_free (change->path);
  g_free (change->resolved_path);
  g_free (change->value_name);
  g_clear_pointer (&change->old_value, mend_reg_value_free);
  g_clear_pointer (&change->new_value, mend_reg_value_free);
  g_free (change->description);
  g_free (change);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
mend_plan_finalize (GObject *object)
{
  MendPlan *self = MEND_PLAN (object);

  g_ptr_array_unref (self->changes);
  g_ptr_array_unref (self->steps);
  g_ptr_array_unref (self->notes);
  g_free (self->warning);
  g_free (self->link);
  g_hash_table_unref (self->params);
  G_OBJECT_CLASS (mend_plan_parent_class)->finalize (object);
}

static void
mend_plan_class_init (MendPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_plan_finalize;
}

static void
mend_plan_init (MendPlan *self)
{
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_change_free);
  self->steps = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->steps, NULL);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notes, NULL);
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- builders (mend-fix-private.h) ------------------------------------------------------ */

static void
append_terminated (GPtrArray *array, const char *text)
{
  g_ptr_array_index (array, array->len - 1) = g_strdup (text);
  g_ptr_array_add (array, NULL);
}

void
mend_plan_add_step (MendPlan *plan, const char *step)
{
  append_terminated (plan->steps, step);
}

void
mend_plan_add_note (MendPlan *plan, const char *note)
{
  append_terminated (plan->notes, note);
}

const char * const *
mend_plan_get_notes (MendPlan *plan)
{
  return (const char * const *) plan->notes->pdata;
}

void
mend_plan_set_warning (MendPlan *plan, const char *warning)
{
  g_free (plan->warning);
  plan->warning = g_strdup (warning);
}

void
mend_plan_set_link (MendPlan *plan, const char *link)
{
  g_free (plan->link);
  plan->link = g_strdup (link);
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
                   resolved != NULL ? resolved : path, ctx->plan->info->id);
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

        g_ptr_array_add (ctx->plan->changes,
                         change_new (ctx, MEND_CHANGE_CREATE_KEY, sofar->str, NULL, desc));
      }
    }
  return TRUE;
}

static gboolean
plan_creates_key (MendPlan *plan, const char *path)
{
  for (guint i = 0; i < plan->changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (plan->changes, i);

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

  if (!mend_registry_key_exists (ctx->registry, path, &local_error) && !plan_creates_key (ctx->plan, path))
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
  g_ptr_array_add (ctx->plan->changes, change);
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
  g_ptr_array_add (ctx->plan->changes, change);
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
  g_ptr_array_add (ctx->plan->changes,
                   change_new (ctx, MEND_CHANGE_DELETE_TREE, path, NULL, description));
  return TRUE;
}

/* ---- public plan API ------------------------------------------------------------------ */

static gboolean
param_allowed (const MendFixImpl *impl, const char *key)
{
  for (guint i = 0; impl->params != NULL && impl->params[i] != NULL; i++)
    if (g_str_equal (impl->params[i], key))
      return TRUE;
  return FALSE;
}

static char *
known_fix_ids (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fix_infos); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", fix_infos[i].id);
  return g_string_free (s, FALSE);
}

MendPlan *
mend_plan_new_for_fix (MendImage *image, const char *fix_id, GHashTable *params,
                       GError **error)
{
  const MendFixInfo *info = mend_fix_lookup (fix_id);
  const MendFixImpl *impl = mend_fix_impl_lookup (fix_id);
  g_autoptr (MendPlan) plan = NULL;
  MendFixContext ctx = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  if (info == NULL || impl == NULL)
    {
      g_autofree char *known = known_fix_ids ();

      g_set_error (error, MEND_ERROR, MEND_ERROR_UNKNOWN_FIX,
                   _("There is no fix “%s”. Known fixes: %s."), fix_id, known);
      return NULL;
    }

  plan = g_object_new (MEND_TYPE_PLAN, NULL);
  plan->info = info;
  if (params != NULL)
    {
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (!param_allowed (impl, key))
            {
              if (impl->params == NULL)
                g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                             _("The fix “%s” takes no parameters (got “%s”)."), fix_id,
                             (const char *) key);
              else
                {
                  g_autofree char *allowed = g_strjoinv (", ", (char **) impl->params);

                  g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                               _("The fix “%s” has no parameter “%s” (it takes: %s)."), fix_id,
                               (const char *) key, allowed);
                }
              return NULL;
            }
          g_hash_table_insert (plan->params, g_strdup (key), g_strdup (value));
        }
    }

  ctx.plan = plan;
  ctx.image = image;
  ctx.registry = mend_image_get_registry (image);
  ctx.params = plan->params;
  ctx.now = g_get_real_time () / G_USEC_PER_SEC;
  if (g_getenv ("MEND_FIX_NOW") != NULL)   /* reproducible certificate choice in tests */
    ctx.now = g_ascii_strtoll (g_getenv ("MEND_FIX_NOW"), NULL, 10);

  if (!impl->build (&ctx, error))
    return NULL;
  if (plan->changes->len == 0 && plan->link == NULL)
    {
      /* Follow-up steps only make sense after a change. */
      g_ptr_array_set_size (plan->steps, 0);
      g_ptr_array_add (plan->steps, NULL);
      mend_plan_add_note (plan, _("Nothing needs to change: the settings this fix writes are "
                                "already in place."));
    }
  return g_steal_pointer (&plan);
}

const char *
mend_plan_get_fix_id (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return self->info->id;
}

const char *
mend_plan_get_title (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return _(self->info->title);
}

GPtrArray *
mend_plan_get_changes (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return self->changes;
}

const char * const *
mend_plan_get_steps (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return (const char * const *) self->steps->pdata;
}

const char *
mend_plan_get_warning (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return self->warning;
}

const char *
mend_plan_get_link (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return self->link;
}

GHashTable *
mend_plan_get_params (MendPlan *self)
{
  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);
  return self->params;
}

static char *
value_display (const MendRegValue *v)
{
  g_autofree char *data = NULL;

  if (v == NULL)
    return g_strdup (_("(absent)"));
  data = mend_reg_value_to_display (v);
  return g_strdup_printf ("%s %s", mend_reg_type_to_string (v->type), data);
}

char *
mend_plan_to_text (MendPlan *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);

  g_string_append_printf (out, "%s (%s)\n", _(self->info->title), self->info->id);
  if (self->warning != NULL)
    g_string_append_printf (out, _("  WARNING: %s\n"), self->warning);
  if (self->changes->len > 0)
    g_string_append_printf (out, "  %s\n", _("Registry changes:"));
  for (guint i = 0; i < self->changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (self->changes, i);

      g_string_append_printf (out, "    %u. %s\n", i + 1, c->description);
      switch (c->kind)
        {
        case MEND_CHANGE_SET_VALUE:
          {
            g_autofree char *old = value_display (c->old_value);
            g_autofree char *new = value_display (c->new_value);

            g_string_append_printf (out, "       %s\\%s: %s → %s\n", c->resolved_path,
                                    c->value_name, old, new);
            break;
          }
        case MEND_CHANGE_DELETE_VALUE:
          {
            g_autofree char *old = value_display (c->old_value);

            g_string_append_printf (out, _("       %s\\%s: %s → deleted\n"), c->resolved_path,
                                    c->value_name, old);
            break;
          }
        case MEND_CHANGE_DELETE_TREE:
          g_string_append_printf (out, _("       delete %s and everything below it\n"),
                                  c->resolved_path);
          break;
        case MEND_CHANGE_CREATE_KEY:
          g_string_append_printf (out, _("       create %s\n"), c->resolved_path);
          break;
        }
    }
  for (guint i = 0; i + 1 < self->notes->len; i++)
    g_string_append_printf (out, "  %s\n", (const char *) g_ptr_array_index (self->notes, i));
  if (self->link != NULL)
    g_string_append_printf (out, _("  Link: %s\n"), self->link);
  if (self->steps->len > 1)
    g_string_append_printf (out, "  %s\n", _("Afterwards:"));
  for (guint i = 0; i + 1 < self->steps->len; i++)
    g_string_append_printf (out, "    - %s\n", (const char *) g_ptr_array_index (self->steps, i));
  return g_string_free (out, FALSE);
}

JsonNode *
mend_reg_value_to_json_hex (const MendRegValue *v)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gsize len = 0;
  const guint8 *data;
  g_autoptr (GString) hex = g_string_new (NULL);

  if (v == NULL)
    return json_node_new (JSON_NODE_NULL);
  data = g_bytes_get_data (v->data, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, v->name);
  json_builder_set_member_name (b, "type");
  json_builder_add_int_value (b, v->type);
  json_builder_set_member_name (b, "type_name");
  json_builder_add_string_value (b, mend_reg_type_to_string (v->type));
  json_builder_set_member_name (b, "hex");
  json_builder_add_string_value (b, hex->str);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

MendRegValue *
mend_reg_value_from_json_hex (JsonNode *node)
{
  JsonObject *o;
  const char *hex;
  gsize n;
  g_autofree guint8 *bytes = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  hex = json_object_get_string_member_with_default (o, "hex", "");
  n = strlen (hex);
  if (n % 2 != 0)
    return NULL;
  bytes = g_malloc (n / 2 + 1);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return NULL;
      bytes[i] = (guint8) (hi << 4 | lo);
    }
  {
    g_autoptr (GBytes) b = g_bytes_new (bytes, n / 2);

    return mend_reg_value_new (json_object_get_string_member_with_default (o, "name", ""),
                               (guint32) json_object_get_int_member_with_default (o, "type", 3),
                               b);
  }
}

JsonNode *
mend_change_to_json (const MendChange *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, mend_change_kind_to_string (c->kind));
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, c->path);
  json_builder_set_member_name (b, "resolved_path");
  json_builder_add_string_value (b, c->resolved_path);
  if (c->value_name != NULL)
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, c->value_name);
    }
  if (c->kind == MEND_CHANGE_SET_VALUE || c->kind == MEND_CHANGE_DELETE_VALUE)
    {
      json_builder_set_member_name (b, "old");
      json_builder_add_value (b, mend_reg_value_to_json_hex (c->old_value));
    }
  if (c->kind == MEND_CHANGE_SET_VALUE)
    {
      json_builder_set_member_name (b, "new");
      json_builder_add_value (b, mend_reg_value_to_json_hex (c->new_value));
    }
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, c->description);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
mend_plan_to_json (MendPlan *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (MEND_IS_PLAN (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fix");
  json_builder_add_string_value (b, self->info->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, _(self->info->title));
  json_builder_set_member_name (b, "side");
  json_builder_add_string_value (b, self->info->side);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->changes->len; i++)
    json_builder_add_value (b, mend_change_to_json (g_ptr_array_index (self->changes, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; i + 1 < self->steps->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (self->steps, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; i + 1 < self->notes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (self->notes, i));
  json_builder_end_array (b);
  if (self->warning != NULL)
    {
      json_builder_set_member_name (b, "warning");
      json_builder_add_string_value (b, self->warning);
    }
  if (self->link != NULL)
    {
      json_builder_set_member_name (b, "link");
      json_builder_add_string_value (b, self->link);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
