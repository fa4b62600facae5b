/* mend-report.h — a diagnosis as a report people can share (text, Markdown, HTML, JSON),
 * and the connection-path model: where along the way a connection dies. */
#pragma once

#include <gio/gio.h>
#include "base/mend-finding.h"
#include "session/mend-session.h"

G_BEGIN_DECLS

/* The stages a Remote Desktop connection goes through, in order. */
typedef enum {
  MEND_STAGE_LOCAL,         /* this computer: client program, its files, .rdp file */
  MEND_STAGE_NETWORK,       /* reachability, firewall */
  MEND_STAGE_SERVER,        /* RDP enabled, listener, services */
  MEND_STAGE_NEGOTIATION,   /* X.224 security-protocol negotiation */
  MEND_STAGE_TLS,           /* TLS handshake, SCHANNEL protocol switches */
  MEND_STAGE_CERTIFICATE,   /* the server's certificate */
  MEND_STAGE_SIGNIN,        /* CredSSP / NLA, permission to sign in */
  MEND_STAGE_LICENSING,     /* client license store, licensing exchange */
  MEND_N_STAGES
} MendStage;

typedef enum {
  MEND_STAGE_STATE_NOT_CHECKED,  /* grey */
  MEND_STAGE_STATE_OK,           /* green: checked, nothing blocking */
  MEND_STAGE_STATE_FAILED,       /* red: at least one problem */
} MendStageState;

const char *mend_stage_to_string       (MendStage stage);       /* "tls"; never translated */
const char *mend_stage_to_label        (MendStage stage);       /* translated */
const char *mend_stage_state_to_string (MendStageState state);  /* "ok", "failed", "not-checked" */
const char *mend_stage_state_to_label  (MendStageState state);  /* translated */

/* Which stage a finding (or a check id) belongs to; FALSE for findings that are not on
 * the connection path (system identity, servicing, skipped checks). */
gboolean    mend_stage_for_id          (const char *id, MendStage *stage);
gboolean    mend_stage_for_finding     (MendFinding *finding, MendStage *stage);

/* Fills STATES from FINDINGS (a GListModel of MendFinding): red when a finding of
 * severity problem maps to the stage, green when any other finding (ok, info, warning)
 * maps to it, grey otherwise. Returns the first red stage, or -1. */
int         mend_path_compute          (GListModel *findings, MendStageState states[MEND_N_STAGES]);

/* The path as a standalone SVG picture (used inline in HTML reports). */
char       *mend_path_to_svg           (const MendStageState states[MEND_N_STAGES]);

typedef enum {
  MEND_REPORT_FORMAT_TEXT,
  MEND_REPORT_FORMAT_MARKDOWN,
  MEND_REPORT_FORMAT_HTML,
  MEND_REPORT_FORMAT_JSON,
} MendReportFormat;

gboolean    mend_report_format_from_string (const char *s, MendReportFormat *out);

typedef enum {
  MEND_REPORT_FLAGS_NONE      = 0,
  MEND_REPORT_FLAGS_REDACT    = 1 << 0,  /* replace user and host names */
  MEND_REPORT_FLAGS_TECHNICAL = 1 << 1,  /* ids, check ids, targets, full evidence */
} MendReportFlags;

/* Renders SESSION's current findings. NOTES (may be NULL) are extra lines shown in a
 * "Notes" section (e.g. what the wizard applied and the verification result). */
char       *mend_report_render         (MendSession *session, MendReportFormat format,
                                        MendReportFlags flags, const char * const *notes);

/* Names to hide in a redacted report: user profile names and UsernameHint values
 * (replaced by "user1", "user2", ...), and host names: probe targets, computer names,
 * servers from the connection history and .rdp file (replaced by "host1", ...).
 * Returns a table original → replacement (case-insensitive match on use). */
GHashTable *mend_report_collect_names  (MendSession *session);
/* Replaces every name of NAMES in TEXT (case-insensitive, whole tokens only). */
char       *mend_report_redact_text    (GHashTable *names, const char *text);

G_END_DECLS
