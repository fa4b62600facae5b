/* mend-fix-catalog.c — open-update-catalog: no registry change, only the Microsoft Update
 * Catalog search for the detected build (Windows 7 / 8.1: the RDP 8.1 update KB2923545). */
#include "fixes/mend-fix.h"

#include <glib/gi18n-lib.h>
#include "checks/mend-check.h"

#define CATALOG_SEARCH "https://www.catalog.update.microsoft.com/Search.aspx?q="

char *
mend_update_catalog_link (gint64 build, const char *display_version, gboolean windows11,
                          gboolean server)
{
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;

  if (build == 7600 || build == 7601 || build == 9600)
    query = g_strdup ("KB2923545");
  else if (build <= 0)
    query = g_strdup ("cumulative update");
  else if (server)
    query = g_strdup_printf ("cumulative update server %s",
                             display_version != NULL ? display_version : "");
  else
    query = g_strdup_printf ("cumulative update windows %s %s", windows11 ? "11" : "10",
                             display_version != NULL ? display_version : "");
  g_strstrip (query);
  escaped = g_uri_escape_string (query, NULL, FALSE);
  /* The catalog takes "+" for spaces, as in its own search links. */
  {
    GString *s = g_string_new (CATALOG_SEARCH);

    for (const char *p = escaped; *p != '\0'; p++)
      {
        if (g_str_has_prefix (p, "%20"))
          {
            g_string_append_c (s, '+');
            p += 2;
          }
        else
          g_string_append_c (s, *p);
      }
    return g_string_free (s, FALSE);
  }
}

gboolean
mend_fix_open_update_catalog (MendFixContext *ctx, GError **error)
{
  g_autoptr (MendSystemInfo) info = mend_system_info_read (ctx->registry);
  g_autofree char *link = NULL;
  gint64 build = info != NULL ? info->build : -1;

  link = mend_update_catalog_link (build, info != NULL ? info->display_version : NULL,
                                   info != NULL && mend_system_info_is_windows11 (info),
                                   info != NULL && mend_system_info_is_server (info));
  mend_fix_set_link (ctx, link);
  if (build <= 0)
    mend_fix_add_note (ctx,
                        _("The Windows build could not be read (no SOFTWARE hive?): the link "
                          "searches for cumulative updates in general; pick the one for your "
                          "Windows version."));
  else if (build == 7600 || build == 7601 || build == 9600)
    mend_fix_add_note (ctx,
                        _("Windows 7 and 8.1 need the Remote Desktop Protocol 8.1 update "
                          "(KB2923545) and its prerequisites."));
  else
    mend_fix_add_note (ctx,
                        _("Since 2021 the cumulative update carries the servicing stack too: "
                          "install the newest one for this build."));
  mend_fix_add_step (ctx,
                      _("Open the link on a working computer, download the newest update for "
                        "this Windows version and system type (x64 or ARM64)."));
  mend_fix_add_step (ctx, _("Install it on this computer, then restart Windows."));
  return TRUE;
}
