/* mend-assistant.c — the wizard's page driver (after gnome-initial-setup's GisAssistant). */
#include <glib/gi18n-lib.h>
#include "mend-assistant.h"

struct _MendAssistant
{
  GtkWidget   parent_instance;

  GtkLabel   *heading;
  GtkStack   *stack;
  GtkWidget  *back_button;
  GtkWidget  *cancel_button;
  GtkWidget  *next_button;
  GtkSpinner *spinner;

  MendDriver *driver;
  GList      *pages;      /* MendPage*, in order; owned by the stack */
  MendPage   *current;
};

G_DEFINE_FINAL_TYPE (MendAssistant, mend_assistant, GTK_TYPE_WIDGET)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MendPage *
find_visible (MendAssistant *self, MendPage *from, gboolean forward)
{
  GList *link = g_list_find (self->pages, from);

  if (link == NULL)
    return NULL;
  for (link = forward ? link->next : link->prev; link != NULL;
       link = forward ? link->next : link->prev)
    if (gtk_widget_get_visible (link->data))
      return link->data;
  return NULL;
}

static void
update_navigation (MendAssistant *self)
{
  MendPage *page = self->current;
  gboolean working, has_next, has_prev;
  const char *label;

  if (page == NULL)
    return;
  working = mend_page_get_busy (page) || mend_page_get_applying (page);
  has_next = find_visible (self, page, TRUE) != NULL;
  has_prev = find_visible (self, page, FALSE) != NULL;

  label = mend_page_get_next_label (page);
  if (label == NULL)
    label = has_next ? _("_Next") : _("_Close");
  gtk_button_set_label (GTK_BUTTON (self->next_button), label);
  gtk_widget_set_sensitive (self->next_button, mend_page_get_complete (page) && !working);
  if (mend_page_get_next_destructive (page))
    {
      gtk_widget_remove_css_class (self->next_button, "suggested-action");
      gtk_widget_add_css_class (self->next_button, "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->next_button, "destructive-action");
      gtk_widget_add_css_class (self->next_button, "suggested-action");
    }
  gtk_widget_set_sensitive (self->back_button, has_prev && !working);
  gtk_widget_set_visible (self->cancel_button, working);
  gtk_spinner_set_spinning (self->spinner, working);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
  gtk_label_set_text (self->heading, mend_page_get_title (page));
}

static void
focus_page (MendAssistant *self)
{
  GtkWidget *focus = mend_page_get_initial_focus (self->current);

  /* Keyboard users land on the new page, not on the button they pressed. */
  if (focus != NULL && gtk_widget_is_sensitive (focus) && gtk_widget_get_visible (focus))
    gtk_widget_grab_focus (focus);
  else if (!gtk_widget_child_focus (GTK_WIDGET (self->current), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (self->next_button);
}

static void
switch_to (MendAssistant *self, MendPage *page)
{
  if (page == NULL)
    return;
  self->current = page;
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  update_navigation (self);
  mend_page_shown (page);
  update_navigation (self);
  focus_page (self);
}

static void
on_page_notify_cb (MendPage *page, GParamSpec *pspec, MendAssistant *self)
{
  if (page == self->current || g_str_equal (pspec->name, "visible"))
    update_navigation (self);
}

static void
on_apply_done (MendPage *page, gboolean valid, gpointer user_data)
{
  MendAssistant *self = user_data;

  if (valid && page == self->current)
    switch_to (self, find_visible (self, page, TRUE));
  else
    update_navigation (self);
}

static void
on_next_button_clicked_cb (MendAssistant *self)
{
  MendPage *page = self->current;

  if (page == NULL || mend_page_get_applying (page) || !mend_page_get_complete (page))
    return;
  if (mend_page_apply_begin (page, G_CALLBACK (on_apply_done), self))
    {
      update_navigation (self);
      return;
    }
  if (find_visible (self, page, TRUE) == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
      return;
    }
  switch_to (self, find_visible (self, page, TRUE));
}

static void
on_back_button_clicked_cb (MendAssistant *self)
{
  mend_assistant_previous_page (self);
}

static void
on_cancel_button_clicked_cb (MendAssistant *self)
{
  if (self->current != NULL)
    mend_page_cancel (self->current);
}

static void
mend_assistant_dispose (GObject *object)
{
  MendAssistant *self = MEND_ASSISTANT (object);

  g_clear_pointer (&self->pages, g_list_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_ASSISTANT);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->driver);
  G_OBJECT_CLASS (mend_assistant_parent_class)->dispose (object);
}

static void
mend_assistant_class_init (MendAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_assistant_dispose;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, heading);
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, MendAssistant, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_next_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
mend_assistant_init (MendAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
    GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
    GTK_ORIENTATION_VERTICAL);
}

void
mend_assistant_set_driver (MendAssistant *self, MendDriver *driver)
{
  g_set_object (&self->driver, driver);
  for (GList *l = self->pages; l != NULL; l = l->next)
    mend_page_set_driver (l->data, driver);
}

void
mend_assistant_add_page (MendAssistant *self, MendPage *page)
{
  static const char *watched[] = { "notify::complete", "notify::busy", "notify::applying",
                                   "notify::next-label", "notify::next-destructive",
                                   "notify::title", "notify::visible" };

  self->pages = g_list_append (self->pages, page);
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  /* The stack is as wide as its widest page, shown or not: wrap every page's answers. */
  mend_wrap_check_buttons (GTK_WIDGET (page));
  if (self->driver != NULL)
    mend_page_set_driver (page, self->driver);
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (page, watched[i], G_CALLBACK (on_page_notify_cb), self, 0);
}

MendPage *
mend_assistant_get_current_page (MendAssistant *self)
{
  return self->current;
}

void
mend_assistant_next_page (MendAssistant *self)
{
  on_next_button_clicked_cb (self);
}

void
mend_assistant_previous_page (MendAssistant *self)
{
  MendPage *prev;

  if (self->current == NULL || mend_page_get_busy (self->current)
      || mend_page_get_applying (self->current))
    return;
  prev = find_visible (self, self->current, FALSE);
  if (prev != NULL)
    switch_to (self, prev);
}

GtkWidget *
mend_assistant_get_next_button (MendAssistant *self)
{
  return self->next_button;
}

void
mend_assistant_start (MendAssistant *self)
{
  for (GList *l = self->pages; l != NULL; l = l->next)
    if (gtk_widget_get_visible (l->data))
      {
        switch_to (self, l->data);
        return;
      }
}
