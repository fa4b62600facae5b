/* mend-checks-events.c — findings from an offline image's event logs: client disconnects
 * (RDPClient 1026), Schannel failures, Remote Desktop certificate events, and 4825. The
 * walks they share are in mend-checks-events-scan.c. */
#include "checks/mend-checks-events-private.h"
#include "formats/mend-errcodes.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>

#define LOGS_RELATIVE "Windows/System32/winevt/Logs"
/* Enough to see a pattern; the counts cover the rest. */
#define MAX_EVENT_EVIDENCE 10

#define ID_CLIENT   "events.client-disconnect"
#define ID_SCHANNEL "events.schannel-failure"
#define ID_CERT     "events.rdp-certificate"
#define ID_ACCESS   "events.access-denied"

/* As in the check table (mend-checks-table.c), for check.skipped outside a check run. */
static const struct { const char *id; const char *title; } check_titles[] = {
  { ID_CLIENT, N_("Remote Desktop client disconnects in the event log") },
  { ID_SCHANNEL, N_("Schannel TLS errors in the event log") },
  { ID_CERT, N_("Remote Desktop certificate events") },
  { ID_ACCESS, N_("Refused Remote Desktop sign-ins in the event log") },
};

/* ---- disconnect reasons (DOMAIN.md §1.1; the table lives in mend-errcodes-table.c) ---- */

gboolean
mend_events_disconnect_reason_is_error (guint32 reason)
{
  return reason > 3;
}

char *
mend_events_describe_disconnect_reason (guint32 reason)
{
  const MendErrcodeEntry *entry = mend_errcode_lookup (reason);
  g_autofree char *meaning = mend_errcode_describe (reason);

  if (entry != NULL)
    return g_strdup_printf ("0x%X (%u) %s: %s", reason, reason, entry->name, meaning);
  return g_strdup_printf ("0x%X (%u): %s", reason, reason, meaning);
}

/* ---- TLS alert names (RFC 8446 §6, RFC 5246 §7.2); protocol names, not translated ------ */

static const char *
tls_alert_name (guint64 code)
{
  static const struct { guint8 code; const char *name; } alerts[] = {
    { 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" },
    { 21, "decryption_failed" }, { 22, "record_overflow" }, { 30, "decompression_failure" },
    { 40, "handshake_failure" }, { 41, "no_certificate" }, { 42, "bad_certificate" },
    { 43, "unsupported_certificate" }, { 44, "certificate_revoked" },
    { 45, "certificate_expired" }, { 46, "certificate_unknown" },
    { 47, "illegal_parameter" }, { 48, "unknown_ca" }, { 49, "access_denied" },
    { 50, "decode_error" }, { 51, "decrypt_error" }, { 60, "export_restriction" },
    { 70, "protocol_version" }, { 71, "insufficient_security" }, { 80, "internal_error" },
    { 86, "inappropriate_fallback" }, { 90, "user_canceled" },
    { 100, "no_renegotiation" }, { 109, "missing_extension" },
    { 110, "unsupported_extension" }, { 112, "unrecognized_name" },
    { 113, "bad_certificate_status_response" }, { 115, "unknown_psk_identity" },
    { 116, "certificate_required" }, { 120, "no_application_protocol" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (alerts); i++)
    if (alerts[i].code == code)
      return alerts[i].name;
  return NULL;
}

/* ---- where findings go: a check context, or a plain list -------------------------------- */

typedef struct {
  MendCheckContext *ctx;
  GPtrArray        *out;
  const char       *target;
} Sink;

static void
sink_add (Sink *sink, MendFinding *finding, const char *check_id)
{
  if (sink->ctx != NULL) {
    mend_check_context_add (sink->ctx, finding);
    return;
  }
  if (sink->target != NULL)
    mend_finding_set_target (finding, sink->target);
  mend_finding_set_check (finding, check_id);
  g_ptr_array_add (sink->out, finding);
}

static void
sink_skip (Sink *sink, const char *check_id, const char *reason)
{
  MendFinding *finding;

  if (sink->ctx != NULL) {
    mend_check_context_skip (sink->ctx, reason);
    return;
  }
  g_autofree char *title = NULL;
  const char *check_title = "";

  for (guint i = 0; i < G_N_ELEMENTS (check_titles); i++)
    if (g_strcmp0 (check_titles[i].id, check_id) == 0)
      check_title = _(check_titles[i].title);
  /* The same shape mend_check_context_skip() gives. */
  title = g_strdup_printf (_("Not checked: %s"), check_title);
  finding = mend_finding_new ("check.skipped", MEND_SEVERITY_INFO, MEND_CONFIDENCE_CONFIRMED,
                              title);
  mend_finding_set_detail (finding, check_id);
  mend_finding_add_evidence (finding, "note", NULL, NULL, reason);
  sink_add (sink, finding, check_id);
}

static void
sink_ok (Sink *sink, const char *id, const char *title, const char *note)
{
  MendFinding *finding = mend_finding_new (id, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                           title);

  if (note != NULL)
    mend_finding_add_evidence (finding, "note", NULL, NULL, note);
  sink_add (sink, finding, id);
}

/* ---- a missing, unreadable or partly read log ------------------------------------------- */

/* Reports a log that is missing or unreadable. Returns TRUE when the log was read. */
static gboolean
report_log_status (Sink *sink, const char *check_id, const LogStatus *status)
{
  if (status->path != NULL && !status->readable) {
    sink_skip (sink, check_id, status->problem);
    return FALSE;
  }
  return status->path != NULL;
}

/* A note on FINDING when some records of a readable log had to be skipped. */
static void
add_partial_note (MendFinding *finding, const LogStatus *status)
{
  g_autofree char *note = NULL;

  if (status == NULL || !status->readable || status->n_failed == 0)
    return;
  note = g_strdup_printf (ngettext ("%u of %u records could not be read and were skipped "
                                    "(first: %s)",
                                    "%u of %u records could not be read and were skipped "
                                    "(first: %s)", status->n_failed),
                          status->n_failed, status->n_records,
                          status->first_failure ? status->first_failure : "");
  mend_finding_add_evidence (finding, "file", status->path, NULL, note);
}

static char *
format_time (gint64 time_us)
{
  char *text = mend_event_time_format (time_us);

  return text != NULL ? text : g_strdup (_("unknown time"));
}

/* Most recent first; the record number breaks ties within one timestamp. */
#define DEFINE_RECENT_FIRST(Type)                                         \
  static int                                                              \
  Type##_recent_first (gconstpointer a, gconstpointer b)                  \
  {                                                                       \
    const Type *x = a, *y = b;                                            \
    if (x->time_us != y->time_us)                                         \
      return x->time_us < y->time_us ? 1 : -1;                            \
    return x->number < y->number ? 1 : (x->number > y->number ? -1 : 0);  \
  }

/* ---- events.client-disconnect ----------------------------------------------------------- */

typedef struct {
  gint64  time_us;
  guint64 number;
  guint32 reason;
  char   *server;
} Disconnect;

DEFINE_RECENT_FIRST (Disconnect)

static void
disconnect_clear (gpointer data)
{
  g_free (((Disconnect *) data)->server);
}

typedef struct {
  GArray     *disconnects;      /* Disconnect */
  GHashTable *server_by_activity;
  char       *last_server;
  guint       unparsed;         /* 1026 without a readable reason */
} ClientScan;

static gboolean
parse_number (const char *text, guint32 *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  guint64 v;
  char *end = NULL;

  if (t[0] == '\0')
    return FALSE;
  if (g_str_has_prefix (t, "0x") || g_str_has_prefix (t, "0X"))
    v = g_ascii_strtoull (t + 2, &end, 16);
  else
    v = g_ascii_strtoull (t, &end, 10);
  if (end == NULL || *end != '\0' || end == t || v > G_MAXUINT32)
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

static gboolean
on_client_record (MendEventRecord *record, gpointer user_data)
{
  ClientScan *scan = user_data;
  g_autoptr(MendEventData) data = NULL;
  const char *xml = mend_event_record_get_xml (record);
  const char *activity;

  if (xml == NULL)
    return TRUE;
  data = mend_event_data_parse (xml, -1);
  activity = mend_event_data_get_activity_id (data);

  if (mend_event_record_get_id (record) == 1024) {
    /* <Data Name="Name">Server Name</Data><Data Name="Value">HOST</Data>: %2 is the host. */
    const char *server = mend_event_data_lookup (data, "Value");

    if (server == NULL)
      server = mend_event_data_get_nth (data, 1);
    if (server == NULL)
      server = mend_event_data_get_nth (data, 0);
    if (server == NULL || server[0] == '\0')
      return TRUE;
    g_free (scan->last_server);
    scan->last_server = g_strdup (server);
    if (activity != NULL)
      g_hash_table_replace (scan->server_by_activity, g_strdup (activity), g_strdup (server));
  } else {
    const char *text = mend_event_data_lookup (data, "Value");
    const char *server = NULL;
    Disconnect d = { 0 };

    if (text == NULL)
      text = mend_event_data_lookup (data, "Reason");
    if (text == NULL)
      text = mend_event_data_get_nth (data, 1);
    if (text == NULL || !parse_number (text, &d.reason)) {
      scan->unparsed++;
      return TRUE;
    }
    if (activity != NULL)
      server = g_hash_table_lookup (scan->server_by_activity, activity);
    if (server == NULL)
      server = scan->last_server;
    d.server = g_strdup (server);
    d.time_us = mend_events_event_time (record, data);
    d.number = mend_event_record_get_number (record);
    g_array_append_val (scan->disconnects, d);
  }
  return TRUE;
}

static void
report_client (Sink *sink, const char *logs_dir, GCancellable *cancellable)
{
  static const guint32 ids[] = { 1024, 1026 };
  ClientScan scan = { 0 };
  Walk walk = { ids, G_N_ELEMENTS (ids), NULL, on_client_record, &scan };
  g_autoptr(LogStatus) status = NULL;
  MendFinding *finding;
  const Disconnect *latest;
  g_autofree char *latest_text = NULL;
  g_autofree char *title = NULL;
  guint n_errors = 0;

  scan.disconnects = g_array_new (FALSE, TRUE, sizeof (Disconnect));
  g_array_set_clear_func (scan.disconnects, disconnect_clear);
  scan.server_by_activity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  status = mend_events_scan_log (logs_dir, MEND_EVTX_RDPCLIENT, CHANNEL_RDPCLIENT, &walk,
                                 cancellable);

  if (!report_log_status (sink, ID_CLIENT, status)) {
    if (status->path == NULL) {
      g_autofree char *note = g_strdup_printf (_("Looked for %s in %s"), MEND_EVTX_RDPCLIENT,
                                               logs_dir ? logs_dir : LOGS_RELATIVE);

      sink_ok (sink, ID_CLIENT,
               _("No Remote Desktop client log in this image (Remote Desktop Connection "
                 "may never have been used here)"), note);
    }
    goto out;
  }

  if (scan.disconnects->len == 0) {
    finding = mend_finding_new (ID_CLIENT, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                _("No Remote Desktop client disconnects are recorded"));
    mend_finding_add_evidence (finding, "file", status->path, NULL, NULL);
    add_partial_note (finding, status);
    sink_add (sink, finding, ID_CLIENT);
    goto out;
  }

  g_array_sort (scan.disconnects, Disconnect_recent_first);
  for (guint i = 0; i < scan.disconnects->len; i++)
    if (mend_events_disconnect_reason_is_error (g_array_index (scan.disconnects, Disconnect, i).reason))
      n_errors++;
  latest = &g_array_index (scan.disconnects, Disconnect, 0);
  latest_text = mend_events_describe_disconnect_reason (latest->reason);

  if (mend_events_disconnect_reason_is_error (latest->reason)) {
    title = g_strdup_printf (_("The last Remote Desktop connection ended with an error: %s"),
                             latest_text);
    finding = mend_finding_new (ID_CLIENT, MEND_SEVERITY_PROBLEM, MEND_CONFIDENCE_CONFIRMED,
                                title);
  } else {
    title = g_strdup_printf (_("The last Remote Desktop connection ended without an error: %s"),
                             latest_text);
    finding = mend_finding_new (ID_CLIENT, MEND_SEVERITY_INFO, MEND_CONFIDENCE_CONFIRMED,
                                title);
  }
  mend_finding_take_detail (finding, g_strdup_printf (
      ngettext ("%u disconnect is recorded in the Remote Desktop client log, %u of them with "
                "an error code; the most recent are listed first.",
                "%u disconnects are recorded in the Remote Desktop client log, %u of them with "
                "an error code; the most recent are listed first.", scan.disconnects->len),
      scan.disconnects->len, n_errors));

  for (guint i = 0; i < scan.disconnects->len && i < MAX_EVENT_EVIDENCE; i++) {
    const Disconnect *d = &g_array_index (scan.disconnects, Disconnect, i);
    g_autofree char *when = format_time (d->time_us);
    g_autofree char *what = mend_events_describe_disconnect_reason (d->reason);
    g_autofree char *text = g_strdup_printf (_("%s, server %s: %s"), when,
                                             d->server ? d->server : _("unknown"), what);

    mend_finding_add_evidence (finding, "event", CHANNEL_RDPCLIENT, "1026", text);
  }
  mend_finding_add_evidence (finding, "file", status->path, NULL, NULL);
  add_partial_note (finding, status);

  {
    JsonObject *extra = mend_finding_get_extra (finding);
    g_autofree char *hex = g_strdup_printf ("0x%X", latest->reason);

    json_object_set_int_member (extra, "reason", latest->reason);
    json_object_set_string_member (extra, "reason_hex", hex);
    if (latest->server != NULL)
      json_object_set_string_member (extra, "server", latest->server);
    json_object_set_int_member (extra, "disconnects", scan.disconnects->len);
    json_object_set_int_member (extra, "disconnects_with_error", n_errors);
  }
  sink_add (sink, finding, ID_CLIENT);

out:
  g_array_unref (scan.disconnects);
  g_hash_table_unref (scan.server_by_activity);
  g_free (scan.last_server);
}

/* ---- events.schannel-failure and events.rdp-certificate --------------------------------- */

DEFINE_RECENT_FIRST (CertEvent)

static const char *
schannel_meaning (guint32 id)
{
  switch (id) {
  case 36870:
    return _("36870: a fatal error occurred accessing the TLS server credential private key "
             "(the account the service runs as cannot read the key, or MachineKeys is damaged)");
  case 36874:
    return _("36874: a TLS connection request was received but no cipher suite is supported "
             "by both sides");
  case 36888:
    return _("36888: a fatal TLS alert was generated and sent to the other side");
  default:
    return "";
  }
}

/* Most frequent value first, then by name, so the evidence reads the same every run. */
static int
by_count_desc (gconstpointer a, gconstpointer b, gpointer user_data)
{
  guint na = GPOINTER_TO_UINT (g_hash_table_lookup (user_data, a));
  guint nb = GPOINTER_TO_UINT (g_hash_table_lookup (user_data, b));

  if (na != nb)
    return na < nb ? 1 : -1;
  return g_strcmp0 (a, b);
}

static void
report_schannel (Sink *sink, SystemScan *scan)
{
  MendFinding *finding;
  JsonObject *counts;
  GString *detail;
  guint total = 0;

  if (!report_log_status (sink, ID_SCHANNEL, scan->system)) {
    if (scan->system->path == NULL)
      sink_ok (sink, ID_SCHANNEL, _("No System event log in this image: Schannel errors "
                                    "could not be looked for"), NULL);
    return;
  }
  for (guint i = 0; i < G_N_ELEMENTS (scan->schannel); i++)
    total += scan->schannel[i].count;
  if (total == 0) {
    finding = mend_finding_new (ID_SCHANNEL, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                _("No Schannel errors 36870, 36874 or 36888 in the System log"));
    mend_finding_add_evidence (finding, "file", scan->system->path, NULL, NULL);
    add_partial_note (finding, scan->system);
    sink_add (sink, finding, ID_SCHANNEL);
    return;
  }

  /* Schannel serves every TLS user on the machine, not only Remote Desktop. */
  finding = mend_finding_new (ID_SCHANNEL, MEND_SEVERITY_PROBLEM, MEND_CONFIDENCE_LIKELY,
                              _("Schannel reported TLS failures in the System log"));
  detail = g_string_new (_("Remote Desktop uses Schannel for TLS; these errors also come from "
                           "other TLS services on the machine."));
  counts = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (scan->schannel); i++) {
    const SchannelStat *stat = &scan->schannel[i];
    g_autofree char *first = NULL;
    g_autofree char *last = NULL;
    g_autofree char *id = NULL;
    GString *text;
    JsonObject *entry;
    g_autoptr(GList) values = NULL;

    if (stat->count == 0)
      continue;
    first = format_time (stat->first_us);
    last = format_time (stat->last_us);
    id = g_strdup_printf ("%u", stat->id);
    g_string_append_printf (detail, " %s.", schannel_meaning (stat->id));
    text = g_string_new (NULL);
    g_string_append_printf (text, ngettext ("%u event, from %s to %s",
                                            "%u events, from %s to %s", stat->count),
                            stat->count, first, last);
    entry = json_object_new ();
    json_object_set_int_member (entry, "count", stat->count);
    json_object_set_string_member (entry, "first", first);
    json_object_set_string_member (entry, "last", last);

    values = g_hash_table_get_keys (stat->by_value);
    values = g_list_sort_with_data (values, by_count_desc, stat->by_value);
    for (GList *l = values; l != NULL; l = l->next) {
      gpointer key = l->data;
      gpointer value = g_hash_table_lookup (stat->by_value, key);
      guint32 code;

      if (stat->id == 36888 && parse_number (key, &code)) {
        const char *name = tls_alert_name (code);
        g_autofree char *member = g_strdup_printf ("%u", code);
        JsonObject *alerts = json_object_has_member (entry, "alerts")
                             ? json_object_get_object_member (entry, "alerts") : NULL;

        g_string_append_printf (text, _("; alert %u (%s) ×%u"), code,
                                name ? name : _("unknown"), GPOINTER_TO_UINT (value));
        if (alerts == NULL) {
          alerts = json_object_new ();
          json_object_set_object_member (entry, "alerts", alerts);
        }
        json_object_set_int_member (alerts, member, GPOINTER_TO_UINT (value));
      } else {
        g_string_append_printf (text, _("; %s %s ×%u"), stat->key_field, (const char *) key,
                                GPOINTER_TO_UINT (value));
      }
    }
    json_object_set_object_member (counts, id, entry);
    mend_finding_add_evidence (finding, "event", CHANNEL_SYSTEM, id, text->str);
    g_string_free (text, TRUE);
  }
  if (scan->schannel[0].count > 0)
    mend_finding_add_fix (finding, "rebind-certificate");
  mend_finding_take_detail (finding, g_string_free (detail, FALSE));
  json_object_set_object_member (mend_finding_get_extra (finding), "schannel", counts);
  mend_finding_add_evidence (finding, "file", scan->system->path, NULL, NULL);
  add_partial_note (finding, scan->system);
  sink_add (sink, finding, ID_SCHANNEL);
}

static void
report_cert (Sink *sink, SystemScan *scan)
{
  LogStatus *logs[] = { scan->system, scan->rcm[0], scan->rcm[1] };
  gboolean any_read = FALSE;
  MendFinding *finding;
  const CertEvent *latest;
  gboolean failed;

  for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
    if (report_log_status (sink, ID_CERT, logs[i]))
      any_read = TRUE;
  if (!any_read) {
    if (scan->system->path == NULL)
      sink_ok (sink, ID_CERT, _("No System event log in this image: Remote Desktop "
                                "certificate events could not be looked for"), NULL);
    return;
  }
  if (scan->certs->len == 0) {
    finding = mend_finding_new (ID_CERT, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                _("No Remote Desktop certificate events (1056, 1057, 1058)"));
    for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
      if (logs[i]->readable) {
        mend_finding_add_evidence (finding, "file", logs[i]->path, NULL, NULL);
        add_partial_note (finding, logs[i]);
      }
    sink_add (sink, finding, ID_CERT);
    return;
  }

  g_array_sort (scan->certs, CertEvent_recent_first);
  latest = &g_array_index (scan->certs, CertEvent, 0);
  failed = latest->id != 1056;
  if (failed) {
    finding = mend_finding_new (ID_CERT, MEND_SEVERITY_PROBLEM, MEND_CONFIDENCE_CONFIRMED,
                                latest->id == 1057
                                ? _("Remote Desktop could not create its self-signed certificate")
                                : _("Remote Desktop could not replace its expired self-signed "
                                    "certificate"));
    mend_finding_set_detail (finding,
                             _("Without a certificate the server closes connections during "
                               "setup (0x904). Check that the key files under "
                               "ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys are readable "
                               "by NETWORK SERVICE and SYSTEM, delete the certificate under "
                               "Remote Desktop in the computer's certificate store, and "
                               "restart Remote Desktop Services."));
  } else {
    finding = mend_finding_new (ID_CERT, MEND_SEVERITY_INFO, MEND_CONFIDENCE_CONFIRMED,
                                _("Remote Desktop created a new self-signed certificate"));
    mend_finding_set_detail (finding,
                             _("Clients that remembered the old certificate will ask again."));
  }

  for (guint i = 0; i < scan->certs->len && i < MAX_EVENT_EVIDENCE; i++) {
    const CertEvent *ev = &g_array_index (scan->certs, CertEvent, i);
    g_autofree char *when = format_time (ev->time_us);
    g_autofree char *id = g_strdup_printf ("%u", ev->id);
    GString *text = g_string_new (when);

    g_string_append_printf (text, ", %s", ev->provider);
    if (ev->text != NULL)
      g_string_append_printf (text, ev->id == 1056 ? _(", certificate name %s")
                                                   : _(", status %s"), ev->text);
    if (ev->thumbprint != NULL)
      g_string_append_printf (text, _(", thumbprint %s"), ev->thumbprint);
    mend_finding_add_evidence (finding, "event", ev->channel, id, text->str);
    g_string_free (text, TRUE);
  }
  for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
    if (logs[i]->readable) {
      mend_finding_add_evidence (finding, "file", logs[i]->path, NULL, NULL);
      add_partial_note (finding, logs[i]);
    }

  json_object_set_int_member (mend_finding_get_extra (finding), "event_id", latest->id);
  if (latest->thumbprint != NULL)
    json_object_set_string_member (mend_finding_get_extra (finding), "thumbprint",
                                   latest->thumbprint);
  sink_add (sink, finding, ID_CERT);
}

/* ---- events.access-denied --------------------------------------------------------------- */

typedef struct {
  gint64  time_us;
  guint64 number;
  char   *account;
  char   *address;
} Denial;

DEFINE_RECENT_FIRST (Denial)

static void
denial_clear (gpointer data)
{
  g_free (((Denial *) data)->account);
  g_free (((Denial *) data)->address);
}

static gboolean
on_security_record (MendEventRecord *record, gpointer user_data)
{
  GArray *denials = user_data;
  const char *xml = mend_event_record_get_xml (record);
  g_autoptr(MendEventData) data = NULL;
  const char *name, *domain;
  Denial d = { 0 };

  if (xml == NULL)
    return TRUE;
  data = mend_event_data_parse (xml, -1);
  name = mend_event_data_lookup (data, "AccountName");
  domain = mend_event_data_lookup (data, "AccountDomain");
  d.time_us = mend_events_event_time (record, data);
  d.number = mend_event_record_get_number (record);
  if (name != NULL && domain != NULL && domain[0] != '\0')
    d.account = g_strdup_printf ("%s\\%s", domain, name);
  else
    d.account = g_strdup (name);
  d.address = g_strdup (mend_event_data_lookup (data, "ClientAddress"));
  g_array_append_val (denials, d);
  return TRUE;
}

static void
report_access (Sink *sink, const char *logs_dir, GCancellable *cancellable)
{
  static const guint32 ids[] = { 4825 };
  static const char * const providers[] = { "Microsoft-Windows-Security-Auditing", NULL };
  g_autoptr(GArray) denials = g_array_new (FALSE, TRUE, sizeof (Denial));
  Walk walk = { ids, G_N_ELEMENTS (ids), providers, on_security_record, denials };
  g_autoptr(LogStatus) status = NULL;
  g_autoptr(GHashTable) accounts = g_hash_table_new (g_str_hash, g_str_equal);
  MendFinding *finding;
  JsonArray *list;

  g_array_set_clear_func (denials, denial_clear);
  status = mend_events_scan_log (logs_dir, MEND_EVTX_SECURITY, CHANNEL_SECURITY, &walk,
                                 cancellable);
  if (!report_log_status (sink, ID_ACCESS, status)) {
    if (status->path == NULL)
      sink_ok (sink, ID_ACCESS, _("No Security event log in this image: refused Remote "
                                  "Desktop sign-ins could not be looked for"), NULL);
    return;
  }
  if (denials->len == 0) {
    finding = mend_finding_new (ID_ACCESS, MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                                _("No refused Remote Desktop sign-ins (4825) in the Security log"));
    mend_finding_add_evidence (finding, "file", status->path, NULL, NULL);
    add_partial_note (finding, status);
    sink_add (sink, finding, ID_ACCESS);
    return;
  }

  g_array_sort (denials, Denial_recent_first);
  finding = mend_finding_new (ID_ACCESS, MEND_SEVERITY_PROBLEM, MEND_CONFIDENCE_CONFIRMED,
                              _("A user with valid credentials was not allowed to sign in "
                                "through Remote Desktop"));
  mend_finding_set_detail (finding,
                           _("The account must be in the Remote Desktop Users group (or "
                             "Administrators) and have the right “Allow log on through "
                             "Remote Desktop Services”, and must not have “Deny log on "
                             "through Remote Desktop Services”."));
  list = json_array_new ();
  for (guint i = 0; i < denials->len; i++) {
    const Denial *d = &g_array_index (denials, Denial, i);

    if (d->account != NULL && !g_hash_table_contains (accounts, d->account)) {
      g_hash_table_add (accounts, d->account);
      json_array_add_string_element (list, d->account);
    }
    if (i < MAX_EVENT_EVIDENCE) {
      g_autofree char *when = format_time (d->time_us);
      g_autofree char *text = g_strdup_printf (_("%s, account %s from %s"), when,
                                               d->account ? d->account : _("unknown"),
                                               d->address ? d->address : _("unknown"));

      mend_finding_add_evidence (finding, "event", CHANNEL_SECURITY, "4825", text);
    }
  }
  json_object_set_array_member (mend_finding_get_extra (finding), "accounts", list);
  json_object_set_int_member (mend_finding_get_extra (finding), "count", denials->len);
  mend_finding_add_evidence (finding, "file", status->path, NULL, NULL);
  add_partial_note (finding, status);
  sink_add (sink, finding, ID_ACCESS);
}

/* ---- entry points ----------------------------------------------------------------------- */

GPtrArray *
mend_events_diagnose_logs_dir (const char *logs_dir, const char *target, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  Sink sink = { NULL, out, target };
  SystemScan *scan;

  g_return_val_if_fail (logs_dir != NULL, NULL);

  if (!g_file_test (logs_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                 _("The event log folder “%s” does not exist"), logs_dir);
    return NULL;
  }
  {
    g_autoptr(GError) local = NULL;
    g_autoptr(GDir) dir = g_dir_open (logs_dir, 0, &local);

    if (dir == NULL) {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO,
                   _("The event log folder “%s” cannot be read: %s"), logs_dir,
                   local->message);
      return NULL;
    }
  }

  report_client (&sink, logs_dir, NULL);
  scan = mend_events_system_scan_run (logs_dir, NULL);
  report_schannel (&sink, scan);
  report_cert (&sink, scan);
  mend_events_system_scan_free (scan);
  report_access (&sink, logs_dir, NULL);
  return g_steal_pointer (&out);
}

/* The image's Logs folder, or NULL after reporting why there is none. */
static char *
context_logs_dir (MendCheckContext *ctx, const char *id, const char *what)
{
  g_autoptr (GError) error = NULL;
  char *dir = mend_target_find_event_log_dir (mend_check_context_get_target (ctx), &error);

  if (dir == NULL && g_error_matches (error, MEND_ERROR, MEND_ERROR_NOT_FOUND)) {
    g_autofree char *title = g_strdup_printf (_("No event logs in this image (%s): %s could "
                                                "not be looked for"), LOGS_RELATIVE, what);

    mend_check_context_ok (ctx, id, title);
    return NULL;
  }
  if (dir == NULL)
    mend_check_context_skip (ctx, error->message);
  return dir;
}

void
mend_check_events_client_disconnect (MendCheckContext *ctx)
{
  g_autofree char *dir = context_logs_dir (ctx, ID_CLIENT, _("Remote Desktop client disconnects"));
  Sink sink = { ctx, NULL, NULL };

  if (dir != NULL)
    report_client (&sink, dir, mend_check_context_get_cancellable (ctx));
}

void
mend_check_events_schannel_failure (MendCheckContext *ctx)
{
  g_autofree char *dir = context_logs_dir (ctx, ID_SCHANNEL, _("Schannel errors"));
  Sink sink = { ctx, NULL, NULL };

  if (dir != NULL)
    report_schannel (&sink, mend_events_context_system_scan (ctx, dir));
}

void
mend_check_events_rdp_certificate (MendCheckContext *ctx)
{
  g_autofree char *dir = context_logs_dir (ctx, ID_CERT, _("Remote Desktop certificate events"));
  Sink sink = { ctx, NULL, NULL };

  if (dir != NULL)
    report_cert (&sink, mend_events_context_system_scan (ctx, dir));
}

void
mend_check_events_access_denied (MendCheckContext *ctx)
{
  g_autofree char *dir = context_logs_dir (ctx, ID_ACCESS, _("refused Remote Desktop sign-ins"));
  Sink sink = { ctx, NULL, NULL };

  if (dir != NULL)
    report_access (&sink, dir, mend_check_context_get_cancellable (ctx));
}
