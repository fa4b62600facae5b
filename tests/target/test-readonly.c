/* test-readonly.c — an image on a read-only mount: diagnosis works and says so. Needs
 * root (a private mount namespace and a tmpfs); skips (77) with the reason otherwise. */
#define _GNU_SOURCE
#include "mend-fixture.h"
#include "checks/mend-check.h"
#include "base/mend-error.h"

#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

static char *mnt;

START_TEST (test_read_only_mount_is_reported)
{
  MendFixture *fx = mend_fixture_new ();
  g_autofree char *cmd = g_strdup_printf ("cp -a '%s/.' '%s/'", mend_fixture_get_root (fx), mnt);
  ck_assert (system (cmd) == 0);
  ck_assert_msg (mount (NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0, "remount: %s",
                 g_strerror (errno));
  g_autoptr (GError) error = NULL;
  g_autoptr (MendImage) image = mend_image_open (mnt, &error);
  ck_assert (image != NULL);
  g_autofree char *reason = NULL;
  ck_assert (mend_image_is_read_only (image, &reason));
  ck_assert (strstr (reason, "read-only") != NULL);

  MendCheckContext *ctx = mend_check_context_new (MEND_TARGET (image), MEND_ROLE_BOTH, NULL);
  guint n;
  const MendCheck *checks = mend_checks_get_all (&n);
  for (guint i = 0; i < n; i++)
    mend_check_context_run (ctx, &checks[i]);
  GPtrArray *f = mend_check_context_get_findings (ctx);
  MendFinding *ro = mend_fixture_find (f, "image.read-only");
  ck_assert (ro != NULL);
  ck_assert_int_eq (mend_finding_get_severity (ro), MEND_SEVERITY_WARNING);
  /* Everything else is still diagnosed. */
  ck_assert (mend_fixture_find (f, "server.rdp-disabled") != NULL);

  /* A write is refused with READ_ONLY and the file stays as it was. */
  MendHive *hive = mend_image_get_hive (image, MEND_HIVE_SYSTEM, &error);
  g_autoptr (MendRegValue) v = mend_reg_value_new_dword ("fDenyTSConnections", 1);
  ck_assert (mend_registry_set_value (mend_image_get_registry (image),
                                      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server", v, &error));
  ck_assert (!mend_hive_commit (hive, &error));
  ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_READ_ONLY) ||
                 g_error_matches (error, MEND_ERROR, MEND_ERROR_PERMISSION), "%s", error->message);
  mend_check_context_free (ctx);
  mend_fixture_free (fx);
}
END_TEST

/* In the child: a private mount namespace with a tmpfs on MNT, then the suite. */
static int
run_in_namespace (void)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      fprintf (stderr, "SKIP: cannot make a private mount namespace (unshare CLONE_NEWNS): %s\n",
               g_strerror (errno));
      return 77;
    }
  if (mount ("tmpfs", mnt, "tmpfs", 0, "size=64m") != 0)
    {
      fprintf (stderr, "SKIP: cannot mount a tmpfs: %s\n", g_strerror (errno));
      return 77;
    }
  Suite *s = suite_create ("readonly");
  TCase *tc = tcase_create ("mount");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_read_only_mount_is_reported);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_set_fork_status (sr, CK_NOFORK);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}

int
main (void)
{
  int status = 0, rc;
  pid_t pid;

  if (geteuid () != 0)
    {
      fprintf (stderr, "SKIP: mounting a read-only volume needs root\n");
      return 77;
    }
  /* The scratch folder bound onto itself and made private before the namespace exists: the
   * tmpfs mounted on it inside never reaches other namespaces, and this works in a chroot
   * too, where "/" is not a mount point and cannot be made private. */
  mnt = g_dir_make_tmp ("rdpmend-ro-XXXXXX", NULL);
  if (mount (mnt, mnt, NULL, MS_BIND, NULL) != 0 || mount (NULL, mnt, NULL, MS_PRIVATE, NULL) != 0)
    {
      fprintf (stderr, "SKIP: cannot make %s a private mount point: %s\n", mnt, g_strerror (errno));
      g_rmdir (mnt);
      return 77;
    }
  fflush (NULL);
  pid = fork ();
  if (pid == 0)
    _exit (run_in_namespace ());
  rc = pid > 0 && waitpid (pid, &status, 0) == pid && WIFEXITED (status) ? WEXITSTATUS (status) : 1;
  umount2 (mnt, MNT_DETACH);
  g_rmdir (mnt);
  return rc;
}
