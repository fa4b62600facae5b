/* test-root.c — the one way to open files inside an image: links, FIFOs, devices, "..",
 * sizes, case-insensitive names, on real folders of the test's own. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"
#include "base/mend-root.h"
#include "mend-fixture.h"
#include "mend-fixture-run.h"

static char *top;       /* a scratch folder: image/ and outside/ */
static char *image;
static char *outside;

static void
write_file (const char *dir, const char *rel, const char *text)
{
  g_autofree char *p = g_build_filename (dir, rel, NULL);
  g_autofree char *d = g_path_get_dirname (p);

  g_mkdir_with_parents (d, 0755);
  ck_assert (g_file_set_contents (p, text, -1, NULL));
}

static void
setup (void)
{
  top = g_dir_make_tmp ("mend-root-XXXXXX", NULL);
  ck_assert_ptr_nonnull (top);
  image = g_build_filename (top, "image", NULL);
  outside = g_build_filename (top, "outside", NULL);
  write_file (image, "Windows/System32/config/SYSTEM", "regf");
  write_file (outside, "secret.conf", "outside the image");
}

static void
teardown (void)
{
  mend_fixture_rm_rf (top);
  g_clear_pointer (&top, g_free);
  g_clear_pointer (&image, g_free);
  g_clear_pointer (&outside, g_free);
}

static void
link_in_image (const char *target, const char *rel)
{
  g_autofree char *p = g_build_filename (image, rel, NULL);
  g_autofree char *d = g_path_get_dirname (p);

  g_mkdir_with_parents (d, 0755);
  ck_assert_int_eq (symlink (target, p), 0);
}

START_TEST (test_case_insensitive)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *rel = mend_root_resolve (root, "windows\\SYSTEM32/Config/system", &error);
  g_autoptr (GBytes) data = NULL;

  ck_assert_ptr_nonnull (root);
  ck_assert_str_eq (rel, "Windows/System32/config/SYSTEM");
  data = mend_root_read_file (root, "WINDOWS/system32/CONFIG/System", MEND_FILE_HIVE, &error);
  ck_assert_ptr_nonnull (data);
  ck_assert_int_eq (g_bytes_get_size (data), 4);
}
END_TEST

START_TEST (test_dotdot_refused)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;

  ck_assert_int_lt (mend_root_open_file (root, "../outside/secret.conf", MEND_FILE_SMALL,
                                         NULL, &error), 0);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  g_clear_error (&error);
  ck_assert_int_lt (mend_root_make_dirs (root, "ProgramData/../../outside/x", &error), 0);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
}
END_TEST

START_TEST (test_folder_link_refused)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *made = g_build_filename (outside, "RDPMend", NULL);

  link_in_image (outside, "ProgramData");
  ck_assert_int_lt (mend_root_open_file (root, "ProgramData/secret.conf", MEND_FILE_SMALL,
                                         NULL, &error), 0);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  ck_assert_ptr_nonnull (strstr (error->message, "symbolic link"));
  g_clear_error (&error);
  /* Creating folders through the link must not create anything outside. */
  ck_assert_int_lt (mend_root_make_dirs (root, "ProgramData/RDPMend/journal", &error), 0);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  ck_assert (!g_file_test (made, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  ck_assert_ptr_null (mend_root_list_dir (root, "programdata", &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
}
END_TEST

START_TEST (test_file_link_refused)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *target = g_build_filename (outside, "secret.conf", NULL);

  link_in_image (target, "Windows/System32/config/SOFTWARE");
  link_in_image ("/dev/zero", "Windows/System32/config/SYSTEM.LOG2");
  ck_assert_ptr_null (mend_root_read_file (root, "Windows/System32/config/SOFTWARE",
                                           MEND_FILE_HIVE, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  g_clear_error (&error);
  ck_assert_ptr_null (mend_root_read_file (root, "Windows/System32/config/SYSTEM.LOG2",
                                           MEND_FILE_HIVE_LOG, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
}
END_TEST

START_TEST (test_fifo_and_device_refused_at_once)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *fifo = g_build_filename (image, "Windows/System32/config/SOFTWARE", NULL);
  gint64 start = g_get_monotonic_time ();

  ck_assert_int_eq (mkfifo (fifo, 0644), 0);
  /* No writer: a blocking open would hang here forever. */
  ck_assert_ptr_null (mend_root_read_file (root, "Windows/System32/config/SOFTWARE",
                                           MEND_FILE_HIVE, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  ck_assert_ptr_nonnull (strstr (error->message, "FIFO"));
  ck_assert_int_lt (g_get_monotonic_time () - start, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
  ck_assert_ptr_null (mend_file_read_checked (fifo, MEND_FILE_RDP, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  g_clear_error (&error);
  ck_assert_ptr_null (mend_file_read_checked ("/dev/zero", MEND_FILE_RDP, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  ck_assert_ptr_nonnull (strstr (error->message, "device"));
}
END_TEST

START_TEST (test_size_checked_before_reading)
{
  g_autofree char *path = g_build_filename (image, "big.rdp", NULL);
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  /* A sparse file one byte over the limit: refused from fstat, nothing is read. */
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (ftruncate (fd, (off_t) mend_file_kind_max_size (MEND_FILE_RDP) + 1), 0);
  close (fd);
  ck_assert_ptr_null (mend_root_read_file (root, "big.rdp", MEND_FILE_RDP, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  g_clear_error (&error);
  ck_assert_ptr_null (mend_file_read_checked (path, MEND_FILE_RDP, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE));
  /* At the limit it is read. */
  fd = open (path, O_WRONLY | O_TRUNC);
  ck_assert_int_eq (ftruncate (fd, (off_t) mend_file_kind_max_size (MEND_FILE_RDP)), 0);
  close (fd);
  g_autoptr (GBytes) b = mend_file_read_checked (path, MEND_FILE_RDP, NULL);
  ck_assert_ptr_nonnull (b);
  ck_assert_uint_eq (g_bytes_get_size (b), mend_file_kind_max_size (MEND_FILE_RDP));
}
END_TEST

START_TEST (test_make_dirs_and_list)
{
  g_autoptr (MendRoot) root = mend_root_open (image, NULL);
  g_autoptr (GError) error = NULL;
  int fd = mend_root_make_dirs (root, "ProgramData/RDPMend/journal", &error);
  g_auto (GStrv) names = NULL;
  struct stat st;

  ck_assert_int_ge (fd, 0);
  close (fd);
  ck_assert (mend_root_lookup (root, "programdata/rdpmend/JOURNAL", &st));
  ck_assert (S_ISDIR (st.st_mode));
  names = mend_root_list_dir (root, "Windows/System32/config", &error);
  ck_assert_ptr_nonnull (names);
  ck_assert_uint_eq (g_strv_length (names), 1);
  ck_assert_str_eq (names[0], "SYSTEM");
  ck_assert (!mend_root_lookup (root, "Windows/nothing", NULL));
}
END_TEST

static Suite *
root_suite (void)
{
  Suite *s = suite_create ("root");
  TCase *tc = tcase_create ("root");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_case_insensitive);
  tcase_add_test (tc, test_dotdot_refused);
  tcase_add_test (tc, test_folder_link_refused);
  tcase_add_test (tc, test_file_link_refused);
  tcase_add_test (tc, test_fifo_and_device_refused_at_once);
  tcase_add_test (tc, test_size_checked_before_reading);
  tcase_add_test (tc, test_make_dirs_and_list);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return mend_fixture_run_suite (root_suite ());
}
