/* mend-session.c — one diagnosis: targets in, findings out, checks run in a worker thread. */
#include "session/mend-session.h"
#include "base/mend-error.h"
#include "formats/mend-errcodes.h"
#include "probe/mend-probe.h"
#include "formats/mend-rdpfile.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _MendSession
{
  GObject         parent_instance;
  MendRole        role;
  GPtrArray      *images;       /* MendImage* */
  GPtrArray      *probes;       /* char* host[:port] */
  double          probe_timeout;
  char           *rdp_file;
  gboolean        has_error_code, has_extended;
  guint32         error_code, error_extended;
  GPtrArray      *symptoms;
  gint64          now;
  GListStore     *findings;
  MendSystemInfo *system;
  gboolean        target_unusable;
  GMainContext   *context;      /* where signals and model updates happen */
  gboolean        running;
};

enum { SIGNAL_CHECK_STARTED, SIGNAL_CHECK_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MendSession, mend_session, G_TYPE_OBJECT)

static void
mend_session_finalize (GObject *object)
{
  MendSession *self = MEND_SESSION (object);
  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->probes);
  g_ptr_array_unref (self->symptoms);
  g_free (self->rdp_file);
  g_object_unref (self->findings);
  mend_system_info_free (self->system);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (mend_session_parent_class)->finalize (object);
}

static void
mend_session_class_init (MendSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_session_finalize;
  /* (check id, title) */
  signals[SIGNAL_CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* (check id, worst MendSeverity as int) */
  signals[SIGNAL_CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
mend_session_init (MendSession *self)
{
  self->images = g_ptr_array_new_with_free_func (g_object_unref);
  self->probes = g_ptr_array_new_with_free_func (g_free);
  self->symptoms = g_ptr_array_new_with_free_func (g_free);
  self->findings = g_list_store_new (MEND_TYPE_FINDING);
  self->probe_timeout = 5.0;
}

MendSession *
mend_session_new (void)
{
  return g_object_new (MEND_TYPE_SESSION, NULL);
}

void mend_session_set_role (MendSession *self, MendRole role) { self->role = role; }
MendRole mend_session_get_role (MendSession *self) { return self->role; }
GPtrArray *mend_session_get_images (MendSession *self) { return self->images; }
void mend_session_set_probe_timeout (MendSession *self, double s) { self->probe_timeout = s; }
const char *mend_session_get_rdp_file (MendSession *self) { return self->rdp_file; }
void mend_session_set_now (MendSession *self, gint64 now) { self->now = now; }
GListModel *mend_session_get_findings (MendSession *self) { return G_LIST_MODEL (self->findings); }
const MendSystemInfo *mend_session_get_system (MendSession *self) { return self->system; }

void
mend_session_add_image_object (MendSession *self, MendImage *image)
{
  g_ptr_array_add (self->images, g_object_ref (image));
}

gboolean
mend_session_add_image (MendSession *self, const char *dir, GError **error)
{
  if (g_strcmp0 (dir, "auto") == 0)
    {
      g_autoptr (GPtrArray) found = mend_image_discover (NULL, error);
      if (found == NULL)
        return FALSE;
      if (found->len == 0)
        {
          g_set_error_literal (error, MEND_ERROR, MEND_ERROR_NOT_WINDOWS,
                               _("No Windows installation was found on the mounted volumes. "
                                 "Mount the Windows partition (for example with "
                                 "“sudo mount -o ro /dev/sdXN /mnt/windows”) or pass its folder "
                                 "with --image DIR."));
          return FALSE;
        }
      for (guint i = 0; i < found->len; i++)
        {
          g_autoptr (MendImage) image = mend_image_open (found->pdata[i], error);
          if (image == NULL)
            return FALSE;
          mend_session_add_image_object (self, image);
        }
      return TRUE;
    }
  g_autoptr (MendImage) image = mend_image_open (dir, error);
  if (image == NULL)
    return FALSE;
  mend_session_add_image_object (self, image);
  return TRUE;
}

gboolean
mend_session_add_probe (MendSession *self, const char *host_port, GError **error)
{
  g_autofree char *s = g_strstrip (g_strdup (host_port ? host_port : ""));
  /* The probe's own parser decides (ports, [IPv6], names), so errors come before the run. */
  g_autoptr (MendProbe) probe = mend_probe_new (s, error);
  if (probe == NULL)
    return FALSE;
  g_ptr_array_add (self->probes, g_steal_pointer (&s));
  return TRUE;
}

GStrv
mend_session_get_probes (MendSession *self)
{
  GStrvBuilder *b = g_strv_builder_new ();
  for (guint i = 0; i < self->probes->len; i++)
    g_strv_builder_add (b, self->probes->pdata[i]);
  GStrv r = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return r;
}

void
mend_session_set_rdp_file (MendSession *self, const char *path)
{
  g_free (self->rdp_file);
  self->rdp_file = g_strdup (path);
}

gboolean
mend_session_set_error_code (MendSession *self, const char *code, GError **error)
{
  guint32 main_code = 0, ext = 0;
  gboolean has_ext = FALSE;
  if (!mend_errcode_parse (code, &main_code, &ext, &has_ext, error))
    return FALSE;
  self->has_error_code = TRUE;
  self->error_code = main_code;
  self->has_extended = has_ext;
  self->error_extended = ext;
  return TRUE;
}

gboolean
mend_session_get_error_code (MendSession *self, guint32 *code, guint32 *extended,
                             gboolean *has_extended)
{
  if (code)
    *code = self->error_code;
  if (extended)
    *extended = self->error_extended;
  if (has_extended)
    *has_extended = self->has_extended;
  return self->has_error_code;
}

void
mend_session_add_symptom (MendSession *self, const char *symptom)
{
  g_ptr_array_add (self->symptoms, g_strdup (symptom));
}

/* Targets that are not Windows installations run as one step each. */
static const MendCheck probe_step = { "probe", N_("Probe the servers over the network"),
                                      MEND_CHECK_SIDE_SERVER, NULL };
static const MendCheck rdpfile_step = { "rdpfile", N_("Remote Desktop connection file"),
                                        MEND_CHECK_SIDE_CLIENT, NULL };

GPtrArray *
mend_session_list_planned_checks (MendSession *self)
{
  GPtrArray *r = g_ptr_array_new ();
  guint n;
  const MendCheck *checks = mend_checks_get_all (&n);
  if (self->images->len > 0)
    for (guint i = 0; i < n; i++)
      g_ptr_array_add (r, (gpointer) &checks[i]);
  if (self->rdp_file)
    g_ptr_array_add (r, (gpointer) &rdpfile_step);
  if (self->probes->len > 0)
    g_ptr_array_add (r, (gpointer) &probe_step);
  return r;
}

/* --- ranking -------------------------------------------------------------------------- */

/* How much a finding explains what the user reported: the error code's relevant findings
 * (most relevant first) and the symptoms from the wizard's first page. */
static int
relevance (MendSession *self, const char *id)
{
  int rank = 0;
  if (self->has_error_code)
    {
      const char * const *ids = mend_errcode_relevant_findings (self->error_code,
                                                                self->error_extended,
                                                                self->has_extended);
      guint n = g_strv_length ((char **) ids);
      for (guint i = 0; i < n; i++)
        if (g_str_equal (ids[i], id))
          {
            rank += 10 + (int) (n - i);
            break;
          }
    }
  for (guint i = 0; i < self->symptoms->len; i++)
    {
      const char *s = self->symptoms->pdata[i];
      if (g_str_equal (s, "after-update") &&
          (g_str_has_prefix (id, "servicing.") || strstr (id, "certificate") || strstr (id, "credssp")))
        rank += 2;
      else if (g_str_equal (s, "fast-fail") &&
               (strstr (id, "listener") || strstr (id, "tls") || strstr (id, "certificate") ||
                strstr (id, "security-layer")))
        rank += 2;
      else if ((g_str_equal (s, "after-upgrade") || g_str_equal (s, "after-reset")) &&
               (g_str_equal (id, "servicing.recent-upgrade") || strstr (id, "certificate") ||
                strstr (id, "firewall") || strstr (id, "rdp-disabled") ||
                g_str_has_prefix (id, "events.")))
        /* Upgrades and resets renew the self-signed certificate and reset policies,
         * firewall rules and the Remote Desktop switch. */
        rank += 2;
      else if (g_str_equal (s, "client-reinstall") &&
               (g_str_has_prefix (id, "client.files") || g_str_has_prefix (id, "client.mstscax") ||
                g_str_has_prefix (id, "servicing.")))
        rank += 2;
    }
  return rank;
}

/* Ranks FROM[START..] for the reported error, notes the worst severity, and collects the
 * findings into FRESH for the model. CHECK_ID, when set, names the step they belong to. */
static void
rank_into (MendSession *self, GPtrArray *from, guint start, const char *check_id,
           GPtrArray *fresh, int *worst)
{
  for (guint i = start; i < from->len; i++)
    {
      MendFinding *f = from->pdata[i];
      if (check_id)
        mend_finding_set_check (f, check_id);
      mend_finding_set_rank (f, relevance (self, mend_finding_get_id (f)));
      *worst = MAX (*worst, (int) mend_finding_get_severity (f));
      g_ptr_array_add (fresh, g_object_ref (f));
    }
}

/* --- the worker ----------------------------------------------------------------------- */

typedef struct {
  MendSession *session;
  guint        signal;
  char        *check_id;
  char        *title;
  int          severity;
  GPtrArray   *findings;  /* to append to the model */
  gboolean     sort;
} Dispatch;

static int
compare_findings (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return mend_finding_compare (a, b);
}

static gboolean
dispatch_cb (gpointer data)
{
  Dispatch *d = data;
  if (d->findings)
    for (guint i = 0; i < d->findings->len; i++)
      g_list_store_append (d->session->findings, d->findings->pdata[i]);
  if (d->sort)
    g_list_store_sort (d->session->findings, compare_findings, NULL);
  if (d->signal == SIGNAL_CHECK_STARTED)
    g_signal_emit (d->session, signals[SIGNAL_CHECK_STARTED], 0, d->check_id, d->title);
  else if (d->signal == SIGNAL_CHECK_FINISHED)
    g_signal_emit (d->session, signals[SIGNAL_CHECK_FINISHED], 0, d->check_id, d->severity);
  return G_SOURCE_REMOVE;
}

static void
dispatch_free (gpointer data)
{
  Dispatch *d = data;
  g_object_unref (d->session);
  g_free (d->check_id);
  g_free (d->title);
  if (d->findings)
    g_ptr_array_unref (d->findings);
  g_free (d);
}

static void
dispatch (MendSession *self, guint signal, const char *check_id, const char *title, int severity,
          GPtrArray *findings, gboolean sort)
{
  Dispatch *d = g_new0 (Dispatch, 1);
  d->session = g_object_ref (self);
  d->signal = signal;
  d->check_id = g_strdup (check_id);
  d->title = g_strdup (title);
  d->severity = severity;
  d->findings = findings ? g_ptr_array_ref (findings) : NULL;
  d->sort = sort;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, dispatch_cb, d, dispatch_free);
}

static gboolean
diagnose_image (MendSession *self, MendImage *image, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) sys_error = NULL;
  MendHive *system = mend_image_get_hive (image, MEND_HIVE_SYSTEM, &sys_error);
  if (system == NULL)
    self->target_unusable = TRUE;

  MendCheckContext *ctx = mend_check_context_new (MEND_TARGET (image), self->role,
                                                  cancellable);
  mend_check_context_set_now (ctx, self->now);
  if (self->system == NULL)
    self->system = mend_system_info_read (mend_image_get_registry (image));

  guint n;
  const MendCheck *checks = mend_checks_get_all (&n);
  GPtrArray *all = mend_check_context_get_findings (ctx);
  for (guint i = 0; i < n; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          mend_check_context_free (ctx);
          return FALSE;
        }
      /* A SYSTEM hive that cannot be read leaves only the integrity check meaningful. */
      if (system == NULL && i > 0)
        break;
      guint before = all->len;
      dispatch (self, SIGNAL_CHECK_STARTED, checks[i].id, _(checks[i].title), 0, NULL, FALSE);
      mend_check_context_run (ctx, &checks[i]);
      int worst = MEND_SEVERITY_OK;
      g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
      rank_into (self, all, before, NULL, fresh, &worst);
      dispatch (self, SIGNAL_CHECK_FINISHED, checks[i].id, NULL, worst, fresh, FALSE);
    }
  mend_check_context_free (ctx);
  return TRUE;
}

/* --- the connection file (mend-rdpfile.h) ----------------------------------------------- */

static void
diagnose_rdpfile (MendSession *self)
{
  if (self->rdp_file == NULL)
    return;
  dispatch (self, SIGNAL_CHECK_STARTED, rdpfile_step.id, _(rdpfile_step.title), 0, NULL, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = mend_rdpfile_diagnose (self->rdp_file, &error);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  int worst = MEND_SEVERITY_OK;
  if (found == NULL)
    {
      MendFinding *f = mend_finding_new ("rdpfile.invalid", MEND_SEVERITY_PROBLEM,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         _("The connection file cannot be read"));
      mend_finding_set_detail (f, error ? error->message : "");
      g_autofree char *target = g_strconcat ("rdpfile:", self->rdp_file, NULL);
      mend_finding_set_target (f, target);
      found = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (found, f);
    }
  rank_into (self, found, 0, rdpfile_step.id, fresh, &worst);
  dispatch (self, SIGNAL_CHECK_FINISHED, rdpfile_step.id, NULL, worst, fresh, FALSE);
}

/* --- network probes (mend-probe.h): every --probe target at once, 16 at a time -------- */

static gboolean
diagnose_probes (MendSession *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) probes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  int worst = MEND_SEVERITY_OK;

  if (self->probes->len == 0)
    return TRUE;
  for (guint i = 0; i < self->probes->len; i++)
    {
      MendProbe *probe = mend_probe_new (self->probes->pdata[i], error);
      if (probe == NULL)
        return FALSE;
      mend_probe_set_timeout (probe, self->probe_timeout);
      g_ptr_array_add (probes, probe);
    }
  dispatch (self, SIGNAL_CHECK_STARTED, probe_step.id, _(probe_step.title), 0, NULL, FALSE);
  if (!mend_probe_run_many (probes, 16, cancellable, error))
    return FALSE;
  for (guint i = 0; i < probes->len; i++)
    {
      rank_into (self, mend_probe_get_findings (probes->pdata[i]), 0, NULL, fresh, &worst);
    }
  dispatch (self, SIGNAL_CHECK_FINISHED, probe_step.id, NULL, worst, fresh, FALSE);
  return TRUE;
}

static gboolean
diagnose_worker (MendSession *self, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < self->images->len; i++)
    if (!diagnose_image (self, self->images->pdata[i], cancellable, error))
      return FALSE;
  diagnose_rdpfile (self);
  if (!diagnose_probes (self, cancellable, error))
    return FALSE;
  dispatch (self, G_MAXUINT, NULL, NULL, 0, NULL, TRUE);
  return TRUE;
}

static void
diagnose_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MendSession *self = source;
  GError *error = NULL;
  if (diagnose_worker (self, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
prepare_run (MendSession *self)
{
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_list_store_remove_all (self->findings);
  g_clear_pointer (&self->system, mend_system_info_free);
  self->target_unusable = FALSE;
  /* Re-read hives from disk: a fix may have changed them since the last run. */
  for (guint i = 0; i < self->images->len; i++)
    mend_image_reload (self->images->pdata[i]);
}

void
mend_session_diagnose_async (MendSession *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_session_diagnose_async);
  prepare_run (self);
  g_task_run_in_thread (task, diagnose_thread);
}

gboolean
mend_session_diagnose_finish (MendSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mend_session_diagnose (MendSession *self, GCancellable *cancellable, GError **error)
{
  prepare_run (self);
  gboolean ok = diagnose_worker (self, cancellable, error);
  /* Deliver anything queued for this context (we own it here, so this does not block). */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);
  return ok;
}

int
mend_session_get_exit_code (MendSession *self)
{
  if (self->target_unusable)
    return 3;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MendFinding) f = g_list_model_get_item (G_LIST_MODEL (self->findings), i);
      if (mend_finding_get_severity (f) == MEND_SEVERITY_PROBLEM)
        return 1;
    }
  return 0;
}

JsonNode *
mend_session_to_json (MendSession *self)
{
  JsonObject *root = json_object_new ();
  json_object_set_int_member (root, "schema", 1);
  JsonObject *tool = json_object_new ();
  json_object_set_string_member (tool, "name", "rdpmend");
  json_object_set_string_member (tool, "version", MEND_VERSION);
  json_object_set_object_member (root, "tool", tool);

  JsonArray *targets = json_array_new ();
  for (guint i = 0; i < self->images->len; i++)
    {
      JsonObject *t = json_object_new ();
      json_object_set_string_member (t, "kind", "image");
      json_object_set_string_member (t, "path", mend_image_get_root (self->images->pdata[i]));
      json_array_add_object_element (targets, t);
    }
  for (guint i = 0; i < self->probes->len; i++)
    {
      JsonObject *t = json_object_new ();
      json_object_set_string_member (t, "kind", "probe");
      json_object_set_string_member (t, "host", self->probes->pdata[i]);
      json_array_add_object_element (targets, t);
    }
  if (self->rdp_file)
    {
      JsonObject *t = json_object_new ();
      json_object_set_string_member (t, "kind", "rdpfile");
      json_object_set_string_member (t, "path", self->rdp_file);
      json_array_add_object_element (targets, t);
    }
  json_object_set_array_member (root, "targets", targets);
  json_object_set_string_member (root, "role", mend_role_to_string (self->role));
  if (self->has_error_code)
    {
      g_autofree char *code = self->has_extended
                                ? g_strdup_printf ("0x%x/0x%x", self->error_code, self->error_extended)
                                : g_strdup_printf ("0x%x", self->error_code);
      json_object_set_string_member (root, "error", code);
    }
  if (self->system)
    json_object_set_member (root, "system", mend_system_info_to_json (self->system));

  JsonArray *findings = json_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MendFinding) f = g_list_model_get_item (G_LIST_MODEL (self->findings), i);
      json_array_add_element (findings, mend_finding_to_json (f));
    }
  json_object_set_array_member (root, "findings", findings);
  json_object_set_int_member (root, "exit_code", mend_session_get_exit_code (self));
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}
