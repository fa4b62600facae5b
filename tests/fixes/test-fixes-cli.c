/* test-fixes-cli.c — rdpmend-cli fix/undo/journal as a user runs them: exit codes, prompts,
 * every fix on the real SYSTEM hive (with a generated SOFTWARE), and crash tests: abort at
 * each step, SIGKILL at random moments; each time every hive is old or new, opens, and
 * undo or a re-run recovers. */
#include <check.h>
#include <hivex.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fix-test-util.h"

#define TS     "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
#define RDPTCP TS "\\WinStations\\RDP-Tcp"

static const char *cli;

typedef struct {
  int   status;     /* raw wait status */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* rdpmend-cli ARGS… with ENV additions and STDIN_TEXT (NULL = /dev/null). */
static Run
run_cli (const char * const *env_add, const char *stdin_text, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  g_autoptr (GError) error = NULL;
  Run r = { 0 };
  GPid pid;
  int in_fd = -1, out_fd, err_fd;
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, stdin_text);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  /* The messages asserted below are UTF-8 whatever locale the machine happens to have. */
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; env_add != NULL && env_add[i] != NULL; i += 2)
    env = g_environ_setenv (env, env_add[i], env_add[i + 1], TRUE);

  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, &in_fd, &out_fd, &err_fd, &error))
    ck_abort_msg ("cannot run %s: %s", cli, error->message);
  if (stdin_text != NULL)
    {
      ssize_t n = write (in_fd, stdin_text, strlen (stdin_text));
      (void) n;
    }
  close (in_fd);
  {
    g_autoptr (GIOChannel) o = g_io_channel_unix_new (out_fd);
    g_autoptr (GIOChannel) e = g_io_channel_unix_new (err_fd);

    g_io_channel_set_close_on_unref (o, TRUE);
    g_io_channel_set_close_on_unref (e, TRUE);
    g_io_channel_read_to_end (o, &r.out, NULL, NULL);
    g_io_channel_read_to_end (e, &r.err, NULL, NULL);
  }
  waitpid (pid, &r.status, 0);
  g_spawn_close_pid (pid);
  if (r.out == NULL)
    r.out = g_strdup ("");
  if (r.err == NULL)
    r.err = g_strdup ("");
  return r;
}

static int
exit_code (const Run *r)
{
  return WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
}

static void
assert_opens (const char *hive)
{
  hive_h *h = hivex_open (hive, 0);

  ck_assert_msg (h != NULL, "%s does not open with hivex", hive);
  ck_assert_uint_ne (hivex_root (h), 0);
  hivex_close (h);
}

static char *
journal_dir (const char *root)
{
  return g_build_filename (root, "ProgramData", "RDPMend", "journal", NULL);
}

START_TEST (test_cli_usage_errors)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *journal = journal_dir (root);

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_commit (fx);
  before = fx_sha256 (system);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-everything", "--image", root, "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 2);
    ck_assert_ptr_nonnull (strstr (r.err, "no fix “enable-everything”"));
    ck_assert_ptr_nonnull (strstr (r.err, "enable-rdp"));
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, "--param", "value", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 2);
    ck_assert_ptr_nonnull (strstr (r.err, "KEY=VALUE"));
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, "--param", "thumbprint=00", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 2);
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "set-credssp-mitigated", "--image", root,
                              "--param", "value=7", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 2);
    ck_assert_ptr_nonnull (strstr (r.err, "value=7"));
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "rebind-certificate", "--image", root,
                              "--param", "thumbprint=1234", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 2);
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", "/nonexistent/win", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 3);
  }
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
  ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_cli_missing_key)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *before = NULL, *after = NULL;

  mend_fixture_delete_tree (fx, RDPTCP);
  mend_fixture_commit (fx);
  before = fx_sha256 (system);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-listener", "--image", root, "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 4);
    ck_assert_ptr_nonnull (strstr (r.err, "RDP-Tcp does not exist"));
  }
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
}
END_TEST

START_TEST (test_cli_dry_run_and_confirm)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *journal = journal_dir (root);
  g_autofree char *before = NULL, *after = NULL;

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_commit (fx);
  before = fx_sha256 (system);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, "--dry-run", NULL);
    ck_assert_int_eq (exit_code (&r), 0);
    ck_assert_ptr_nonnull (strstr (r.out, "fDenyTSConnections: REG_DWORD 1"));
    ck_assert_ptr_nonnull (strstr (r.out, "nothing was written"));
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, "--dry-run", "--json", NULL);
    g_autoptr (JsonParser) p = json_parser_new ();
    ck_assert_int_eq (exit_code (&r), 0);
    ck_assert (json_parser_load_from_data (p, r.out, -1, NULL));
    ck_assert_ptr_nonnull (strstr (r.out, "\"kind\" : \"set-value\""));
  }
  /* No --yes and nobody to answer: refused. */
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, NULL);
    ck_assert_int_eq (exit_code (&r), 4);
    ck_assert_ptr_nonnull (strstr (r.err, "--yes"));
  }
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
  ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
  /* Answered at the prompt. */
  {
    g_auto (Run) r = run_cli (NULL, "y\n", "fix", "enable-rdp", "--image", root, NULL);
    ck_assert_msg (exit_code (&r) == 0, "%s", r.err);
    ck_assert_ptr_nonnull (strstr (r.out, "Checked again"));
  }
  {
    g_autofree char *v = fx_hivexget (system, "ControlSet001\\Control\\Terminal Server", "fDenyTSConnections");
    ck_assert_str_eq (v, "0");
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "journal", "--image", root, NULL);
    ck_assert_int_eq (exit_code (&r), 0);
    ck_assert_ptr_nonnull (strstr (r.out, "applied"));
    ck_assert_ptr_nonnull (strstr (r.out, "enable-rdp"));
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "undo", "--image", root, NULL);
    ck_assert_int_eq (exit_code (&r), 0);
  }
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
}
END_TEST

START_TEST (test_cli_lowers_security)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *software = fx_hive_path (root, "SOFTWARE");
  g_autofree char *before = fx_sha256 (software);
  g_autofree char *after = NULL;
  const char *key = "Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters";

  /* --yes alone is not enough for value=2. */
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "set-credssp-mitigated", "--image", root,
                              "--param", "value=2", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 4);
    ck_assert_ptr_nonnull (strstr (r.out, "WARNING"));
    ck_assert_ptr_nonnull (strstr (r.err, "lowers security"));
  }
  {
    g_auto (Run) r = run_cli (NULL, "y\n", "fix", "set-credssp-mitigated", "--image", root,
                              "--param", "value=2", "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 4);
  }
  after = fx_sha256 (software);
  ck_assert_str_eq (after, before);
  /* A typed "yes" confirms. Diagnosis then reports the machine as vulnerable: exit 1. */
  {
    g_auto (Run) r = run_cli (NULL, "yes\n", "fix", "set-credssp-mitigated", "--image", root,
                              "--param", "value=2", NULL);
    g_autofree char *v = NULL;

    ck_assert_msg (exit_code (&r) == 1, "exit %d: %s", exit_code (&r), r.err);
    ck_assert_ptr_nonnull (strstr (r.out, "client.credssp-vulnerable"));
    v = fx_hivexget (software, key, "AllowEncryptionOracle");
    ck_assert_str_eq (v, "2");
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "undo", "--image", root, NULL);
    ck_assert_int_eq (exit_code (&r), 0);
  }
  /* So does the explicit flag; the default is 1 without any warning. */
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "set-credssp-mitigated", "--image", root,
                              "--param", "value=2", "--yes", "--i-understand-this-lowers-security", NULL);
    ck_assert_int_eq (exit_code (&r), 1);
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "set-credssp-mitigated", "--image", root, "--yes", NULL);
    g_autofree char *v = fx_hivexget (software, key, "AllowEncryptionOracle");

    ck_assert_int_eq (exit_code (&r), 0);
    ck_assert_ptr_null (strstr (r.out, "WARNING"));
    ck_assert_str_eq (v, "1");
  }
}
END_TEST

START_TEST (test_cli_dirty)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *journal = journal_dir (root);
  g_autofree char *before = NULL, *after = NULL;

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_commit (fx);
  fx_make_dirty (system);
  before = fx_sha256 (system);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", "enable-rdp", "--image", root, "--yes", NULL);
    ck_assert_int_eq (exit_code (&r), 4);
    ck_assert_ptr_nonnull (strstr (r.err, "shut it down fully"));
  }
  after = fx_sha256 (system);
  ck_assert_str_eq (after, before);
  ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
}
END_TEST

/* MEND_FAULT_FAIL_AT_STEP: a failure after the hive was written is rolled back (exit 5);
 * one before it changes nothing (exit 4). Steps of a one-hive apply: journal folder,
 * .reg, hive copy, manifest, staged, committed, journal updated. */
START_TEST (test_cli_rollback_exit_codes)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  g_autofree char *system = fx_hive_path (root, "SYSTEM");
  g_autofree char *before = NULL;

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_commit (fx);
  before = fx_sha256 (system);
  {
    const char *env[] = { "MEND_FAULT_FAIL_AT_STEP", "6", NULL };
    g_auto (Run) r = run_cli (env, NULL, "fix", "enable-rdp", "--image", root, "--yes", NULL);
    g_autofree char *after = fx_sha256 (system);

    ck_assert_msg (exit_code (&r) == 5, "exit %d: %s", exit_code (&r), r.err);
    ck_assert_ptr_nonnull (strstr (r.err, "put back from the backup"));
    ck_assert_str_eq (after, before);
  }
  {
    const char *env[] = { "MEND_FAULT_FAIL_AT_STEP", "5", NULL };
    g_auto (Run) r = run_cli (env, NULL, "fix", "enable-rdp", "--image", root, "--yes", NULL);
    g_autofree char *after = fx_sha256 (system);

    ck_assert_msg (exit_code (&r) == 4, "exit %d: %s", exit_code (&r), r.err);
    ck_assert_ptr_nonnull (strstr (r.err, "Nothing was changed"));
    ck_assert_str_eq (after, before);
  }
  {
    g_auto (Run) r = run_cli (NULL, NULL, "journal", "--image", root, NULL);

    ck_assert_ptr_nonnull (strstr (r.out, "rolled-back"));
    ck_assert_ptr_nonnull (strstr (r.out, "failed"));
  }
  /* And nothing to undo: neither entry changed anything. */
  {
    g_auto (Run) r = run_cli (NULL, NULL, "undo", "--image", root, NULL);

    ck_assert_int_eq (exit_code (&r), 4);
    ck_assert_ptr_nonnull (strstr (r.err, "nothing to undo"));
  }
}
END_TEST

/* Value lines (path,type,data) directly under reglookup path KEY, without key times. */
static GPtrArray *
direct_values (const char *hive, const char *key)
{
  const char *argv[] = { "reglookup", "-H", "-p", key, hive, NULL };
  g_autofree char *out = fx_run (argv, NULL);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *r = g_ptr_array_new_with_free_func (g_free);
  gsize n = strlen (key);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *name, *type;
      char *last;

      if (g_ascii_strncasecmp (lines[i], key, n) != 0 || lines[i][n] != '/')
        continue;
      name = lines[i] + n + 1;
      type = strchr (name, ',');
      if (type == NULL || memchr (name, '/', (gsize) (type - name)) != NULL
          || g_str_has_prefix (type, ",KEY,"))
        continue;
      last = strrchr (lines[i], ',');
      *last = '\0';
      g_ptr_array_add (r, g_strdup (lines[i]));
    }
  return r;
}

/* The journal's .reg, imported by hivexregedit into a fresh hive, holds the same values as
 * the hive before the fix, for every key it exports. */
static void
check_backup_imports (const char *root, const char *hive_name)
{
  g_autofree char *journal = journal_dir (root);
  g_autoptr (GDir) d = g_dir_open (journal, 0, NULL);
  const char *id = d != NULL ? g_dir_read_name (d) : NULL;
  g_autofree char *folder = NULL, *reg = NULL, *before = NULL, *raw = NULL, *utf8 = NULL;
  g_autofree char *reg_name = g_strdup_printf ("backup-%s.reg", hive_name);
  g_autofree char *copy_name = g_strdup_printf ("%s.before", hive_name);
  g_autoptr (MendFixture) fresh = mend_fixture_new_bare ();
  g_autofree char *fresh_hive = fx_hive_path (mend_fixture_get_root (fresh), hive_name);
  g_autofree char *utf8_path = g_build_filename (mend_fixture_get_root (fresh), "b.reg", NULL);
  g_autofree char *prefix = g_strdup_printf ("HKEY_LOCAL_MACHINE\\%s", hive_name);
  g_autofree char *cmd = NULL;
  g_auto (GStrv) lines = NULL;
  gsize len = 0;
  int status = 0;
  guint keys = 0, values = 0;

  ck_assert_ptr_nonnull (id);
  folder = g_build_filename (journal, id, NULL);
  reg = g_build_filename (folder, reg_name, NULL);
  before = g_build_filename (folder, copy_name, NULL);
  ck_assert (g_file_get_contents (reg, &raw, &len, NULL));
  ck_assert ((guint8) raw[0] == 0xFF && (guint8) raw[1] == 0xFE);
  utf8 = g_convert (raw + 2, (gssize) len - 2, "UTF-8", "UTF-16LE", NULL, NULL, NULL);
  ck_assert_ptr_nonnull (utf8);
  ck_assert (g_file_set_contents (utf8_path, utf8, -1, NULL));
  cmd = g_strdup_printf ("hivexregedit --merge --prefix '%s' '%s' '%s'", prefix, fresh_hive, utf8_path);
  ck_assert (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "hivexregedit could not import %s", reg);

  lines = g_strsplit (utf8, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr (GPtrArray) a = NULL, b = NULL;

      /* Sections with values; the empty ones are parents written so the import can
       * create the keys below them. */
      if (!g_str_has_prefix (lines[i], "[HKEY_LOCAL_MACHINE\\") || lines[i + 1] == NULL
          || lines[i + 1][0] == '\0')
        continue;
      /* [HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\X] -> /ControlSet001/X */
      path = g_strndup (lines[i] + strlen ("[HKEY_LOCAL_MACHINE\\") + strlen (hive_name),
                        strlen (lines[i]) - strlen ("[HKEY_LOCAL_MACHINE\\") - strlen (hive_name) - 1);
      g_strdelimit (path, "\\", '/');
      a = direct_values (before, path);
      b = direct_values (fresh_hive, path);
      ck_assert_msg (a->len == b->len, "%s: %u values before, %u imported", path, a->len, b->len);
      for (guint j = 0; j < a->len; j++)
        {
          gboolean found = FALSE;

          for (guint k = 0; k < b->len && !found; k++)
            found = g_str_equal (a->pdata[j], b->pdata[k]);   /* names as stored, exactly */
          ck_assert_msg (found, "not reproduced by the import: %s", (char *) a->pdata[j]);
        }
      keys++;
      values += a->len;
    }
  /* A fix that only creates keys backs up their absence ("[-KEY]"), nothing else. */
  if (keys == 0)
    ck_assert_ptr_nonnull (strstr (utf8, "\r\n[-HKEY_LOCAL_MACHINE\\"));
  else
    ck_assert_uint_ge (values, 1);
}

/* An image made of the real Windows 7 SYSTEM hive and a generated SOFTWARE hive. */
static MendFixture *
real_image (void)
{
  g_autofree char *real = mend_fixture_shared_data ("hives/SYSTEM-win7-two-controlsets");
  MendFixture *fx;
  g_autofree char *dest = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (real == NULL)
    return NULL;
  fx = mend_fixture_new ();
  dest = fx_hive_path (mend_fixture_get_root (fx), "SYSTEM");
  ck_assert (g_file_get_contents (real, &contents, &len, NULL));
  ck_assert (g_file_set_contents (dest, contents, (gssize) len, NULL));
  g_chmod (dest, 0644);
  return fx;
}

static void
merge_reg (const char *hive, const char *prefix, const char *text)
{
  g_autofree char *path = g_strconcat (hive, ".break.reg", NULL);
  g_autofree char *cmd = NULL;
  int status = 0;

  ck_assert (g_file_set_contents (path, text, -1, NULL));
  cmd = g_strdup_printf ("hivexregedit --merge --prefix '%s' '%s' '%s'", prefix, hive, path);
  ck_assert (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "hivexregedit failed on %s", path);
  g_unlink (path);
}

typedef struct {
  const char *fix;
  const char *hive;       /* broken with hivexregedit (an independent writer) */
  const char *breakage;
  const char *key;        /* checked with hivexget afterwards */
  const char *value;
  const char *expected;   /* NULL = the value is gone */
} RealCase;

#define CS "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001"
#define HDR "Windows Registry Editor Version 5.00\n\n"

static const RealCase real_cases[] = {
  { "enable-rdp", "SYSTEM", HDR "[" CS "\\Control\\Terminal Server]\n\"fDenyTSConnections\"=dword:00000001\n",
    "ControlSet001\\Control\\Terminal Server", "fDenyTSConnections", "0" },
  { "enable-listener", "SYSTEM", HDR "[" CS "\\Control\\Terminal Server\\WinStations\\RDP-Tcp]\n\"fEnableWinStation\"=dword:00000000\n\"fLogonDisabled\"=dword:00000001\n",
    "ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "fLogonDisabled", "0" },
  { "enable-services", "SYSTEM", HDR "[" CS "\\services\\TermService]\n\"Start\"=dword:00000004\n",
    "ControlSet001\\services\\TermService", "Start", "3" },
  { "restore-servicedll", "SYSTEM", HDR "[" CS "\\services\\TermService\\Parameters]\n\"ServiceDll\"=\"C:\\\\rdpwrap.dll\"\n",
    "ControlSet001\\services\\TermService\\Parameters", "ServiceDll", "%SystemRoot%\\System32\\termsrv.dll" },
  { "set-security-negotiate", "SYSTEM", HDR "[" CS "\\Control\\Terminal Server\\WinStations\\RDP-Tcp]\n\"SecurityLayer\"=dword:00000000\n",
    "ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "SecurityLayer", "1" },
  { "enable-tls12", "SYSTEM", HDR "[" CS "\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2]\n\n[" CS "\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client]\n\"Enabled\"=dword:00000000\n",
    "ControlSet001\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client", "Enabled", NULL },
  /* The real hive ships this rule switched off already. */
  { "enable-firewall-rule", "SYSTEM", NULL,
    "ControlSet001\\services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules", "RemoteDesktop-UserMode-In-TCP",
    "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=%SystemRoot%\\system32\\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28853|Desc=@FirewallAPI.dll,-28856|EmbedCtxt=@FirewallAPI.dll,-28852|" },
  { "rebind-certificate", "SYSTEM", HDR "[" CS "\\Control\\Terminal Server\\WinStations\\RDP-Tcp]\n\"SSLCertificateSHA1Hash\"=hex:00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff,00,11,22,33\n",
    "ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "SSLCertificateSHA1Hash", "CERT" },
  { "reset-mslicensing", "SOFTWARE", HDR "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSLicensing\\HardwareID]\n",
    "Microsoft\\MSLicensing", NULL, NULL },
  { "set-credssp-mitigated", "SOFTWARE", NULL,
    "Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters", "AllowEncryptionOracle", "1" },
  { "open-update-catalog", "SOFTWARE", NULL, NULL, NULL, NULL },
};

/* Every catalog fix on the real SYSTEM hive: an independent reader sees the planned value,
 * the finding is gone (exit 0), undo gives back the same bytes and the same full export. */
START_TEST (test_cli_real_hive)
{
  const RealCase *rc = &real_cases[_i];
  g_autoptr (MendFixture) fx = real_image ();
  g_autofree char *hive = NULL, *sha0 = NULL, *dump0 = NULL, *sha1 = NULL, *dump1 = NULL;
  g_autofree char *cert = NULL;
  const char *root;
  gint64 t0, t1, t2, fix_us;

  if (fx == NULL)
    {
      g_print ("real hive cases need ../shared/data (MEND_SHARED_DATA): not run\n");
      return;
    }
  root = mend_fixture_get_root (fx);
  hive = fx_hive_path (root, rc->hive);
  if (g_str_equal (rc->fix, "rebind-certificate"))
    {
      MendFixtureCertSpec spec = { .common_name = "win7.example.test" };

      cert = mend_fixture_add_certificate (fx, "MY", &spec);
      mend_fixture_commit (fx);
    }
  if (rc->breakage != NULL)
    merge_reg (hive, g_str_equal (rc->hive, "SYSTEM") ? "HKEY_LOCAL_MACHINE\\SYSTEM"
                                                      : "HKEY_LOCAL_MACHINE\\SOFTWARE", rc->breakage);
  sha0 = fx_sha256 (hive);
  dump0 = fx_reglookup_all (hive);

  t0 = g_get_monotonic_time ();
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", rc->fix, "--image", root, "--yes", NULL);

    ck_assert_msg (exit_code (&r) == 0, "%s: exit %d\n%s\n%s", rc->fix, exit_code (&r), r.out, r.err);
    if (rc->key == NULL)
      {
        ck_assert_ptr_nonnull (strstr (r.out, "https://www.catalog.update.microsoft.com/"));
        return;
      }
    ck_assert_msg (strstr (r.out, "Checked again: the problems these fixes address are gone") != NULL,
                   "%s: %s", rc->fix, r.out);
  }
  t1 = g_get_monotonic_time ();
  fix_us = t1 - t0;
  check_backup_imports (root, rc->hive);
  t1 = g_get_monotonic_time ();
  if (rc->value == NULL)
    {
      g_autofree char *v = fx_hivexget (hive, rc->key, "");
      const char *argv[] = { "hivexget", hive, rc->key, NULL };
      int status = 0;
      g_autofree char *o = fx_run (argv, &status);

      (void) v;
      ck_assert_msg (!g_spawn_check_wait_status (status, NULL), "%s still exists", rc->key);
    }
  else
    {
      g_autofree char *v = fx_hivexget (hive, rc->key, rc->value);

      if (rc->expected == NULL)
        ck_assert_msg (v == NULL, "%s\\%s should be gone, hivexget says %s", rc->key, rc->value, v);
      else if (g_str_equal (rc->expected, "CERT"))
        {
          g_autofree char *lookup = fx_reglookup_value (
            hive, "/ControlSet001/Control/Terminal Server/WinStations/RDP-Tcp/SSLCertificateSHA1Hash");
          ck_assert_ptr_nonnull (lookup);
          ck_assert (g_str_has_prefix (lookup, "BINARY,"));
          ck_assert_ptr_nonnull (cert);
        }
      else
        ck_assert_msg (g_strcmp0 (v, rc->expected) == 0, "%s: hivexget says %s, expected %s",
                       rc->fix, v, rc->expected);
    }

  {
    g_auto (Run) r = run_cli (NULL, NULL, "undo", "--image", root, NULL);
    ck_assert_msg (exit_code (&r) == 0, "undo %s: %s", rc->fix, r.err);
  }
  t2 = g_get_monotonic_time ();
  sha1 = fx_sha256 (hive);
  dump1 = fx_reglookup_all (hive);
  ck_assert_str_eq (sha1, sha0);
  ck_assert_str_eq (dump1, dump0);
  assert_opens (hive);
  if (g_str_equal (rc->hive, "SYSTEM"))
    g_print ("real SYSTEM hive, %s: CLI fix %.0f ms (incl. re-diagnosis), undo %.0f ms\n", rc->fix,
             fix_us / 1000.0, (t2 - t1) / 1000.0);
}
END_TEST

typedef struct {
  char *system, *software;
  char *sys_old, *soft_old, *sys_new, *soft_new;
} States;

static void
states_clear (States *s)
{
  g_free (s->system);
  g_free (s->software);
  g_free (s->sys_old);
  g_free (s->soft_old);
  g_free (s->sys_new);
  g_free (s->soft_new);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (States, states_clear)

/* Each hive is byte for byte the old or the new one, and opens. Returns how many are new. */
static guint
check_old_or_new (States *s, const char *when)
{
  g_autofree char *a = fx_sha256 (s->system);
  g_autofree char *b = fx_sha256 (s->software);

  ck_assert_msg (g_str_equal (a, s->sys_old) || g_str_equal (a, s->sys_new),
                 "%s: SYSTEM is neither the old nor the new hive", when);
  ck_assert_msg (g_str_equal (b, s->soft_old) || g_str_equal (b, s->soft_new),
                 "%s: SOFTWARE is neither the old nor the new hive", when);
  assert_opens (s->system);
  assert_opens (s->software);
  return g_str_equal (a, s->sys_new) + g_str_equal (b, s->soft_new);
}

/* Recovery: a re-run completes the fix, then undo (repeated) brings the original back. */
static void
recover (States *s, const char *root, const char * const *fix_argv_tail, const char *when)
{
  g_auto (Run) again = run_cli (NULL, NULL, "fix", fix_argv_tail[0], fix_argv_tail[1], fix_argv_tail[2],
                                "--image", root, "--yes", NULL);
  g_autofree char *a = NULL, *b = NULL;

  ck_assert_msg (exit_code (&again) == 0, "%s: re-run failed: %s", when, again.err);
  ck_assert_uint_eq (check_old_or_new (s, when), 2);
  for (guint i = 0; i < 4; i++)
    {
      g_auto (Run) u = run_cli (NULL, NULL, "undo", "--image", root, NULL);

      if (exit_code (&u) != 0)
        {
          ck_assert_msg (strstr (u.err, "nothing to undo") != NULL, "%s: undo: %s", when, u.err);
          break;
        }
    }
  a = fx_sha256 (s->system);
  b = fx_sha256 (s->software);
  ck_assert_msg (g_str_equal (a, s->sys_old) && g_str_equal (b, s->soft_old),
                 "%s: undo did not bring the original back", when);
}

static void
prepare_states (MendFixture *fx, States *s, const char * const *fixes)
{
  const char *root = mend_fixture_get_root (fx);

  s->system = fx_hive_path (root, "SYSTEM");
  s->software = fx_hive_path (root, "SOFTWARE");
  s->sys_old = fx_sha256 (s->system);
  s->soft_old = fx_sha256 (s->software);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "fix", fixes[0], fixes[1], fixes[2], "--image", root, "--yes", NULL);
    ck_assert_msg (exit_code (&r) == 0, "%s", r.err);
  }
  s->sys_new = fx_sha256 (s->system);
  s->soft_new = fx_sha256 (s->software);
  ck_assert_str_ne (s->sys_new, s->sys_old);
  ck_assert_str_ne (s->soft_new, s->soft_old);
  {
    g_auto (Run) r = run_cli (NULL, NULL, "undo", "--image", root, NULL);
    ck_assert_int_eq (exit_code (&r), 0);
  }
  ck_assert_uint_eq (check_old_or_new (s, "after the first undo"), 0);
}

/* MEND_FAULT_AFTER_STEP=N: the process aborts at step N of the apply, for every N. */
START_TEST (test_crash_at_each_step)
{
  g_autoptr (MendFixture) fx = mend_fixture_new ();
  const char *root = mend_fixture_get_root (fx);
  const char * const fixes[] = { "enable-rdp", "enable-listener", "reset-mslicensing" };
  g_auto (States) s = { 0 };
  guint crashes = 0, mixed = 0, n;

  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_set_dword (fx, RDPTCP, "fEnableWinStation", 0);
  mend_fixture_commit (fx);
  prepare_states (fx, &s, fixes);

  for (n = 1; n < 50; n++)
    {
      g_autofree char *n_text = g_strdup_printf ("%u", n);
      g_autofree char *when = g_strdup_printf ("abort after step %u", n);
      const char *env[] = { "MEND_FAULT_AFTER_STEP", n_text, NULL };
      g_auto (Run) r = run_cli (env, NULL, "fix", fixes[0], fixes[1], fixes[2], "--image", root, "--yes", NULL);
      guint new_count;

      if (WIFEXITED (r.status))
        {
          /* N is past the last step: the apply completed. */
          ck_assert_msg (WEXITSTATUS (r.status) == 0, "%s", r.err);
          ck_assert_uint_eq (check_old_or_new (&s, when), 2);
          break;
        }
      ck_assert_msg (WIFSIGNALED (r.status) && WTERMSIG (r.status) == SIGABRT, "%s: %s", when, r.err);
      crashes++;
      new_count = check_old_or_new (&s, when);
      mixed += new_count == 1;
      recover (&s, root, fixes, when);
    }
  ck_assert_uint_ge (crashes, 8);
  ck_assert_uint_ge (mixed, 1);     /* crashed between the SYSTEM and SOFTWARE commits */
  g_print ("crash test: aborted at each of %u steps; every hive old or new and recovered "
           "(%u crashes left SYSTEM new and SOFTWARE old)\n", crashes, mixed);
}
END_TEST

/* SIGKILL at random moments of a slowed-down apply on the real SYSTEM hive. */
START_TEST (test_sigkill_loop)
{
  g_autoptr (MendFixture) fx = real_image ();
  const char * const fixes[] = { "enable-rdp", "enable-listener", "reset-mslicensing" };
  g_auto (States) s = { 0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (0x904);
  const char *root;
  gint64 start, full_us;
  guint iterations = 0, killed = 0, outcome[3] = { 0 }, completed = 0;

  if (fx == NULL)
    fx = mend_fixture_new ();   /* without the real data, the generated image still runs */
  root = mend_fixture_get_root (fx);
  mend_fixture_set_dword (fx, TS, "fDenyTSConnections", 1);
  mend_fixture_set_dword (fx, RDPTCP, "fEnableWinStation", 0);
  mend_fixture_commit (fx);
  prepare_states (fx, &s, fixes);

  /* How long one slowed-down apply takes, to spread the kills over all of it. */
  {
    const char *env[] = { "MEND_FAULT_DELAY_MS", "15", NULL };
    g_auto (Run) r = { 0 };

    start = g_get_monotonic_time ();
    r = run_cli (env, NULL, "fix", fixes[0], fixes[1], fixes[2], "--image", root, "--yes", NULL);
    full_us = g_get_monotonic_time () - start;
    ck_assert_int_eq (exit_code (&r), 0);
    recover (&s, root, fixes, "timing run");
  }

  start = g_get_monotonic_time ();
  while (iterations < 60 && g_get_monotonic_time () - start < 25 * G_USEC_PER_SEC)
    {
      g_autofree char *when = NULL;
      g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "MEND_FAULT_DELAY_MS", "15", TRUE);
      const char *argv[] = { cli, "fix", fixes[0], fixes[1], fixes[2], "--image", root, "--yes", NULL };
      gint64 delay = g_rand_int_range (rand, 0, (gint32) MIN (full_us, G_MAXINT32));
      GPid pid;
      int status = 0;
      guint new_count;

      iterations++;
      ck_assert (g_spawn_async (NULL, (char **) argv, env,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, NULL));
      g_usleep ((gulong) delay);
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      when = g_strdup_printf ("SIGKILL after %.1f ms (iteration %u)", delay / 1000.0, iterations);
      if (WIFSIGNALED (status))
        killed++;
      else
        completed++;
      new_count = check_old_or_new (&s, when);
      outcome[new_count]++;
      recover (&s, root, fixes, when);
    }
  ck_assert_uint_ge (iterations, 10);
  /* Temporary files of killed writes are cleaned up by the next apply. */
  {
    g_autofree char *config = g_path_get_dirname (s.system);
    g_autoptr (GDir) d = g_dir_open (config, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      ck_assert_msg (strstr (name, ".rdpmend-") == NULL, "left behind: %s", name);
  }
  g_print ("SIGKILL loop: %u iterations in %.1f s (full apply %.0f ms slowed), %u killed, "
           "%u finished first; hives found: %u both old, %u mixed, %u both new; all recovered\n",
           iterations, (g_get_monotonic_time () - start) / 1e6, full_us / 1000.0, killed, completed,
           outcome[0], outcome[1], outcome[2]);
}
END_TEST

static Suite *
cli_suite (void)
{
  Suite *s = suite_create ("fixes-cli");
  TCase *tc = tcase_create ("cli");
  TCase *real = tcase_create ("real-hive");
  TCase *crash = tcase_create ("crash");

  tcase_set_timeout (tc, 120);
  tcase_set_timeout (real, 120);
  tcase_set_timeout (crash, 180);
  tcase_add_test (tc, test_cli_usage_errors);
  tcase_add_test (tc, test_cli_missing_key);
  tcase_add_test (tc, test_cli_dry_run_and_confirm);
  tcase_add_test (tc, test_cli_lowers_security);
  tcase_add_test (tc, test_cli_dirty);
  tcase_add_test (tc, test_cli_rollback_exit_codes);
  tcase_add_loop_test (real, test_cli_real_hive, 0, G_N_ELEMENTS (real_cases));
  tcase_add_test (crash, test_crash_at_each_step);
  tcase_add_test (crash, test_sigkill_loop);
  suite_add_tcase (s, tc);
  suite_add_tcase (s, real);
  suite_add_tcase (s, crash);
  return s;
}

int
main (void)
{
  g_autofree char *data_home = NULL;
  g_autofree char *real = NULL;
  SRunner *sr;
  int failed;

  cli = g_getenv ("MEND_CLI");
  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("SKIP: MEND_CLI does not name the rdpmend-cli binary (run through ctest)\n");
      return 77;
    }
  if (!fx_have_tools ())
    return 77;
  real = mend_fixture_shared_data ("hives/SYSTEM-win7-two-controlsets");
  if (real == NULL)
    {
      g_print ("SKIP: the real SYSTEM hive (../shared/data, MEND_SHARED_DATA) is absent; the "
               "real-hive cases are the point of this suite\n");
      return 77;
    }
  data_home = g_dir_make_tmp ("rdpmend-test-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  sr = srunner_create (cli_suite ());
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  mend_fixture_rm_rf (data_home);
  return failed == 0 ? 0 : 1;
}
