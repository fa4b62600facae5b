/* test-errcodes.c — the error-code parser, the documented tables, explanations and the
 * finding lists MendSession ranks with. */
#include <check.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "formats/mend-errcodes.h"
#include "base/mend-error.h"

static gboolean
strv_has_substring (char **strv, const char *needle)
{
  for (; strv && *strv; strv++)
    if (strstr (*strv, needle))
      return TRUE;
  return FALSE;
}

static int
index_of (const char * const *list, const char *id)
{
  for (int i = 0; list[i]; i++)
    if (g_str_equal (list[i], id))
      return i;
  return -1;
}

typedef struct {
  const char *text;
  guint32     code;
  guint32     ext;
  gboolean    has_ext;
} GoodCase;

static const GoodCase good_cases[] = {
  { "0x904/0x7", 0x904, 7, TRUE },
  { "0x904", 0x904, 0, FALSE },
  { "2308/7", 2308, 7, TRUE },
  { "2308", 2308, 0, FALSE },
  { "0X904 / 0X7", 0x904, 7, TRUE },
  { "  0x904\t/\t7 ", 0x904, 7, TRUE },
  { "0x904/0x10b", 0x904, 0x10B, TRUE },
  { "0xffffffff/4294967295", G_MAXUINT32, G_MAXUINT32, TRUE },
  { "0", 0, 0, FALSE },
  { "00002308", 2308, 0, FALSE },
};

START_TEST (test_parse_good)
{
  const GoodCase *c = &good_cases[_i];
  g_autoptr(GError) error = NULL;
  guint32 code = 1, ext = 1;
  gboolean has_ext = !c->has_ext;

  ck_assert_msg (mend_errcode_parse (c->text, &code, &ext, &has_ext, &error),
                 "“%s”: %s", c->text, error ? error->message : "");
  ck_assert_uint_eq (code, c->code);
  ck_assert_uint_eq (ext, c->ext);
  ck_assert_int_eq (has_ext, c->has_ext);
}
END_TEST

static const char * const bad_cases[] = {
  "", " ", "0x", "x904", "abc", "-1", "+7", "0x904/", "/7", "0x904/0x7/1", "4294967296",
  "0x100000000", "0x904x", "09 04", "0x-1", "0x904/-7", "2308 7", "0x 904",
  "99999999999999999999999", "\xd9\xa2\xd9\xa3", "0x904\xff", "2308/0x", "1e3",
};

START_TEST (test_parse_bad)
{
  const char *text = bad_cases[_i];
  g_autoptr(GError) error = NULL;
  guint32 code = 0xAAAA;

  ck_assert_msg (!mend_errcode_parse (text, &code, NULL, NULL, &error), "accepted “%s”", text);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  ck_assert (error->message[0] != '\0');
  ck_assert_uint_eq (code, 0xAAAA);   /* untouched on failure */
  if (g_utf8_validate (text, -1, NULL) && *text)
    ck_assert_msg (strstr (error->message, text) != NULL, "message does not quote the input: %s",
                   error->message);
}
END_TEST

START_TEST (test_parse_messages)
{
  g_autoptr(GError) e1 = NULL, e2 = NULL;

  ck_assert (!mend_errcode_parse ("4294967296", NULL, NULL, NULL, &e1));
  ck_assert_ptr_nonnull (strstr (e1->message, "0xFFFFFFFF"));
  ck_assert (!mend_errcode_parse ("-5", NULL, NULL, NULL, &e2));
  ck_assert_ptr_nonnull (strstr (e2->message, "sign"));
}
END_TEST

START_TEST (test_tables)
{
  guint n = 0, n_ext = 0;
  const MendErrcodeEntry *t = mend_errcode_get_table (&n);
  const MendErrcodeEntry *x = mend_errcode_get_extended_table (&n_ext);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  ck_assert_uint_ge (n, 40);
  for (guint i = 0; i < n; i++)
    {
      ck_assert_msg (!g_hash_table_contains (seen, GUINT_TO_POINTER (t[i].code + 1)),
                     "duplicate 0x%X", t[i].code);
      g_hash_table_add (seen, GUINT_TO_POINTER (t[i].code + 1));
      ck_assert_ptr_eq (mend_errcode_lookup (t[i].code), &t[i]);
      ck_assert (t[i].meaning && t[i].meaning[0]);
      /* CredSSP/NLA codes all end in ...07 (DOMAIN.md §1.1). */
      if (g_str_has_prefix (t[i].name, "SSL_ERR_"))
        ck_assert_uint_eq (t[i].code & 0xFF, 0x07);
      else
        ck_assert (g_str_has_prefix (t[i].name, "disconnectReason"));
    }
  for (guint i = 0; i < n_ext; i++)
    {
      ck_assert (g_str_has_prefix (x[i].name, "exDiscReason"));
      ck_assert_ptr_eq (mend_errcode_lookup_extended (x[i].code), &x[i]);
    }

  ck_assert_str_eq (mend_errcode_lookup (0x904)->name, "disconnectReasonAtClientWinsockFDCLOSE");
  ck_assert_str_eq (mend_errcode_lookup (2055)->name, "SSL_ERR_LOGON_FAILURE");
  ck_assert_str_eq (mend_errcode_lookup (0x2207)->name, "SSL_ERR_SMARTCARD_CARD_BLOCKED");
  ck_assert_str_eq (mend_errcode_lookup (0x204)->name, "disconnectReasonSocketConnectFailed");
  ck_assert_ptr_null (mend_errcode_lookup (0x1104));
  ck_assert_ptr_null (mend_errcode_lookup (0x905));
  ck_assert_str_eq (mend_errcode_lookup_extended (7)->name, "exDiscReasonServerDeniedConnection");
  /* The doc bug: LogoffByUser is 12, not 2. */
  ck_assert_str_eq (mend_errcode_lookup_extended (12)->name, "exDiscReasonLogoffByUser");
  ck_assert_str_eq (mend_errcode_lookup_extended (2)->name, "exDiscReasonAPIInitiatedLogoff");
  for (guint32 l = 0x100; l <= 0x10B; l++)
    ck_assert (g_str_has_prefix (mend_errcode_lookup_extended (l)->name, "exDiscReasonLicense"));
  ck_assert_ptr_null (mend_errcode_lookup_extended (0x10C));
}
END_TEST

START_TEST (test_describe_unknown)
{
  g_autofree char *unknown = mend_errcode_describe (0x1234);
  g_autofree char *proto_lo = mend_errcode_describe_extended (0x1000);
  g_autofree char *proto_hi = mend_errcode_describe_extended (0x7FFF);
  g_autofree char *beyond = mend_errcode_describe_extended (0x8000);
  g_autofree char *below = mend_errcode_describe_extended (0xFFF);
  g_autofree char *known = mend_errcode_describe (0x904);

  ck_assert_ptr_nonnull (strstr (unknown, "0x1234"));
  ck_assert_ptr_nonnull (strstr (unknown, "not documented"));
  ck_assert_ptr_nonnull (strstr (proto_lo, "server's event log"));
  ck_assert_ptr_nonnull (strstr (proto_hi, "server's event log"));
  ck_assert_ptr_nonnull (strstr (beyond, "not documented"));
  ck_assert_ptr_nonnull (strstr (below, "not documented"));
  ck_assert_ptr_nonnull (strstr (known, "socket closed"));
}
END_TEST

static const char * const id_prefixes[] = {
  "image.", "system.", "server.", "client.", "servicing.", "events.", "probe.", "rdpfile.", NULL
};

START_TEST (test_findings_lists_wellformed)
{
  guint n = 0;
  const MendErrcodeEntry *t = mend_errcode_get_table (&n);
  const guint32 exts[] = { 0, 7, 8, 9, 10, 12, 0x100, 0x10B, 0x300, 0x1000, 0x9999 };

  for (guint i = 0; i <= n; i++)
    for (guint j = 0; j <= G_N_ELEMENTS (exts); j++)
      {
        guint32 code = i < n ? t[i].code : 0x1104;
        gboolean has_ext = j < G_N_ELEMENTS (exts);
        const char * const *list = mend_errcode_relevant_findings (code, has_ext ? exts[j] : 0, has_ext);
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

        ck_assert_ptr_nonnull (list);
        for (guint k = 0; list[k]; k++)
          {
            gboolean prefixed = FALSE;

            for (guint p = 0; id_prefixes[p]; p++)
              prefixed |= g_str_has_prefix (list[k], id_prefixes[p]);
            ck_assert_msg (prefixed, "bad id %s", list[k]);
            ck_assert_msg (g_hash_table_add (seen, (gpointer) list[k]), "duplicate %s", list[k]);
          }
      }
}
END_TEST

START_TEST (test_findings_ranking)
{
  const char * const *denied = mend_errcode_relevant_findings (0x904, 7, TRUE);
  const char * const *closed = mend_errcode_relevant_findings (0x904, 0, FALSE);
  const char * const *lic = mend_errcode_relevant_findings (0x808, 0, FALSE);
  const char * const *lic_ext = mend_errcode_relevant_findings (0x904, 0x10B, TRUE);
  const char * const *none = mend_errcode_relevant_findings (0x1, 0, TRUE);
  const char * const *connect = mend_errcode_relevant_findings (0x204, 0, FALSE);

  ck_assert_int_eq (index_of (denied, "server.listener-disabled"), 0);
  ck_assert_int_ge (index_of (denied, "server.certificate-missing"), 0);
  ck_assert_int_lt (index_of (denied, "server.certificate-missing"),
                    index_of (denied, "servicing.recent-upgrade"));
  ck_assert_int_ge (index_of (denied, "server.security-layer-rdp"), 0);
  ck_assert_int_ge (index_of (denied, "server.firewall-closed"), 0);
  ck_assert_int_ge (index_of (denied, "rdpfile.gateway"), 0);
  /* MSLicensing does not explain a socket close. */
  ck_assert_int_eq (index_of (denied, "client.mslicensing-present"), -1);
  ck_assert_int_eq (index_of (closed, "client.mslicensing-present"), -1);
  ck_assert_int_eq (index_of (closed, "probe.unreachable"), 0);
  ck_assert_str_eq (lic[0], "client.mslicensing-damaged");
  ck_assert_str_eq (lic_ext[0], "client.mslicensing-damaged");
  ck_assert_ptr_null (none[0]);
  ck_assert_int_ge (index_of (connect, "server.rdp-disabled"), 0);
  ck_assert_int_ge (index_of (mend_errcode_relevant_findings (0x1607, 0, FALSE), "client.credssp-force-updated"), 0);
  ck_assert_int_ge (index_of (mend_errcode_relevant_findings (0x904, 9, TRUE), "events.access-denied"), 0);
  ck_assert_int_ge (index_of (mend_errcode_relevant_findings (0x1B07, 0, FALSE), "probe.certificate-expired"), 0);
}
END_TEST

START_TEST (test_explain_904_7)
{
  g_autoptr(MendErrcodeExplanation) e = mend_errcode_explain (0x904, 7, TRUE);

  ck_assert (e->documented);
  ck_assert_str_eq (e->name, "disconnectReasonAtClientWinsockFDCLOSE");
  ck_assert_str_eq (e->extended_name, "exDiscReasonServerDeniedConnection");
  ck_assert_str_eq (e->code_text, "0x904 (2308)");
  ck_assert_str_eq (e->extended_text, "0x7 (7)");
  ck_assert_ptr_nonnull (strstr (e->extended_meaning, "denied"));
  ck_assert (strv_has_substring (e->causes, "listener"));
  ck_assert (strv_has_substring (e->causes, "certificate"));
  ck_assert (strv_has_substring (e->causes, "Security-layer mismatch"));
  ck_assert (strv_has_substring (e->causes, "3389"));
  ck_assert (strv_has_substring (e->checks, "qwinsta"));
  ck_assert (strv_has_substring (e->checks, "CredSSP"));
  ck_assert (!strv_has_substring (e->causes, "MSLicensing"));
  ck_assert (strv_has_substring (e->misconceptions, "MSLicensing"));
  ck_assert (strv_has_substring (e->misconceptions, "KB2923545"));
  ck_assert (strv_has_substring (e->misconceptions, "Windows error 7"));
  ck_assert_ptr_eq (e->findings, mend_errcode_relevant_findings (0x904, 7, TRUE));
}
END_TEST

START_TEST (test_explain_2308)
{
  g_autoptr(MendErrcodeExplanation) e = mend_errcode_explain (2308, 0, FALSE);
  g_autoptr(MendErrcodeExplanation) zero = mend_errcode_explain (2308, 0, TRUE);

  ck_assert_str_eq (e->name, "disconnectReasonAtClientWinsockFDCLOSE");
  ck_assert_ptr_null (e->extended_text);
  ck_assert_ptr_null (e->extended_meaning);
  ck_assert (strv_has_substring (e->causes, "closed the connection"));
  ck_assert (strv_has_substring (e->checks, "1026"));
  ck_assert_ptr_nonnull (e->misconceptions[0]);
  ck_assert_str_eq (zero->extended_name, "exDiscReasonNoInfo");
}
END_TEST

START_TEST (test_explain_other_classes)
{
  g_autoptr(MendErrcodeExplanation) lic = mend_errcode_explain (0x808, 0, FALSE);
  g_autoptr(MendErrcodeExplanation) lic_ext = mend_errcode_explain (0x904, 0x10B, TRUE);
  g_autoptr(MendErrcodeExplanation) unknown = mend_errcode_explain (0xABCDE, 0x9999, TRUE);
  g_autoptr(MendErrcodeExplanation) proto = mend_errcode_explain (0x1104, 0x10C9, TRUE);
  g_autoptr(MendErrcodeExplanation) fine = mend_errcode_explain (1, 0, FALSE);

  ck_assert (strv_has_substring (lic->checks, "MSLicensing"));
  ck_assert_ptr_null (lic->misconceptions[0]);
  ck_assert (strv_has_substring (lic_ext->checks, "MSLicensing"));
  ck_assert (!unknown->documented);
  ck_assert_ptr_null (unknown->name);
  ck_assert_ptr_null (unknown->extended_name);
  ck_assert_ptr_nonnull (strstr (unknown->meaning, "0xABCDE"));
  ck_assert_ptr_nonnull (strstr (unknown->extended_meaning, "0x9999"));
  ck_assert_ptr_nonnull (unknown->causes[0]);
  ck_assert_str_eq (proto->extended_name, "exDiscReasonProtocolRange");
  ck_assert (strv_has_substring (proto->checks, "event log"));
  ck_assert_ptr_null (fine->causes[0]);
  ck_assert_ptr_nonnull (strstr (fine->summary, "not an error"));
}
END_TEST

START_TEST (test_explain_json)
{
  g_autoptr(MendErrcodeExplanation) e = mend_errcode_explain (0x904, 7, TRUE);
  g_autoptr(JsonNode) node = mend_errcode_explanation_to_json (e);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  ck_assert (json_parser_load_from_data (parser, text, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (o, "code"), 2308);
  ck_assert_str_eq (json_object_get_string_member (o, "code_hex"), "0x904");
  ck_assert_int_eq (json_object_get_int_member (o, "extended"), 7);
  ck_assert_str_eq (json_object_get_string_member (o, "extended_name"), "exDiscReasonServerDeniedConnection");
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (o, "causes")),
                     g_strv_length (e->causes));
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (o, "findings"), 0),
                    "server.listener-disabled");
}
END_TEST

static Suite *
errcodes_suite (void)
{
  Suite *s = suite_create ("errcodes");
  TCase *tc = tcase_create ("core");

  tcase_add_loop_test (tc, test_parse_good, 0, G_N_ELEMENTS (good_cases));
  tcase_add_loop_test (tc, test_parse_bad, 0, G_N_ELEMENTS (bad_cases));
  tcase_add_test (tc, test_parse_messages);
  tcase_add_test (tc, test_tables);
  tcase_add_test (tc, test_describe_unknown);
  tcase_add_test (tc, test_findings_lists_wellformed);
  tcase_add_test (tc, test_findings_ranking);
  tcase_add_test (tc, test_explain_904_7);
  tcase_add_test (tc, test_explain_2308);
  tcase_add_test (tc, test_explain_other_classes);
  tcase_add_test (tc, test_explain_json);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (errcodes_suite ());
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
