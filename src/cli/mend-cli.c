/* mend-cli.c — rdpmend-cli entry point: sub-command dispatch and shared target options. */
#include "mend-cli.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "diagnose", mend_cli_diagnose, N_("Examine a Windows installation, servers or a .rdp file") },
  { "fix", mend_cli_fix, N_("Show and apply repairs") },
  { "undo", mend_cli_undo, N_("Undo the last (or a named) repair") },
  { "journal", mend_cli_journal, N_("List the repairs applied to a target") },
  { "probe", mend_cli_probe, N_("Test Remote Desktop servers over the network") },
  { "explain", mend_cli_explain, N_("Explain a Remote Desktop error code") },
  { "report", mend_cli_report, N_("Write a report to share with support") },
};

static void
usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: rdpmend-cli COMMAND [OPTIONS]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “rdpmend-cli COMMAND --help” for the options of a command."));
}

gboolean
mend_cli_is_tty (void)
{
  return isatty (STDOUT_FILENO);
}

void
mend_cli_print_error (const char *context, const GError *error)
{
  if (context)
    g_printerr ("rdpmend-cli: %s: %s\n", context, error->message);
  else
    g_printerr ("rdpmend-cli: %s\n", error->message);
}

GOptionGroup *
mend_cli_targets_option_group (MendCliTargets *t)
{
  GOptionEntry entries[] = {
    { "image", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &t->images,
      N_("Offline Windows installation: the folder holding Windows/, or “auto”"), N_("DIR") },
    { "probe", 0, 0, G_OPTION_ARG_STRING_ARRAY, &t->probes,
      N_("Remote Desktop server to test (repeatable)"), N_("HOST[:PORT]") },
    { "probe-file", 0, 0, G_OPTION_ARG_FILENAME, &t->probe_file,
      N_("File with one server per line"), N_("FILE") },
    { "rdp-file", 0, 0, G_OPTION_ARG_FILENAME, &t->rdp_file,
      N_("Remote Desktop connection file (.rdp)"), N_("FILE") },
    { "error", 0, 0, G_OPTION_ARG_STRING, &t->error_code,
      N_("The error code you saw, e.g. 0x904/0x7"), N_("CODE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &t->role,
      N_("What this installation is: client, server or both (default)"), N_("ROLE") },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &t->timeout,
      N_("Network timeout per step in seconds (default 5)"), N_("SECONDS") },
    { NULL }
  };
  GOptionGroup *g = g_option_group_new ("targets", _("Targets:"), _("Show target options"), NULL, NULL);
  g_option_group_add_entries (g, entries);
  g_option_group_set_translation_domain (g, GETTEXT_PACKAGE);
  return g;
}

int
mend_cli_targets_apply (MendCliTargets *t, MendSession *session, gboolean require_image)
{
  g_autoptr (GError) error = NULL;
  if (t->role)
    {
      MendRole role;
      if (!mend_role_from_string (t->role, &role))
        {
          g_printerr (_("rdpmend-cli: --role must be client, server or both, not “%s”\n"), t->role);
          return MEND_EXIT_USAGE;
        }
      mend_session_set_role (session, role);
    }
  if (t->error_code && !mend_session_set_error_code (session, t->error_code, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_USAGE;
    }
  if (t->timeout < 0)
    {
      g_printerr (_("rdpmend-cli: --timeout must be positive\n"));
      return MEND_EXIT_USAGE;
    }
  if (t->timeout > 0)
    mend_session_set_probe_timeout (session, t->timeout);
  for (guint i = 0; t->probes && t->probes[i]; i++)
    if (!mend_session_add_probe (session, t->probes[i], &error))
      {
        mend_cli_print_error (NULL, error);
        return MEND_EXIT_USAGE;
      }
  if (t->probe_file)
    {
      g_autofree char *contents = NULL;
      if (!g_file_get_contents (t->probe_file, &contents, NULL, &error))
        {
          mend_cli_print_error (NULL, error);
          return MEND_EXIT_USAGE;
        }
      g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          g_strstrip (lines[i]);
          if (lines[i][0] == '\0' || lines[i][0] == '#')
            continue;
          if (!mend_session_add_probe (session, lines[i], &error))
            {
              g_prefix_error (&error, "%s:%u: ", t->probe_file, i + 1);
              mend_cli_print_error (NULL, error);
              return MEND_EXIT_USAGE;
            }
        }
    }
  if (t->rdp_file)
    mend_session_set_rdp_file (session, t->rdp_file);
  for (guint i = 0; t->images && t->images[i]; i++)
    if (!mend_session_add_image (session, t->images[i], &error))
      {
        mend_cli_print_error (NULL, error);
        return g_error_matches (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT) ? MEND_EXIT_USAGE
                                                                               : MEND_EXIT_TARGET;
      }
  gboolean any = (t->images && t->images[0]) || (t->probes && t->probes[0]) || t->probe_file ||
                 t->rdp_file;
  if (require_image && !(t->images && t->images[0]))
    {
      g_printerr (_("rdpmend-cli: name the Windows installation with --image DIR (or --image auto)\n"));
      return MEND_EXIT_USAGE;
    }
  if (!any)
    {
      g_printerr (_("rdpmend-cli: nothing to examine: give --image DIR, --image auto, --probe HOST "
                    "or --rdp-file FILE\n"));
      return MEND_EXIT_USAGE;
    }
  return 0;
}

gboolean
mend_cli_parse_with_targets (GOptionContext *octx, const GOptionEntry *entries,
                             MendCliTargets *targets, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (octx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (octx, mend_cli_targets_option_group (targets));
  if (!g_option_context_parse (octx, argc, argv, &error))
    {
      mend_cli_print_error (NULL, error);
      mend_cli_targets_clear (targets);
      return FALSE;
    }
  return TRUE;
}

void
mend_cli_targets_clear (MendCliTargets *t)
{
  g_clear_pointer (&t->images, g_strfreev);
  g_clear_pointer (&t->probes, g_strfreev);
  g_clear_pointer (&t->probe_file, g_free);
  g_clear_pointer (&t->rdp_file, g_free);
  g_clear_pointer (&t->error_code, g_free);
  g_clear_pointer (&t->role, g_free);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  const char *localedir = g_getenv ("RDPMEND_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : MEND_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? MEND_EXIT_USAGE : MEND_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("rdpmend-cli %s\n", MEND_VERSION);
      return MEND_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);
  g_printerr (_("rdpmend-cli: unknown command “%s”\n\n"), argv[1]);
  usage (stderr);
  return MEND_EXIT_USAGE;
}
