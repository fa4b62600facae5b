/* mend-application.c — application start-up: CSS, the window, command-line folders. */
#include <glib/gi18n-lib.h>
#include "mend-application.h"
#include "mend-window.h"

struct _MendApplication
{
  GtkApplication parent_instance;
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
  gtk_window_present (GTK_WINDOW (ensure_window (MEND_APPLICATION (app), NULL)));
}

static void
mend_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);

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

  app_class->activate = mend_application_activate;
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
  return g_object_new (MEND_TYPE_APPLICATION, "application-id", MEND_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/rdpmend/Wizard", NULL);
}
