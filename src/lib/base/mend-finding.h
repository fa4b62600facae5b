/* mend-finding.h — one result of one check: id, severity, confidence, evidence, fixes. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  MEND_SEVERITY_OK,        /* a check that ran and passed */
  MEND_SEVERITY_INFO,
  MEND_SEVERITY_WARNING,
  MEND_SEVERITY_PROBLEM,
} MendSeverity;

typedef enum {
  MEND_CONFIDENCE_CONFIRMED,
  MEND_CONFIDENCE_LIKELY,
  MEND_CONFIDENCE_POSSIBLE,
} MendConfidence;

const char  *mend_severity_to_string   (MendSeverity s);    /* "problem"; never translated */
const char  *mend_severity_to_label    (MendSeverity s);    /* translated, for people */
const char  *mend_confidence_to_string (MendConfidence c);

typedef struct {
  char    *kind;    /* "registry", "file", "event", "certificate", "network", "note" */
  char    *path;    /* registry key, file path, event channel, host:port */
  char    *value;   /* registry value name, event id, certificate field; may be NULL */
  char    *data;    /* what was found, as text; may be NULL */
  gboolean stale;   /* read from a hive with unreplayed logs */
} MendEvidence;

#define MEND_TYPE_FINDING (mend_finding_get_type ())
G_DECLARE_FINAL_TYPE (MendFinding, mend_finding, MEND, FINDING, GObject)

MendFinding   *mend_finding_new            (const char     *id,
                                            MendSeverity    severity,
                                            MendConfidence  confidence,
                                            const char     *title);
const char    *mend_finding_get_id         (MendFinding *self);
MendSeverity   mend_finding_get_severity   (MendFinding *self);
void           mend_finding_set_severity   (MendFinding *self, MendSeverity severity);
MendConfidence mend_finding_get_confidence (MendFinding *self);
void           mend_finding_set_confidence (MendFinding *self, MendConfidence confidence);
const char    *mend_finding_get_title      (MendFinding *self);
const char    *mend_finding_get_detail     (MendFinding *self);
void           mend_finding_set_detail     (MendFinding *self, const char *detail);
void           mend_finding_take_detail    (MendFinding *self, char *detail);
const char    *mend_finding_get_target     (MendFinding *self);   /* "image:/mnt/win" */
void           mend_finding_set_target     (MendFinding *self, const char *target);
/* Which check produced it (for the scan list); defaults to the id. */
const char    *mend_finding_get_check      (MendFinding *self);
void           mend_finding_set_check      (MendFinding *self, const char *check_id);
/* Relevance to the error code the user reported (higher sorts first among equals). */
int            mend_finding_get_rank       (MendFinding *self);
void           mend_finding_set_rank       (MendFinding *self, int rank);

void           mend_finding_add_evidence   (MendFinding *self, const char *kind, const char *path,
                                            const char *value, const char *data);
void           mend_finding_add_evidence_stale (MendFinding *self, const char *kind,
                                                const char *path, const char *value,
                                                const char *data, gboolean stale);
/* Element type MendEvidence*. */
GPtrArray     *mend_finding_get_evidence   (MendFinding *self);
void           mend_finding_add_fix        (MendFinding *self, const char *fix_id);
const char * const *mend_finding_get_fixes (MendFinding *self);
/* Extra JSON members (probe facts, codes); never NULL. */
JsonObject    *mend_finding_get_extra      (MendFinding *self);

/* Sort: problems first, then warning, info, ok; then rank (desc); then id. */
int            mend_finding_compare        (gconstpointer a, gconstpointer b);

JsonNode      *mend_finding_to_json        (MendFinding *self);

G_END_DECLS
