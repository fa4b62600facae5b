/* mend-findings-page.c — problems first (each with "Why we think so" and its fix),
 * the connection path, confirmations of the user's answers, and the passed checks. */
#include <glib/gi18n-lib.h>
#include "mend-findings-page.h"
#include "mend-finding-row.h"
#include "mend-path-view.h"

struct _MendFindingsPage
{
  MendPage       parent_instance;

  MendPathView  *path_view;
  GtkLabel      *summary_label;
  GtkBox        *problems_box;
  GtkBox        *nothing_box;
  GtkLabel      *next_steps_label;
  GtkBox        *told_box;
  GtkExpander   *info_expander;
  GtkBox        *info_box;
  GtkExpander   *passed_expander;
  GtkBox        *passed_box;

  GPtrArray     *rows;          /* MendFindingRow* */
  GPtrArray     *told_labels;   /* GtkWidget* added to told_box */
  MendSession   *shown_session;
  gboolean       watching_driver;
};

G_DEFINE_FINAL_TYPE (MendFindingsPage, mend_findings_page, MEND_TYPE_PAGE)

/* Which findings confirm what the user said on the first page. */
static const struct {
  const char *symptom;
  const char *label;
  const char *confirmed_by[4];
} symptom_rules[] = {
  { "fast-fail", N_("It fails within a couple of seconds"),
    { "events.client-disconnect", "probe.negotiation-failure", "probe.not-rdp", NULL } },
  { "after-update", N_("It started after an update"),
    { "servicing.recent-upgrade", "servicing.reboot-pending", NULL } },
  { "after-upgrade", N_("It started after an upgrade to Windows 11"),
    { "servicing.recent-upgrade", NULL } },
  { "after-reset", N_("It started after the computer was reset"),
    { "servicing.recent-upgrade", NULL } },
  { "client-reinstall", N_("The client keeps reinstalling or its options are greyed out"),
    { "client.mslicensing-damaged", "client.registry-unwritable",
      "client.mstscax-unregistered", NULL } },
};

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
wrap_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

static MendFinding *
find_any (GListModel *findings, const char * const *ids)
{
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      /* An "ok" finding says the check looked and saw nothing: that confirms nothing. */
      if (mend_finding_get_severity (f) != MEND_SEVERITY_OK
          && g_strv_contains (ids, mend_finding_get_id (f)))
        return f;
    }
  return NULL;
}

static void
on_driver_technical_notify_cb (MendFindingsPage *self)
{
  gboolean technical = mend_driver_get_technical (mend_page_get_driver (MEND_PAGE (self)));

  for (guint i = 0; i < self->rows->len; i++)
    mend_finding_row_set_technical (g_ptr_array_index (self->rows, i), technical);
}

static void
fill_told (MendFindingsPage *self, MendDriver *driver, GListModel *findings)
{
  const char * const *symptoms = mend_driver_get_symptoms (driver);
  const char *code = mend_driver_get_error_code (driver);
  gboolean any = FALSE;

  for (guint i = 0; i < self->told_labels->len; i++)
    gtk_box_remove (self->told_box, g_ptr_array_index (self->told_labels, i));
  g_ptr_array_set_size (self->told_labels, 0);

  if (code != NULL)
    {
      g_autofree char *text = NULL;
      const char *ids[] = { "events.client-disconnect", NULL };
      MendFinding *seen = find_any (findings, ids);

      text = seen != NULL
        ? g_strdup_printf (_("Error %s — confirmed: %s"), code, mend_finding_get_title (seen))
        : g_strdup_printf (_("Error %s — used to rank the findings"), code);
      g_ptr_array_add (self->told_labels, wrap_label (text));
      if (seen != NULL)
        gtk_widget_add_css_class (g_ptr_array_index (self->told_labels,
                                                     self->told_labels->len - 1),
                                  "mend-confirmed");
      any = TRUE;
    }
  for (guint i = 0; symptoms != NULL && symptoms[i] != NULL; i++)
    for (guint r = 0; r < G_N_ELEMENTS (symptom_rules); r++)
      {
        MendFinding *seen;
        g_autofree char *text = NULL;
        GtkWidget *label;

        if (!g_str_equal (symptoms[i], symptom_rules[r].symptom))
          continue;
        seen = find_any (findings, symptom_rules[r].confirmed_by);
        /* What the tool saw itself is shown as confirmed; the rest stays a hint. */
        text = seen != NULL
          ? g_strdup_printf (_("%s — confirmed: %s"), _(symptom_rules[r].label),
                             mend_finding_get_title (seen))
          : g_strdup_printf (_("%s — not seen by the scan; used as a hint"),
                             _(symptom_rules[r].label));
        label = wrap_label (text);
        if (seen != NULL)
          gtk_widget_add_css_class (label, "mend-confirmed");
        g_ptr_array_add (self->told_labels, label);
        any = TRUE;
      }
  for (guint i = 0; i < self->told_labels->len; i++)
    gtk_box_append (self->told_box, g_ptr_array_index (self->told_labels, i));
  gtk_widget_set_visible (GTK_WIDGET (self->told_box), any);
}

static void
rebuild (MendFindingsPage *self)
{
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  MendSession *session = mend_driver_get_session (driver);
  GListModel *findings;
  guint n, problems = 0, warnings = 0, infos = 0, passed = 0;
  gboolean technical = mend_driver_get_technical (driver);

  g_ptr_array_set_size (self->rows, 0);
  clear_box (self->problems_box);
  clear_box (self->info_box);
  clear_box (self->passed_box);
  self->shown_session = session;
  if (session == NULL)
    {
      mend_path_view_set_findings (self->path_view, NULL);
      return;
    }
  findings = mend_session_get_findings (session);
  mend_path_view_set_findings (self->path_view, findings);

  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      MendSeverity severity = mend_finding_get_severity (f);
      GtkWidget *row;

      if (severity == MEND_SEVERITY_OK)
        {
          g_autofree char *text = g_strdup_printf ("✓ %s", mend_finding_get_title (f));
          gtk_box_append (self->passed_box, wrap_label (text));
          passed++;
          continue;
        }
      row = mend_finding_row_new (f);
      mend_finding_row_set_technical (MEND_FINDING_ROW (row), technical);
      g_ptr_array_add (self->rows, row);
      if (severity == MEND_SEVERITY_INFO)
        {
          gtk_box_append (self->info_box, row);
          infos++;
          continue;
        }
      gtk_box_append (self->problems_box, row);
      if (severity == MEND_SEVERITY_PROBLEM)
        problems++;
      else
        warnings++;
    }

  if (problems + warnings == 0)
    {
      gtk_label_set_text (self->summary_label,
                          _("No problem was found. The checks below passed."));
      /* "Nothing found" must look different from "nothing checked": show what passed. */
      gtk_expander_set_expanded (self->passed_expander, TRUE);
      gtk_label_set_text (self->next_steps_label,
                          _("• Check the server name and that the server is switched on.\n"
                            "• Run the wizard on the other computer too (the server, or the "
                            "computer you connect from).\n"
                            "• Restart both computers once; updates often finish then.\n"
                            "• Try connecting from another computer to see which side is at "
                            "fault.\n"
                            "• Copy the report and send it to your support contact."));
    }
  else
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u thing needs attention. Tick the fixes you want; "
                                      "you will see every change before it is made.",
                                      "%u things need attention. Tick the fixes you want; "
                                      "you will see every change before it is made.",
                                      problems + warnings),
                         problems + warnings);
      gtk_label_set_text (self->summary_label, text);
      gtk_expander_set_expanded (self->passed_expander, FALSE);
      /* The first problem opens by itself: it is the most likely cause. */
      if (self->rows->len > 0 && gtk_widget_get_parent (g_ptr_array_index (self->rows, 0))
                                   == GTK_WIDGET (self->problems_box))
        mend_finding_row_set_expanded (g_ptr_array_index (self->rows, 0), TRUE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->nothing_box), problems + warnings == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_box), problems + warnings > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->info_expander), infos > 0);
  if (passed == 0)
    gtk_box_append (self->passed_box, wrap_label (_("No check has passed.")));
  fill_told (self, driver, findings);
  mend_wrap_check_buttons (GTK_WIDGET (self));
  mend_page_set_complete (MEND_PAGE (self), TRUE);
}

static void
mend_findings_page_shown (MendPage *page)
{
  MendFindingsPage *self = MEND_FINDINGS_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  if (!self->watching_driver)
    {
      g_signal_connect_object (driver, "notify::technical",
                               G_CALLBACK (on_driver_technical_notify_cb), self,
                               G_CONNECT_SWAPPED);
      self->watching_driver = TRUE;
    }
  if (self->shown_session != mend_driver_get_session (driver) || self->rows->len == 0)
    rebuild (self);
}

static gboolean
mend_findings_page_apply (MendPage *page, GCancellable *cancellable)
{
  MendFindingsPage *self = MEND_FINDINGS_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  g_autoptr(GPtrArray) fixes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) fixed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->rows->len; i++)
    {
      MendFindingRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GPtrArray) chosen = g_ptr_array_new ();

      mend_finding_row_get_selected_fixes (row, chosen);
      for (guint j = 0; j < chosen->len; j++)
        if (!g_ptr_array_find_with_equal_func (fixes, chosen->pdata[j], g_str_equal, NULL))
          g_ptr_array_add (fixes, g_strdup (chosen->pdata[j]));
      if (chosen->len > 0)
        g_ptr_array_add (fixed, g_object_ref (mend_finding_row_get_finding (row)));
    }
  mend_driver_set_selected_fixes (driver, fixes);
  mend_driver_set_fixed_findings (driver, fixed);
  return FALSE;
}

static void
mend_findings_page_dispose (GObject *object)
{
  MendFindingsPage *self = MEND_FINDINGS_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->told_labels, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_FINDINGS_PAGE);
  G_OBJECT_CLASS (mend_findings_page_parent_class)->dispose (object);
}

static void
mend_findings_page_class_init (MendFindingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_findings_page_dispose;
  page_class->shown = mend_findings_page_shown;
  page_class->apply = mend_findings_page_apply;

  g_type_ensure (MEND_TYPE_PATH_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-findings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, path_view);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, problems_box);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, nothing_box);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, next_steps_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, told_box);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, info_expander);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, info_box);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, passed_expander);
  gtk_widget_class_bind_template_child (widget_class, MendFindingsPage, passed_box);
}

static void
mend_findings_page_init (MendFindingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->told_labels = g_ptr_array_new ();
  mend_page_set_next_label (MEND_PAGE (self), _("_Review Fixes"));
}
