/* mend-fix-values.c — the fixes that set or remove a few known values (CATALOG.md "Fixes"):
 * license store, TLS 1.2, CredSSP, RDP switch, listener, services, ServiceDll, SecurityLayer. */
#include "fixes/mend-fix.h"

#include <glib/gi18n-lib.h>
#include "base/mend-error.h"

#define MSLICENSING "HKLM\\SOFTWARE\\Microsoft\\MSLicensing"
#define CREDSSP "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"
#define TLS12 "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2"
#define POLICY_TS "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
#define SERVICEDLL "%SystemRoot%\\System32\\termsrv.dll"

gboolean
mend_fix_reset_mslicensing (MendFixContext *ctx, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!mend_fix_require_hive (ctx, MSLICENSING, error))
    return FALSE;
  /* Already gone is the state this fix wants: an empty plan, so a re-run is harmless. */
  if (!mend_registry_key_exists (ctx->registry, MSLICENSING, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      mend_fix_add_note (ctx,
                          _("There is no license store (MSLicensing) to reset. Remote Desktop "
                            "Connection creates it when it runs as administrator."));
      return TRUE;
    }
  if (!mend_fix_delete_tree (ctx, MSLICENSING,
                             _("Delete the Remote Desktop license store (MSLicensing) and "
                               "everything in it; Remote Desktop Connection creates a new one"),
                             error))
    return FALSE;
  mend_fix_add_step (ctx,
                      _("Start Windows, right-click Remote Desktop Connection and choose “Run "
                        "as administrator” once, and connect: it needs administrator rights "
                        "to create the new license store. Later connections work normally."));
  return TRUE;
}

gboolean
mend_fix_enable_tls12 (MendFixContext *ctx, GError **error)
{
  static const char * const sides[] = { "Client", "Server" };

  if (!mend_fix_require_hive (ctx, TLS12, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s\\%s", TLS12, sides[i]);
      g_autoptr (MendRegValue) enabled = mend_registry_get_value (ctx->registry, path, "Enabled", NULL);
      g_autoptr (MendRegValue) dbd = mend_registry_get_value (ctx->registry, path,
                                                              "DisabledByDefault", NULL);
      guint32 v;

      if (enabled != NULL && mend_reg_value_get_dword (enabled, &v, NULL) && v == 0)
        {
          g_autofree char *desc = g_strdup_printf (
            _("Remove “Enabled = 0” for TLS 1.2 (%s side), so Windows uses TLS 1.2 again"),
            sides[i]);

          if (!mend_fix_delete_value (ctx, path, "Enabled", desc, error))
            return FALSE;
        }
      if (dbd != NULL && mend_reg_value_get_dword (dbd, &v, NULL) && v != 0)
        {
          g_autofree char *desc = g_strdup_printf (
            _("Remove “DisabledByDefault = %u” for TLS 1.2 (%s side)"), v, sides[i]);

          if (!mend_fix_delete_value (ctx, path, "DisabledByDefault", desc, error))
            return FALSE;
        }
    }
  mend_fix_add_step (ctx, _("Restart Windows so every service picks up TLS 1.2."));
  return TRUE;
}

gboolean
mend_fix_set_credssp_mitigated (MendFixContext *ctx, GError **error)
{
  const char *param = g_hash_table_lookup (ctx->params, "value");
  guint32 value = 1;

  if (param != NULL)
    {
      if (g_str_equal (param, "0") || g_str_equal (param, "1") || g_str_equal (param, "2"))
        value = (guint32) (param[0] - '0');
      else
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                       _("value=%s is not allowed for set-credssp-mitigated: use 1 "
                         "(Mitigated, the default), 0 (Force Updated Clients) or 2 "
                         "(Vulnerable)."), param);
          return FALSE;
        }
    }
  if (!mend_fix_require_hive (ctx, CREDSSP, error))
    return FALSE;
  {
    g_autofree char *desc = g_strdup_printf (
      _("Set the CredSSP encryption oracle remediation (AllowEncryptionOracle) to %u (%s)"),
      value, value == 0 ? _("Force Updated Clients") : value == 1 ? _("Mitigated") : _("Vulnerable"));

    if (!mend_fix_set_value (ctx, CREDSSP, mend_reg_value_new_dword ("AllowEncryptionOracle", value),
                             desc, error))
      return FALSE;
  }
  if (value == 2)
    mend_fix_set_warning (
      ctx,
      _("Value 2 (Vulnerable) lets this computer connect to servers that lack the CredSSP "
        "security update (CVE-2018-0886), and exposes its credentials to attackers who can "
        "intercept those connections. Use it only for as long as it takes to update the "
        "server, then set it back to 1."));
  else
    mend_fix_add_note (ctx,
                        _("Mitigated (1) still blocks connections to servers that lack the "
                          "CredSSP update from May 2018: the real remedy is updating the server."));
  mend_fix_add_step (ctx,
                      _("Install the latest cumulative update on the server you connect to; "
                        "then this setting is no longer needed."));
  return TRUE;
}

gboolean
mend_fix_enable_rdp (MendFixContext *ctx, GError **error)
{
  g_autoptr (MendRegValue) policy = NULL;
  guint32 v;

  if (!mend_fix_require_key (ctx, MEND_PATH_TERMINAL_SERVER, error)
      || !mend_fix_set_value (ctx, MEND_PATH_TERMINAL_SERVER,
                              mend_reg_value_new_dword ("fDenyTSConnections", 0),
                              _("Allow Remote Desktop connections (fDenyTSConnections = 0)"),
                              error))
    return FALSE;
  mend_fix_add_step (ctx,
                      _("Allow TCP port 3389 in the firewall (the fix “enable-firewall-rule” "
                        "does this for the built-in Remote Desktop rules)."));
  policy = mend_registry_get_value (ctx->registry, POLICY_TS, "fDenyTSConnections", NULL);
  if (policy != NULL && mend_reg_value_get_dword (policy, &v, NULL) && v != 0)
    mend_fix_add_note (ctx,
                        _("A group policy also denies Remote Desktop connections: it wins "
                          "over this setting. Ask the administrator of the policy to change it."));
  return TRUE;
}

gboolean
mend_fix_enable_listener (MendFixContext *ctx, GError **error)
{
  g_autoptr (MendRegValue) ts_enabled = NULL;
  g_autoptr (MendRegValue) logon_disabled = NULL;

  if (!mend_fix_require_key (ctx, MEND_PATH_RDP_TCP, error))
    return FALSE;
  /* TSEnabled and fLogonDisabled are only corrected when present: absent means default. */
  ts_enabled = mend_registry_get_value (ctx->registry, MEND_PATH_TERMINAL_SERVER, "TSEnabled", NULL);
  if (ts_enabled != NULL
      && !mend_fix_set_value (ctx, MEND_PATH_TERMINAL_SERVER, mend_reg_value_new_dword ("TSEnabled", 1),
                              _("Turn Remote Desktop Services on (TSEnabled = 1)"), error))
    return FALSE;
  if (!mend_fix_set_value (ctx, MEND_PATH_RDP_TCP, mend_reg_value_new_dword ("fEnableWinStation", 1),
                           _("Enable the RDP-Tcp listener (fEnableWinStation = 1)"), error))
    return FALSE;
  logon_disabled = mend_registry_get_value (ctx->registry, MEND_PATH_RDP_TCP, "fLogonDisabled", NULL);
  if (logon_disabled != NULL
      && !mend_fix_set_value (ctx, MEND_PATH_RDP_TCP, mend_reg_value_new_dword ("fLogonDisabled", 0),
                              _("Allow logons through the listener (fLogonDisabled = 0)"), error))
    return FALSE;
  mend_fix_add_step (ctx, _("Restart Remote Desktop Services (or Windows)."));
  return TRUE;
}

gboolean
mend_fix_enable_services (MendFixContext *ctx, GError **error)
{
  static const char * const services[] = { "TermService", "SessionEnv", "UmRdpService" };
  g_autofree char *term = g_strdup_printf ("%s\\TermService", MEND_PATH_SERVICES);

  if (!mend_fix_require_key (ctx, term, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s\\%s", MEND_PATH_SERVICES, services[i]);
      g_autoptr (MendRegValue) start = mend_registry_get_value (ctx->registry, path, "Start", NULL);
      g_autofree char *desc = NULL;
      guint32 v;

      if (!mend_registry_key_exists (ctx->registry, path, NULL))
        {
          g_autofree char *note = g_strdup_printf (
            _("The service %s is not installed; it is left alone."), services[i]);

          mend_fix_add_note (ctx, note);
          continue;
        }
      /* Only disabled (4) services change: automatic (2) must not become manual (3). */
      if (start == NULL || !mend_reg_value_get_dword (start, &v, NULL) || v != 4)
        continue;
      desc = g_strdup_printf (_("Set the service %s to start on demand (Start = 3 instead of 4, "
                                "disabled)"), services[i]);
      if (!mend_fix_set_value (ctx, path, mend_reg_value_new_dword ("Start", 3), desc, error))
        return FALSE;
    }
  mend_fix_add_step (ctx, _("Restart Windows."));
  return TRUE;
}

gboolean
mend_fix_restore_servicedll (MendFixContext *ctx, GError **error)
{
  g_autofree char *service = g_strdup_printf ("%s\\TermService", MEND_PATH_SERVICES);
  g_autofree char *params = g_strdup_printf ("%s\\Parameters", service);
  g_autoptr (MendRegValue) current = NULL;

  if (!mend_fix_require_key (ctx, service, error))
    return FALSE;
  current = mend_registry_get_value (ctx->registry, params, "ServiceDll", NULL);
  if (current != NULL && current->type == MEND_REG_EXPAND_SZ)
    {
      g_autofree char *text = mend_reg_value_get_string (current, NULL);

      /* Windows compares paths case-insensitively: a different case is not a problem. */
      if (text != NULL && g_ascii_strcasecmp (text, SERVICEDLL) == 0)
        return TRUE;
    }
  if (!mend_fix_set_value (ctx, params,
                           mend_reg_value_new_string ("ServiceDll", MEND_REG_EXPAND_SZ, SERVICEDLL),
                           _("Point the Remote Desktop service back at Windows' own library "
                             "(ServiceDll = %SystemRoot%\\System32\\termsrv.dll)"),
                           error))
    return FALSE;
  mend_fix_add_step (ctx,
                      _("Restart Windows. If a Remote Desktop wrapper (such as RDP Wrapper) "
                        "was installed, uninstall it too, or it may change this back."));
  return TRUE;
}

gboolean
mend_fix_set_security_negotiate (MendFixContext *ctx, GError **error)
{
  if (!mend_fix_require_key (ctx, MEND_PATH_RDP_TCP, error)
      || !mend_fix_set_value (ctx, MEND_PATH_RDP_TCP, mend_reg_value_new_dword ("SecurityLayer", 1),
                              _("Let the listener negotiate TLS (SecurityLayer = 1, Negotiate)"),
                              error))
    return FALSE;
  mend_fix_add_step (ctx, _("Restart Remote Desktop Services (or Windows)."));
  return TRUE;
}
