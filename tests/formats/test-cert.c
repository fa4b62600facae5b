/* test-cert.c — certificates: real RDP certificates, store blobs, key provider info,
 * MachineKeys names, name matching and validity, against generated and real inputs. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "formats/mend-cert.h"
#include "base/mend-error.h"
#include "mend-fixture-cert.h"

#define MODERN_DER "certs/rdp-no-cookie-mstshash.pcap.A19F39ECAA2C.der"
#define MODERN_PEM "certs/rdp-no-cookie-mstshash.pcap.A19F39ECAA2C.pem"
#define OLD_DER    "certs/rdp-x509.pcap.D54B6E4AAED2.der"

static char *
shared_data_path (const char *relative)
{
  const char *root = g_getenv ("MEND_SHARED_DATA");
  char *path;

  if (root == NULL)
    return NULL;
  path = g_build_filename (root, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

static GBytes *
read_shared (const char *relative)
{
  g_autofree char *path = shared_data_path (relative);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  ck_assert_msg (path != NULL, "%s vanished", relative);
  ck_assert_msg (g_file_get_contents (path, &data, &len, &error), "%s", error ? error->message : "");
  return g_bytes_new_take (data, len);
}

static gint64
utc (int y, int mo, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, s);
  return g_date_time_to_unix (dt);
}

static MendCertInfo *
info_from_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  MendCertInfo *info = mend_cert_info_new_from_der (data, len, &error);

  ck_assert_msg (info != NULL, "parse failed: %s", error ? error->message : "?");
  return info;
}

static MendCertInfo *
info_from_spec (const MendFixtureCertSpec *spec)
{
  g_autoptr(GBytes) der = mend_fixture_make_certificate_der (spec);
  return info_from_bytes (der);
}

static char *
sha1_upper (const guint8 *data, gsize len)
{
  g_autofree char *lower = g_compute_checksum_for_data (G_CHECKSUM_SHA1, data, len);
  return g_ascii_strup (lower, -1);
}

/* ------------------------------------------------------------------------------------ */
/* Real certificates. Expected facts were read with `certtool -i` and `openssl x509`.   */

START_TEST (test_real_modern_der)
{
  g_autoptr(GBytes) der = read_shared (MODERN_DER);
  g_autoptr(MendCertInfo) info = info_from_bytes (der);
  g_autofree char *own_sha1 = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  ck_assert_str_eq (info->subject, "CN=CLK-456040-D.one.phoenix.gov");
  ck_assert_str_eq (info->issuer, "CN=CLK-456040-D.one.phoenix.gov");
  ck_assert_str_eq (info->common_name, "CLK-456040-D.one.phoenix.gov");
  ck_assert_ptr_nonnull (info->dns_names);
  ck_assert_ptr_null (info->dns_names[0]);
  ck_assert_ptr_null (info->ip_addresses[0]);
  ck_assert_str_eq (info->key_algorithm, "RSA");
  ck_assert_uint_eq (info->key_bits, 2048);
  ck_assert_str_eq (info->signature_algorithm, "RSA-SHA256");
  ck_assert (!info->signature_sha1);
  ck_assert (info->has_eku_extension);
  ck_assert_ptr_nonnull (info->ekus);
  ck_assert_str_eq (info->ekus[0], MEND_OID_SERVER_AUTH);
  ck_assert_ptr_null (info->ekus[1]);
  ck_assert (mend_cert_info_allows_server_auth (info));
  ck_assert (info->self_signed);
  ck_assert_int_eq (info->not_before, utc (2024, 11, 2, 23, 19, 19));
  ck_assert_int_eq (info->not_after, utc (2025, 5, 4, 23, 19, 19));
  /* "6 months": 183 days in this case. */
  ck_assert_int_eq ((info->not_after - info->not_before) / 86400, 183);
  ck_assert_str_eq (info->sha1, "A19F39ECAA2C05A4E32403D0A718F34ED53CC526");
  /* The file name carries the thumbprint's first 12 hex digits (not its last ones). */
  ck_assert (g_str_has_prefix (info->sha1, "A19F39ECAA2C"));
  ck_assert_str_eq (info->sha256,
                    "2F24FA5EFE1C62447B32AA41AF38C4176D03A62CA9C3C8D491946ED283B86CCA");
  ck_assert_str_eq (info->serial, "785897AEAAABC0BD4AC73F6EB275D540");

  /* The thumbprint is the SHA-1 of the file's bytes, whoever computes it. */
  own_sha1 = sha1_upper (data, len);
  ck_assert_str_eq (info->sha1, own_sha1);

  /* Name rules: no SANs, so the CN counts. */
  ck_assert (mend_cert_info_matches_name (info, "clk-456040-d.ONE.phoenix.gov"));
  ck_assert (!mend_cert_info_matches_name (info, "CLK-456040-D"));
  ck_assert (mend_cert_info_is_valid_at (info, utc (2025, 1, 1, 0, 0, 0)));
  ck_assert (!mend_cert_info_is_valid_at (info, utc (2025, 5, 4, 23, 19, 20)));
}
END_TEST

START_TEST (test_real_modern_pem_matches_der)
{
  g_autoptr(GBytes) der = read_shared (MODERN_DER);
  g_autoptr(GBytes) pem = read_shared (MODERN_PEM);
  g_autoptr(MendCertInfo) a = info_from_bytes (der);
  g_autoptr(MendCertInfo) b = info_from_bytes (pem);

  ck_assert_str_eq (a->sha1, b->sha1);
  ck_assert_str_eq (a->sha256, b->sha256);
  ck_assert_str_eq (a->subject, b->subject);
  ck_assert_int_eq (a->not_after, b->not_after);
}
END_TEST

START_TEST (test_real_old_licensing)
{
  g_autoptr(GBytes) der = read_shared (OLD_DER);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  g_autoptr(MendCertInfo) info = mend_cert_info_new_from_der (data, len, &error);
  g_autoptr(JsonObject) json = NULL;

  /* GnuTLS reads it; what it can say must be right. */
  ck_assert_msg (info != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (info->sha1, "D54B6E4AAED2CF8235F3BA671EE77D31B2929014");
  ck_assert_str_eq (info->common_name, "SERVR");
  ck_assert_str_eq (info->subject, "CN=SERVR+L=TURNBKL");
  ck_assert_str_eq (info->key_algorithm, "RSA");
  ck_assert_uint_eq (info->key_bits, 512);
  ck_assert_str_eq (info->signature_algorithm, "RSA-SHA1");
  ck_assert (info->signature_sha1);
  ck_assert (!info->has_eku_extension);
  ck_assert (mend_cert_info_allows_server_auth (info));
  /* Subject equals issuer but the signature does not verify with its own key (openssl
   * verify -check_ss_sig agrees: "certificate signature failure"). */
  ck_assert (!info->self_signed);
  ck_assert_str_eq (info->serial, "59EB28CB02B1A0D4");
  ck_assert (!mend_cert_info_is_valid_at (info, utc (2020, 1, 1, 0, 0, 0)));
  ck_assert (mend_cert_info_is_valid_at (info, utc (2015, 3, 1, 0, 0, 0)));

  json = mend_cert_info_to_json (info);
  ck_assert_str_eq (json_object_get_string_member (json, "not_after"), "2015-05-12T00:00:00Z");
  ck_assert (json_object_get_boolean_member (json, "signature_sha1"));
}
END_TEST

START_TEST (test_real_truncated_der)
{
  g_autoptr(GBytes) der = read_shared (MODERN_DER);
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  guint rejected = 0;

  /* Every truncation of a real certificate is refused with a parse error. Copies make
   * out-of-bounds reads visible to ASan/valgrind. */
  for (gsize cut = 0; cut < len; cut += (cut < 64 ? 1 : 7))
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (data, cut ? cut : 1);
      g_autoptr(MendCertInfo) info = mend_cert_info_new_from_der (copy, cut, &error);

      ck_assert_msg (info == NULL, "truncated at %" G_GSIZE_FORMAT " was accepted", cut);
      ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
      rejected++;
    }
  ck_assert_uint_gt (rejected, 100);
}
END_TEST

/* ------------------------------------------------------------------------------------ */
/* Generated certificates                                                                */

START_TEST (test_generated_defaults)
{
  MendFixtureCertSpec spec = { .common_name = "rdp.example.test" };
  g_autoptr(MendCertInfo) info = info_from_spec (&spec);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  ck_assert_str_eq (info->common_name, "rdp.example.test");
  ck_assert_str_eq (info->dns_names[0], "rdp.example.test");
  ck_assert_ptr_null (info->dns_names[1]);
  ck_assert_uint_eq (info->key_bits, 2048);
  ck_assert_str_eq (info->signature_algorithm, "RSA-SHA256");
  ck_assert (!info->signature_sha1);
  ck_assert (info->self_signed);
  ck_assert (info->has_eku_extension);
  ck_assert_str_eq (info->ekus[0], MEND_OID_SERVER_AUTH);
  ck_assert (mend_cert_info_is_valid_at (info, now));
  ck_assert_int_le (info->not_before, now - 86000);
  ck_assert_int_ge (info->not_after, now + 179 * 86400);
  ck_assert_int_eq (strlen (info->sha1), 40);
  ck_assert_int_eq (strlen (info->sha256), 64);
}
END_TEST

START_TEST (test_generated_sha1_and_small_key)
{
  MendFixtureCertSpec spec = { .common_name = "old.example.test", .sha1_signature = TRUE,
                               .key_bits = 1024 };
  g_autoptr(MendCertInfo) info = info_from_spec (&spec);

  ck_assert_str_eq (info->signature_algorithm, "RSA-SHA1");
  ck_assert (info->signature_sha1);
  ck_assert_uint_eq (info->key_bits, 1024);
  /* SHA-1 signatures still verify for the self-signed test. */
  ck_assert (info->self_signed);
}
END_TEST

START_TEST (test_generated_ekus)
{
  static const char * const none[] = { NULL };
  static const char * const client[] = { "1.3.6.1.5.5.7.3.2", NULL };
  static const char * const rdauth[] = { "1.3.6.1.5.5.7.3.2", MEND_OID_RD_AUTH, NULL };
  MendFixtureCertSpec spec = { .common_name = "eku.example.test" };
  g_autoptr(MendCertInfo) a = NULL;
  g_autoptr(MendCertInfo) b = NULL;
  g_autoptr(MendCertInfo) c = NULL;

  spec.ekus = none;
  a = info_from_spec (&spec);
  ck_assert (!a->has_eku_extension);
  ck_assert (a->ekus == NULL || a->ekus[0] == NULL);
  ck_assert (mend_cert_info_allows_server_auth (a));

  spec.ekus = client;
  b = info_from_spec (&spec);
  ck_assert (b->has_eku_extension);
  ck_assert_str_eq (b->ekus[0], "1.3.6.1.5.5.7.3.2");
  ck_assert (!mend_cert_info_allows_server_auth (b));

  spec.ekus = rdauth;
  c = info_from_spec (&spec);
  ck_assert_str_eq (c->ekus[1], MEND_OID_RD_AUTH);
  ck_assert (mend_cert_info_allows_server_auth (c));
}
END_TEST

START_TEST (test_name_matching)
{
  static const char * const sans[] = { "rdp.example.test", "*.corp.example.test",
                                       "10.0.0.5", "2001:db8::1", NULL };
  MendFixtureCertSpec spec = { .common_name = "cn-only.example.test", .dns_names = sans };
  g_autoptr(MendCertInfo) info = info_from_spec (&spec);

  /* GnuTLS read the IP SANs back as addresses. */
  ck_assert_str_eq (info->dns_names[0], "rdp.example.test");
  ck_assert_str_eq (info->dns_names[1], "*.corp.example.test");
  ck_assert_ptr_null (info->dns_names[2]);
  ck_assert_str_eq (info->ip_addresses[0], "10.0.0.5");
  ck_assert_str_eq (info->ip_addresses[1], "2001:db8::1");
  ck_assert_ptr_null (info->ip_addresses[2]);

  ck_assert (mend_cert_info_matches_name (info, "rdp.example.test"));
  ck_assert (mend_cert_info_matches_name (info, "RDP.Example.TEST"));
  ck_assert (mend_cert_info_matches_name (info, "rdp.example.test."));
  ck_assert (!mend_cert_info_matches_name (info, "rdp.example"));
  ck_assert (!mend_cert_info_matches_name (info, "xrdp.example.test"));
  /* The wildcard stands for exactly one label. */
  ck_assert (mend_cert_info_matches_name (info, "host.corp.example.test"));
  ck_assert (mend_cert_info_matches_name (info, "HOST.Corp.example.test"));
  ck_assert (!mend_cert_info_matches_name (info, "a.b.corp.example.test"));
  ck_assert (!mend_cert_info_matches_name (info, "corp.example.test"));
  ck_assert (!mend_cert_info_matches_name (info, ".corp.example.test"));
  /* IP literals compare as addresses against IP SANs only. */
  ck_assert (mend_cert_info_matches_name (info, "10.0.0.5"));
  ck_assert (!mend_cert_info_matches_name (info, "10.0.0.6"));
  ck_assert (mend_cert_info_matches_name (info, "2001:DB8:0:0::1"));
  ck_assert (mend_cert_info_matches_name (info, "[2001:db8::1]"));
  ck_assert (!mend_cert_info_matches_name (info, "2001:db8::2"));
  /* With SANs present the CN is ignored. */
  ck_assert (!mend_cert_info_matches_name (info, "cn-only.example.test"));
  ck_assert (!mend_cert_info_matches_name (info, ""));
  ck_assert (!mend_cert_info_matches_name (info, NULL));
}
END_TEST

START_TEST (test_name_matching_cn_fallback)
{
  static const char * const no_sans[] = { NULL };
  MendFixtureCertSpec spec = { .common_name = "*.lab.example.test", .dns_names = no_sans };
  g_autoptr(MendCertInfo) info = info_from_spec (&spec);
  MendFixtureCertSpec ip_spec = { .common_name = "192.0.2.7", .dns_names = no_sans };
  g_autoptr(MendCertInfo) ip_info = info_from_spec (&ip_spec);
  MendFixtureCertSpec tld_spec = { .common_name = "*.test", .dns_names = no_sans };
  g_autoptr(MendCertInfo) tld_info = info_from_spec (&tld_spec);

  ck_assert_ptr_null (info->dns_names[0]);
  ck_assert (mend_cert_info_matches_name (info, "pc1.lab.example.test"));
  ck_assert (!mend_cert_info_matches_name (info, "lab.example.test"));
  ck_assert (mend_cert_info_matches_name (ip_info, "192.0.2.7"));
  ck_assert (!mend_cert_info_matches_name (ip_info, "192.0.2.8"));
  /* A wildcard over a whole top-level domain is never honoured. */
  ck_assert (!mend_cert_info_matches_name (tld_info, "example.test"));
}
END_TEST

START_TEST (test_validity_edges)
{
  gint64 t0 = utc (2030, 6, 1, 12, 0, 0);
  gint64 t1 = utc (2060, 1, 1, 0, 0, 0);   /* GeneralizedTime territory */
  MendFixtureCertSpec spec = { .common_name = "time.example.test", .not_before = t0,
                               .not_after = t1 };
  g_autoptr(MendCertInfo) info = info_from_spec (&spec);
  g_autoptr(JsonObject) json = NULL;

  ck_assert_int_eq (info->not_before, t0);
  ck_assert_int_eq (info->not_after, t1);
  ck_assert (!mend_cert_info_is_valid_at (info, t0 - 1));
  ck_assert (mend_cert_info_is_valid_at (info, t0));
  ck_assert (mend_cert_info_is_valid_at (info, t1));
  ck_assert (!mend_cert_info_is_valid_at (info, t1 + 1));

  json = mend_cert_info_to_json (info);
  ck_assert_str_eq (json_object_get_string_member (json, "not_before"), "2030-06-01T12:00:00Z");
  ck_assert_str_eq (json_object_get_string_member (json, "not_after"), "2060-01-01T00:00:00Z");
  ck_assert_str_eq (json_object_get_string_member (json, "sha1"), info->sha1);
  ck_assert (json_object_get_boolean_member (json, "allows_server_auth"));
}
END_TEST

/* An independent reader (openssl) sees the SANs and EKU the generator wrote. */
START_TEST (test_generated_openssl_agrees)
{
  static const char * const sans[] = { "a.example.test", "10.1.2.3", NULL };
  MendFixtureCertSpec spec = { .common_name = "a.example.test", .dns_names = sans };
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = g_dir_make_tmp ("mend-cert-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "c.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "k.pem", NULL);
  g_autofree char *thumb = mend_fixture_write_cert_pem_files (&spec, cert, key);
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  int status;
  g_autoptr(MendCertInfo) info = NULL;

  ck_assert (g_file_get_contents (cert, &contents, &len, NULL));
  info = mend_cert_info_new_from_der ((const guint8 *) contents, len, &error);
  ck_assert_msg (info != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (info->sha1, thumb);

  /* The key file holds the private half of the certificate's key. */
  {
    g_autofree char *key_pem = NULL;
    gnutls_x509_privkey_t pk;
    gnutls_x509_crt_t crt;
    gnutls_datum_t d;
    guint8 id_cert[64], id_key[64];
    size_t n_cert = sizeof id_cert, n_key = sizeof id_key;

    ck_assert (g_file_get_contents (key, &key_pem, &len, NULL));
    ck_assert_int_ge (gnutls_x509_privkey_init (&pk), 0);
    d.data = (unsigned char *) key_pem;
    d.size = (unsigned int) len;
    ck_assert_int_ge (gnutls_x509_privkey_import_pkcs8 (pk, &d, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN), 0);
    ck_assert_int_ge (gnutls_x509_crt_init (&crt), 0);
    d.data = (unsigned char *) contents;
    d.size = (unsigned int) strlen (contents);
    ck_assert_int_ge (gnutls_x509_crt_import (crt, &d, GNUTLS_X509_FMT_PEM), 0);
    ck_assert_int_ge (gnutls_x509_crt_get_key_id (crt, 0, id_cert, &n_cert), 0);
    ck_assert_int_ge (gnutls_x509_privkey_get_key_id (pk, 0, id_key, &n_key), 0);
    ck_assert_uint_eq (n_cert, n_key);
    ck_assert (memcmp (id_cert, id_key, n_key) == 0);
    gnutls_x509_crt_deinit (crt);
    gnutls_x509_privkey_deinit (pk);
  }

  if (openssl == NULL)
    {
      g_printerr ("test_generated_openssl_agrees: openssl missing, independent check skipped\n");
    }
  else
    {
      const char *argv[] = { openssl, "x509", "-in", cert, "-noout", "-fingerprint", "-sha1",
                             "-ext", "subjectAltName,extendedKeyUsage", NULL };
      const char *kargv[] = { openssl, "pkey", "-in", key, "-noout", NULL };

      ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
      ck_assert_int_eq (status, 0);
      ck_assert_msg (strstr (out, "DNS:a.example.test") != NULL, "%s", out);
      ck_assert_msg (strstr (out, "IP Address:10.1.2.3") != NULL, "%s", out);
      ck_assert_msg (strstr (out, "TLS Web Server Authentication") != NULL, "%s", out);
      /* "SHA1 Fingerprint=AA:BB:…" */
      {
        g_autoptr(GString) hex = g_string_new (NULL);
        const char *p = strstr (out, "Fingerprint=");
        ck_assert_ptr_nonnull (p);
        for (p += strlen ("Fingerprint="); *p && *p != '\n'; p++)
          if (g_ascii_isxdigit (*p))
            g_string_append_c (hex, g_ascii_toupper (*p));
        ck_assert_str_eq (hex->str, thumb);
      }
      ck_assert (g_spawn_sync (NULL, (char **) kargv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
      ck_assert_int_eq (status, 0);
    }
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}
END_TEST

/* ------------------------------------------------------------------------------------ */
/* Blobs                                                                                  */

static GBytes *
make_blob (const char *container, const char *provider, const char *friendly, GBytes **der_out)
{
  MendFixtureCertSpec spec = { .common_name = "blob.example.test" };
  g_autoptr(GBytes) der = mend_fixture_make_certificate_der (&spec);
  MendKeyProvInfo kp = { .container = (char *) container, .provider = (char *) provider,
                         .provider_type = 12, .flags = 0x20, .key_spec = 1 };
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  GBytes *blob = mend_cert_blob_build (data, len, container ? &kp : NULL, friendly);

  if (der_out != NULL)
    *der_out = g_bytes_ref (der);
  return blob;
}

START_TEST (test_blob_round_trip)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) blob = make_blob ("TSSecKeySet1",
                                      "Microsoft RSA SChannel Cryptographic Provider",
                                      "Remote Desktop \xc3\xa9t\xc3\xa9", &der);
  g_autoptr(GError) error = NULL;
  gsize len, der_len;
  const guint8 *data = g_bytes_get_data (blob, &len);
  const guint8 *der_data = g_bytes_get_data (der, &der_len);
  g_autoptr(MendStoreCert) cert = mend_store_cert_new_from_blob (data, len, &error);
  g_autofree char *sha1 = sha1_upper (der_data, der_len);
  g_autofree char *lower = g_ascii_strdown (sha1, -1);
  g_autoptr(MendStoreCert) reg_ok = NULL;
  g_autoptr(MendStoreCert) reg_lower = NULL;
  g_autoptr(MendStoreCert) reg_bad = NULL;

  ck_assert_msg (cert != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_nonnull (cert->info);
  ck_assert_str_eq (cert->info->sha1, sha1);
  ck_assert_ptr_nonnull (cert->key_prov);
  ck_assert_str_eq (cert->key_prov->container, "TSSecKeySet1");
  ck_assert_str_eq (cert->key_prov->provider, "Microsoft RSA SChannel Cryptographic Provider");
  ck_assert_uint_eq (cert->key_prov->provider_type, 12);
  ck_assert_uint_eq (cert->key_prov->flags, 0x20);
  ck_assert_uint_eq (cert->key_prov->key_spec, 1);
  ck_assert_str_eq (cert->friendly_name, "Remote Desktop \xc3\xa9t\xc3\xa9");
  ck_assert (cert->hash_matches);
  ck_assert_ptr_null (cert->store);

  reg_ok = mend_store_cert_new_from_registry ("Remote Desktop", sha1, data, len, NULL);
  ck_assert_str_eq (reg_ok->store, "Remote Desktop");
  ck_assert_str_eq (reg_ok->key_name, sha1);
  ck_assert (reg_ok->hash_matches);
  reg_lower = mend_store_cert_new_from_registry ("MY", lower, data, len, NULL);
  ck_assert (reg_lower->hash_matches);
  reg_bad = mend_store_cert_new_from_registry ("MY", "0000000000000000000000000000000000000000",
                                               data, len, NULL);
  ck_assert (!reg_bad->hash_matches);
}
END_TEST

typedef struct { guint32 ids[16]; guint n; guint stop_after; } PropLog;

static gboolean
log_prop_cb (guint32 prop_id, const guint8 *data, gsize len, gpointer user_data)
{
  PropLog *log = user_data;

  if (log->n < G_N_ELEMENTS (log->ids))
    log->ids[log->n] = prop_id;
  log->n++;
  return log->stop_after == 0 || log->n < log->stop_after;
}

START_TEST (test_blob_foreach)
{
  g_autoptr(GBytes) blob = make_blob ("c", "p", "f", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);
  PropLog log = { 0 };
  PropLog stop = { .stop_after = 2 };

  ck_assert (mend_cert_blob_foreach (data, len, log_prop_cb, &log, NULL));
  ck_assert_uint_eq (log.n, 4);
  ck_assert_uint_eq (log.ids[0], MEND_CERT_PROP_KEY_PROV_INFO);
  ck_assert_uint_eq (log.ids[1], MEND_CERT_PROP_SHA1_HASH);
  ck_assert_uint_eq (log.ids[2], MEND_CERT_PROP_FRIENDLY_NAME);
  ck_assert_uint_eq (log.ids[3], MEND_CERT_PROP_CERT);

  ck_assert (mend_cert_blob_foreach (data, len, log_prop_cb, &stop, NULL));
  ck_assert_uint_eq (stop.n, 2);

  /* An empty blob has no properties; as a store element it lacks the certificate. */
  log.n = 0;
  ck_assert (mend_cert_blob_foreach (data, 0, log_prop_cb, &log, NULL));
  ck_assert_uint_eq (log.n, 0);
}
END_TEST

START_TEST (test_blob_without_key_prov)
{
  g_autoptr(GBytes) blob = make_blob (NULL, NULL, NULL, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);
  g_autoptr(MendStoreCert) cert = mend_store_cert_new_from_blob (data, len, NULL);

  ck_assert_ptr_nonnull (cert);
  ck_assert_ptr_null (cert->key_prov);
  ck_assert_ptr_null (cert->friendly_name);
  ck_assert_ptr_nonnull (cert->info);
}
END_TEST

START_TEST (test_blob_truncations_rejected)
{
  g_autoptr(GBytes) blob = make_blob ("{1F2E3D4C-0000-1111-2222-333344445555}",
                                      "Microsoft Enhanced RSA and AES Cryptographic Provider",
                                      "x", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  /* Every proper prefix either cuts a property or lacks property 32 (written last). */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (data, cut ? cut : 1);
      g_autoptr(MendStoreCert) cert = mend_store_cert_new_from_blob (copy, cut, &error);

      ck_assert_msg (cert == NULL, "prefix of %" G_GSIZE_FORMAT " bytes accepted", cut);
      ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE),
                     "prefix %" G_GSIZE_FORMAT ": %s", cut, error ? error->message : "no error");
    }
}
END_TEST

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = v >> 24;
}

START_TEST (test_blob_hostile_lengths)
{
  guint8 buf[64] = { 0 };
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(MendStoreCert) c1 = NULL;
  g_autoptr(MendStoreCert) c2 = NULL;
  g_autoptr(MendStoreCert) c3 = NULL;
  g_autoptr(MendStoreCert) c4 = NULL;
  PropLog log = { 0 };

  /* cb one larger than what remains. */
  put_u32 (buf, 32); put_u32 (buf + 4, 1); put_u32 (buf + 8, 64 - 12 + 1);
  c1 = mend_store_cert_new_from_blob (buf, sizeof buf, &e1);
  ck_assert_ptr_null (c1);
  ck_assert (g_error_matches (e1, MEND_ERROR, MEND_ERROR_PARSE));
  ck_assert (!mend_cert_blob_foreach (buf, sizeof buf, log_prop_cb, &log, NULL));
  ck_assert_uint_eq (log.n, 0);

  /* cb = 0xFFFFFFFF must not wrap around. */
  put_u32 (buf + 8, 0xffffffffu);
  c2 = mend_store_cert_new_from_blob (buf, sizeof buf, &e2);
  ck_assert_ptr_null (c2);
  ck_assert (g_error_matches (e2, MEND_ERROR, MEND_ERROR_PARSE));

  /* Exactly fitting garbage "certificate": kept, with info = NULL (unreadable DER). */
  put_u32 (buf + 8, 64 - 12);
  memset (buf + 12, 0xA5, 64 - 12);
  c3 = mend_store_cert_new_from_blob (buf, sizeof buf, &e3);
  ck_assert_ptr_nonnull (c3);
  ck_assert_ptr_null (c3->info);
  ck_assert_ptr_null (c3->key_prov);

  /* A damaged key provider property makes the whole element unreadable. */
  put_u32 (buf, 2); put_u32 (buf + 8, 10);
  put_u32 (buf + 22, 32); put_u32 (buf + 26, 1); put_u32 (buf + 30, 64 - 34);
  c4 = mend_store_cert_new_from_blob (buf, sizeof buf, &e4);
  ck_assert_ptr_null (c4);
  ck_assert (g_error_matches (e4, MEND_ERROR, MEND_ERROR_PARSE));
}
END_TEST

START_TEST (test_blob_random_garbage)
{
  g_autoptr(GBytes) blob = make_blob ("c", "p", "f", NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);
  GRand *rand = g_rand_new_with_seed (904);
  guint parsed = 0;

  /* Flip bytes in a valid blob; whatever happens, no crash and a clean answer. */
  for (int round = 0; round < 300; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(MendStoreCert) cert = NULL;
      int flips = g_rand_int_range (rand, 1, 6);

      for (int i = 0; i < flips; i++)
        {
          /* Aim at the headers and the key provider info most of the time. */
          gsize at = g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, 160)
                                           : (gsize) g_rand_int_range (rand, 0, (gint32) len);
          copy[MIN (at, len - 1)] = (guint8) g_rand_int_range (rand, 0, 256);
        }
      cert = mend_store_cert_new_from_blob (copy, len, &error);
      ck_assert ((cert == NULL) == (error != NULL));
      if (cert != NULL)
        parsed++;
      else
        ck_assert (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE));
    }
  g_rand_free (rand);
  ck_assert_uint_gt (parsed, 0);
}
END_TEST

/* ------------------------------------------------------------------------------------ */
/* Key provider info                                                                     */

/* Header + "ab\0" at 28 + "P\0" after it. */
static gsize
make_kp (guint8 *buf, gsize size)
{
  static const guint8 strings[] = { 'a', 0, 'b', 0, 0, 0, 'P', 0, 0, 0 };

  memset (buf, 0, size);
  put_u32 (buf + 0, 28);
  put_u32 (buf + 4, 34);
  put_u32 (buf + 8, 24);
  put_u32 (buf + 12, 0x20);
  put_u32 (buf + 24, 2);
  memcpy (buf + 28, strings, sizeof strings);
  return 28 + sizeof strings;
}

static void
assert_kp_rejected (const guint8 *buf, gsize len, const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = g_memdup2 (buf, len ? len : 1);
  g_autoptr(MendKeyProvInfo) kp = mend_key_prov_info_parse (copy, len, &error);

  ck_assert_msg (kp == NULL, "accepted: %s", why);
  ck_assert_msg (g_error_matches (error, MEND_ERROR, MEND_ERROR_PARSE), "%s", why);
}

START_TEST (test_key_prov_valid_and_crafted)
{
  guint8 buf[128];
  gsize len = make_kp (buf, sizeof buf);
  g_autoptr(MendKeyProvInfo) ok = mend_key_prov_info_parse (buf, len, NULL);
  g_autoptr(MendKeyProvInfo) nulls = NULL;
  g_autoptr(MendKeyProvInfo) unaligned = NULL;
  g_autoptr(MendKeyProvInfo) params = NULL;

  ck_assert_ptr_nonnull (ok);
  ck_assert_str_eq (ok->container, "ab");
  ck_assert_str_eq (ok->provider, "P");
  ck_assert_uint_eq (ok->provider_type, 24);
  ck_assert_uint_eq (ok->flags, 0x20);
  ck_assert_uint_eq (ok->key_spec, 2);

  /* Every cut shorter than the whole is refused (the provider's NUL is the last byte). */
  for (gsize cut = 0; cut < len; cut++)
    assert_kp_rejected (buf, cut, "truncated");

  /* Offsets beyond the property, into the header, or huge. */
  make_kp (buf, sizeof buf); put_u32 (buf, (guint32) len);
  assert_kp_rejected (buf, len, "container offset == length");
  make_kp (buf, sizeof buf); put_u32 (buf + 4, 0xfffffffe);
  assert_kp_rejected (buf, len, "provider offset huge");
  make_kp (buf, sizeof buf); put_u32 (buf, 8);
  assert_kp_rejected (buf, len, "container offset inside header");
  /* Unterminated: the string runs to the end of the property. */
  make_kp (buf, sizeof buf); put_u32 (buf + 4, 28); buf[32] = 'c'; buf[33] = 0;
  assert_kp_rejected (buf, 34, "container unterminated at the end");
  make_kp (buf, sizeof buf);
  assert_kp_rejected (buf, len - 1, "odd length cuts the terminator");
  /* Lone surrogate. */
  make_kp (buf, sizeof buf); buf[28] = 0x00; buf[29] = 0xd8;
  assert_kp_rejected (buf, len, "lone surrogate");
  /* Provider parameters: count overflowing, offset outside, data outside. */
  make_kp (buf, sizeof buf); put_u32 (buf + 16, 0x10000000); put_u32 (buf + 20, 40);
  assert_kp_rejected (buf, len, "parameter count overflows");
  make_kp (buf, sizeof buf); put_u32 (buf + 16, 1); put_u32 (buf + 20, (guint32) len);
  assert_kp_rejected (buf, len + 16 - 1, "parameter array one byte short");

  /* Offsets of 0 are NULL pointers; unaligned offsets are legal. */
  make_kp (buf, sizeof buf); put_u32 (buf, 0); put_u32 (buf + 4, 0);
  nulls = mend_key_prov_info_parse (buf, 28, NULL);
  ck_assert_ptr_nonnull (nulls);
  ck_assert_ptr_null (nulls->container);
  ck_assert_ptr_null (nulls->provider);

  memset (buf, 0, sizeof buf);
  put_u32 (buf, 29); put_u32 (buf + 4, 0);
  buf[29] = 'Z'; buf[30] = 0; buf[31] = 0; buf[32] = 0;
  unaligned = mend_key_prov_info_parse (buf, 33, NULL);
  ck_assert_ptr_nonnull (unaligned);
  ck_assert_str_eq (unaligned->container, "Z");

  /* One parameter whose data lies inside, then one whose data does not. */
  len = make_kp (buf, sizeof buf);
  put_u32 (buf + 16, 1); put_u32 (buf + 20, 40);
  put_u32 (buf + 40, 7); put_u32 (buf + 44, 56); put_u32 (buf + 48, 4);
  params = mend_key_prov_info_parse (buf, 60, NULL);
  ck_assert_ptr_nonnull (params);
  ck_assert_str_eq (params->container, "ab");
  put_u32 (buf + 48, 5);
  assert_kp_rejected (buf, 60, "parameter data one byte beyond");
}
END_TEST

/* ------------------------------------------------------------------------------------ */
/* MachineKeys names and thumbprints                                                     */

START_TEST (test_machine_key_name)
{
  g_autofree char *a = mend_cert_machine_key_file_name ("TSSecKeySet1",
                                                        "8d4b5c2e-1a2b-4c3d-9e8f-0123456789ab");
  g_autofree char *b = mend_cert_machine_key_file_name ("tssECKEYset1", "g");
  g_autofree char *c = mend_cert_machine_key_file_name ("TSSecKeySet2", "g");

  /* The documented prefix of the RDP listener's key file. */
  ck_assert_str_eq (a, "f686aace6942fb7f7ceb231212eef4a4_8d4b5c2e-1a2b-4c3d-9e8f-0123456789ab");
  ck_assert_str_eq (b, "f686aace6942fb7f7ceb231212eef4a4_g");
  ck_assert (!g_str_has_prefix (c, "f686aace"));
  ck_assert_int_eq (strlen (c), 34);
}
END_TEST

START_TEST (test_normalize_thumbprint)
{
  g_autofree char *mmc = mend_cert_normalize_thumbprint (
    "\xe2\x80\x8e" "a1 9f 39 ec aa 2c 05 a4 e3 24 03 d0 a7 18 f3 4e d5 3c c5 26");
  g_autofree char *colons = mend_cert_normalize_thumbprint (
    "A1:9F:39:EC:AA:2C:05:A4:E3:24:03:D0:A7:18:F3:4E:D5:3C:C5:26\n");
  g_autofree char *short_ = mend_cert_normalize_thumbprint ("A19F39ECAA2C05A4E32403D0A718F34ED53CC52");
  g_autofree char *long_ = mend_cert_normalize_thumbprint ("A19F39ECAA2C05A4E32403D0A718F34ED53CC5266");
  /* A full-width "Ａ" (U+FF21) is not a hex digit. */
  g_autofree char *wide = mend_cert_normalize_thumbprint (
    "\xef\xbc\xa1" "19F39ECAA2C05A4E32403D0A718F34ED53CC526");

  ck_assert_str_eq (mmc, "A19F39ECAA2C05A4E32403D0A718F34ED53CC526");
  ck_assert_str_eq (colons, "A19F39ECAA2C05A4E32403D0A718F34ED53CC526");
  ck_assert_ptr_null (short_);
  ck_assert_ptr_null (long_);
  ck_assert_ptr_null (wide);
  ck_assert_ptr_null (mend_cert_normalize_thumbprint (NULL));
  ck_assert_ptr_null (mend_cert_normalize_thumbprint (""));
}
END_TEST

START_TEST (test_garbage_der)
{
  static const guint8 junk[] = { 0x30, 0x82, 0xff, 0xff, 0x30, 0x03, 0x02, 0x01 };
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  static const char pem[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

  ck_assert_ptr_null (mend_cert_info_new_from_der (junk, sizeof junk, &e1));
  ck_assert (g_error_matches (e1, MEND_ERROR, MEND_ERROR_PARSE));
  ck_assert_ptr_null (mend_cert_info_new_from_der ((const guint8 *) pem, strlen (pem), &e2));
  ck_assert (g_error_matches (e2, MEND_ERROR, MEND_ERROR_PARSE));
}
END_TEST

static Suite *
cert_suite (void)
{
  Suite *s = suite_create ("cert");
  TCase *real = tcase_create ("real");
  TCase *gen = tcase_create ("generated");
  TCase *blob = tcase_create ("blob");
  TCase *misc = tcase_create ("misc");
  g_autofree char *modern = shared_data_path (MODERN_DER);
  g_autofree char *old = shared_data_path (OLD_DER);

  if (modern != NULL && old != NULL)
    {
      tcase_add_test (real, test_real_modern_der);
      tcase_add_test (real, test_real_modern_pem_matches_der);
      tcase_add_test (real, test_real_old_licensing);
      tcase_add_test (real, test_real_truncated_der);
      suite_add_tcase (s, real);
    }
  else
    g_printerr ("SKIPPED the real-certificate tests: MEND_SHARED_DATA/certs is not there "
                "(set MEND_SHARED_DATA to the shared data folder)\n");

  tcase_add_test (gen, test_generated_defaults);
  tcase_add_test (gen, test_generated_sha1_and_small_key);
  tcase_add_test (gen, test_generated_ekus);
  tcase_add_test (gen, test_name_matching);
  tcase_add_test (gen, test_name_matching_cn_fallback);
  tcase_add_test (gen, test_validity_edges);
  tcase_add_test (gen, test_generated_openssl_agrees);
  suite_add_tcase (s, gen);

  tcase_add_test (blob, test_blob_round_trip);
  tcase_add_test (blob, test_blob_foreach);
  tcase_add_test (blob, test_blob_without_key_prov);
  tcase_add_test (blob, test_blob_truncations_rejected);
  tcase_add_test (blob, test_blob_hostile_lengths);
  tcase_add_test (blob, test_blob_random_garbage);
  tcase_add_test (blob, test_key_prov_valid_and_crafted);
  suite_add_tcase (s, blob);

  tcase_add_test (misc, test_machine_key_name);
  tcase_add_test (misc, test_normalize_thumbprint);
  tcase_add_test (misc, test_garbage_der);
  suite_add_tcase (s, misc);
  return s;
}

int
main (void)
{
  SRunner *runner = srunner_create (cert_suite ());
  int failed;

  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? 0 : 1;
}
