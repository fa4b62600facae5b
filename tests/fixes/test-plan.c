/* test-plan.c — every catalog fix on generated images: the finding is there, the plan says
 * what changes, apply writes exactly that (read back with reglookup), diagnosis no longer
 * finds it, and undo brings the hives back byte for byte. Also refusals and plan choices. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "checks/mend-check.h"
#include "base/mend-error.h"
#include "fixes/mend-journal.h"
#include "fixes/mend-plan.h"
#include "fix-test-util.h"
#include "fixes/mend-fix.h"
#include "fixes/mend-journal-private.h"

#define TS      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
#define RDPTCP  TS "\\WinStations\\RDP-Tcp"
#define SVC     "HKLM\\SYSTEM\\CurrentControlSet\\Services"
#define FWRULES SVC "\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules"
#define TLSKEY  "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"
#define CREDSSP "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"

#define R_TS     "/ControlSet001/Control/Terminal Server"
#define R_RDPTCP R_TS "/WinStations/RDP-Tcp"
#define R_SVC    "/ControlSet001/Services"
#define R_TLS    "/ControlSet001/Control/SecurityProviders/SCHANNEL/Protocols"

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
has_problem (MendFixture *fx, const char *finding_id)
{
  g_autoptr (GPtrArray) findings = mend_fixture_diagnose (fx, MEND_ROLE_BOTH, now_s ());

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (mend_finding_get_id (f), finding_id)
          && mend_finding_get_severity (f) >= MEND_SEVERITY_WARNING)
        return TRUE;
    }
  return FALSE;
}

/* reglookup's quoting (%XX for unprintable bytes) back to bytes. */
static GBytes *
reglookup_bytes (const char *quoted)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = quoted; *p; p++)
    {
      guint8 b = (guint8) *p;

      if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          b = (guint8) (g_ascii_xdigit_value (p[1]) << 4 | g_ascii_xdigit_value (p[2]));
          p += 2;
        }
      g_byte_array_append (out, &b, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

static void
expect_value (const char *root, const char *hive_name, const char *path, const char *expected)
{
  g_autofree char *hive = fx_hive_path (root, hive_name);
  g_autofree char *got = fx_reglookup_value (hive, path);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data;

  if (expected == NULL)
    {
      ck_assert_msg (got == NULL, "%s should be absent, reglookup sees %s", path, got);
      return;
    }
  ck_assert_msg (got != NULL, "%s is absent, expected %s", path, expected);
  bytes = reglookup_bytes (got);
  data = g_bytes_get_data (bytes, &len);
  text = g_strndup (data, len);
  ck_assert_msg (g_ascii_strcasecmp (text, expected) == 0, "%s: reglookup sees %s, expected %s",
                 path, text, expected);
}

typedef struct {
  const char *fix;
  const char *finding;
  void (*brk) (MendFixture *fx);
  void (*verify) (const char *root);
} Scenario;

static void
break_rdp (MendFixture *fx)
{
  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
}

static void
verify_rdp (const char *root)
{
  expect_value (root, "SYSTEM", R_TS "/fDenyTSConnections", "DWORD,0x00000000");
}

static void
break_listener (MendFixture *fx)
{
  mend_fixture_set_dword (fx, RDPTCP, "fEnableWinStation", 0);
  mend_fixture_set_dword (fx, TS, "TSEnabled", 0);
}

static void
verify_listener (const char *root)
{
  expect_value (root, "SYSTEM", R_RDPTCP "/fEnableWinStation", "DWORD,0x00000001");
  expect_value (root, "SYSTEM", R_TS "/TSEnabled", "DWORD,0x00000001");
}

static void
break_services (MendFixture *fx)
{
  mend_fixture_set_dword (fx, SVC "\\TermService", "Start", 4);
  mend_fixture_set_dword (fx, SVC "\\UmRdpService", "Start", 4);
  mend_fixture_set_dword (fx, SVC "\\SessionEnv", "Start", 2);
}

static void
verify_services (const char *root)
{
  expect_value (root, "SYSTEM", R_SVC "/TermService/Start", "DWORD,0x00000003");
  expect_value (root, "SYSTEM", R_SVC "/UmRdpService/Start", "DWORD,0x00000003");
  /* Automatic start is left alone, never downgraded to manual. */
  expect_value (root, "SYSTEM", R_SVC "/SessionEnv/Start", "DWORD,0x00000002");
}

static void
break_servicedll (MendFixture *fx)
{
  mend_fixture_set_string (fx, SVC "\\TermService\\Parameters", "ServiceDll",
                           "C:\\Program Files\\RDP Wrapper\\rdpwrap.dll");
}

static void
verify_servicedll (const char *root)
{
  expect_value (root, "SYSTEM", R_SVC "/TermService/Parameters/ServiceDll",
                "EXPAND_SZ,%SystemRoot%\\System32\\termsrv.dll");
}

static void
break_security (MendFixture *fx)
{
  mend_fixture_set_dword (fx, RDPTCP, "SecurityLayer", 0);
}

static void
verify_security (const char *root)
{
  expect_value (root, "SYSTEM", R_RDPTCP "/SecurityLayer", "DWORD,0x00000001");
}

static void
break_tls (MendFixture *fx)
{
  static const char * const protos[] = { "TLS 1.0", "TLS 1.1", "TLS 1.2" };

  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      g_autofree char *p = g_strdup_printf (TLSKEY "\\%s\\Server", protos[i]);

      mend_fixture_set_dword (fx, p, "Enabled", 0);
    }
  mend_fixture_set_dword (fx, TLSKEY "\\TLS 1.2\\Server", "DisabledByDefault", 1);
}

static void
verify_tls (const char *root)
{
  expect_value (root, "SYSTEM", R_TLS "/TLS 1.2/Server/Enabled", NULL);
  expect_value (root, "SYSTEM", R_TLS "/TLS 1.2/Server/DisabledByDefault", NULL);
  expect_value (root, "SYSTEM", R_TLS "/TLS 1.0/Server/Enabled", "DWORD,0x00000000");
}

static void
break_credssp (MendFixture *fx)
{
  mend_fixture_set_dword (fx, CREDSSP, "AllowEncryptionOracle", 0);
}

static void
verify_credssp (const char *root)
{
  expect_value (root, "SOFTWARE",
                "/Microsoft/Windows/CurrentVersion/Policies/System/CredSSP/Parameters/AllowEncryptionOracle",
                "DWORD,0x00000001");
}

static void
break_mslicensing (MendFixture *fx)
{
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\HardwareID");
}

static void
verify_mslicensing (const char *root)
{
  expect_value (root, "SOFTWARE", "/Microsoft/MSLicensing", NULL);
  expect_value (root, "SOFTWARE", "/Microsoft/MSLicensing/Store/LICENSE000/ClientLicense", NULL);
}

#define RULE_TCP_OFF "v2.30|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=3389|App=%SystemRoot%\\system32\\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|"
#define RULE_TCP_ON  "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=%SystemRoot%\\system32\\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|"

static void
break_firewall (MendFixture *fx)
{
  mend_fixture_set_string (fx, FWRULES, "RemoteDesktop-UserMode-In-TCP", RULE_TCP_OFF);
}

static void
verify_firewall (const char *root)
{
  g_autofree char *hive = fx_hive_path (root, "SYSTEM");

  (void) hive;
  expect_value (root, "SYSTEM",
                R_SVC "/SharedAccess/Parameters/FirewallPolicy/FirewallRules/RemoteDesktop-UserMode-In-TCP",
                "SZ," RULE_TCP_ON);
}

static char *bound_thumbprint;

static void
break_certificate (MendFixture *fx)
{
  MendFixtureCertSpec spec = { .common_name = "rdp.example.test" };

  g_free (bound_thumbprint);
  bound_thumbprint = mend_fixture_add_certificate (fx, "MY", &spec);
  mend_fixture_bind_certificate (fx, "00112233445566778899AABBCCDDEEFF00112233");
}

static void
verify_certificate (const char *root)
{
  g_autofree char *hive = fx_hive_path (root, "SYSTEM");
  g_autofree char *got = fx_reglookup_value (hive, R_RDPTCP "/SSLCertificateSHA1Hash");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GString) hex = g_string_new (NULL);
  gsize len;
  const guint8 *d;

  ck_assert_ptr_nonnull (got);
  ck_assert (g_str_has_prefix (got, "BINARY,"));
  bytes = reglookup_bytes (got + strlen ("BINARY,"));
  d = g_bytes_get_data (bytes, &len);
  ck_assert_uint_eq (len, 20);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02X", d[i]);
  ck_assert_str_eq (hex->str, bound_thumbprint);
}

static const Scenario scenarios[] = {
  { "enable-rdp", "server.rdp-disabled", break_rdp, verify_rdp },
  { "enable-listener", "server.listener-disabled", break_listener, verify_listener },
  { "enable-services", "server.service-disabled", break_services, verify_services },
  { "restore-servicedll", "server.servicedll-modified", break_servicedll, verify_servicedll },
  { "set-security-negotiate", "server.security-layer-rdp", break_security, verify_security },
  { "enable-tls12", "server.tls-disabled", break_tls, verify_tls },
  { "set-credssp-mitigated", "client.credssp-force-updated", break_credssp, verify_credssp },
  { "reset-mslicensing", "client.mslicensing-damaged", break_mslicensing, verify_mslicensing },
  { "enable-firewall-rule", "server.firewall-closed", break_firewall, verify_firewall },
  { "rebind-certificate", "server.certificate-missing", break_certificate, verify_certificate },
};

/* The whole cycle for one catalog fix. */
START_TEST (test_fix_cycle)
{
  const Scenario *sc = &scenarios[_i];
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *software = fx_hive_path (root, "SOFTWARE");
  g_autofree char *sys_sha = NULL, *soft_sha = NULL, *sys_dump = NULL, *soft_dump = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (MendPlan) plan = NULL;
  g_autoptr (GPtrArray) plans = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *sys_dump_after = NULL, *soft_dump_after = NULL;
  gboolean rolled_back = TRUE;

  sc->brk (fx);
  mend_fixture_commit (fx);
  ck_assert_msg (has_problem (fx, sc->finding), "%s: the broken image should show %s",
                 sc->fix, sc->finding);
  sys_sha = fx_sha256 (system);
  soft_sha = fx_sha256 (software);
  sys_dump = fx_reglookup_all (system);
  soft_dump = fx_reglookup_all (software);

  image = mend_fixture_open_image (fx);
  plan = mend_plan_new_for_fix (MEND_TARGET (image), sc->fix, NULL, &error);
  ck_assert_msg (plan != NULL, "%s: %s", sc->fix, error ? error->message : "");
  ck_assert_msg (mend_plan_get_changes (plan)->len > 0, "%s: empty plan", sc->fix);
  ck_assert_ptr_null (mend_plan_get_warning (plan));
  g_ptr_array_add (plans, plan);
  id = mend_plans_apply (image, plans, NULL, NULL, &rolled_back, NULL, &error);
  ck_assert_msg (id != NULL, "%s: %s", sc->fix, error ? error->message : "");
  ck_assert (!rolled_back);

  sc->verify (root);
  ck_assert_msg (!has_problem (fx, sc->finding), "%s: %s is still found after the fix",
                 sc->fix, sc->finding);

  ck_assert_msg (mend_journal_undo (image, NULL, FALSE, &undone, &error), "%s: %s", sc->fix,
                 error ? error->message : "");
  ck_assert_str_eq (undone, id);
  sys_dump_after = fx_reglookup_all (system);
  soft_dump_after = fx_reglookup_all (software);
  ck_assert_str_eq (sys_dump_after, sys_dump);
  ck_assert_str_eq (soft_dump_after, soft_dump);
  {
    g_autofree char *a = fx_sha256 (system);
    g_autofree char *b = fx_sha256 (software);

    ck_assert_str_eq (a, sys_sha);
    ck_assert_str_eq (b, soft_sha);
  }
  ck_assert (has_problem (fx, sc->finding));
}
END_TEST

START_TEST (test_every_fix_listed)
{
  guint n = 0;
  const MendFixInfo *all = mend_fix_list_all (&n);
  static const char * const catalog[] = {
    "reset-mslicensing", "rebind-certificate", "enable-tls12", "set-credssp-mitigated",
    "enable-rdp", "enable-listener", "enable-services", "restore-servicedll",
    "set-security-negotiate", "enable-firewall-rule", "open-update-catalog",
  };

  ck_assert_uint_eq (n, G_N_ELEMENTS (catalog));
  for (guint i = 0; i < n; i++)
    {
      ck_assert_str_eq (all[i].id, catalog[i]);
      ck_assert_ptr_eq (mend_fix_lookup (catalog[i]), &all[i]);
    }
  ck_assert_ptr_null (mend_fix_lookup ("enable-everything"));
}
END_TEST

static MendPlan *
plan_for (MendImage *image, const char *fix, const char *key, const char *value, GError **error)
{
  g_autoptr (GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  if (key != NULL)
    g_hash_table_insert (params, (gpointer) key, (gpointer) value);
  return mend_plan_new_for_fix (MEND_TARGET (image), fix, params, error);
}

static const char *
set_value_hex (MendPlan *plan, const char *name)
{
  static char hex[64];
  GPtrArray *changes = mend_plan_get_changes (plan);

  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (changes, i);
      gsize len;
      const guint8 *d;

      if (c->kind != MEND_CHANGE_SET_VALUE || g_strcmp0 (c->value_name, name) != 0)
        continue;
      d = g_bytes_get_data (c->new_value->data, &len);
      hex[0] = '\0';
      for (gsize j = 0; j < len && j < 31; j++)
        sprintf (hex + 2 * j, "%02X", d[j]);
      return hex;
    }
  return NULL;
}

START_TEST (test_rebind_choice)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  gint64 now = now_s ();
  MendFixtureCertSpec short_spec = { .common_name = "a.example.test", .not_after = now + 100 * 86400 };
  MendFixtureCertSpec long_spec = { .common_name = "b.example.test", .not_after = now + 700 * 86400 };
  MendFixtureCertSpec expired = { .common_name = "c.example.test", .not_before = now - 900 * 86400,
                                  .not_after = now - 86400 };
  MendFixtureCertSpec no_key = { .common_name = "d.example.test", .not_after = now + 2000 * 86400,
                                 .no_key_file = TRUE };
  const char * const client_only[] = { "1.3.6.1.5.5.7.3.2", NULL };
  MendFixtureCertSpec wrong_eku = { .common_name = "e.example.test", .not_after = now + 3000 * 86400,
                                    .ekus = client_only };
  g_autofree char *t_short = mend_fixture_add_certificate (fx, "MY", &short_spec);
  g_autofree char *t_long = mend_fixture_add_certificate (fx, "MY", &long_spec);
  g_autofree char *t_expired = mend_fixture_add_certificate (fx, "MY", &expired);
  g_autofree char *t_nokey = mend_fixture_add_certificate (fx, "MY", &no_key);
  g_autofree char *t_eku = mend_fixture_add_certificate (fx, "MY", &wrong_eku);
  g_autoptr (MendImage) image = NULL;
  g_autoptr (MendPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  mend_fixture_bind_certificate (fx, t_expired);
  mend_fixture_commit (fx);
  ck_assert (has_problem (fx, "server.certificate-expired"));

  /* Longest remaining validity among the usable ones. */
  image = mend_fixture_open_image (fx);
  plan = plan_for (image, "rebind-certificate", NULL, NULL, &error);
  ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (set_value_hex (plan, "SSLCertificateSHA1Hash"), t_long);
  text = mend_plan_to_text (plan);
  ck_assert_ptr_nonnull (strstr (text, t_nokey));     /* said why it was not chosen */
  ck_assert_ptr_nonnull (strstr (text, t_eku));
  g_clear_object (&plan);
  g_clear_object (&image);

  /* A certificate naming this computer wins over a longer-lived one. */
  mend_fixture_set_string (fx, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
                           "Hostname", "a");
  mend_fixture_set_string (fx, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
                           "Domain", "example.test");
  mend_fixture_commit (fx);
  image = mend_fixture_open_image (fx);
  plan = plan_for (image, "rebind-certificate", NULL, NULL, &error);
  ck_assert_str_eq (set_value_hex (plan, "SSLCertificateSHA1Hash"), t_short);
  g_clear_object (&plan);

  /* A chosen thumbprint, as copied from the MMC with spaces and a left-to-right mark. */
  {
    g_autoptr (GString) messy = g_string_new ("\xe2\x80\x8e");

    for (guint i = 0; i < 40; i += 2)
      g_string_append_printf (messy, "%c%c ", g_ascii_tolower (t_long[i]), g_ascii_tolower (t_long[i + 1]));
    plan = plan_for (image, "rebind-certificate", "thumbprint", messy->str, &error);
    ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
    ck_assert_str_eq (set_value_hex (plan, "SSLCertificateSHA1Hash"), t_long);
    g_clear_object (&plan);
  }
  /* Chosen but unusable, unknown, malformed: refused as bad parameters. */
  plan = plan_for (image, "rebind-certificate", "thumbprint", t_expired, &error);
  ck_assert_ptr_null (plan);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  ck_assert_ptr_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);
  plan = plan_for (image, "rebind-certificate", "thumbprint", "1111111111111111111111111111111111111111", &error);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  plan = plan_for (image, "rebind-certificate", "thumbprint", "12zz", &error);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
}
END_TEST

START_TEST (test_rebind_none_usable)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  gint64 now = now_s ();
  MendFixtureCertSpec expired = { .common_name = "c.example.test", .not_before = now - 900 * 86400,
                                  .not_after = now - 86400 };
  MendFixtureCertSpec rd_expired = { .common_name = "DESKTOP-FIXTURE", .container = "TSSecKeySet1",
                                     .not_before = now - 400 * 86400, .not_after = now - 3600 };
  g_autofree char *t = mend_fixture_add_certificate (fx, "MY", &expired);
  g_autofree char *rd = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (MendPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *changes;
  gboolean deletes_binding = FALSE, deletes_rd = FALSE;

  /* Replace the healthy self-signed certificate with an expired one. */
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\Remote Desktop");
  rd = mend_fixture_add_certificate (fx, "Remote Desktop", &rd_expired);
  mend_fixture_bind_certificate (fx, t);
  mend_fixture_commit (fx);
  image = mend_fixture_open_image (fx);
  plan = plan_for (image, "rebind-certificate", NULL, NULL, &error);
  ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
  changes = mend_plan_get_changes (plan);
  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *c = g_ptr_array_index (changes, i);

      ck_assert (c->kind != MEND_CHANGE_SET_VALUE);
      if (c->kind == MEND_CHANGE_DELETE_VALUE && g_str_equal (c->value_name, "SSLCertificateSHA1Hash"))
        deletes_binding = TRUE;
      if (c->kind == MEND_CHANGE_DELETE_TREE && strstr (c->path, rd) != NULL)
        deletes_rd = TRUE;
    }
  ck_assert (deletes_binding);
  ck_assert (deletes_rd);
}
END_TEST

START_TEST (test_credssp_values)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autofree char *software = fx_hive_path (mend_fixture_get_root (fx), "SOFTWARE");
  g_autofree char *dump = fx_reglookup_all (software);
  g_autoptr (MendImage) image = mend_fixture_open_image (fx);
  g_autoptr (MendPlan) plan = NULL;
  g_autoptr (GPtrArray) plans = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  guint creates = 0;
  GPtrArray *changes;

  /* The key does not exist yet: the plan creates it, undo removes it again. */
  plan = plan_for (image, "set-credssp-mitigated", NULL, NULL, &error);
  ck_assert_ptr_nonnull (plan);
  ck_assert_ptr_null (mend_plan_get_warning (plan));
  changes = mend_plan_get_changes (plan);
  for (guint i = 0; i < changes->len; i++)
    creates += ((MendChange *) changes->pdata[i])->kind == MEND_CHANGE_CREATE_KEY;
  ck_assert_uint_ge (creates, 2);
  ck_assert_str_eq (set_value_hex (plan, "AllowEncryptionOracle"), "01000000");
  g_ptr_array_add (plans, plan);
  id = mend_plans_apply (image, plans, NULL, NULL, NULL, NULL, &error);
  ck_assert_msg (id != NULL, "%s", error ? error->message : "");
  verify_credssp (mend_fixture_get_root (fx));
  ck_assert (mend_journal_undo (image, NULL, FALSE, NULL, &error));
  {
    g_autofree char *again = fx_reglookup_all (software);

    ck_assert_str_eq (again, dump);
  }
  g_clear_object (&plan);

  /* 2 only when asked, and then with a warning. */
  plan = plan_for (image, "set-credssp-mitigated", "value", "2", &error);
  ck_assert_ptr_nonnull (plan);
  ck_assert_ptr_nonnull (mend_plan_get_warning (plan));
  ck_assert_str_eq (set_value_hex (plan, "AllowEncryptionOracle"), "02000000");
  ck_assert (mend_fix_lookup ("set-credssp-mitigated")->lowers_security);
  g_clear_object (&plan);
  plan = plan_for (image, "set-credssp-mitigated", "value", "3", &error);
  ck_assert_ptr_null (plan);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
}
END_TEST

START_TEST (test_update_catalog)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autoptr (MendImage) image = mend_fixture_open_image (fx);
  g_autoptr (GError) error = NULL;
  g_autoptr (MendPlan) plan = plan_for (image, "open-update-catalog", NULL, NULL, &error);
  g_autofree char *w7 = mend_update_catalog_link (7601, NULL, FALSE, FALSE);
  g_autofree char *w81 = mend_update_catalog_link (9600, NULL, FALSE, FALSE);
  g_autofree char *w11 = mend_update_catalog_link (22631, "23H2", TRUE, FALSE);

  ck_assert_ptr_nonnull (plan);
  ck_assert_uint_eq (mend_plan_get_changes (plan)->len, 0);
  ck_assert_str_eq (mend_plan_get_link (plan),
                    "https://www.catalog.update.microsoft.com/Search.aspx?q=cumulative+update+windows+10+22H2");
  ck_assert_str_eq (w7, "https://www.catalog.update.microsoft.com/Search.aspx?q=KB2923545");
  ck_assert_str_eq (w81, w7);
  ck_assert_str_eq (w11, "https://www.catalog.update.microsoft.com/Search.aspx?q=cumulative+update+windows+11+23H2");
  ck_assert_ptr_nonnull (mend_plan_get_steps (plan)[0]);
}
END_TEST

START_TEST (test_plan_errors)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MendPlan) plan = NULL;

  image = mend_fixture_open_image (fx);
  plan = plan_for (image, "enable-everything", NULL, NULL, &error);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNKNOWN_FIX));
  ck_assert_ptr_nonnull (strstr (error->message, "enable-rdp"));  /* lists the known ones */
  g_clear_error (&error);
  plan = plan_for (image, "enable-rdp", "value", "1", &error);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  plan = plan_for (image, "rebind-certificate", "value", "1", &error);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);

  /* Healthy image: nothing to change, and no follow-up steps. */
  plan = plan_for (image, "enable-rdp", NULL, NULL, &error);
  ck_assert_ptr_nonnull (plan);
  ck_assert_uint_eq (mend_plan_get_changes (plan)->len, 0);
  ck_assert_ptr_null (mend_plan_get_steps (plan)[0]);
  g_clear_object (&plan);
  g_clear_object (&image);

  /* A missing key is a clear refusal, not an invented key. */
  mend_fixture_delete_tree (fx, RDPTCP);
  mend_fixture_commit (fx);
  image = mend_fixture_open_image (fx);
  plan = plan_for (image, "enable-listener", NULL, NULL, &error);
  ck_assert_ptr_null (plan);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
  ck_assert_ptr_nonnull (strstr (error->message, "RDP-Tcp"));
}
END_TEST

static char *
apply_one (MendImage *image, const char *fix, gboolean *rolled_back, GError **error)
{
  g_autoptr (MendPlan) plan = mend_plan_new_for_fix (MEND_TARGET (image), fix, NULL, error);
  g_autoptr (GPtrArray) plans = g_ptr_array_new ();

  if (plan == NULL)
    return NULL;
  g_ptr_array_add (plans, plan);
  return mend_plans_apply (image, plans, NULL, NULL, rolled_back, NULL, error);
}

START_TEST (test_refuse_dirty)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autofree char *system = fx_hive_path (mend_fixture_get_root (fx), "SYSTEM");
  g_autofree char *journal = g_build_filename (mend_fixture_get_root (fx), "ProgramData", "RDPMend", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean rolled_back = TRUE;

  break_rdp (fx);
  mend_fixture_commit (fx);
  fx_make_dirty (system);
  before = fx_sha256 (system);
  image = mend_fixture_open_image (fx);
  id = apply_one (image, "enable-rdp", &rolled_back, &error);
  ck_assert_ptr_null (id);
  ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY), "%s",
                 error ? error->message : "");
  ck_assert_ptr_nonnull (strstr (error->message, "Shut down"));
  ck_assert (!rolled_back);
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
  ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_refuse_precondition)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autofree char *system = fx_hive_path (mend_fixture_get_root (fx), "SYSTEM");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (MendPlan) plan = NULL;
  g_autoptr (GPtrArray) plans = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  break_listener (fx);
  mend_fixture_commit (fx);
  image = mend_fixture_open_image (fx);
  plan = mend_plan_new_for_fix (MEND_TARGET (image), "enable-listener", NULL, &error);
  ck_assert_ptr_nonnull (plan);
  /* Someone changes the target between showing the plan and applying it. */
  mend_fixture_set_dword (fx, RDPTCP, "fEnableWinStation", 7);
  mend_fixture_commit (fx);
  before = fx_sha256 (system);
  g_ptr_array_add (plans, plan);
  ck_assert_ptr_null (mend_plans_apply (image, plans, NULL, NULL, NULL, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PRECONDITION));
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
}
END_TEST

/* MEND_FAULT_FAIL_AT_STEP: a failure at every step of a two-hive apply leaves both hives
 * as they were (rolled back when something had been written), then a re-run succeeds. */
START_TEST (test_fail_at_each_step)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  g_autofree char *system = fx_hive_path (mend_fixture_get_root (fx), "SYSTEM");
  g_autofree char *software = fx_hive_path (mend_fixture_get_root (fx), "SOFTWARE");
  g_autofree char *sys0 = NULL, *soft0 = NULL;
  guint steps, failures = 0, rollbacks = 0;

  break_rdp (fx);
  mend_fixture_commit (fx);
  sys0 = fx_sha256 (system);
  soft0 = fx_sha256 (software);

  /* Count the steps of a clean apply on a copy of the same image. */
  {
    g_autoptr (MendFixture) probe = mend_fixture_new ();
    g_autoptr (MendImage) image = NULL;
    g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr (GError) error = NULL;
    g_autofree char *id = NULL;

    break_rdp (probe);
    mend_fixture_commit (probe);
    image = mend_fixture_open_image (probe);
    g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "enable-rdp", NULL, NULL));
    g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "reset-mslicensing", NULL, NULL));
    mend_fault_reset ();
    id = mend_plans_apply (image, plans, NULL, NULL, NULL, NULL, &error);
    ck_assert_msg (id != NULL, "%s", error ? error->message : "");
    steps = mend_fault_get_step_count ();
    ck_assert_uint_ge (steps, 8);
  }

  for (guint n = 1; n < steps; n++)
    {
      g_autoptr (MendImage) image = mend_fixture_open_image (fx);
      g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (GError) error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *n_text = g_strdup_printf ("%u", n);
      g_autofree char *sys1 = NULL, *soft1 = NULL;
      gboolean rolled_back = FALSE;

      g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "enable-rdp", NULL, NULL));
      g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "reset-mslicensing", NULL, NULL));
      g_setenv ("MEND_FAULT_FAIL_AT_STEP", n_text, TRUE);
      mend_fault_reset ();
      id = mend_plans_apply (image, plans, NULL, NULL, &rolled_back, NULL, &error);
      g_unsetenv ("MEND_FAULT_FAIL_AT_STEP");
      if (id != NULL)
        continue;   /* the failing step came after the last write (journal bookkeeping) */
      failures++;
      rollbacks += rolled_back;
      sys1 = fx_sha256 (system);
      soft1 = fx_sha256 (software);
      ck_assert_msg (g_str_equal (sys1, sys0) && g_str_equal (soft1, soft0),
                     "failure at step %u left a changed hive (%s)", n, error->message);
    }
  ck_assert_uint_ge (failures, 6);
  ck_assert_uint_ge (rollbacks, 1);   /* at least the failure after SYSTEM was committed */

  /* The re-run recovers: it applies cleanly. */
  {
    g_autoptr (MendImage) image = mend_fixture_open_image (fx);
    g_autoptr (GError) error = NULL;
    g_autofree char *id = apply_one (image, "enable-rdp", NULL, &error);

    ck_assert_msg (id != NULL, "%s", error ? error->message : "");
    verify_rdp (mend_fixture_get_root (fx));
  }
}
END_TEST

START_TEST (test_undo_refusals)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *sys0 = NULL, *now_sha = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *undone = NULL;

  break_rdp (fx);
  break_security (fx);
  mend_fixture_commit (fx);
  sys0 = fx_sha256 (system);
  image = mend_fixture_open_image (fx);
  a = apply_one (image, "enable-rdp", NULL, &error);
  ck_assert_ptr_nonnull (a);
  g_usleep (2000);
  b = apply_one (image, "set-security-negotiate", NULL, &error);
  ck_assert_ptr_nonnull (b);

  /* The older entry is behind a newer one on the same hive. */
  ck_assert (!mend_journal_undo (image, a, FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE));
  ck_assert_ptr_nonnull (strstr (error->message, b));
  g_clear_error (&error);

  /* Newest first, then the older one: back to the original bytes. */
  ck_assert (mend_journal_undo (image, NULL, FALSE, &undone, &error));
  ck_assert_str_eq (undone, b);
  g_clear_pointer (&undone, g_free);
  ck_assert (mend_journal_undo (image, NULL, FALSE, &undone, &error));
  ck_assert_str_eq (undone, a);
  now_sha = fx_sha256 (system);
  ck_assert_str_eq (now_sha, sys0);
  ck_assert (!mend_journal_undo (image, NULL, FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!mend_journal_undo (image, "no-such-entry", FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!mend_journal_undo (image, a, FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PRECONDITION));
}
END_TEST

/* Windows (or anything) wrote the hive after the fix: undo refuses; forced, it restores
 * exactly the keys the fix touched and keeps the rest. */
START_TEST (test_undo_changed_since_and_forced)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *software = fx_hive_path (root, "SOFTWARE");
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dump0 = NULL, *dump1 = NULL;

  break_rdp (fx);
  mend_fixture_commit (fx);
  dump0 = fx_reglookup_all (software);
  image = mend_fixture_open_image (fx);
  {
    g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "enable-rdp", NULL, NULL));
    g_ptr_array_add (plans, mend_plan_new_for_fix (MEND_TARGET (image), "reset-mslicensing", NULL, NULL));
    id = mend_plans_apply (image, plans, NULL, NULL, NULL, NULL, &error);
    ck_assert_msg (id != NULL, "%s", error ? error->message : "");
  }
  /* "Windows started": other values change in both hives. */
  mend_fixture_set_dword (fx, TS, "WindowsWasHere", 1);
  mend_fixture_set_dword (fx, "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "UBR", 4000);
  mend_fixture_commit (fx);
  mend_image_reload (image);

  ck_assert (!mend_journal_undo (image, NULL, FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE));
  ck_assert_ptr_nonnull (strstr (error->message, "--force"));
  g_clear_error (&error);
  expect_value (root, "SYSTEM", R_TS "/fDenyTSConnections", "DWORD,0x00000000");

  ck_assert_msg (mend_journal_undo (image, NULL, TRUE, NULL, &error), "%s",
                 error ? error->message : "");
  expect_value (root, "SYSTEM", R_TS "/fDenyTSConnections", "DWORD,0x00000001");
  expect_value (root, "SYSTEM", R_TS "/WindowsWasHere", "DWORD,0x00000001");
  /* The license store tree is back value for value; only the unrelated UBR differs. */
  dump1 = fx_reglookup_all (software);
  {
    g_auto (GStrv) a = g_strsplit (dump0, "\n", -1);
    g_auto (GStrv) b = g_strsplit (dump1, "\n", -1);
    guint n_lic = 0;

    for (guint i = 0; a[i] != NULL; i++)
      {
        char *comma;

        if (!g_str_has_prefix (a[i], "/Microsoft/MSLicensing"))
          continue;
        n_lic++;
        /* Compare without the key time (recreated keys get a new one). */
        comma = strrchr (a[i], ',');
        *comma = '\0';
        {
          gboolean found = FALSE;

          for (guint j = 0; b[j] != NULL && !found; j++)
            found = g_str_has_prefix (b[j], a[i]) && b[j][strlen (a[i])] == ',';
          ck_assert_msg (found, "after forced undo, missing: %s", a[i]);
        }
      }
    ck_assert_uint_ge (n_lic, 5);
  }
  expect_value (root, "SOFTWARE", "/Microsoft/Windows NT/CurrentVersion/UBR", "DWORD,0x00000fa0");
}
END_TEST

/* What the journal holds, and that its .reg imports into a fresh hive (hivexregedit)
 * giving the original keys. */
START_TEST (test_journal_contents)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *software = fx_hive_path (root, "SOFTWARE");
  g_autofree char *original = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *id = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *reg = NULL, *copy = NULL, *manifest = NULL, *mirror = NULL;
  g_autofree char *raw = NULL;
  gsize len = 0;
  g_autoptr (MendFixture) fresh = mend_fixture_new_bare ();
  g_autofree char *fresh_hive = fx_hive_path (mend_fixture_get_root (fresh), "SOFTWARE");
  g_autofree char *utf8 = NULL;
  g_autofree char *utf8_path = NULL;
  g_autofree char *cmd = NULL;
  int status = 0;

  {
    g_autofree char *copy_sha = NULL;

    original = fx_sha256 (software);
    image = mend_fixture_open_image (fx);
    id = apply_one (image, "reset-mslicensing", NULL, &error);
    ck_assert_msg (id != NULL, "%s", error ? error->message : "");
    folder = g_build_filename (root, "ProgramData", "RDPMend", "journal", id, NULL);
    reg = g_build_filename (folder, "backup-SOFTWARE.reg", NULL);
    copy = g_build_filename (folder, "SOFTWARE.before", NULL);
    manifest = g_build_filename (folder, "manifest.json", NULL);
    copy_sha = fx_sha256 (copy);
    ck_assert_str_eq (copy_sha, original);
  }
  ck_assert (g_file_get_contents (manifest, &raw, NULL, NULL));
  ck_assert_ptr_nonnull (strstr (raw, "\"state\" : \"applied\""));
  ck_assert_ptr_nonnull (strstr (raw, "\"kind\" : \"delete-tree\""));
  ck_assert_ptr_nonnull (strstr (raw, original));
  ck_assert_ptr_nonnull (strstr (raw, "\"sequence1_after\""));
  g_clear_pointer (&raw, g_free);

  entries = mend_journal_list (image, &error);
  ck_assert_uint_eq (entries->len, 1);
  ck_assert_str_eq (((MendJournalEntry *) entries->pdata[0])->id, id);
  ck_assert_str_eq (((MendJournalEntry *) entries->pdata[0])->state, "applied");
  ck_assert_str_eq (((MendJournalEntry *) entries->pdata[0])->fix_ids[0], "reset-mslicensing");

  /* The copy under the user's data folder (XDG_DATA_HOME is a temp dir in this test). */
  mirror = g_build_filename (g_get_user_data_dir (), "rdpmend", "journal", NULL);
  ck_assert (g_file_test (mirror, G_FILE_TEST_IS_DIR));

  /* regedit's format: UTF-16LE with BOM. */
  ck_assert (g_file_get_contents (reg, &raw, &len, NULL));
  ck_assert ((guint8) raw[0] == 0xFF && (guint8) raw[1] == 0xFE);
  utf8 = g_convert (raw + 2, (gssize) len - 2, "UTF-8", "UTF-16LE", NULL, NULL, &error);
  ck_assert_ptr_nonnull (utf8);
  ck_assert (g_str_has_prefix (utf8, "Windows Registry Editor Version 5.00\r\n"));
  ck_assert_ptr_nonnull (strstr (utf8, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSLicensing\\Store\\LICENSE000]"));

  /* An independent importer takes it into a fresh hive and gets the original tree back. */
  utf8_path = g_build_filename (mend_fixture_get_root (fresh), "backup.reg", NULL);
  ck_assert (g_file_set_contents (utf8_path, utf8, -1, NULL));
  cmd = g_strdup_printf ("hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\\SOFTWARE' '%s' '%s'",
                         fresh_hive, utf8_path);
  ck_assert (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "hivexregedit --merge failed");
  {
    const char *argv_orig[] = { "reglookup", "-p", "/Microsoft/MSLicensing", "-H", copy, NULL };
    const char *argv_new[] = { "reglookup", "-p", "/Microsoft/MSLicensing", "-H", fresh_hive, NULL };
    g_autofree char *a = fx_run (argv_orig, NULL);
    g_autofree char *b = fx_run (argv_new, NULL);
    g_auto (GStrv) la = g_strsplit (a, "\n", -1);
    g_auto (GStrv) lb = g_strsplit (b, "\n", -1);

    ck_assert_uint_eq (g_strv_length (la), g_strv_length (lb));
    ck_assert_uint_ge (g_strv_length (la), 5);
    for (guint i = 0; la[i] != NULL; i++)
      {
        /* Same path, type and data; key times differ in a fresh hive. */
        char *ca = strrchr (la[i], ','), *cb = strrchr (lb[i], ',');

        if (ca != NULL)
          *ca = '\0';
        if (cb != NULL)
          *cb = '\0';
        ck_assert_str_eq (la[i], lb[i]);
      }
  }
}
END_TEST

/* ProgramData is found whatever its case on the NTFS volume; no second folder appears. */
START_TEST (test_journal_programdata_case)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *upper = g_build_filename (root, "PROGRAMDATA", NULL);
  g_autofree char *mixed = g_build_filename (root, "ProgramData", NULL);
  g_autofree char *journal = g_build_filename (upper, "RDPMend", "journal", NULL);
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  break_rdp (fx);
  mend_fixture_commit (fx);
  if (g_file_test (mixed, G_FILE_TEST_IS_DIR))
    ck_assert_int_eq (g_rename (mixed, upper), 0);
  else
    ck_assert_int_eq (g_mkdir (upper, 0755), 0);
  image = mend_fixture_open_image (fx);
  id = apply_one (image, "enable-rdp", NULL, &error);
  ck_assert_msg (id != NULL, "%s", error ? error->message : "");
  ck_assert (g_file_test (journal, G_FILE_TEST_IS_DIR));
  ck_assert (!g_file_test (mixed, G_FILE_TEST_EXISTS));
}
END_TEST

/* Windows ran and left its logs: even a forced undo refuses to write, and says so. */
START_TEST (test_undo_dirty_refused)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *sha = NULL, *sha_after = NULL;
  g_autoptr (MendImage) image = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *id = NULL;

  break_rdp (fx);
  mend_fixture_commit (fx);
  image = mend_fixture_open_image (fx);
  id = apply_one (image, "enable-rdp", NULL, &error);
  ck_assert_ptr_nonnull (id);
  mend_fixture_set_dword (fx, TS, "WindowsWasHere", 1);
  mend_fixture_commit (fx);
  fx_make_dirty (system);
  sha = fx_sha256 (system);
  mend_image_reload (image);

  ck_assert (!mend_journal_undo (image, NULL, FALSE, NULL, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_CHANGED_SINCE));
  g_clear_error (&error);
  ck_assert (!mend_journal_undo (image, NULL, TRUE, NULL, &error));
  ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY), "%s", error->message);
  sha_after = fx_sha256 (system);
  ck_assert_str_eq (sha_after, sha);
  entries = mend_journal_list (image, NULL);
  ck_assert_str_eq (((MendJournalEntry *) entries->pdata[0])->state, "applied");
}
END_TEST

static Suite *
plan_suite (void)
{
  Suite *s = suite_create ("plan");
  TCase *tc = tcase_create ("fixes");
  TCase *engine = tcase_create ("engine");

  tcase_set_timeout (tc, 120);
  tcase_set_timeout (engine, 120);
  tcase_add_loop_test (tc, test_fix_cycle, 0, G_N_ELEMENTS (scenarios));
  tcase_add_test (tc, test_every_fix_listed);
  tcase_add_test (tc, test_rebind_choice);
  tcase_add_test (tc, test_rebind_none_usable);
  tcase_add_test (tc, test_credssp_values);
  tcase_add_test (tc, test_update_catalog);
  tcase_add_test (tc, test_plan_errors);
  tcase_add_test (engine, test_refuse_dirty);
  tcase_add_test (engine, test_refuse_precondition);
  tcase_add_test (engine, test_fail_at_each_step);
  tcase_add_test (engine, test_undo_refusals);
  tcase_add_test (engine, test_undo_changed_since_and_forced);
  tcase_add_test (engine, test_journal_contents);
  tcase_add_test (engine, test_journal_programdata_case);
  tcase_add_test (engine, test_undo_dirty_refused);
  suite_add_tcase (s, tc);
  suite_add_tcase (s, engine);
  return s;
}

int
main (void)
{
  g_autofree char *data_home = NULL;
  SRunner *sr;
  int failed;

  if (!fx_have_tools ())
    return 77;
  /* Journal copies go to the user's data folder: keep them out of the real one. */
  data_home = g_dir_make_tmp ("rdpmend-test-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  sr = srunner_create (plan_suite ());
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  mend_fixture_rm_rf (data_home);
  return failed == 0 ? 0 : 1;
}
