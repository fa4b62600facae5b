/* mend-page.c — base class of the wizard's pages: complete/busy/applying state, the
 * asynchronous apply protocol, and accessibility (a page is a group named by its title). */
#include <glib/gi18n-lib.h>
#include "mend-page.h"

typedef void (*MendPageApplyDone) (MendPage *page, gboolean valid, gpointer user_data);

typedef struct
{
  MendDriver        *driver;
  char              *title;
  char              *next_label;
  gboolean           complete;
  gboolean           busy;
  gboolean           applying;
  gboolean           next_destructive;
  GtkWidget         *initial_focus;
  GCancellable      *apply_cancellable;
  MendPageApplyDone  apply_done;
  gpointer           apply_data;
} MendPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (MendPage, mend_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DRIVER,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_BUSY,
  PROP_APPLYING,
  PROP_NEXT_LABEL,
  PROP_NEXT_DESTRUCTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
mend_page_real_apply (MendPage *page, GCancellable *cancellable)
{
  return FALSE;
}

static void
mend_page_real_cancel (MendPage *page)
{
}

static void
mend_page_dispose (GObject *object)
{
  MendPage *self = MEND_PAGE (object);
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  GtkWidget *child;

  if (priv->apply_cancellable != NULL)
    g_cancellable_cancel (priv->apply_cancellable);
  g_clear_object (&priv->apply_cancellable);
  g_clear_object (&priv->driver);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mend_page_parent_class)->dispose (object);
}

static void
mend_page_finalize (GObject *object)
{
  MendPagePrivate *priv = mend_page_get_instance_private (MEND_PAGE (object));

  g_free (priv->title);
  g_free (priv->next_label);
  G_OBJECT_CLASS (mend_page_parent_class)->finalize (object);
}

static void
mend_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MendPage *self = MEND_PAGE (object);
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_DRIVER:
      g_value_set_object (value, priv->driver);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_APPLYING:
      g_value_set_boolean (value, priv->applying);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, priv->next_label);
      break;
    case PROP_NEXT_DESTRUCTIVE:
      g_value_set_boolean (value, priv->next_destructive);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_page_set_property (GObject *object, guint prop_id, const GValue *value,
                        GParamSpec *pspec)
{
  MendPage *self = MEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_DRIVER:
      mend_page_set_driver (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      mend_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      mend_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_BUSY:
      mend_page_set_busy (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_LABEL:
      mend_page_set_next_label (self, g_value_get_string (value));
      break;
    case PROP_NEXT_DESTRUCTIVE:
      mend_page_set_next_destructive (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_page_map (GtkWidget *widget)
{
  mend_wrap_check_buttons (widget);
  GTK_WIDGET_CLASS (mend_page_parent_class)->map (widget);
}

static void
mend_page_class_init (MendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_page_dispose;
  object_class->finalize = mend_page_finalize;
  object_class->get_property = mend_page_get_property;
  object_class->set_property = mend_page_set_property;

  widget_class->map = mend_page_map;
  klass->apply = mend_page_real_apply;
  klass->cancel = mend_page_real_cancel;

  properties[PROP_DRIVER] =
    g_param_spec_object ("driver", NULL, NULL, MEND_TYPE_DRIVER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_DESTRUCTIVE] =
    g_param_spec_boolean ("next-destructive", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mend_page_init (MendPage *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

MendDriver *
mend_page_get_driver (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->driver;
}

void
mend_page_set_driver (MendPage *self, MendDriver *driver)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (g_set_object (&priv->driver, driver))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRIVER]);
}

const char *
mend_page_get_title (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->title;
}

void
mend_page_set_title (MendPage *self, const char *title)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (!set_str (&priv->title, title))
    return;
  /* Screen readers announce the page as a group named by its heading. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
mend_page_get_complete (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->complete;
}

void
mend_page_set_complete (MendPage *self, gboolean complete)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (priv->complete == !!complete)
    return;
  priv->complete = !!complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

gboolean
mend_page_get_busy (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->busy;
}

void
mend_page_set_busy (MendPage *self, gboolean busy)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (priv->busy == !!busy)
    return;
  priv->busy = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
mend_page_get_applying (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->applying;
}

const char *
mend_page_get_next_label (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->next_label;
}

void
mend_page_set_next_label (MendPage *self, const char *label)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (set_str (&priv->next_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
mend_page_get_next_destructive (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->next_destructive;
}

void
mend_page_set_next_destructive (MendPage *self, gboolean destructive)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (priv->next_destructive == !!destructive)
    return;
  priv->next_destructive = !!destructive;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DESTRUCTIVE]);
}

void
mend_page_set_initial_focus (MendPage *self, GtkWidget *widget)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  priv->initial_focus = widget;
}

GtkWidget *
mend_page_get_initial_focus (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  return priv->initial_focus;
}

void
mend_page_shown (MendPage *self)
{
  MendPageClass *klass = MEND_PAGE_GET_CLASS (self);

  if (klass->shown != NULL)
    klass->shown (self);
}

/* Returns TRUE when the page went async; DONE_CB (MendPageApplyDone) is called later. */
gboolean
mend_page_apply_begin (MendPage *self, GCallback done_cb, gpointer user_data)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  MendPageClass *klass = MEND_PAGE_GET_CLASS (self);

  g_return_val_if_fail (!priv->applying, FALSE);

  g_clear_object (&priv->apply_cancellable);
  priv->apply_cancellable = g_cancellable_new ();
  priv->apply_done = (MendPageApplyDone) done_cb;
  priv->apply_data = user_data;
  priv->applying = TRUE;
  if (klass->apply (self, priv->apply_cancellable))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
      return TRUE;
    }
  priv->applying = FALSE;
  priv->apply_done = NULL;
  return FALSE;
}

void
mend_page_apply_cancel (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (priv->apply_cancellable != NULL)
    g_cancellable_cancel (priv->apply_cancellable);
}

void
mend_page_apply_complete (MendPage *self, gboolean valid)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);
  MendPageApplyDone done = priv->apply_done;
  gpointer data = priv->apply_data;

  if (!priv->applying)
    return;
  priv->applying = FALSE;
  priv->apply_done = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
  if (done != NULL)
    done (self, valid, data);
}

void
mend_page_cancel (MendPage *self)
{
  MendPagePrivate *priv = mend_page_get_instance_private (self);

  if (priv->applying)
    mend_page_apply_cancel (self);
  else
    MEND_PAGE_GET_CLASS (self)->cancel (self);
}

void
mend_wrap_check_buttons (GtkWidget *widget)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_LABEL (c))
          {
            gtk_label_set_wrap (GTK_LABEL (c), TRUE);
            gtk_label_set_wrap_mode (GTK_LABEL (c), PANGO_WRAP_WORD_CHAR);
            gtk_label_set_xalign (GTK_LABEL (c), 0);
          }
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    mend_wrap_check_buttons (c);
}
