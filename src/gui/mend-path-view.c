/* mend-path-view.c — the connection-path picture; wraps onto several lines when narrow. */
#include <glib/gi18n-lib.h>
#include "mend-path-view.h"

struct _MendPathView
{
  GtkWidget       parent_instance;

  GtkLabel       *caption;
  GtkFlowBox     *flow;
  GtkWidget      *items[MEND_N_STAGES];
  GtkLabel       *state_labels[MEND_N_STAGES];

  GListModel     *findings;
  MendStageState  states[MEND_N_STAGES];
};

G_DEFINE_FINAL_TYPE (MendPathView, mend_path_view, GTK_TYPE_WIDGET)

static void
refresh (MendPathView *self)
{
  int first_failed = -1;

  if (self->findings != NULL)
    first_failed = mend_path_compute (self->findings, self->states);
  else
    for (guint s = 0; s < MEND_N_STAGES; s++)
      self->states[s] = MEND_STAGE_STATE_NOT_CHECKED;

  for (guint s = 0; s < MEND_N_STAGES; s++)
    {
      g_autofree char *klass = g_strdup_printf ("mend-stage-%s",
                                                mend_stage_state_to_string (self->states[s]));
      g_autofree char *a11y = g_strdup_printf ("%s: %s", mend_stage_to_label (s),
                                               mend_stage_state_to_label (self->states[s]));
      const char *classes[] = { "mend-stage", klass, NULL };

      gtk_widget_set_css_classes (self->items[s], classes);
      gtk_label_set_text (self->state_labels[s], mend_stage_state_to_label (self->states[s]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->items[s]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }

  if (first_failed >= 0)
    {
      g_autofree char *text = g_strdup_printf (_("The connection stops at: %s"),
                                               mend_stage_to_label (first_failed));
      gtk_label_set_text (self->caption, text);
    }
  else
    gtk_label_set_text (self->caption, _("No stage of the connection shows a problem"));
}

static void
on_findings_items_changed_cb (MendPathView *self)
{
  refresh (self);
}

static GtkWidget *
make_item (MendPathView *self, MendStage stage)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (mend_stage_to_label (stage));
  GtkWidget *state = gtk_label_new (NULL);

  gtk_widget_add_css_class (dot, "mend-stage-dot");
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (name, "mend-stage-label");
  gtk_widget_add_css_class (state, "caption");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (state), 0);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), state);
  if (stage > 0)
    {
      /* The arrow is decoration: the order is in the accessible names of the items. */
      GtkWidget *arrow = gtk_label_new ("→");
      gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      gtk_box_append (GTK_BOX (box), arrow);
    }
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), texts);
  self->state_labels[stage] = GTK_LABEL (state);
  return box;
}

static void
mend_path_view_dispose (GObject *object)
{
  MendPathView *self = MEND_PATH_VIEW (object);

  mend_path_view_set_findings (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_PATH_VIEW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (mend_path_view_parent_class)->dispose (object);
}

static void
mend_path_view_class_init (MendPathViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_path_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-path-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MendPathView, caption);
  gtk_widget_class_bind_template_child (widget_class, MendPathView, flow);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mend_path_view_init (MendPathView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
    GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
    GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connection path"), -1);
  for (guint s = 0; s < MEND_N_STAGES; s++)
    {
      self->items[s] = make_item (self, s);
      gtk_flow_box_append (self->flow, self->items[s]);
      /* Only the buttons and toggles take focus; the picture is read, not operated. */
      gtk_widget_set_focusable (gtk_widget_get_parent (self->items[s]), FALSE);
    }
  refresh (self);
}

GtkWidget *
mend_path_view_new (void)
{
  return g_object_new (MEND_TYPE_PATH_VIEW, NULL);
}

void
mend_path_view_set_findings (MendPathView *self, GListModel *findings)
{
  if (self->findings == findings)
    return;
  if (self->findings != NULL)
    g_signal_handlers_disconnect_by_func (self->findings, on_findings_items_changed_cb, self);
  g_set_object (&self->findings, findings);
  if (self->findings != NULL)
    g_signal_connect_swapped (self->findings, "items-changed",
                              G_CALLBACK (on_findings_items_changed_cb), self);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    refresh (self);
}

MendStageState
mend_path_view_get_state (MendPathView *self, MendStage stage)
{
  g_return_val_if_fail (stage < MEND_N_STAGES, MEND_STAGE_STATE_NOT_CHECKED);
  return self->states[stage];
}
