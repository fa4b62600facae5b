/* mend-driver.h — the wizard's cross-page state: the user's answers, the diagnosis
 * session, the chosen fixes and the applied journal entry. Pages never talk to each other. */
#pragma once

#include <gio/gio.h>
#include "session/mend-session.h"

G_BEGIN_DECLS

typedef enum {
  MEND_PROBLEM_NONE,
  MEND_PROBLEM_CLIENT,   /* "I can't connect to another computer" */
  MEND_PROBLEM_SERVER,   /* "People can't connect to this computer" */
  MEND_PROBLEM_DISK,     /* "Repair a Windows installation on a disk" */
} MendProblem;

#define MEND_TYPE_DRIVER (mend_driver_get_type ())
G_DECLARE_FINAL_TYPE (MendDriver, mend_driver, MEND, DRIVER, GObject)

MendDriver  *mend_driver_new               (void);

void         mend_driver_set_problem       (MendDriver *self, MendProblem problem);
MendProblem  mend_driver_get_problem       (MendDriver *self);
MendRole     mend_driver_get_role          (MendDriver *self);
void         mend_driver_set_error_code    (MendDriver *self, const char *code);
const char  *mend_driver_get_error_code    (MendDriver *self);
void         mend_driver_set_server        (MendDriver *self, const char *host);
const char  *mend_driver_get_server        (MendDriver *self);
void         mend_driver_set_rdp_file      (MendDriver *self, const char *path);
const char  *mend_driver_get_rdp_file      (MendDriver *self);
void         mend_driver_set_symptoms      (MendDriver *self, const char * const *symptoms);
const char * const *mend_driver_get_symptoms (MendDriver *self);

/* Folders given on the command line, offered first on the target page. */
void         mend_driver_add_candidate     (MendDriver *self, const char *dir);
const char * const *mend_driver_get_candidates (MendDriver *self);
void         mend_driver_set_image_dir     (MendDriver *self, const char *dir);
const char  *mend_driver_get_image_dir     (MendDriver *self);

/* Increases whenever an answer changes; the scan page rescans when it differs. */
guint        mend_driver_get_generation    (MendDriver *self);

/* A new session from the answers (does not diagnose). */
MendSession *mend_driver_build_session     (MendDriver *self, GError **error);
void         mend_driver_set_session       (MendDriver *self, MendSession *session);
MendSession *mend_driver_get_session       (MendDriver *self);
/* The image being repaired (first image of the session), or NULL. */
MendImage   *mend_driver_get_image         (MendDriver *self);

void         mend_driver_set_selected_fixes (MendDriver *self, GPtrArray *fix_ids);
GPtrArray   *mend_driver_get_selected_fixes (MendDriver *self);   /* char* */
/* The findings (MendFinding*) the selected fixes should make disappear (verification). */
void         mend_driver_set_fixed_findings (MendDriver *self, GPtrArray *finding_ids);
GPtrArray   *mend_driver_get_fixed_findings (MendDriver *self);
void         mend_driver_set_plans         (MendDriver *self, GPtrArray *plans);
GPtrArray   *mend_driver_get_plans         (MendDriver *self);   /* MendPlan* */
void         mend_driver_set_journal_id    (MendDriver *self, const char *id);
const char  *mend_driver_get_journal_id    (MendDriver *self);
/* What happened after the scan (applied fixes, verification), for the report's notes. */
void         mend_driver_add_note          (MendDriver *self, const char *note);
void         mend_driver_clear_notes       (MendDriver *self);
const char * const *mend_driver_get_notes  (MendDriver *self);

gboolean     mend_driver_get_technical     (MendDriver *self);
void         mend_driver_set_technical     (MendDriver *self, gboolean technical);
gboolean     mend_driver_get_redact        (MendDriver *self);
void         mend_driver_set_redact        (MendDriver *self, gboolean redact);

G_END_DECLS
