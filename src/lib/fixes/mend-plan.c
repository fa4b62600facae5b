/* mend-plan.c — MendPlan: what a fix will change, shown before anything is written, and
 * the single apply engine (refuse → journal + backups, fsynced → atomic hive writes). */
#include "fixes/mend-plan.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include "base/mend-error.h"
#include "fixes/mend-journal-private.h"
#include "fixes/mend-fix.h"

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

const char * const *
mend_plan_get_notes (MendPlan *plan)
{
  return (const char * const *) plan->notes->pdata;
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
mend_plan_new_for_fix (MendTarget *target, const char *fix_id, GHashTable *params,
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

  ctx.fix_id = info->id;
  ctx.changes = plan->changes;
  ctx.steps = plan->steps;
  ctx.notes = plan->notes;
  ctx.target = target;
  ctx.registry = mend_target_get_registry (target);
  ctx.params = plan->params;
  ctx.now = g_get_real_time () / G_USEC_PER_SEC;
  if (g_getenv ("MEND_FIX_NOW") != NULL)   /* reproducible certificate choice in tests */
    ctx.now = g_ascii_strtoll (g_getenv ("MEND_FIX_NOW"), NULL, 10);

  if (!impl->build (&ctx, error))
    {
      g_free (ctx.warning);
      g_free (ctx.link);
      return NULL;
    }
  plan->warning = g_steal_pointer (&ctx.warning);
  plan->link = g_steal_pointer (&ctx.link);
  if (plan->changes->len == 0 && plan->link == NULL)
    {
      /* Follow-up steps only make sense after a change. */
      g_ptr_array_set_size (plan->steps, 0);
      g_ptr_array_add (plan->steps, NULL);
      mend_fix_add_note (&ctx, _("Nothing needs to change: the settings this fix writes are "
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
