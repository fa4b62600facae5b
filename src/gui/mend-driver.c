/* mend-driver.c — the wizard's cross-page state (answers, session, fixes, journal). */
#include <glib/gi18n-lib.h>
#include "mend-driver.h"

struct _MendDriver
{
  GObject      parent_instance;

  MendProblem  problem;
  char        *error_code;
  char        *server;
  char        *rdp_file;
  GStrv        symptoms;
  GPtrArray   *candidates;
  char        *image_dir;
  guint        generation;

  MendSession *session;
  GPtrArray   *selected_fixes;
  GPtrArray   *fixed_findings;
  GPtrArray   *plans;
  char        *journal_id;
  GPtrArray   *notes;

  gboolean     technical;
  gboolean     redact;
};

G_DEFINE_FINAL_TYPE (MendDriver, mend_driver, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TECHNICAL,
  PROP_REDACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
changed (MendDriver *self)
{
  self->generation++;
}

static void
set_string (MendDriver *self, char **field, const char *value)
{
  g_autofree char *clean = value ? g_strstrip (g_strdup (value)) : NULL;

  if (clean != NULL && *clean == '\0')
    g_clear_pointer (&clean, g_free);
  if (g_strcmp0 (*field, clean) == 0)
    return;
  g_free (*field);
  *field = g_steal_pointer (&clean);
  changed (self);
}

static void
mend_driver_finalize (GObject *object)
{
  MendDriver *self = MEND_DRIVER (object);

  g_free (self->error_code);
  g_free (self->server);
  g_free (self->rdp_file);
  g_strfreev (self->symptoms);
  g_ptr_array_unref (self->candidates);
  g_free (self->image_dir);
  g_clear_object (&self->session);
  g_clear_pointer (&self->selected_fixes, g_ptr_array_unref);
  g_clear_pointer (&self->fixed_findings, g_ptr_array_unref);
  g_clear_pointer (&self->plans, g_ptr_array_unref);
  g_free (self->journal_id);
  g_ptr_array_unref (self->notes);

  G_OBJECT_CLASS (mend_driver_parent_class)->finalize (object);
}

static void
mend_driver_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MendDriver *self = MEND_DRIVER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TECHNICAL:
      g_value_set_boolean (value, self->technical);
      break;
    case PROP_REDACT:
      g_value_set_boolean (value, self->redact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_driver_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  MendDriver *self = MEND_DRIVER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mend_driver_set_session (self, g_value_get_object (value));
      break;
    case PROP_TECHNICAL:
      mend_driver_set_technical (self, g_value_get_boolean (value));
      break;
    case PROP_REDACT:
      mend_driver_set_redact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_driver_class_init (MendDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_driver_finalize;
  object_class->get_property = mend_driver_get_property;
  object_class->set_property = mend_driver_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MEND_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TECHNICAL] =
    g_param_spec_boolean ("technical", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDACT] =
    g_param_spec_boolean ("redact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mend_driver_init (MendDriver *self)
{
  self->candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->candidates, NULL);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notes, NULL);
}

MendDriver *
mend_driver_new (void)
{
  return g_object_new (MEND_TYPE_DRIVER, NULL);
}

void
mend_driver_set_problem (MendDriver *self, MendProblem problem)
{
  g_return_if_fail (MEND_IS_DRIVER (self));
  if (self->problem == problem)
    return;
  self->problem = problem;
  changed (self);
}

MendProblem
mend_driver_get_problem (MendDriver *self)
{
  return self->problem;
}

MendRole
mend_driver_get_role (MendDriver *self)
{
  switch (self->problem)
    {
    case MEND_PROBLEM_CLIENT:
      return MEND_ROLE_CLIENT;
    case MEND_PROBLEM_SERVER:
      return MEND_ROLE_SERVER;
    case MEND_PROBLEM_DISK:
    case MEND_PROBLEM_NONE:
    default:
      return MEND_ROLE_BOTH;
    }
}

void
mend_driver_set_error_code (MendDriver *self, const char *code)
{
  set_string (self, &self->error_code, code);
}

const char *
mend_driver_get_error_code (MendDriver *self)
{
  return self->error_code;
}

void
mend_driver_set_server (MendDriver *self, const char *host)
{
  set_string (self, &self->server, host);
}

const char *
mend_driver_get_server (MendDriver *self)
{
  return self->server;
}

void
mend_driver_set_rdp_file (MendDriver *self, const char *path)
{
  set_string (self, &self->rdp_file, path);
}

const char *
mend_driver_get_rdp_file (MendDriver *self)
{
  return self->rdp_file;
}

void
mend_driver_set_symptoms (MendDriver *self, const char * const *symptoms)
{
  if (symptoms != NULL && self->symptoms != NULL
      && g_strv_equal (symptoms, (const char * const *) self->symptoms))
    return;
  g_strfreev (self->symptoms);
  self->symptoms = g_strdupv ((char **) symptoms);
  changed (self);
}

const char * const *
mend_driver_get_symptoms (MendDriver *self)
{
  return (const char * const *) self->symptoms;
}

void
mend_driver_add_candidate (MendDriver *self, const char *dir)
{
  g_ptr_array_insert (self->candidates, self->candidates->len - 1, g_strdup (dir));
}

const char * const *
mend_driver_get_candidates (MendDriver *self)
{
  return (const char * const *) self->candidates->pdata;
}

void
mend_driver_set_image_dir (MendDriver *self, const char *dir)
{
  set_string (self, &self->image_dir, dir);
}

const char *
mend_driver_get_image_dir (MendDriver *self)
{
  return self->image_dir;
}

guint
mend_driver_get_generation (MendDriver *self)
{
  return self->generation;
}

MendSession *
mend_driver_build_session (MendDriver *self, GError **error)
{
  g_autoptr(MendSession) session = mend_session_new ();

  mend_session_set_role (session, mend_driver_get_role (self));
  if (self->image_dir != NULL && !mend_session_add_image (session, self->image_dir, error))
    return NULL;
  if (self->error_code != NULL && !mend_session_set_error_code (session, self->error_code, error))
    return NULL;
  if (self->server != NULL && !mend_session_add_probe (session, self->server, error))
    return NULL;
  if (self->rdp_file != NULL)
    mend_session_set_rdp_file (session, self->rdp_file);
  for (guint i = 0; self->symptoms != NULL && self->symptoms[i] != NULL; i++)
    mend_session_add_symptom (session, self->symptoms[i]);
  return g_steal_pointer (&session);
}

void
mend_driver_set_session (MendDriver *self, MendSession *session)
{
  if (!g_set_object (&self->session, session))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

MendSession *
mend_driver_get_session (MendDriver *self)
{
  return self->session;
}

MendImage *
mend_driver_get_image (MendDriver *self)
{
  GPtrArray *images;

  if (self->session == NULL)
    return NULL;
  images = mend_session_get_images (self->session);
  return images != NULL && images->len > 0 ? g_ptr_array_index (images, 0) : NULL;
}

static void
replace_array (GPtrArray **field, GPtrArray *value)
{
  GPtrArray *old = *field;

  *field = value ? g_ptr_array_ref (value) : NULL;
  if (old != NULL)
    g_ptr_array_unref (old);
}

void
mend_driver_set_selected_fixes (MendDriver *self, GPtrArray *fix_ids)
{
  replace_array (&self->selected_fixes, fix_ids);
}

GPtrArray *
mend_driver_get_selected_fixes (MendDriver *self)
{
  return self->selected_fixes;
}

void
mend_driver_set_fixed_findings (MendDriver *self, GPtrArray *finding_ids)
{
  replace_array (&self->fixed_findings, finding_ids);
}

GPtrArray *
mend_driver_get_fixed_findings (MendDriver *self)
{
  return self->fixed_findings;
}

void
mend_driver_set_plans (MendDriver *self, GPtrArray *plans)
{
  replace_array (&self->plans, plans);
}

GPtrArray *
mend_driver_get_plans (MendDriver *self)
{
  return self->plans;
}

void
mend_driver_set_journal_id (MendDriver *self, const char *id)
{
  g_free (self->journal_id);
  self->journal_id = g_strdup (id);
}

const char *
mend_driver_get_journal_id (MendDriver *self)
{
  return self->journal_id;
}

void
mend_driver_add_note (MendDriver *self, const char *note)
{
  g_ptr_array_insert (self->notes, self->notes->len - 1, g_strdup (note));
}

void
mend_driver_clear_notes (MendDriver *self)
{
  g_ptr_array_set_size (self->notes, 0);
  g_ptr_array_add (self->notes, NULL);
}

const char * const *
mend_driver_get_notes (MendDriver *self)
{
  return (const char * const *) self->notes->pdata;
}

gboolean
mend_driver_get_technical (MendDriver *self)
{
  return self->technical;
}

void
mend_driver_set_technical (MendDriver *self, gboolean technical)
{
  if (self->technical == !!technical)
    return;
  self->technical = !!technical;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TECHNICAL]);
}

gboolean
mend_driver_get_redact (MendDriver *self)
{
  return self->redact;
}

void
mend_driver_set_redact (MendDriver *self, gboolean redact)
{
  if (self->redact == !!redact)
    return;
  self->redact = !!redact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDACT]);
}
