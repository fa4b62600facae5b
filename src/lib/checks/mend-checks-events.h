/* mend-checks-events.h — event-log evidence from an offline image's .evtx files
 * (CATALOG.md "Event evidence"). */
#pragma once

#include <gio/gio.h>
#include "checks/mend-check.h"

G_BEGIN_DECLS

/* Log files under Windows/System32/winevt/Logs, as Windows names them. */
#define MEND_EVTX_RDPCLIENT "Microsoft-Windows-TerminalServices-RDPClient%4Operational.evtx"
#define MEND_EVTX_SYSTEM    "System.evtx"
#define MEND_EVTX_SECURITY  "Security.evtx"
#define MEND_EVTX_RCM_ADMIN "Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Admin.evtx"
#define MEND_EVTX_RCM_OPERATIONAL \
  "Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx"

/* Check functions for the check table (side MEND_CHECK_SIDE_EVENTS). */
void mend_check_events_client_disconnect (MendCheckContext *ctx);
void mend_check_events_schannel_failure  (MendCheckContext *ctx);
void mend_check_events_rdp_certificate   (MendCheckContext *ctx);
void mend_check_events_access_denied     (MendCheckContext *ctx);

/* Every event finding for the logs in LOGS_DIR (a winevt/Logs folder; file names matched
 * case-insensitively), each with TARGET set. Absent logs give ok findings that say what
 * was not there; logs that cannot be read give check.skipped; the others still run.
 * Fails only when LOGS_DIR cannot be listed (MEND_ERROR_NOT_FOUND / MEND_ERROR_IO).
 * Element type MendFinding*. */
GPtrArray *mend_events_diagnose_logs_dir (const char   *logs_dir,
                                          const char   *target,
                                          GError      **error);

/* The decoded main disconnect reason of an RDPClient 1026 event, e.g.
 * "0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE: socket closed"; translated. */
char     *mend_events_describe_disconnect_reason (guint32 reason);
/* TRUE unless REASON is one of the documented "not an error" codes (0–3). */
gboolean  mend_events_disconnect_reason_is_error (guint32 reason);

/* What a Remote Desktop certificate event (1056/1057/1058) carries, read from its XML as
 * the check reads it: the SHA-1 thumbprint (20 bytes of <Binary>, or a data value of 40 hex
 * digits; upper case) and the first other data value (certificate name or status). Either
 * is set to NULL when absent. */
void      mend_events_parse_certificate_event (const char *xml, char **thumbprint, char **text);

G_END_DECLS
