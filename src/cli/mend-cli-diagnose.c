/* mend-cli-diagnose.c — `rdpmend-cli diagnose`: findings for people (problems first) or JSON. */
#include "mend-cli.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

static const char *
marker (MendSeverity s, gboolean colour)
{
  switch (s)
    {
    case MEND_SEVERITY_PROBLEM: return colour ? "\033[1;31m✗\033[0m" : "✗";
    case MEND_SEVERITY_WARNING: return colour ? "\033[1;33m!\033[0m" : "!";
    case MEND_SEVERITY_INFO: return colour ? "\033[1;34mi\033[0m" : "i";
    default: return colour ? "\033[32m✓\033[0m" : "✓";
    }
}

static void
print_finding (MendFinding *f, gboolean colour, gboolean verbose)
{
  MendSeverity s = mend_finding_get_severity (f);
  printf ("%s %s  [%s]\n", marker (s, colour), mend_finding_get_title (f), mend_finding_get_id (f));
  if (s == MEND_SEVERITY_OK && !verbose)
    return;
  if (mend_finding_get_detail (f) && g_strcmp0 (mend_finding_get_id (f), "check.skipped") != 0)
    printf ("    %s\n", mend_finding_get_detail (f));
  if (mend_finding_get_confidence (f) != MEND_CONFIDENCE_CONFIRMED)
    printf ("    %s %s\n", _("Confidence:"), mend_confidence_to_string (mend_finding_get_confidence (f)));
  GPtrArray *ev = mend_finding_get_evidence (f);
  for (guint i = 0; i < ev->len; i++)
    {
      MendEvidence *e = ev->pdata[i];
      GString *line = g_string_new ("      ");
      if (e->path)
        g_string_append (line, e->path);
      if (e->value)
        g_string_append_printf (line, "%s%s", e->path ? " → " : "", e->value);
      if (e->data)
        g_string_append_printf (line, "%s%s", (e->path || e->value) ? " = " : "", e->data);
      if (e->stale)
        g_string_append_printf (line, "  (%s)", _("possibly stale: the hive has unreplayed logs"));
      printf ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
  const char * const *fixes = mend_finding_get_fixes (f);
  if (fixes && fixes[0] && s != MEND_SEVERITY_OK)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) fixes);
      printf ("    %s %s\n", _("Fix:"), list);
    }
}

int
mend_cli_diagnose (int argc, char **argv)
{
  MendCliTargets targets = { 0 };
  gboolean json = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (schema 1)"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Show evidence of passed checks too"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) octx = g_option_context_new (_("— find out why Remote Desktop fails"));
  g_autoptr (GError) error = NULL;
  if (!mend_cli_parse_with_targets (octx, entries, &targets, &argc, &argv))
    return MEND_EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("rdpmend-cli: unexpected argument “%s”\n"), argv[1]);
      mend_cli_targets_clear (&targets);
      return MEND_EXIT_USAGE;
    }
  g_autoptr (MendSession) session = mend_session_new ();
  int rc = mend_cli_targets_apply (&targets, session, FALSE);
  mend_cli_targets_clear (&targets);
  if (rc != 0)
    return rc;

  if (!mend_session_diagnose (session, NULL, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_TARGET;
    }
  int exit_code = mend_session_get_exit_code (session);

  if (json)
    {
      g_autoptr (JsonNode) node = mend_session_to_json (session);
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, node);
      g_autofree char *text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return exit_code;
    }

  gboolean colour = mend_cli_is_tty () && g_getenv ("NO_COLOR") == NULL;
  const MendSystemInfo *sys = mend_session_get_system (session);
  GPtrArray *images = mend_session_get_images (session);
  for (guint i = 0; i < images->len; i++)
    printf ("%s %s\n", _("Target:"), mend_image_get_root (images->pdata[i]));
  if (sys && sys->product)
    printf ("%s %s%s%s (%s %" G_GINT64_FORMAT ")\n", _("System:"), sys->product,
            sys->display_version ? " " : "", sys->display_version ? sys->display_version : "",
            _("build"), sys->build);
  printf ("\n");

  GListModel *model = mend_session_get_findings (session);
  guint n = g_list_model_get_n_items (model);
  guint counts[4] = { 0 };
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MendFinding) f = g_list_model_get_item (model, i);
      counts[mend_finding_get_severity (f)]++;
      print_finding (f, colour, verbose);
    }
  printf ("\n");
  printf (_("%u problems, %u warnings, %u notes, %u checks passed.\n"), counts[MEND_SEVERITY_PROBLEM],
          counts[MEND_SEVERITY_WARNING], counts[MEND_SEVERITY_INFO], counts[MEND_SEVERITY_OK]);
  if (exit_code == 3)
    printf ("%s\n", _("The target could not be examined completely (see above)."));
  return exit_code;
}
