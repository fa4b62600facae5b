/* mend-checks-client.c — the Remote Desktop Connection side: licence store, files, COM, history. */
#include "checks/mend-checks-private.h"
#include "base/mend-error.h"
#include "formats/mend-pe.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/xattr.h>

void
mend_check_mslicensing (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  g_autoptr (GError) error = NULL;
  gboolean exists = mend_registry_key_exists (reg, MEND_KEY_MSLICENSING, &error);
  if (error)
    {
      mend_check_context_skip (ctx, error->message);
      return;
    }
  if (!exists)
    {
      MendFinding *f = mend_finding_new ("client.mslicensing-present", MEND_SEVERITY_OK,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         _("No Remote Desktop licence store yet"));
      mend_finding_set_detail (f, _("It is created by Remote Desktop Connection the first time it "
                                    "connects to a licensed Remote Desktop Session Host."));
      mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_MSLICENSING, NULL);
      mend_check_context_add (ctx, f);
      return;
    }

  const char *hwid = MEND_KEY_MSLICENSING "\\HardwareID";
  const char *store = MEND_KEY_MSLICENSING "\\Store";
  g_autoptr (GError) e1 = NULL, e2 = NULL;
  gboolean has_hwid = mend_registry_key_exists (reg, hwid, &e1);
  gboolean has_store = mend_registry_key_exists (reg, store, &e2);
  g_autoptr (GPtrArray) hwid_values = has_hwid ? mend_registry_list_values (reg, hwid, NULL) : NULL;
  gboolean hwid_value = FALSE;
  for (guint i = 0; hwid_values && i < hwid_values->len; i++)
    if (g_ascii_strcasecmp (((MendRegValue *) hwid_values->pdata[i])->name, "ClientHWID") == 0)
      hwid_value = TRUE;

  MendFinding *f;
  if (!has_hwid || !has_store || !hwid_value || e1 || e2)
    {
      f = mend_finding_new ("client.mslicensing-damaged", MEND_SEVERITY_PROBLEM,
                            MEND_CONFIDENCE_CONFIRMED, _("The Remote Desktop licence store is damaged"));
      mend_finding_set_detail (f, _("MSLicensing exists but its HardwareID or Store part is missing. "
                                    "Licensed servers then refuse the connection with a licensing "
                                    "error. Deleting the store lets Remote Desktop Connection "
                                    "build a new one (run it once as administrator afterwards)."));
      mend_finding_add_fix (f, "reset-mslicensing");
    }
  else
    {
      f = mend_finding_new ("client.mslicensing-present", MEND_SEVERITY_INFO,
                            MEND_CONFIDENCE_CONFIRMED, _("A Remote Desktop licence store exists"));
      mend_finding_set_detail (f, _("Resetting it is the documented remedy for licensing errors "
                                    "(0x808, 0x908, extended codes 0x100–0x10B). It does not "
                                    "cause or fix error 0x904 by itself."));
      mend_finding_add_fix (f, "reset-mslicensing");
    }
  mend_check_context_add_registry_evidence (ctx, f, hwid, "ClientHWID");
  mend_check_context_add_registry_evidence (ctx, f, store, NULL);
  mend_check_context_add (ctx, f);
}

/* NTFS "read-only" attribute as the Linux NTFS drivers expose it. */
static gboolean
read_dos_attributes (const char *path, guint32 *attrs)
{
  guint8 buf[4];
  ssize_t n = getxattr (path, "system.ntfs_attrib", buf, sizeof buf);      /* ntfs-3g */
  if (n != 4)
    n = getxattr (path, "system.dos_attrib", buf, sizeof buf);             /* ntfs3 */
  if (n != 4)
    return FALSE;
  *attrs = buf[0] | buf[1] << 8 | buf[2] << 16 | (guint32) buf[3] << 24;
  return TRUE;
}

void
mend_check_client_files (MendCheckContext *ctx)
{
  MendTarget *target = mend_check_context_get_target (ctx);
  static const char *const files[] = { "Windows/System32/mstsc.exe", "Windows/System32/mstscax.dll" };
  g_autoptr (MendFinding) missing = NULL;
  MendFinding *ok = mend_finding_new ("client.files-missing", MEND_SEVERITY_OK,
                                      MEND_CONFIDENCE_CONFIRMED,
                                      _("Remote Desktop Connection program files are present"));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = mend_target_find_path (target, files[i]);
      GStatBuf st;
      gboolean bad = path == NULL || g_stat (path, &st) != 0 || st.st_size == 0;
      if (bad)
        {
          if (missing == NULL)
            {
              missing = mend_finding_new ("client.files-missing", MEND_SEVERITY_PROBLEM,
                                          MEND_CONFIDENCE_CONFIRMED,
                                          _("Remote Desktop Connection files are missing or empty"));
              mend_finding_set_detail (missing,
                                       _("Repair the system files from Windows: run "
                                         "“DISM /Online /Cleanup-Image /RestoreHealth” and then "
                                         "“sfc /scannow” as administrator, or do an in-place "
                                         "upgrade. Copying the files from another computer or "
                                         "re-registering them is not a supported repair."));
            }
          mend_finding_add_evidence (missing, "file", files[i], NULL,
                                     path == NULL ? _("missing") : _("empty"));
          continue;
        }
      /* These files are serviced with the OS: their version should carry its build. */
      g_autoptr (MendPeVersion) ver = mend_pe_read_version (path, NULL);
      g_autofree char *vs = ver ? mend_pe_version_to_string (ver) : NULL;
      g_autofree char *size = vs ? g_strdup_printf (_("%lld bytes, version %s"),
                                                    (long long) st.st_size, vs)
                                 : g_strdup_printf (_("%lld bytes, no version resource"),
                                                    (long long) st.st_size);
      mend_finding_add_evidence (ok, "file", files[i], NULL, size);

      guint32 attrs;
      if (i == 0 && read_dos_attributes (path, &attrs) && (attrs & 0x1))
        {
          MendFinding *ro = mend_finding_new ("client.files-readonly", MEND_SEVERITY_INFO,
                                              MEND_CONFIDENCE_CONFIRMED,
                                              _("mstsc.exe has the read-only attribute"));
          mend_finding_set_detail (ro, _("This is harmless: Windows only reads the file. It is "
                                         "reported because common advice checks it."));
          mend_finding_add_evidence (ro, "file", files[i], "attributes", "0x1");
          mend_check_context_add (ctx, ro);
        }
    }
  if (missing)
    {
      g_object_unref (ok);
      mend_check_context_add (ctx, g_steal_pointer (&missing));
    }
  else
    mend_check_context_add (ctx, ok);
}

/* Main CoClasses whose registration Remote Desktop Connection and embedding apps use. */
static const struct { const char *clsid; const char *name; } rdp_classes[] = {
  { "{1FB464C8-09BB-4017-A2F5-EB742F04392F}", "MsTscAx" },
  { "{A41A4187-5A86-4E26-B40A-856F9035D9CB}", "MsTscAxNotSafeForScripting" },
  { "{7390F3D8-0439-4C05-91E3-CF5CB290C3D0}", "MsRdpClient6" },
  { "{8B918B82-7985-4C24-89DF-C33AD2BBFBCD}", "MsRdpClient9NotSafeForScripting" },
};

/* %SystemRoot%\System32\mstscax.dll → Windows/System32/mstscax.dll relative to the image. */
static char *
windows_path_to_relative (const char *win)
{
  g_autofree char *s = g_strdup (win);
  g_strstrip (s);
  if (s[0] == '"')
    {
      memmove (s, s + 1, strlen (s));
      char *q = strchr (s, '"');
      if (q)
        *q = '\0';
    }
  const char *rest = NULL;
  if (g_ascii_strncasecmp (s, "%SystemRoot%", 12) == 0)
    rest = s + 12;
  else if (g_ascii_strncasecmp (s, "%windir%", 8) == 0)
    rest = s + 8;
  else if (g_ascii_isalpha (s[0]) && s[1] == ':' && g_ascii_strncasecmp (s + 2, "\\Windows", 8) == 0)
    rest = s + 10;
  if (rest == NULL)
    {
      if (g_ascii_isalpha (s[0]) && s[1] == ':')
        {
          g_autofree char *r = g_strdup (s + 3);
          g_strdelimit (r, "\\", '/');
          return g_steal_pointer (&r);
        }
      /* A bare file name: the loader searches System32. */
      if (strchr (s, '\\') == NULL)
        return g_strconcat ("Windows/System32/", s, NULL);
      return NULL;
    }
  g_autofree char *r = g_strconcat ("Windows", rest, NULL);
  g_strdelimit (r, "\\", '/');
  return g_steal_pointer (&r);
}

void
mend_check_mstscax (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  MendTarget *target = mend_check_context_get_target (ctx);
  g_autoptr (GError) error = NULL;
  if (!mend_registry_key_exists (reg, "HKLM\\SOFTWARE\\Classes", &error))
    {
      mend_check_context_skip (ctx, error ? error->message : _("HKLM\\SOFTWARE\\Classes is missing"));
      return;
    }
  g_autoptr (MendFinding) bad = NULL;
  MendFinding *ok = mend_finding_new ("client.mstscax-unregistered", MEND_SEVERITY_OK,
                                      MEND_CONFIDENCE_CONFIRMED,
                                      _("The Remote Desktop ActiveX control is registered"));
  for (guint i = 0; i < G_N_ELEMENTS (rdp_classes); i++)
    {
      g_autofree char *key = g_strdup_printf ("HKLM\\SOFTWARE\\Classes\\CLSID\\%s\\InprocServer32",
                                              rdp_classes[i].clsid);
      g_autofree char *dll = mend_registry_get_string (reg, key, "", NULL);
      g_autofree char *rel = dll ? windows_path_to_relative (dll) : NULL;
      g_autofree char *found = rel ? mend_target_find_path (target, rel) : NULL;
      const char *problem = NULL;
      if (dll == NULL)
        problem = _("not registered");
      else if (rel && found == NULL)
        problem = _("names a file that does not exist");
      g_autofree char *resolved = mend_registry_resolve (reg, key);
      if (problem)
        {
          if (bad == NULL)
            {
              bad = mend_finding_new ("client.mstscax-unregistered", MEND_SEVERITY_PROBLEM,
                                      MEND_CONFIDENCE_CONFIRMED,
                                      _("The Remote Desktop ActiveX control is not registered"));
              mend_finding_set_detail (bad, _("Remote Desktop Connection and programs that embed it "
                                              "need these registrations. They belong to Windows: "
                                              "repair with “DISM /Online /Cleanup-Image "
                                              "/RestoreHealth” and “sfc /scannow”."));
            }
          g_autofree char *data = g_strdup_printf ("%s: %s", rdp_classes[i].name, problem);
          mend_finding_add_evidence (bad, "registry", resolved, _("(Default)"), data);
        }
      else
        mend_check_context_add_registry_evidence (ctx, ok, key, "");
    }
  if (bad)
    {
      g_object_unref (ok);
      mend_check_context_add (ctx, g_steal_pointer (&bad));
    }
  else
    mend_check_context_add (ctx, ok);
}

void
mend_check_client_history (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  g_auto (GStrv) users = mend_registry_list_users (reg);
  gboolean any = FALSE;
  for (guint u = 0; users && users[u]; u++)
    {
      g_autofree char *base = g_strdup_printf ("HKU\\%s\\Software\\Microsoft\\Terminal Server Client",
                                               users[u]);
      g_autoptr (GError) error = NULL;
      if (!mend_registry_key_exists (reg, base, &error))
        {
          if (error && !g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
            {
              g_autofree char *why = g_strdup_printf ("%s: %s", users[u], error->message);
              mend_check_context_skip (ctx, why);
            }
          continue;
        }
      g_autofree char *mru_key = g_strconcat (base, "\\Default", NULL);
      g_autofree char *servers_key = g_strconcat (base, "\\Servers", NULL);
      g_autoptr (GPtrArray) mru = mend_registry_list_values (reg, mru_key, NULL);
      g_auto (GStrv) servers = mend_registry_list_subkeys (reg, servers_key, NULL);
      if ((mru == NULL || mru->len == 0) && (servers == NULL || servers[0] == NULL))
        continue;

      g_autofree char *title = g_strdup_printf (_("Servers %s connected to"), users[u]);
      MendFinding *f = mend_finding_new ("client.history", MEND_SEVERITY_INFO,
                                         MEND_CONFIDENCE_CONFIRMED, title);
      JsonArray *hosts = json_array_new ();
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *mru_resolved = mend_registry_resolve (reg, mru_key);
      for (guint i = 0; mru && i < mru->len; i++)
        {
          MendRegValue *v = mru->pdata[i];
          if (g_ascii_strncasecmp (v->name, "MRU", 3) != 0)
            continue;
          g_autofree char *host = mend_reg_value_get_string (v, NULL);
          if (host == NULL || *host == '\0')
            continue;
          mend_finding_add_evidence (f, "registry", mru_resolved, v->name, host);
          g_autofree char *lower = g_ascii_strdown (host, -1);
          if (!g_hash_table_contains (seen, lower))
            {
              json_array_add_string_element (hosts, host);
              g_hash_table_add (seen, g_steal_pointer (&lower));
            }
        }
      for (guint i = 0; servers && servers[i]; i++)
        {
          g_autofree char *skey = g_strdup_printf ("%s\\%s", servers_key, servers[i]);
          g_autofree char *hint = mend_registry_get_string (reg, skey, "UsernameHint", NULL);
          g_autoptr (MendRegValue) hash = mend_registry_get_value (reg, skey, "CertHash", NULL);
          g_autofree char *resolved = mend_registry_resolve (reg, skey);
          GString *data = g_string_new (NULL);
          if (hint)
            g_string_append_printf (data, _("last user %s"), hint);
          if (hash)
            {
              gsize len;
              const guint8 *d = g_bytes_get_data (hash->data, &len);
              g_string_append_printf (data, "%s%s", data->len ? "; " : "", _("trusted certificate "));
              for (gsize k = 0; k < len; k++)
                g_string_append_printf (data, "%02X", d[k]);
            }
          mend_finding_add_evidence (f, "registry", resolved, NULL, data->str);
          g_string_free (data, TRUE);
          g_autofree char *lower = g_ascii_strdown (servers[i], -1);
          if (!g_hash_table_contains (seen, lower))
            {
              json_array_add_string_element (hosts, servers[i]);
              g_hash_table_add (seen, g_steal_pointer (&lower));
            }
        }
      mend_finding_set_detail (f, _("These are offered as servers to probe."));
      json_object_set_array_member (mend_finding_get_extra (f), "hosts", hosts);
      json_object_set_string_member (mend_finding_get_extra (f), "user", users[u]);
      mend_check_context_add (ctx, f);
      any = TRUE;
    }
  if (!any)
    mend_check_context_ok (ctx, "client.history", _("No Remote Desktop connection history"));
}
