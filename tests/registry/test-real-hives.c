/* test-real-hives.c — the real Windows hives in ../shared/data: control sets, dirty logs,
 * corruption, user history. Skips (77) with a message when the data is absent. */
#include "mend-fixture.h"
#include "mend-fixture-run.h"
#include "checks/mend-check.h"
#include "base/mend-error.h"
#include "session/mend-session.h"
#include "registry/mend-hive-log.h"
#include "registry/mend-registry.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "registry/mend-hive.h"

static char *
data (const char *rel)
{
  char *p = mend_fixture_shared_data (rel);
  ck_assert_msg (p != NULL, "missing %s", rel);
  return p;
}

/* Output of an independent reader (hivexget), or NULL when it is not installed. */
static char *
hivexget (const char *hive, const char *key, const char *value)
{
  g_autofree char *out = NULL;
  int status;
  const char *argv[] = { "hivexget", hive, key, value, NULL };
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) || status != 0)
    return NULL;
  return g_strchomp (g_steal_pointer (&out));
}

START_TEST (test_two_control_sets_reads_current)
{
  g_autofree char *hive = data ("hives/SYSTEM-win7-two-controlsets");
  g_autofree char *root = mend_fixture_image_from_hive (hive, "SYSTEM");
  g_autoptr (GError) error = NULL;
  g_autoptr (MendImage) image = mend_image_open (root, &error);
  MendRegistry *reg = mend_image_get_registry (image);
  const char *key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName";
  g_autofree char *name = mend_registry_get_string (reg, key, "ComputerName", &error);
  ck_assert_msg (name != NULL, "%s", error ? error->message : "");
  g_autofree char *resolved = mend_registry_resolve (reg, key);
  ck_assert_str_eq (resolved, "HKLM\\SYSTEM\\ControlSet001\\Control\\ComputerName\\ComputerName");

  g_autofree char *cs1 = hivexget (hive, "\\ControlSet001\\Control\\ComputerName\\ComputerName", "ComputerName");
  g_autofree char *cs2 = hivexget (hive, "\\ControlSet002\\Control\\ComputerName\\ComputerName", "ComputerName");
  if (cs1 && cs2)
    {
      ck_assert_str_eq (name, cs1);
      ck_assert_str_ne (name, cs2);   /* the stale set has the old computer name */
    }
  else
    ck_assert_str_eq (name, "WKS-WIN732BITA");

  /* The real listener values of that machine. */
  guint32 port = 0;
  ck_assert (mend_registry_get_dword (reg, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
                                      "PortNumber", &port, &error));
  ck_assert_uint_eq (port, 3389);
  ck_assert (!mend_hive_is_dirty (mend_image_get_hive (image, MEND_HIVE_SYSTEM, NULL)));
  mend_fixture_rm_rf (root);
}
END_TEST

START_TEST (test_dirty_hive_with_logs)
{
  g_autofree char *hive = data ("hives/dirty-with-logs/SYSTEM_B");
  g_autofree char *log1 = data ("hives/dirty-with-logs/SYSTEM_B.LOG1");
  g_autofree char *log2 = data ("hives/dirty-with-logs/SYSTEM_B.LOG2");
  g_autofree char *root = mend_fixture_image_from_hive (hive, "SYSTEM");
  g_autofree char *cfg = g_build_filename (root, "Windows", "System32", "config", NULL);
  const char *logs[][2] = { { log1, "SYSTEM.LOG1" }, { log2, "SYSTEM.LOG2" } };
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *c = NULL;
      gsize len;
      ck_assert (g_file_get_contents (logs[i][0], &c, &len, NULL));
      g_autofree char *dest = g_build_filename (cfg, logs[i][1], NULL);
      ck_assert (g_file_set_contents (dest, c, len, NULL));
    }
  g_autoptr (MendSession) session = mend_session_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (mend_session_add_image (session, root, &error));
  ck_assert (mend_session_diagnose (session, NULL, &error));
  GListModel *m = mend_session_get_findings (session);
  gboolean dirty = FALSE, stale = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (m); i++)
    {
      g_autoptr (MendFinding) f = g_list_model_get_item (m, i);
      if (g_str_equal (mend_finding_get_id (f), "image.hive-dirty"))
        {
          dirty = TRUE;
          MendEvidence *e = g_ptr_array_index (mend_finding_get_evidence (f), 0);
          ck_assert_str_eq (e->data, "1622 / 1621");
        }
      GPtrArray *ev = mend_finding_get_evidence (f);
      for (guint k = 0; k < ev->len; k++)
        if (((MendEvidence *) ev->pdata[k])->stale)
          {
            stale = TRUE;
            /* Stale evidence is never presented as confirmed. */
            ck_assert_int_ne (mend_finding_get_confidence (f), MEND_CONFIDENCE_CONFIRMED);
          }
    }
  ck_assert (dirty);
  ck_assert (stale);
  mend_fixture_rm_rf (root);
}
END_TEST

START_TEST (test_yarp_dirty_and_recovered)
{
  const char *dirty[] = { "hives/yarp-new-dirty/NewDirtyHive", "hives/yarp-old-dirty/OldDirtyHive" };
  const char *clean[] = { "hives/yarp-new-dirty/RecoveredHive_Windows10",
                          "hives/yarp-old-dirty/RecoveredHive_Windows7", "hives/minimal" };
  for (guint i = 0; i < G_N_ELEMENTS (dirty); i++)
    {
      g_autofree char *p = data (dirty[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (MendHive) h = mend_hive_open (p, 0, &error);
      ck_assert_msg (h != NULL, "%s: %s", dirty[i], error ? error->message : "");
      ck_assert_msg (mend_hive_is_dirty (h), "%s not detected as dirty", dirty[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (clean); i++)
    {
      g_autofree char *p = data (clean[i]);
      g_autoptr (MendHive) h = mend_hive_open (p, 0, NULL);
      ck_assert (h != NULL);
      ck_assert_msg (!mend_hive_is_dirty (h), "%s wrongly dirty", clean[i]);
    }
  /* A clean base block but a new-format log beside it with newer entries: dirty. */
  g_autofree char *nd = data ("hives/yarp-new-dirty/NewDirtyHive");
  g_autofree char *nl = data ("hives/yarp-new-dirty/NewDirtyHive.LOG2");
  g_autofree char *rec = data ("hives/yarp-new-dirty/RecoveredHive_Windows10");
  g_autofree char *dir = g_dir_make_tmp ("rdpmend-log-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "HIVE", NULL);
  g_autofree char *copylog = g_build_filename (dir, "HIVE.LOG2", NULL);
  g_autofree char *c = NULL, *l = NULL;
  gsize cl, ll;
  ck_assert (g_file_get_contents (rec, &c, &cl, NULL) && g_file_get_contents (nl, &l, &ll, NULL));
  ck_assert (g_file_set_contents (copy, c, cl, NULL) && g_file_set_contents (copylog, l, ll, NULL));
  g_autoptr (MendHive) h = mend_hive_open (copy, 0, NULL);
  /* The recovered hive (sequence 6) is newer than that log (3): not dirty. */
  ck_assert (!mend_hive_is_dirty (h));
  mend_fixture_rm_rf (dir);
  (void) nd;
}
END_TEST

START_TEST (test_corrupt_system_exit_3)
{
  g_autofree char *hive = data ("hives/SYSTEM-corrupt-trailing-garbage");
  g_autofree char *root = mend_fixture_image_from_hive (hive, "SYSTEM");
  g_autofree char *out = NULL;
  const char *args[] = { "diagnose", "--image", root, "--json", NULL };
  ck_assert_int_eq (mend_fixture_run_cli (args, &out, NULL), 3);
  g_autoptr (JsonParser) p = json_parser_new ();
  ck_assert (json_parser_load_from_data (p, out, -1, NULL));
  JsonArray *fs = json_object_get_array_member (json_node_get_object (json_parser_get_root (p)), "findings");
  gboolean corrupt = FALSE;
  for (guint i = 0; i < json_array_get_length (fs); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (fs, i), "id"),
                     "image.hive-corrupt"))
      corrupt = TRUE;
  ck_assert (corrupt);
  mend_fixture_rm_rf (root);
}
END_TEST

START_TEST (test_real_user_history)
{
  g_autofree char *nt = data ("hives/NTUSER-win7-tsclient.dat");
  g_autofree char *empty = data ("hives/NTUSER-empty-tsclient.dat");
  MendFixture *fx = mend_fixture_new ();
  g_autofree char *c = NULL, *e = NULL;
  gsize cl, el;
  ck_assert (g_file_get_contents (nt, &c, &cl, NULL) && g_file_get_contents (empty, &e, &el, NULL));
  mend_fixture_write_file (fx, "Users/strozllc/NTUSER.DAT", c, cl);
  mend_fixture_write_file (fx, "Users/empty/ntuser.dat", e, el);   /* mixed case on purpose */
  g_autoptr (GPtrArray) f = mend_fixture_diagnose (fx, MEND_ROLE_BOTH, 0);
  MendFinding *h = NULL;
  for (guint i = 0; i < f->len; i++)
    if (g_str_equal (mend_finding_get_id (f->pdata[i]), "client.history") &&
        g_strcmp0 (json_object_get_string_member_with_default (mend_finding_get_extra (f->pdata[i]), "user", ""), "strozllc") == 0)
      h = f->pdata[i];
  ck_assert (h != NULL);
  JsonArray *hosts = json_object_get_array_member (mend_finding_get_extra (h), "hosts");
  /* reglookup lists MRU0..4 and four Servers keys: 6 distinct hosts (10.150.16.30 and
   * 10.150.16.30:63389 differ), MRU order first. */
  ck_assert_uint_eq (json_array_get_length (hosts), 6);
  ck_assert_str_eq (json_array_get_string_element (hosts, 0), "10.1.4.108");
  ck_assert_str_eq (json_array_get_string_element (hosts, 2), "10.150.16.30:63389");
  gboolean certhash = FALSE;
  GPtrArray *ev = mend_finding_get_evidence (h);
  for (guint i = 0; i < ev->len; i++)
    {
      MendEvidence *x = ev->pdata[i];
      if (x->data && strstr (x->data, "F0CAB303AEEF9D77871D07953BCB60DC86E0F5E0"))
        certhash = TRUE;
    }
  ck_assert (certhash);
  /* The empty user's key exists but holds nothing: no history finding for them. */
  for (guint i = 0; i < f->len; i++)
    ck_assert (g_strcmp0 (json_object_get_string_member_with_default (mend_finding_get_extra (f->pdata[i]), "user", ""), "empty") != 0);
  mend_fixture_free (fx);
}
END_TEST

static GBytes *
slurp (const char *rel)
{
  g_autofree char *p = data (rel);
  g_autofree char *c = NULL;
  gsize len;
  ck_assert (g_file_get_contents (p, &c, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&c), len);
}

/* Every key path and value (name, type, bytes) below PATH, as one sorted text. */
static void
dump_tree (MendRegistry *reg, const char *path, GPtrArray *lines)
{
  g_autoptr (GPtrArray) values = mend_registry_list_values (reg, path, NULL);
  g_ptr_array_add (lines, g_strdup_printf ("[%s]", path));
  for (guint i = 0; values && i < values->len; i++)
    {
      MendRegValue *v = values->pdata[i];
      g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, v->data);
      g_ptr_array_add (lines, g_strdup_printf ("%s\\%s=%u:%s", path, v->name, v->type, hex));
    }
  g_auto (GStrv) keys = mend_registry_list_subkeys (reg, path, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *child = mend_registry_join_path (path, keys[i]);
      dump_tree (reg, child, lines);
    }
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
tree_of_hive_bytes (GBytes *bytes)
{
  g_autofree char *root = g_dir_make_tmp ("rdpmend-tree-XXXXXX", NULL);
  g_autofree char *cfg = g_build_filename (root, "Windows", "System32", "config", NULL);
  g_mkdir_with_parents (cfg, 0755);
  g_autofree char *path = g_build_filename (cfg, "SOFTWARE", NULL);
  gsize len;
  const char *d = g_bytes_get_data (bytes, &len);
  ck_assert (g_file_set_contents (path, d, len, NULL));
  g_autofree char *sys = g_build_filename (cfg, "SYSTEM", NULL);
  ck_assert (mend_hive_create_empty (sys, "ROOT", NULL));
  g_autoptr (MendImage) image = mend_image_open (root, NULL);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  dump_tree (mend_image_get_registry (image), "HKLM\\SOFTWARE", lines);
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  mend_fixture_rm_rf (root);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

START_TEST (test_log_replay_matches_windows)
{
  /* New format (Windows 8.1+): byte for byte what Windows 10 itself recovered. */
  g_autoptr (GBytes) hive = slurp ("hives/yarp-new-dirty/NewDirtyHive");
  g_autoptr (GBytes) log1 = slurp ("hives/yarp-new-dirty/NewDirtyHive.LOG1");
  g_autoptr (GBytes) log2 = slurp ("hives/yarp-new-dirty/NewDirtyHive.LOG2");
  g_autoptr (GBytes) windows10 = slurp ("hives/yarp-new-dirty/RecoveredHive_Windows10");
  g_autoptr (GError) error = NULL;
  guint n = 0;
  g_autoptr (GBytes) ours = mend_hive_log_replay_data (hive, log1, log2, &n, &error);
  ck_assert_msg (ours != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (n, 4);
  ck_assert (g_bytes_equal (ours, windows10));
  /* Without the first log the chain has a hole at its start: nothing is replayed. */
  g_autoptr (GBytes) partial = mend_hive_log_replay_data (hive, NULL, log2, &n, &error);
  ck_assert (partial == NULL);
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY));
  g_clear_error (&error);
  /* A flipped byte in an entry fails its hash: that entry and the rest are ignored. */
  gsize len;
  const guint8 *log1_data = g_bytes_get_data (log1, &len);
  g_autofree guint8 *bad = g_memdup2 (log1_data, len);
  bad[512 + 40 + 8 + 100] ^= 0x55;
  g_autoptr (GBytes) badlog = g_bytes_new (bad, len);
  g_autoptr (GBytes) none = mend_hive_log_replay_data (hive, badlog, log2, &n, &error);
  ck_assert (none == NULL);
  g_clear_error (&error);

  /* Old format (Windows 7): the same keys and values as Windows 7 recovered. */
  g_autoptr (GBytes) old = slurp ("hives/yarp-old-dirty/OldDirtyHive");
  g_autoptr (GBytes) oldlog = slurp ("hives/yarp-old-dirty/OldDirtyHive.LOG1");
  g_autoptr (GBytes) windows7 = slurp ("hives/yarp-old-dirty/RecoveredHive_Windows7");
  g_autoptr (GBytes) ours7 = mend_hive_log_replay_data (old, oldlog, NULL, &n, &error);
  ck_assert_msg (ours7 != NULL, "%s", error ? error->message : "");
  g_autofree char *a = tree_of_hive_bytes (ours7);
  g_autofree char *b = tree_of_hive_bytes (windows7);
  g_autofree char *before = tree_of_hive_bytes (old);
  if (g_strcmp0 (a, b) != 0)
    {
      g_auto (GStrv) la = g_strsplit (a, "\n", -1);
      g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
      guint i = 0;
      while (la[i] && lb[i] && g_str_equal (la[i], lb[i]))
        i++;
      ck_abort_msg ("replayed tree differs at line %u: %.200s / %.200s", i, la[i] ? la[i] : "(end)",
                    lb[i] ? lb[i] : "(end)");
    }
  /* The replay changed something that mattered. */
  ck_assert (g_strcmp0 (before, b) != 0);   /* the replay changed something that mattered */
}
END_TEST

START_TEST (test_dirty_image_is_read_replayed)
{
  g_autofree char *hive = data ("hives/yarp-new-dirty/NewDirtyHive");
  g_autofree char *root = mend_fixture_image_from_hive (hive, "SYSTEM");
  g_autofree char *cfg = g_build_filename (root, "Windows", "System32", "config", NULL);
  const char *logs[] = { "LOG1", "LOG2" };
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *rel = g_strdup_printf ("hives/yarp-new-dirty/NewDirtyHive.%s", logs[i]);
      g_autoptr (GBytes) b = slurp (rel);
      g_autofree char *dest = g_strdup_printf ("%s/SYSTEM.%s", cfg, logs[i]);
      gsize len;
      const char *d = g_bytes_get_data (b, &len);
      ck_assert (g_file_set_contents (dest, d, len, NULL));
    }
  g_autofree char *sys = g_build_filename (cfg, "SYSTEM", NULL);
  g_autofree char *sum_before = NULL;
  {
    g_autofree char *c = NULL;
    gsize len;
    ck_assert (g_file_get_contents (sys, &c, &len, NULL));
    sum_before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) c, len);
  }
  g_autoptr (GError) error = NULL;
  g_autoptr (MendHive) h = mend_hive_open (sys, MEND_HIVE_OPEN_WRITE, &error);
  ck_assert (h != NULL);
  ck_assert (mend_hive_is_dirty (h));
  ck_assert (mend_hive_is_replayed (h));
  ck_assert_uint_eq (mend_hive_get_replayed_entries (h), 4);
  /* Writes stay refused and the file is untouched. */
  mend_hive_mark_changed (h);
  ck_assert (!mend_hive_commit (h, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY));
  g_autofree char *c = NULL;
  gsize len;
  ck_assert (g_file_get_contents (sys, &c, &len, NULL));
  g_autofree char *sum_after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) c, len);
  ck_assert_str_eq (sum_before, sum_after);
  mend_fixture_rm_rf (root);
}
END_TEST

int
main (void)
{
  g_autofree char *probe = mend_fixture_shared_data ("hives");
  if (probe == NULL)
    {
      fprintf (stderr, "SKIP: ../shared/data (real Windows hives) is not present; set MEND_SHARED_DATA\n");
      return 77;
    }
  Suite *s = suite_create ("real-hives");
  TCase *tc = tcase_create ("real");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_two_control_sets_reads_current);
  tcase_add_test (tc, test_dirty_hive_with_logs);
  tcase_add_test (tc, test_yarp_dirty_and_recovered);
  tcase_add_test (tc, test_corrupt_system_exit_3);
  tcase_add_test (tc, test_real_user_history);
  tcase_add_test (tc, test_log_replay_matches_windows);
  tcase_add_test (tc, test_dirty_image_is_read_replayed);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}
