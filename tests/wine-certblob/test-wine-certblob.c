/* test-wine-certblob.c — cross-checks the store-blob parser against an independent writer:
 * wine's crypt32 stores a certificate in a fresh prefix, we read its Blob from system.reg. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "formats/mend-cert.h"
#include "base/mend-error.h"
#include "mend-fixture-cert.h"

#define CONTAINER "TSSecKeySet1"
#define PROVIDER  "Microsoft RSA SChannel Cryptographic Provider"

typedef struct {
  char  *dir;      /* temporary folder: prefix, HOME, certificate files */
  char  *prefix;
  char **env;
} WineRun;

static void
wine_run_free (WineRun *run)
{
  if (run->dir != NULL)
    {
      /* rm -rf never follows the prefix's dosdevices symlinks (z: → /). */
      const char *argv[] = { "rm", "-rf", run->dir, NULL };
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  g_free (run->dir);
  g_free (run->prefix);
  g_strfreev (run->env);
}

static void
run_or_fail (WineRun *run, const char * const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  ck_assert_msg (g_spawn_sync (run->dir, (char **) argv, run->env, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, out, &err, &status, &error),
                 "cannot run %s: %s", argv[0], error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s %s failed: %s", argv[0],
                 argv[1] ? argv[1] : "", err ? err : "");
}

static char *
windows_path (const char *unix_path)
{
  g_autofree char *abs = g_canonicalize_filename (unix_path, NULL);
  return g_strdelimit (g_strconcat ("Z:", abs, NULL), "/", '\\');
}

/* Finds "Blob"=hex:… under [Software\\Microsoft\\SystemCertificates\\MY\\Certificates\\THUMB]
 * in wine's text registry and decodes it. */
static GBytes *
blob_from_system_reg (const char *reg_path, const char *thumbprint)
{
  g_autofree char *text = NULL;
  g_autofree char *section = g_strdup_printf (
    "[Software\\\\Microsoft\\\\SystemCertificates\\\\MY\\\\Certificates\\\\%s]", thumbprint);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *p, *end;

  ck_assert (g_file_get_contents (reg_path, &text, NULL, NULL));
  p = strstr (text, section);
  ck_assert_msg (p != NULL, "no %s in %s", section, reg_path);
  end = strstr (p + strlen (section), "\n[");
  p = strstr (p, "\"Blob\"=hex:");
  ck_assert_msg (p != NULL && (end == NULL || p < end), "no Blob value under %s", section);

  /* Comma-separated hex bytes, lines continued with a backslash. */
  for (p += strlen ("\"Blob\"=hex:"); *p != '\0'; p++)
    {
      if (*p == ',' || *p == ' ' || *p == '\\' || *p == '\r')
        continue;
      if (*p == '\n')
        {
          /* Continuation lines are indented; anything else ends the value. */
          if (p[1] != ' ')
            break;
          continue;
        }
      ck_assert_msg (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]),
                     "unexpected text in the Blob value: %.20s", p);
      g_byte_array_append (out, (guint8[]) { (guint8) ((g_ascii_xdigit_value (p[0]) << 4) |
                                                       g_ascii_xdigit_value (p[1])) }, 1);
      p++;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Lets crypt32 store DER, returns the thumbprint crypt32 printed. */
static char *
wine_store_cert (WineRun *run, GBytes *der, const char *name, const char *friendly)
{
  const char *exe = g_getenv ("MEND_WINE_CERTBLOB_EXE");
  g_autofree char *der_path = g_build_filename (run->dir, name, NULL);
  g_autofree char *der_win = windows_path (der_path);
  g_autofree char *out = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  const char *argv[] = { "wine", exe, der_win, CONTAINER, PROVIDER, "12", friendly, NULL };

  ck_assert (g_file_set_contents (der_path, (const char *) data, len, NULL));
  run_or_fail (run, argv, &out);
  return g_strstrip (g_strdup (out));
}

START_TEST (test_wine_writes_blob_we_read)
{
  WineRun run = { 0 };
  MendFixtureCertSpec spec = { .common_name = "wine.example.test" };
  g_autoptr(GBytes) der = mend_fixture_make_certificate_der (&spec);
  g_autoptr(GBytes) real_der = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *thumb = NULL;
  g_autofree char *real_thumb = NULL;
  g_autofree char *reg = NULL;
  const char *shared = g_getenv ("MEND_SHARED_DATA");
  g_autofree char *real_path = NULL;
  const char *wineboot[] = { "wineboot", "--init", NULL };
  const char *wait[] = { "wineserver", "-w", NULL };

  run.dir = g_dir_make_tmp ("mend-wine-XXXXXX", NULL);
  ck_assert_ptr_nonnull (run.dir);
  run.prefix = g_build_filename (run.dir, "prefix", NULL);
  run.env = g_get_environ ();
  run.env = g_environ_setenv (run.env, "WINEPREFIX", run.prefix, TRUE);
  run.env = g_environ_setenv (run.env, "WINEDEBUG", "-all", TRUE);
  /* No Mono/Gecko installers, no desktop menu entries in $HOME. */
  run.env = g_environ_setenv (run.env, "WINEDLLOVERRIDES",
                              "mscoree,mshtml,winemenubuilder.exe=", TRUE);
  run.env = g_environ_setenv (run.env, "HOME", run.dir, TRUE);
  run.env = g_environ_unsetenv (run.env, "DISPLAY");

  run_or_fail (&run, wineboot, NULL);
  thumb = wine_store_cert (&run, der, "gen.der", "Remote Desktop");

  if (shared != NULL)
    real_path = g_build_filename (shared, "certs",
                                  "rdp-no-cookie-mstshash.pcap.A19F39ECAA2C.der", NULL);
  if (real_path != NULL && g_file_test (real_path, G_FILE_TEST_IS_REGULAR))
    {
      char *data;
      gsize len;
      ck_assert (g_file_get_contents (real_path, &data, &len, NULL));
      real_der = g_bytes_new_take (data, len);
      real_thumb = wine_store_cert (&run, real_der, "real.der", "real");
    }
  else
    g_printerr ("test_wine_writes_blob_we_read: shared data absent, real certificate not "
                "added (generated one still checked)\n");

  /* The registry reaches system.reg only when the server exits. */
  run_or_fail (&run, wait, NULL);
  reg = g_build_filename (run.prefix, "system.reg", NULL);

  {
    gsize der_len;
    const guint8 *der_data = g_bytes_get_data (der, &der_len);
    g_autofree char *lower = g_compute_checksum_for_data (G_CHECKSUM_SHA1, der_data, der_len);
    expected = g_ascii_strup (lower, -1);
  }
  ck_assert_str_eq (thumb, expected);

  for (int i = 0; i < 2; i++)
    {
      const char *t = i == 0 ? thumb : real_thumb;
      g_autoptr(GBytes) blob = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MendStoreCert) cert = NULL;
      gsize len;
      const guint8 *data;

      if (t == NULL)
        continue;
      blob = blob_from_system_reg (reg, t);
      data = g_bytes_get_data (blob, &len);
      g_printerr ("wine wrote a %" G_GSIZE_FORMAT "-byte Blob for %s\n", len, t);
      cert = mend_store_cert_new_from_registry ("MY", t, data, len, &error);
      ck_assert_msg (cert != NULL, "%s", error ? error->message : "");
      ck_assert_ptr_nonnull (cert->info);
      ck_assert_str_eq (cert->info->sha1, t);
      ck_assert (cert->hash_matches);
      ck_assert_ptr_nonnull (cert->key_prov);
      ck_assert_str_eq (cert->key_prov->container, CONTAINER);
      ck_assert_str_eq (cert->key_prov->provider, PROVIDER);
      ck_assert_uint_eq (cert->key_prov->provider_type, 12);
      ck_assert_uint_eq (cert->key_prov->flags, 0x20);   /* CRYPT_MACHINE_KEYSET */
      ck_assert_uint_eq (cert->key_prov->key_spec, 1);   /* AT_KEYEXCHANGE */
      ck_assert_str_eq (cert->friendly_name, i == 0 ? "Remote Desktop" : "real");
      if (i == 0)
        ck_assert_str_eq (cert->info->common_name, "wine.example.test");
      else
        ck_assert_str_eq (t, "A19F39ECAA2C05A4E32403D0A718F34ED53CC526");
    }

  wine_run_free (&run);
}
END_TEST

int
main (void)
{
  const char *exe = g_getenv ("MEND_WINE_CERTBLOB_EXE");
  const char * const tools[] = { "wine", "wineboot", "wineserver", NULL };
  SRunner *runner;
  Suite *s;
  TCase *tc;
  int failed;

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);
      if (path == NULL)
        {
          g_printerr ("SKIP: %s is not installed (apt-get install wine wine64)\n", tools[i]);
          return 77;
        }
    }
  if (exe == NULL || *exe == '\0' || !g_file_test (exe, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("SKIP: the Win32 helper was not built (x86_64-w64-mingw32-gcc missing? "
                  "apt-get install gcc-mingw-w64-x86-64)\n");
      return 77;
    }

  s = suite_create ("wine-certblob");
  tc = tcase_create ("crypt32");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_wine_writes_blob_we_read);
  suite_add_tcase (s, tc);
  runner = srunner_create (s);
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? 0 : 1;
}
