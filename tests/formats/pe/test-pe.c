/* test-pe.c — the PE version-resource reader. "built": PE files compiled here from .rc files
 * (exact versions known), truncated and corrupted copies. "wine": every wine PE file on this
 * machine, each checked against the version resource wrestool extracts independently. */
#include <check.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "base/mend-error.h"
#include "formats/mend-pe.h"

static const char *samples;
static const char *wrestool;

static char *
sample (const char *name)
{
  return g_build_filename (samples, name, NULL);
}

START_TEST (test_sample_exe)
{
  g_autofree char *path = sample ("sample.exe");
  g_autoptr(GError) error = NULL;
  g_autoptr(MendPeVersion) v = mend_pe_read_version (path, &error);
  g_autofree char *text = NULL;

  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  text = mend_pe_version_to_string (v);
  ck_assert_str_eq (text, "10.0.19041.3803");
  ck_assert_uint_eq (v->product_version[3], 3804);
  ck_assert_uint_eq (v->machine, 0x8664);
  ck_assert_str_eq (v->file_version_string, "10.0.19041.3803 (WinBuild.160101.0800)");
  ck_assert_str_eq (v->product_name, "RDP Mend Test Operating System");
  ck_assert_str_eq (v->original_filename, "mstsc.exe");
}
END_TEST

START_TEST (test_fixed_only_dll)
{
  g_autofree char *path = sample ("fixed-only.dll");
  g_autoptr(GError) error = NULL;
  g_autoptr(MendPeVersion) v = mend_pe_read_version (path, &error);
  g_autofree char *text = NULL;

  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  text = mend_pe_version_to_string (v);
  ck_assert_str_eq (text, "6.3.9600.17415");
  ck_assert_ptr_null (v->file_version_string);
  ck_assert_ptr_null (v->product_name);
}
END_TEST

START_TEST (test_no_resources)
{
  g_autofree char *path = sample ("nores.exe");
  g_autoptr(GError) error = NULL;

  ck_assert_ptr_null (mend_pe_read_version (path, &error));
  ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND), "%s", error->message);
}
END_TEST

START_TEST (test_not_pe)
{
  const char *inputs[] = { "", "MZ", "hello world, this is not a program file at all....................................",
                           "\x7f" "ELF\x02\x01\x01" };
  g_autoptr(GError) missing = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;

      ck_assert_ptr_null (mend_pe_read_version_from_data ((const guint8 *) inputs[i], strlen (inputs[i]), &error));
      ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
    }
  ck_assert_ptr_null (mend_pe_read_version ("/nonexistent/mstsc.exe", &missing));
  ck_assert (g_error_matches (missing, MEND_ERROR, MEND_ERROR_NOT_FOUND));
}
END_TEST

/* Every prefix of a real PE: either a clean error or the full, correct answer. */
START_TEST (test_truncated)
{
  g_autofree char *path = sample ("sample.exe");
  g_autofree char *data = NULL;
  gsize len = 0;
  guint ok = 0;

  ck_assert (g_file_get_contents (path, &data, &len, NULL));
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      /* A private copy of exactly `cut` bytes, so ASan/valgrind see any overread. */
      g_autofree guint8 *copy = g_memdup2 (data, cut ? cut : 1);
      g_autoptr(MendPeVersion) v = mend_pe_read_version_from_data (copy, cut, &error);

      if (v != NULL)
        {
          ck_assert_uint_eq (v->file_version[2], 19041);
          ck_assert_uint_eq (v->file_version[3], 3803);
          ok++;
        }
      else
        ck_assert (error->domain == MEND_ERROR &&
                   (error->code == MEND_ERROR_PARSE || error->code == MEND_ERROR_NOT_FOUND));
    }
  /* Trailing bytes after the resource data (section padding) may go. */
  ck_assert_uint_lt (ok, len / 2);
}
END_TEST

/* Random byte corruption: no crash, no hang; results are errors or some version. */
START_TEST (test_corrupted)
{
  g_autofree char *path = sample ("sample.exe");
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x904);
  guint errors = 0;

  ck_assert (g_file_get_contents (path, &data, &len, NULL));
  for (guint round = 0; round < 3000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(MendPeVersion) v = NULL;
      guint flips = g_rand_int_range (rand, 1, 16);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, (gint32) len)] = (guint8) g_rand_int_range (rand, 0, 256);
      v = mend_pe_read_version_from_data (copy, len, &error);
      errors += v == NULL;
    }
  /* Flips mostly land in code; headers are small. */
  ck_assert_uint_lt (errors, 3000);
}
END_TEST

/* ---- wine ---------------------------------------------------------------------------- */

static gboolean
run (const char * const *argv, char **out, gsize *out_len)
{
  int status = 0;
  g_autofree char *stdout_buf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_autoptr(GBytes) bytes = NULL;

  if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, &bytes, NULL, &error))
    return FALSE;
  status = g_subprocess_get_exit_status (proc);
  *out_len = g_bytes_get_size (bytes);
  *out = g_malloc (*out_len + 1);
  if (*out_len > 0)
    memcpy (*out, g_bytes_get_data (bytes, NULL), *out_len);
  (*out)[*out_len] = '\0';
  return status == 0;
}

/* The first "--type=16 --name=N --language=L" line of `wrestool -l`. */
static gboolean
first_version_resource (const char *path, char **name, char **lang)
{
  const char *argv[] = { wrestool, "-l", path, NULL };
  g_autofree char *out = NULL;
  gsize len = 0;
  g_auto(GStrv) lines = NULL;

  if (!run (argv, &out, &len))
    return FALSE;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;

      if (!g_str_has_prefix (lines[i], "--type=16 "))
        continue;
      words = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (words) < 3)
        return FALSE;
      *name = g_strdup (words[1]);
      *lang = g_strdup (words[2]);
      return TRUE;
    }
  return FALSE;
}

static guint
check_wine_dir (const char *dir_path, guint16 machine, guint *with_version)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *entry;
  guint checked = 0;

  if (dir == NULL)
    return 0;
  while ((entry = g_dir_read_name (dir)))
    {
      g_autofree char *path = NULL;
      g_autofree char *name = NULL, *lang = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MendPeVersion) v = NULL;

      if (!g_str_has_suffix (entry, ".dll") && !g_str_has_suffix (entry, ".exe"))
        continue;
      path = g_build_filename (dir_path, entry, NULL);
      v = mend_pe_read_version (path, &error);
      checked++;
      if (first_version_resource (path, &name, &lang))
        {
          const char *argv[] = { wrestool, "-x", "--type=16", name, lang, "--raw", path, NULL };
          g_autofree char *raw = NULL;
          gsize len = 0;
          const char *sig = NULL;
          guint32 ms, ls;

          ck_assert_msg (v != NULL, "%s: wrestool finds a version resource, we do not: %s",
                         path, error ? error->message : "");
          ck_assert_uint_eq (v->machine, machine);
          ck_assert (run (argv, &raw, &len));
          for (gsize i = 0; i + 16 <= len; i += 4)   /* the fixed part is DWORD-aligned */
            if (memcmp (raw + i, "\xbd\x04\xef\xfe", 4) == 0)
              {
                sig = raw + i;
                break;
              }
          ck_assert_msg (sig != NULL, "%s: no VS_FIXEDFILEINFO in wrestool's output", path);
          memcpy (&ms, sig + 8, 4);
          memcpy (&ls, sig + 12, 4);
          ms = GUINT32_FROM_LE (ms);
          ls = GUINT32_FROM_LE (ls);
          ck_assert_uint_eq (v->file_version[0], ms >> 16);
          ck_assert_uint_eq (v->file_version[1], ms & 0xFFFF);
          ck_assert_uint_eq (v->file_version[2], ls >> 16);
          ck_assert_uint_eq (v->file_version[3], ls & 0xFFFF);
          (*with_version)++;
        }
      else
        {
          ck_assert_msg (v == NULL, "%s: we find a version wrestool does not", path);
          ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND), "%s: %s",
                         path, error->message);
        }
    }
  return checked;
}

START_TEST (test_wine_pe_files)
{
  guint with64 = 0, with32 = 0;
  guint n64 = check_wine_dir ("/usr/lib/x86_64-linux-gnu/wine/x86_64-windows", 0x8664, &with64);
  guint n32 = check_wine_dir ("/usr/lib/x86_64-linux-gnu/wine/i386-windows", 0x14c, &with32);

  g_print ("wine: %u x86-64 files (%u with a version), %u i386 files (%u with a version)\n",
           n64, with64, n32, with32);
  ck_assert_uint_gt (n64 + n32, 0);
  ck_assert_uint_gt (with64 + with32, 0);
}
END_TEST

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "built";
  Suite *s = suite_create ("pe");
  TCase *tc = tcase_create (mode);
  SRunner *sr;
  int failed;

  samples = g_getenv ("MEND_PE_SAMPLES");
  wrestool = g_getenv ("MEND_WRESTOOL");
  if (g_str_equal (mode, "built"))
    {
      if (samples == NULL || *samples == '\0')
        {
          g_printerr ("SKIP: x86_64-w64-mingw32-gcc / windres not installed; no PE samples "
                      "were built (apt-get install gcc-mingw-w64-x86-64)\n");
          return 77;
        }
      tcase_add_test (tc, test_sample_exe);
      tcase_add_test (tc, test_fixed_only_dll);
      tcase_add_test (tc, test_no_resources);
      tcase_add_test (tc, test_not_pe);
      tcase_add_test (tc, test_truncated);
      tcase_add_test (tc, test_corrupted);
    }
  else
    {
      if (wrestool == NULL || *wrestool == '\0' || g_str_has_suffix (wrestool, "NOTFOUND"))
        {
          g_printerr ("SKIP: wrestool (icoutils) is not installed\n");
          return 77;
        }
      if (!g_file_test ("/usr/lib/x86_64-linux-gnu/wine", G_FILE_TEST_IS_DIR))
        {
          g_printerr ("SKIP: wine's PE files (/usr/lib/x86_64-linux-gnu/wine) are not installed\n");
          return 77;
        }
      tcase_add_test (tc, test_wine_pe_files);
    }
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
