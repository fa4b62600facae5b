/* mend-cli-probe.c — `rdpmend-cli probe HOST[:PORT]...`: probes many servers at once and
 * prints the probe.* findings as text or as a schema-1 JSON document. */
#include "mend-cli.h"

#include <string.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "base/mend-finding.h"
#include "probe/mend-probe.h"

typedef struct {
  GMainLoop *loop;
  GError    *error;
} ProbeRun;

static void
on_probes_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ProbeRun *run = user_data;

  mend_probe_run_many_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* One host per line; blank lines and '#' comments are skipped. */
static gboolean
read_probe_file (const char *path, GPtrArray *hosts, GError **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char *hash = strchr (*l, '#');
      if (hash)
        *hash = '\0';
      g_strstrip (*l);
      if (**l)
        g_ptr_array_add (hosts, g_strdup (*l));
    }
  return TRUE;
}

static void
print_text (GPtrArray *probes)
{
  for (guint i = 0; i < probes->len; i++)
    {
      MendProbe *probe = probes->pdata[i];
      GPtrArray *findings = mend_probe_get_findings (probe);

      g_print ("%s\n", mend_probe_get_target (probe));
      for (guint j = 0; j < findings->len; j++)
        {
          MendFinding *f = findings->pdata[j];
          const char *detail = mend_finding_get_detail (f);
          JsonObject *extra = mend_finding_get_extra (f);
          const char *code = json_object_get_string_member_with_default (extra, "code", NULL);
          const char *reason = json_object_get_string_member_with_default (extra, "reason",
                                                                           NULL);

          g_print ("  %-8s %s: %s", mend_severity_to_label (mend_finding_get_severity (f)),
                   mend_finding_get_id (f), mend_finding_get_title (f));
          if (code || reason)
            g_print (" [%s]", code ? code : reason);
          g_print ("\n");
          if (detail)
            g_print ("           %s\n", detail);
        }
    }
}

static void
print_json (GPtrArray *probes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "rdpmend");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, MEND_VERSION);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "targets");
  json_builder_begin_array (b);
  for (guint i = 0; i < probes->len; i++)
    {
      MendProbe *probe = probes->pdata[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "probe");
      json_builder_set_member_name (b, "host");
      json_builder_add_string_value (b, mend_probe_get_host (probe));
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, mend_probe_get_port (probe));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < probes->len; i++)
    {
      GPtrArray *findings = mend_probe_get_findings (probes->pdata[i]);
      for (guint j = 0; j < findings->len; j++)
        json_builder_add_value (b, mend_finding_to_json (findings->pdata[j]));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

int
mend_cli_probe (int argc, char **argv)
{
  gboolean json = FALSE;
  double timeout = MEND_PROBE_DEFAULT_TIMEOUT;
  int parallel = 16;
  g_autofree char *probe_file = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = NULL;
  ProbeRun run = { 0 };
  guint sigint;
  int exit_code = MEND_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON document"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
      N_("Seconds allowed for each step (default 5)"), N_("SECONDS") },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &parallel,
      N_("Servers probed at the same time (default 16)"), "N" },
    { "probe-file", 0, 0, G_OPTION_ARG_FILENAME, &probe_file,
      N_("Read hosts from FILE, one per line"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("HOST[:PORT]… — probe Remote Desktop servers"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mend_cli_print_error (NULL, error);
      return MEND_EXIT_USAGE;
    }
  if (timeout <= 0 || parallel < 1 || parallel > 4096)
    {
      g_printerr (_("rdpmend-cli: --timeout must be positive and --parallel between 1 and "
                    "4096\n"));
      return MEND_EXIT_USAGE;
    }

  /* argv[0] is the sub-command (or program) name. */
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (hosts, g_strdup (argv[i]));
  if (probe_file != NULL && !read_probe_file (probe_file, hosts, &error))
    {
      mend_cli_print_error (probe_file, error);
      return MEND_EXIT_USAGE;
    }
  if (hosts->len == 0)
    {
      g_printerr (_("rdpmend-cli: name at least one HOST[:PORT] to probe (or --probe-file)\n"));
      return MEND_EXIT_USAGE;
    }

  for (guint i = 0; i < hosts->len; i++)
    {
      MendProbe *probe = mend_probe_new (hosts->pdata[i], &error);
      if (probe == NULL)
        {
          mend_cli_print_error (NULL, error);
          return MEND_EXIT_USAGE;
        }
      mend_probe_set_timeout (probe, timeout);
      g_ptr_array_add (probes, probe);
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  sigint = g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);
  mend_probe_run_many_async (probes, parallel, cancellable, on_probes_done_cb, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);

  if (run.error != NULL)
    {
      mend_cli_print_error (NULL, run.error);
      g_clear_error (&run.error);
      return MEND_EXIT_PROBLEM;
    }

  if (json)
    print_json (probes);
  else
    print_text (probes);

  for (guint i = 0; i < probes->len; i++)
    {
      GPtrArray *findings = mend_probe_get_findings (probes->pdata[i]);
      for (guint j = 0; j < findings->len; j++)
        if (mend_finding_get_severity (findings->pdata[j]) == MEND_SEVERITY_PROBLEM)
          exit_code = MEND_EXIT_PROBLEM;
    }
  return exit_code;
}
