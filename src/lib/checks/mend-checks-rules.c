/* mend-checks-rules.c — simple value rules as one declarative table, plus TLS switches. */
#include "checks/mend-checks-private.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef enum {
  RULE_EQ,      /* the value exists and equals OPERAND */
  RULE_NE,      /* the value exists and differs from OPERAND */
  RULE_EXISTS,  /* the value exists at all */
} RuleOp;

typedef struct {
  const char *path;
  const char *value;
  RuleOp      op;
  guint32     operand;
} Condition;

/* One finding: raised when any condition holds; otherwise reported ok. */
typedef struct {
  const char    *id;
  MendSeverity   severity;
  const char    *title;      /* N_() when raised */
  const char    *ok_title;   /* N_() when not */
  const char    *detail;     /* N_() */
  const char    *fixes[3];
  Condition      when[4];
} ValueRule;

static const ValueRule server_rules[] = {
  { "server.rdp-disabled", MEND_SEVERITY_PROBLEM,
    N_("Remote Desktop is switched off"), N_("Remote Desktop is switched on"),
    N_("fDenyTSConnections is 1: the computer refuses every Remote Desktop connection. "
       "Clients see the connection closed at once."),
    { "enable-rdp" }, { { MEND_KEY_TS, "fDenyTSConnections", RULE_EQ, 1 } } },
  { "server.rdp-disabled-by-policy", MEND_SEVERITY_PROBLEM,
    N_("Group Policy switches Remote Desktop off"), N_("No policy switches Remote Desktop off"),
    N_("The policy “Allow users to connect remotely by using Remote Desktop Services” is set to "
       "Disabled. A local change would be reverted by policy: ask the administrator of the "
       "policy, or check it with gpresult /H."),
    { NULL }, { { MEND_KEY_TS_POLICY, "fDenyTSConnections", RULE_EQ, 1 } } },
  { "server.listener-disabled", MEND_SEVERITY_PROBLEM,
    N_("The Remote Desktop listener is disabled"), N_("The Remote Desktop listener is enabled"),
    N_("The RDP-Tcp listener is switched off or refuses logons, so connections are closed "
       "during setup."),
    { "enable-listener" },
    { { MEND_KEY_TS, "TSEnabled", RULE_EQ, 0 },
      { MEND_KEY_RDPTCP, "fEnableWinStation", RULE_EQ, 0 },
      { MEND_KEY_RDPTCP, "fLogonDisabled", RULE_EQ, 1 } } },
  { "server.port-nonstandard", MEND_SEVERITY_INFO,
    N_("Remote Desktop listens on a non-standard port"), N_("Remote Desktop listens on port 3389"),
    N_("Clients must add the port to the computer name (for example server:3390)."),
    { NULL }, { { MEND_KEY_RDPTCP, "PortNumber", RULE_NE, 3389 } } },
  { "server.service-disabled", MEND_SEVERITY_PROBLEM,
    N_("A Remote Desktop service is disabled"), N_("Remote Desktop services are not disabled"),
    N_("Remote Desktop Services (TermService), Remote Desktop Configuration (SessionEnv) and "
       "the UserMode Port Redirector (UmRdpService) must not be disabled."),
    { "enable-services" },
    { { MEND_KEY_SERVICES "\\TermService", "Start", RULE_EQ, 4 },
      { MEND_KEY_SERVICES "\\SessionEnv", "Start", RULE_EQ, 4 },
      { MEND_KEY_SERVICES "\\UmRdpService", "Start", RULE_EQ, 4 } } },
  { "server.security-layer-rdp", MEND_SEVERITY_WARNING,
    N_("The listener uses legacy RDP security"), N_("The listener negotiates its security layer"),
    N_("SecurityLayer is 0 (RDP security). Clients and gateways that require TLS close the "
       "connection during setup; this is a known cause of 0x904."),
    { "set-security-negotiate" }, { { MEND_KEY_RDPTCP, "SecurityLayer", RULE_EQ, 0 } } },
  { "server.security-policy-override", MEND_SEVERITY_INFO,
    N_("A policy sets the security layer or Network Level Authentication"),
    N_("No policy overrides the listener's security settings"),
    N_("Policy values win over the listener's own SecurityLayer and UserAuthentication."),
    { NULL },
    { { MEND_KEY_TS_POLICY, "SecurityLayer", RULE_EXISTS, 0 },
      { MEND_KEY_TS_POLICY, "UserAuthentication", RULE_EXISTS, 0 } } },
};

static const ValueRule client_rules[] = {
  { "client.credssp-force-updated", MEND_SEVERITY_WARNING,
    N_("CredSSP is set to “Force Updated Clients”"), N_("CredSSP does not block unpatched servers"),
    N_("AllowEncryptionOracle is 0: connections to servers without the May 2018 CredSSP update "
       "fail with the “CredSSP encryption oracle remediation” message. Updating the server is "
       "the real fix."),
    { "set-credssp-mitigated" }, { { MEND_KEY_CREDSSP, "AllowEncryptionOracle", RULE_EQ, 0 } } },
  { "client.credssp-vulnerable", MEND_SEVERITY_WARNING,
    N_("CredSSP is set to “Vulnerable”"), N_("CredSSP is not set to “Vulnerable”"),
    N_("AllowEncryptionOracle is 2: this computer is exposed to CVE-2018-0886. It was probably "
       "set as a temporary workaround; set it back to Mitigated."),
    { "set-credssp-mitigated" }, { { MEND_KEY_CREDSSP, "AllowEncryptionOracle", RULE_EQ, 2 } } },
};

gboolean
mend_checks_read_dword (MendCheckContext *ctx, const char *path, const char *name, guint32 *out)
{
  return mend_registry_get_dword (mend_check_context_get_registry (ctx), path, name, out, NULL);
}

static gboolean
condition_holds (MendCheckContext *ctx, const Condition *c)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  g_autoptr (MendRegValue) v = mend_registry_get_value (reg, c->path, c->value, NULL);
  guint32 dw;
  if (v == NULL)
    return FALSE;
  if (c->op == RULE_EXISTS)
    return TRUE;
  if (!mend_reg_value_get_dword (v, &dw, NULL))
    return FALSE;
  return c->op == RULE_EQ ? dw == c->operand : dw != c->operand;
}

static void
run_rules (MendCheckContext *ctx, const ValueRule *rules, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      const ValueRule *r = &rules[i];
      g_autoptr (MendFinding) f = NULL;
      g_autoptr (GError) unreadable = NULL;
      /* A rule whose hive cannot be read is not "ok": it was not checked. */
      for (guint j = 0; j < G_N_ELEMENTS (r->when) && r->when[j].path && !unreadable; j++)
        mend_registry_key_exists (mend_check_context_get_registry (ctx), r->when[j].path,
                                  &unreadable);
      if (unreadable)
        {
          g_autofree char *why = g_strdup_printf ("%s: %s", r->id, unreadable->message);
          mend_check_context_skip (ctx, why);
          continue;
        }
      for (guint j = 0; j < G_N_ELEMENTS (r->when) && r->when[j].path; j++)
        {
          if (!condition_holds (ctx, &r->when[j]))
            continue;
          if (f == NULL)
            {
              f = mend_finding_new (r->id, r->severity, MEND_CONFIDENCE_CONFIRMED, _(r->title));
              mend_finding_set_detail (f, _(r->detail));
              for (guint k = 0; k < G_N_ELEMENTS (r->fixes) && r->fixes[k]; k++)
                mend_finding_add_fix (f, r->fixes[k]);
            }
          mend_check_context_add_registry_evidence (ctx, f, r->when[j].path, r->when[j].value);
        }
      if (f)
        mend_check_context_add (ctx, g_steal_pointer (&f));
      else
        {
          MendFinding *ok = mend_finding_new (r->id, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                              _(r->ok_title));
          /* Show what was looked at, so "passed" is as checkable as "failed". */
          mend_check_context_add_registry_evidence (ctx, ok, r->when[0].path, r->when[0].value);
          mend_check_context_add (ctx, ok);
        }
    }
}

static gboolean
system_hive_usable (MendCheckContext *ctx)
{
  g_autoptr (GError) error = NULL;
  if (!mend_registry_key_exists (mend_check_context_get_registry (ctx), MEND_KEY_TS, &error) &&
      error != NULL)
    {
      mend_check_context_skip (ctx, error->message);
      return FALSE;
    }
  return TRUE;
}

void
mend_check_server_rules (MendCheckContext *ctx)
{
  if (system_hive_usable (ctx))
    run_rules (ctx, server_rules, G_N_ELEMENTS (server_rules));
}

void
mend_check_client_rules (MendCheckContext *ctx)
{
  g_autoptr (GError) error = NULL;
  if (!mend_registry_key_exists (mend_check_context_get_registry (ctx), "HKLM\\SOFTWARE\\Microsoft",
                                 &error) && error)
    {
      mend_check_context_skip (ctx, error->message);
      return;
    }
  run_rules (ctx, client_rules, G_N_ELEMENTS (client_rules));
}

/* --- termsrv.dll --------------------------------------------------------------------- */

void
mend_check_servicedll (MendCheckContext *ctx)
{
  const char *path = MEND_KEY_SERVICES "\\TermService\\Parameters";
  g_autoptr (GError) error = NULL;
  g_autofree char *dll = mend_registry_get_string (mend_check_context_get_registry (ctx), path,
                                                   "ServiceDll", &error);
  if (dll == NULL)
    {
      if (!g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND))
        {
          mend_check_context_skip (ctx, error->message);
          return;
        }
      /* No TermService at all (stripped image): nothing to compare. */
      if (!mend_registry_key_exists (mend_check_context_get_registry (ctx),
                                     MEND_KEY_SERVICES "\\TermService", NULL))
        {
          mend_check_context_skip (ctx, _("The TermService service is not registered"));
          return;
        }
    }
  /* The standard value, with the forms Windows itself writes. */
  gboolean standard = dll && (g_ascii_strcasecmp (dll, "%SystemRoot%\\System32\\termsrv.dll") == 0 ||
                              g_ascii_strcasecmp (dll, "%windir%\\System32\\termsrv.dll") == 0 ||
                              g_ascii_strcasecmp (dll, "C:\\Windows\\System32\\termsrv.dll") == 0);
  MendFinding *f;
  if (standard)
    f = mend_finding_new ("server.servicedll-modified", MEND_SEVERITY_OK,
                          MEND_CONFIDENCE_CONFIRMED, _("Remote Desktop Services runs termsrv.dll"));
  else
    {
      f = mend_finding_new ("server.servicedll-modified", MEND_SEVERITY_PROBLEM,
                            MEND_CONFIDENCE_CONFIRMED,
                            _("Remote Desktop Services runs a replaced program"));
      mend_finding_set_detail (f, _("ServiceDll does not point at %SystemRoot%\\System32\\termsrv.dll. "
                                    "This is what RDP wrapper tools leave behind; after a Windows "
                                    "update the wrapper no longer matches and connections fail."));
      mend_finding_add_fix (f, "restore-servicedll");
    }
  mend_check_context_add_registry_evidence (ctx, f, path, "ServiceDll");
  mend_check_context_add (ctx, f);
}

/* --- SCHANNEL ------------------------------------------------------------------------ */

MendTlsState
mend_checks_tls_state (MendCheckContext *ctx, const char *proto, const char *side, gint64 build)
{
  g_autofree char *path = g_strdup_printf (MEND_KEY_SCHANNEL "\\%s\\%s", proto, side);
  guint32 enabled, dbd;
  gboolean has_enabled = mend_checks_read_dword (ctx, path, "Enabled", &enabled);
  gboolean has_dbd = mend_checks_read_dword (ctx, path, "DisabledByDefault", &dbd);

  if (has_enabled && enabled == 0)
    return MEND_TLS_DISABLED;
  /* Disabled by default: only callers that ask for the version explicitly get it, and
   * Remote Desktop does not. */
  if (has_dbd && dbd != 0)
    return MEND_TLS_DISABLED;
  if (has_enabled)
    return MEND_TLS_ENABLED;
  /* OS defaults: TLS 1.3 from Windows 11 / Server 2022 (build 20348) on. */
  if (g_str_equal (proto, "TLS 1.3"))
    return build >= 20348 ? MEND_TLS_DEFAULT_ON : MEND_TLS_DEFAULT_OFF;
  return MEND_TLS_DEFAULT_ON;
}

static void
check_tls (MendCheckContext *ctx, const char *side, const char *id)
{
  static const char *const protos[] = { "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" };
  const MendSystemInfo *sys = mend_check_context_get_system (ctx);
  gint64 build = sys ? sys->build : -1;
  g_autoptr (GError) error = NULL;

  if (!mend_registry_key_exists (mend_check_context_get_registry (ctx),
                                 "HKLM\\SYSTEM\\CurrentControlSet\\Control", &error) && error)
    {
      mend_check_context_skip (ctx, error->message);
      return;
    }
  MendTlsState tls12 = mend_checks_tls_state (ctx, "TLS 1.2", side, build);
  gboolean other = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      if (g_str_equal (protos[i], "TLS 1.2"))
        continue;
      MendTlsState s = mend_checks_tls_state (ctx, protos[i], side, build);
      if (s == MEND_TLS_ENABLED || s == MEND_TLS_DEFAULT_ON)
        other = TRUE;
    }
  MendFinding *f;
  if (tls12 == MEND_TLS_DISABLED && !other)
    {
      f = mend_finding_new (id, MEND_SEVERITY_PROBLEM, MEND_CONFIDENCE_CONFIRMED,
                            g_str_equal (side, "Server")
                              ? _("TLS is switched off for incoming connections")
                              : _("TLS is switched off for outgoing connections"));
      mend_finding_set_detail (f, _("TLS 1.2 is disabled in SCHANNEL and no other TLS version is "
                                    "enabled, so the TLS handshake cannot start and the "
                                    "connection is closed during setup."));
      mend_finding_add_fix (f, "enable-tls12");
    }
  else
    f = mend_finding_new (id, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                          g_str_equal (side, "Server") ? _("TLS is available for incoming connections")
                                                       : _("TLS is available for outgoing connections"));
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      g_autofree char *path = g_strdup_printf (MEND_KEY_SCHANNEL "\\%s\\%s", protos[i], side);
      MendRegistry *reg = mend_check_context_get_registry (ctx);
      if (mend_registry_key_exists (reg, path, NULL))
        {
          mend_check_context_add_registry_evidence (ctx, f, path, "Enabled");
          mend_check_context_add_registry_evidence (ctx, f, path, "DisabledByDefault");
        }
    }
  mend_check_context_add (ctx, f);
}

void
mend_check_server_tls (MendCheckContext *ctx)
{
  check_tls (ctx, "Server", "server.tls-disabled");
}

void
mend_check_client_tls (MendCheckContext *ctx)
{
  check_tls (ctx, "Client", "client.tls-disabled");
}

/* --- edition ------------------------------------------------------------------------- */

void
mend_check_edition (MendCheckContext *ctx)
{
  const MendSystemInfo *sys = mend_check_context_get_system (ctx);
  if (sys == NULL || sys->edition == NULL)
    {
      mend_check_context_skip (ctx, _("The edition (EditionID) could not be read"));
      return;
    }
  /* Home editions (Core, CoreN, CoreSingleLanguage, CoreCountrySpecific) have no RDP host. */
  gboolean home = g_str_has_prefix (sys->edition, "Core") && !g_str_has_prefix (sys->edition, "CoreConnected") ;
  MendFinding *f;
  if (home)
    {
      f = mend_finding_new ("server.edition-cannot-host", MEND_SEVERITY_INFO,
                            MEND_CONFIDENCE_CONFIRMED,
                            _("This Home edition cannot accept Remote Desktop connections"));
      mend_finding_set_detail (f, _("Home editions can connect to other computers but not be "
                                    "connected to. Upgrading to Pro enables hosting."));
    }
  else
    f = mend_finding_new ("server.edition-cannot-host", MEND_SEVERITY_OK,
                          MEND_CONFIDENCE_CONFIRMED,
                          _("This edition can accept Remote Desktop connections"));
  mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_CURRENTVERSION, "EditionID");
  mend_check_context_add (ctx, f);
}
