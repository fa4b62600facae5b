/* test-registry.c — registry values, the hive seam, atomic commits, empty-hive creation. */
#include "mend-fixture.h"
#include "mend-fixture-run.h"
#include "base/mend-error.h"
#include "registry/mend-hive.h"
#include "registry/mend-hive-log.h"

#include <check.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

START_TEST (test_value_decoding)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MendRegValue) dw = mend_reg_value_new_dword ("x", 0xdeadbeef);
  guint32 out = 0;
  ck_assert (mend_reg_value_get_dword (dw, &out, &error));
  ck_assert_uint_eq (out, 0xdeadbeef);
  g_autofree char *disp = mend_reg_value_to_display (dw);
  ck_assert_str_eq (disp, "3735928559 (0xdeadbeef)");

  g_autoptr (MendRegValue) s = mend_reg_value_new_string ("s", MEND_REG_EXPAND_SZ, "Grüße %SystemRoot%");
  g_autofree char *str = mend_reg_value_get_string (s, &error);
  ck_assert_str_eq (str, "Grüße %SystemRoot%");
  ck_assert (!mend_reg_value_get_dword (s, &out, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_WRONG_TYPE));
  g_clear_error (&error);

  const char *parts[] = { "a", "bc", "", NULL };
  g_autoptr (MendRegValue) m = mend_reg_value_new_multi_sz ("m", parts);
  g_auto (GStrv) back = mend_reg_value_get_multi_sz (m, &error);
  /* An empty string ends a REG_MULTI_SZ list, as in Windows. */
  ck_assert_uint_eq (g_strv_length (back), 2);
  ck_assert_str_eq (back[1], "bc");

  g_autoptr (MendRegValue) q = mend_reg_value_new_qword ("q", G_GUINT64_CONSTANT (0x0102030405060708));
  guint64 q64;
  ck_assert (mend_reg_value_get_qword (q, &q64, NULL));
  ck_assert (q64 == G_GUINT64_CONSTANT (0x0102030405060708));

  /* A DWORD of the wrong size is refused, not misread. */
  const guint8 three[] = { 1, 2, 3 };
  g_autoptr (GBytes) b = g_bytes_new (three, 3);
  g_autoptr (MendRegValue) bad = mend_reg_value_new ("bad", MEND_REG_DWORD, b);
  ck_assert (!mend_reg_value_get_dword (bad, &out, NULL));

  /* UTF-16 surrogate pairs and lone surrogates. */
  const guint8 u16[] = { 0x3d, 0xd8, 0x00, 0xde, 0x41, 0x00, 0x00, 0xd8, 0x42, 0x00 };
  g_autofree char *u8 = mend_utf16le_to_utf8 (u16, sizeof u16);
  ck_assert_str_eq (u8, "😀A\xef\xbf\xbd" "B");
}
END_TEST

START_TEST (test_empty_hive_is_readable_elsewhere)
{
  g_autofree char *dir = g_dir_make_tmp ("rdpmend-hive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "h", NULL);
  g_autoptr (GError) error = NULL;
  ck_assert (mend_hive_create_empty (path, "ROOT", &error));
  guint32 s1, s2;
  ck_assert (mend_hive_read_header (path, &s1, &s2, &error));
  ck_assert_uint_eq (s1, s2);
  g_autoptr (MendHive) hive = mend_hive_open (path, MEND_HIVE_OPEN_WRITE, &error);
  ck_assert_msg (hive != NULL, "%s", error ? error->message : "");
  ck_assert (!mend_hive_is_dirty (hive));
  hive_h *h = mend_hive_get_handle (hive);
  ck_assert (hivex_node_add_child (h, hivex_root (h), "Child") != 0);
  mend_hive_mark_changed (hive);
  ck_assert (mend_hive_commit (hive, &error));

  /* An independent reader sees the key. */
  g_autofree char *cmd = g_strdup_printf ("hivexregedit --export '%s' '\\'", path);
  g_autofree char *out = NULL;
  int status;
  if (g_spawn_command_line_sync (cmd, &out, NULL, &status, NULL) && status == 0)
    ck_assert_ptr_nonnull (strstr (out, "[\\Child]"));
  mend_fixture_rm_rf (dir);
}
END_TEST

START_TEST (test_seam_read_write_commit)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr (MendImage) image = mend_fixture_open_image (fx);
  MendRegistry *reg = mend_image_get_registry (image);
  g_autoptr (GError) error = NULL;
  guint32 v;

  /* Case-insensitive paths and names; CurrentControlSet resolves through Select. */
  ck_assert (mend_registry_get_dword (reg, "hklm\\system\\currentcontrolset\\control\\TERMINAL SERVER",
                                      "fdenytsconnections", &v, &error));
  ck_assert_uint_eq (v, 0);
  g_autofree char *resolved = mend_registry_resolve (reg, "HKLM\\SYSTEM\\CurrentControlSet\\Control");
  ck_assert_str_eq (resolved, "HKLM\\SYSTEM\\ControlSet001\\Control");

  /* Missing value and missing key are NOT_FOUND, unknown roots INVALID_ARGUMENT. */
  ck_assert (!mend_registry_get_dword (reg, "HKLM\\SYSTEM\\CurrentControlSet\\Control", "Nope", &v, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!mend_registry_key_exists (reg, "HKLM\\SOFTWARE\\Nope\\Nope", &error));
  ck_assert_ptr_null (error);
  ck_assert (!mend_registry_key_exists (reg, "HKCR\\Foo", &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);

  /* Writes: set, replace, delete value, delete tree; then commit keeps the mode. */
  g_autoptr (MendRegValue) nv = mend_reg_value_new_dword ("NewValue", 42);
  ck_assert (mend_registry_set_value (reg, "HKLM\\SOFTWARE\\RDPMendTest\\Deep", nv, &error));
  g_autoptr (MendRegValue) nv2 = mend_reg_value_new_string ("newvalue", MEND_REG_SZ, "replaced");
  ck_assert (mend_registry_set_value (reg, "HKLM\\SOFTWARE\\RDPMendTest\\Deep", nv2, &error));
  g_autoptr (GPtrArray) vals = mend_registry_list_values (reg, "HKLM\\SOFTWARE\\RDPMendTest\\Deep", &error);
  ck_assert_uint_eq (vals->len, 1);
  ck_assert (!mend_registry_delete_value (reg, "HKLM\\SOFTWARE\\RDPMendTest\\Deep", "absent", &error));
  g_clear_error (&error);
  ck_assert (mend_registry_delete_tree (reg, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing", &error));
  ck_assert (!mend_registry_key_exists (reg, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing", NULL));

  g_autofree char *sw = mend_image_get_hive_path (image, MEND_HIVE_SOFTWARE);
  g_chmod (sw, 0640);
  MendHive *hive = mend_image_get_hive (image, MEND_HIVE_SOFTWARE, &error);
  ck_assert (mend_hive_has_changes (hive));
  ck_assert (mend_hive_commit (hive, &error));
  struct stat st;
  ck_assert (g_stat (sw, &st) == 0);
  ck_assert_uint_eq (st.st_mode & 0777, 0640);

  /* Re-read from disk through a fresh image. */
  g_autoptr (MendImage) again = mend_image_open (mend_fixture_get_root (fx), &error);
  MendRegistry *reg2 = mend_image_get_registry (again);
  g_autofree char *s = mend_registry_get_string (reg2, "HKLM\\SOFTWARE\\RDPMendTest\\Deep", "NEWVALUE", &error);
  ck_assert_str_eq (s, "replaced");
  ck_assert (!mend_registry_key_exists (reg2, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing", NULL));

  /* No temporary files are left beside the hive. */
  g_autofree char *dir = g_path_get_dirname (sw);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)))
    ck_assert_msg (!g_str_has_prefix (name, "."), "left over: %s", name);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_dirty_hive_refuses_commit)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr (MendImage) image = mend_fixture_open_image (fx);
  g_autofree char *sys = mend_image_get_hive_path (image, MEND_HIVE_SYSTEM);
  /* Make the sequence numbers differ, as an interrupted write leaves them. */
  g_autofree char *data = NULL;
  gsize len;
  ck_assert (g_file_get_contents (sys, &data, &len, NULL));
  data[4] += 1;
  mend_hive_update_checksum ((guint8 *) data);
  ck_assert (g_file_set_contents (sys, data, len, NULL));
  g_autofree char *before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) data, len);

  g_autoptr (GError) error = NULL;
  MendHive *hive = mend_image_get_hive (image, MEND_HIVE_SYSTEM, &error);
  ck_assert (hive != NULL);
  ck_assert (mend_hive_is_dirty (hive));
  g_autoptr (MendRegValue) v = mend_reg_value_new_dword ("X", 1);
  ck_assert (mend_registry_set_value (mend_image_get_registry (image), "HKLM\\SYSTEM\\Select", v, &error));
  ck_assert (!mend_hive_commit (hive, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY));
  g_autofree char *after_data = NULL;
  ck_assert (g_file_get_contents (sys, &after_data, &len, NULL));
  g_autofree char *after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) after_data, len);
  ck_assert_str_eq (before, after);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_corrupt_and_missing)
{
  g_autofree char *dir = g_dir_make_tmp ("rdpmend-hive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad", NULL);
  g_autoptr (GError) error = NULL;
  ck_assert (g_file_set_contents (path, "regf but not really a hive", -1, NULL));
  ck_assert (mend_hive_open (path, 0, &error) == NULL);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_CORRUPT));
  g_clear_error (&error);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  ck_assert (mend_hive_open (missing, 0, &error) == NULL);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
  mend_fixture_rm_rf (dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("registry");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_value_decoding);
  tcase_add_test (tc, test_empty_hive_is_readable_elsewhere);
  tcase_add_test (tc, test_seam_read_write_commit);
  tcase_add_test (tc, test_dirty_hive_refuses_commit);
  tcase_add_test (tc, test_corrupt_and_missing);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}
