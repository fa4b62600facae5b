/* test-checks.c — every check of CATALOG.md against a healthy and a broken generated image. */
#include "mend-fixture.h"
#include "mend-fixture-run.h"
#include "checks/mend-check.h"
#include "base/mend-error.h"

#include <check.h>
#include <string.h>

#define TS     "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
#define RDPTCP TS "\\WinStations\\RDP-Tcp"
#define POL    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
#define SVC    "HKLM\\SYSTEM\\CurrentControlSet\\Services"
#define SCH    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"
#define CV     "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
#define CREDSSP "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"
#define FWR    SVC "\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules"

static gint64 now;

static GPtrArray *
run (MendFixture *fx, MendRole role)
{
  return mend_fixture_diagnose (fx, role, now);
}

static void
expect (GPtrArray *findings, const char *id, MendSeverity severity)
{
  MendFinding *f = mend_fixture_find (findings, id);
  ck_assert_msg (f != NULL, "finding %s missing", id);
  ck_assert_msg (mend_finding_get_severity (f) == severity, "%s: severity %s, expected %s", id,
                 mend_severity_to_string (mend_finding_get_severity (f)),
                 mend_severity_to_string (severity));
}

static void
expect_fix (GPtrArray *findings, const char *id, const char *fix)
{
  MendFinding *f = mend_fixture_find (findings, id);
  ck_assert (f != NULL);
  ck_assert_msg (g_strv_contains (mend_finding_get_fixes (f), fix), "%s lacks fix %s", id, fix);
}

START_TEST (test_healthy_image_has_no_problem)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  for (guint i = 0; i < f->len; i++)
    {
      MendFinding *x = f->pdata[i];
      ck_assert_msg (mend_finding_get_severity (x) <= MEND_SEVERITY_INFO, "%s is %s: %s",
                     mend_finding_get_id (x), mend_severity_to_string (mend_finding_get_severity (x)),
                     mend_finding_get_title (x));
      ck_assert_msg (!g_str_equal (mend_finding_get_id (x), "check.skipped"), "skipped: %s",
                     mend_finding_get_title (x));
    }
  /* Every check of the catalog sections reports something, even when it passes. */
  const char *ids[] = { "image.hives", "system.identity", "server.rdp-disabled",
                        "server.rdp-disabled-by-policy", "server.listener-disabled",
                        "server.port-nonstandard", "server.service-disabled",
                        "server.servicedll-modified", "server.selfsigned-expired",
                        "server.tls-disabled", "server.security-layer-rdp",
                        "server.security-policy-override", "server.edition-cannot-host",
                        "server.firewall-closed", "client.mslicensing-present",
                        "client.credssp-force-updated", "client.credssp-vulnerable",
                        "client.tls-disabled", "client.files-missing",
                        "client.mstscax-unregistered", "client.history",
                        "servicing.reboot-pending", "servicing.recent-upgrade",
                        "servicing.update-link" };
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ck_assert_msg (mend_fixture_find (f, ids[i]) != NULL, "no %s", ids[i]);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_server_value_rules)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_set_dword (fx, POL, "fDenyTSConnections", 1);
  mend_fixture_set_dword (fx, RDPTCP, "fLogonDisabled", 1);
  mend_fixture_set_dword (fx, RDPTCP, "PortNumber", 3390);
  mend_fixture_set_dword (fx, SVC "\\UmRdpService", "Start", 4);
  mend_fixture_set_dword (fx, RDPTCP, "SecurityLayer", 0);
  mend_fixture_set_dword (fx, POL, "UserAuthentication", 0);
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "server.rdp-disabled", MEND_SEVERITY_PROBLEM);
  expect_fix (f, "server.rdp-disabled", "enable-rdp");
  expect (f, "server.rdp-disabled-by-policy", MEND_SEVERITY_PROBLEM);
  expect (f, "server.listener-disabled", MEND_SEVERITY_PROBLEM);
  expect_fix (f, "server.listener-disabled", "enable-listener");
  expect (f, "server.port-nonstandard", MEND_SEVERITY_INFO);
  expect (f, "server.service-disabled", MEND_SEVERITY_PROBLEM);
  expect_fix (f, "server.service-disabled", "enable-services");
  expect (f, "server.security-layer-rdp", MEND_SEVERITY_WARNING);
  expect_fix (f, "server.security-layer-rdp", "set-security-negotiate");
  expect (f, "server.security-policy-override", MEND_SEVERITY_INFO);

  /* Evidence names the resolved control set and the data. */
  MendFinding *x = mend_fixture_find (f, "server.rdp-disabled");
  MendEvidence *e = g_ptr_array_index (mend_finding_get_evidence (x), 0);
  ck_assert_str_eq (e->path, "HKLM\\SYSTEM\\ControlSet001\\Control\\Terminal Server");
  ck_assert_str_eq (e->value, "fDenyTSConnections");
  ck_assert_str_eq (e->data, "1 (0x00000001)");
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_role_client_demotes_server_findings)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_set_dword (fx, CREDSSP, "AllowEncryptionOracle", 2);
  g_autoptr (GPtrArray) c = run (fx, MEND_ROLE_CLIENT);
  expect (c, "server.rdp-disabled", MEND_SEVERITY_INFO);
  expect (c, "client.credssp-vulnerable", MEND_SEVERITY_WARNING);
  g_autoptr (GPtrArray) s = run (fx, MEND_ROLE_SERVER);
  expect (s, "server.rdp-disabled", MEND_SEVERITY_PROBLEM);
  expect (s, "client.credssp-vulnerable", MEND_SEVERITY_INFO);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_servicedll)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_expand (fx, SVC "\\TermService\\Parameters", "ServiceDll",
                           "%ProgramFiles%\\RDP Wrapper\\rdpwrap.dll");
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "server.servicedll-modified", MEND_SEVERITY_PROBLEM);
  expect_fix (f, "server.servicedll-modified", "restore-servicedll");
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_tls_switches)
{
  MendFixture *fx = mend_fixture_new ();
  /* TLS 1.2 off but TLS 1.3 on: still a common version. */
  mend_fixture_set_dword (fx, SCH "\\TLS 1.2\\Server", "Enabled", 0);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.0\\Server", "Enabled", 0);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.1\\Server", "Enabled", 0);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.3\\Server", "Enabled", 1);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.3\\Server", "DisabledByDefault", 0);
  g_autoptr (GPtrArray) a = run (fx, MEND_ROLE_BOTH);
  expect (a, "server.tls-disabled", MEND_SEVERITY_OK);
  /* …and with TLS 1.3 gone too (build 19045 has it off by default), nothing is left. */
  mend_fixture_delete_tree (fx, SCH "\\TLS 1.3");
  mend_fixture_set_dword (fx, SCH "\\TLS 1.2\\Client", "DisabledByDefault", 1);
  g_autoptr (GPtrArray) b = run (fx, MEND_ROLE_BOTH);
  expect (b, "server.tls-disabled", MEND_SEVERITY_PROBLEM);
  expect_fix (b, "server.tls-disabled", "enable-tls12");
  /* The client still has TLS 1.0/1.1 by default. */
  expect (b, "client.tls-disabled", MEND_SEVERITY_OK);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.0\\Client", "Enabled", 0);
  mend_fixture_set_dword (fx, SCH "\\TLS 1.1\\Client", "Enabled", 0);
  g_autoptr (GPtrArray) c = run (fx, MEND_ROLE_BOTH);
  expect (c, "client.tls-disabled", MEND_SEVERITY_PROBLEM);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_identity_windows11_and_home)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_string (fx, CV, "CurrentBuild", "22631");
  mend_fixture_set_string (fx, CV, "DisplayVersion", "23H2");
  mend_fixture_set_string (fx, CV, "EditionID", "Core");
  mend_fixture_set_string (fx, CV, "ProductName", "Windows 10 Home");
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  MendFinding *id = mend_fixture_find (f, "system.identity");
  ck_assert (strstr (mend_finding_get_title (id), "Windows 11 Home 23H2 (build 22631.3803)") != NULL);
  ck_assert (json_object_get_boolean_member (mend_finding_get_extra (id), "windows11"));
  expect (f, "server.edition-cannot-host", MEND_SEVERITY_INFO);
  MendFinding *link = mend_fixture_find (f, "servicing.update-link");
  ck_assert (strstr (json_object_get_string_member (mend_finding_get_extra (link), "link"),
                     "windows+11+23H2") != NULL);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_windows7_update_link)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_string (fx, CV, "CurrentBuild", "7601");
  mend_fixture_set_string (fx, CV, "ProductName", "Windows 7 Professional");
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  MendFinding *link = mend_fixture_find (f, "servicing.update-link");
  ck_assert_str_eq (json_object_get_string_member (mend_finding_get_extra (link), "link"),
                    "https://www.catalog.update.microsoft.com/Search.aspx?q=KB2923545");
  expect_fix (f, "servicing.update-link", "open-update-catalog");
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_mslicensing)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\Store");
  g_autoptr (GPtrArray) a = run (fx, MEND_ROLE_BOTH);
  expect (a, "client.mslicensing-damaged", MEND_SEVERITY_PROBLEM);
  expect_fix (a, "client.mslicensing-damaged", "reset-mslicensing");
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing");
  g_autoptr (GPtrArray) b = run (fx, MEND_ROLE_BOTH);
  ck_assert (mend_fixture_find (b, "client.mslicensing-damaged") == NULL);
  expect (b, "client.mslicensing-present", MEND_SEVERITY_OK);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_credssp)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_dword (fx, CREDSSP, "AllowEncryptionOracle", 0);
  g_autoptr (GPtrArray) a = run (fx, MEND_ROLE_BOTH);
  expect (a, "client.credssp-force-updated", MEND_SEVERITY_WARNING);
  expect (a, "client.credssp-vulnerable", MEND_SEVERITY_OK);
  expect_fix (a, "client.credssp-force-updated", "set-credssp-mitigated");
  mend_fixture_set_dword (fx, CREDSSP, "AllowEncryptionOracle", 1);
  g_autoptr (GPtrArray) b = run (fx, MEND_ROLE_BOTH);
  expect (b, "client.credssp-force-updated", MEND_SEVERITY_OK);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_client_files_and_com)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_remove_file (fx, "Windows/System32/mstsc.exe");
  mend_fixture_write_file (fx, "Windows/System32/mstscax.dll", "", 0);
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Classes\\CLSID\\{1FB464C8-09BB-4017-A2F5-EB742F04392F}");
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "client.files-missing", MEND_SEVERITY_PROBLEM);
  ck_assert_uint_eq (mend_finding_get_evidence (mend_fixture_find (f, "client.files-missing"))->len, 2);
  expect (f, "client.mstscax-unregistered", MEND_SEVERITY_PROBLEM);
  mend_fixture_free (fx);

  /* A registration naming a file that is not there. */
  MendFixture *fx2 = mend_fixture_new ();
  mend_fixture_set_expand (fx2, "HKLM\\SOFTWARE\\Classes\\CLSID\\{7390F3D8-0439-4C05-91E3-CF5CB290C3D0}\\InprocServer32",
                           "", "%SystemRoot%\\System32\\gone.dll");
  g_autoptr (GPtrArray) g = run (fx2, MEND_ROLE_BOTH);
  expect (g, "client.mstscax-unregistered", MEND_SEVERITY_PROBLEM);
  mend_fixture_free (fx2);
}
END_TEST

START_TEST (test_history)
{
  MendFixture *fx = mend_fixture_new ();
  const guint8 hash[20] = { 0xAB, 1, 2, 3 };
  mend_fixture_set_binary (fx, "HKU\\alice\\Software\\Microsoft\\Terminal Server Client\\Servers\\10.0.0.5",
                           "CertHash", hash, sizeof hash);
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  MendFinding *h = mend_fixture_find (f, "client.history");
  ck_assert_int_eq (mend_finding_get_severity (h), MEND_SEVERITY_INFO);
  JsonArray *hosts = json_object_get_array_member (mend_finding_get_extra (h), "hosts");
  ck_assert_uint_eq (json_array_get_length (hosts), 2);
  ck_assert_str_eq (json_array_get_string_element (hosts, 0), "server01.example.test");
  ck_assert_str_eq (json_array_get_string_element (hosts, 1), "10.0.0.5");
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_firewall)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_set_string (fx, FWR, "RemoteDesktop-UserMode-In-TCP",
                           "v2.30|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=3389|");
  g_autoptr (GPtrArray) a = run (fx, MEND_ROLE_BOTH);
  expect (a, "server.firewall-closed", MEND_SEVERITY_PROBLEM);
  expect_fix (a, "server.firewall-closed", "enable-firewall-rule");
  /* Firewall off everywhere: the rule does not matter. */
  const char *profiles[] = { "DomainProfile", "StandardProfile", "PublicProfile" };
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *p = g_strdup_printf (SVC "\\SharedAccess\\Parameters\\FirewallPolicy\\%s", profiles[i]);
      mend_fixture_set_dword (fx, p, "EnableFirewall", 0);
    }
  g_autoptr (GPtrArray) b = run (fx, MEND_ROLE_BOTH);
  expect (b, "server.firewall-closed", MEND_SEVERITY_OK);
  mend_fixture_free (fx);

  /* A block rule on the listener's port. */
  MendFixture *fx2 = mend_fixture_new ();
  mend_fixture_set_string (fx2, FWR, "{BLOCK-RDP}", "v2.30|Action=Block|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=block rdp|");
  g_autoptr (GPtrArray) c = run (fx2, MEND_ROLE_BOTH);
  expect (c, "server.firewall-closed", MEND_SEVERITY_PROBLEM);
  mend_fixture_free (fx2);
}
END_TEST

START_TEST (test_bound_certificates)
{
  struct {
    const char *name;
    MendFixtureCertSpec spec;
    const char *id;
  } cases[] = {
    { "valid", { .common_name = "srv" }, NULL },
    { "expired", { .common_name = "srv", .not_before = now - 400 * 86400, .not_after = now - 86400 }, "server.certificate-expired" },
    { "not yet valid", { .common_name = "srv", .not_before = now + 86400, .not_after = now + 400 * 86400 }, "server.certificate-expired" },
    { "client auth only", { .common_name = "srv", .ekus = (const char *[]) { "1.3.6.1.5.5.7.3.2", NULL } }, "server.certificate-unusable" },
    { "no key", { .common_name = "srv", .no_key_prov = TRUE }, "server.certificate-unusable" },
    { "key file gone", { .common_name = "srv", .no_key_file = TRUE }, "server.certificate-unusable" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MendFixture *fx = mend_fixture_new ();
      g_autofree char *thumb = mend_fixture_add_certificate (fx, "MY", &cases[i].spec);
      mend_fixture_bind_certificate (fx, thumb);
      g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
      expect (f, "server.certificate-missing", MEND_SEVERITY_OK);
      const char *ids[] = { "server.certificate-expired", "server.certificate-unusable" };
      for (guint k = 0; k < 2; k++)
        {
          MendFinding *x = mend_fixture_find (f, ids[k]);
          ck_assert_msg (x != NULL, "%s: no %s", cases[i].name, ids[k]);
          MendSeverity want = g_strcmp0 (cases[i].id, ids[k]) == 0 ? MEND_SEVERITY_PROBLEM : MEND_SEVERITY_OK;
          ck_assert_msg (mend_finding_get_severity (x) == want, "%s: %s is %s", cases[i].name, ids[k],
                         mend_severity_to_string (mend_finding_get_severity (x)));
          if (want == MEND_SEVERITY_PROBLEM)
            expect_fix (f, ids[k], "rebind-certificate");
        }
      mend_fixture_free (fx);
    }

  MendFixture *fx = mend_fixture_new ();
  mend_fixture_bind_certificate (fx, "00112233445566778899AABBCCDDEEFF00112233");
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "server.certificate-missing", MEND_SEVERITY_PROBLEM);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_selfsigned_expired)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\Remote Desktop");
  MendFixtureCertSpec old = { .common_name = "DESKTOP", .container = "TSSecKeySet1",
                              .not_before = now - 200 * 86400, .not_after = now - 10 * 86400 };
  g_free (mend_fixture_add_certificate (fx, "Remote Desktop", &old));
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "server.selfsigned-expired", MEND_SEVERITY_WARNING);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_servicing)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_create_key (fx, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending");
  const char *ops[] = { "\\??\\C:\\Windows\\a.tmp", "", NULL };
  mend_fixture_set_multi (fx, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager",
                          "PendingFileRenameOperations", ops);
  mend_fixture_set_dword (fx, CV, "InstallDate", (guint32) (now - 5 * 86400));
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "servicing.reboot-pending", MEND_SEVERITY_WARNING);
  ck_assert_uint_eq (mend_finding_get_evidence (mend_fixture_find (f, "servicing.reboot-pending"))->len, 2);
  expect (f, "servicing.recent-upgrade", MEND_SEVERITY_INFO);
  mend_fixture_free (fx);

  MendFixture *fx2 = mend_fixture_new ();
  mend_fixture_write_file (fx2, "Windows.old/Windows/notepad.exe", "x", -1);
  mend_fixture_write_file (fx2, "Windows/WinSxS/pending.xml", "<xml/>", -1);
  g_autoptr (GPtrArray) g = run (fx2, MEND_ROLE_BOTH);
  expect (g, "servicing.recent-upgrade", MEND_SEVERITY_INFO);
  expect (g, "servicing.reboot-pending", MEND_SEVERITY_WARNING);
  mend_fixture_free (fx2);
}
END_TEST

START_TEST (test_corrupt_software_and_missing_hives)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_write_file (fx, "Windows/System32/config/SOFTWARE", "garbage, not a hive", -1);
  g_autoptr (GPtrArray) f = run (fx, MEND_ROLE_BOTH);
  expect (f, "image.hive-corrupt", MEND_SEVERITY_PROBLEM);
  /* Checks that need SOFTWARE say they were not run; SYSTEM checks still work. */
  gboolean skipped = FALSE;
  for (guint i = 0; i < f->len; i++)
    if (g_str_equal (mend_finding_get_id (f->pdata[i]), "check.skipped") &&
        g_str_equal (mend_finding_get_detail (f->pdata[i]), "client.mslicensing"))
      skipped = TRUE;
  ck_assert (skipped);
  expect (f, "server.rdp-disabled", MEND_SEVERITY_OK);
  mend_fixture_free (fx);
}
END_TEST

int
main (void)
{
  now = g_get_real_time () / G_USEC_PER_SEC;
  Suite *s = suite_create ("checks");
  TCase *tc = tcase_create ("catalog");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_healthy_image_has_no_problem);
  tcase_add_test (tc, test_server_value_rules);
  tcase_add_test (tc, test_role_client_demotes_server_findings);
  tcase_add_test (tc, test_servicedll);
  tcase_add_test (tc, test_tls_switches);
  tcase_add_test (tc, test_identity_windows11_and_home);
  tcase_add_test (tc, test_windows7_update_link);
  tcase_add_test (tc, test_mslicensing);
  tcase_add_test (tc, test_credssp);
  tcase_add_test (tc, test_client_files_and_com);
  tcase_add_test (tc, test_history);
  tcase_add_test (tc, test_firewall);
  tcase_add_test (tc, test_bound_certificates);
  tcase_add_test (tc, test_selfsigned_expired);
  tcase_add_test (tc, test_servicing);
  tcase_add_test (tc, test_corrupt_software_and_missing_hives);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}
