/* mend-scan-page.c — runs the diagnosis off the main loop (mend_session_diagnose_async)
 * and shows each check with a spinner, then its result; Cancel stops it at any moment. */
#include <glib/gi18n-lib.h>
#include "mend-scan-page.h"
#include "mend-watchdog.h"

struct _MendScanPage
{
  MendPage        parent_instance;

  GtkLabel       *status_label;
  GtkProgressBar *progress;
  GtkListBox     *check_list;
  GtkWidget      *rescan_button;

  MendSession    *session;        /* the scan in progress or done */
  GCancellable   *cancellable;
  GHashTable     *rows;           /* check id → row data (CheckRow*) */
  guint           n_planned;
  guint           n_finished;
  guint           scanned_generation;
  gboolean        done;
};

G_DEFINE_FINAL_TYPE (MendScanPage, mend_scan_page, MEND_TYPE_PAGE)

typedef struct {
  GtkWidget *row;
  GtkWidget *title;
  GtkStack  *state;      /* "waiting", "running", "done" */
  GtkImage  *icon;
  GtkLabel  *result;
} CheckRow;

static CheckRow *
add_row (MendScanPage *self, const char *id, const char *title)
{
  CheckRow *r = g_new0 (CheckRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *waiting = gtk_image_new_from_icon_name ("content-loading-symbolic");
  GtkWidget *spinner = gtk_spinner_new ();

  r->state = GTK_STACK (gtk_stack_new ());
  r->icon = GTK_IMAGE (gtk_image_new ());
  r->title = gtk_label_new (title);
  r->result = GTK_LABEL (gtk_label_new (_("waiting")));
  gtk_widget_set_opacity (waiting, 0.3);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_stack_add_named (r->state, waiting, "waiting");
  gtk_stack_add_named (r->state, spinner, "running");
  gtk_stack_add_named (r->state, GTK_WIDGET (r->icon), "done");
  gtk_label_set_xalign (GTK_LABEL (r->title), 0);
  gtk_label_set_wrap (GTK_LABEL (r->title), TRUE);
  gtk_widget_set_hexpand (r->title, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (r->result), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (r->state));
  gtk_box_append (GTK_BOX (box), r->title);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (r->result));
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  r->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (r->row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (r->row), FALSE);
  gtk_widget_set_focusable (r->row, FALSE);
  {
    g_autofree char *a11y = g_strdup_printf ("%s: %s", title, _("waiting"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (r->row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    a11y, -1);
  }
  gtk_list_box_append (self->check_list, r->row);
  g_hash_table_insert (self->rows, g_strdup (id), r);
  return r;
}

static void
set_row_state (CheckRow *r, const char *state, const char *result, const char *icon,
               const char *css)
{
  const char *title = gtk_label_get_text (GTK_LABEL (r->title));
  g_autofree char *a11y = g_strdup_printf ("%s: %s", title, result);

  gtk_stack_set_visible_child_name (r->state, state);
  gtk_label_set_text (r->result, result);
  if (icon != NULL)
    gtk_image_set_from_icon_name (r->icon, icon);
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (r->result), css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
}

static void
update_progress (MendScanPage *self)
{
  g_autofree char *text = NULL;

  if (self->n_planned > 0)
    gtk_progress_bar_set_fraction (self->progress,
                                   MIN (1.0, (double) self->n_finished / self->n_planned));
  text = g_strdup_printf (_("Checked %u of %u"), self->n_finished, self->n_planned);
  gtk_progress_bar_set_text (self->progress, text);
  gtk_progress_bar_set_show_text (self->progress, TRUE);
}

static void
on_check_started_cb (MendSession *session, const char *id, const char *title,
                     MendScanPage *self)
{
  CheckRow *r = g_hash_table_lookup (self->rows, id);

  if (r == NULL)
    {
      /* A check the plan did not list (a probe or a .rdp file check). */
      r = add_row (self, id, title ? g_dgettext (GETTEXT_PACKAGE, title) : id);
      self->n_planned++;
    }
  set_row_state (r, "running", _("checking…"), NULL, NULL);
  {
    g_autofree char *status = g_strdup_printf (_("Checking: %s"),
                                               gtk_label_get_text (GTK_LABEL (r->title)));
    gtk_label_set_text (self->status_label, status);
  }
}

static void
on_check_finished_cb (MendSession *session, const char *id, int severity, MendScanPage *self)
{
  CheckRow *r = g_hash_table_lookup (self->rows, id);

  if (r == NULL)
    return;
  self->n_finished++;
  switch ((MendSeverity) severity)
    {
    case MEND_SEVERITY_PROBLEM:
      set_row_state (r, "done", _("problem found"), "dialog-error-symbolic",
                     "mend-severity-problem");
      break;
    case MEND_SEVERITY_WARNING:
      set_row_state (r, "done", _("warning"), "dialog-warning-symbolic",
                     "mend-severity-warning");
      break;
    case MEND_SEVERITY_INFO:
      set_row_state (r, "done", _("information"), "dialog-information-symbolic",
                     "mend-severity-info");
      break;
    case MEND_SEVERITY_OK:
    default:
      set_row_state (r, "done", _("passed"), "object-select-symbolic", "mend-severity-ok");
      break;
    }
  update_progress (self);
}

static void
count_findings (GListModel *findings, guint *problems, guint *warnings)
{
  guint n = g_list_model_get_n_items (findings);

  *problems = *warnings = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      if (mend_finding_get_severity (f) == MEND_SEVERITY_PROBLEM)
        (*problems)++;
      else if (mend_finding_get_severity (f) == MEND_SEVERITY_WARNING)
        (*warnings)++;
    }
}

static void
on_diagnose_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendScanPage) self = user_data;
  MendSession *session = MEND_SESSION (source);
  g_autoptr(GError) error = NULL;
  double gap;

  gap = mend_watchdog_end ("scan");
  g_debug ("scan: largest main-loop gap %.1f ms", gap);
  if (session != self->session)
    return;  /* an older scan finishing after a rescan started */
  mend_page_set_busy (MEND_PAGE (self), FALSE);
  if (!mend_session_diagnose_finish (session, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label,
                            _("The scan was cancelled. Nothing was changed. You can scan again "
                              "or go back."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("The scan failed: %s"), error->message);
          gtk_label_set_text (self->status_label, text);
        }
      gtk_widget_set_visible (self->rescan_button, TRUE);
      mend_page_set_complete (MEND_PAGE (self), FALSE);
      return;
    }

  {
    guint problems, warnings;
    g_autofree char *text = NULL;

    count_findings (mend_session_get_findings (session), &problems, &warnings);
    if (problems > 0)
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Done: %u problem found. Press Next to see it.",
                                           "Done: %u problems found. Press Next to see them.",
                                           problems),
                              problems);
    else if (warnings > 0)
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Done: no problem, but %u warning. Press Next.",
                                           "Done: no problem, but %u warnings. Press Next.",
                                           warnings),
                              warnings);
    else
      text = g_strdup (_("Done: no problem found. Press Next to see what was checked."));
    gtk_label_set_text (self->status_label, text);
  }
  gtk_progress_bar_set_fraction (self->progress, 1.0);
  self->done = TRUE;
  gtk_widget_set_visible (self->rescan_button, TRUE);
  mend_driver_set_session (mend_page_get_driver (MEND_PAGE (self)), session);
  mend_page_set_complete (MEND_PAGE (self), TRUE);
}

static void
start_scan (MendScanPage *self)
{
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  g_autoptr(GPtrArray) planned = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->check_list))) != NULL)
    gtk_list_box_remove (self->check_list, child);
  self->n_planned = self->n_finished = 0;
  self->done = FALSE;
  gtk_widget_set_visible (self->rescan_button, FALSE);
  mend_page_set_complete (MEND_PAGE (self), FALSE);
  mend_driver_set_session (driver, NULL);
  mend_driver_clear_notes (driver);
  self->scanned_generation = mend_driver_get_generation (driver);

  self->session = mend_driver_build_session (driver, &error);
  if (self->session == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The scan cannot start: %s"), error->message);
      gtk_label_set_text (self->status_label, text);
      gtk_widget_set_visible (self->rescan_button, TRUE);
      return;
    }

  planned = mend_session_list_planned_checks (self->session);
  for (guint i = 0; planned != NULL && i < planned->len; i++)
    {
      const MendCheck *check = g_ptr_array_index (planned, i);
      add_row (self, check->id, g_dgettext (GETTEXT_PACKAGE, check->title));
    }
  self->n_planned = planned ? planned->len : 0;
  update_progress (self);
  gtk_label_set_text (self->status_label, _("Starting…"));

  g_signal_connect (self->session, "check-started", G_CALLBACK (on_check_started_cb), self);
  g_signal_connect (self->session, "check-finished", G_CALLBACK (on_check_finished_cb), self);
  self->cancellable = g_cancellable_new ();
  mend_page_set_busy (MEND_PAGE (self), TRUE);
  mend_watchdog_begin ();
  mend_session_diagnose_async (self->session, self->cancellable, on_diagnose_done,
                               g_object_ref (self));
}

static void
on_rescan_button_clicked_cb (MendScanPage *self)
{
  start_scan (self);
}

static void
mend_scan_page_shown (MendPage *page)
{
  MendScanPage *self = MEND_SCAN_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);

  /* Coming back without changing an answer keeps the finished scan. */
  if (self->done && self->scanned_generation == mend_driver_get_generation (driver)
      && mend_driver_get_session (driver) == self->session)
    return;
  start_scan (self);
}

static void
mend_scan_page_cancel (MendPage *page)
{
  MendScanPage *self = MEND_SCAN_PAGE (page);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* Do not wait for the worker: a check stuck on a hung disk may take long to notice the
   * cancellation. The page lets go of the scan now; its late result is ignored. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  {
    GHashTableIter iter;
    CheckRow *r;

    g_hash_table_iter_init (&iter, self->rows);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
      if (!g_str_equal (gtk_stack_get_visible_child_name (r->state), "done"))
        set_row_state (r, "waiting", _("not checked"), NULL, NULL);
  }
  mend_page_set_busy (page, FALSE);
  mend_page_set_complete (page, FALSE);
  gtk_label_set_text (self->status_label,
                      _("The scan was cancelled. Nothing was changed. You can scan again "
                        "or go back."));
  gtk_widget_set_visible (self->rescan_button, TRUE);
}

static void
mend_scan_page_dispose (GObject *object)
{
  MendScanPage *self = MEND_SCAN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_SCAN_PAGE);
  G_OBJECT_CLASS (mend_scan_page_parent_class)->dispose (object);
}

static void
mend_scan_page_class_init (MendScanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_scan_page_dispose;
  page_class->shown = mend_scan_page_shown;
  page_class->cancel = mend_scan_page_cancel;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendScanPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MendScanPage, progress);
  gtk_widget_class_bind_template_child (widget_class, MendScanPage, check_list);
  gtk_widget_class_bind_template_child (widget_class, MendScanPage, rescan_button);
  gtk_widget_class_bind_template_callback (widget_class, on_rescan_button_clicked_cb);
}

static void
mend_scan_page_init (MendScanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
