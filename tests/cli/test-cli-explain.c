/* test-cli-explain.c — runs the built rdpmend-cli: `explain` text, JSON and exit codes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

static char *cli_path;

/* Runs rdpmend-cli with ARGV (NULL-terminated, without the program), returns the exit code. */
static int
run_cli (const char * const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, cli_path);
  for (; *args; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  /* Untranslated, UTF-8 output so the assertions see the source strings. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error),
                 "cannot run %s: %s", cli_path, error ? error->message : "");
  ck_assert (WIFEXITED (status));
  return WEXITSTATUS (status);
}

START_TEST (test_explain_904_7_text)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "0x904/0x7", NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  ck_assert_ptr_nonnull (strstr (out, "0x904 (2308)"));
  ck_assert_ptr_nonnull (strstr (out, "disconnectReasonAtClientWinsockFDCLOSE"));
  ck_assert_ptr_nonnull (strstr (out, "socket closed"));
  ck_assert_ptr_nonnull (strstr (out, "exDiscReasonServerDeniedConnection"));
  ck_assert_ptr_nonnull (strstr (out, "The server denied (refused) the connection."));
  ck_assert_ptr_nonnull (strstr (out, "Likely causes:"));
  ck_assert_ptr_nonnull (strstr (out, "RDP-Tcp listener"));
  ck_assert_ptr_nonnull (strstr (out, "What to check:"));
  ck_assert_ptr_nonnull (strstr (out, "qwinsta"));
  ck_assert_ptr_nonnull (strstr (out, "Resetting MSLicensing helps only"));
  ck_assert_ptr_nonnull (strstr (out, "server.listener-disabled"));
  ck_assert_str_eq (err, "");
}
END_TEST

START_TEST (test_explain_2308_text)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "2308", NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  ck_assert_ptr_nonnull (strstr (out, "0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE"));
  ck_assert_ptr_null (strstr (out, "Extended error code"));
  ck_assert_ptr_nonnull (strstr (out, "event 1026"));
  ck_assert_ptr_nonnull (strstr (out, "probe.unreachable"));
}
END_TEST

START_TEST (test_explain_spaced_args)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "0X904", "/", "0X7", NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  ck_assert_ptr_nonnull (strstr (out, "exDiscReasonServerDeniedConnection"));
}
END_TEST

START_TEST (test_explain_json)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "--json", "2308/7", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "%s", out);
  o = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (o, "code"), 2308);
  ck_assert_int_eq (json_object_get_int_member (o, "extended"), 7);
  ck_assert_str_eq (json_object_get_string_member (o, "name"), "disconnectReasonAtClientWinsockFDCLOSE");
  ck_assert_uint_gt (json_array_get_length (json_object_get_array_member (o, "findings")), 5);
}
END_TEST

START_TEST (test_explain_undocumented)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "0x1104/0x10C9", NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  ck_assert_ptr_nonnull (strstr (out, "(undocumented)"));
  ck_assert_ptr_nonnull (strstr (out, "server's event log"));
}
END_TEST

static const char * const bad_inputs[] = { "garbage", "-1", "0x904/", "4294967296", "0x904/0x7/0" };

START_TEST (test_explain_bad_input)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", "--", bad_inputs[_i], NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 2);
  ck_assert_str_eq (out, "");
  ck_assert_ptr_nonnull (strstr (err, "is not an error code"));
}
END_TEST

START_TEST (test_explain_missing_code)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "explain", NULL };

  ck_assert_int_eq (run_cli (args, &out, &err), 2);
  ck_assert_ptr_nonnull (strstr (err, "needs an error code"));
}
END_TEST

int
main (void)
{
  const char *build = g_getenv ("MEND_BUILD_DIR");
  Suite *s = suite_create ("cli-explain");
  TCase *tc = tcase_create ("cli");
  SRunner *sr;
  int failed;

  if (build == NULL)
    {
      g_printerr ("SKIP: MEND_BUILD_DIR is not set; run through ctest\n");
      return 77;
    }
  cli_path = g_build_filename (build, "src", "cli", "rdpmend-cli", NULL);
  if (!g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("SKIP: %s has not been built\n", cli_path);
      return 77;
    }

  tcase_add_test (tc, test_explain_904_7_text);
  tcase_add_test (tc, test_explain_2308_text);
  tcase_add_test (tc, test_explain_spaced_args);
  tcase_add_test (tc, test_explain_json);
  tcase_add_test (tc, test_explain_undocumented);
  tcase_add_loop_test (tc, test_explain_bad_input, 0, G_N_ELEMENTS (bad_inputs));
  tcase_add_test (tc, test_explain_missing_code);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  g_free (cli_path);
  return failed == 0 ? 0 : 1;
}
