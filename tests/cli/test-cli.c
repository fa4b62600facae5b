/* test-cli.c — rdpmend-cli diagnose as scripts use it: exit codes, JSON schema 1, discovery. */
#include "mend-fixture.h"
#include "mend-fixture-run.h"
#include "checks/mend-check.h"
#include "base/mend-error.h"
#include "target/mend-image.h"

#include <check.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static JsonObject *
parse (JsonParser *p, const char *text)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (json_parser_load_from_data (p, text, -1, &error), "bad JSON: %s", error ? error->message : "");
  return json_node_get_object (json_parser_get_root (p));
}

START_TEST (test_exit_codes)
{
  MendFixture *healthy = mend_fixture_new ();
  const char *a1[] = { "diagnose", "--image", mend_fixture_get_root (healthy), NULL };
  g_autofree char *o1 = NULL;
  ck_assert_int_eq (mend_fixture_run_cli (a1, &o1, NULL), 0);
  ck_assert (strstr (o1, "0 problems") != NULL);

  MendFixture *broken = mend_fixture_new ();
  mend_fixture_set_dword (broken, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
                          "fDenyTSConnections", 1);
  mend_fixture_commit (broken);
  const char *a2[] = { "diagnose", "--image", mend_fixture_get_root (broken), NULL };
  g_autofree char *o2 = NULL;
  ck_assert_int_eq (mend_fixture_run_cli (a2, &o2, NULL), 1);
  /* Problems come first, with the evidence and the fix named. */
  const char *first = strstr (o2, "✗");
  const char *ok = strstr (o2, "✓");
  ck_assert (first && ok && first < ok);
  ck_assert (strstr (o2, "ControlSet001\\Control\\Terminal Server → fDenyTSConnections = 1") != NULL);
  ck_assert (strstr (o2, "Fix: enable-rdp") != NULL);

  /* With --role client, a switched-off host is not a problem: exit 0. */
  const char *a3[] = { "diagnose", "--role", "client", "--image", mend_fixture_get_root (broken), NULL };
  g_autofree char *o3 = NULL;
  ck_assert_int_eq (mend_fixture_run_cli (a3, &o3, NULL), 0);

  /* Not Windows: exit 3 with a message saying what to do. */
  g_autofree char *empty = g_dir_make_tmp ("rdpmend-notwin-XXXXXX", NULL);
  const char *a4[] = { "diagnose", "--image", empty, NULL };
  g_autofree char *e4 = NULL;
  ck_assert_int_eq (mend_fixture_run_cli (a4, NULL, &e4), 3);
  ck_assert (strstr (e4, "no Windows installation") != NULL);

  /* Usage errors: exit 2. */
  const char *a5[] = { "diagnose", "--role", "sideways", "--image", empty, NULL };
  ck_assert_int_eq (mend_fixture_run_cli (a5, NULL, NULL), 2);
  const char *a6[] = { "diagnose", NULL };
  ck_assert_int_eq (mend_fixture_run_cli (a6, NULL, NULL), 2);
  const char *a7[] = { "frobnicate", NULL };
  ck_assert_int_eq (mend_fixture_run_cli (a7, NULL, NULL), 2);
  const char *a8[] = { "diagnose", "--error", "0xZZZ", "--image", mend_fixture_get_root (healthy), NULL };
  ck_assert_int_eq (mend_fixture_run_cli (a8, NULL, NULL), 2);

  mend_fixture_rm_rf (empty);
  mend_fixture_free (healthy);
  mend_fixture_free (broken);
}
END_TEST

START_TEST (test_json_schema)
{
  MendFixture *fx = mend_fixture_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  MendFixtureCertSpec spec = { .common_name = "srv", .not_before = now - 100 * 86400, .not_after = now - 86400 };
  g_autofree char *thumb = mend_fixture_add_certificate (fx, "MY", &spec);
  mend_fixture_bind_certificate (fx, thumb);
  mend_fixture_commit (fx);
  const char *args[] = { "diagnose", "--image", mend_fixture_get_root (fx), "--json", "--error", "2308/7", NULL };
  g_autofree char *out = NULL;
  ck_assert_int_eq (mend_fixture_run_cli (args, &out, NULL), 1);
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *root = parse (p, out);
  ck_assert_int_eq (json_object_get_int_member (root, "schema"), 1);
  ck_assert_str_eq (json_object_get_string_member (json_object_get_object_member (root, "tool"), "name"), "rdpmend");
  JsonArray *targets = json_object_get_array_member (root, "targets");
  JsonObject *t0 = json_array_get_object_element (targets, 0);
  ck_assert_str_eq (json_object_get_string_member (t0, "kind"), "image");
  ck_assert_str_eq (json_object_get_string_member (root, "error"), "0x904/0x7");

  JsonObject *sys = json_object_get_object_member (root, "system");
  ck_assert_str_eq (json_object_get_string_member (sys, "product"), "Windows 10 Pro");
  ck_assert_int_eq (json_object_get_int_member (sys, "build"), 19045);
  ck_assert_int_eq (json_object_get_int_member (sys, "ubr"), 3803);
  ck_assert_str_eq (json_object_get_string_member (sys, "display_version"), "22H2");
  ck_assert_str_eq (json_object_get_string_member (sys, "edition"), "Professional");
  ck_assert_str_eq (json_object_get_string_member (sys, "installation_type"), "Client");

  JsonArray *fs = json_object_get_array_member (root, "findings");
  gboolean found = FALSE;
  const char *prev = "problem";
  static const char *const order[] = { "problem", "warning", "info", "ok" };
  guint prev_rank = 0;
  for (guint i = 0; i < json_array_get_length (fs); i++)
    {
      JsonObject *f = json_array_get_object_element (fs, i);
      const char *sev = json_object_get_string_member (f, "severity");
      guint rank = 0;
      while (rank < 4 && !g_str_equal (order[rank], sev))
        rank++;
      ck_assert_msg (rank < 4, "unknown severity %s", sev);
      ck_assert_msg (rank >= prev_rank, "%s after %s", sev, prev);
      prev_rank = rank;
      prev = sev;
      ck_assert (json_object_has_member (f, "id") && json_object_has_member (f, "confidence") &&
                 json_object_has_member (f, "target") && json_object_has_member (f, "evidence") &&
                 json_object_has_member (f, "fixes") && json_object_has_member (f, "title"));
      g_autofree char *target = g_strconcat ("image:", mend_fixture_get_root (fx), NULL);
      ck_assert_str_eq (json_object_get_string_member (f, "target"), target);
      if (g_str_equal (json_object_get_string_member (f, "id"), "server.certificate-expired") &&
          g_str_equal (sev, "problem"))
        {
          found = TRUE;
          JsonArray *fixes = json_object_get_array_member (f, "fixes");
          ck_assert_str_eq (json_array_get_string_element (fixes, 0), "rebind-certificate");
          JsonObject *cert = json_object_get_object_member (f, "certificate");
          ck_assert_str_eq (json_object_get_string_member (cert, "sha1"), thumb);
        }
    }
  ck_assert (found);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_discover_from_mountinfo)
{
  MendFixture *a = mend_fixture_new ();
  MendFixture *b = mend_fixture_new ();
  g_autofree char *notwin = g_dir_make_tmp ("rdpmend-plain-XXXXXX", NULL);
  /* Mount points with a space are escaped as \040 in mountinfo. */
  g_autofree char *spaced = g_build_filename (notwin, "Windows Disk", NULL);
  g_autofree char *cmd = g_strdup_printf ("cp -a '%s' '%s'", mend_fixture_get_root (b), spaced);
  ck_assert (system (cmd) == 0);
  g_auto (GStrv) parts = g_strsplit (spaced, " ", -1);
  g_autofree char *escaped = g_strjoinv ("\\040", parts);
  g_autofree char *info = g_strdup_printf (
    "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
    "40 1 8:1 / %s rw,relatime - ntfs3 /dev/sda1 rw\n"
    "41 1 8:2 / %s ro,relatime shared:5 - fuseblk /dev/sda2 ro\n"
    "42 1 8:3 / %s rw - ext4 /dev/sda3 rw\n"
    "garbage line\n",
    mend_fixture_get_root (a), escaped, notwin);
  g_autofree char *mi = g_build_filename (notwin, "mountinfo", NULL);
  ck_assert (g_file_set_contents (mi, info, -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = mend_image_discover (mi, &error);
  ck_assert_uint_eq (found->len, 2);
  ck_assert_str_eq (found->pdata[0], mend_fixture_get_root (a));
  ck_assert_str_eq (found->pdata[1], spaced);
  mend_fixture_rm_rf (notwin);
  mend_fixture_free (a);
  mend_fixture_free (b);
}
END_TEST

START_TEST (test_mixed_case_paths)
{
  MendFixture *fx = mend_fixture_new ();
  g_autofree char *from = g_build_filename (mend_fixture_get_root (fx), "Windows", NULL);
  g_autofree char *to = g_build_filename (mend_fixture_get_root (fx), "WINDOWS", NULL);
  ck_assert (rename (from, to) == 0);
  g_autofree char *c1 = g_build_filename (to, "System32", NULL);
  g_autofree char *c2 = g_build_filename (to, "system32", NULL);
  ck_assert (rename (c1, c2) == 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (MendImage) image = mend_image_open (mend_fixture_get_root (fx), &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  g_autofree char *mstsc = mend_image_find_path (image, "Windows/System32/MSTSC.EXE");
  ck_assert (mstsc != NULL && g_str_has_suffix (mstsc, "WINDOWS/system32/mstsc.exe"));
  mend_fixture_free (fx);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli");
  TCase *tc = tcase_create ("diagnose");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_exit_codes);
  tcase_add_test (tc, test_json_schema);
  tcase_add_test (tc, test_discover_from_mountinfo);
  tcase_add_test (tc, test_mixed_case_paths);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}
