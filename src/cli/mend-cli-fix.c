/* mend-cli-fix.c — `rdpmend-cli fix`, `undo` and `journal`: show the plan, ask, apply it
 * through the journal, diagnose again; undo an entry; list entries. */
#include "mend-cli.h"
#include "base/mend-error.h"
#include "fixes/mend-journal.h"
#include "fixes/mend-plan.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

/* Exit code for an error that happened before or instead of writing anything. */
static int
exit_code_for_error (const GError *error)
{
  if (error->domain != MEND_ERROR)
    return MEND_EXIT_FIX_REFUSED;
  switch ((MendError) error->code)
    {
    case MEND_ERROR_UNKNOWN_FIX:
    case MEND_ERROR_INVALID_ARGUMENT:
      return MEND_EXIT_USAGE;
    case MEND_ERROR_NOT_WINDOWS:
    case MEND_ERROR_HIVE_CORRUPT:
      return MEND_EXIT_TARGET;
    default:
      return MEND_EXIT_FIX_REFUSED;
    }
}

/* Reads one line from stdin; a closed stdin (scripts) answers "no". */
static char *
read_answer (const char *prompt)
{
  char buf[256];

  printf ("%s ", prompt);
  fflush (stdout);
  if (fgets (buf, sizeof buf, stdin) == NULL)
    {
      printf ("\n");
      return NULL;
    }
  return g_strstrip (g_strdup (buf));
}

static MendImage *
single_image (MendCliTargets *targets, MendSession *session, int *rc)
{
  GPtrArray *images;

  *rc = mend_cli_targets_apply (targets, session, TRUE);
  if (*rc != 0)
    return NULL;
  images = mend_session_get_images (session);
  if (images->len != 1)
    {
      g_printerr (_("rdpmend-cli: name exactly one Windows installation with --image DIR "
                    "(found %u)\n"), images->len);
      *rc = images->len == 0 ? MEND_EXIT_TARGET : MEND_EXIT_USAGE;
      return NULL;
    }
  return g_ptr_array_index (images, 0);
}

/* After applying: which findings that named one of FIX_IDS as their fix are still there. */
static int
diagnose_again (MendImage *image, GPtrArray *fix_ids)
{
  g_autoptr (MendSession) session = mend_session_new ();
  g_autoptr (GError) error = NULL;
  GListModel *model;
  guint remaining = 0;

  mend_session_add_image_object (session, image);
  if (!mend_session_diagnose (session, NULL, &error))
    {
      mend_cli_print_error (_("checking again after the fix"), error);
      return MEND_EXIT_PROBLEM;
    }
  model = mend_session_get_findings (session);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (MendFinding) f = g_list_model_get_item (model, i);
      const char * const *fixes = mend_finding_get_fixes (f);

      if (mend_finding_get_severity (f) < MEND_SEVERITY_WARNING || fixes == NULL)
        continue;
      for (guint j = 0; j < fix_ids->len; j++)
        if (g_strv_contains (fixes, g_ptr_array_index (fix_ids, j)))
          {
            if (remaining++ == 0)
              printf ("%s\n", _("Checked again — still found:"));
            printf ("  ✗ %s  [%s]\n", mend_finding_get_title (f), mend_finding_get_id (f));
            break;
          }
    }
  if (remaining == 0)
    {
      printf ("%s\n", _("Checked again: the problems these fixes address are gone."));
      return MEND_EXIT_OK;
    }
  return MEND_EXIT_PROBLEM;
}

int
mend_cli_fix (int argc, char **argv)
{
  MendCliTargets targets = { 0 };
  gboolean dry_run = FALSE, yes = FALSE, lower_ok = FALSE, json = FALSE;
  g_auto (GStrv) param_args = NULL;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show the plan and write nothing"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Apply without asking"), NULL },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &param_args,
      N_("A fix parameter (thumbprint=HEX, value=N); repeatable"), N_("KEY=VALUE") },
    { "i-understand-this-lowers-security", 0, 0, G_OPTION_ARG_NONE, &lower_ok,
      N_("Confirm a change that lowers security (CredSSP value=2)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the plans as JSON (with --dry-run)"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) octx = g_option_context_new (_("ID… — plan, confirm and apply fixes"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (MendSession) session = NULL;
  g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) to_apply = g_ptr_array_new ();
  g_autoptr (GPtrArray) fix_ids = g_ptr_array_new ();
  gboolean lowers = FALSE;
  g_autofree char *journal_id = NULL;
  gboolean rolled_back = FALSE;
  MendImage *image;
  int rc;

  if (!mend_cli_parse_with_targets (octx, entries, &targets, &argc, &argv))
    return MEND_EXIT_USAGE;
  if (argc < 2)
    {
      g_printerr (_("rdpmend-cli: name at least one fix, e.g. “rdpmend-cli fix enable-rdp "
                    "--image /mnt/win”\n"));
      mend_cli_targets_clear (&targets);
      return MEND_EXIT_USAGE;
    }

  /* Usage errors first, before the target is even opened. */
  for (int i = 1; i < argc; i++)
    {
      if (mend_fix_lookup (argv[i]) == NULL)
        {
          guint n = 0;
          const MendFixInfo *all = mend_fix_list_all (&n);
          g_autoptr (GString) known = g_string_new (NULL);

          for (guint j = 0; j < n; j++)
            g_string_append_printf (known, "%s%s", j ? ", " : "", all[j].id);
          g_printerr (_("rdpmend-cli: there is no fix “%s”. Known fixes: %s\n"), argv[i],
                      known->str);
          mend_cli_targets_clear (&targets);
          return MEND_EXIT_USAGE;
        }
      g_ptr_array_add (fix_ids, argv[i]);
    }
  for (guint i = 0; param_args != NULL && param_args[i] != NULL; i++)
    {
      const char *eq = strchr (param_args[i], '=');
      g_autofree char *key = NULL;
      gboolean used = FALSE;

      if (eq == NULL || eq == param_args[i])
        {
          g_printerr (_("rdpmend-cli: --param needs KEY=VALUE, not “%s”\n"), param_args[i]);
          mend_cli_targets_clear (&targets);
          return MEND_EXIT_USAGE;
        }
      key = g_strndup (param_args[i], (gsize) (eq - param_args[i]));
      for (guint j = 0; j < fix_ids->len; j++)
        used |= mend_fix_accepts_param (g_ptr_array_index (fix_ids, j), key);
      if (!used)
        {
          g_printerr (_("rdpmend-cli: none of the named fixes takes the parameter “%s” "
                        "(rebind-certificate takes thumbprint=HEX, set-credssp-mitigated "
                        "takes value=0|1|2)\n"), key);
          mend_cli_targets_clear (&targets);
          return MEND_EXIT_USAGE;
        }
      g_hash_table_insert (params, g_steal_pointer (&key), g_strdup (eq + 1));
    }

  session = mend_session_new ();
  image = single_image (&targets, session, &rc);
  mend_cli_targets_clear (&targets);
  if (image == NULL)
    return rc;

  for (guint i = 0; i < fix_ids->len; i++)
    {
      const char *id = g_ptr_array_index (fix_ids, i);
      g_autoptr (GHashTable) own = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      gpointer k, v;
      MendPlan *plan;

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &k, &v))
        if (mend_fix_accepts_param (id, k))
          g_hash_table_insert (own, k, v);
      plan = mend_plan_new_for_fix (MEND_TARGET (image), id, own, &error);
      if (plan == NULL)
        {
          mend_cli_print_error (id, error);
          return exit_code_for_error (error);
        }
      g_ptr_array_add (plans, plan);
      if (mend_plan_get_changes (plan)->len > 0)
        g_ptr_array_add (to_apply, plan);
      if (mend_plan_get_warning (plan) != NULL)
        lowers = TRUE;
    }

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < plans->len; i++)
        json_builder_add_value (b, mend_plan_to_json (g_ptr_array_index (plans, i)));
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  else
    {
      printf (_("Target: %s\n\n"), mend_image_get_root (image));
      for (guint i = 0; i < plans->len; i++)
        {
          g_autofree char *text = mend_plan_to_text (g_ptr_array_index (plans, i));

          printf ("%s\n", text);
        }
    }

  if (dry_run)
    {
      if (!json)
        printf ("%s\n", _("Dry run: nothing was written."));
      return MEND_EXIT_OK;
    }
  if (to_apply->len == 0)
    {
      /* Nothing to write is not the same as fixed: say what diagnosis still finds. */
      gboolean guidance_only = TRUE;

      for (guint i = 0; i < plans->len; i++)
        guidance_only &= mend_plan_get_link (g_ptr_array_index (plans, i)) != NULL;
      printf ("%s\n", _("There is nothing to write."));
      return guidance_only ? MEND_EXIT_OK : diagnose_again (image, fix_ids);
    }

  if (lowers && !lower_ok)
    {
      g_autofree char *answer = read_answer (
        _("This change LOWERS SECURITY (see the warning above). Type “yes” to go ahead, or "
          "anything else to stop:"));

      if (g_strcmp0 (answer, "yes") != 0 && g_strcmp0 (answer, _("yes")) != 0)
        {
          g_printerr (_("rdpmend-cli: not applied: a change that lowers security needs a typed "
                        "“yes” or --i-understand-this-lowers-security. Nothing was changed.\n"));
          return MEND_EXIT_FIX_REFUSED;
        }
    }
  else if (!yes)
    {
      g_autofree char *answer = read_answer (_("Apply these changes? [y/N]"));

      if (answer == NULL || (g_ascii_strcasecmp (answer, "y") != 0
                             && g_ascii_strcasecmp (answer, "yes") != 0))
        {
          g_printerr (_("rdpmend-cli: not applied (confirm with --yes). Nothing was changed.\n"));
          return MEND_EXIT_FIX_REFUSED;
        }
    }

  journal_id = mend_plans_apply (image, to_apply, NULL, NULL, &rolled_back, NULL, &error);
  if (journal_id == NULL)
    {
      mend_cli_print_error (NULL, error);
      return rolled_back ? MEND_EXIT_ROLLED_BACK : MEND_EXIT_FIX_REFUSED;
    }
  printf (_("Applied. Journal entry: %s (undo with “rdpmend-cli undo %s --image %s”)\n"),
          journal_id, journal_id, mend_image_get_root (image));

  {
    g_autoptr (GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

    /* Several fixes share steps ("restart"): say each once. */
    for (guint i = 0; i < to_apply->len; i++)
      {
        const char * const *steps = mend_plan_get_steps (g_ptr_array_index (to_apply, i));

        for (guint j = 0; steps[j] != NULL; j++)
          {
            if (!g_hash_table_add (shown, (gpointer) steps[j]))
              continue;
            if (g_hash_table_size (shown) == 1)
              printf ("%s\n", _("Next steps:"));
            printf ("  - %s\n", steps[j]);
          }
      }
  }
  return diagnose_again (image, fix_ids);
}

int
mend_cli_undo (int argc, char **argv)
{
  MendCliTargets targets = { 0 };
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Undo even if the hive changed since (restores only the keys the fix touched)"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) octx = g_option_context_new (_("[JOURNAL-ID] — undo an applied fix"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MendSession) session = NULL;
  g_autofree char *undone = NULL;
  MendImage *image;
  int rc;

  if (!mend_cli_parse_with_targets (octx, entries, &targets, &argc, &argv))
    return MEND_EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr (_("rdpmend-cli: undo takes at most one journal id\n"));
      mend_cli_targets_clear (&targets);
      return MEND_EXIT_USAGE;
    }
  session = mend_session_new ();
  image = single_image (&targets, session, &rc);
  mend_cli_targets_clear (&targets);
  if (image == NULL)
    return rc;
  if (!mend_journal_undo (image, argc == 2 ? argv[1] : NULL, force, &undone, &error))
    {
      mend_cli_print_error (_("undo"), error);
      return MEND_EXIT_FIX_REFUSED;
    }
  printf (_("Undone: %s. The registry keys it changed are as they were before.\n"), undone);
  return MEND_EXIT_OK;
}

int
mend_cli_journal (int argc, char **argv)
{
  MendCliTargets targets = { 0 };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) octx = g_option_context_new (_("— list applied fixes"));
  g_autoptr (GError) error = NULL;
  g_autoptr (MendSession) session = NULL;
  g_autoptr (GPtrArray) entries_list = NULL;
  MendImage *image;
  int rc;

  if (!mend_cli_parse_with_targets (octx, entries, &targets, &argc, &argv))
    return MEND_EXIT_USAGE;
  session = mend_session_new ();
  image = single_image (&targets, session, &rc);
  mend_cli_targets_clear (&targets);
  if (image == NULL)
    return rc;
  entries_list = mend_journal_list (image, &error);
  if (entries_list == NULL)
    {
      mend_cli_print_error (_("journal"), error);
      return MEND_EXIT_TARGET;
    }
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < entries_list->len; i++)
        {
          MendJournalEntry *e = g_ptr_array_index (entries_list, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, e->id);
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, e->state);
          json_builder_set_member_name (b, "created");
          json_builder_add_int_value (b, e->created);
          json_builder_set_member_name (b, "folder");
          json_builder_add_string_value (b, e->folder);
          json_builder_set_member_name (b, "fixes");
          json_builder_begin_array (b);
          for (guint j = 0; e->fix_ids[j] != NULL; j++)
            json_builder_add_string_value (b, e->fix_ids[j]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return MEND_EXIT_OK;
    }
  if (entries_list->len == 0)
    {
      printf ("%s\n", _("No fix has been applied to this installation."));
      return MEND_EXIT_OK;
    }
  for (guint i = 0; i < entries_list->len; i++)
    {
      MendJournalEntry *e = g_ptr_array_index (entries_list, i);
      g_autofree char *fixes = g_strjoinv (", ", e->fix_ids);

      /* "applying"/"undoing" on disk means the process stopped mid-way; undo handles it. */
      const char *state = g_strcmp0 (e->state, "applying") == 0 || g_strcmp0 (e->state, "undoing") == 0
                            ? _("interrupted") : e->state;

      printf ("%-48s %-12s %s\n", e->id, state, fixes);
    }
  return MEND_EXIT_OK;
}
