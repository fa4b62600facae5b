/* mend-finding.c — findings and their evidence; JSON per CATALOG.md schema 1. */
#include "base/mend-finding.h"

#include <glib/gi18n-lib.h>

struct _MendFinding
{
  GObject        parent_instance;
  char          *id;
  char          *check;
  MendSeverity   severity;
  MendConfidence confidence;
  char          *title;
  char          *detail;
  char          *target;
  int            rank;
  GPtrArray     *evidence;
  GPtrArray     *fixes;  /* NULL-terminated char* array */
  JsonObject    *extra;
};

G_DEFINE_FINAL_TYPE (MendFinding, mend_finding, G_TYPE_OBJECT)

static void
evidence_free (MendEvidence *e)
{
  g_free (e->kind);
  g_free (e->path);
  g_free (e->value);
  g_free (e->data);
  g_free (e);
}

static void
mend_finding_finalize (GObject *object)
{
  MendFinding *self = MEND_FINDING (object);
  g_free (self->id);
  g_free (self->check);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->target);
  g_ptr_array_unref (self->evidence);
  g_ptr_array_unref (self->fixes);
  json_object_unref (self->extra);
  G_OBJECT_CLASS (mend_finding_parent_class)->finalize (object);
}

static void
mend_finding_class_init (MendFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_finding_finalize;
}

static void
mend_finding_init (MendFinding *self)
{
  self->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_free);
  self->fixes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->fixes, NULL);
  self->extra = json_object_new ();
}

const char *
mend_severity_to_string (MendSeverity s)
{
  switch (s)
    {
    case MEND_SEVERITY_OK: return "ok";
    case MEND_SEVERITY_INFO: return "info";
    case MEND_SEVERITY_WARNING: return "warning";
    case MEND_SEVERITY_PROBLEM: return "problem";
    default: return "info";
    }
}

const char *
mend_severity_to_label (MendSeverity s)
{
  switch (s)
    {
    case MEND_SEVERITY_OK: return _("OK");
    case MEND_SEVERITY_INFO: return _("Information");
    case MEND_SEVERITY_WARNING: return _("Warning");
    case MEND_SEVERITY_PROBLEM: return _("Problem");
    default: return "";
    }
}

const char *
mend_confidence_to_string (MendConfidence c)
{
  switch (c)
    {
    case MEND_CONFIDENCE_CONFIRMED: return "confirmed";
    case MEND_CONFIDENCE_LIKELY: return "likely";
    case MEND_CONFIDENCE_POSSIBLE: return "possible";
    default: return "possible";
    }
}

MendFinding *
mend_finding_new (const char *id, MendSeverity severity, MendConfidence confidence,
                  const char *title)
{
  MendFinding *self = g_object_new (MEND_TYPE_FINDING, NULL);
  self->id = g_strdup (id);
  self->severity = severity;
  self->confidence = confidence;
  self->title = g_strdup (title);
  return self;
}

const char *mend_finding_get_id (MendFinding *self) { return self->id; }
MendSeverity mend_finding_get_severity (MendFinding *self) { return self->severity; }
void mend_finding_set_severity (MendFinding *self, MendSeverity s) { self->severity = s; }
MendConfidence mend_finding_get_confidence (MendFinding *self) { return self->confidence; }
void mend_finding_set_confidence (MendFinding *self, MendConfidence c) { self->confidence = c; }
const char *mend_finding_get_title (MendFinding *self) { return self->title; }
const char *mend_finding_get_detail (MendFinding *self) { return self->detail; }
const char *mend_finding_get_target (MendFinding *self) { return self->target; }
int mend_finding_get_rank (MendFinding *self) { return self->rank; }
void mend_finding_set_rank (MendFinding *self, int rank) { self->rank = rank; }

void
mend_finding_set_detail (MendFinding *self, const char *detail)
{
  g_free (self->detail);
  self->detail = g_strdup (detail);
}

void
mend_finding_take_detail (MendFinding *self, char *detail)
{
  g_free (self->detail);
  self->detail = detail;
}

void
mend_finding_set_target (MendFinding *self, const char *target)
{
  g_free (self->target);
  self->target = g_strdup (target);
}

const char *
mend_finding_get_check (MendFinding *self)
{
  return self->check ? self->check : self->id;
}

void
mend_finding_set_check (MendFinding *self, const char *check_id)
{
  g_free (self->check);
  self->check = g_strdup (check_id);
}

void
mend_finding_add_evidence_stale (MendFinding *self, const char *kind, const char *path,
                                 const char *value, const char *data, gboolean stale)
{
  MendEvidence *e = g_new0 (MendEvidence, 1);
  e->kind = g_strdup (kind);
  e->path = g_strdup (path);
  e->value = g_strdup (value);
  e->data = g_strdup (data);
  e->stale = stale;
  g_ptr_array_add (self->evidence, e);
}

void
mend_finding_add_evidence (MendFinding *self, const char *kind, const char *path,
                           const char *value, const char *data)
{
  mend_finding_add_evidence_stale (self, kind, path, value, data, FALSE);
}

GPtrArray *
mend_finding_get_evidence (MendFinding *self)
{
  return self->evidence;
}

void
mend_finding_add_fix (MendFinding *self, const char *fix_id)
{
  for (guint i = 0; i + 1 < self->fixes->len; i++)
    if (g_strcmp0 (self->fixes->pdata[i], fix_id) == 0)
      return;
  g_ptr_array_insert (self->fixes, self->fixes->len - 1, g_strdup (fix_id));
}

const char * const *
mend_finding_get_fixes (MendFinding *self)
{
  return (const char * const *) self->fixes->pdata;
}

JsonObject *
mend_finding_get_extra (MendFinding *self)
{
  return self->extra;
}

int
mend_finding_compare (gconstpointer a, gconstpointer b)
{
  MendFinding *fa = (MendFinding *) a, *fb = (MendFinding *) b;
  if (fa->severity != fb->severity)
    return fa->severity > fb->severity ? -1 : 1;
  if (fa->rank != fb->rank)
    return fa->rank > fb->rank ? -1 : 1;
  return g_strcmp0 (fa->id, fb->id);
}

JsonNode *
mend_finding_to_json (MendFinding *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, mend_severity_to_string (self->severity));
  json_builder_set_member_name (b, "confidence");
  json_builder_add_string_value (b, mend_confidence_to_string (self->confidence));
  if (self->target)
    {
      json_builder_set_member_name (b, "target");
      json_builder_add_string_value (b, self->target);
    }
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, self->title ? self->title : "");
  if (self->detail)
    {
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, self->detail);
    }
  json_builder_set_member_name (b, "evidence");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->evidence->len; i++)
    {
      MendEvidence *e = self->evidence->pdata[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, e->kind);
      if (e->path)
        {
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, e->path);
        }
      if (e->value)
        {
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, e->value);
        }
      if (e->data)
        {
          json_builder_set_member_name (b, "data");
          json_builder_add_string_value (b, e->data);
        }
      if (e->stale)
        {
          json_builder_set_member_name (b, "stale");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "fixes");
  json_builder_begin_array (b);
  for (guint i = 0; i + 1 < self->fixes->len; i++)
    json_builder_add_string_value (b, self->fixes->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  JsonNode *node = json_builder_get_root (b);
  JsonObject *obj = json_node_get_object (node);
  g_autoptr (GList) members = json_object_get_members (self->extra);
  for (GList *l = members; l; l = l->next)
    if (!json_object_has_member (obj, l->data))
      json_object_set_member (obj, l->data, json_object_dup_member (self->extra, l->data));
  return node;
}
