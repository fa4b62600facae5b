/* test-rdpfile.c — the .rdp parser on files generated here (encodings, line ends, broken
 * lines, binary values, gateway variants, signatures) and the rdpfile.* findings. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "base/mend-error.h"
#include "base/mend-finding.h"
#include "formats/mend-rdpfile.h"

static char *tmpdir;

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("mend-rdpfile-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmpdir);
}

static void
teardown (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (tmpdir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

static char *
write_file (const char *name, const void *data, gssize len)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  ck_assert (g_file_set_contents (path, data, len < 0 ? (gssize) strlen (data) : len, NULL));
  return path;
}

/* UTF-16LE with BOM, CRLF line ends: what mstsc writes. */
static char *
write_utf16 (const char *name, const char *utf8_lf)
{
  g_auto(GStrv) lines = g_strsplit (utf8_lf, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  gsize n = 0;
  g_autofree char *utf16 = g_convert (crlf, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  ck_assert_ptr_nonnull (utf16);
  g_byte_array_append (bytes, (const guint8 *) "\xff\xfe", 2);
  g_byte_array_append (bytes, (const guint8 *) utf16, n);
  return write_file (name, bytes->data, bytes->len);
}

static MendRdpFile *
parse_str (const char *text, MendRdpFileParseFlags flags, GError **error)
{
  return mend_rdpfile_parse ((const guint8 *) text, strlen (text), flags, error);
}

static MendFinding *
find (GPtrArray *findings, const char *id)
{
  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), id))
      return g_ptr_array_index (findings, i);
  return NULL;
}

static guint
count (GPtrArray *findings, const char *id)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    n += g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), id);
  return n;
}

START_TEST (test_utf8_lf_basic)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendRdpFile) f = parse_str ("full address:s:server.example:3390\n"
                                        "Server Port:i:4000\n"
                                        "alternate shell:s:C:\\Windows\\notepad.exe\n"
                                        "\n"
                                        "   \n"
                                        "Some Future Setting:s:kept\n"
                                        "desktopwidth:i:-1920\n",
                                        MEND_RDPFILE_PARSE_NONE, &error);
  g_autofree char *host = NULL;
  guint port = 0;
  const char *from = NULL;
  gint64 width = 0;
  const MendRdpSetting *s;

  ck_assert_msg (f != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (mend_rdpfile_get_encoding (f), "ASCII");
  ck_assert (!mend_rdpfile_uses_crlf (f));
  ck_assert_uint_eq (mend_rdpfile_get_settings (f)->len, 5);
  /* split at the first ':' only: the value keeps its colons */
  ck_assert_str_eq (mend_rdpfile_get_string (f, "ALTERNATE SHELL"), "C:\\Windows\\notepad.exe");
  ck_assert_str_eq (mend_rdpfile_get_string (f, "some future setting"), "kept");
  s = mend_rdpfile_lookup (f, "server port");
  ck_assert_str_eq (s->name, "Server Port");
  ck_assert_int_eq (s->line, 2);
  ck_assert (mend_rdpfile_get_integer (f, "desktopwidth", &width));
  ck_assert_int_eq (width, -1920);
  ck_assert (!mend_rdpfile_get_integer (f, "full address", NULL));
  /* The port in full address wins over server port. */
  ck_assert (mend_rdpfile_get_address (f, &host, &port, &from));
  ck_assert_str_eq (host, "server.example");
  ck_assert_uint_eq (port, 3390);
  ck_assert_str_eq (from, "full address");
  ck_assert_int_eq (mend_rdpfile_lookup (f, "some future setting")->line, 6);
}
END_TEST

START_TEST (test_address_rules)
{
  struct { const char *text; const char *host; guint port; gboolean ok; } cases[] = {
    { "full address:s:a.example\nserver port:i:4000\n", "a.example", 4000, TRUE },
    { "full address:s:a.example\n", "a.example", 3389, TRUE },
    { "full address:s:a.example\nalternate full address:s:b.example:5000\n", "b.example", 5000, TRUE },
    { "full address:s:a.example:1\nalternate full address:s:\n", "a.example", 1, TRUE },
    { "full address:s:[fe80::1]:3390\n", "fe80::1", 3390, TRUE },
    { "full address:s:[::1]\n", "::1", 3389, TRUE },
    { "full address:s:a.example:99999\n", NULL, 0, FALSE },
    { "full address:s:a.example:\n", NULL, 0, FALSE },
    { "full address:s:[::1\n", NULL, 0, FALSE },
    { "full address:s:\n", NULL, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendRdpFile) f = parse_str (cases[i].text, MEND_RDPFILE_PARSE_NONE, NULL);
      g_autofree char *host = NULL;
      guint port = 0;

      ck_assert_ptr_nonnull (f);
      ck_assert_msg (mend_rdpfile_get_address (f, &host, &port, NULL) == cases[i].ok, "case %u", i);
      if (cases[i].ok)
        {
          ck_assert_str_eq (host, cases[i].host);
          ck_assert_uint_eq (port, cases[i].port);
        }
      else
        ck_assert_ptr_null (host);
    }
}
END_TEST

START_TEST (test_utf16_crlf_file)
{
  g_autofree char *path = write_utf16 ("a.rdp", "full address:s:srv.example\nusername:s:DOM\\J\xc3\xbcrgen\n"
                                       "password 51:b:01000000D08C9DDF0115D1118C7A00C0\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(MendRdpFile) f = mend_rdpfile_load (path, MEND_RDPFILE_PARSE_NONE, &error);
  const MendRdpSetting *pw;
  gsize n = 0;
  const guint8 *b;

  ck_assert_msg (f != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (mend_rdpfile_get_encoding (f), "UTF-16LE");
  ck_assert (mend_rdpfile_has_bom (f));
  ck_assert (mend_rdpfile_uses_crlf (f));
  ck_assert_str_eq (mend_rdpfile_get_string (f, "username"), "DOM\\J\xc3\xbcrgen");
  pw = mend_rdpfile_lookup (f, "Password 51");
  ck_assert_int_eq (pw->type, MEND_RDP_TYPE_BINARY);
  b = g_bytes_get_data (pw->binary, &n);
  ck_assert_uint_eq (n, 16);
  ck_assert_uint_eq (b[0], 0x01);
  ck_assert_uint_eq (b[4], 0xD0);
  ck_assert_uint_eq (b[15], 0xC0);
}
END_TEST

START_TEST (test_other_encodings)
{
  const char bom8[] = "\xef\xbb\xbf" "full address:s:h\xc3\xa9.example\r\n";
  const char cp1252[] = "full address:s:h\xe9.example\n";
  const char be[] = "\xfe\xff\0f\0u\0l\0l\0 \0a\0d\0d\0r\0e\0s\0s\0:\0s\0:\0x\0\n";
  g_autoptr(MendRdpFile) a = mend_rdpfile_parse ((const guint8 *) bom8, sizeof bom8 - 1, 0, NULL);
  g_autoptr(MendRdpFile) b = mend_rdpfile_parse ((const guint8 *) cp1252, sizeof cp1252 - 1, 0, NULL);
  g_autoptr(MendRdpFile) c = mend_rdpfile_parse ((const guint8 *) be, sizeof be - 1, 0, NULL);

  ck_assert_str_eq (mend_rdpfile_get_encoding (a), "UTF-8");
  ck_assert (mend_rdpfile_has_bom (a));
  ck_assert_str_eq (mend_rdpfile_get_string (a, "full address"), "h\xc3\xa9.example");
  ck_assert_str_eq (mend_rdpfile_get_encoding (b), "Windows-1252");
  ck_assert_str_eq (mend_rdpfile_get_string (b, "full address"), "h\xc3\xa9.example");
  ck_assert_str_eq (mend_rdpfile_get_encoding (c), "UTF-16BE");
  ck_assert_str_eq (mend_rdpfile_get_string (c, "full address"), "x");
}
END_TEST

START_TEST (test_encoding_errors)
{
  struct { const char *data; gsize len; const char *needle; } cases[] = {
    { "\xff\xfe" "f\0u\0l", 7, "odd number of bytes" },
    { "\xff\xfe" "f\0\0\0x\0", 8, "NUL character" },
    { "\xff\xfe" "\x00\xd8" "a\0", 6, "UTF-16" },               /* lone high surrogate */
    { "full address:s:x\n\0\0", 19, "NUL byte" },
    { "f\0u\0l\0l\0", 8, "byte order mark" },                     /* UTF-16 without BOM */
    { "\xef\xbb\xbf" "a:s:\xff\n", 9, "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendRdpFile) f = mend_rdpfile_parse ((const guint8 *) cases[i].data, cases[i].len,
                                                     MEND_RDPFILE_PARSE_LENIENT, &error);

      ck_assert_msg (f == NULL, "case %u parsed", i);
      ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
      ck_assert_msg (strstr (error->message, cases[i].needle), "case %u: %s", i, error->message);
    }
}
END_TEST

static const char *malformed_lines[] = {
  "no colon here", ":s:x", "   :i:1", "full address::x", "full address:ss:x", "full address:s",
  "x:q:1", "desktopwidth:i:wide", "desktopwidth:i:", "desktopwidth:i:99999999999",
  "password 51:b:0G", "password 51:b:012",
};

START_TEST (test_malformed_line_strict)
{
  g_autofree char *text = g_strdup_printf ("full address:s:x\nscreen mode id:i:2\n%s\nlast:s:y\n",
                                           malformed_lines[_i]);
  g_autoptr(GError) error = NULL;
  g_autoptr(MendRdpFile) f = parse_str (text, MEND_RDPFILE_PARSE_NONE, &error);

  ck_assert_msg (f == NULL, "accepted “%s”", malformed_lines[_i]);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
  ck_assert_msg (g_str_has_prefix (error->message, "Line 3: "), "%s", error->message);
}
END_TEST

START_TEST (test_malformed_lenient_and_finding)
{
  g_autofree char *path = write_file ("broken.rdp",
                                      "full address:s:good.example\r\n"
                                      "this is not a setting\r\n"
                                      "desktopwidth:i:1920\r\n"
                                      "x:z:1\r\n", -1);
  g_autoptr(MendRdpFile) f = mend_rdpfile_load (path, MEND_RDPFILE_PARSE_LENIENT, NULL);
  g_autoptr(GPtrArray) findings = mend_rdpfile_diagnose (path, NULL);
  g_autofree char *target = g_strconcat ("rdpfile:", path, NULL);
  MendFinding *inv;
  MendRdpProblem *p;
  JsonObject *extra;

  ck_assert_uint_eq (mend_rdpfile_get_settings (f)->len, 2);
  ck_assert_uint_eq (mend_rdpfile_get_problems (f)->len, 2);
  p = g_ptr_array_index (mend_rdpfile_get_problems (f), 0);
  ck_assert_uint_eq (p->line, 2);
  ck_assert_str_eq (p->text, "this is not a setting");
  p = g_ptr_array_index (mend_rdpfile_get_problems (f), 1);
  ck_assert_uint_eq (p->line, 4);
  ck_assert_ptr_nonnull (strstr (p->message, "unknown type"));

  inv = find (findings, "rdpfile.invalid");
  ck_assert_ptr_nonnull (inv);
  ck_assert_int_eq (mend_finding_get_severity (inv), MEND_SEVERITY_PROBLEM);
  ck_assert_str_eq (mend_finding_get_target (inv), target);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (inv), "line 2"));
  extra = mend_finding_get_extra (inv);
  ck_assert_int_eq (json_object_get_int_member (extra, "line"), 2);
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (extra, "lines")), 2);
  ck_assert_uint_eq (mend_finding_get_evidence (inv)->len, 2);
  /* The valid lines still give a summary. */
  ck_assert_ptr_nonnull (find (findings, "rdpfile.summary"));
}
END_TEST

START_TEST (test_duplicates_last_wins)
{
  g_autoptr(MendRdpFile) f = parse_str ("full address:s:first\nFULL ADDRESS:s:second\n", 0, NULL);

  ck_assert_str_eq (mend_rdpfile_get_string (f, "full address"), "second");
  ck_assert_uint_eq (mend_rdpfile_get_settings (f)->len, 2);
}
END_TEST

typedef struct {
  const char   *lines;
  gboolean      expect;
  MendSeverity  severity;
  const char   *needle;
} GatewayCase;

static const GatewayCase gateway_cases[] = {
  { "", FALSE, 0, NULL },
  { "gatewayhostname:s:\ngatewayusagemethod:i:0\n", FALSE, 0, NULL },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:1\ngatewaycredentialssource:i:0\n",
    TRUE, MEND_SEVERITY_INFO, "ask for a password" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:2\ngatewaycredentialssource:i:4\n",
    TRUE, MEND_SEVERITY_INFO, "direct connection fails" },
  { "gatewayusagemethod:i:1\n", TRUE, MEND_SEVERITY_WARNING, "gatewayhostname is empty" },
  { "gatewayhostname:s:  \ngatewayusagemethod:i:2\n", TRUE, MEND_SEVERITY_WARNING, "gatewayhostname is empty" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:0\n", TRUE, MEND_SEVERITY_WARNING, "is ignored" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:4\n", TRUE, MEND_SEVERITY_WARNING, "is ignored" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:9\n", TRUE, MEND_SEVERITY_WARNING, "not a known value (0–4)" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:i:1\ngatewaycredentialssource:i:42\n",
    TRUE, MEND_SEVERITY_WARNING, "not a known value (0–5)" },
  { "gatewayhostname:s:gw.example\ngatewayusagemethod:s:1\n", TRUE, MEND_SEVERITY_WARNING, "not a known value" },
  { "gatewayhostname:s:gw.example\n", TRUE, MEND_SEVERITY_INFO, "not set" },
};

START_TEST (test_gateway_variants)
{
  const GatewayCase *c = &gateway_cases[_i];
  g_autofree char *text = g_strconcat ("full address:s:target.example\n", c->lines, NULL);
  g_autofree char *path = write_file ("gw.rdp", text, -1);
  g_autoptr(GPtrArray) findings = mend_rdpfile_diagnose (path, NULL);
  MendFinding *gw = find (findings, "rdpfile.gateway");

  ck_assert_ptr_null (find (findings, "rdpfile.invalid"));
  if (!c->expect)
    {
      ck_assert_ptr_null (gw);
      return;
    }
  ck_assert_ptr_nonnull (gw);
  ck_assert_int_eq (mend_finding_get_severity (gw), c->severity);
  ck_assert_msg (strstr (mend_finding_get_detail (gw), c->needle), "case %d: %s", _i,
                 mend_finding_get_detail (gw));
  ck_assert (json_object_get_boolean_member (mend_finding_get_extra (gw), "consistent") ==
             (c->severity == MEND_SEVERITY_INFO));
}
END_TEST

START_TEST (test_summary_security)
{
  g_autofree char *path = write_file ("sec.rdp",
                                      "full address:s:srv.example\n"
                                      "authentication level:i:0\n"
                                      "enablecredsspsupport:i:0\n"
                                      "negotiate security layer:i:1\n"
                                      "prompt for credentials:i:1\n"
                                      "kdcproxyname:s:kdc.example\n", -1);
  g_autoptr(GPtrArray) findings = mend_rdpfile_diagnose (path, NULL);
  MendFinding *sum = find (findings, "rdpfile.summary");
  JsonObject *extra;
  JsonArray *diff;
  const char *detail;

  ck_assert_ptr_nonnull (sum);
  ck_assert_int_eq (mend_finding_get_severity (sum), MEND_SEVERITY_INFO);
  detail = mend_finding_get_detail (sum);
  ck_assert_ptr_nonnull (strstr (detail, "srv.example, port 3389"));
  ck_assert_ptr_nonnull (strstr (detail, "authentication level is 0"));
  ck_assert_ptr_nonnull (strstr (detail, "enablecredsspsupport is 0"));
  ck_assert_ptr_null (strstr (detail, "negotiate security layer is"));
  ck_assert_ptr_nonnull (strstr (detail, "kdc.example"));
  extra = mend_finding_get_extra (sum);
  ck_assert_str_eq (json_object_get_string_member (extra, "host"), "srv.example");
  ck_assert_int_eq (json_object_get_int_member (extra, "port"), 3389);
  ck_assert (!json_object_get_boolean_member (extra, "signed"));
  diff = json_object_get_array_member (extra, "non_default_security");
  ck_assert_uint_eq (json_array_get_length (diff), 4);
  ck_assert_str_eq (json_array_get_string_element (diff, 0), "authentication level");
}
END_TEST

START_TEST (test_summary_defaults_and_alternate)
{
  g_autofree char *path = write_file ("alt.rdp",
                                      "full address:s:old.example\n"
                                      "alternate full address:s:new.example:3391\n"
                                      "authentication level:i:3\n", -1);
  g_autoptr(GPtrArray) findings = mend_rdpfile_diagnose (path, NULL);
  MendFinding *sum = find (findings, "rdpfile.summary");

  ck_assert_uint_eq (findings->len, 1);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (sum), "new.example, port 3391"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (sum), "overrides"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (sum), "at their defaults"));
}
END_TEST

static char *
make_signature (gsize body_len, gboolean good_header)
{
  g_autofree guint8 *raw = g_malloc0 (12 + body_len);

  raw[0] = 1; raw[2] = 1; raw[4] = 1;
  raw[8] = body_len & 0xFF;
  raw[9] = (body_len >> 8) & 0xFF;
  if (!good_header)
    raw[0] = 2;
  for (gsize i = 0; i < body_len; i++)
    raw[12 + i] = (guint8) (i * 7);
  return g_base64_encode (raw, 12 + body_len);
}

START_TEST (test_signed_files)
{
  g_autofree char *good = make_signature (300, TRUE);
  g_autofree char *bad = make_signature (300, FALSE);
  g_autofree char *good_split = NULL;
  struct { const char *sig; gboolean scope; gboolean expect_signed; const char *needle; } cases[] = {
    { good, TRUE, TRUE, "signature covers: Full Address,Alternate Full Address" },
    { NULL, TRUE, TRUE, "signature covers" },
    { bad, TRUE, FALSE, "not in the format rdpsign writes" },
    { "!!!notbase64", TRUE, FALSE, "not in the format" },
    { good, FALSE, FALSE, "no signscope" },
    { NULL, FALSE, FALSE, "no signature" },
  };
  GString *split = g_string_new (NULL);

  /* rdpsign may split the base64 into 64-character chunks separated by two spaces. */
  for (gsize i = 0; good[i]; i++)
    {
      if (i > 0 && i % 64 == 0)
        g_string_append (split, "  ");
      g_string_append_c (split, good[i]);
    }
  good_split = g_string_free (split, FALSE);
  cases[1].sig = good_split;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GPtrArray) findings = NULL;
      MendFinding *sum;

      if (i == 5)   /* signscope missing and signature missing: test the scope-only case */
        text = g_strdup ("full address:s:a\nsignscope:s:Full Address\n");
      else
        text = g_strdup_printf ("full address:s:a\nalternate full address:s:a\n%s%s%s%s",
                                cases[i].scope ? "signscope:s:Full Address,Alternate Full Address\n" : "",
                                cases[i].sig ? "signature:s:" : "", cases[i].sig ? cases[i].sig : "",
                                cases[i].sig ? "\n" : "");
      path = write_file ("signed.rdp", text, -1);
      findings = mend_rdpfile_diagnose (path, NULL);
      sum = find (findings, "rdpfile.summary");
      ck_assert_msg (strstr (mend_finding_get_detail (sum), cases[i].needle), "case %u: %s", i,
                     mend_finding_get_detail (sum));
      ck_assert_int_eq (json_object_get_boolean_member (mend_finding_get_extra (sum), "signed"),
                        cases[i].expect_signed);
    }
}
END_TEST

START_TEST (test_diagnose_unusable)
{
  g_autofree char *missing = g_build_filename (tmpdir, "missing.rdp", NULL);
  g_autofree char *empty = write_file ("empty.rdp", "", 0);
  g_autofree char *noaddr = write_file ("noaddr.rdp", "screen mode id:i:2\n", -1);
  g_autofree char *binary = write_file ("bin.rdp", "MZ\x90\0\x03\0\0\0", 8);
  g_autoptr(GPtrArray) f1 = mend_rdpfile_diagnose (missing, NULL);
  g_autoptr(GPtrArray) f2 = mend_rdpfile_diagnose (empty, NULL);
  g_autoptr(GPtrArray) f3 = mend_rdpfile_diagnose (noaddr, NULL);
  g_autoptr(GPtrArray) f4 = mend_rdpfile_diagnose (binary, NULL);
  g_autoptr(GError) error = NULL;

  ck_assert_uint_eq (f1->len, 1);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (find (f1, "rdpfile.invalid")), "Cannot read"));
  ck_assert_uint_eq (count (f2, "rdpfile.invalid"), 1);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_title (find (f2, "rdpfile.invalid")), "no settings"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_title (find (f3, "rdpfile.invalid")), "names no server"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (find (f3, "rdpfile.summary")), "missing"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_detail (find (f4, "rdpfile.invalid")), "NUL byte"));
  ck_assert_ptr_null (mend_rdpfile_diagnose ("", &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
}
END_TEST

START_TEST (test_diagnose_data_matches_file)
{
  const char text[] = "full address:s:srv.example\ngatewayusagemethod:i:1\nbad line\n";
  g_autofree char *path = write_file ("mem.rdp", text, -1);
  g_autoptr(GPtrArray) from_file = mend_rdpfile_diagnose (path, NULL);
  g_autoptr(GPtrArray) from_data = mend_rdpfile_diagnose_data (path, (const guint8 *) text, sizeof text - 1);

  ck_assert_uint_eq (from_file->len, 3);
  ck_assert_uint_eq (from_data->len, from_file->len);
  for (guint i = 0; i < from_file->len; i++)
    {
      MendFinding *a = g_ptr_array_index (from_file, i), *b = g_ptr_array_index (from_data, i);

      ck_assert_str_eq (mend_finding_get_id (a), mend_finding_get_id (b));
      ck_assert_str_eq (mend_finding_get_detail (a), mend_finding_get_detail (b));
      ck_assert_str_eq (mend_finding_get_target (a), mend_finding_get_target (b));
    }
}
END_TEST

START_TEST (test_load_errors)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (tmpdir, "nope.rdp", NULL);

  ck_assert_ptr_null (mend_rdpfile_load (missing, 0, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("rdpfile");
  TCase *tc = tcase_create ("core");
  SRunner *sr;
  int failed;

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_utf8_lf_basic);
  tcase_add_test (tc, test_address_rules);
  tcase_add_test (tc, test_utf16_crlf_file);
  tcase_add_test (tc, test_other_encodings);
  tcase_add_test (tc, test_encoding_errors);
  tcase_add_loop_test (tc, test_malformed_line_strict, 0, G_N_ELEMENTS (malformed_lines));
  tcase_add_test (tc, test_malformed_lenient_and_finding);
  tcase_add_test (tc, test_duplicates_last_wins);
  tcase_add_loop_test (tc, test_gateway_variants, 0, G_N_ELEMENTS (gateway_cases));
  tcase_add_test (tc, test_summary_security);
  tcase_add_test (tc, test_summary_defaults_and_alternate);
  tcase_add_test (tc, test_signed_files);
  tcase_add_test (tc, test_diagnose_unusable);
  tcase_add_test (tc, test_diagnose_data_matches_file);
  tcase_add_test (tc, test_load_errors);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
