/* test-session.c — the session as the wizard drives it: async with progress signals,
 * cancellation, and ranking by the reported error code and symptoms. */
#include "mend-fixture.h"
#include "mend-fixture-run.h"
#include "session/mend-session.h"
#include "base/mend-error.h"

#include <check.h>

typedef struct {
  GMainLoop *loop;
  guint      started, finished;
  gboolean   ok;
  GError    *error;
  gboolean   order_ok;
  GHashTable *open;
} Run;

static void
on_started (MendSession *s, const char *id, const char *title, Run *r)
{
  r->started++;
  ck_assert (title != NULL && *title);
  g_hash_table_add (r->open, g_strdup (id));
}

static void
on_finished (MendSession *s, const char *id, int worst, Run *r)
{
  r->finished++;
  /* Every check finishes after it started, and only once. */
  if (!g_hash_table_remove (r->open, id))
    r->order_ok = FALSE;
}

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Run *r = data;
  r->ok = mend_session_diagnose_finish (MEND_SESSION (source), res, &r->error);
  g_main_loop_quit (r->loop);
}

START_TEST (test_async_progress)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr (MendSession) session = mend_session_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (mend_session_add_image (session, mend_fixture_get_root (fx), &error));
  g_autoptr (GPtrArray) planned = mend_session_list_planned_checks (session);
  Run r = { .loop = g_main_loop_new (NULL, FALSE), .order_ok = TRUE,
            .open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_signal_connect (session, "check-started", G_CALLBACK (on_started), &r);
  g_signal_connect (session, "check-finished", G_CALLBACK (on_finished), &r);
  mend_session_diagnose_async (session, NULL, on_done, &r);
  g_main_loop_run (r.loop);
  ck_assert_msg (r.ok, "%s", r.error ? r.error->message : "");
  ck_assert_uint_eq (r.started, planned->len);
  ck_assert_uint_eq (r.finished, planned->len);
  ck_assert (r.order_ok);
  ck_assert_uint_eq (g_hash_table_size (r.open), 0);
  GListModel *m = mend_session_get_findings (session);
  ck_assert_uint_gt (g_list_model_get_n_items (m), 20);
  ck_assert_int_eq (mend_session_get_exit_code (session), 0);
  g_main_loop_unref (r.loop);
  g_hash_table_unref (r.open);
  mend_fixture_free (fx);
}
END_TEST

START_TEST (test_cancel)
{
  MendFixture *fx = mend_fixture_new ();
  g_autoptr (MendSession) session = mend_session_new ();
  ck_assert (mend_session_add_image (session, mend_fixture_get_root (fx), NULL));
  g_autoptr (GCancellable) c = g_cancellable_new ();
  g_cancellable_cancel (c);
  Run r = { .loop = g_main_loop_new (NULL, FALSE), .order_ok = TRUE,
            .open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  mend_session_diagnose_async (session, c, on_done, &r);
  g_main_loop_run (r.loop);
  ck_assert (!r.ok);
  ck_assert (g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
  g_hash_table_unref (r.open);
  mend_fixture_free (fx);
}
END_TEST

static char *
first_problem (MendSession *session)
{
  GListModel *m = mend_session_get_findings (session);
  g_autoptr (MendFinding) f = g_list_model_get_item (m, 0);
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_PROBLEM);
  return g_strdup (mend_finding_get_id (f));
}

START_TEST (test_ranking_by_error_code)
{
  MendFixture *fx = mend_fixture_new ();
  mend_fixture_delete_tree (fx, "HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\Store");
  mend_fixture_set_dword (fx, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
                          "fEnableWinStation", 0);
  mend_fixture_commit (fx);
  g_autoptr (GError) error = NULL;

  g_autoptr (MendSession) licensing = mend_session_new ();
  ck_assert (mend_session_add_image (licensing, mend_fixture_get_root (fx), NULL));
  ck_assert (mend_session_set_error_code (licensing, "0x808", &error));
  ck_assert (mend_session_diagnose (licensing, NULL, &error));
  g_autofree char *a = first_problem (licensing);
  ck_assert_str_eq (a, "client.mslicensing-damaged");

  g_autoptr (MendSession) socket = mend_session_new ();
  ck_assert (mend_session_add_image (socket, mend_fixture_get_root (fx), NULL));
  ck_assert (mend_session_set_error_code (socket, "2308/7", &error));
  ck_assert (mend_session_diagnose (socket, NULL, &error));
  g_autofree char *b = first_problem (socket);
  ck_assert_str_eq (b, "server.listener-disabled");

  ck_assert (!mend_session_set_error_code (socket, "0x904/", &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT));
  mend_fixture_free (fx);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("session");
  TCase *tc = tcase_create ("session");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_async_progress);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_ranking_by_error_code);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}
