/* mend-checks-servicing.c — pending restarts, recent upgrades, and the update-catalog link. */
#include "checks/mend-checks-private.h"

#include <glib/gi18n-lib.h>

void
mend_check_reboot_pending (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  MendTarget *target = mend_check_context_get_target (ctx);
  MendFinding *f = mend_finding_new ("servicing.reboot-pending", MEND_SEVERITY_WARNING,
                                     MEND_CONFIDENCE_CONFIRMED,
                                     _("Windows is waiting for a restart to finish updates"));
  gboolean pending = FALSE;
  static const char *const keys[] = {
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending",
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (mend_registry_key_exists (reg, keys[i], NULL))
      {
        mend_check_context_add_registry_evidence (ctx, f, keys[i], NULL);
        pending = TRUE;
      }
  const char *sm = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager";
  g_autoptr (MendRegValue) pfro = mend_registry_get_value (reg, sm, "PendingFileRenameOperations", NULL);
  if (pfro && g_bytes_get_size (pfro->data) > 4)
    {
      mend_check_context_add_registry_evidence (ctx, f, sm, "PendingFileRenameOperations");
      pending = TRUE;
    }
  g_autofree char *xml = mend_target_find_path (target, "Windows/WinSxS/pending.xml");
  if (xml)
    {
      mend_finding_add_evidence (f, "file", "Windows/WinSxS/pending.xml", NULL, _("present"));
      pending = TRUE;
    }
  if (pending)
    {
      mend_finding_set_detail (f, _("Half-installed updates can leave Remote Desktop components "
                                    "out of step. Restart Windows (twice if it installs updates "
                                    "again) before trying other repairs."));
      mend_check_context_add (ctx, f);
    }
  else
    {
      g_object_unref (f);
      mend_check_context_ok (ctx, "servicing.reboot-pending", _("No restart is pending"));
    }
}

void
mend_check_recent_upgrade (MendCheckContext *ctx)
{
  MendTarget *target = mend_check_context_get_target (ctx);
  const MendSystemInfo *sys = mend_check_context_get_system (ctx);
  g_autofree char *old = mend_target_find_path (target, "Windows.old");
  gint64 now = mend_check_context_get_now (ctx);
  gboolean recent_install = sys && sys->install_time > 0 && now - sys->install_time < 30 * 24 * 3600 &&
                            now >= sys->install_time;
  if (old == NULL && !recent_install)
    {
      mend_check_context_ok (ctx, "servicing.recent-upgrade",
                             _("No upgrade or reset in the last 30 days"));
      return;
    }
  MendFinding *f = mend_finding_new ("servicing.recent-upgrade", MEND_SEVERITY_INFO,
                                     MEND_CONFIDENCE_CONFIRMED,
                                     _("Windows was upgraded, reinstalled or reset recently"));
  mend_finding_set_detail (f, _("Upgrades and resets renew the Remote Desktop certificate, reset "
                                "policies and local accounts; connection errors often start "
                                "right after one."));
  if (old)
    mend_finding_add_evidence (f, "file", "Windows.old", NULL, _("present"));
  if (recent_install)
    mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_CURRENTVERSION, "InstallDate");
  json_object_set_boolean_member (mend_finding_get_extra (f), "windows_old", old != NULL);
  mend_check_context_add (ctx, f);
}

char *
mend_checks_update_catalog_link (const MendSystemInfo *info)
{
  const char *base = "https://www.catalog.update.microsoft.com/Search.aspx?q=";
  /* Windows 7 (7601) and 8.1 (9600): the RDP 8.1 client update. */
  if (info && info->build > 0 && info->build <= 9600)
    return g_strconcat (base, "KB2923545", NULL);
  if (info == NULL || info->build <= 0)
    return g_strconcat (base, "cumulative+update+windows", NULL);
  /* Windows 10 2004+ and 11 carry the servicing stack inside the cumulative update; the
   * catalog finds packages by build number. */
  const char *product = mend_system_info_is_server (info) ? "server"
                        : info->build >= 22000 ? "windows+11" : "windows+10";
  g_autofree char *ver = info->display_version ? g_uri_escape_string (info->display_version, NULL, FALSE)
                                               : g_strdup_printf ("%" G_GINT64_FORMAT, info->build);
  return g_strdup_printf ("%scumulative+update+%s+%s", base, product, ver);
}

void
mend_check_update_link (MendCheckContext *ctx)
{
  const MendSystemInfo *sys = mend_check_context_get_system (ctx);
  g_autofree char *link = mend_checks_update_catalog_link (sys);
  MendFinding *f = mend_finding_new ("servicing.update-link", MEND_SEVERITY_INFO,
                                     MEND_CONFIDENCE_CONFIRMED,
                                     _("Install the latest cumulative update for this build"));
  if (sys && sys->build > 0 && sys->build <= 9600)
    mend_finding_set_detail (f, _("For Windows 7 SP1 and 8.1, KB2923545 brings the Remote Desktop 8.1 "
                                  "client. It does not apply to Windows 10 or 11."));
  else
    mend_finding_set_detail (f, _("Since February 2021 the cumulative update contains the servicing "
                                  "stack update: installing the latest cumulative update is all "
                                  "that is needed."));
  mend_finding_add_evidence (f, "link", link, NULL, NULL);
  json_object_set_string_member (mend_finding_get_extra (f), "link", link);
  mend_finding_add_fix (f, "open-update-catalog");
  mend_check_context_add (ctx, f);
}
