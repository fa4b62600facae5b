/* mend-welcome-page.c — what is wrong (sets the role), the error code with an instant
 * explanation, server name, .rdp file and symptoms; every answer feeds the ranking. */
#include <string.h>
#include <glib/gi18n-lib.h>
#include "mend-welcome-page.h"
#include "formats/mend-errcodes.h"

struct _MendWelcomePage
{
  MendPage              parent_instance;

  GtkCheckButton       *client_radio;
  GtkCheckButton       *server_radio;
  GtkCheckButton       *disk_radio;
  GtkEntry             *error_entry;
  GtkLabel             *error_explanation;
  GtkEntry             *server_entry;
  GtkLabel             *rdp_label;
  GtkCheckButton       *fast_fail_check;
  GtkCheckButton       *after_update_check;
  GtkCheckButton       *after_upgrade_check;
  GtkCheckButton       *after_reset_check;
  GtkCheckButton       *client_reinstalls_check;

  char                 *rdp_file;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (MendWelcomePage, mend_welcome_page, MEND_TYPE_PAGE)

char *
mend_welcome_explain_code (const char *text, gboolean *valid)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(MendErrcodeExplanation) expl = NULL;
  guint32 code, extended;
  gboolean has_extended;
  GString *s;

  *valid = TRUE;
  if (*clean == '\0')
    return NULL;
  /* People also type "0x904, 0x7" or "0x904 0x7": read them as the usual pair. */
  g_strdelimit (clean, ",;", '/');
  if (strchr (clean, '/') == NULL && strchr (clean, ' ') != NULL)
    *strchr (clean, ' ') = '/';
  if (!mend_errcode_parse (clean, &code, &extended, &has_extended, NULL))
    {
      *valid = FALSE;
      return g_strdup (_("Type the code as shown, for example 0x904 or 0x904 / 0x7."));
    }
  /* The same tables as `rdpmend-cli explain`, so both say the same thing. */
  expl = mend_errcode_explain (code, extended, has_extended);
  s = g_string_new (NULL);
  g_string_append_printf (s, _("Error %s: %s"), expl->code_text, expl->meaning);
  if (has_extended && expl->extended_meaning != NULL)
    {
      g_string_append_c (s, '\n');
      g_string_append_printf (s, _("Extended code %s: %s"), expl->extended_text,
                              expl->extended_meaning);
    }
  if (expl->summary != NULL)
    g_string_append_printf (s, "\n%s", expl->summary);
  return g_string_free (s, FALSE);
}

static gboolean
error_code_ok (MendWelcomePage *self)
{
  g_autofree char *explanation = NULL;
  gboolean valid;

  explanation = mend_welcome_explain_code (gtk_editable_get_text (GTK_EDITABLE (self->error_entry)),
                                           &valid);
  gtk_widget_set_visible (GTK_WIDGET (self->error_explanation), explanation != NULL);
  if (explanation != NULL)
    gtk_label_set_text (self->error_explanation, explanation);
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->error_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->error_entry), "error");
  return valid;
}

static void
on_answer_changed_cb (MendWelcomePage *self)
{
  gboolean chosen = gtk_check_button_get_active (self->client_radio)
                    || gtk_check_button_get_active (self->server_radio)
                    || gtk_check_button_get_active (self->disk_radio);

  mend_page_set_complete (MEND_PAGE (self), error_code_ok (self) && chosen);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog, int response, MendWelcomePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_free (self->rdp_file);
      self->rdp_file = g_file_get_path (file);
      gtk_label_set_text (self->rdp_label, self->rdp_file);
    }
  g_clear_object (&self->chooser);
}

static void
on_rdp_button_clicked_cb (MendWelcomePage *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose a Connection File"),
                                               GTK_WINDOW (root),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Remote Desktop connection files"));
  gtk_file_filter_add_pattern (filter, "*.rdp");
  gtk_file_filter_add_pattern (filter, "*.RDP");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
mend_welcome_page_apply (MendPage *page, GCancellable *cancellable)
{
  MendWelcomePage *self = MEND_WELCOME_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  g_autoptr(GPtrArray) symptoms = g_ptr_array_new ();
  MendProblem problem = MEND_PROBLEM_NONE;

  if (gtk_check_button_get_active (self->client_radio))
    problem = MEND_PROBLEM_CLIENT;
  else if (gtk_check_button_get_active (self->server_radio))
    problem = MEND_PROBLEM_SERVER;
  else if (gtk_check_button_get_active (self->disk_radio))
    problem = MEND_PROBLEM_DISK;
  mend_driver_set_problem (driver, problem);
  mend_driver_set_error_code (driver, gtk_editable_get_text (GTK_EDITABLE (self->error_entry)));
  mend_driver_set_server (driver, gtk_editable_get_text (GTK_EDITABLE (self->server_entry)));
  mend_driver_set_rdp_file (driver, self->rdp_file);

  /* Symptom ids are what the session's ranking understands (mend-session.h). */
  if (gtk_check_button_get_active (self->fast_fail_check))
    g_ptr_array_add (symptoms, "fast-fail");
  if (gtk_check_button_get_active (self->after_update_check))
    g_ptr_array_add (symptoms, "after-update");
  if (gtk_check_button_get_active (self->after_upgrade_check))
    g_ptr_array_add (symptoms, "after-upgrade");
  if (gtk_check_button_get_active (self->after_reset_check))
    g_ptr_array_add (symptoms, "after-reset");
  if (gtk_check_button_get_active (self->client_reinstalls_check))
    g_ptr_array_add (symptoms, "client-reinstall");
  g_ptr_array_add (symptoms, NULL);
  mend_driver_set_symptoms (driver, (const char * const *) symptoms->pdata);
  return FALSE;
}

static void
mend_welcome_page_dispose (GObject *object)
{
  MendWelcomePage *self = MEND_WELCOME_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->rdp_file, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_WELCOME_PAGE);
  G_OBJECT_CLASS (mend_welcome_page_parent_class)->dispose (object);
}

static void
mend_welcome_page_class_init (MendWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_welcome_page_dispose;
  page_class->apply = mend_welcome_page_apply;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, client_radio);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, server_radio);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, disk_radio);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, error_entry);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, error_explanation);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, server_entry);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, rdp_label);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, fast_fail_check);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, after_update_check);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, after_upgrade_check);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, after_reset_check);
  gtk_widget_class_bind_template_child (widget_class, MendWelcomePage, client_reinstalls_check);
  gtk_widget_class_bind_template_callback (widget_class, on_answer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_rdp_button_clicked_cb);
}

static void
mend_welcome_page_init (MendWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mend_page_set_initial_focus (MEND_PAGE (self), GTK_WIDGET (self->client_radio));
  on_answer_changed_cb (self);
}
