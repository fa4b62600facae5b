/* main.c — entry point of the wizard: locale set-up, then the application. */
#include <locale.h>
#include <glib/gi18n-lib.h>
#include "mend-application.h"

static const char *
locale_dir (void)
{
  /* Run from the build tree, use the freshly compiled catalogues in build/locale. */
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *env = g_getenv ("RDPMEND_LOCALEDIR");

  if (env != NULL)
    return env;
#ifdef MEND_BUILD_DIR
  if (exe != NULL && g_str_has_prefix (exe, MEND_BUILD_DIR "/")
      && g_file_test (MEND_BUILD_DIR "/locale", G_FILE_TEST_IS_DIR))
    return MEND_BUILD_DIR "/locale";
#endif
  return MEND_LOCALEDIR;
}

int
main (int argc, char **argv)
{
  g_autoptr(MendApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("RDP Mend"));

  app = mend_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
