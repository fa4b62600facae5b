/* mend-window.c — the wizard window: builds the pages in order and owns the report
 * actions every page can use (win.copy-report, win.save-report, win.technical, win.redact). */
#include <glib/gi18n-lib.h>
#include "mend-window.h"
#include "mend-assistant.h"
#include "report/mend-report.h"
#include "mend-welcome-page.h"
#include "mend-target-page.h"
#include "mend-scan-page.h"
#include "mend-findings-page.h"
#include "mend-review-page.h"
#include "mend-apply-page.h"

struct _MendWindow
{
  GtkApplicationWindow  parent_instance;

  MendAssistant        *assistant;
  MendDriver           *driver;
  GtkFileChooserNative *save_chooser;
};

G_DEFINE_FINAL_TYPE (MendWindow, mend_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DRIVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
render_report (MendWindow *self, MendReportFormat format)
{
  MendSession *session = mend_driver_get_session (self->driver);
  MendReportFlags flags = MEND_REPORT_FLAGS_NONE;

  if (session == NULL)
    return NULL;
  if (mend_driver_get_technical (self->driver))
    flags |= MEND_REPORT_FLAGS_TECHNICAL;
  if (mend_driver_get_redact (self->driver))
    flags |= MEND_REPORT_FLAGS_REDACT;
  return mend_report_render (session, format, flags, mend_driver_get_notes (self->driver));
}

static void
update_report_actions (MendWindow *self)
{
  gboolean have = mend_driver_get_session (self->driver) != NULL;
  GAction *copy = g_action_map_lookup_action (G_ACTION_MAP (self), "copy-report");
  GAction *save = g_action_map_lookup_action (G_ACTION_MAP (self), "save-report");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (copy), have);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (save), have);
}

static void
on_driver_session_notify_cb (MendWindow *self)
{
  update_report_actions (self);
}

static void
copy_report_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  MendWindow *self = user_data;
  g_autofree char *markdown = render_report (self, MEND_REPORT_FORMAT_MARKDOWN);

  if (markdown == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), markdown);
}

static void
on_save_chooser_response_cb (GtkNativeDialog *dialog, int response, MendWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->save_chooser);
  if (file == NULL)
    return;

  html = render_report (self, MEND_REPORT_FORMAT_HTML);
  if (html == NULL)
    return;
  /* A report is small: writing it here does not hold up the main loop noticeably. */
  if (!g_file_replace_contents (file, html, strlen (html), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    {
      GtkWidget *msg = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL,
                                               GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                               _("The report could not be saved"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (msg), "%s",
                                                error->message);
      g_signal_connect (msg, "response", G_CALLBACK (gtk_window_destroy), NULL);
      gtk_window_present (GTK_WINDOW (msg));
    }
}

static void
save_report_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  MendWindow *self = user_data;

  if (self->save_chooser != NULL)
    return;
  self->save_chooser = gtk_file_chooser_native_new (_("Save Report"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                    _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser),
                                     "rdpmend-report.html");
  g_signal_connect (self->save_chooser, "response",
                    G_CALLBACK (on_save_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
toggle_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  g_action_change_state (G_ACTION (action), g_variant_new_boolean (!g_variant_get_boolean (state)));
}

static void
technical_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  MendWindow *self = user_data;

  g_simple_action_set_state (action, value);
  mend_driver_set_technical (self->driver, g_variant_get_boolean (value));
}

static void
redact_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  MendWindow *self = user_data;

  g_simple_action_set_state (action, value);
  mend_driver_set_redact (self->driver, g_variant_get_boolean (value));
}

static const GActionEntry win_actions[] = {
  { "copy-report", copy_report_activated, NULL, NULL, NULL },
  { "save-report", save_report_activated, NULL, NULL, NULL },
  { "technical", toggle_activated, NULL, "false", technical_changed },
  { "redact", toggle_activated, NULL, "false", redact_changed },
};

static void
on_assistant_finished_cb (MendWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
mend_window_constructed (GObject *object)
{
  MendWindow *self = MEND_WINDOW (object);
  GType page_types[6];

  G_OBJECT_CLASS (mend_window_parent_class)->constructed (object);

  if (self->driver == NULL)
    self->driver = mend_driver_new ();
  g_signal_connect_object (self->driver, "notify::session",
                           G_CALLBACK (on_driver_session_notify_cb), self, G_CONNECT_SWAPPED);

  mend_assistant_set_driver (self->assistant, self->driver);
  page_types[0] = MEND_TYPE_WELCOME_PAGE;
  page_types[1] = MEND_TYPE_TARGET_PAGE;
  page_types[2] = MEND_TYPE_SCAN_PAGE;
  page_types[3] = MEND_TYPE_FINDINGS_PAGE;
  page_types[4] = MEND_TYPE_REVIEW_PAGE;
  page_types[5] = MEND_TYPE_APPLY_PAGE;
  for (guint i = 0; i < G_N_ELEMENTS (page_types); i++)
    mend_assistant_add_page (self->assistant,
                             g_object_new (page_types[i], "driver", self->driver, NULL));

  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 mend_assistant_get_next_button (self->assistant));
  update_report_actions (self);
  mend_assistant_start (self->assistant);
}

static void
mend_window_dispose (GObject *object)
{
  MendWindow *self = MEND_WINDOW (object);

  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_WINDOW);
  G_OBJECT_CLASS (mend_window_parent_class)->dispose (object);
}

static void
mend_window_finalize (GObject *object)
{
  MendWindow *self = MEND_WINDOW (object);

  g_clear_object (&self->driver);
  G_OBJECT_CLASS (mend_window_parent_class)->finalize (object);
}

static void
mend_window_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  MendWindow *self = MEND_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DRIVER:
      g_set_object (&self->driver, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MendWindow *self = MEND_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DRIVER:
      g_value_set_object (value, self->driver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_window_class_init (MendWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mend_window_constructed;
  object_class->dispose = mend_window_dispose;
  object_class->finalize = mend_window_finalize;
  object_class->set_property = mend_window_set_property;
  object_class->get_property = mend_window_get_property;

  properties[PROP_DRIVER] =
    g_param_spec_object ("driver", NULL, NULL, MEND_TYPE_DRIVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MEND_TYPE_ASSISTANT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MendWindow, assistant);
  gtk_widget_class_bind_template_callback (widget_class, on_assistant_finished_cb);
}

static void
mend_window_init (MendWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
}

MendWindow *
mend_window_new (GtkApplication *app, MendDriver *driver)
{
  return g_object_new (MEND_TYPE_WINDOW, "application", app, "driver", driver, NULL);
}

MendDriver *
mend_window_get_driver (MendWindow *self)
{
  return self->driver;
}
