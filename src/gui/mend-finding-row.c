/* mend-finding-row.c — a finding with its evidence and its selectable fixes. */
#include <glib/gi18n-lib.h>
#include "mend-finding-row.h"
#include "fixes/mend-plan.h"

struct _MendFindingRow
{
  GtkWidget    parent_instance;

  GtkLabel    *severity_label;
  GtkLabel    *title_label;
  GtkLabel    *confidence_label;
  GtkLabel    *detail_label;
  GtkLabel    *technical_label;
  GtkExpander *evidence_expander;
  GtkBox      *evidence_box;
  GtkBox      *fix_box;

  MendFinding *finding;
  GPtrArray   *fix_checks;      /* GtkCheckButton*, data "fix-id" */
  GPtrArray   *evidence_labels; /* GtkLabel*, data "plain" / "technical" */
};

G_DEFINE_FINAL_TYPE (MendFindingRow, mend_finding_row, GTK_TYPE_WIDGET)

enum {
  SIGNAL_FIXES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
confidence_text (MendConfidence c)
{
  switch (c)
    {
    case MEND_CONFIDENCE_CONFIRMED:
      return _("Confirmed");
    case MEND_CONFIDENCE_LIKELY:
      return _("Likely");
    case MEND_CONFIDENCE_POSSIBLE:
    default:
      return _("Possible");
    }
}

static void
on_fix_toggled_cb (MendFindingRow *self)
{
  g_signal_emit (self, signals[SIGNAL_FIXES_CHANGED], 0);
}

static char *
evidence_text (MendEvidence *ev, gboolean technical)
{
  GString *s = g_string_new (NULL);

  if (technical && ev->path != NULL)
    g_string_append_printf (s, "%s\n", ev->path);
  if (ev->value != NULL)
    g_string_append (s, ev->value);
  if (ev->data != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 && ev->value ? " = " : "", ev->data);
  if (s->len == 0 && ev->path != NULL)
    g_string_append (s, ev->path);
  if (ev->stale)
    g_string_append_printf (s, " (%s)", _("may be out of date"));
  return g_string_free (s, FALSE);
}

static void
build (MendFindingRow *self)
{
  MendFinding *f = self->finding;
  MendSeverity severity = mend_finding_get_severity (f);
  GPtrArray *evidence = mend_finding_get_evidence (f);
  const char * const *fixes = mend_finding_get_fixes (f);
  g_autofree char *sev_class = g_strdup_printf ("mend-severity-%s",
                                                mend_severity_to_string (severity));
  g_autofree char *a11y = NULL;

  gtk_label_set_text (self->severity_label, mend_severity_to_label (severity));
  gtk_widget_add_css_class (GTK_WIDGET (self->severity_label), sev_class);
  gtk_label_set_text (self->title_label, mend_finding_get_title (f));
  gtk_label_set_text (self->confidence_label,
                      confidence_text (mend_finding_get_confidence (f)));
  if (mend_finding_get_confidence (f) == MEND_CONFIDENCE_CONFIRMED)
    gtk_widget_add_css_class (GTK_WIDGET (self->confidence_label), "mend-confirmed");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->confidence_label), "dim-label");

  if (mend_finding_get_detail (f) != NULL && *mend_finding_get_detail (f) != '\0')
    gtk_label_set_text (self->detail_label, mend_finding_get_detail (f));
  else
    gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);

  {
    g_autofree char *tech = g_strdup_printf ("%s · %s · %s", mend_finding_get_id (f),
                                             mend_finding_get_check (f)
                                               ? mend_finding_get_check (f) : "",
                                             mend_finding_get_target (f)
                                               ? mend_finding_get_target (f) : "");
    gtk_label_set_text (self->technical_label, tech);
  }

  for (guint i = 0; evidence != NULL && i < evidence->len; i++)
    {
      MendEvidence *ev = g_ptr_array_index (evidence, i);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "mend-evidence");
      g_object_set_data_full (G_OBJECT (label), "plain", evidence_text (ev, FALSE), g_free);
      g_object_set_data_full (G_OBJECT (label), "technical", evidence_text (ev, TRUE), g_free);
      gtk_label_set_text (GTK_LABEL (label), g_object_get_data (G_OBJECT (label), "plain"));
      gtk_box_append (self->evidence_box, label);
      g_ptr_array_add (self->evidence_labels, label);
    }
  if (evidence == NULL || evidence->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("The check reported this without further detail."));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (self->evidence_box, label);
    }

  for (guint i = 0; fixes != NULL && fixes[i] != NULL; i++)
    {
      const MendFixInfo *info = mend_fix_lookup (fixes[i]);
      g_autofree char *text = NULL;
      GtkWidget *check;
      gboolean preselect;

      text = g_strdup_printf (_("Suggested fix: %s"),
                              info ? g_dgettext (GETTEXT_PACKAGE, info->title) : fixes[i]);
      check = gtk_check_button_new_with_label (text);
      gtk_widget_set_tooltip_text (check, _("Tick to include this fix; you will see every "
                                            "change before anything is written"));
      /* A fix that can lower security is never chosen for the user (ARCHITECTURE.md). */
      preselect = severity >= MEND_SEVERITY_WARNING && info != NULL && !info->lowers_security;
      if (info != NULL && info->lowers_security)
        {
          g_autofree char *warn = g_strdup_printf ("%s (%s)", text,
                                                   _("can lower security: review it carefully"));
          gtk_check_button_set_label (GTK_CHECK_BUTTON (check), warn);
        }
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), preselect);
      g_object_set_data_full (G_OBJECT (check), "fix-id", g_strdup (fixes[i]), g_free);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_fix_toggled_cb), self);
      gtk_box_append (self->fix_box, check);
      g_ptr_array_add (self->fix_checks, check);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fix_box), self->fix_checks->len > 0);

  a11y = g_strdup_printf ("%s: %s", mend_severity_to_label (severity),
                          mend_finding_get_title (f));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a11y, -1);
  {
    g_autofree char *exp = g_strdup_printf (_("Why we think so: %s"),
                                            mend_finding_get_title (f));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->evidence_expander),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, exp, -1);
  }
}

static void
mend_finding_row_dispose (GObject *object)
{
  MendFindingRow *self = MEND_FINDING_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_FINDING_ROW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_pointer (&self->fix_checks, g_ptr_array_unref);
  g_clear_pointer (&self->evidence_labels, g_ptr_array_unref);
  g_clear_object (&self->finding);
  G_OBJECT_CLASS (mend_finding_row_parent_class)->dispose (object);
}

static void
mend_finding_row_class_init (MendFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_finding_row_dispose;

  signals[SIGNAL_FIXES_CHANGED] =
    g_signal_new ("fixes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-finding-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, severity_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, technical_label);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, evidence_expander);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, evidence_box);
  gtk_widget_class_bind_template_child (widget_class, MendFindingRow, fix_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mend_finding_row_init (MendFindingRow *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
  self->fix_checks = g_ptr_array_new ();
  self->evidence_labels = g_ptr_array_new ();
}

GtkWidget *
mend_finding_row_new (MendFinding *finding)
{
  MendFindingRow *self = g_object_new (MEND_TYPE_FINDING_ROW, NULL);

  self->finding = g_object_ref (finding);
  build (self);
  return GTK_WIDGET (self);
}

MendFinding *
mend_finding_row_get_finding (MendFindingRow *self)
{
  return self->finding;
}

void
mend_finding_row_set_technical (MendFindingRow *self, gboolean technical)
{
  gtk_widget_set_visible (GTK_WIDGET (self->technical_label), technical);
  for (guint i = 0; i < self->evidence_labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (self->evidence_labels, i);
      gtk_label_set_text (label, g_object_get_data (G_OBJECT (label),
                                                    technical ? "technical" : "plain"));
    }
}

void
mend_finding_row_set_expanded (MendFindingRow *self, gboolean expanded)
{
  gtk_expander_set_expanded (self->evidence_expander, expanded);
}

void
mend_finding_row_get_selected_fixes (MendFindingRow *self, GPtrArray *out)
{
  for (guint i = 0; i < self->fix_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->fix_checks, i);
      if (gtk_check_button_get_active (check))
        g_ptr_array_add (out, g_object_get_data (G_OBJECT (check), "fix-id"));
    }
}
