/* mend-apply-page.c — applies the reviewed plans in a thread (journal and backup first),
 * shows each step, verifies by diagnosing again, lists next steps and offers Undo. */
#include <glib/gi18n-lib.h>
#include "mend-apply-page.h"
#include "fixes/mend-journal.h"
#include "fixes/mend-plan.h"

struct _MendApplyPage
{
  MendPage        parent_instance;

  GtkLabel       *status_label;
  GtkProgressBar *progress;
  GtkBox         *steps_box;
  GtkBox         *result_box;
  GtkBox         *next_box;
  GtkLabel       *next_label;
  GtkWidget      *undo_button;

  GCancellable   *cancellable;
  GPtrArray      *applied_plans;  /* the plans array last applied (identity check) */
  MendSession    *verify_session;
  gboolean        undone;
};

G_DEFINE_FINAL_TYPE (MendApplyPage, mend_apply_page, MEND_TYPE_PAGE)

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
wrap_label (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* ---- progress from the worker thread ------------------------------------------------ */

typedef struct {
  MendApplyPage *self;   /* strong ref */
  char          *step;
  double         fraction;
} Progress;

static gboolean
progress_on_main (gpointer data)
{
  Progress *p = data;

  if (p->step != NULL)
    {
      g_autofree char *text = g_strdup_printf ("✓ %s", p->step);
      gtk_box_append (p->self->steps_box, wrap_label (text, NULL));
    }
  gtk_progress_bar_set_fraction (p->self->progress, CLAMP (p->fraction, 0.0, 1.0));
  g_object_unref (p->self);
  g_free (p->step);
  g_free (p);
  return G_SOURCE_REMOVE;
}

static void
on_apply_progress (const char *step, double fraction, gpointer user_data)
{
  Progress *p = g_new0 (Progress, 1);

  p->self = g_object_ref (user_data);
  p->step = g_strdup (step);
  p->fraction = fraction;
  g_main_context_invoke (NULL, progress_on_main, p);
}

/* ---- apply -------------------------------------------------------------------------- */

typedef struct {
  MendImage *image;
  GPtrArray *plans;
  gboolean   rolled_back;
  char      *journal_id;
  char      *undone_id;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->image);
  g_clear_pointer (&job->plans, g_ptr_array_unref);
  g_free (job->journal_id);
  g_free (job->undone_id);
  g_free (job);
}

static void
apply_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  char *journal_id;

  journal_id = mend_plans_apply (job->image, job->plans, on_apply_progress, source,
                                 &job->rolled_back, cancellable, &error);
  if (journal_id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, journal_id, g_free);
}

static void
undo_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (!mend_journal_undo (job->image, job->journal_id, FALSE, &job->undone_id, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- verification ------------------------------------------------------------------- */

static gboolean
session_has (MendSession *session, const char *finding_id)
{
  GListModel *findings = mend_session_get_findings (session);
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      if (g_str_equal (mend_finding_get_id (f), finding_id)
          && mend_finding_get_severity (f) >= MEND_SEVERITY_WARNING)
        return TRUE;
    }
  return FALSE;
}

static void
on_verify_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendApplyPage) self = user_data;
  MendSession *session = MEND_SESSION (source);
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  GPtrArray *fixed = mend_driver_get_fixed_findings (driver);
  g_autoptr(GError) error = NULL;
  guint still = 0;

  mend_page_set_busy (MEND_PAGE (self), FALSE);
  mend_page_set_complete (MEND_PAGE (self), TRUE);
  gtk_widget_set_visible (self->undo_button, !self->undone);
  gtk_progress_bar_set_fraction (self->progress, 1.0);
  if (!mend_session_diagnose_finish (session, result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The check after the repair failed: %s"),
                                               error->message);
      gtk_box_append (self->result_box, wrap_label (text, "mend-severity-warning"));
      return;
    }
  mend_driver_set_session (driver, session);

  gtk_box_append (self->result_box,
                  wrap_label (self->undone ? _("Checked again after undoing:")
                                           : _("Checked again after the repair:"),
                              "heading"));
  for (guint i = 0; fixed != NULL && i < fixed->len; i++)
    {
      MendFinding *before = g_ptr_array_index (fixed, i);
      const char *title = mend_finding_get_title (before);
      gboolean present = session_has (session, mend_finding_get_id (before));
      g_autofree char *text = NULL;

      still += present;
      if (self->undone)
        text = g_strdup_printf (present ? _("%s: back as before") : _("%s: not present"), title);
      else
        text = g_strdup_printf (present ? _("✗ Still present: %s") : _("✓ Fixed: %s"), title);
      gtk_box_append (self->result_box,
                      wrap_label (text, present != self->undone ? "mend-severity-problem"
                                                                : "mend-severity-ok"));
      mend_driver_add_note (driver, text);
    }

  if (self->undone)
    gtk_label_set_text (self->status_label,
                        _("The changes were undone. Everything is as it was before the repair."));
  else if (still == 0)
    gtk_label_set_text (self->status_label, _("Repaired. The problems you chose are gone."));
  else
    gtk_label_set_text (self->status_label,
                        _("Repaired, but some problems are still there. Copy the report and "
                          "send it to your support contact."));
  if (!self->undone)
    gtk_widget_grab_focus (self->undo_button);
}

static void
verify (MendApplyPage *self)
{
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->verify_session);
  self->verify_session = mend_driver_build_session (driver, &error);
  if (self->verify_session == NULL)
    {
      mend_page_set_busy (MEND_PAGE (self), FALSE);
      mend_page_set_complete (MEND_PAGE (self), TRUE);
      gtk_box_append (self->result_box, wrap_label (error->message, "mend-severity-warning"));
      return;
    }
  gtk_label_set_text (self->status_label, _("Checking the result…"));
  mend_session_diagnose_async (self->verify_session, self->cancellable, on_verify_done,
                               g_object_ref (self));
}

static void
show_next_steps (MendApplyPage *self, GPtrArray *plans)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; plans != NULL && i < plans->len; i++)
    {
      const char * const *steps = mend_plan_get_steps (g_ptr_array_index (plans, i));

      for (guint s = 0; steps != NULL && steps[s] != NULL; s++)
        if (g_hash_table_add (seen, (gpointer) steps[s]))
          g_string_append_printf (text, "%s• %s", text->len ? "\n" : "", steps[s]);
    }
  if (text->len == 0)
    g_string_append (text, _("• Try to connect again."));
  else
    g_string_append_printf (text, "\n• %s", _("Then try to connect again."));
  gtk_label_set_text (self->next_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->next_box), TRUE);
}

static void
on_apply_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendApplyPage) self = user_data;
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_id = g_task_propagate_pointer (G_TASK (result), &error);

  if (journal_id == NULL)
    {
      g_autofree char *text = NULL;

      if (job->rolled_back)
        text = g_strdup_printf (_("The repair failed part-way and everything was put back as "
                                  "it was: %s"), error->message);
      else
        text = g_strdup_printf (_("Nothing was changed: %s"), error->message);
      gtk_label_set_text (self->status_label, text);
      mend_driver_add_note (driver, text);
      mend_page_set_busy (MEND_PAGE (self), FALSE);
      mend_page_set_complete (MEND_PAGE (self), TRUE);
      return;
    }
  mend_driver_set_journal_id (driver, journal_id);
  {
    g_autofree char *note = g_strdup_printf (_("Applied fixes (journal entry %s)"), journal_id);
    mend_driver_add_note (driver, note);
  }
  show_next_steps (self, job->plans);
  verify (self);
}

static void
on_undo_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendApplyPage) self = user_data;
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Undo failed: %s"), error->message);
      gtk_label_set_text (self->status_label, text);
      mend_driver_add_note (driver, text);
      mend_page_set_busy (MEND_PAGE (self), FALSE);
      gtk_widget_set_sensitive (self->undo_button, TRUE);
      return;
    }
  self->undone = TRUE;
  mend_driver_add_note (driver, _("The changes were undone."));
  gtk_widget_set_visible (self->undo_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->next_box), FALSE);
  clear_box (self->result_box);
  verify (self);
}

static void
on_undo_button_clicked_cb (MendApplyPage *self)
{
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  MendImage *image = mend_driver_get_image (driver);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (image == NULL || mend_driver_get_journal_id (driver) == NULL)
    return;
  gtk_widget_set_sensitive (self->undo_button, FALSE);
  gtk_label_set_text (self->status_label, _("Undoing the changes…"));
  mend_page_set_busy (MEND_PAGE (self), TRUE);
  job = g_new0 (Job, 1);
  job->image = g_object_ref (image);
  job->journal_id = g_strdup (mend_driver_get_journal_id (driver));
  task = g_task_new (self, self->cancellable, on_undo_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, undo_thread);
}

static void
mend_apply_page_shown (MendPage *page)
{
  MendApplyPage *self = MEND_APPLY_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  GPtrArray *all = mend_driver_get_plans (driver);
  g_autoptr(GTask) task = NULL;
  Job *job;

  /* Coming back to this page must not apply the same plans twice. */
  if (all != NULL && all == self->applied_plans)
    return;
  self->applied_plans = all;
  self->undone = FALSE;
  clear_box (self->steps_box);
  clear_box (self->result_box);
  gtk_widget_set_visible (GTK_WIDGET (self->next_box), FALSE);
  gtk_widget_set_visible (self->undo_button, FALSE);
  gtk_widget_set_sensitive (self->undo_button, TRUE);
  gtk_progress_bar_set_fraction (self->progress, 0);
  mend_page_set_complete (page, FALSE);
  mend_driver_set_journal_id (driver, NULL);

  if (all == NULL || mend_driver_get_image (driver) == NULL)
    {
      gtk_label_set_text (self->status_label, _("There is nothing to apply."));
      mend_page_set_complete (page, TRUE);
      return;
    }

  job = g_new0 (Job, 1);
  job->image = g_object_ref (mend_driver_get_image (driver));
  job->plans = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      MendPlan *plan = g_ptr_array_index (all, i);
      GPtrArray *changes = mend_plan_get_changes (plan);

      /* Guidance-only plans have nothing to write; their steps still appear below. */
      if (changes != NULL && changes->len > 0)
        g_ptr_array_add (job->plans, g_object_ref (plan));
    }

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status_label, _("Writing a backup, then the changes…"));
  mend_page_set_busy (page, TRUE);
  task = g_task_new (self, self->cancellable, on_apply_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, apply_thread);
}

static void
mend_apply_page_cancel (MendPage *page)
{
  MendApplyPage *self = MEND_APPLY_PAGE (page);

  /* The engine stops between steps and rolls back what it already wrote. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
mend_apply_page_dispose (GObject *object)
{
  MendApplyPage *self = MEND_APPLY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->verify_session);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_APPLY_PAGE);
  G_OBJECT_CLASS (mend_apply_page_parent_class)->dispose (object);
}

static void
mend_apply_page_class_init (MendApplyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_apply_page_dispose;
  page_class->shown = mend_apply_page_shown;
  page_class->cancel = mend_apply_page_cancel;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-apply-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, progress);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, steps_box);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, next_box);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, next_label);
  gtk_widget_class_bind_template_child (widget_class, MendApplyPage, undo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_undo_button_clicked_cb);
}

static void
mend_apply_page_init (MendApplyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
