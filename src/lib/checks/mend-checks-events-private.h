/* mend-checks-events-private.h — the log walks of the event checks (mend-checks-events-scan.c),
 * shared with the findings they give (mend-checks-events.c). Not installed. */
#pragma once

#include "checks/mend-checks-events.h"
#include "formats/mend-event-data.h"
#include "formats/mend-events.h"

G_BEGIN_DECLS

#define CHANNEL_RDPCLIENT "Microsoft-Windows-TerminalServices-RDPClient/Operational"
#define CHANNEL_SYSTEM    "System"
#define CHANNEL_SECURITY  "Security"
#define CHANNEL_RCM_ADMIN "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin"
#define CHANNEL_RCM_OPERATIONAL \
  "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"

/* ---- one log file --------------------------------------------------------------------- */

typedef struct {
  char    *path;             /* NULL when the file is not in the folder */
  char    *file_name;        /* as Windows names it */
  char    *channel;
  gboolean readable;
  char    *problem;          /* why it could not be read */
  guint    n_records;
  guint    n_failed;
  char    *first_failure;
} LogStatus;

void mend_events_log_status_free (LogStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LogStatus, mend_events_log_status_free)

/* Which records of a log to hand to FUNC. */
typedef struct {
  const guint32      *ids;
  guint               n_ids;
  const char * const *providers;
  MendEventLogFunc    func;
  gpointer            data;
} Walk;

/* Opens and walks FILE_NAME in LOGS_DIR (found case-insensitively); the status says
 * whether it was there and could be read. */
LogStatus *mend_events_scan_log   (const char   *logs_dir,
                                   const char   *file_name,
                                   const char   *channel,
                                   const Walk   *walk,
                                   GCancellable *cancellable);
/* When the event happened: TimeCreated from the XML, else the record's written time. */
gint64     mend_events_event_time (const MendEventRecord *record, const MendEventData *data);

/* ---- the System log: Schannel and certificate events in one walk ------------------------ */

typedef struct {
  guint32     id;
  const char *key_field;     /* the Data field worth counting by value */
  int         key_index;     /* its position, learnt from the first record; -1 none */
  gboolean    learnt;
  guint       count;
  gint64      first_us;
  gint64      last_us;
  GHashTable *by_value;      /* key field value → count (GUINT_TO_POINTER) */
} SchannelStat;

typedef struct {
  guint32     id;
  gint64      time_us;
  guint64     number;
  char       *channel;
  char       *provider;
  char       *thumbprint;    /* 40 upper-case hex digits, or NULL */
  char       *text;          /* first data value: certificate name or status */
} CertEvent;

typedef struct {
  SchannelStat  schannel[3];
  GArray       *certs;         /* CertEvent */
  const char   *channel;       /* of the log being walked */
  LogStatus    *system;        /* owned */
  LogStatus    *rcm[2];        /* owned; the RemoteConnectionManager logs */
  char         *stamp;         /* path, size and mtime of System.evtx when scanned */
} SystemScan;

/* Walks System.evtx and the two RemoteConnectionManager logs of LOGS_DIR (may be NULL). */
SystemScan *mend_events_system_scan_run  (const char *logs_dir, GCancellable *cancellable);
void        mend_events_system_scan_free (SystemScan *scan);
/* The scan of DIR for a check run, kept on the target until System.evtx changes. */
SystemScan *mend_events_context_system_scan (MendCheckContext *ctx, const char *dir);

G_END_DECLS
