/* mend-check.h — the check table and the context a check runs in. */
#pragma once

#include <gio/gio.h>
#include "base/mend-finding.h"
#include "registry/mend-registry.h"
#include "target/mend-target.h"

G_BEGIN_DECLS

typedef enum {
  MEND_ROLE_BOTH,
  MEND_ROLE_CLIENT,
  MEND_ROLE_SERVER,
} MendRole;

const char *mend_role_to_string   (MendRole role);
gboolean    mend_role_from_string (const char *s, MendRole *out);

/* What a Windows installation says about itself (CATALOG.md "system"). Members that
 * could not be read are NULL / -1. */
typedef struct {
  char  *product;            /* as shown: "Windows 11 Pro" when build >= 22000 */
  char  *product_stored;     /* ProductName as stored */
  gint64 build;
  gint64 ubr;
  char  *display_version;
  char  *edition;
  char  *installation_type;
  char  *install_date;       /* ISO 8601 from InstallDate, or NULL */
  gint64 install_time;       /* unix seconds, or -1 */
} MendSystemInfo;

void            mend_system_info_free (MendSystemInfo *info);
MendSystemInfo *mend_system_info_read (MendRegistry *registry);
gboolean        mend_system_info_is_server  (const MendSystemInfo *info);
gboolean        mend_system_info_is_windows11 (const MendSystemInfo *info);
JsonNode       *mend_system_info_to_json (const MendSystemInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendSystemInfo, mend_system_info_free)

typedef struct _MendCheckContext MendCheckContext;
typedef void (*MendCheckFunc) (MendCheckContext *ctx);

typedef enum {
  MEND_CHECK_SIDE_SYSTEM,    /* image and system */
  MEND_CHECK_SIDE_SERVER,
  MEND_CHECK_SIDE_CLIENT,
  MEND_CHECK_SIDE_SERVICING,
  MEND_CHECK_SIDE_EVENTS,
} MendCheckSide;

typedef struct {
  const char   *id;       /* stable check id, e.g. "server.listener" */
  const char   *title;    /* N_() — translated at display time */
  MendCheckSide side;
  MendCheckFunc run;
} MendCheck;

/* All checks against a Windows installation, in run order. */
const MendCheck *mend_checks_get_all (guint *n_checks);

/* Context accessors for check implementations. */
MendRegistry   *mend_check_context_get_registry (MendCheckContext *ctx);
MendTarget     *mend_check_context_get_target   (MendCheckContext *ctx);
MendRole        mend_check_context_get_role     (MendCheckContext *ctx);
const MendSystemInfo *mend_check_context_get_system (MendCheckContext *ctx);
GCancellable   *mend_check_context_get_cancellable (MendCheckContext *ctx);
const char     *mend_check_context_get_check_id (MendCheckContext *ctx);
gint64          mend_check_context_get_now      (MendCheckContext *ctx);   /* unix seconds */
/* Adds a finding (sets target and check; takes ownership). */
void            mend_check_context_add          (MendCheckContext *ctx, MendFinding *finding);
/* check.skipped with the check's id in detail and REASON in the evidence. */
void            mend_check_context_skip         (MendCheckContext *ctx, const char *reason);
/* An ok finding with ID and TITLE. */
void            mend_check_context_ok           (MendCheckContext *ctx, const char *id,
                                                 const char *title);
/* Adds registry evidence for PATH/NAME as read now (resolved path, display data, stale flag). */
void            mend_check_context_add_registry_evidence (MendCheckContext *ctx,
                                                          MendFinding *finding,
                                                          const char *path, const char *name);
/* TRUE if the hive behind PATH has unreplayed logs. */
gboolean        mend_check_context_path_is_stale (MendCheckContext *ctx, const char *path);

/* Used by the session and by tests: run CHECKS against one target. */
MendCheckContext *mend_check_context_new  (MendTarget *target, MendRole role,
                                           GCancellable *cancellable);
void              mend_check_context_free (MendCheckContext *ctx);
void              mend_check_context_set_now (MendCheckContext *ctx, gint64 now);
void              mend_check_context_run  (MendCheckContext *ctx, const MendCheck *check);
/* Findings added so far (element MendFinding*). */
GPtrArray        *mend_check_context_get_findings (MendCheckContext *ctx);

G_END_DECLS
