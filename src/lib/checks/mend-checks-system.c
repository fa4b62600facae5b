/* mend-checks-system.c — image integrity (hives, read-only mount) and system identity. */
#include "checks/mend-checks-private.h"
#include "base/mend-error.h"
#include "target/mend-image.h"

#include <glib/gi18n-lib.h>

static void
check_one_hive (MendCheckContext *ctx, MendImage *image, const char *label, MendHive *hive,
                GError *error, gboolean *all_ok)
{
  if (hive == NULL)
    {
      if (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
        {
          mend_check_context_skip (ctx, error->message);
        }
      else
        {
          g_autofree char *title = g_strdup_printf (_("The %s hive is damaged"), label);
          MendFinding *f = mend_finding_new ("image.hive-corrupt", MEND_SEVERITY_PROBLEM,
                                MEND_CONFIDENCE_CONFIRMED, title);
          mend_finding_set_detail (f, error->message);
          mend_finding_add_evidence (f, "file", label, NULL, error->message);
          mend_check_context_add (ctx, f);
        }
      *all_ok = FALSE;
      return;
    }
  if (mend_hive_is_dirty (hive))
    {
      g_autofree char *title = g_strdup_printf (_("The %s hive was not closed cleanly"), label);
      MendFinding *f = mend_finding_new ("image.hive-dirty", MEND_SEVERITY_WARNING,
                                         MEND_CONFIDENCE_CONFIRMED, title);
      if (mend_hive_is_replayed (hive))
        {
          g_autofree char *d = g_strdup_printf (
            _("Windows was not shut down fully (Fast Startup, hibernation, a crash). Its "
              "transaction logs were replayed in memory (%u entries), so what is shown is "
              "current. Repairs are refused until Windows is started and shut down fully "
              "(hold Shift while choosing Shut down)."),
            mend_hive_get_replayed_entries (hive));
          mend_finding_take_detail (f, g_steal_pointer (&d));
          json_object_set_boolean_member (mend_finding_get_extra (f), "logs_replayed", TRUE);
        }
      else
        mend_finding_set_detail (f, _("Windows was not shut down fully (Fast Startup, hibernation, "
                                      "a crash). What is read from this hive may be stale, and "
                                      "repairs are refused until Windows is started and shut "
                                      "down fully (hold Shift while choosing Shut down)."));
      g_autofree char *seq = g_strdup_printf ("%u / %u", mend_hive_get_sequence1 (hive),
                                              mend_hive_get_sequence2 (hive));
      mend_finding_add_evidence (f, "file", mend_hive_get_path (hive), "sequence numbers", seq);
      mend_finding_add_evidence (f, "note", NULL, NULL, mend_hive_get_dirty_reason (hive));
      mend_check_context_add (ctx, f);
      *all_ok = FALSE;
    }
}

void
mend_check_image_hives (MendCheckContext *ctx)
{
  MendTarget *target = mend_check_context_get_target (ctx);
  MendImage *image = MEND_IS_IMAGE (target) ? MEND_IMAGE (target) : NULL;
  gboolean all_ok = TRUE;

  /* Hive files, their logs and their folder exist only in an offline image. */
  if (image == NULL)
    return;

  const struct { MendHiveKind kind; const char *label; } hives[] = {
    { MEND_HIVE_SYSTEM, "SYSTEM" }, { MEND_HIVE_SOFTWARE, "SOFTWARE" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (hives); i++)
    {
      g_autoptr (GError) error = NULL;
      MendHive *hive = mend_image_get_hive (image, hives[i].kind, &error);
      check_one_hive (ctx, image, hives[i].label, hive, error, &all_ok);
    }
  g_auto (GStrv) users = mend_image_list_users (image);
  for (guint i = 0; users[i]; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *label = g_strdup_printf ("NTUSER.DAT (%s)", users[i]);
      MendHive *hive = mend_image_get_user_hive (image, users[i], &error);
      check_one_hive (ctx, image, label, hive, error, &all_ok);
    }

  g_autofree char *reason = NULL;
  if (mend_target_is_read_only (target, &reason))
    {
      MendFinding *f = mend_finding_new ("image.read-only", MEND_SEVERITY_WARNING,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         _("The Windows volume is read-only"));
      mend_finding_set_detail (f, _("Diagnosis works, but repairs cannot be written. NTFS "
                                    "volumes are mounted read-only when Windows hibernated or "
                                    "used Fast Startup: shut Windows down fully, or remount "
                                    "the volume read-write."));
      mend_finding_add_evidence (f, "file", mend_image_get_root (image), NULL, reason);
      mend_check_context_add (ctx, f);
      all_ok = FALSE;
    }
  if (all_ok)
    {
      MendFinding *f = mend_finding_new ("image.hives", MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                         _("Registry hives are readable, complete and writable"));
      mend_finding_add_evidence (f, "file", mend_image_get_root (image), NULL, NULL);
      mend_check_context_add (ctx, f);
    }
}

void
mend_check_system_identity (MendCheckContext *ctx)
{
  const MendSystemInfo *sys = mend_check_context_get_system (ctx);
  if (sys == NULL || (sys->product_stored == NULL && sys->build < 0))
    {
      mend_check_context_skip (ctx, _("Windows NT\\CurrentVersion could not be read (is the "
                                      "SOFTWARE hive missing?)"));
      return;
    }
  GString *title = g_string_new (sys->product ? sys->product : _("Windows"));
  if (sys->display_version)
    g_string_append_printf (title, " %s", sys->display_version);
  if (sys->build >= 0)
    {
      g_string_append_printf (title, _(" (build %lld"), (long long) sys->build);
      if (sys->ubr >= 0)
        g_string_append_printf (title, ".%" G_GINT64_FORMAT, sys->ubr);
      g_string_append (title, ")");
    }
  MendFinding *f = mend_finding_new ("system.identity", MEND_SEVERITY_INFO,
                                     MEND_CONFIDENCE_CONFIRMED, title->str);
  g_string_free (title, TRUE);
  const char *kind = mend_system_info_is_server (sys) ? _("server") : _("client");
  g_autofree char *detail = NULL;
  if (sys->build >= 22000 && sys->product_stored && g_str_has_prefix (sys->product_stored, "Windows 10"))
    detail = g_strdup_printf (_("A %s edition (%s). This is Windows 11: build %lld is 22000 or "
                                "later, even though ProductName still says “%s”."),
                              kind, sys->edition ? sys->edition : "?", (long long) sys->build,
                              sys->product_stored);
  else
    detail = g_strdup_printf (_("A %s edition (%s)."), kind, sys->edition ? sys->edition : "?");
  mend_finding_take_detail (f, g_steal_pointer (&detail));
  static const char *const values[] = { "ProductName", "CurrentBuild", "UBR", "DisplayVersion",
                                        "EditionID", "InstallationType" };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_CURRENTVERSION, values[i]);
  JsonObject *extra = mend_finding_get_extra (f);
  json_object_set_boolean_member (extra, "windows11", mend_system_info_is_windows11 (sys));
  json_object_set_string_member (extra, "kind", mend_system_info_is_server (sys) ? "server" : "client");
  mend_check_context_add (ctx, f);
}
