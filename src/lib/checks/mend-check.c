/* mend-check.c — the context checks run in, roles, and the system identity reader. */
#include "checks/mend-check.h"
#include "base/mend-error.h"
#include "registry/mend-hive-registry.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _MendCheckContext
{
  MendTarget     *target;
  MendRegistry   *registry;
  MendRole        role;
  GCancellable   *cancellable;
  GPtrArray      *findings;
  const MendCheck *current;
  MendSystemInfo *system;
  gint64          now;
};

const char *
mend_role_to_string (MendRole role)
{
  switch (role)
    {
    case MEND_ROLE_CLIENT: return "client";
    case MEND_ROLE_SERVER: return "server";
    default: return "both";
    }
}

gboolean
mend_role_from_string (const char *s, MendRole *out)
{
  if (g_strcmp0 (s, "client") == 0)
    *out = MEND_ROLE_CLIENT;
  else if (g_strcmp0 (s, "server") == 0)
    *out = MEND_ROLE_SERVER;
  else if (g_strcmp0 (s, "both") == 0)
    *out = MEND_ROLE_BOTH;
  else
    return FALSE;
  return TRUE;
}

void
mend_system_info_free (MendSystemInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->product);
  g_free (info->product_stored);
  g_free (info->display_version);
  g_free (info->edition);
  g_free (info->installation_type);
  g_free (info->install_date);
  g_free (info);
}

#define CURRENT_VERSION "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

static gint64
parse_int (const char *s)
{
  if (s == NULL || *s == '\0')
    return -1;
  char *end = NULL;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  return (end && *end == '\0' && v >= 0) ? v : -1;
}

MendSystemInfo *
mend_system_info_read (MendRegistry *registry)
{
  MendSystemInfo *info = g_new0 (MendSystemInfo, 1);
  guint32 dw;
  info->build = -1;
  info->ubr = -1;
  info->install_time = -1;

  info->product_stored = mend_registry_get_string (registry, CURRENT_VERSION, "ProductName", NULL);
  g_autofree char *build = mend_registry_get_string (registry, CURRENT_VERSION, "CurrentBuild", NULL);
  if (build == NULL)
    build = mend_registry_get_string (registry, CURRENT_VERSION, "CurrentBuildNumber", NULL);
  info->build = parse_int (build);
  if (mend_registry_get_dword (registry, CURRENT_VERSION, "UBR", &dw, NULL))
    info->ubr = dw;
  info->display_version = mend_registry_get_string (registry, CURRENT_VERSION, "DisplayVersion", NULL);
  if (info->display_version == NULL)
    info->display_version = mend_registry_get_string (registry, CURRENT_VERSION, "ReleaseId", NULL);
  info->edition = mend_registry_get_string (registry, CURRENT_VERSION, "EditionID", NULL);
  info->installation_type = mend_registry_get_string (registry, CURRENT_VERSION,
                                                      "InstallationType", NULL);
  if (mend_registry_get_dword (registry, CURRENT_VERSION, "InstallDate", &dw, NULL))
    {
      info->install_time = dw;
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (dw);
      if (t)
        info->install_date = g_date_time_format_iso8601 (t);
    }

  /* ProductName still says "Windows 10" on Windows 11; the build number tells. */
  if (info->product_stored && info->build >= 22000 &&
      g_str_has_prefix (info->product_stored, "Windows 10"))
    info->product = g_strconcat ("Windows 11", info->product_stored + strlen ("Windows 10"), NULL);
  else
    info->product = g_strdup (info->product_stored);
  return info;
}

gboolean
mend_system_info_is_server (const MendSystemInfo *info)
{
  if (info == NULL)
    return FALSE;
  if (info->installation_type && g_str_has_prefix (info->installation_type, "Server"))
    return TRUE;
  if (info->edition && g_str_has_prefix (info->edition, "Server"))
    return TRUE;
  return info->product_stored && strstr (info->product_stored, "Server") != NULL;
}

gboolean
mend_system_info_is_windows11 (const MendSystemInfo *info)
{
  return info && info->build >= 22000 && !mend_system_info_is_server (info);
}

JsonNode *
mend_system_info_to_json (const MendSystemInfo *info)
{
  JsonObject *o = json_object_new ();
  if (info->product)
    json_object_set_string_member (o, "product", info->product);
  if (info->build >= 0)
    json_object_set_int_member (o, "build", info->build);
  if (info->ubr >= 0)
    json_object_set_int_member (o, "ubr", info->ubr);
  if (info->display_version)
    json_object_set_string_member (o, "display_version", info->display_version);
  if (info->edition)
    json_object_set_string_member (o, "edition", info->edition);
  if (info->installation_type)
    json_object_set_string_member (o, "installation_type", info->installation_type);
  if (info->install_date)
    json_object_set_string_member (o, "install_date", info->install_date);
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  return n;
}

MendCheckContext *
mend_check_context_new (MendTarget *target, MendRole role, GCancellable *cancellable)
{
  MendCheckContext *ctx = g_new0 (MendCheckContext, 1);
  ctx->target = g_object_ref (target);
  ctx->registry = g_object_ref (mend_target_get_registry (target));
  ctx->role = role;
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  ctx->findings = g_ptr_array_new_with_free_func (g_object_unref);
  ctx->now = g_get_real_time () / G_USEC_PER_SEC;
  return ctx;
}

void
mend_check_context_free (MendCheckContext *ctx)
{
  if (ctx == NULL)
    return;
  g_clear_object (&ctx->target);
  g_clear_object (&ctx->registry);
  g_clear_object (&ctx->cancellable);
  g_ptr_array_unref (ctx->findings);
  mend_system_info_free (ctx->system);
  g_free (ctx);
}

void
mend_check_context_set_now (MendCheckContext *ctx, gint64 now)
{
  if (now > 0)
    ctx->now = now;
}

MendRegistry *mend_check_context_get_registry (MendCheckContext *ctx) { return ctx->registry; }
MendTarget *mend_check_context_get_target (MendCheckContext *ctx) { return ctx->target; }
MendRole mend_check_context_get_role (MendCheckContext *ctx) { return ctx->role; }
GCancellable *mend_check_context_get_cancellable (MendCheckContext *ctx) { return ctx->cancellable; }
gint64 mend_check_context_get_now (MendCheckContext *ctx) { return ctx->now; }
GPtrArray *mend_check_context_get_findings (MendCheckContext *ctx) { return ctx->findings; }

const char *
mend_check_context_get_check_id (MendCheckContext *ctx)
{
  return ctx->current ? ctx->current->id : NULL;
}

const MendSystemInfo *
mend_check_context_get_system (MendCheckContext *ctx)
{
  if (ctx->system == NULL)
    ctx->system = mend_system_info_read (ctx->registry);
  return ctx->system;
}

/* CATALOG.md: hosting is off by default on client editions, so with --role client the
 * server.* findings drop to info (and with --role server the client.* ones). */
static void
apply_role (MendCheckContext *ctx, MendFinding *f)
{
  const char *id = mend_finding_get_id (f);
  gboolean demote = (ctx->role == MEND_ROLE_CLIENT && g_str_has_prefix (id, "server.")) ||
                    (ctx->role == MEND_ROLE_SERVER && g_str_has_prefix (id, "client."));
  MendSeverity s = mend_finding_get_severity (f);
  if (demote && (s == MEND_SEVERITY_PROBLEM || s == MEND_SEVERITY_WARNING))
    {
      mend_finding_set_severity (f, MEND_SEVERITY_INFO);
      json_object_set_string_member (mend_finding_get_extra (f), "role_adjusted",
                                     mend_severity_to_string (s));
    }
}

void
mend_check_context_add (MendCheckContext *ctx, MendFinding *finding)
{
  mend_finding_set_target (finding, mend_target_get_name (ctx->target));
  if (ctx->current)
    mend_finding_set_check (finding, ctx->current->id);
  /* Anything read from a hive with unreplayed logs may be stale: say so, and do not call
   * it confirmed. */
  GPtrArray *ev = mend_finding_get_evidence (finding);
  for (guint i = 0; i < ev->len; i++)
    {
      MendEvidence *e = ev->pdata[i];
      if (e->stale && mend_finding_get_confidence (finding) == MEND_CONFIDENCE_CONFIRMED)
        {
          mend_finding_set_confidence (finding, MEND_CONFIDENCE_LIKELY);
          json_object_set_boolean_member (mend_finding_get_extra (finding), "possibly_stale",
                                          TRUE);
        }
    }
  apply_role (ctx, finding);
  g_ptr_array_add (ctx->findings, finding);
}

void
mend_check_context_skip (MendCheckContext *ctx, const char *reason)
{
  g_autofree char *title = g_strdup_printf (_("Not checked: %s"),
                                            ctx->current ? _(ctx->current->title) : "");
  MendFinding *f = mend_finding_new ("check.skipped", MEND_SEVERITY_INFO, MEND_CONFIDENCE_CONFIRMED, title);
  mend_finding_set_detail (f, ctx->current ? ctx->current->id : "");
  mend_finding_add_evidence (f, "note", NULL, NULL, reason);
  mend_check_context_add (ctx, f);
}

void
mend_check_context_ok (MendCheckContext *ctx, const char *id, const char *title)
{
  mend_check_context_add (ctx, mend_finding_new (id, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                                 title));
}

gboolean
mend_check_context_path_is_stale (MendCheckContext *ctx, const char *path)
{
  if (!MEND_IS_HIVE_REGISTRY (ctx->registry))
    return FALSE;
  MendHive *hive = mend_hive_registry_hive_for_path (MEND_HIVE_REGISTRY (ctx->registry), path,
                                                     NULL);
  return hive && mend_hive_is_dirty (hive) && !mend_hive_is_replayed (hive);
}

void
mend_check_context_add_registry_evidence (MendCheckContext *ctx, MendFinding *finding,
                                          const char *path, const char *name)
{
  g_autofree char *resolved = mend_registry_resolve (ctx->registry, path);
  g_autofree char *data = NULL;
  if (name)
    {
      g_autoptr (MendRegValue) v = mend_registry_get_value (ctx->registry, path, name, NULL);
      data = v ? mend_reg_value_to_display (v) : g_strdup (_("(absent)"));
    }
  else
    data = g_strdup (mend_registry_key_exists (ctx->registry, path, NULL) ? _("(key present)")
                                                                          : _("(key absent)"));
  mend_finding_add_evidence_stale (finding, "registry", resolved, name, data,
                                   mend_check_context_path_is_stale (ctx, path));
}

void
mend_check_context_run (MendCheckContext *ctx, const MendCheck *check)
{
  ctx->current = check;
  check->run (ctx);
  ctx->current = NULL;
}
