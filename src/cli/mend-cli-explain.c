/* mend-cli-explain.c — `rdpmend-cli explain CODE[/EXT] [--json]`: what a Remote Desktop
 * error code means, its likely causes, what to check and which findings relate to it. */
#include "mend-cli.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "formats/mend-errcodes.h"

static void
print_list (const char *heading, const char * const *items, gboolean numbered)
{
  guint i = 0;

  if (items == NULL || items[0] == NULL)
    return;
  g_print ("\n%s\n", heading);
  for (; items[i] != NULL; i++)
    {
      if (numbered)
        g_print ("  %u. %s\n", i + 1, items[i]);
      else
        g_print ("  - %s\n", items[i]);
    }
}

static void
print_text (const MendErrcodeExplanation *expl)
{
  g_print (_("Error code:          %s %s\n"), expl->code_text,
           expl->name ? expl->name : _("(undocumented)"));
  g_print ("  %s\n", expl->meaning);
  if (expl->has_extended)
    {
      g_print (_("Extended error code: %s %s\n"), expl->extended_text,
               expl->extended_name ? expl->extended_name : _("(undocumented)"));
      g_print ("  %s\n", expl->extended_meaning);
    }
  g_print ("\n%s\n", expl->summary);
  print_list (_("Likely causes:"), (const char * const *) expl->causes, TRUE);
  print_list (_("What to check:"), (const char * const *) expl->checks, TRUE);
  print_list (_("Popular advice that does not apply:"),
              (const char * const *) expl->misconceptions, FALSE);
  if (expl->findings[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) expl->findings);

      g_print ("\n%s\n  %s\n", _("Relevant findings (rdpmend-cli diagnose --error CODE ranks these first):"),
               joined);
    }
}

int
mend_cli_explain (int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of text"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("CODE[/EXTENDED]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE[/EXTENDED] — explain a Remote Desktop error code"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MendErrcodeExplanation) expl = NULL;
  g_autofree char *code_text = NULL;
  guint32 code = 0, ext = 0;
  gboolean has_ext = FALSE;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Examples: explain 0x904/0x7, explain 2308/7, explain 0x904"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_USAGE;
    }
  if (rest == NULL || rest[0] == NULL)
    {
      g_printerr (_("rdpmend-cli: explain needs an error code, for example 0x904/0x7\n"));
      return MEND_EXIT_USAGE;
    }
  /* "0x904 / 0x7" typed with spaces arrives as several arguments. */
  code_text = g_strjoinv (" ", rest);
  if (!mend_errcode_parse (code_text, &code, &ext, &has_ext, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_USAGE;
    }

  expl = mend_errcode_explain (code, ext, has_ext);
  if (json)
    {
      g_autoptr(JsonNode) node = mend_errcode_explanation_to_json (expl);
      g_autofree char *text = json_to_string (node, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      print_text (expl);
    }
  return MEND_EXIT_OK;
}
