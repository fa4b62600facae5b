/* mend-review-page.c — computes the plan of each chosen fix in a thread and shows every
 * change (key, value, old → new), the manual steps and any security warning. */
#include <glib/gi18n-lib.h>
#include "mend-review-page.h"
#include "fixes/mend-plan.h"

struct _MendReviewPage
{
  MendPage      parent_instance;

  GtkLabel     *intro_label;
  GtkBox       *plans_box;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MendReviewPage, mend_review_page, MEND_TYPE_PAGE)

typedef struct {
  char     *fix_id;
  MendPlan *plan;
  GError   *error;
} PlanResult;

static void
plan_result_free (PlanResult *r)
{
  g_free (r->fix_id);
  g_clear_object (&r->plan);
  g_clear_error (&r->error);
  g_free (r);
}

typedef struct {
  MendImage *image;
  GStrv      fix_ids;
} PlanJob;

static void
plan_job_free (PlanJob *job)
{
  g_clear_object (&job->image);
  g_strfreev (job->fix_ids);
  g_free (job);
}

/* Runs in a thread: a plan reads the current values from the hives. */
static void
plan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PlanJob *job = task_data;
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_result_free);

  for (guint i = 0; job->fix_ids[i] != NULL; i++)
    {
      PlanResult *r = g_new0 (PlanResult, 1);

      r->fix_id = g_strdup (job->fix_ids[i]);
      r->plan = mend_plan_new_for_fix (MEND_TARGET (job->image), r->fix_id, NULL, &r->error);
      g_ptr_array_add (results, r);
    }
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
wrap_label (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

static char *
value_text (const MendRegValue *v)
{
  g_autofree char *display = NULL;

  if (v == NULL)
    return g_strdup (_("(absent)"));
  display = mend_reg_value_to_display (v);
  return g_strdup_printf ("%s %s", mend_reg_type_to_string (v->type), display);
}

static char *
change_text (const MendChange *c)
{
  const char *path = c->resolved_path ? c->resolved_path : c->path;
  g_autofree char *old_text = value_text (c->old_value);
  g_autofree char *new_text = value_text (c->new_value);

  switch (c->kind)
    {
    case MEND_CHANGE_CREATE_KEY:
      return g_strdup_printf (_("Create key %s"), path);
    case MEND_CHANGE_SET_VALUE:
      return g_strdup_printf (_("Set %s\\%s\n    old: %s\n    new: %s"), path,
                              c->value_name ? c->value_name : "", old_text, new_text);
    case MEND_CHANGE_DELETE_VALUE:
      return g_strdup_printf (_("Delete value %s\\%s\n    old: %s"), path,
                              c->value_name ? c->value_name : "", old_text);
    case MEND_CHANGE_DELETE_TREE:
    default:
      return g_strdup_printf (_("Delete key %s and everything below it"), path);
    }
}

static void
show_plan (MendReviewPage *self, PlanResult *r)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  const MendFixInfo *info = mend_fix_lookup (r->fix_id);
  const char *title = r->plan ? mend_plan_get_title (r->plan)
                              : (info ? g_dgettext (GETTEXT_PACKAGE, info->title) : r->fix_id);
  GtkWidget *heading = wrap_label (title, "heading");

  gtk_widget_add_css_class (card, "mend-finding-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_box_append (GTK_BOX (card), heading);

  if (r->plan == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("This fix cannot be prepared: %s"),
                                               r->error ? r->error->message : "");
      gtk_box_append (GTK_BOX (card), wrap_label (text, "mend-severity-warning"));
    }
  else
    {
      GPtrArray *changes = mend_plan_get_changes (r->plan);
      const char * const *steps = mend_plan_get_steps (r->plan);
      const char *warning = mend_plan_get_warning (r->plan);
      const char *link = mend_plan_get_link (r->plan);

      if (warning != NULL)
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          g_autofree char *text = g_strdup_printf (_("Security warning: %s"), warning);
          GtkWidget *label = wrap_label (text, NULL);

          gtk_widget_set_hexpand (label, TRUE);
          gtk_widget_add_css_class (box, "mend-warning-box");
          gtk_box_append (GTK_BOX (box), icon);
          gtk_box_append (GTK_BOX (box), label);
          gtk_box_append (GTK_BOX (card), box);
        }
      if (changes == NULL || changes->len == 0)
        gtk_box_append (GTK_BOX (card),
                        wrap_label (_("Nothing is written for this fix; follow the steps below."),
                                    NULL));
      for (guint i = 0; changes != NULL && i < changes->len; i++)
        {
          const MendChange *c = g_ptr_array_index (changes, i);
          g_autofree char *text = change_text (c);

          if (c->description != NULL)
            gtk_box_append (GTK_BOX (card), wrap_label (c->description, NULL));
          gtk_box_append (GTK_BOX (card), wrap_label (text, "mend-evidence"));
        }
      if (steps != NULL && steps[0] != NULL)
        {
          gtk_box_append (GTK_BOX (card), wrap_label (_("Afterwards, by hand:"), "heading"));
          for (guint i = 0; steps[i] != NULL; i++)
            {
              g_autofree char *text = g_strdup_printf ("• %s", steps[i]);
              gtk_box_append (GTK_BOX (card), wrap_label (text, NULL));
            }
        }
      if (link != NULL)
        {
          GtkWidget *button = gtk_link_button_new_with_label (link, _("Open the download page"));
          gtk_widget_set_halign (button, GTK_ALIGN_START);
          gtk_box_append (GTK_BOX (card), button);
        }
    }
  gtk_box_append (self->plans_box, card);
}

static void
on_plans_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendReviewPage) self = user_data;
  g_autoptr(GPtrArray) results = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func (g_object_unref);
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  gboolean writes = FALSE;

  if (results == NULL)
    return;
  mend_page_set_busy (MEND_PAGE (self), FALSE);
  for (guint i = 0; i < results->len; i++)
    {
      PlanResult *r = g_ptr_array_index (results, i);

      show_plan (self, r);
      if (r->plan != NULL)
        {
          GPtrArray *changes = mend_plan_get_changes (r->plan);
          g_ptr_array_add (plans, g_object_ref (r->plan));
          writes |= changes != NULL && changes->len > 0;
        }
    }
  mend_driver_set_plans (driver, plans);
  if (!writes)
    gtk_label_set_text (self->intro_label,
                        _("None of the chosen fixes needs to change anything on this "
                          "computer. Follow the steps shown."));
  mend_page_set_complete (MEND_PAGE (self), writes);
}

static void
mend_review_page_shown (MendPage *page)
{
  MendReviewPage *self = MEND_REVIEW_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  GPtrArray *fixes = mend_driver_get_selected_fixes (driver);
  MendImage *image = mend_driver_get_image (driver);
  GtkWidget *child;
  PlanJob *job;
  g_autoptr(GTask) task = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plans_box))) != NULL)
    gtk_box_remove (self->plans_box, child);
  mend_driver_set_plans (driver, NULL);
  mend_page_set_complete (page, FALSE);
  gtk_label_set_text (self->intro_label,
                      _("These are the exact changes that will be made. A backup of "
                        "everything they touch is written first, and you can undo them "
                        "afterwards."));

  if (fixes == NULL || fixes->len == 0 || image == NULL)
    {
      gtk_label_set_text (self->intro_label,
                          image == NULL
                            ? _("Fixes can only be applied to a Windows installation. Go back "
                                "and choose one, or close the wizard.")
                            : _("No fix is selected. Go back and tick the fixes you want, or "
                                "close the wizard."));
      return;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job = g_new0 (PlanJob, 1);
  job->image = g_object_ref (image);
  job->fix_ids = g_new0 (char *, fixes->len + 1);
  for (guint i = 0; i < fixes->len; i++)
    job->fix_ids[i] = g_strdup (g_ptr_array_index (fixes, i));
  mend_page_set_busy (page, TRUE);
  task = g_task_new (NULL, self->cancellable, on_plans_ready, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) plan_job_free);
  g_task_run_in_thread (task, plan_thread);
}

static void
mend_review_page_cancel (MendPage *page)
{
  MendReviewPage *self = MEND_REVIEW_PAGE (page);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  mend_page_set_busy (page, FALSE);
  gtk_label_set_text (self->intro_label, _("Preparing the changes was stopped."));
}

static void
mend_review_page_dispose (GObject *object)
{
  MendReviewPage *self = MEND_REVIEW_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_REVIEW_PAGE);
  G_OBJECT_CLASS (mend_review_page_parent_class)->dispose (object);
}

static void
mend_review_page_class_init (MendReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_review_page_dispose;
  page_class->shown = mend_review_page_shown;
  page_class->cancel = mend_review_page_cancel;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendReviewPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MendReviewPage, plans_box);
}

static void
mend_review_page_init (MendReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
