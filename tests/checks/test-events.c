/* test-events.c — event-log evidence: the EventData extractor, the libevtx reader checked
 * against evtxexport, and the event findings on real Windows logs laid out as an image. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "checks/mend-check.h"
#include "base/mend-error.h"
#include "formats/mend-event-data.h"
#include "formats/mend-events.h"
#include "base/mend-finding.h"
#include "target/mend-image.h"
#include "checks/mend-checks-events.h"

#define EVTX_RDPCLIENT "evtx/Microsoft-Windows-TerminalServices-RDPClient%4Operational.evtx"
#define EVTX_SCHANNEL  "evtx/System-2012r2-schannel.evtx"
#define EVTX_TS1056    "evtx/System-win10-termservice-1056.evtx"
#define EVTX_4825      "evtx/Security-4825-denied.evtx"
#define EVTX_NO_RDP    "evtx/System-win11-no-rdp.evtx"
#define EVTX_TERMDD    "evtx/System-termdd.evtx"
#define EVTX_HOSTILE1  "evtx/hostile-unparseable-1.evtx"
#define EVTX_HOSTILE2  "evtx/hostile-unparseable-2.evtx"
#define LOGS           "Windows/System32/winevt/Logs"

/* ---- helpers ---------------------------------------------------------------------------- */

static char *
shared (const char *relative)
{
  const char *root = g_getenv ("MEND_SHARED_DATA");
  char *path;

  ck_assert_msg (root != NULL, "MEND_SHARED_DATA unset");
  path = g_build_filename (root, relative, NULL);
  ck_assert_msg (g_file_test (path, G_FILE_TEST_IS_REGULAR), "%s vanished", path);
  return path;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL) {
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  }
  g_rmdir (path);
}

static void
copy_file (const char *from, const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error),
                 "copy %s: %s", from, error ? error->message : "");
}

/* A temporary image folder: Windows/System32/config/SYSTEM (the smallest real hive) and
 * the given shared logs under winevt/Logs with the names Windows gives them. PAIRS is
 * { shared-relative, name-in-Logs, ... NULL }. */
static char *
make_image (const char * const *pairs)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("mend-events-XXXXXX", &error);
  g_autofree char *config = NULL;
  g_autofree char *logs = NULL;
  g_autofree char *hive = NULL;
  g_autofree char *system = NULL;

  ck_assert_msg (root != NULL, "%s", error ? error->message : "");
  config = g_build_filename (root, "Windows/System32/config", NULL);
  logs = g_build_filename (root, LOGS, NULL);
  ck_assert_int_eq (g_mkdir_with_parents (config, 0755), 0);
  ck_assert_int_eq (g_mkdir_with_parents (logs, 0755), 0);
  hive = shared ("hives/minimal");
  system = g_build_filename (config, "SYSTEM", NULL);
  copy_file (hive, system);
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2) {
    g_autofree char *from = shared (pairs[i]);
    g_autofree char *to = g_build_filename (logs, pairs[i + 1], NULL);

    copy_file (from, to);
  }
  return root;
}

static GPtrArray *
diagnose (const char *root)
{
  g_autofree char *logs = g_build_filename (root, LOGS, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = mend_events_diagnose_logs_dir (logs, "image:test", &error);

  ck_assert_msg (findings != NULL, "%s", error ? error->message : "");
  for (guint i = 0; i < findings->len; i++)
    ck_assert_str_eq (mend_finding_get_target (findings->pdata[i]), "image:test");
  return findings;
}

static MendFinding *
find (GPtrArray *findings, const char *id)
{
  for (guint i = 0; i < findings->len; i++)
    if (g_strcmp0 (mend_finding_get_id (findings->pdata[i]), id) == 0)
      return findings->pdata[i];
  return NULL;
}

static guint
count_id (GPtrArray *findings, const char *id)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (g_strcmp0 (mend_finding_get_id (findings->pdata[i]), id) == 0)
      n++;
  return n;
}

/* The check.skipped finding for CHECK_ID, or NULL. */
static MendFinding *
find_skipped (GPtrArray *findings, const char *check_id)
{
  for (guint i = 0; i < findings->len; i++)
    if (g_strcmp0 (mend_finding_get_id (findings->pdata[i]), "check.skipped") == 0
        && g_strcmp0 (mend_finding_get_detail (findings->pdata[i]), check_id) == 0)
      return findings->pdata[i];
  return NULL;
}

static gboolean
evidence_contains (MendFinding *finding, const char *kind, const char *needle)
{
  GPtrArray *evidence = mend_finding_get_evidence (finding);

  for (guint i = 0; i < evidence->len; i++) {
    const MendEvidence *ev = evidence->pdata[i];

    if (g_strcmp0 (ev->kind, kind) == 0
        && ((ev->data != NULL && strstr (ev->data, needle) != NULL)
            || (ev->path != NULL && strstr (ev->path, needle) != NULL)))
      return TRUE;
  }
  return FALSE;
}

/* ---- the independent reader: evtxexport (libevtx-utils) --------------------------------- */

typedef struct {
  guint64 record;
  guint32 id;
  char   *provider;
  char   *time;        /* SystemTime cut to microseconds, as the reader formats it */
  char   *xml;
} RefEvent;

static void
ref_event_free (gpointer data)
{
  RefEvent *ev = data;

  g_free (ev->provider);
  g_free (ev->time);
  g_free (ev->xml);
  g_free (ev);
}

static char *
ref_match (const char *xml, const char *pattern)
{
  static GHashTable *compiled;   /* pattern → GRegex: 60,000 events per log */
  GRegex *re;
  g_autoptr(GMatchInfo) mi = NULL;

  if (compiled == NULL)
    compiled = g_hash_table_new (g_str_hash, g_str_equal);
  re = g_hash_table_lookup (compiled, pattern);
  if (re == NULL) {
    re = g_regex_new (pattern, 0, 0, NULL);
    g_hash_table_insert (compiled, (gpointer) pattern, re);
  }

  if (!g_regex_match (re, xml, 0, &mi))
    return NULL;
  return g_match_info_fetch (mi, 1);
}

/* Every record of FILE as evtxexport renders it; the events with an identifier in IDS
 * (all when NULL) are kept. */
static GPtrArray *
evtxexport (const char *file, const guint32 *ids, guint n_ids)
{
  g_autofree char *exe = g_find_program_in_path ("evtxexport");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  const char *argv[] = { "evtxexport", "-f", "xml", file, NULL };
  GPtrArray *events = g_ptr_array_new_with_free_func (ref_event_free);
  int status = 0;

  ck_assert_msg (exe != NULL, "evtxexport is missing (package libevtx-utils)");
  argv[0] = exe;
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error),
                 "%s", error ? error->message : "");
  parts = g_strsplit (out, "<Event xmlns", -1);
  for (guint i = 1; parts[i] != NULL; i++) {
    g_autofree char *id = ref_match (parts[i], "<EventID[^>]*>([0-9]+)</EventID>");
    g_autofree char *rec = ref_match (parts[i], "<EventRecordID>([0-9]+)<");
    g_autofree char *t = ref_match (parts[i], "SystemTime=\"([^\"]+)\"");
    RefEvent *ev;
    gboolean keep = ids == NULL;

    ck_assert_msg (id != NULL && rec != NULL, "evtxexport output not understood");
    for (guint k = 0; k < n_ids; k++)
      if ((guint32) atoi (id) == ids[k])
        keep = TRUE;
    if (!keep)
      continue;
    ev = g_new0 (RefEvent, 1);
    ev->id = atoi (id);
    ev->record = g_ascii_strtoull (rec, NULL, 10);
    /* libevtx's source name: EventSourceName when present, else the provider Name. */
    ev->provider = ref_match (parts[i], "<Provider [^>]*EventSourceName=\"([^\"]*)\"");
    if (ev->provider == NULL)
      ev->provider = ref_match (parts[i], "<Provider Name=\"([^\"]*)\"");
    /* "2020-09-19T03:35:54.766515400Z" → "2020-09-19T03:35:54.766515Z" */
    if (t != NULL && strlen (t) >= 27)
      ev->time = g_strdup_printf ("%.26sZ", t);
    ev->xml = g_strdup (parts[i]);
    g_ptr_array_add (events, ev);
  }
  return events;
}

/* ---- the extractor ---------------------------------------------------------------------- */

START_TEST (test_extractor_fields)
{
  static const char xml[] =
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
    "  <System><Provider Name=\"TermService\"/><EventID Qualifiers=\"16384\">1056</EventID>\n"
    "  <Correlation ActivityID=\"{59288327-6042-4B62-907A-3AF47A800000}\"/></System>\n"
    "  <EventData>\n"
    "    <Data Name=\"Name\">Server Name</Data>\n"
    "    <Data Name='Value'>a &lt;b&gt; &amp; &quot;c&quot; &#x41;&#66; &bogus; &#0;</Data>\n"
    "    <Data>unnamed</Data>\n"
    "    <Data Name=\"Empty\"/>\n"
    "    <Data Name=\"CD\"><![CDATA[x<y]]>z</Data>\n"
    "    <!-- <Data Name=\"Commented\">no</Data> -->\n"
    "    <Binary>0a1B 2c</Binary>\n"
    "  </EventData>\n"
    "</Event>\n";
  g_autoptr(MendEventData) data = mend_event_data_parse (xml, -1);

  ck_assert_uint_eq (mend_event_data_get_n_fields (data), 5);
  ck_assert_str_eq (mend_event_data_lookup (data, "name"), "Server Name");
  ck_assert_str_eq (mend_event_data_lookup (data, "Value"),
                    "a <b> & \"c\" AB &bogus; &#0;");
  ck_assert_ptr_null (mend_event_data_get_field (data, 2)->name);
  ck_assert_str_eq (mend_event_data_get_nth (data, 2), "unnamed");
  ck_assert_str_eq (mend_event_data_lookup (data, "Empty"), "");
  ck_assert_str_eq (mend_event_data_lookup (data, "CD"), "x<yz");
  ck_assert_ptr_null (mend_event_data_lookup (data, "Commented"));
  ck_assert_ptr_null (mend_event_data_get_nth (data, 5));
  ck_assert_str_eq (mend_event_data_get_binary (data), "0A1B2C");
  ck_assert_str_eq (mend_event_data_get_activity_id (data),
                    "{59288327-6042-4B62-907A-3AF47A800000}");
}
END_TEST

START_TEST (test_extractor_user_data)
{
  static const char xml[] =
    "<Event><UserData><EventXML xmlns=\"Event_NS\">\n"
    "  <listenerName>RDP-Tcp</listenerName><Param2>7</Param2><Empty/>\n"
    "</EventXML></UserData><Other>not data</Other></Event>";
  g_autoptr(MendEventData) data = mend_event_data_parse (xml, -1);

  ck_assert_uint_eq (mend_event_data_get_n_fields (data), 2);
  ck_assert_str_eq (mend_event_data_lookup (data, "listenerName"), "RDP-Tcp");
  ck_assert_str_eq (mend_event_data_lookup (data, "Param2"), "7");
  ck_assert_ptr_null (mend_event_data_lookup (data, "Other"));
  ck_assert_ptr_null (mend_event_data_get_binary (data));
}
END_TEST

/* Every prefix of a record, and bytes that are not UTF-8, still parse to valid strings. */
START_TEST (test_extractor_damaged)
{
  static const char xml[] =
    "<Event><EventData><Data Name=\"A\">1</Data><Data Name=\"B\" junk>2</Data>"
    "<Data Name=\"C\">3\xff\xfe</Data><Data Name=\"D\">&#x110000;&#xd800;</Data>"
    "<Binary>zz</Binary></EventData></Event>";
  g_autoptr(MendEventData) full = mend_event_data_parse (xml, sizeof xml - 1);

  ck_assert_str_eq (mend_event_data_lookup (full, "A"), "1");
  /* The name was read before the damage; the value still follows. */
  ck_assert_str_eq (mend_event_data_lookup (full, "B"), "2");
  ck_assert (g_utf8_validate (mend_event_data_lookup (full, "C"), -1, NULL));
  ck_assert_str_eq (mend_event_data_lookup (full, "D"), "&#x110000;&#xd800;");
  ck_assert_ptr_null (mend_event_data_get_binary (full));

  for (gsize len = 0; len < sizeof xml; len++) {
    g_autoptr(MendEventData) part = mend_event_data_parse (xml, len);

    ck_assert_uint_le (mend_event_data_get_n_fields (part), mend_event_data_get_n_fields (full));
    for (guint i = 0; i < mend_event_data_get_n_fields (part); i++)
      ck_assert (g_utf8_validate (mend_event_data_get_nth (part, i), -1, NULL));
  }
  {
    g_autoptr(MendEventData) none = mend_event_data_parse (NULL, -1);

    ck_assert_uint_eq (mend_event_data_get_n_fields (none), 0);
  }
}
END_TEST

/* The classic TermService 1056 layout (name as %1, SHA-1 in <Binary>; DOMAIN.md §7.2),
 * and a 1057 whose status is text. No real 1056 record could be obtained: see
 * test_termservice_sample_has_no_certificate_events. */
START_TEST (test_certificate_event_fields)
{
  static const char e1056[] =
    "<Event><System><Provider Name=\"TermService\"/><EventID Qualifiers=\"16384\">1056"
    "</EventID></System><EventData><Data>WIN-8K2L3P</Data>"
    "<Binary>3A1F39ECAA2C00112233445566778899AABBCCDD</Binary></EventData></Event>";
  static const char e1057[] =
    "<Event><EventData><Data Name=\"Status\">Keyset does not exist</Data></EventData></Event>";
  static const char hexdata[] =
    "<Event><EventData><Data>3a1f39ecaa2c00112233445566778899aabbccdd</Data></EventData></Event>";
  g_autofree char *print = NULL;
  g_autofree char *text = NULL;

  mend_events_parse_certificate_event (e1056, &print, &text);
  ck_assert_str_eq (print, "3A1F39ECAA2C00112233445566778899AABBCCDD");
  ck_assert_str_eq (text, "WIN-8K2L3P");
  g_clear_pointer (&print, g_free);
  g_clear_pointer (&text, g_free);

  mend_events_parse_certificate_event (e1057, &print, &text);
  ck_assert_ptr_null (print);
  ck_assert_str_eq (text, "Keyset does not exist");
  g_clear_pointer (&text, g_free);

  mend_events_parse_certificate_event (hexdata, &print, &text);
  ck_assert_str_eq (print, "3A1F39ECAA2C00112233445566778899AABBCCDD");
  ck_assert_ptr_null (text);
}
END_TEST

START_TEST (test_disconnect_reasons)
{
  g_autofree char *r904 = mend_events_describe_disconnect_reason (2308);
  g_autofree char *r2 = mend_events_describe_disconnect_reason (2);
  g_autofree char *unknown = mend_events_describe_disconnect_reason (0x1104);

  ck_assert (g_str_has_prefix (r904, "0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE: "));
  ck_assert_ptr_nonnull (strstr (r904, "socket closed"));
  ck_assert (g_str_has_prefix (r2, "0x2 (2) disconnectReasonRemoteByUser: "));
  ck_assert_ptr_nonnull (strstr (r2, "not an error"));
  ck_assert (g_str_has_prefix (unknown, "0x1104 (4356): "));
  ck_assert (mend_events_disconnect_reason_is_error (2308));
  ck_assert (mend_events_disconnect_reason_is_error (1798));
  ck_assert (!mend_events_disconnect_reason_is_error (2));
  ck_assert (!mend_events_disconnect_reason_is_error (0));
}
END_TEST

/* ---- the reader against evtxexport ------------------------------------------------------ */

typedef struct {
  GPtrArray *seen;   /* RefEvent */
} Collect;

static gboolean
collect (MendEventRecord *record, gpointer user_data)
{
  Collect *c = user_data;
  RefEvent *ev = g_new0 (RefEvent, 1);

  ev->record = mend_event_record_get_number (record);
  ev->id = mend_event_record_get_id (record);
  ev->provider = g_strdup (mend_event_record_get_provider (record));
  ev->time = mend_event_time_format (mend_event_record_get_time_us (record));
  ev->xml = g_strdup (mend_event_record_get_xml (record));
  g_ptr_array_add (c->seen, ev);
  return TRUE;
}

static void
assert_reader_agrees (const char *relative, const guint32 *ids, guint n_ids)
{
  g_autofree char *path = shared (relative);
  g_autoptr(GError) error = NULL;
  g_autoptr(MendEventLog) log = mend_event_log_open (path, &error);
  g_autoptr(GPtrArray) ref = evtxexport (path, n_ids ? ids : NULL, n_ids);
  Collect c = { g_ptr_array_new_with_free_func (ref_event_free) };

  ck_assert_msg (log != NULL, "%s", error ? error->message : "");
  ck_assert (mend_event_log_foreach (log, ids, n_ids, NULL, collect, &c, NULL, &error));
  ck_assert_uint_eq (mend_event_log_get_n_failed (log), 0);
  ck_assert_uint_eq (c.seen->len, ref->len);
  for (guint i = 0; i < ref->len; i++) {
    RefEvent *a = c.seen->pdata[i], *b = ref->pdata[i];

    g_autofree char *record_id = g_strdup_printf ("<EventRecordID>%" G_GUINT64_FORMAT "<",
                                                  b->record);

    /* Same record, in the same order (the header number can differ from EventRecordID in
     * logs saved from a filtered view, so the rendered XML is compared). */
    ck_assert_ptr_nonnull (strstr (a->xml, record_id));
    ck_assert_uint_eq (a->id, b->id);
    ck_assert_str_eq (a->provider, b->provider);
    if (a->record == b->record)   /* not renumbered: written when it happened */
      ck_assert_str_eq (a->time, b->time);
  }
  g_ptr_array_unref (c.seen);
}

START_TEST (test_reader_matches_evtxexport)
{
  static const guint32 rdp_ids[] = { 1024, 1026 };

  assert_reader_agrees (EVTX_RDPCLIENT, NULL, 0);
  assert_reader_agrees (EVTX_RDPCLIENT, rdp_ids, G_N_ELEMENTS (rdp_ids));
  assert_reader_agrees (EVTX_4825, NULL, 0);
  assert_reader_agrees (EVTX_TERMDD, NULL, 0);
}
END_TEST

START_TEST (test_reader_hostile)
{
  const char *files[] = { EVTX_HOSTILE1, EVTX_HOSTILE2 };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = shared (files[i]);
    g_autoptr(GError) error = NULL;
    g_autoptr(MendEventLog) log = mend_event_log_open (path, &error);
    Collect c = { g_ptr_array_new_with_free_func (ref_event_free) };

    if (log == NULL) {
      g_assert_error (error, MEND_ERROR, MEND_ERROR_PARSE);
    } else {
      ck_assert (mend_event_log_foreach (log, NULL, 0, NULL, collect, &c, NULL, &error));
      ck_assert_uint_gt (mend_event_log_get_n_records (log), 0);
      ck_assert_uint_eq (mend_event_log_get_n_failed (log), mend_event_log_get_n_records (log));
      ck_assert_ptr_nonnull (mend_event_log_get_first_failure (log));
      ck_assert_uint_eq (c.seen->len, 0);
    }
    g_ptr_array_unref (c.seen);
  }
  {
    g_autoptr(GError) error = NULL;

    ck_assert_ptr_null (mend_event_log_open ("/nonexistent/System.evtx", &error));
    g_assert_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND);
  }
}
END_TEST

/* ---- findings on real logs -------------------------------------------------------------- */

START_TEST (test_client_disconnect)
{
  const char *pairs[] = { EVTX_RDPCLIENT,
                          "Microsoft-Windows-TerminalServices-RDPClient%4Operational.evtx",
                          NULL };
  g_autofree char *root = make_image (pairs);
  g_autoptr(GPtrArray) findings = diagnose (root);
  g_autofree char *path = shared (EVTX_RDPCLIENT);
  static const guint32 ids[] = { 1024, 1026 };
  g_autoptr(GPtrArray) ref = evtxexport (path, ids, G_N_ELEMENTS (ids));
  g_autofree char *ref_server = NULL;
  g_autofree char *ref_reason = NULL;
  MendFinding *f = find (findings, "events.client-disconnect");
  JsonObject *extra;

  /* What evtxexport says: the server of the 1024 before the last 1026, and its reason. */
  for (guint i = 0; i < ref->len; i++) {
    RefEvent *ev = ref->pdata[i];
    char *value = ref_match (ev->xml, "<Data Name=\"Value\">([^<]*)<");

    if (ev->id == 1024) {
      g_free (ref_server);
      ref_server = value;
    } else {
      g_free (ref_reason);
      ref_reason = value;
    }
  }
  ck_assert_str_eq (ref_server, "DESKTOP-SDN1RPT");
  ck_assert_str_eq (ref_reason, "2");

  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (count_id (findings, "events.client-disconnect"), 1);
  /* Reason 2 is "remote disconnection by user, not an error". */
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_INFO);
  extra = mend_finding_get_extra (f);
  ck_assert_int_eq (json_object_get_int_member (extra, "reason"), atoi (ref_reason));
  ck_assert_str_eq (json_object_get_string_member (extra, "reason_hex"), "0x2");
  ck_assert_str_eq (json_object_get_string_member (extra, "server"), ref_server);
  ck_assert_int_eq (json_object_get_int_member (extra, "disconnects"), 1);
  ck_assert (evidence_contains (f, "event", "2020-09-19T03:52:13.993400Z, server DESKTOP-SDN1RPT: "
                                            "0x2 (2) disconnectReasonRemoteByUser"));
  ck_assert_ptr_nonnull (strstr (mend_finding_get_title (f), "without an error"));

  /* The other logs are absent: said so, as ok findings, not silence. */
  ck_assert_int_eq (mend_finding_get_severity (find (findings, "events.schannel-failure")),
                    MEND_SEVERITY_OK);
  ck_assert_int_eq (mend_finding_get_severity (find (findings, "events.rdp-certificate")),
                    MEND_SEVERITY_OK);
  ck_assert_ptr_nonnull (strstr (mend_finding_get_title (find (findings, "events.access-denied")),
                                 "No Security event log"));
  ck_assert_ptr_null (find (findings, "check.skipped"));
  rm_rf (root);
}
END_TEST

/* The 2012 R2 System log also holds three RemoteConnectionManager (source TermService)
 * 1056 events: self-signed certificates created, thumbprint in <Binary>. */
static void
assert_rdp_certificate (GPtrArray *findings, GPtrArray *all_ref)
{
  g_autoptr(GPtrArray) ref = g_ptr_array_new ();
  MendFinding *f = find (findings, "events.rdp-certificate");
  RefEvent *newest = NULL;
  g_autofree char *ref_print = NULL;
  g_autofree char *ref_name = NULL;
  g_autofree char *needle = NULL;
  GPtrArray *evidence;
  guint n_event_evidence = 0;

  for (guint i = 0; i < all_ref->len; i++)
    if (((RefEvent *) all_ref->pdata[i])->id >= 1056 && ((RefEvent *) all_ref->pdata[i])->id <= 1058)
      g_ptr_array_add (ref, all_ref->pdata[i]);
  for (guint i = 0; i < ref->len; i++) {
    RefEvent *ev = ref->pdata[i];

    ck_assert_uint_eq (ev->id, 1056);
    ck_assert_str_eq (ev->provider, "TermService");
    ck_assert_ptr_nonnull (strstr (ev->xml, "<Provider Name=\"Microsoft-Windows-TerminalServices-"
                                            "RemoteConnectionManager\""));
    if (newest == NULL || strcmp (ev->time, newest->time) > 0)
      newest = ev;
  }
  ck_assert_uint_eq (ref->len, 3);
  ref_print = ref_match (newest->xml, "<Binary>([0-9A-F]+)</Binary>");
  ref_name = ref_match (newest->xml, "<Data>([^<]*)</Data>");
  ck_assert_str_eq (ref_print, "92EAC658EACCB70FECFD43AE12FB6ED565D3260C");

  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_INFO);
  ck_assert_str_eq (json_object_get_string_member (mend_finding_get_extra (f), "thumbprint"),
                    ref_print);
  evidence = mend_finding_get_evidence (f);
  for (guint i = 0; i < evidence->len; i++) {
    const MendEvidence *ev = evidence->pdata[i];

    if (g_strcmp0 (ev->kind, "event") != 0)
      continue;
    n_event_evidence++;
    ck_assert_str_eq (ev->path, "System");
    ck_assert_str_eq (ev->value, "1056");
  }
  ck_assert_uint_eq (n_event_evidence, ref->len);
  /* Most recent first. */
  needle = g_strdup_printf ("%s, TermService, certificate name %s, thumbprint %s", newest->time, ref_name,
                            ref_print);
  ck_assert_str_eq (((MendEvidence *) evidence->pdata[0])->data, needle);
}

START_TEST (test_schannel_failure)
{
  const char *pairs[] = { EVTX_SCHANNEL, "System.evtx", NULL };
  g_autofree char *root = make_image (pairs);
  g_autoptr(GPtrArray) findings = diagnose (root);
  g_autofree char *path = shared (EVTX_SCHANNEL);
  static const guint32 ids[] = { 36870, 36874, 36888, 1056, 1057, 1058 };
  g_autoptr(GPtrArray) ref = evtxexport (path, ids, G_N_ELEMENTS (ids));
  guint ref_count[3] = { 0 };
  guint ref_alert40 = 0;
  const char *ref_first[3] = { NULL }, *ref_last[3] = { NULL };
  MendFinding *f = find (findings, "events.schannel-failure");
  JsonObject *schannel;

  for (guint i = 0; i < ref->len; i++) {
    RefEvent *ev = ref->pdata[i];

    if (g_strcmp0 (ev->provider, "Schannel") != 0)
      continue;
    for (guint k = 0; k < 3; k++)
      if (ev->id == ids[k]) {
        ref_count[k]++;
        if (ref_first[k] == NULL || strcmp (ev->time, ref_first[k]) < 0)
          ref_first[k] = ev->time;
        if (ref_last[k] == NULL || strcmp (ev->time, ref_last[k]) > 0)
          ref_last[k] = ev->time;
      }
    if (ev->id == 36888 && strstr (ev->xml, "<Data Name=\"AlertDesc\">40</Data>") != NULL)
      ref_alert40++;
  }
  /* The numbers evtxexport gives for this log (also in the data README: ~29,000). */
  ck_assert_uint_eq (ref_count[0], 0);
  ck_assert_uint_eq (ref_count[1], 29205);
  ck_assert_uint_eq (ref_count[2], 29205);

  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_PROBLEM);
  schannel = json_object_get_object_member (mend_finding_get_extra (f), "schannel");
  ck_assert_ptr_nonnull (schannel);
  ck_assert (!json_object_has_member (schannel, "36870"));
  for (guint k = 1; k < 3; k++) {
    g_autofree char *id = g_strdup_printf ("%u", ids[k]);
    JsonObject *entry = json_object_get_object_member (schannel, id);

    ck_assert_ptr_nonnull (entry);
    ck_assert_int_eq (json_object_get_int_member (entry, "count"), ref_count[k]);
    ck_assert_str_eq (json_object_get_string_member (entry, "first"), ref_first[k]);
    ck_assert_str_eq (json_object_get_string_member (entry, "last"), ref_last[k]);
  }
  ck_assert_int_eq (json_object_get_int_member (
                      json_object_get_object_member (
                        json_object_get_object_member (schannel, "36888"), "alerts"), "40"),
                    ref_alert40);
  ck_assert (evidence_contains (f, "event", "alert 40 (handshake_failure) ×29205"));
  ck_assert (evidence_contains (f, "event", "Protocol TLS 1.2 ×29205"));
  /* No 36870: the key-permission fix is not offered. */
  ck_assert_ptr_null (mend_finding_get_fixes (f) ? mend_finding_get_fixes (f)[0] : NULL);
  /* One walk of the log serves both checks. */
  assert_rdp_certificate (findings, ref);
  rm_rf (root);
}
END_TEST

/* The shared file named after TermService 1056 holds no such event: neither evtxexport
 * nor python-evtx finds a TermService / RemoteConnectionManager record or event 1056–1058
 * in it (the real 1056 events are in the 2012 R2 System log, test_schannel_failure). The
 * check must agree: ok. */
START_TEST (test_termservice_sample_has_no_certificate_events)
{
  const char *pairs[] = { EVTX_TS1056, "system.EVTX", NULL };   /* case-insensitive lookup */
  g_autofree char *root = make_image (pairs);
  g_autoptr(GPtrArray) findings = diagnose (root);
  g_autofree char *path = shared (EVTX_TS1056);
  static const guint32 ids[] = { 1056, 1057, 1058 };
  g_autoptr(GPtrArray) ref = evtxexport (path, ids, G_N_ELEMENTS (ids));
  MendFinding *f = find (findings, "events.rdp-certificate");

  ck_assert_uint_eq (ref->len, 0);
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_OK);
  ck_assert (evidence_contains (f, "file", "system.EVTX"));
  ck_assert_int_eq (mend_finding_get_severity (find (findings, "events.schannel-failure")),
                    MEND_SEVERITY_OK);
  rm_rf (root);
}
END_TEST

START_TEST (test_access_denied)
{
  const char *pairs[] = { EVTX_4825, "Security.evtx", NULL };
  g_autofree char *root = make_image (pairs);
  g_autoptr(GPtrArray) findings = diagnose (root);
  g_autofree char *path = shared (EVTX_4825);
  static const guint32 ids[] = { 4825 };
  g_autoptr(GPtrArray) ref = evtxexport (path, ids, G_N_ELEMENTS (ids));
  MendFinding *f = find (findings, "events.access-denied");
  JsonObject *extra;
  RefEvent *newest;
  g_autofree char *needle = NULL;

  ck_assert_uint_eq (ref->len, 2);
  newest = ref->pdata[1];
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (mend_finding_get_severity (f), MEND_SEVERITY_PROBLEM);
  extra = mend_finding_get_extra (f);
  ck_assert_int_eq (json_object_get_int_member (extra, "count"), ref->len);
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (extra, "accounts")), 1);
  ck_assert_str_eq (json_array_get_string_element (
                      json_object_get_array_member (extra, "accounts"), 0), "OFFSEC\\svc6test1");
  /* Most recent first: the first event evidence is evtxexport's last record. */
  needle = g_strdup_printf ("%s, account OFFSEC\\svc6test1 from 10.23.23.9", newest->time);
  {
    const MendEvidence *ev = g_ptr_array_index (mend_finding_get_evidence (f), 0);

    ck_assert_str_eq (ev->kind, "event");
    ck_assert_str_eq (ev->path, "Security");
    ck_assert_str_eq (ev->value, "4825");
    ck_assert_str_eq (ev->data, needle);
  }
  rm_rf (root);
}
END_TEST

START_TEST (test_no_rdp_and_termdd)
{
  const char *logs[] = { EVTX_NO_RDP, EVTX_TERMDD };

  for (guint i = 0; i < G_N_ELEMENTS (logs); i++) {
    const char *pairs[] = { logs[i], "System.evtx", NULL };
    g_autofree char *root = make_image (pairs);
    g_autoptr(GPtrArray) findings = diagnose (root);

    ck_assert_uint_eq (findings->len, 4);
    for (guint k = 0; k < findings->len; k++) {
      MendFinding *f = findings->pdata[k];

      ck_assert_msg (mend_finding_get_severity (f) == MEND_SEVERITY_OK, "%s: %s %s",
                     logs[i], mend_finding_get_id (f), mend_finding_get_title (f));
    }
    ck_assert_ptr_nonnull (find (findings, "events.schannel-failure"));
    ck_assert_ptr_nonnull (find (findings, "events.rdp-certificate"));
    rm_rf (root);
  }
}
END_TEST

/* Unreadable logs are reported as check.skipped naming the file; the readable one still
 * gives its finding. */
START_TEST (test_hostile_logs_reported)
{
  const char *pairs[] = { EVTX_HOSTILE1, "System.evtx",
                          EVTX_HOSTILE2, "Security.evtx",
                          EVTX_RDPCLIENT,
                          "Microsoft-Windows-TerminalServices-RDPClient%4Operational.evtx",
                          NULL };
  g_autofree char *root = make_image (pairs);
  g_autoptr(GPtrArray) findings = diagnose (root);
  const char *skipped[] = { "events.schannel-failure", "events.rdp-certificate",
                            "events.access-denied" };
  MendFinding *client = find (findings, "events.client-disconnect");

  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++) {
    MendFinding *f = find_skipped (findings, skipped[i]);

    ck_assert_msg (f != NULL, "no check.skipped for %s", skipped[i]);
    ck_assert (evidence_contains (f, "note", i < 2 ? "System.evtx" : "Security.evtx"));
    ck_assert (evidence_contains (f, "note", "could be read"));
    ck_assert_ptr_null (find (findings, skipped[i]));
  }
  ck_assert_ptr_nonnull (client);
  ck_assert_str_eq (json_object_get_string_member (mend_finding_get_extra (client), "server"),
                    "DESKTOP-SDN1RPT");
  rm_rf (root);
}
END_TEST

/* Through the check table and a real image: the same findings, and an image without a
 * Logs folder says so for each event check. */
START_TEST (test_checks_through_image)
{
  const char *pairs[] = { EVTX_4825, "SECURITY.EVTX", NULL };
  g_autofree char *root = make_image (pairs);
  g_autofree char *logs = g_build_filename (root, LOGS, NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0, n_events = 0;
  const MendCheck *checks = mend_checks_get_all (&n);

  for (int pass = 0; pass < 2; pass++) {
    g_autoptr(MendImage) image = mend_image_open (root, &error);
    MendCheckContext *ctx;
    GPtrArray *findings;

    ck_assert_msg (image != NULL, "%s", error ? error->message : "");
    ctx = mend_check_context_new (MEND_TARGET (image), MEND_ROLE_BOTH, NULL);
    n_events = 0;
    for (guint i = 0; i < n; i++)
      if (checks[i].side == MEND_CHECK_SIDE_EVENTS) {
        n_events++;
        mend_check_context_run (ctx, &checks[i]);
      }
    findings = mend_check_context_get_findings (ctx);
    ck_assert_uint_eq (n_events, 4);
    ck_assert_uint_eq (findings->len, 4);
    if (pass == 0) {
      ck_assert_int_eq (mend_finding_get_severity (find (findings, "events.access-denied")),
                        MEND_SEVERITY_PROBLEM);
      ck_assert_str_eq (mend_finding_get_check (find (findings, "events.access-denied")),
                        "events.access-denied");
      ck_assert_int_eq (mend_finding_get_severity (find (findings, "events.client-disconnect")),
                        MEND_SEVERITY_OK);
    } else {
      for (guint k = 0; k < findings->len; k++) {
        ck_assert_int_eq (mend_finding_get_severity (findings->pdata[k]), MEND_SEVERITY_OK);
        ck_assert_ptr_nonnull (strstr (mend_finding_get_title (findings->pdata[k]),
                                       "No event logs in this image"));
      }
    }
    mend_check_context_free (ctx);
    rm_rf (logs);   /* second pass: no Logs folder at all */
  }
  rm_rf (root);
}
END_TEST

START_TEST (test_logs_dir_missing)
{
  g_autoptr(GError) error = NULL;

  ck_assert_ptr_null (mend_events_diagnose_logs_dir ("/nonexistent/Logs", "image:x", &error));
  g_assert_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND);
}
END_TEST

static Suite *
events_suite (gboolean with_data)
{
  Suite *s = suite_create ("events");
  TCase *parse = tcase_create ("extractor");
  TCase *reader = tcase_create ("reader");
  TCase *findings = tcase_create ("findings");

  tcase_add_test (parse, test_extractor_fields);
  tcase_add_test (parse, test_extractor_user_data);
  tcase_add_test (parse, test_extractor_damaged);
  tcase_add_test (parse, test_certificate_event_fields);
  tcase_add_test (parse, test_disconnect_reasons);
  suite_add_tcase (s, parse);
  if (!with_data)
    return s;

  tcase_add_test (reader, test_reader_matches_evtxexport);
  tcase_add_test (reader, test_reader_hostile);
  suite_add_tcase (s, reader);

  tcase_set_timeout (findings, 240);
  tcase_add_test (findings, test_client_disconnect);
  tcase_add_test (findings, test_schannel_failure);
  tcase_add_test (findings, test_termservice_sample_has_no_certificate_events);
  tcase_add_test (findings, test_access_denied);
  tcase_add_test (findings, test_no_rdp_and_termdd);
  tcase_add_test (findings, test_hostile_logs_reported);
  tcase_add_test (findings, test_checks_through_image);
  tcase_add_test (findings, test_logs_dir_missing);
  suite_add_tcase (s, findings);
  return s;
}

int
main (void)
{
  const char *root = g_getenv ("MEND_SHARED_DATA");
  g_autofree char *probe = root ? g_build_filename (root, EVTX_RDPCLIENT, NULL) : NULL;
  gboolean with_data = probe != NULL && g_file_test (probe, G_FILE_TEST_IS_REGULAR);
  gboolean with_evtx = TRUE;
  SRunner *runner;
  int failed;

#ifndef MEND_HAVE_LIBEVTX
  with_evtx = FALSE;
#endif
  runner = srunner_create (events_suite (with_data && with_evtx));
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  if (failed != 0)
    return 1;
  /* The extractor tests ran; the rest needs what is missing here. */
  if (!with_evtx) {
    g_printerr ("test-events: built without libevtx (libevtx-dev, libbfio-dev): reader and "
                "findings not tested\n");
    return 77;
  }
  if (!with_data) {
    g_printerr ("test-events: the real event logs (MEND_SHARED_DATA/evtx) are not here: "
                "reader and findings not tested\n");
    return 77;
  }
  return 0;
}
