/* test-rdpfile-shared.c — the .rdp parser on a file Remote Desktop Connection wrote itself
 * (../shared/data/rdp/testRdpFileUTF16.rdp); skips when the shared data is absent. */
#include <check.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "base/mend-finding.h"
#include "mend-fixture.h"
#include "formats/mend-rdpfile.h"

static char *path;

static MendFinding *
find (GPtrArray *findings, const char *id)
{
  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), id))
      return g_ptr_array_index (findings, i);
  return NULL;
}

START_TEST (test_parse_real_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendRdpFile) f = mend_rdpfile_load (path, MEND_RDPFILE_PARSE_NONE, &error);
  g_autofree char *raw = NULL;
  gsize raw_len = 0;
  g_autofree char *host = NULL;
  guint port = 0;
  gint64 v = 0;
  guint crlfs = 0;

  ck_assert_msg (f != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (mend_rdpfile_get_encoding (f), "UTF-16LE");
  ck_assert (mend_rdpfile_has_bom (f));
  ck_assert (mend_rdpfile_uses_crlf (f));
  /* One setting per CRLF-terminated line, counted on the raw UTF-16 bytes. */
  ck_assert (g_file_get_contents (path, &raw, &raw_len, NULL));
  for (gsize i = 2; i + 3 < raw_len; i += 2)
    crlfs += raw[i] == '\r' && raw[i + 1] == 0 && raw[i + 2] == '\n' && raw[i + 3] == 0;
  ck_assert_uint_eq (mend_rdpfile_get_settings (f)->len, crlfs);
  ck_assert_uint_eq (mend_rdpfile_get_problems (f)->len, 0);
  ck_assert (mend_rdpfile_get_address (f, &host, &port, NULL));
  ck_assert_str_eq (host, "LAB1-W7-DM-01.lab1.awake.local");
  ck_assert_uint_eq (port, 3389);
  ck_assert_str_eq (mend_rdpfile_get_string (f, "username"), "LAB1\\JohnDoe");
  ck_assert (mend_rdpfile_get_integer (f, "authentication level", &v));
  ck_assert_int_eq (v, 2);
  ck_assert (mend_rdpfile_get_integer (f, "Screen Mode ID", &v));
  ck_assert_int_eq (v, 2);
  ck_assert_str_eq (mend_rdpfile_get_string (f, "gatewayhostname"), "LAB1-W2K8R2-GW.lab1.awake.local");
}
END_TEST

START_TEST (test_diagnose_real_file)
{
  g_autoptr(GPtrArray) findings = mend_rdpfile_diagnose (path, NULL);
  g_autofree char *target = g_strconcat ("rdpfile:", path, NULL);
  MendFinding *gw = find (findings, "rdpfile.gateway");
  MendFinding *sum = find (findings, "rdpfile.summary");

  ck_assert_ptr_null (find (findings, "rdpfile.invalid"));
  ck_assert_ptr_nonnull (gw);
  ck_assert_int_eq (mend_finding_get_severity (gw), MEND_SEVERITY_INFO);
  ck_assert_str_eq (mend_finding_get_target (gw), target);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (gw), "LAB1-W2K8R2-GW.lab1.awake.local"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (gw), "always use the gateway"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (gw), "ask for a password"));
  ck_assert_int_eq (json_object_get_int_member (mend_finding_get_extra (gw), "gateway_usage_method"), 1);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (sum), "LAB1-W7-DM-01.lab1.awake.local, port 3389"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (sum), "authentication level is 2"));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("rdpfile-shared");
  TCase *tc = tcase_create ("real");
  SRunner *sr;
  int failed;

  path = mend_fixture_shared_data ("rdp/testRdpFileUTF16.rdp");
  if (path == NULL)
    {
      g_printerr ("SKIP: ../shared/data/rdp/testRdpFileUTF16.rdp is absent (set MEND_SHARED_DATA)\n");
      return 77;
    }
  tcase_add_test (tc, test_parse_real_file);
  tcase_add_test (tc, test_diagnose_real_file);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  g_free (path);
  return failed == 0 ? 0 : 1;
}
