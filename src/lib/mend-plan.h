/* mend-plan.h — fixes as plans: registry changes + manual steps, shown before applied.
 * One apply/undo engine serves every fix (see mend-journal.h for undo). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "mend-image.h"
#include "mend-regvalue.h"

G_BEGIN_DECLS

typedef enum {
  MEND_CHANGE_CREATE_KEY,
  MEND_CHANGE_SET_VALUE,
  MEND_CHANGE_DELETE_VALUE,
  MEND_CHANGE_DELETE_TREE,
} MendChangeKind;

typedef struct {
  MendChangeKind kind;
  char         *path;           /* seam path, e.g. HKLM\SYSTEM\CurrentControlSet\... */
  char         *resolved_path;  /* as on disk: HKLM\SYSTEM\ControlSet001\... */
  char         *value_name;     /* SET/DELETE_VALUE; NULL otherwise */
  MendRegValue *old_value;      /* what is there now (NULL = absent) */
  MendRegValue *new_value;      /* SET_VALUE only */
  char         *description;    /* plain words, translated */
} MendChange;

const char *mend_change_kind_to_string (MendChangeKind kind);  /* "set-value" */
void        mend_change_free (MendChange *change);

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

/* Computes the plan for FIX_ID against IMAGE. PARAMS maps "thumbprint", "value", ... to
 * strings (may be NULL). MEND_ERROR_UNKNOWN_FIX, MEND_ERROR_INVALID_ARGUMENT,
 * MEND_ERROR_NOT_FOUND (nothing to change: the key is missing) as appropriate. */
MendPlan    *mend_plan_new_for_fix   (MendImage *image, const char *fix_id, GHashTable *params,
                                      GError **error);
const char  *mend_plan_get_fix_id    (MendPlan *self);
const char  *mend_plan_get_title     (MendPlan *self);
/* Element MendChange*. Empty for guidance-only fixes (open-update-catalog). */
GPtrArray   *mend_plan_get_changes   (MendPlan *self);
/* Manual follow-up steps, translated. */
const char * const *mend_plan_get_steps (MendPlan *self);
/* Non-NULL when applying lowers security: a plain warning to show before confirming. */
const char  *mend_plan_get_warning   (MendPlan *self);
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendChange, mend_change_free)

G_END_DECLS
