/* test-report.c — reports (text, Markdown, HTML, JSON), redaction and the connection-path
 * model, on generated images diagnosed for real. */
#include "mend-fixture.h"
#include "report/mend-report.h"
#include "session/mend-session.h"

#include <check.h>
#include <string.h>

/* Expired certificate bound to RDP-Tcp + MSLicensing without its Store. */
static MendFixture *
broken_fixture (void)
{
  MendFixture *fx = mend_fixture_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  MendFixtureCertSpec spec = { .common_name = "rdsh01.corp.example",
                               .not_before = now - 400 * 86400,
                               .not_after = now - 10 * 86400 };
  g_autofree char *thumb = mend_fixture_add_certificate (fx, "MY", &spec);

  mend_fixture_bind_certificate (fx, thumb);
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\Store");
  mend_fixture_commit (fx);
  return fx;
}

static MendSession *
diagnose (MendFixture *fx)
{
  MendSession *session = mend_session_new ();
  g_autoptr(GError) error = NULL;

  ck_assert_msg (mend_session_add_image (session, mend_fixture_get_root (fx), &error), "%s",
                 error ? error->message : "");
  ck_assert_msg (mend_session_diagnose (session, NULL, &error), "%s",
                 error ? error->message : "");
  return session;
}

static gboolean
contains_ci (const char *haystack, const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);
  return strstr (h, n) != NULL;
}

START_TEST (test_stage_mapping)
{
  MendStage stage;

  ck_assert (mend_stage_for_id ("server.certificate-expired", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_CERTIFICATE);
  ck_assert (mend_stage_for_id ("probe.certificate-name-mismatch", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_CERTIFICATE);
  ck_assert (mend_stage_for_id ("client.mslicensing-damaged", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_LICENSING);
  ck_assert (mend_stage_for_id ("probe.negotiation-failure", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_NEGOTIATION);
  ck_assert (mend_stage_for_id ("probe.tls-failed", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_TLS);
  ck_assert (mend_stage_for_id ("server.tls-disabled", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_TLS);
  ck_assert (mend_stage_for_id ("probe.unreachable", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_NETWORK);
  ck_assert (mend_stage_for_id ("server.firewall-closed", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_NETWORK);
  ck_assert (mend_stage_for_id ("server.rdp-disabled-by-policy", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_SERVER);
  ck_assert (mend_stage_for_id ("client.credssp-force-updated", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_SIGNIN);
  ck_assert (mend_stage_for_id ("events.access-denied", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_SIGNIN);
  ck_assert (mend_stage_for_id ("client.files-missing", &stage));
  ck_assert_int_eq (stage, MEND_STAGE_LOCAL);
  /* Not on the path: identity, servicing, skipped checks. */
  ck_assert (!mend_stage_for_id ("system.identity", NULL));
  ck_assert (!mend_stage_for_id ("servicing.reboot-pending", NULL));
  ck_assert (!mend_stage_for_id ("image.hive-dirty", NULL));
  ck_assert (!mend_stage_for_id (NULL, NULL));

  {
    g_autoptr(MendFinding) skipped = mend_finding_new ("check.skipped", MEND_SEVERITY_INFO,
                                                       MEND_CONFIDENCE_CONFIRMED, "skipped");
    mend_finding_set_check (skipped, "server.certificate");
    ck_assert (!mend_stage_for_finding (skipped, NULL));
  }
}
END_TEST

START_TEST (test_path_broken_image)
{
  MendFixture *fx = broken_fixture ();
  g_autoptr(MendSession) session = diagnose (fx);
  MendStageState states[MEND_N_STAGES];
  int first = mend_path_compute (mend_session_get_findings (session), states);

  ck_assert_int_eq (first, MEND_STAGE_CERTIFICATE);
  ck_assert_int_eq (states[MEND_STAGE_CERTIFICATE], MEND_STAGE_STATE_FAILED);
  ck_assert_int_eq (states[MEND_STAGE_LICENSING], MEND_STAGE_STATE_FAILED);
  /* The image's listener, services and TLS switches were checked and are fine. */
  ck_assert_int_eq (states[MEND_STAGE_SERVER], MEND_STAGE_STATE_OK);
  ck_assert_int_eq (states[MEND_STAGE_TLS], MEND_STAGE_STATE_OK);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_path_healthy_and_unchecked)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr(MendSession) session = NULL;
  g_autoptr(GListStore) empty = g_list_store_new (MEND_TYPE_FINDING);
  MendStageState states[MEND_N_STAGES];

  mend_fixture_commit (fx);
  session = diagnose (fx);
  ck_assert_int_eq (mend_path_compute (mend_session_get_findings (session), states), -1);
  for (guint s = 0; s < MEND_N_STAGES; s++)
    ck_assert_int_ne (states[s], MEND_STAGE_STATE_FAILED);
  ck_assert_int_eq (states[MEND_STAGE_CERTIFICATE], MEND_STAGE_STATE_OK);

  /* Nothing diagnosed: every stage grey, never green. */
  ck_assert_int_eq (mend_path_compute (G_LIST_MODEL (empty), states), -1);
  for (guint s = 0; s < MEND_N_STAGES; s++)
    ck_assert_int_eq (states[s], MEND_STAGE_STATE_NOT_CHECKED);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_markdown_and_text)
{
  MendFixture *fx = broken_fixture ();
  g_autoptr(MendSession) session = diagnose (fx);
  const char *notes[] = { "Applied fixes (journal entry 42)", NULL };
  g_autofree char *md = mend_report_render (session, MEND_REPORT_FORMAT_MARKDOWN,
                                            MEND_REPORT_FLAGS_NONE, notes);
  g_autofree char *tech = mend_report_render (session, MEND_REPORT_FORMAT_MARKDOWN,
                                              MEND_REPORT_FLAGS_TECHNICAL, NULL);
  g_autofree char *text = mend_report_render (session, MEND_REPORT_FORMAT_TEXT,
                                              MEND_REPORT_FLAGS_NONE, NULL);
  const char *problems, *passed;

  ck_assert (g_str_has_prefix (md, "# Remote Desktop diagnosis\n"));
  ck_assert_msg (strstr (md, "## Connection path") != NULL, "%s", md);
  ck_assert (strstr (md, "- Certificate: problem found") != NULL);
  ck_assert (strstr (md, "- Licensing: problem found") != NULL);
  ck_assert (strstr (md, "Why we think so:") != NULL);
  ck_assert (strstr (md, "Applied fixes (journal entry 42)") != NULL);
  /* Problems come before the passed checks. */
  problems = strstr (md, "## Problems");
  passed = strstr (md, "## Checks that passed");
  ck_assert (problems != NULL && passed != NULL && problems < passed);
  ck_assert (strstr (problems, "expired") != NULL && strstr (problems, "expired") < passed);
  /* Registry paths are escaped so Markdown shows them as written. */
  ck_assert (strstr (tech, "HKLM\\\\SOFTWARE\\\\Microsoft\\\\MSLicensing") != NULL);
  ck_assert (strstr (tech, "server.certificate-expired") != NULL);
  ck_assert (strstr (md, "server.certificate-expired") == NULL);
  /* Plain text: underlined headings, no Markdown markers. */
  ck_assert (strstr (text, "Remote Desktop diagnosis\n========================") != NULL);
  ck_assert (strstr (text, "## ") == NULL);
  mend_fixture_free (fx);
}
END_TEST

static void
svg_start (GMarkupParseContext *ctx, const char *element, const char **names,
           const char **values, gpointer user_data, GError **error)
{
  GHashTable *states = user_data;
  const char *klass = NULL, *state = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "class"))
        klass = values[i];
      else if (g_str_equal (names[i], "data-state"))
        state = values[i];
    }
  if (g_str_equal (element, "g") && klass != NULL && state != NULL)
    g_hash_table_insert (states, g_strdup (klass), g_strdup (state));
}

START_TEST (test_html_has_wellformed_picture)
{
  MendFixture *fx = broken_fixture ();
  g_autoptr(MendSession) session = diagnose (fx);
  g_autofree char *html = mend_report_render (session, MEND_REPORT_FORMAT_HTML,
                                              MEND_REPORT_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GMarkupParser parser = { .start_element = svg_start };
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  const char *start, *end;
  g_autofree char *svg = NULL;

  ck_assert (g_str_has_prefix (html, "<!DOCTYPE html>"));
  ck_assert (strstr (html, "</html>") != NULL);
  start = strstr (html, "<svg");
  end = strstr (html, "</svg>");
  ck_assert (start != NULL && end != NULL);
  svg = g_strndup (start, end + strlen ("</svg>") - start);
  /* The picture must be XML a browser accepts: parse it strictly. */
  ctx = g_markup_parse_context_new (&parser, 0, states, NULL);
  ck_assert_msg (g_markup_parse_context_parse (ctx, svg, -1, &error)
                 && g_markup_parse_context_end_parse (ctx, &error),
                 "SVG not well-formed: %s", error ? error->message : "");
  ck_assert_int_eq (g_hash_table_size (states), MEND_N_STAGES);
  ck_assert_str_eq (g_hash_table_lookup (states, "stage stage-certificate"), "failed");
  ck_assert_str_eq (g_hash_table_lookup (states, "stage stage-licensing"), "failed");
  ck_assert_str_eq (g_hash_table_lookup (states, "stage stage-server"), "ok");
  /* The words are there too, for readers who cannot tell the colours apart. */
  ck_assert (strstr (html, "<li>Certificate: problem found</li>") != NULL);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_json_has_path)
{
  MendFixture *fx = broken_fixture ();
  g_autoptr(MendSession) session = diagnose (fx);
  g_autofree char *json = mend_report_render (session, MEND_REPORT_FORMAT_JSON,
                                              MEND_REPORT_FLAGS_NONE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *path;

  ck_assert_msg (json_parser_load_from_data (parser, json, -1, &error), "%s",
                 error ? error->message : "");
  root = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (root, "schema"), 1);
  path = json_object_get_object_member (root, "path");
  ck_assert (path != NULL);
  ck_assert_str_eq (json_object_get_string_member (path, "certificate"), "failed");
  ck_assert_str_eq (json_object_get_string_member (path, "licensing"), "failed");
  ck_assert_int_eq (json_object_get_size (path), MEND_N_STAGES);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_redaction_hides_users_and_hosts)
{
  MendFixture *fx = broken_fixture ();
  g_autoptr(MendSession) session = diagnose (fx);
  static const MendReportFormat formats[] = { MEND_REPORT_FORMAT_TEXT,
                                              MEND_REPORT_FORMAT_MARKDOWN,
                                              MEND_REPORT_FORMAT_HTML,
                                              MEND_REPORT_FORMAT_JSON };
  g_autoptr(GHashTable) names = mend_report_collect_names (session);

  /* The fixture's user "alice" connected to server01.example.test (NTUSER.DAT history). */
  ck_assert_msg (g_hash_table_contains (names, "alice"), "alice not collected");
  ck_assert_msg (g_hash_table_contains (names, "server01.example.test"), "host not collected");

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *plain = mend_report_render (session, formats[i],
                                                   MEND_REPORT_FLAGS_TECHNICAL, NULL);
      g_autofree char *hidden = mend_report_render (session, formats[i],
                                                    MEND_REPORT_FLAGS_TECHNICAL
                                                      | MEND_REPORT_FLAGS_REDACT, NULL);

      ck_assert_msg (contains_ci (plain, "alice"), "format %u: alice absent unredacted", i);
      ck_assert_msg (contains_ci (plain, "server01.example.test"), "format %u", i);
      ck_assert_msg (!contains_ci (hidden, "alice"), "format %u leaks the user name", i);
      ck_assert_msg (!contains_ci (hidden, "server01"), "format %u leaks the host name", i);
      ck_assert_msg (strstr (hidden, "user1") != NULL, "format %u: no placeholder", i);
      ck_assert_msg (strstr (hidden, "host1") != NULL, "format %u: no placeholder", i);
    }
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_redact_text_whole_names_only)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *out = NULL;

  g_hash_table_insert (names, g_strdup ("bob"), g_strdup ("user1"));
  g_hash_table_insert (names, g_strdup ("srv.example.org"), g_strdup ("host1"));
  g_hash_table_insert (names, g_strdup ("srv"), g_strdup ("host2"));
  out = mend_report_redact_text (names, "bobby met Bob at SRV.example.org, not srv-2; C:\\Users\\bob\\x");
  ck_assert_str_eq (out, "bobby met user1 at host1, not srv-2; C:\\Users\\user1\\x");
  g_free (out);
  out = mend_report_redact_text (names, "");
  ck_assert_str_eq (out, "");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("report");
  TCase *tc = tcase_create ("report");
  SRunner *sr;
  int failed;

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_stage_mapping);
  tcase_add_test (tc, test_path_broken_image);
  tcase_add_test (tc, test_path_healthy_and_unchecked);
  tcase_add_test (tc, test_markdown_and_text);
  tcase_add_test (tc, test_html_has_wellformed_picture);
  tcase_add_test (tc, test_json_has_path);
  tcase_add_test (tc, test_redaction_hides_users_and_hosts);
  tcase_add_test (tc, test_redact_text_whole_names_only);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
