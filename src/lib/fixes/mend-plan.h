/* mend-plan.h — fixes as plans: registry changes + manual steps, shown before applied.
 * One apply/undo engine serves every fix (see mend-journal.h for undo). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "target/mend-image.h"
#include "fixes/mend-change.h"

G_BEGIN_DECLS


typedef struct {
  const char *id;              /* CATALOG.md fix id */
  const char *title;           /* N_() */
  const char *side;            /* "client", "server", "both" */
  gboolean    lowers_security; /* may lower security depending on parameters */
} MendFixInfo;

/* Every fix in CATALOG.md, in catalog order. */
const MendFixInfo *mend_fix_list_all (guint *n_fixes);
const MendFixInfo *mend_fix_lookup   (const char *fix_id);
/* Whether FIX_ID takes --param KEY ("thumbprint" for rebind-certificate, "value" for
 * set-credssp-mitigated). */
gboolean           mend_fix_accepts_param (const char *fix_id, const char *key);

#define MEND_TYPE_PLAN (mend_plan_get_type ())
G_DECLARE_FINAL_TYPE (MendPlan, mend_plan, MEND, PLAN, GObject)

/* Computes the plan for FIX_ID against TARGET. PARAMS maps "thumbprint", "value", ... to
 * strings (may be NULL). MEND_ERROR_UNKNOWN_FIX, MEND_ERROR_INVALID_ARGUMENT,
 * MEND_ERROR_NOT_FOUND (nothing to change: the key is missing) as appropriate. */
MendPlan    *mend_plan_new_for_fix   (MendTarget *target, const char *fix_id, GHashTable *params,
                                      GError **error);
const char  *mend_plan_get_fix_id    (MendPlan *self);
const char  *mend_plan_get_title     (MendPlan *self);
/* Element MendChange*. Empty for guidance-only fixes (open-update-catalog). */
GPtrArray   *mend_plan_get_changes   (MendPlan *self);
/* Manual follow-up steps, translated. */
const char * const *mend_plan_get_steps (MendPlan *self);
/* Non-NULL when applying lowers security: a plain warning to show before confirming. */
const char  *mend_plan_get_warning   (MendPlan *self);
/* Notes for people: why nothing needs changing, or why a choice was made. */
const char * const *mend_plan_get_notes (MendPlan *self);
/* A link to open (open-update-catalog), or NULL. */
const char  *mend_plan_get_link      (MendPlan *self);
/* Text for people (CLI, report): changes with old → new values, steps, warning. */
char        *mend_plan_to_text       (MendPlan *self);
JsonNode    *mend_plan_to_json       (MendPlan *self);
/* The --param values the plan was computed with (never NULL). */
GHashTable  *mend_plan_get_params    (MendPlan *self);

/* Applies PLANS (one journal entry for all of them): refuses with nothing changed
 * (MEND_ERROR_HIVE_DIRTY, _READ_ONLY, _PERMISSION, _PRECONDITION: exit 4), or writes the
 * journal + backups (fsynced), then each hive atomically. A failure part-way rolls back
 * and sets *ROLLED_BACK (exit 5). Returns the journal entry id. PROGRESS may be NULL. */
typedef void (*MendApplyProgress) (const char *step, double fraction, gpointer user_data);
char        *mend_plans_apply        (MendImage *image, GPtrArray *plans,
                                      MendApplyProgress progress, gpointer progress_data,
                                      gboolean *rolled_back, GCancellable *cancellable,
                                      GError **error);

G_END_DECLS
