/* mend-session.h — one diagnosis: targets, role, reported error; runs checks off the main loop. */
#pragma once

#include <gio/gio.h>
#include "checks/mend-check.h"
#include "base/mend-finding.h"
#include "target/mend-image.h"

G_BEGIN_DECLS

#define MEND_TYPE_SESSION (mend_session_get_type ())
G_DECLARE_FINAL_TYPE (MendSession, mend_session, MEND, SESSION, GObject)

MendSession *mend_session_new            (void);
void         mend_session_set_role       (MendSession *self, MendRole role);
MendRole     mend_session_get_role       (MendSession *self);
/* DIR is a folder or "auto"; "auto" with nothing found is MEND_ERROR_NOT_WINDOWS. */
gboolean     mend_session_add_image      (MendSession *self, const char *dir, GError **error);
void         mend_session_add_image_object (MendSession *self, MendImage *image);
/* Element MendImage*. */
GPtrArray   *mend_session_get_images     (MendSession *self);
gboolean     mend_session_add_probe      (MendSession *self, const char *host_port, GError **error);
GStrv        mend_session_get_probes     (MendSession *self);
void         mend_session_set_probe_timeout (MendSession *self, double seconds);
void         mend_session_set_rdp_file   (MendSession *self, const char *path);
const char  *mend_session_get_rdp_file   (MendSession *self);
/* "0x904/0x7", "2308/7", "0x904": fails with MEND_ERROR_INVALID_ARGUMENT. */
gboolean     mend_session_set_error_code (MendSession *self, const char *code, GError **error);
gboolean     mend_session_get_error_code (MendSession *self, guint32 *code, guint32 *extended,
                                          gboolean *has_extended);
/* Symptoms from the wizard's first page ("fast-fail", "after-update", ...). */
void         mend_session_add_symptom    (MendSession *self, const char *symptom);
/* Fixed "now" for reproducible certificate checks (tests); 0 = real time. */
void         mend_session_set_now        (MendSession *self, gint64 unix_seconds);

/* Check IDs and titles that a diagnosis will run, in order (for progress lists). */
GPtrArray   *mend_session_list_planned_checks (MendSession *self);   /* MendCheck* */

/* Emits "check-started" (id, title) and "check-finished" (id, worst severity) on the
 * thread-default main context of the caller; findings appear in the model as they arrive. */
void         mend_session_diagnose_async  (MendSession *self, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
gboolean     mend_session_diagnose_finish (MendSession *self, GAsyncResult *result,
                                           GError **error);
/* Blocking; for the CLI and tests. */
gboolean     mend_session_diagnose        (MendSession *self, GCancellable *cancellable,
                                           GError **error);

/* MendFinding objects, sorted problems first. */
GListModel  *mend_session_get_findings   (MendSession *self);
/* System identity of the first image (NULL if none). */
const MendSystemInfo *mend_session_get_system (MendSession *self);
/* Exit code per CATALOG.md for the current findings: 0, 1 or 3. */
int          mend_session_get_exit_code  (MendSession *self);

/* Schema-1 JSON document (CATALOG.md). */
JsonNode    *mend_session_to_json        (MendSession *self);

G_END_DECLS
