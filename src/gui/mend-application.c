/* mend-application.c — application start-up: CSS, the window, command-line folders. */
#include <glib/gi18n-lib.h>
#include "mend-application.h"
#include "mend-window.h"

struct _MendApplication
{
  GtkApplication parent_instance;
  GStrv          images;   /* --image DIR, in order */
};

G_DEFINE_FINAL_TYPE (MendApplication, mend_application, GTK_TYPE_APPLICATION)

static MendWindow *
ensure_window (MendApplication *self, const char * const *folders)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(MendDriver) driver = NULL;

  if (window != NULL)
    return MEND_WINDOW (window);
  driver = mend_driver_new ();
  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    mend_driver_add_candidate (driver, folders[i]);
  return mend_window_new (GTK_APPLICATION (self), driver);
}

static void
mend_application_activate (GApplication *app)
{
  MendApplication *self = MEND_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (ensure_window (self, (const char * const *) self->images)));
}

static void
mend_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  MendApplication *self = MEND_APPLICATION (app);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->images != NULL && self->images[i] != NULL; i++)
    g_ptr_array_add (folders, g_strdup (self->images[i]));
  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path != NULL)
        g_ptr_array_add (folders, path);
    }
  g_ptr_array_add (folders, NULL);
  gtk_window_present (GTK_WINDOW (ensure_window (MEND_APPLICATION (app),
                                                 (const char * const *) folders->pdata)));
}

/* --image DIR (the CLI's spelling) and bare folders mean the same: folders to offer first. */
static int
mend_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  MendApplication *self = MEND_APPLICATION (app);
  g_auto (GStrv) images = NULL;

  if (g_variant_dict_lookup (options, "image", "^aay", &images))
    {
      GStrvBuilder *b = g_strv_builder_new ();

      for (guint i = 0; images[i] != NULL; i++)
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (images[i]);
          g_autofree char *path = g_file_get_path (file);

          if (path != NULL)
            g_strv_builder_add (b, path);
        }
      g_strfreev (self->images);
      self->images = g_strv_builder_end (b);
      g_strv_builder_unref (b);
    }
  return -1;
}

static void
mend_application_finalize (GObject *object)
{
  g_strfreev (MEND_APPLICATION (object)->images);
  G_OBJECT_CLASS (mend_application_parent_class)->finalize (object);
}

static void
mend_application_startup (GApplication *app)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  const char *accels_quit[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (mend_application_parent_class)->startup (app);

  gtk_css_provider_load_from_resource (css, "/org/rdpmend/Wizard/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", accels_quit);
  gtk_window_set_default_icon_name (MEND_APPLICATION_ID);
}

static void
mend_application_class_init (MendApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mend_application_finalize;
  app_class->activate = mend_application_activate;
  app_class->handle_local_options = mend_application_handle_local_options;
  app_class->open = mend_application_open;
  app_class->startup = mend_application_startup;
}

static void
mend_application_init (MendApplication *self)
{
}

MendApplication *
mend_application_new (void)
{
  static const GOptionEntry entries[] = {
    { "image", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      N_("Offer the Windows installation in DIR first: the folder that holds the Windows "
         "folder, as for rdpmend-cli --image (may be given more than once)"),
      N_("DIR") },
    { NULL }
  };
  MendApplication *self = g_object_new (MEND_TYPE_APPLICATION,
                                        "application-id", MEND_APPLICATION_ID,
                                        "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                                        "resource-base-path", "/org/rdpmend/Wizard", NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[DIR…]"));
  g_application_set_option_context_summary (
    G_APPLICATION (self),
    _("Repairs Remote Desktop connections that fail during setup. Without a folder, it "
      "looks for Windows installations on every mounted volume; a folder given as DIR or "
      "with --image is offered first."));
  return self;
}
