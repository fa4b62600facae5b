/* mend-change.h — one registry change of a plan: what the plan shows, what the journal
 * records and what undo inverts. Below both plans and the journal. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "registry/mend-regvalue.h"

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

const char   *mend_change_kind_to_string   (MendChangeKind kind);  /* "set-value" */
gboolean      mend_change_kind_from_string (const char *s, MendChangeKind *out);
void          mend_change_free             (MendChange *change);
JsonNode     *mend_change_to_json          (const MendChange *change);

/* A value as {name, type, type_name, hex} (JSON null for NULL), and back. */
JsonNode     *mend_reg_value_to_json_hex   (const MendRegValue *v);
MendRegValue *mend_reg_value_from_json_hex (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendChange, mend_change_free)

G_END_DECLS
