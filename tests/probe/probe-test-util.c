/* probe-test-util.c — shared helpers of the probe integration tests. */
#include "probe-test-util.h"

#include <check.h>
#include <string.h>

MendFinding *
probe_find (MendProbe *probe, const char *id)
{
  GPtrArray *findings = mend_probe_get_findings (probe);

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (mend_finding_get_id (findings->pdata[i]), id))
      return findings->pdata[i];
  return NULL;
}

char *
probe_ids (MendProbe *probe)
{
  GPtrArray *findings = mend_probe_get_findings (probe);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", mend_finding_get_id (findings->pdata[i]));
  return g_string_free (s, FALSE);
}

const char *
probe_extra_string (MendProbe *probe, const char *id, const char *name)
{
  MendFinding *f = probe_find (probe, id);
  g_autofree char *ids = probe_ids (probe);

  ck_assert_msg (f != NULL, "%s: no %s among [%s]", mend_probe_get_target (probe), id, ids);
  return json_object_get_string_member_with_default (mend_finding_get_extra (f), name, "");
}

JsonObject *
probe_summary_object (MendProbe *probe, const char *name)
{
  MendFinding *f = probe_find (probe, "probe.summary");
  JsonObject *extra;

  if (f == NULL)
    return NULL;
  extra = mend_finding_get_extra (f);
  if (!json_object_has_member (extra, name) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (extra, name)))
    return NULL;
  return json_object_get_object_member (extra, name);
}

MendProbe *
probe_run (const char *host_port, double timeout)
{
  g_autoptr(GError) error = NULL;
  MendProbe *probe = mend_probe_new (host_port, &error);

  ck_assert_msg (probe != NULL, "%s", error ? error->message : "");
  mend_probe_set_timeout (probe, timeout);
  ck_assert_msg (mend_probe_run (probe, NULL, &error), "%s", error ? error->message : "");
  return probe;
}

HostilePeer *
hostile_peer_start (const char *pcap, const char * const *modes)
{
  const char *exe = g_getenv ("MEND_HOSTILE_PEER");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  HostilePeer *peer;

  if (exe == NULL)
    g_error ("MEND_HOSTILE_PEER is not set (run through ctest)");
  g_ptr_array_add (argv, (gpointer) exe);
  if (pcap != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--pcap");
      g_ptr_array_add (argv, (gpointer) pcap);
    }
  for (const char * const *m = modes; *m; m++)
    g_ptr_array_add (argv, (gpointer) *m);
  g_ptr_array_add (argv, NULL);

  peer = g_new0 (HostilePeer, 1);
  peer->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Its stdin is a pipe we hold: when the test process ends, the peer ends too. */
  peer->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (peer->process == NULL)
    g_error ("cannot start %s: %s", exe, error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);
      char *space;

      if (line == NULL)
        g_error ("the hostile peer did not start: %s",
                     error ? error->message : "end of output");
      if (g_str_equal (line, "ready"))
        break;
      space = strchr (line, ' ');
      if (space == NULL)
        g_error ("unexpected line from the hostile peer: %s", line);
      *space = '\0';
      g_hash_table_insert (peer->ports, g_strdup (line),
                           GUINT_TO_POINTER ((guint) atoi (space + 1)));
    }
  return peer;
}

guint16
hostile_peer_port (HostilePeer *peer, const char *mode)
{
  guint port = GPOINTER_TO_UINT (g_hash_table_lookup (peer->ports, mode));

  ck_assert_msg (port != 0, "no listener for mode %s", mode);
  return port;
}

void
hostile_peer_stop (HostilePeer *peer)
{
  if (peer == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (peer->process), NULL, NULL);
  if (!g_subprocess_wait (peer->process, NULL, NULL))
    g_subprocess_force_exit (peer->process);
  g_object_unref (peer->process);
  g_hash_table_unref (peer->ports);
  g_free (peer);
}
