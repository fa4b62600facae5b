/* test-probe-servers.c — MendProbe against real xrdp and FreeRDP shadow servers on
 * 127.0.0.1, with certificates certtool makes at test time (mend-probe-servers.sh). */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "probe-test-util.h"

static char *dir;
static const char *script;
static GHashTable *ports;   /* name → port */
static gboolean have_shadow;

static guint16
port_of (const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (ports, name));
}

static MendProbe *
probe_server (const char *name)
{
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", port_of (name));
  return probe_run (hp, 3.0);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                       G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_socket_bind (s, any, FALSE, NULL);
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
run_script (const char *cmd, GPtrArray *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "bash");
  g_ptr_array_add (argv, (gpointer) script);
  g_ptr_array_add (argv, (gpointer) cmd);
  g_ptr_array_add (argv, dir);
  for (guint i = 0; extra && i < extra->len; i++)
    g_ptr_array_add (argv, extra->pdata[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                     NULL, &status, &error) || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s %s failed: %s\n", script, cmd, error->message);
      return FALSE;
    }
  return TRUE;
}

/* SHA-256 of the DER inside a PEM file, computed here (not by the code under test). */
static char *
pem_sha256 (const char *name)
{
  g_autofree char *path = g_build_filename (dir, "certs", name, NULL);
  g_autofree char *pem = NULL;
  g_autofree guchar *der = NULL;
  g_autoptr(GString) b64 = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gsize len;
  char *hex;

  ck_assert (g_file_get_contents (path, &pem, NULL, NULL));
  lines = g_strsplit (pem, "\n", -1);
  for (char **l = lines; *l; l++)
    if (**l && !g_str_has_prefix (*l, "-----"))
      g_string_append (b64, *l);
  der = g_base64_decode (b64->str, &len);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, len);
  for (char *c = hex; *c; c++)
    *c = g_ascii_toupper (*c);
  return hex;
}

static gboolean
has_version (MendProbe *p, const char *v)
{
  JsonArray *a = json_object_get_array_member (mend_finding_get_extra (probe_find (p,
                                                 "probe.summary")), "tls_versions");
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (g_str_equal (json_array_get_string_element (a, i), v))
      return TRUE;
  return FALSE;
}

static const char *
answer (MendProbe *p, const char *request)
{
  JsonObject *a = probe_summary_object (p, "answers");
  ck_assert_ptr_nonnull (a);
  return json_object_get_string_member (a, request);
}

START_TEST (test_xrdp_valid)
{
  g_autoptr(MendProbe) p = probe_server ("xrdp-valid");
  g_autoptr(MendProbe) byname = NULL;
  g_autofree char *hp = g_strdup_printf ("localhost:%u", port_of ("xrdp-valid"));
  g_autofree char *sha256 = pem_sha256 ("valid.crt");
  g_autofree char *ids = probe_ids (p);
  JsonObject *cert = probe_summary_object (p, "certificate");

  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "selected_protocol"), "ssl");
  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "nla"), "not-supported");
  ck_assert (has_version (p, "1.2"));
  ck_assert (!has_version (p, "1.0"));   /* xrdp.ini: ssl_protocols=TLSv1.2, TLSv1.3 */
  ck_assert_int_eq (mend_finding_get_severity (probe_find (p, "probe.summary")),
                    MEND_SEVERITY_OK);
  ck_assert_ptr_nonnull (cert);
  ck_assert_str_eq (json_object_get_string_member (cert, "sha256"), sha256);
  ck_assert_str_eq (json_object_get_string_member (cert, "subject"), "CN=localhost");
  /* Valid, names 127.0.0.1 and localhost; only the private CA is unknown here. */
  ck_assert_msg (probe_find (p, "probe.certificate-expired") == NULL, "%s", ids);
  ck_assert_msg (probe_find (p, "probe.certificate-name-mismatch") == NULL, "%s", ids);
  ck_assert_msg (probe_find (p, "probe.certificate-weak") == NULL, "%s", ids);
  ck_assert_str_eq (probe_extra_string (p, "probe.certificate-untrusted", "reason"),
                    "unknown-issuer");

  byname = probe_run (hp, 3.0);
  ck_assert_ptr_null (probe_find (byname, "probe.certificate-name-mismatch"));
  ck_assert_str_eq (probe_extra_string (byname, "probe.summary", "selected_protocol"), "ssl");
}
END_TEST

START_TEST (test_xrdp_certificates)
{
  g_autoptr(MendProbe) expired = probe_server ("xrdp-expired");
  g_autoptr(MendProbe) notyet = probe_server ("xrdp-notyet");
  g_autoptr(MendProbe) wrong = probe_server ("xrdp-wronghost");
  g_autoptr(MendProbe) self = probe_server ("xrdp-selfsigned");
  g_autofree char *ids = probe_ids (self);

  ck_assert_str_eq (probe_extra_string (expired, "probe.certificate-expired", "reason"),
                    "expired");
  ck_assert_int_eq (mend_finding_get_severity (probe_find (expired, "probe.summary")),
                    MEND_SEVERITY_INFO);
  ck_assert_str_eq (probe_extra_string (notyet, "probe.certificate-expired", "reason"),
                    "not-yet-valid");
  ck_assert_ptr_nonnull (probe_find (wrong, "probe.certificate-name-mismatch"));
  ck_assert_ptr_null (probe_find (wrong, "probe.certificate-expired"));
  ck_assert_str_eq (probe_extra_string (self, "probe.certificate-untrusted", "reason"),
                    "self-signed");
  ck_assert_msg (probe_find (self, "probe.certificate-name-mismatch") == NULL, "%s", ids);
  ck_assert_msg (probe_find (self, "probe.certificate-expired") == NULL, "%s", ids);
}
END_TEST

START_TEST (test_xrdp_security_layers)
{
  g_autoptr(MendProbe) rdp = probe_server ("xrdp-rdp");
  g_autoptr(MendProbe) nocert = probe_server ("xrdp-nocert");
  g_autoptr(MendProbe) tls = probe_server ("xrdp-tls10");

  /* security_layer=rdp: xrdp selects standard security rather than failing. */
  ck_assert_ptr_nonnull (probe_find (rdp, "probe.legacy-rdp-security"));
  ck_assert_str_eq (answer (rdp, "ssl"), "rdp");
  /* security_layer=tls without a certificate file. */
  ck_assert_str_eq (probe_extra_string (nocert, "probe.negotiation-failure", "code"),
                    "ssl-cert-not-on-server");
  /* security_layer=tls, CredSSP alone asked for: SSL_REQUIRED_BY_SERVER. */
  ck_assert_str_eq (answer (tls, "hybrid"), "ssl-required");
  ck_assert_str_eq (answer (tls, "rdp"), "ssl-required");
}
END_TEST

/* An old server: TLS 1.0 only, RSA-1024 / SHA-1. Reachable RDP with TLS 1.0 — not "not RDP". */
START_TEST (test_xrdp_tls10_only)
{
  g_autoptr(MendProbe) p = probe_server ("xrdp-tls10");
  const char *selected = probe_extra_string (p, "probe.summary", "selected_protocol");
  JsonArray *versions = json_object_get_array_member (
    mend_finding_get_extra (probe_find (p, "probe.summary")), "tls_versions");
  JsonObject *attempts = probe_summary_object (p, "tls_attempts");

  ck_assert_str_eq (selected, "ssl");
  ck_assert_ptr_null (probe_find (p, "probe.not-rdp"));
  ck_assert_ptr_null (probe_find (p, "probe.tls-failed"));
  ck_assert_uint_eq (json_array_get_length (versions), 1);
  ck_assert_str_eq (json_array_get_string_element (versions, 0), "1.0");
  ck_assert (g_str_has_prefix (json_object_get_string_member (attempts, "1.2"), "refused"));
  ck_assert_ptr_nonnull (probe_find (p, "probe.certificate-weak"));
  ck_assert_uint_eq (json_object_get_int_member (probe_summary_object (p, "certificate"),
                                                 "key_bits"), 1024);
  {
    JsonArray *problems = json_object_get_array_member (probe_summary_object (p, "certificate"),
                                                        "problems");
    g_autoptr(GString) all = g_string_new (NULL);
    for (guint i = 0; i < json_array_get_length (problems); i++)
      g_string_append_printf (all, " %s", json_array_get_string_element (problems, i));
    ck_assert_str_eq (all->str, " self-signed weak-signature weak-key");
  }
}
END_TEST

START_TEST (test_shadow)
{
  g_autoptr(MendProbe) nla = NULL;
  g_autoptr(MendProbe) tls = NULL;
  g_autoptr(MendProbe) rdp = NULL;

  if (!have_shadow)
    {
      g_printerr ("note: FreeRDP shadow server or Xvfb missing: shadow cases not run\n");
      return;
    }
  nla = probe_server ("shadow-nla");
  tls = probe_server ("shadow-tls");
  rdp = probe_server ("shadow-rdp");

  /* /sec:nla: CredSSP selected; TLS alone gets HYBRID_REQUIRED_BY_SERVER. */
  ck_assert_str_eq (probe_extra_string (nla, "probe.summary", "selected_protocol"), "hybrid");
  ck_assert_str_eq (answer (nla, "ssl"), "hybrid-required");
  ck_assert_str_eq (probe_extra_string (nla, "probe.summary", "nla"), "required");
  ck_assert (json_object_get_boolean_member (mend_finding_get_extra (probe_find (nla,
                                               "probe.summary")), "nla_required"));
  ck_assert (has_version (nla, "1.2"));
  /* /sec:tls: TLS selected; CredSSP alone gets SSL_REQUIRED_BY_SERVER. */
  ck_assert_str_eq (probe_extra_string (tls, "probe.summary", "selected_protocol"), "ssl");
  ck_assert_str_eq (answer (tls, "hybrid"), "ssl-required");
  ck_assert_str_eq (probe_extra_string (tls, "probe.summary", "nla"), "not-supported");
  /* /sec:rdp: SSL_NOT_ALLOWED_BY_SERVER, and standard security alone is accepted. */
  ck_assert_str_eq (probe_extra_string (rdp, "probe.negotiation-failure", "code"),
                    "ssl-not-allowed");
  ck_assert_str_eq (answer (rdp, "rdp"), "rdp");
}
END_TEST

static pid_t parent;

/* atexit also runs in Check's forked test children: only the parent stops the servers. */
/* Runs rdpmend-cli with ARGS (and ENV_EXTRA "NAME=VALUE" or NULL); returns stdout. */
static char *
run_cli (const char * const *args, const char *env_extra, int *exit_code)
{
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MEND_CLI"));
  g_ptr_array_add (argv, (gpointer) "probe");
  for (const char * const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  if (env_extra != NULL)
    {
      g_auto(GStrv) kv = g_strsplit (env_extra, "=", 2);
      g_subprocess_launcher_setenv (l, kv[0], kv[1], TRUE);
    }
  proc = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  ck_assert_msg (proc != NULL, "%s", error ? error->message : "");
  ck_assert (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error));
  *exit_code = g_subprocess_get_exit_status (proc);
  return out;
}

static JsonObject *
json_finding (JsonNode *root, const char *target, const char *id)
{
  JsonArray *findings = json_object_get_array_member (json_node_get_object (root), "findings");

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      if (g_str_equal (json_object_get_string_member (f, "target"), target) &&
          g_str_equal (json_object_get_string_member (f, "id"), id))
        return f;
    }
  return NULL;
}

/* The CLI end to end: --probe-file, --json, exit codes; and a GnuTLS system policy that
 * forbids TLS 1.0 (GNUTLS_SYSTEM_PRIORITY_FILE): the TLS-1.0-only server is reported with
 * 1.0 "not tested", never as refusing it. */
START_TEST (test_cli_policy)
{
  g_autofree char *file = g_build_filename (dir, "hosts.txt", NULL);
  g_autofree char *policy = g_build_filename (dir, "gnutls-no-tls10.conf", NULL);
  g_autofree char *env = g_strdup_printf ("GNUTLS_SYSTEM_PRIORITY_FILE=%s", policy);
  g_autofree char *hosts = g_strdup_printf ("# servers\n127.0.0.1:%u\n\n127.0.0.1:%u  # valid\n",
                                            port_of ("xrdp-tls10"), port_of ("xrdp-valid"));
  g_autofree char *t10 = g_strdup_printf ("probe:127.0.0.1:%u", port_of ("xrdp-tls10"));
  g_autofree char *tv = g_strdup_printf ("probe:127.0.0.1:%u", port_of ("xrdp-valid"));
  const char *args[] = { "--json", "--timeout", "3", "--parallel", "2", "--probe-file", file,
                         NULL };
  const char *bad_args[] = { "host:0", NULL };
  const char *no_args[] = { "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *ignored2 = NULL;
  JsonObject *failed, *summary, *attempts;
  int code = -1;

  ck_assert (g_file_set_contents (file, hosts, -1, NULL));
  ck_assert (g_file_set_contents (policy, "[overrides]\ndisabled-version = tls1.0\n", -1, NULL));
  out = run_cli (args, env, &code);
  ck_assert_int_eq (code, 1);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, NULL), "%s", out);
  ck_assert_int_eq (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                                "schema"), 1);

  failed = json_finding (json_parser_get_root (parser), t10, "probe.tls-failed");
  ck_assert_msg (failed != NULL, "%s", out);
  ck_assert_str_eq (json_object_get_string_member (failed, "confidence"), "likely");
  attempts = json_object_get_object_member (failed, "tls_attempts");
  ck_assert (g_str_has_prefix (json_object_get_string_member (attempts, "1.0"), "not-tested"));
  ck_assert (g_str_has_prefix (json_object_get_string_member (attempts, "1.2"), "refused"));
  ck_assert_ptr_null (json_finding (json_parser_get_root (parser), t10, "probe.not-rdp"));

  summary = json_finding (json_parser_get_root (parser), tv, "probe.summary");
  ck_assert_ptr_nonnull (summary);
  ck_assert_str_eq (json_object_get_string_member (summary, "selected_protocol"), "ssl");

  ignored = run_cli (bad_args, NULL, &code);
  ck_assert_int_eq (code, 2);
  ignored2 = run_cli (no_args, NULL, &code);
  ck_assert_int_eq (code, 2);
}
END_TEST

static void
stop_servers (void)
{
  if (dir != NULL && getpid () == parent)
    run_script ("stop", NULL);
}

int
main (void)
{
  static const char *xrdp_names[] = { "xrdp-valid", "xrdp-expired", "xrdp-notyet",
                                      "xrdp-wronghost", "xrdp-selfsigned", "xrdp-rdp",
                                      "xrdp-nocert", "xrdp-tls10", NULL };
  static const char *shadow_names[] = { "shadow-nla", "shadow-tls", "shadow-rdp", NULL };
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shadow_specs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *xrdp = g_find_program_in_path ("xrdp");
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autofree char *shadow = g_find_program_in_path ("freerdp-shadow-cli");
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  Suite *s = suite_create ("probe-servers");
  TCase *tc = tcase_create ("servers");
  SRunner *sr;
  int failed;

  script = g_getenv ("MEND_PROBE_SERVERS");
  if (script == NULL || xrdp == NULL || certtool == NULL)
    {
      g_printerr ("SKIP: needs xrdp, certtool and MEND_PROBE_SERVERS (run through ctest)\n");
      return 77;
    }
  dir = g_dir_make_tmp ("mend-probe-servers-XXXXXX", NULL);
  ports = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; xrdp_names[i]; i++)
    {
      guint16 port = free_port ();
      g_hash_table_insert (ports, (gpointer) xrdp_names[i], GUINT_TO_POINTER (port));
      g_ptr_array_add (specs, g_strdup_printf ("%s=%u", xrdp_names[i], port));
    }
  parent = getpid ();
  atexit (stop_servers);
  if (!run_script ("start", specs))
    return 1;
  have_shadow = shadow != NULL && xvfb != NULL;
  if (have_shadow)
    {
      for (guint i = 0; shadow_names[i]; i++)
        {
          guint16 port = free_port ();
          g_hash_table_insert (ports, (gpointer) shadow_names[i], GUINT_TO_POINTER (port));
          g_ptr_array_add (shadow_specs, g_strdup_printf ("%s=%u", shadow_names[i], port));
        }
      if (!run_script ("start", shadow_specs))
        return 1;
    }

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_xrdp_valid);
  tcase_add_test (tc, test_xrdp_certificates);
  tcase_add_test (tc, test_xrdp_security_layers);
  tcase_add_test (tc, test_xrdp_tls10_only);
  tcase_add_test (tc, test_shadow);
  if (g_getenv ("MEND_CLI") != NULL)
    tcase_add_test (tc, test_cli_policy);
  else
    g_printerr ("note: MEND_CLI is not set: the CLI case is not run\n");
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
