/* test-regfile.c — the .reg writer and parser: exact bytes through a round trip, regedit's
 * own syntax, hostile input, and import by an independent tool (hivexregedit). */
#include <check.h>
#include <hivex.h>
#include <string.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"
#include "mend-fixture.h"
#include "registry/mend-regfile.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendFixture, mend_fixture_free)

static MendRegValue *
raw (const char *name, guint32 type, const void *data, gsize len)
{
  g_autoptr (GBytes) b = g_bytes_new (data, len);

  return mend_reg_value_new (name, type, b);
}

/* Values chosen to hit every writer branch: string form, hex fall-backs, wrapping. */
static GPtrArray *
sample_values (void)
{
  GPtrArray *v = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_reg_value_free);
  static const guint8 no_nul[] = { 'a', 0, 'b', 0 };
  static const guint8 odd[] = { 'a', 0, 'b' };
  static const guint8 short_dword[] = { 1, 2, 3 };
  guint8 big[300];
  const char *multi[] = { "one", "two \"quoted\"", NULL };

  for (guint i = 0; i < sizeof big; i++)
    big[i] = (guint8) (i * 7);
  g_ptr_array_add (v, mend_reg_value_new_string ("Plain", MEND_REG_SZ, "C:\\Windows \"x\""));
  g_ptr_array_add (v, mend_reg_value_new_string ("Accents", MEND_REG_SZ, "ü €"));
  g_ptr_array_add (v, mend_reg_value_new_string ("", MEND_REG_SZ, "default value"));
  g_ptr_array_add (v, mend_reg_value_new_string ("Line\"Break", MEND_REG_SZ, "two\nlines"));
  g_ptr_array_add (v, raw ("NoTerminator", MEND_REG_SZ, no_nul, sizeof no_nul));
  g_ptr_array_add (v, raw ("OddLength", MEND_REG_SZ, odd, sizeof odd));
  g_ptr_array_add (v, mend_reg_value_new_string ("Expand", MEND_REG_EXPAND_SZ, "%SystemRoot%\\System32\\termsrv.dll"));
  g_ptr_array_add (v, mend_reg_value_new_multi_sz ("Multi", multi));
  g_ptr_array_add (v, mend_reg_value_new_dword ("Dword", 0xDEADBEEF));
  g_ptr_array_add (v, raw ("ShortDword", MEND_REG_DWORD, short_dword, sizeof short_dword));
  g_ptr_array_add (v, mend_reg_value_new_qword ("Qword", G_GUINT64_CONSTANT (0x0102030405060708)));
  g_ptr_array_add (v, mend_reg_value_new_binary ("Big\\Binary", big, sizeof big));
  g_ptr_array_add (v, mend_reg_value_new_binary ("Empty", NULL, 0));
  g_ptr_array_add (v, raw ("None", MEND_REG_NONE, "\x01", 1));
  g_ptr_array_add (v, raw ("OddType", 0x12345, "\xff\xfe", 2));
  return v;
}

static MendRegFile *
sample_file (GPtrArray *values)
{
  MendRegFile *file = mend_reg_file_new ();
  MendRegFileKey *key = mend_reg_file_add_key (file, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test");

  for (guint i = 0; i < values->len; i++)
    mend_reg_file_key_add_value (key, g_ptr_array_index (values, i));
  mend_reg_file_key_add_deleted_value (mend_reg_file_add_key (file, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test\\Sub"),
                                       "Gone");
  mend_reg_file_add_delete_key (file, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test\\Old");
  mend_reg_file_add_comment (file, "a comment");
  return file;
}

static void
assert_same_values (GPtrArray *expected, MendRegFileKey *key)
{
  ck_assert_uint_eq (key->values->len, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      MendRegValue *a = g_ptr_array_index (expected, i);
      MendRegValue *b = g_ptr_array_index (key->values, i);

      ck_assert_str_eq (a->name, b->name);
      ck_assert_uint_eq (a->type, b->type);
      ck_assert_msg (g_bytes_equal (a->data, b->data), "bytes of %s differ", a->name);
    }
}

static void
check_round_trip (MendRegFileEncoding encoding)
{
  g_autoptr (GPtrArray) values = sample_values ();
  g_autoptr (MendRegFile) file = sample_file (values);
  g_autoptr (GBytes) bytes = mend_reg_file_to_bytes (file, encoding);
  g_autoptr (GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr (MendRegFile) back = mend_reg_file_parse (data, len, &error);
  GPtrArray *keys;
  MendRegFileKey *sub, *old;

  ck_assert_msg (back != NULL, "%s", error ? error->message : "");
  keys = mend_reg_file_get_keys (back);
  ck_assert_uint_eq (keys->len, 3);
  assert_same_values (values, g_ptr_array_index (keys, 0));
  sub = g_ptr_array_index (keys, 1);
  ck_assert_uint_eq (sub->deleted_values->len, 1);
  ck_assert_str_eq (g_ptr_array_index (sub->deleted_values, 0), "Gone");
  old = g_ptr_array_index (keys, 2);
  ck_assert (old->delete_key);
  ck_assert_str_eq (old->path, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test\\Old");
}

START_TEST (test_round_trip_utf16)
{
  check_round_trip (MEND_REG_FILE_UTF16LE);
}
END_TEST

START_TEST (test_round_trip_utf8)
{
  check_round_trip (MEND_REG_FILE_UTF8);
}
END_TEST

START_TEST (test_regedit_format)
{
  g_autoptr (GPtrArray) values = sample_values ();
  g_autoptr (MendRegFile) file = sample_file (values);
  g_autoptr (GBytes) u16 = mend_reg_file_to_bytes (file, MEND_REG_FILE_UTF16LE);
  g_autoptr (GBytes) u8 = mend_reg_file_to_bytes (file, MEND_REG_FILE_UTF8);
  gsize len;
  const guint8 *d = g_bytes_get_data (u16, &len);
  gsize text_len = 0;
  const char *text_data = g_bytes_get_data (u8, &text_len);
  g_autofree char *text = g_strndup (text_data, text_len);   /* the bytes carry no NUL */
  static const char header[] = "Windows Registry Editor Version 5.00\r\n";
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  /* BOM, then the header in UTF-16LE with CRLF. */
  ck_assert_uint_eq (d[0], 0xFF);
  ck_assert_uint_eq (d[1], 0xFE);
  for (guint i = 0; i < strlen (header); i++)
    {
      ck_assert_uint_eq (d[2 + 2 * i], (guint8) header[i]);
      ck_assert_uint_eq (d[3 + 2 * i], 0);
    }
  /* regedit's shapes for each type, and its 80-column wrapping. */
  ck_assert_ptr_nonnull (strstr (text, "\"Plain\"=\"C:\\\\Windows \\\"x\\\"\"\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Accents\"=hex(1):fc,00,20,00,ac,20,00,00\n"));
  ck_assert_ptr_nonnull (strstr (text, "@=\"default value\"\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Dword\"=dword:deadbeef\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"ShortDword\"=hex(4):01,02,03\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Qword\"=hex(b):08,07,06,05,04,03,02,01\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"NoTerminator\"=hex(1):61,00,62,00\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Expand\"=hex(2):25,00,53,00"));
  ck_assert_ptr_nonnull (strstr (text, "\"Empty\"=hex:\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"OddType\"=hex(12345):ff,fe\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Gone\"=-\n"));
  ck_assert_ptr_nonnull (strstr (text, "[-HKEY_LOCAL_MACHINE\\SYSTEM\\Test\\Old]\n"));
  ck_assert_ptr_nonnull (strstr (text, "\"Big\\\\Binary\"=hex:00,07,0e,"));
  for (guint i = 0; lines[i] != NULL; i++)
    ck_assert_msg (g_utf8_strlen (lines[i], -1) <= 80 || strstr (lines[i], "=\"") != NULL,
                   "line %u is %ld characters: %s", i + 1, g_utf8_strlen (lines[i], -1), lines[i]);
}
END_TEST

/* As regedit writes it: BOM, CRLF, wrapped hex, deletions, comments. */
START_TEST (test_parse_regedit_sample)
{
  static const char sample[] =
    "Windows Registry Editor Version 5.00\r\n"
    "\r\n"
    "; exported\r\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSLicensing\\HardwareID]\r\n"
    "\"ClientHWID\"=hex:02,00,00,00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff,01,\\\r\n"
    "  02,03\r\n"
    "@=-\r\n"
    "\"Old\"=-\r\n"
    "\"Path\"=hex(2):25,00,53,00,00,00\r\n"
    "\"N\"=dword:0000000a\r\n"
    "\r\n"
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSLicensing\\Store]\r\n";
  g_autoptr (GString) u16 = g_string_new_len ("\xff\xfe", 2);
  g_autoptr (MendRegFile) file = NULL;
  g_autoptr (GError) error = NULL;
  MendRegFileKey *k;
  guint32 dw;
  gsize len;

  for (const char *p = sample; *p; p++)
    {
      g_string_append_c (u16, *p);
      g_string_append_c (u16, 0);
    }
  file = mend_reg_file_parse ((const guint8 *) u16->str, u16->len, &error);
  ck_assert_msg (file != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (mend_reg_file_get_keys (file)->len, 2);
  k = g_ptr_array_index (mend_reg_file_get_keys (file), 0);
  ck_assert_uint_eq (k->values->len, 3);
  ck_assert_uint_eq (((MendRegValue *) k->values->pdata[0])->type, MEND_REG_BINARY);
  g_bytes_get_data (((MendRegValue *) k->values->pdata[0])->data, &len);
  ck_assert_uint_eq (len, 22);
  ck_assert_uint_eq (((MendRegValue *) k->values->pdata[1])->type, MEND_REG_EXPAND_SZ);
  ck_assert (mend_reg_value_get_dword (k->values->pdata[2], &dw, NULL));
  ck_assert_uint_eq (dw, 10);
  ck_assert_uint_eq (k->deleted_values->len, 2);
  ck_assert_str_eq (k->deleted_values->pdata[0], "");
  ck_assert_str_eq (k->deleted_values->pdata[1], "Old");
  ck_assert (((MendRegFileKey *) mend_reg_file_get_keys (file)->pdata[1])->delete_key);

  /* REGEDIT4 with a UTF-8 BOM and LF. */
  g_clear_pointer (&file, mend_reg_file_free);
  file = mend_reg_file_parse ((const guint8 *) "\xef\xbb\xbfREGEDIT4\n\n[HKEY_USERS\\x]\n\"a\"=\"b\"\n",
                              strlen ("\xef\xbb\xbfREGEDIT4\n\n[HKEY_USERS\\x]\n\"a\"=\"b\"\n"), &error);
  ck_assert_msg (file != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (((MendRegFileKey *) mend_reg_file_get_keys (file)->pdata[0])->values->len, 1);
}
END_TEST

START_TEST (test_parse_hostile)
{
  static const char * const bad[] = {
    "",
    "not a registry file\n",
    "Windows Registry Editor Version 5.00\n\"a\"=dword:1\n",           /* value before key */
    "Windows Registry Editor Version 5.00\n[K]\n\"a=dword:1\n",        /* unterminated name */
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=\"open\n",       /* unterminated string */
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=dword:123456789\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=dword:xyz\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=hex:0g\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=hex:123\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=hex(2:00\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=hex(123456789):00\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=str:\"x\"\n",
    "Windows Registry Editor Version 5.00\n[K\n",
    "Windows Registry Editor Version 5.00\n[]\n",
    "Windows Registry Editor Version 5.00\n[-K]\n\"a\"=dword:1\n",
    "Windows Registry Editor Version 5.00\n[K]\ngarbage\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\" dword:1\n",
    "Windows Registry Editor Version 5.00\n[K]\n\"a\"=hex:00,\\",         /* continuation at EOF */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MendRegFile) file = mend_reg_file_parse ((const guint8 *) bad[i], strlen (bad[i]), &error);

      if (i == G_N_ELEMENTS (bad) - 1)
        {
          /* A dangling continuation is tolerated as the last line (regedit does too). */
          ck_assert_msg (file != NULL || error != NULL, "case %u", i);
          continue;
        }
      ck_assert_msg (file == NULL, "case %u parsed: %s", i, bad[i]);
      ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE), "case %u: %s", i,
                     error ? error->message : "no error");
    }
  {
    /* NUL bytes and lone surrogates in UTF-16. */
    static const guint8 nul[] = { 0xff, 0xfe, 'W', 0, 0, 0, 'x', 0 };
    static const guint8 surrogate[] = { 0xff, 0xfe, 0x00, 0xd8, 'x', 0 };
    g_autoptr (GError) e1 = NULL;
    g_autoptr (GError) e2 = NULL;

    ck_assert_ptr_null (mend_reg_file_parse (nul, sizeof nul, &e1));
    ck_assert_ptr_null (mend_reg_file_parse (surrogate, sizeof surrogate, &e2));
    ck_assert (g_error_matches (e2, MEND_ERROR, MEND_ERROR_PARSE));
  }
}
END_TEST

START_TEST (test_paths)
{
  g_autofree char *a = mend_reg_file_path_from_seam ("HKLM\\SYSTEM\\ControlSet001\\X");
  g_autofree char *b = mend_reg_file_path_to_seam ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Y");
  g_autofree char *c = mend_reg_file_path_from_seam ("HKLMX\\Z");

  ck_assert_str_eq (a, "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\X");
  ck_assert_str_eq (b, "HKLM\\SOFTWARE\\Y");
  ck_assert_str_eq (c, "HKLMX\\Z");
}
END_TEST

/* The writer's output, imported by hivexregedit into a fresh hive, gives back every value
 * byte for byte (read with hivex directly, not through our seam). */
START_TEST (test_hivexregedit_imports_exact_bytes)
{
  g_autoptr (GPtrArray) values = sample_values ();
  g_autoptr (MendRegFile) file = mend_reg_file_new ();
  g_autoptr (MendFixture) fx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reg = NULL;
  g_autofree char *hive = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  hive_h *h;
  hive_node_h node;
  MendRegFileKey *key;

  fx = mend_fixture_new_bare ();
  hive = g_build_filename (mend_fixture_get_root (fx), "Windows", "System32", "config", "SYSTEM", NULL);
  mend_reg_file_add_key (file, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test");
  key = mend_reg_file_add_key (file, "HKEY_LOCAL_MACHINE\\SYSTEM\\Test\\Sub");
  for (guint i = 0; i < values->len; i++)
    mend_reg_file_key_add_value (key, g_ptr_array_index (values, i));
  reg = g_build_filename (mend_fixture_get_root (fx), "import.reg", NULL);
  ck_assert (mend_reg_file_save (file, reg, MEND_REG_FILE_UTF8, &error));
  cmd = g_strdup_printf ("hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\\SYSTEM' '%s' '%s'", hive, reg);
  ck_assert (g_spawn_command_line_sync (cmd, &out, NULL, &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "hivexregedit failed: %s", out);

  h = hivex_open (hive, 0);
  ck_assert_ptr_nonnull (h);
  node = hivex_node_get_child (h, hivex_node_get_child (h, hivex_root (h), "Test"), "Sub");
  ck_assert_uint_ne (node, 0);
  for (guint i = 0; i < values->len; i++)
    {
      MendRegValue *v = g_ptr_array_index (values, i);
      hive_value_h hv = hivex_node_get_value (h, node, v->name);
      hive_type t;
      size_t len;
      g_autofree char *data = NULL;
      gsize want_len;
      const void *want = g_bytes_get_data (v->data, &want_len);

      ck_assert_msg (hv != 0, "value %s missing", v->name);
      data = hivex_value_value (h, hv, &t, &len);
      ck_assert_uint_eq (t, v->type);
      ck_assert_uint_eq (len, want_len);
      ck_assert_msg (len == 0 || memcmp (data, want, len) == 0, "bytes of %s differ", v->name);
    }
  hivex_close (h);
  mend_fixture_free (g_steal_pointer (&fx));
}
END_TEST

static Suite *
regfile_suite (void)
{
  Suite *s = suite_create ("regfile");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_round_trip_utf16);
  tcase_add_test (tc, test_round_trip_utf8);
  tcase_add_test (tc, test_regedit_format);
  tcase_add_test (tc, test_parse_regedit_sample);
  tcase_add_test (tc, test_parse_hostile);
  tcase_add_test (tc, test_paths);
  tcase_add_test (tc, test_hivexregedit_imports_exact_bytes);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  g_autofree char *importer = g_find_program_in_path ("hivexregedit");
  SRunner *sr;
  int failed;

  if (importer == NULL)
    {
      g_print ("SKIP: hivexregedit (Debian package libwin-hivex-perl) is not installed; "
               "it is the independent importer these tests compare against\n");
      return 77;
    }
  sr = srunner_create (regfile_suite ());

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
