/* test-x224.c — the X.224 / RDP_NEG builder and parser against the spec's bytes, a real
 * Windows confirm, and every truncation and single-byte corruption of them. */
#include <check.h>
#include <string.h>

#include "base/mend-error.h"
#include "probe/mend-x224.h"

static void
assert_bytes (GBytes *b, const guint8 *expected, gsize len)
{
  gsize got_len;
  const guint8 *got = g_bytes_get_data (b, &got_len);

  ck_assert_uint_eq (got_len, len);
  ck_assert_mem_eq (got, expected, len);
}

/* DOMAIN.md §2.2 example bytes (MS-RDPBCGR 4.1.1 layout). */
START_TEST (test_request_no_cookie)
{
  static const guint8 expected[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00 };
  g_autoptr(GBytes) b = mend_x224_build_request (0x03, 0, NULL);
  assert_bytes (b, expected, sizeof expected);
}
END_TEST

START_TEST (test_request_cookie)
{
  static const guint8 eltons[] = {
    0x03, 0x00, 0x00, 0x2C, 0x27, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x43, 0x6F, 0x6F, 0x6B,
    0x69, 0x65, 0x3A, 0x20, 0x6D, 0x73, 0x74, 0x73, 0x68, 0x61, 0x73, 0x68, 0x3D, 0x65, 0x6C,
    0x74, 0x6F, 0x6E, 0x73, 0x0D, 0x0A, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 };
  static const guint8 user[] = {
    0x03, 0x00, 0x00, 0x2A, 0x25, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x43, 0x6F, 0x6F, 0x6B,
    0x69, 0x65, 0x3A, 0x20, 0x6D, 0x73, 0x74, 0x73, 0x68, 0x61, 0x73, 0x68, 0x3D, 0x75, 0x73,
    0x65, 0x72, 0x0D, 0x0A, 0x01, 0x00, 0x08, 0x00, 0x0B, 0x00, 0x00, 0x00 };
  g_autoptr(GBytes) a = mend_x224_build_request (MEND_RDP_PROTOCOL_RDP, 0, "eltons");
  g_autoptr(GBytes) b = mend_x224_build_request (0x0B, 0, "user");

  assert_bytes (a, eltons, sizeof eltons);
  assert_bytes (b, user, sizeof user);
}
END_TEST

static MendX224Confirm
parse_ok (const guint8 *data, gsize len)
{
  MendX224Confirm cc;
  g_autoptr(GError) error = NULL;

  ck_assert_msg (mend_x224_parse_confirm (data, len, &cc, &error), "parse failed: %s",
                 error ? error->message : "");
  return cc;
}

START_TEST (test_confirm_examples)
{
  static const guint8 tls[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34,
                                0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00 };
  static const guint8 credssp[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34,
                                    0x00, 0x02, 0x0F, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00 };
  static const guint8 hybrid_req[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12,
                                       0x34, 0x00, 0x03, 0x00, 0x08, 0x00, 0x05, 0x00, 0x00,
                                       0x00 };
  static const guint8 no_cert[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34,
                                    0x00, 0x03, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00 };
  MendX224Confirm cc;
  g_autofree char *flags = NULL;

  cc = parse_ok (tls, sizeof tls);
  ck_assert_int_eq (cc.kind, MEND_X224_REPLY_NEG_RESPONSE);
  ck_assert_uint_eq (cc.selected_protocol, MEND_RDP_PROTOCOL_SSL);
  ck_assert_uint_eq (cc.src_ref, 0x1234);

  cc = parse_ok (credssp, sizeof credssp);
  ck_assert_uint_eq (cc.selected_protocol, MEND_RDP_PROTOCOL_HYBRID);
  ck_assert_uint_eq (cc.neg_flags, 0x0F);
  flags = mend_rdp_neg_flags_to_string (cc.neg_flags);
  ck_assert_str_eq (flags, "extended-client-data,gfx,reserved,restricted-admin");

  cc = parse_ok (hybrid_req, sizeof hybrid_req);
  ck_assert_int_eq (cc.kind, MEND_X224_REPLY_NEG_FAILURE);
  ck_assert_uint_eq (cc.failure_code, 5);
  ck_assert_str_eq (mend_rdp_failure_to_string (cc.failure_code), "hybrid-required");

  cc = parse_ok (no_cert, sizeof no_cert);
  ck_assert_str_eq (mend_rdp_failure_to_spec_name (cc.failure_code), "SSL_CERT_NOT_ON_SERVER");
}
END_TEST

/* The 19 bytes a Windows Server 2008 R2 sent in ../shared/data/pcap/rdp-to-ssl.pcap
 * (frame 6): CredSSP selected, EXTENDED_CLIENT_DATA_SUPPORTED. */
START_TEST (test_confirm_windows)
{
  static const guint8 win[] = { 0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                                0x00, 0x02, 0x01, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00 };
  MendX224Confirm cc = parse_ok (win, sizeof win);

  ck_assert_int_eq (cc.kind, MEND_X224_REPLY_NEG_RESPONSE);
  ck_assert_str_eq (mend_rdp_protocol_to_string (cc.selected_protocol), "hybrid");
  ck_assert_uint_eq (cc.neg_flags, MEND_RDP_NEG_EXTENDED_CLIENT_DATA_SUPPORTED);
}
END_TEST

START_TEST (test_confirm_roundtrip)
{
  for (guint32 code = 0; code <= 8; code++)
    {
      g_autoptr(GBytes) f = mend_x224_build_confirm (MEND_X224_REPLY_NEG_FAILURE, 0, code);
      g_autoptr(GBytes) r = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0x1f, code);
      gsize len;
      const guint8 *d = g_bytes_get_data (f, &len);
      MendX224Confirm cc = parse_ok (d, len);

      ck_assert_int_eq (cc.kind, MEND_X224_REPLY_NEG_FAILURE);
      ck_assert_uint_eq (cc.failure_code, code);
      ck_assert_int_eq (mend_rdp_failure_to_string (code) != NULL, code >= 1 && code <= 6);
      d = g_bytes_get_data (r, &len);
      cc = parse_ok (d, len);
      ck_assert_uint_eq (cc.selected_protocol, code);
      ck_assert_uint_eq (cc.neg_flags, 0x1f);
    }
}
END_TEST

START_TEST (test_confirm_legacy_and_disconnect)
{
  g_autoptr(GBytes) legacy = mend_x224_build_confirm (MEND_X224_REPLY_NEG_NONE, 0, 0);
  g_autoptr(GBytes) dr = mend_x224_build_confirm (MEND_X224_REPLY_DISCONNECT, 0, 0);
  gsize len;
  const guint8 *d = g_bytes_get_data (legacy, &len);
  MendX224Confirm cc;

  ck_assert_uint_eq (len, 11);
  cc = parse_ok (d, len);
  ck_assert_int_eq (cc.kind, MEND_X224_REPLY_NEG_NONE);
  d = g_bytes_get_data (dr, &len);
  cc = parse_ok (d, len);
  ck_assert_int_eq (cc.kind, MEND_X224_REPLY_DISCONNECT);
}
END_TEST

static void
parse_fails (const guint8 *data, gsize len, const char *fragment)
{
  MendX224Confirm cc;
  g_autoptr(GError) error = NULL;

  ck_assert (!mend_x224_parse_confirm (data, len, &cc, &error));
  ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
  if (fragment)
    ck_assert_msg (strstr (error->message, fragment) != NULL, "“%s” lacks “%s”",
                   error->message, fragment);
}

START_TEST (test_confirm_malformed)
{
  guint8 good[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34,
                    0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00 };
  guint8 b[sizeof good + 4];

  /* Every truncation. */
  for (gsize n = 0; n < sizeof good; n++)
    parse_fails (good, n, NULL);

  memcpy (b, good, sizeof good);
  b[13] = 0xff;                     /* neg length 0x00ff */
  parse_fails (b, sizeof good, "length 255");

  memcpy (b, good, sizeof good);
  b[4] = 0x20;                      /* LI beyond the TPKT */
  parse_fails (b, sizeof good, "length indicator");

  memcpy (b, good, sizeof good);
  b[11] = 0x07;                     /* unknown negotiation type */
  parse_fails (b, sizeof good, "0x07");

  memcpy (b, good, sizeof good);
  b[5] = 0xF0;                      /* data TPDU */
  parse_fails (b, sizeof good, "0xF0");

  memcpy (b, good, sizeof good);
  b[2] = 0xff;                      /* TPKT length 0xff13, only 19 bytes here */
  parse_fails (b, sizeof good, "truncated");

  memcpy (b, good, sizeof good);
  b[0] = 0x16;
  parse_fails (b, sizeof good, "TPKT");

  /* Trailing bytes after the announced length, and after the negotiation data. */
  memcpy (b, good, sizeof good);
  b[sizeof good] = 0;
  parse_fails (b, sizeof good + 1, "follow");
  memcpy (b, good, sizeof good);
  b[3] = 0x15;
  b[4] = 0x10;
  b[19] = b[20] = 0;
  parse_fails (b, 0x15, "unexpected bytes");

  /* Short negotiation data (12..18 bytes in all). */
  memcpy (b, good, sizeof good);
  b[3] = 0x0F;
  b[4] = 0x0A;
  parse_fails (b, 0x0F, "truncated");
}
END_TEST

/* Every single-byte value at every offset: never crashes, never reads beyond LEN (run
 * under ASan/valgrind to see the latter), and accepts only well-formed results. */
START_TEST (test_confirm_mutations)
{
  static const guint8 good[] = { 0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34,
                                 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00 };
  guint ok = 0;

  for (gsize i = 0; i < sizeof good; i++)
    for (guint v = 0; v < 256; v++)
      {
        g_autofree guint8 *b = g_memdup2 (good, sizeof good);
        MendX224Confirm cc;

        b[i] = v;
        if (mend_x224_parse_confirm (b, sizeof good, &cc, NULL))
          {
            ok++;
            if (cc.kind == MEND_X224_REPLY_NEG_RESPONSE || cc.kind == MEND_X224_REPLY_NEG_FAILURE)
              ck_assert_uint_eq (b[13], 8);
          }
      }
  /* What may vary: DST-REF, SRC-REF and class (offsets 6–10, 5 × 256), the flags (256),
   * the 4 value bytes (4 × 256), the code byte's high nibble D (CC), 8 (DR) or 7 (ER) with
   * any low nibble (48), the negotiation type 2 or 3 (2); the 8 framing bytes (TPKT version,
   * reserved, length, LI, neg length) only as they are: 1280 + 256 + 1024 + 48 + 2 + 7 = 2617. */
  ck_assert_uint_eq (ok, 2617);
}
END_TEST

START_TEST (test_peek)
{
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "HTTP/1.1 400", 12), MEND_X224_PEEK_HTTP);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "HTT", 3), MEND_X224_PEEK_NEED_MORE);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "HELLO", 5), MEND_X224_PEEK_UNKNOWN);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "SSH-2.0-OpenSSH", 15), MEND_X224_PEEK_SSH);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "\x15\x03\x01\x00\x02", 5),
                    MEND_X224_PEEK_TLS);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "\x16\x03\x03", 3), MEND_X224_PEEK_TLS);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "\x16\x07\x03", 3), MEND_X224_PEEK_UNKNOWN);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "\x03\x00", 2), MEND_X224_PEEK_TPKT);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "\x03", 1), MEND_X224_PEEK_NEED_MORE);
  ck_assert_int_eq (mend_x224_peek ((const guint8 *) "", 0), MEND_X224_PEEK_NEED_MORE);
  ck_assert_uint_eq (mend_tpkt_length ((const guint8 *) "\x03\x00\xff\xff", 4), 0xffff);
  ck_assert_uint_eq (mend_tpkt_length ((const guint8 *) "\x03\x00\xff", 3), 0);
}
END_TEST

START_TEST (test_names)
{
  static const char *codes[] = { NULL, "ssl-required", "ssl-not-allowed",
                                 "ssl-cert-not-on-server", "inconsistent-flags",
                                 "hybrid-required", "ssl-with-user-auth-required", NULL };
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      ck_assert_str_eq (mend_rdp_failure_to_string (i) ? mend_rdp_failure_to_string (i) : "-",
                        codes[i] ? codes[i] : "-");
      ck_assert_ptr_nonnull (mend_rdp_failure_describe (i));
    }
  ck_assert_str_eq (mend_rdp_protocol_to_string (0), "rdp");
  ck_assert_str_eq (mend_rdp_protocol_to_string (8), "hybrid-ex");
  ck_assert_ptr_null (mend_rdp_protocol_to_string (3));
  {
    g_autofree char *s = mend_rdp_neg_flags_to_string (0xC0);
    ck_assert_str_eq (s, "0xc0");
  }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("x224");
  TCase *tc = tcase_create ("core");
  SRunner *sr;
  int failed;

  tcase_add_test (tc, test_request_no_cookie);
  tcase_add_test (tc, test_request_cookie);
  tcase_add_test (tc, test_confirm_examples);
  tcase_add_test (tc, test_confirm_windows);
  tcase_add_test (tc, test_confirm_roundtrip);
  tcase_add_test (tc, test_confirm_legacy_and_disconnect);
  tcase_add_test (tc, test_confirm_malformed);
  tcase_add_test (tc, test_confirm_mutations);
  tcase_add_test (tc, test_peek);
  tcase_add_test (tc, test_names);
  suite_add_tcase (s, tc);
  sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
