/* test-probe-hostile.c — MendProbe against a hostile peer of our own (every negotiation
 * answer real servers never give, broken and non-RDP replies), host parsing, unreachable
 * hosts, IPv6, cancellation and many probes at once. */
#include <check.h>
#include <string.h>

#include "base/mend-error.h"
#include "mend-fixture.h"
#include "session/mend-session.h"
#include "probe-test-util.h"

/* Short step timeout: every hostile case must end within a few of these. */
#define T 1.5

static HostilePeer *peer;

static const char * const modes[] = {
  "fail-1", "fail-4", "fail-6", "fail-9", "select-0", "select-1", "legacy", "disconnect",
  "truncated", "oversized-tpkt", "oversized-neg", "http", "tls", "silent", "close", "reset",
  "trickle", "endless", "endless-after-confirm", "rdp-tls", "fail-3", "fail-5@6", NULL
};

static MendProbe *
run_mode (const char *mode, gint64 *elapsed_us)
{
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, mode));
  gint64 start = g_get_monotonic_time ();
  MendProbe *probe = probe_run (hp, T);

  if (elapsed_us)
    *elapsed_us = g_get_monotonic_time () - start;
  return probe;
}

/* ---- host parsing ------------------------------------------------------------------- */

START_TEST (test_parse_hosts)
{
  static const struct { const char *in, *host, *target; guint port; } good[] = {
    { "server", "server", "probe:server:3389", 3389 },
    { "rdp.example.com:3390", "rdp.example.com", "probe:rdp.example.com:3390", 3390 },
    { "10.0.0.1", "10.0.0.1", "probe:10.0.0.1:3389", 3389 },
    { "[::1]:4000", "::1", "probe:[::1]:4000", 4000 },
    { "[fe80::1]", "fe80::1", "probe:[fe80::1]:3389", 3389 },
    { "2001:db8::5", "2001:db8::5", "probe:[2001:db8::5]:3389", 3389 },
    { "my_host-1:65535", "my_host-1", "probe:my_host-1:65535", 65535 },
  };
  static const char *bad[] = { "", ":3389", "host:", "host:0", "host:65536", "host:33a",
                               "[::1", "[::1]x", "[notv6]:1", "a:b:c", "ho st", "a/b",
                               "[10.0.0.1]:5", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendProbe) p = mend_probe_new (good[i].in, &error);
      ck_assert_msg (p != NULL, "%s: %s", good[i].in, error ? error->message : "");
      ck_assert_str_eq (mend_probe_get_host (p), good[i].host);
      ck_assert_uint_eq (mend_probe_get_port (p), good[i].port);
      ck_assert_str_eq (mend_probe_get_target (p), good[i].target);
    }
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendProbe) p = mend_probe_new (bad[i], &error);
      ck_assert_msg (p == NULL, "“%s” was accepted", bad[i]);
      ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
    }
}
END_TEST

/* ---- negotiation answers no real server here gives -------------------------------- */

START_TEST (test_failure_codes)
{
  static const struct { const char *mode, *code; } cases[] = {
    { "fail-1", "ssl-required" },
    { "fail-4", "inconsistent-flags" },
    { "fail-6", "ssl-with-user-auth-required" },
    { "fail-9", "unknown-9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendProbe) p = run_mode (cases[i].mode, NULL);
      MendFinding *f = probe_find (p, "probe.negotiation-failure");

      ck_assert_msg (f != NULL, "%s", cases[i].mode);
      ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_PROBLEM);
      ck_assert_str_eq (probe_extra_string (p, "probe.negotiation-failure", "code"),
                        cases[i].code);
      /* The failure is reported, never guessed around: no TLS facts are invented. */
      ck_assert_ptr_null (probe_find (p, "probe.tls-failed"));
      ck_assert_ptr_null (probe_summary_object (p, "certificate"));
    }
}
END_TEST

START_TEST (test_legacy_security)
{
  g_autoptr(MendProbe) legacy = run_mode ("legacy", NULL);
  g_autoptr(MendProbe) rdp = run_mode ("select-0", NULL);

  ck_assert_ptr_nonnull (probe_find (legacy, "probe.legacy-rdp-security"));
  ck_assert_str_eq (probe_extra_string (legacy, "probe.summary", "selected_protocol"), "rdp");
  ck_assert_ptr_nonnull (probe_find (rdp, "probe.legacy-rdp-security"));
  ck_assert_str_eq (probe_extra_string (rdp, "probe.summary", "negotiation_flags"),
                    "extended-client-data,gfx,reserved,restricted-admin,redirected-auth");
}
END_TEST

/* ---- replies that are not RDP, and peers that misbehave ----------------------------- */

START_TEST (test_not_rdp)
{
  static const struct { const char *mode, *id, *reason; } cases[] = {
    { "truncated", "probe.not-rdp", "truncated" },
    { "oversized-tpkt", "probe.not-rdp", "oversized" },
    { "oversized-neg", "probe.not-rdp", "malformed" },
    { "http", "probe.not-rdp", "http" },
    { "tls", "probe.not-rdp", "tls" },
    { "silent", "probe.not-rdp", "silent" },
    { "close", "probe.not-rdp", "closed" },
    { "reset", "probe.unreachable", "reset" },
    { "trickle", "probe.not-rdp", "slow" },
    { "endless", "probe.not-rdp", "garbage" },
    { "disconnect", "probe.not-rdp", "x224-disconnect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 us = 0;
      g_autoptr(MendProbe) p = run_mode (cases[i].mode, &us);
      GPtrArray *findings = mend_probe_get_findings (p);

      ck_assert_msg (probe_find (p, cases[i].id) != NULL, "%s: expected %s", cases[i].mode,
                     cases[i].id);
      ck_assert_str_eq (probe_extra_string (p, cases[i].id, "reason"), cases[i].reason);
      /* Exactly one finding: nothing is inferred about a server that is not RDP. */
      ck_assert_uint_eq (findings->len, 1);
      ck_assert_ptr_nonnull (mend_finding_get_detail (findings->pdata[0]));
      /* Bounded: connect + one reply step at most (no hang on silence or endless data). */
      ck_assert_msg (us < (gint64) (3 * T * G_USEC_PER_SEC), "%s took %" G_GINT64_FORMAT " us",
                     cases[i].mode, us);
    }
}
END_TEST

START_TEST (test_tls_broken_after_confirm)
{
  gint64 us = 0;
  g_autoptr(MendProbe) endless = run_mode ("endless-after-confirm", &us);
  g_autoptr(MendProbe) silent = run_mode ("select-1", NULL);
  JsonObject *attempts;

  ck_assert_ptr_nonnull (probe_find (endless, "probe.tls-failed"));
  ck_assert_str_eq (probe_extra_string (endless, "probe.summary", "selected_protocol"), "ssl");
  /* 1 main handshake + 4 versions, each failing at once on the zero bytes. */
  ck_assert (us < (gint64) (6 * T * G_USEC_PER_SEC));

  /* The server selects TLS, then never speaks: each handshake times out. */
  ck_assert_ptr_nonnull (probe_find (silent, "probe.tls-failed"));
  attempts = probe_summary_object (silent, "tls_attempts");
  ck_assert_ptr_nonnull (attempts);
  ck_assert (strstr (json_object_get_string_member (attempts, "1.2"), "did not answer") != NULL);
  ck_assert (strstr (probe_extra_string (silent, "probe.summary", "tls_error"),
                     "no handshake") != NULL);
}
END_TEST

/* A complete TLS-only listener (GnuTLS): every version, SSL_REQUIRED for CredSSP alone. */
START_TEST (test_rdp_tls_listener)
{
  g_autoptr(MendProbe) p = run_mode ("rdp-tls", NULL);
  JsonObject *answers = probe_summary_object (p, "answers");
  JsonObject *cert = probe_summary_object (p, "certificate");
  MendFinding *summary = probe_find (p, "probe.summary");
  JsonArray *versions;

  ck_assert_ptr_nonnull (summary);
  ck_assert_str_eq (json_object_get_string_member (answers, "hybrid"), "ssl-required");
  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "nla"), "not-supported");
  versions = json_object_get_array_member (mend_finding_get_extra (summary), "tls_versions");
  ck_assert_uint_eq (json_array_get_length (versions), 4);
  ck_assert_ptr_nonnull (cert);
  ck_assert_str_eq (json_object_get_string_member (cert, "subject"), "CN=tls-only");
  ck_assert_ptr_nonnull (probe_find (p, "probe.certificate-untrusted"));
  ck_assert_ptr_nonnull (probe_find (p, "probe.certificate-name-mismatch"));
}
END_TEST

/* ---- unreachable ------------------------------------------------------------------- */

START_TEST (test_refused)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                       G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *hp = NULL;
  g_autoptr(MendProbe) p = NULL;

  /* A port that was just free: nothing listens on it. */
  ck_assert (g_socket_bind (s, any, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  hp = g_strdup_printf ("127.0.0.1:%u",
                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (s, NULL);
  p = probe_run (hp, T);
  ck_assert_str_eq (probe_extra_string (p, "probe.unreachable", "reason"), "refused");
}
END_TEST

START_TEST (test_dns)
{
  g_autoptr(MendProbe) p = probe_run ("no-such-host.invalid", T);

  ck_assert_str_eq (probe_extra_string (p, "probe.unreachable", "reason"), "dns");
  ck_assert_uint_eq (mend_probe_get_findings (p)->len, 1);
}
END_TEST

START_TEST (test_ipv6)
{
  g_autofree char *hp = g_strdup_printf ("[::1]:%u", hostile_peer_port (peer, "fail-5@6"));
  g_autoptr(MendProbe) p = probe_run (hp, T);

  ck_assert_str_eq (mend_probe_get_target (p) + strlen ("probe:"), hp);
  ck_assert_str_eq (probe_extra_string (p, "probe.negotiation-failure", "code"),
                    "hybrid-required");
  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "address"), "::1");
}
END_TEST

/* A name with several addresses: each is tried in turn until one answers (GLib resolves
 * "localhost" to ::1 and 127.0.0.1). */
START_TEST (test_every_address)
{
  g_autofree char *v6 = g_strdup_printf ("localhost:%u", hostile_peer_port (peer, "fail-5@6"));
  g_autofree char *v4 = g_strdup_printf ("localhost:%u", hostile_peer_port (peer, "fail-4"));
  g_autoptr(MendProbe) p6 = probe_run (v6, T);
  g_autoptr(MendProbe) p4 = probe_run (v4, T);
  MendFinding *summary = probe_find (p6, "probe.summary");
  JsonArray *all;

  ck_assert_ptr_nonnull (summary);
  all = json_object_get_array_member (mend_finding_get_extra (summary), "addresses");
  if (json_array_get_length (all) < 2)
    {
      g_printerr ("note: “localhost” has a single address here; only one family tried\n");
      return;
    }
  ck_assert_str_eq (probe_extra_string (p6, "probe.summary", "address"), "::1");
  ck_assert_str_eq (probe_extra_string (p6, "probe.negotiation-failure", "code"),
                    "hybrid-required");
  ck_assert_str_eq (probe_extra_string (p4, "probe.summary", "address"), "127.0.0.1");
  ck_assert_str_eq (probe_extra_string (p4, "probe.negotiation-failure", "code"),
                    "inconsistent-flags");
}
END_TEST

/* ---- async, cancellation, many --------------------------------------------------- */

static void
on_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!mend_probe_run_finish (MEND_PROBE (source), result, error) && *error == NULL)
    g_set_error_literal (error, MEND_ERROR, MEND_ERROR_FAILED, "failed without error");
  if (*error == NULL)
    g_set_error_literal (error, MEND_ERROR, MEND_ERROR_FAILED, "ok");
}

static gboolean
on_cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

START_TEST (test_async_cancel)
{
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, "silent"));
  g_autoptr(MendProbe) p = mend_probe_new (hp, NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  mend_probe_set_timeout (p, 60);
  mend_probe_run_async (p, cancel, on_done_cb, &error);
  g_timeout_add (200, on_cancel_cb, cancel);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "%s",
                 error->message);
  /* Cancelled long before the 60 s step timeout. */
  ck_assert (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC);
}
END_TEST

START_TEST (test_async_ok)
{
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, "fail-4"));
  g_autoptr(MendProbe) p = mend_probe_new (hp, NULL);
  g_autoptr(GError) error = NULL;

  mend_probe_run_async (p, NULL, on_done_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_str_eq (error->message, "ok");
  ck_assert_str_eq (probe_extra_string (p, "probe.negotiation-failure", "code"),
                    "inconsistent-flags");
}
END_TEST

/* Every mode at once, 8 at a time: the same answers as one by one. */
START_TEST (test_many)
{
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 3; round++)
    for (const char * const *m = modes; *m; m++)
      {
        g_autofree char *hp = NULL;
        MendProbe *p;
        if (g_str_has_suffix (*m, "@6"))
          continue;
        hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, *m));
        p = mend_probe_new (hp, NULL);
        mend_probe_set_timeout (p, T);
        g_ptr_array_add (probes, p);
      }
  ck_assert (mend_probe_run_many (probes, 8, NULL, &error));
  for (guint i = 0; i < probes->len; i++)
    {
      MendProbe *p = probes->pdata[i];
      g_autofree char *ids = probe_ids (p);
      const char *mode = NULL;

      for (const char * const *m = modes; *m; m++)
        if (!g_str_has_suffix (*m, "@6") &&
            hostile_peer_port (peer, *m) == mend_probe_get_port (p))
          mode = *m;
      ck_assert_msg (mend_probe_get_findings (p)->len > 0, "%s: no findings", mode);
      if (g_str_has_prefix (mode, "fail-"))
        ck_assert_msg (probe_find (p, "probe.negotiation-failure") != NULL, "%s: %s", mode, ids);
      else if (g_str_equal (mode, "reset"))
        ck_assert_msg (probe_find (p, "probe.unreachable") != NULL, "%s: %s", mode, ids);
      else if (g_str_equal (mode, "rdp-tls"))
        ck_assert_msg (probe_find (p, "probe.summary") != NULL &&
                       probe_find (p, "probe.tls-failed") == NULL, "%s: %s", mode, ids);
    }
}
END_TEST

/* `diagnose --image … --probe …`: one session, image findings and probe findings together. */
START_TEST (test_session_combined)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr(MendSession) session = mend_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, "fail-3"));
  g_autofree char *target = g_strdup_printf ("probe:%s", hp);
  GListModel *model;
  gboolean have_probe = FALSE, have_image = FALSE;

  mend_fixture_commit (fx);
  ck_assert (mend_session_add_image (session, mend_fixture_get_root (fx), &error));
  ck_assert (!mend_session_add_probe (session, "host:99999", NULL));
  ck_assert (mend_session_add_probe (session, hp, &error));
  mend_session_set_probe_timeout (session, T);
  ck_assert_msg (mend_session_diagnose (session, NULL, &error), "%s",
                 error ? error->message : "");
  model = mend_session_get_findings (session);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (model, i);
      const char *t = mend_finding_get_target (f);
      if (g_str_equal (mend_finding_get_id (f), "probe.negotiation-failure"))
        {
          ck_assert_str_eq (t, target);
          ck_assert_str_eq (json_object_get_string_member (mend_finding_get_extra (f), "code"),
                            "ssl-cert-not-on-server");
          have_probe = TRUE;
        }
      if (t && g_str_has_prefix (t, "image:"))
        have_image = TRUE;
    }
  ck_assert (have_probe);
  ck_assert (have_image);
  ck_assert_int_eq (mend_session_get_exit_code (session), 1);
  mend_fixture_free (fx);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("probe-hostile");
  TCase *tc = tcase_create ("hostile");
  SRunner *sr;
  int failed;

  if (g_getenv ("MEND_HOSTILE_PEER") == NULL)
    {
      g_printerr ("SKIP: MEND_HOSTILE_PEER is not set; run this test through ctest\n");
      return 77;
    }
  peer = hostile_peer_start (NULL, modes);

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_parse_hosts);
  tcase_add_test (tc, test_failure_codes);
  tcase_add_test (tc, test_legacy_security);
  tcase_add_test (tc, test_not_rdp);
  tcase_add_test (tc, test_tls_broken_after_confirm);
  tcase_add_test (tc, test_rdp_tls_listener);
  tcase_add_test (tc, test_refused);
  tcase_add_test (tc, test_dns);
  tcase_add_test (tc, test_ipv6);
  tcase_add_test (tc, test_every_address);
  tcase_add_test (tc, test_async_cancel);
  tcase_add_test (tc, test_async_ok);
  tcase_add_test (tc, test_many);
  tcase_add_test (tc, test_session_combined);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  hostile_peer_stop (peer);
  return failed == 0 ? 0 : 1;
}
