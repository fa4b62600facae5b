/* test-probe-replay.c — a real Windows Server 2008 R2's replies (../shared/data/pcap/
 * rdp-to-ssl.pcap), replayed byte for byte by the test peer, parsed by MendProbe. */
#include <check.h>
#include <string.h>

#include "probe-test-util.h"

static HostilePeer *peer;

START_TEST (test_windows_replay)
{
  g_autofree char *hp = g_strdup_printf ("127.0.0.1:%u", hostile_peer_port (peer, "replay"));
  g_autoptr(MendProbe) p = probe_run (hp, 2.0);
  g_autofree char *ids = probe_ids (p);
  JsonObject *cert = probe_summary_object (p, "certificate");
  JsonObject *attempts = probe_summary_object (p, "tls_attempts");

  /* Frame 6: RDP_NEG_RSP, CredSSP selected, EXTENDED_CLIENT_DATA_SUPPORTED. */
  ck_assert_msg (probe_find (p, "probe.summary") != NULL, "%s", ids);
  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "selected_protocol"), "hybrid");
  ck_assert_str_eq (probe_extra_string (p, "probe.summary", "negotiation_flags"),
                    "extended-client-data");
  ck_assert_ptr_null (probe_find (p, "probe.not-rdp"));

  /* Frame 9: ServerHello (TLS 1.0, TLS_RSA_WITH_AES_128_CBC_SHA) + the server certificate,
   * read even though a replayed handshake cannot finish (the randoms differ). */
  ck_assert_msg (cert != NULL, "no certificate recorded: %s", ids);
  ck_assert_str_eq (json_object_get_string_member (cert, "subject"),
                    "CN=WIN2K8R2.awakecoding.ath.cx");
  ck_assert_str_eq (json_object_get_string_member (cert, "issuer"),
                    "CN=WIN2K8R2.awakecoding.ath.cx");
  ck_assert_ptr_nonnull (probe_find (p, "probe.certificate-weak"));       /* SHA-1 signed */
  ck_assert_str_eq (probe_extra_string (p, "probe.certificate-untrusted", "reason"),
                    "self-signed");
  ck_assert_ptr_nonnull (probe_find (p, "probe.certificate-name-mismatch"));
  /* Nothing is claimed about versions the replay could not complete. */
  ck_assert_ptr_nonnull (attempts);
  ck_assert (!g_str_equal (json_object_get_string_member (attempts, "1.0"), "accepted"));
  ck_assert_ptr_nonnull (probe_find (p, "probe.tls-failed"));
}
END_TEST

int
main (void)
{
  const char *data = g_getenv ("MEND_SHARED_DATA");
  g_autofree char *pcap = data ? g_build_filename (data, "pcap", "rdp-to-ssl.pcap", NULL) : NULL;
  static const char * const modes[] = { "replay", NULL };
  Suite *s = suite_create ("probe-replay");
  TCase *tc = tcase_create ("replay");
  SRunner *sr;
  int failed;

  if (pcap == NULL || !g_file_test (pcap, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("SKIP: %s is absent (set MEND_SHARED_DATA to ../shared/data)\n",
                  pcap ? pcap : "MEND_SHARED_DATA/pcap/rdp-to-ssl.pcap");
      return 77;
    }
  if (g_getenv ("MEND_HOSTILE_PEER") == NULL)
    {
      g_printerr ("SKIP: MEND_HOSTILE_PEER is not set; run this test through ctest\n");
      return 77;
    }
  peer = hostile_peer_start (pcap, modes);
  tcase_add_test (tc, test_windows_replay);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  hostile_peer_stop (peer);
  return failed == 0 ? 0 : 1;
}
