/* mend-cli-report.c — `rdpmend-cli report`: the diagnosis as a report to share (text,
 * Markdown, HTML with the connection-path picture, or JSON), optionally with names hidden. */
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include "mend-cli.h"
#include "report/mend-report.h"

int
mend_cli_report (int argc, char **argv)
{
  MendCliTargets targets = { 0 };
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  gboolean redact = FALSE, technical = FALSE;
  MendReportFormat format = MEND_REPORT_FORMAT_TEXT;
  MendReportFlags flags = MEND_REPORT_FLAGS_NONE;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Report format: text, markdown, html or json"), N_("FORMAT") },
    { "redact", 0, 0, G_OPTION_ARG_NONE, &redact,
      N_("Replace user and computer names with placeholders"), NULL },
    { "technical", 't', 0, G_OPTION_ARG_NONE, &technical,
      N_("Include finding ids, targets and full evidence paths"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) octx = g_option_context_new (_("— a report of the diagnosis to share"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MendSession) session = NULL;
  g_autofree char *text = NULL;
  int rc;

  if (!mend_cli_parse_with_targets (octx, entries, &targets, &argc, &argv))
    return MEND_EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("rdpmend-cli: unexpected argument “%s”\n"), argv[1]);
      mend_cli_targets_clear (&targets);
      return MEND_EXIT_USAGE;
    }
  if (format_name != NULL && !mend_report_format_from_string (format_name, &format))
    {
      g_printerr (_("rdpmend-cli: unknown report format “%s” (use text, markdown, html or "
                    "json)\n"), format_name);
      mend_cli_targets_clear (&targets);
      return MEND_EXIT_USAGE;
    }
  if (redact)
    flags |= MEND_REPORT_FLAGS_REDACT;
  if (technical)
    flags |= MEND_REPORT_FLAGS_TECHNICAL;

  session = mend_session_new ();
  rc = mend_cli_targets_apply (&targets, session, FALSE);
  mend_cli_targets_clear (&targets);
  if (rc != 0)
    return rc;
  if (!mend_session_diagnose (session, NULL, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_TARGET;
    }

  text = mend_report_render (session, format, flags, NULL);
  if (output != NULL)
    {
      if (!g_file_set_contents (output, text, -1, &error))
        {
          mend_cli_print_error (NULL, error);
          return MEND_EXIT_TARGET;
        }
    }
  else
    fputs (text, stdout);
  /* Same exit codes as diagnose, so a report run can also gate a script. */
  return mend_session_get_exit_code (session);
}
