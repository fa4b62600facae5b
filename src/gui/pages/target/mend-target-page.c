/* mend-target-page.c — the Windows installations found on mounted disks (looked for in a
 * thread), folders from the command line, a folder chooser; on Windows, this computer. */
#include <glib/gi18n-lib.h>
#include "mend-target-page.h"
#include "checks/mend-check.h"
#include "target/mend-image.h"

struct _MendTargetPage
{
  MendPage              parent_instance;

  GtkLabel             *intro_label;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
  GtkBox               *choices_box;
  GtkWidget            *folder_button;

  GtkCheckButton       *group;          /* first radio, the group leader */
  GtkCheckButton       *network_only;
  GHashTable           *shown_dirs;     /* dir → GtkCheckButton */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  gboolean              discovered;
};

G_DEFINE_FINAL_TYPE (MendTargetPage, mend_target_page, MEND_TYPE_PAGE)

typedef struct {
  char *dir;
  char *label;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->dir);
  g_free (c->label);
  g_free (c);
}

/* Runs in a thread: opening hives can take a while on a slow USB disk. */
static Candidate *
describe (const char *dir)
{
  g_autoptr(MendImage) image = NULL;
  g_autoptr(MendSystemInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Candidate *c = g_new0 (Candidate, 1);

  c->dir = g_strdup (dir);
  image = mend_image_open (dir, &error);
  if (image == NULL)
    {
      c->label = g_strdup_printf ("%s — %s", dir, error->message);
      return c;
    }
  info = mend_system_info_read (mend_image_get_registry (image));
  if (info != NULL && info->product != NULL)
    {
      if (info->build > 0)
        {
          /* Format the number first: a printf macro inside a message breaks xgettext. */
          g_autofree char *build = g_strdup_printf ("%" G_GINT64_FORMAT, info->build);
          c->label = g_strdup_printf (_("%s (%s, build %s) in %s"), info->product,
                                      info->display_version ? info->display_version : "",
                                      build, dir);
        }
      else
        c->label = g_strdup_printf (_("%s in %s"), info->product, dir);
    }
  else
    c->label = g_strdup_printf (_("Windows in %s"), dir);
  return c;
}

static void
discover_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char * const *extra = task_data;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (result, describe (extra[i]));
  found = mend_image_discover (NULL, &error);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      const char *root = g_ptr_array_index (found, i);
      gboolean dup = FALSE;

      for (guint j = 0; j < result->len; j++)
        dup |= g_strcmp0 (((Candidate *) g_ptr_array_index (result, j))->dir, root) == 0;
      if (!dup && !g_cancellable_is_cancelled (cancellable))
        g_ptr_array_add (result, describe (root));
    }
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
}

static void
update_complete (MendTargetPage *self)
{
  gboolean any = FALSE;
  GHashTableIter iter;
  gpointer check;

  g_hash_table_iter_init (&iter, self->shown_dirs);
  while (g_hash_table_iter_next (&iter, NULL, &check))
    any |= gtk_check_button_get_active (check);
  if (self->network_only != NULL && gtk_widget_get_visible (GTK_WIDGET (self->network_only)))
    any |= gtk_check_button_get_active (self->network_only);
  mend_page_set_complete (MEND_PAGE (self), any);
}

static void
on_choice_toggled_cb (MendTargetPage *self)
{
  update_complete (self);
}

static GtkCheckButton *
add_choice (MendTargetPage *self, const char *dir, const char *label)
{
  GtkWidget *check;

  if (dir != NULL && g_hash_table_contains (self->shown_dirs, dir))
    return g_hash_table_lookup (self->shown_dirs, dir);
  check = gtk_check_button_new_with_label (label);
  if (self->group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->group);
  else
    self->group = GTK_CHECK_BUTTON (check);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_choice_toggled_cb), self);
  gtk_box_append (self->choices_box, check);
  mend_wrap_check_buttons (check);
  if (dir != NULL)
    g_hash_table_insert (self->shown_dirs, g_strdup (dir), check);
  return GTK_CHECK_BUTTON (check);
}

static void
on_discover_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MendTargetPage) self = user_data;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), NULL);
  MendDriver *driver = mend_page_get_driver (MEND_PAGE (self));
  guint n_images = 0;

  if (found == NULL)  /* cancelled: the page is going away */
    return;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  for (guint i = 0; i < found->len; i++)
    {
      Candidate *c = g_ptr_array_index (found, i);
      GtkCheckButton *check = add_choice (self, c->dir, c->label);

      n_images++;
      /* A folder named on the command line, or the only one found, is the obvious choice. */
      if (i == 0 || g_strcmp0 (c->dir, mend_driver_get_image_dir (driver)) == 0)
        {
          gtk_check_button_set_active (check, TRUE);
          mend_page_set_initial_focus (MEND_PAGE (self), GTK_WIDGET (check));
          /* The list arrives after the page was shown: move keyboard focus to the choice
           * unless the user already went somewhere else on the page. */
          if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !gtk_widget_has_focus (GTK_WIDGET (check)))
            {
              GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
              GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

              if (focus == NULL || focus == self->folder_button
                  || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
                gtk_widget_grab_focus (GTK_WIDGET (check));
            }
        }
    }
  if (n_images == 0)
    gtk_label_set_text (self->status_label,
                        _("No Windows installation was found on the mounted disks. Open the "
                          "disk in the file manager so that it is mounted, or choose its "
                          "folder."));
  else
    gtk_label_set_text (self->status_label,
                        g_dngettext (GETTEXT_PACKAGE, "One Windows installation was found.",
                                     "Several Windows installations were found.", n_images));
  update_complete (self);
  mend_page_set_busy (MEND_PAGE (self), FALSE);
}

static void
on_folder_chooser_response_cb (GtkNativeDialog *dialog, int response, MendTargetPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL || (dir = g_file_get_path (file)) == NULL)
    return;
  {
    /* Describing one folder reads two small values: quick enough on the main loop?
     * No: a hive on a USB disk may take seconds; keep the thread even here. */
    g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_discover_done,
                                        g_object_ref (self));
    char **one = g_new0 (char *, 2);

    one[0] = g_steal_pointer (&dir);
    g_task_set_task_data (task, one, (GDestroyNotify) g_strfreev);
    mend_driver_set_image_dir (mend_page_get_driver (MEND_PAGE (self)), one[0]);
    g_task_run_in_thread (task, discover_thread);
  }
}

static void
on_folder_button_clicked_cb (MendTargetPage *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Windows Disk or Folder"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_folder_chooser_response_cb),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
mend_target_page_shown (MendPage *page)
{
  MendTargetPage *self = MEND_TARGET_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  gboolean server_known = mend_driver_get_server (driver) != NULL;

  switch (mend_driver_get_problem (driver))
    {
    case MEND_PROBLEM_CLIENT:
      gtk_label_set_text (self->intro_label,
                          _("Choose the Windows installation of the computer that cannot "
                            "connect. The server you named is also checked over the network."));
      break;
    case MEND_PROBLEM_SERVER:
      gtk_label_set_text (self->intro_label,
                          _("Choose the Windows installation of the computer that people "
                            "cannot connect to."));
      break;
    case MEND_PROBLEM_DISK:
    case MEND_PROBLEM_NONE:
    default:
      gtk_label_set_text (self->intro_label,
                          _("Choose the Windows installation to repair. Windows must be shut "
                            "down fully (not hibernated) for repairs to be written."));
      break;
    }
  if (self->network_only == NULL)
    {
      self->network_only = add_choice (self, NULL,
                                       _("Only check the server over the network"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->network_only),
                          server_known && mend_driver_get_problem (driver) == MEND_PROBLEM_CLIENT);

#ifdef G_OS_WIN32
  /* On Windows the computer itself is the target; no disk to look for. */
  gtk_widget_set_visible (self->folder_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (!self->discovered)
    gtk_check_button_set_active (add_choice (self, "live", _("This computer")), TRUE);
  self->discovered = TRUE;
#else
  if (!self->discovered)
    {
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_discover_done,
                                          g_object_ref (self));

      self->discovered = TRUE;
      gtk_label_set_text (self->status_label, _("Looking for Windows installations…"));
      gtk_spinner_set_spinning (self->spinner, TRUE);
      mend_page_set_busy (page, TRUE);
      g_task_set_task_data (task, g_strdupv ((char **) mend_driver_get_candidates (driver)),
                            (GDestroyNotify) g_strfreev);
      g_task_run_in_thread (task, discover_thread);
    }
#endif
  update_complete (self);
}

static void
mend_target_page_cancel (MendPage *page)
{
  MendTargetPage *self = MEND_TARGET_PAGE (page);

  /* Discovery ignores cancellation part-way (it is short); drop its result instead. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_label_set_text (self->status_label, _("Stopped looking. Choose a folder instead."));
  mend_page_set_busy (page, FALSE);
}

static gboolean
mend_target_page_apply (MendPage *page, GCancellable *cancellable)
{
  MendTargetPage *self = MEND_TARGET_PAGE (page);
  MendDriver *driver = mend_page_get_driver (page);
  GHashTableIter iter;
  gpointer dir, check;

  mend_driver_set_image_dir (driver, NULL);
  g_hash_table_iter_init (&iter, self->shown_dirs);
  while (g_hash_table_iter_next (&iter, &dir, &check))
    if (gtk_check_button_get_active (check) && !g_str_equal (dir, "live"))
      mend_driver_set_image_dir (driver, dir);
  return FALSE;
}

static void
mend_target_page_dispose (GObject *object)
{
  MendTargetPage *self = MEND_TARGET_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->shown_dirs, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_TARGET_PAGE);
  G_OBJECT_CLASS (mend_target_page_parent_class)->dispose (object);
}

static void
mend_target_page_class_init (MendTargetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MendPageClass *page_class = MEND_PAGE_CLASS (klass);

  object_class->dispose = mend_target_page_dispose;
  page_class->shown = mend_target_page_shown;
  page_class->apply = mend_target_page_apply;
  page_class->cancel = mend_target_page_cancel;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rdpmend/Wizard/ui/mend-target-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendTargetPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MendTargetPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendTargetPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MendTargetPage, choices_box);
  gtk_widget_class_bind_template_child (widget_class, MendTargetPage, folder_button);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_button_clicked_cb);
}

static void
mend_target_page_init (MendTargetPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}
