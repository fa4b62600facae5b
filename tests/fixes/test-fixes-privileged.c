/* test-fixes-privileged.c — refusals that need root to set up: an image on a read-only
 * mount (private mount namespace) and an image the user cannot write (run as nobody).
 * Both must exit 4 with a clear message and leave the hive byte-identical. */
#include <check.h>
#include <unistd.h>
#include "fix-test-util.h"

#define TS "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"

static const char *cli;

static int
run_shell (const char *cmd, char **err)
{
  int status = 0;
  g_autofree char *quoted = g_shell_quote (cmd);
  g_autofree char *shell = g_strconcat ("sh -c ", quoted, NULL);

  ck_assert (g_spawn_command_line_sync (shell, NULL, err, &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static MendFixture *
broken_image (char **sha)
{
  MendFixture *fx = mend_fixture_new ();
  g_autofree char *system = fx_hive_path (mend_fixture_get_root (fx), "SYSTEM");

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_commit (fx);
  *sha = fx_sha256 (system);
  return fx;
}

START_TEST (test_read_only_mount)
{
  g_autofree char *sha0 = NULL, *sha1 = NULL, *err = NULL, *cmd = NULL;
  g_autoptr (MendFixture) fx = broken_image (&sha0);
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *mnt = g_dir_make_tmp ("rdpmend-ro-XXXXXX", NULL);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  int rc;

  /* The bind mount is made private before the namespace exists, so the read-only remount
   * inside stays there; this works in a chroot too, where "/" cannot be made private. */
  cmd = g_strdup_printf ("mount --bind '%s' '%s' && mount --make-private '%s' && "
                         "{ unshare -m --propagation unchanged sh -c \"mount -o remount,ro,bind '%s' && "
                         "'%s' fix enable-rdp --image '%s' --yes\"; rc=$?; umount '%s'; exit $rc; }",
                         root, mnt, mnt, mnt, cli, mnt, mnt);
  rc = run_shell (cmd, &err);
  ck_assert_msg (rc == 4, "exit %d: %s", rc, err);
  ck_assert_ptr_nonnull (strstr (err, "mounted read-only"));
  ck_assert_ptr_nonnull (strstr (err, "Nothing was changed"));
  sha1 = fx_sha256 (system);
  ck_assert_str_eq (sha1, sha0);
  g_rmdir (mnt);
}
END_TEST

START_TEST (test_no_write_permission)
{
  g_autofree char *sha0 = NULL, *sha1 = NULL, *err = NULL, *cmd = NULL;
  g_autoptr (MendFixture) fx = broken_image (&sha0);
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *journal = g_build_filename (root, "ProgramData", "RDPMend", NULL);
  int rc;

  /* Readable for everyone, writable only by root: the image as an ordinary user sees it. */
  g_chmod (root, 0755);
  cmd = g_strdup_printf ("setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp "
                         "'%s' fix enable-rdp --image '%s' --yes", cli, root);
  rc = run_shell (cmd, &err);
  ck_assert_msg (rc == 4, "exit %d: %s", rc, err);
  ck_assert_ptr_nonnull (strstr (err, "cannot be written") != NULL ? strstr (err, "cannot be written")
                                                                   : strstr (err, "cannot write"));
  sha1 = fx_sha256 (system);
  ck_assert_str_eq (sha1, sha0);
  ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("fixes-privileged");
  TCase *tc = tcase_create ("refusals");
  SRunner *sr;
  int failed;
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");

  cli = g_getenv ("MEND_CLI");
  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("SKIP: MEND_CLI does not name the rdpmend-cli binary (run through ctest)\n");
      return 77;
    }
  if (geteuid () != 0 || unshare == NULL || setpriv == NULL
      || system ("unshare -m --propagation unchanged true 2>/dev/null") != 0)
    {
      g_print ("SKIP: needs root with unshare(1) and setpriv(1) (util-linux) to make a read-only "
               "mount and to drop to an unprivileged user\n");
      return 77;
    }
  if (!fx_have_tools ())
    return 77;
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_read_only_mount);
  tcase_add_test (tc, test_no_write_permission);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
