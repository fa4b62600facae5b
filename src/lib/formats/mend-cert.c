/* mend-cert.c — the X.509 facts the rules need about a certificate, read with GnuTLS.
 * Store blobs, key provider info and MachineKeys names are in mend-cert-store.c. */
#include "formats/mend-cert-private.h"
#include "base/mend-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

char *
mend_cert_hex_string (const guint8 *data, gsize len, gboolean upper)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[i * 2] = digits[data[i] >> 4];
      out[i * 2 + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

/* ---------------------------------------------------------------------------------------
 * X.509
 * ------------------------------------------------------------------------------------- */

void
mend_cert_info_free (MendCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info->common_name);
  g_strfreev (info->dns_names);
  g_strfreev (info->ip_addresses);
  g_free (info->signature_algorithm);
  g_free (info->key_algorithm);
  g_strfreev (info->ekus);
  g_free (info->sha1);
  g_free (info->sha256);
  g_free (info->serial);
  g_free (info);
}

static char *
datum_to_string (gnutls_datum_t *d)
{
  char *s = g_strndup ((const char *) d->data, d->size);

  gnutls_free (d->data);
  d->data = NULL;
  return s;
}

static char *
crt_fingerprint (gnutls_x509_crt_t crt, gnutls_digest_algorithm_t algo)
{
  guint8 buf[64];
  size_t size = sizeof buf;

  if (gnutls_x509_crt_get_fingerprint (crt, algo, buf, &size) < 0)
    return NULL;
  return mend_cert_hex_string (buf, size, TRUE);
}

static char *
ip_to_string (const guint8 *data, gsize len)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (len == 4)
    addr = g_inet_address_new_from_bytes (data, G_SOCKET_FAMILY_IPV4);
  else if (len == 16)
    addr = g_inet_address_new_from_bytes (data, G_SOCKET_FAMILY_IPV6);
  else
    return NULL;   /* a name constraint style address/mask, or garbage */
  return g_inet_address_to_string (addr);
}

static void
read_alt_names (gnutls_x509_crt_t crt, MendCertInfo *info)
{
  g_autoptr(GPtrArray) dns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ips = g_ptr_array_new_with_free_func (g_free);
  gnutls_datum_t ext = { NULL, 0 };
  gnutls_subject_alt_names_t sans = NULL;
  unsigned int critical = 0;

  if (gnutls_x509_crt_get_extension_by_oid2 (crt, GNUTLS_X509EXT_OID_SAN, 0, &ext,
                                             &critical) >= 0 &&
      gnutls_subject_alt_names_init (&sans) >= 0 &&
      gnutls_x509_ext_import_subject_alt_names (&ext, sans, 0) >= 0)
    {
      for (unsigned int i = 0;; i++)
        {
          unsigned int type;
          gnutls_datum_t san;
          int ret = gnutls_subject_alt_names_get (sans, i, &type, &san, NULL);

          if (ret < 0)
            break;
          if (type == GNUTLS_SAN_DNSNAME)
            {
              /* An embedded NUL would let "a.com\0.evil" pass for "a.com": drop it. */
              if (san.size > 0 && memchr (san.data, 0, san.size) == NULL)
                g_ptr_array_add (dns, g_strndup ((const char *) san.data, san.size));
            }
          else if (type == GNUTLS_SAN_IPADDRESS)
            {
              char *s = ip_to_string (san.data, san.size);
              if (s != NULL)
                g_ptr_array_add (ips, s);
            }
        }
    }
  if (sans != NULL)
    gnutls_subject_alt_names_deinit (sans);
  gnutls_free (ext.data);

  g_ptr_array_add (dns, NULL);
  g_ptr_array_add (ips, NULL);
  info->dns_names = (GStrv) g_ptr_array_steal (dns, NULL);
  info->ip_addresses = (GStrv) g_ptr_array_steal (ips, NULL);
}

static void
read_key_purposes (gnutls_x509_crt_t crt, MendCertInfo *info)
{
  gnutls_datum_t ext = { NULL, 0 };
  gnutls_x509_key_purposes_t kp = NULL;
  unsigned int critical = 0;
  g_autoptr(GPtrArray) oids = NULL;

  if (gnutls_x509_crt_get_extension_by_oid2 (crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0,
                                             &ext, &critical) < 0)
    return;   /* no extension: any purpose */

  info->has_eku_extension = TRUE;
  oids = g_ptr_array_new_with_free_func (g_free);
  if (gnutls_x509_key_purpose_init (&kp) >= 0 &&
      gnutls_x509_ext_import_key_purposes (&ext, kp, 0) >= 0)
    {
      for (unsigned int i = 0;; i++)
        {
          gnutls_datum_t oid;

          if (gnutls_x509_key_purpose_get (kp, i, &oid) < 0)
            break;
          g_ptr_array_add (oids, g_strndup ((const char *) oid.data, oid.size));
        }
    }
  /* An extension that does not decode grants nothing: the list stays empty. */
  if (kp != NULL)
    gnutls_x509_key_purpose_deinit (kp);
  gnutls_free (ext.data);
  g_ptr_array_add (oids, NULL);
  info->ekus = (GStrv) g_ptr_array_steal (oids, NULL);
}

/* Signature OIDs GnuTLS may not name but which are SHA-1/MD5/MD2 based (old licensing
 * certificates use some of them). */
static gboolean
signature_oid_is_weak (const char *oid)
{
  static const char * const weak[] = {
    "1.2.840.113549.1.1.2",   /* md2WithRSAEncryption */
    "1.2.840.113549.1.1.4",   /* md5WithRSAEncryption */
    "1.2.840.113549.1.1.5",   /* sha1WithRSAEncryption */
    "1.3.14.3.2.3",           /* md5WithRSA (OIW) */
    "1.3.14.3.2.29",          /* sha1WithRSASignature (OIW) */
    "1.3.14.3.2.13",          /* dsaWithSHA (OIW) */
    "1.3.14.3.2.27",          /* dsaWithSHA1 (OIW) */
    "1.2.840.10040.4.3",      /* dsa-with-sha1 */
    "1.2.840.10045.4.1",      /* ecdsa-with-SHA1 */
    NULL
  };

  return oid != NULL && g_strv_contains (weak, oid);
}

static void
read_signature (gnutls_x509_crt_t crt, MendCertInfo *info)
{
  int algo = gnutls_x509_crt_get_signature_algorithm (crt);
  char oid[128];
  size_t oid_size = sizeof oid;
  gboolean have_oid = gnutls_x509_crt_get_signature_oid (crt, oid, &oid_size) >= 0;

  if (algo > 0 && algo != GNUTLS_SIGN_UNKNOWN && gnutls_sign_get_name (algo) != NULL)
    {
      gnutls_digest_algorithm_t hash = gnutls_sign_get_hash_algorithm (algo);

      info->signature_algorithm = g_strdup (gnutls_sign_get_name (algo));
      info->signature_sha1 = hash == GNUTLS_DIG_SHA1 || hash == GNUTLS_DIG_MD5 ||
                             hash == GNUTLS_DIG_MD2 ||
                             (have_oid && signature_oid_is_weak (oid));
    }
  else
    {
      info->signature_algorithm = g_strdup (have_oid ? oid : "unknown");
      info->signature_sha1 = have_oid && signature_oid_is_weak (oid);
    }
}

static void
read_key (gnutls_x509_crt_t crt, MendCertInfo *info)
{
  unsigned int bits = 0;
  int pk = gnutls_x509_crt_get_pk_algorithm (crt, &bits);

  switch (pk)
    {
    case GNUTLS_PK_RSA:
    case GNUTLS_PK_RSA_PSS:
      info->key_algorithm = g_strdup ("RSA");
      break;
    case GNUTLS_PK_ECDSA:
      info->key_algorithm = g_strdup ("EC");
      break;
    case GNUTLS_PK_DSA:
      info->key_algorithm = g_strdup ("DSA");
      break;
    default:
      {
        const char *name = pk > 0 ? gnutls_pk_get_name (pk) : NULL;
        info->key_algorithm = g_strdup (name != NULL ? name : "unknown");
      }
      break;
    }
  info->key_bits = pk > 0 ? bits : 0;
}

static gboolean
check_self_signed (gnutls_x509_crt_t crt)
{
  unsigned int status = 0;
  /* Only the signature matters here: not the time, not whether the issuer is a CA, not
   * whether the algorithm is still acceptable; DO_NOT_ALLOW_SAME stops GnuTLS from
   * trusting the certificate merely because it is in the trust list. */
  unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                       GNUTLS_VERIFY_DISABLE_CA_SIGN |
                       GNUTLS_VERIFY_DO_NOT_ALLOW_SAME |
                       GNUTLS_VERIFY_ALLOW_BROKEN |
                       GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 |
                       GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5 |
                       GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD2 |
                       GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT;

  if (!gnutls_x509_crt_check_issuer (crt, crt))
    return FALSE;
  if (gnutls_x509_crt_verify (crt, &crt, 1, flags, &status) < 0)
    return FALSE;
  return (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND |
                    GNUTLS_CERT_INVALID)) == 0;
}

static gboolean
looks_like_pem (const guint8 *data, gsize len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return len - i >= 10 && memcmp (data + i, "-----BEGIN", 10) == 0;
}

MendCertInfo *
mend_cert_info_new_from_der (const guint8 *data, gsize len, GError **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t in;
  gnutls_datum_t d = { NULL, 0 };
  g_autoptr(MendCertInfo) info = NULL;
  int ret;
  guint8 serial[64];
  size_t serial_size = sizeof serial;
  char cn[1024];
  size_t cn_size = sizeof cn;
  time_t t;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0 || len > G_MAXUINT32)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The certificate data is empty or too large (%lu bytes)"),
                   (unsigned long) len);
      return NULL;
    }

  ret = gnutls_x509_crt_init (&crt);
  if (ret < 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_FAILED,
                   _("Could not prepare a certificate reader: %s"), gnutls_strerror (ret));
      return NULL;
    }

  in.data = (unsigned char *) data;
  in.size = (unsigned int) len;
  ret = gnutls_x509_crt_import (crt, &in,
                                looks_like_pem (data, len) ? GNUTLS_X509_FMT_PEM
                                                           : GNUTLS_X509_FMT_DER);
  if (ret < 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The data is not a readable X.509 certificate (%s); export it again "
                     "as DER or PEM"),
                   gnutls_strerror (ret));
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }

  info = g_new0 (MendCertInfo, 1);

  if (gnutls_x509_crt_get_dn3 (crt, &d, 0) >= 0)
    info->subject = datum_to_string (&d);
  else
    info->subject = g_strdup ("");
  if (gnutls_x509_crt_get_issuer_dn3 (crt, &d, 0) >= 0)
    info->issuer = datum_to_string (&d);
  else
    info->issuer = g_strdup ("");

  if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
                                     &cn_size) >= 0 &&
      memchr (cn, 0, cn_size) == NULL)
    info->common_name = g_strndup (cn, cn_size);

  read_alt_names (crt, info);

  t = gnutls_x509_crt_get_activation_time (crt);
  info->not_before = (t == (time_t) -1) ? G_MININT64 : (gint64) t;
  t = gnutls_x509_crt_get_expiration_time (crt);
  info->not_after = (t == (time_t) -1) ? G_MININT64 : (gint64) t;

  read_signature (crt, info);
  read_key (crt, info);
  read_key_purposes (crt, info);
  info->self_signed = check_self_signed (crt);

  info->sha1 = crt_fingerprint (crt, GNUTLS_DIG_SHA1);
  info->sha256 = crt_fingerprint (crt, GNUTLS_DIG_SHA256);
  if (gnutls_x509_crt_get_serial (crt, serial, &serial_size) >= 0)
    info->serial = mend_cert_hex_string (serial, serial_size, TRUE);
  else
    info->serial = g_strdup ("");

  gnutls_x509_crt_deinit (crt);

  if (info->sha1 == NULL || info->sha256 == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("Could not compute the certificate's thumbprint"));
      return NULL;
    }
  return g_steal_pointer (&info);
}

gboolean
mend_cert_info_allows_server_auth (const MendCertInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (!info->has_eku_extension)
    return TRUE;
  return info->ekus != NULL &&
         (g_strv_contains ((const char * const *) info->ekus, MEND_OID_SERVER_AUTH) ||
          g_strv_contains ((const char * const *) info->ekus, MEND_OID_RD_AUTH));
}

gboolean
mend_cert_info_is_valid_at (const MendCertInfo *info, gint64 now)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->not_before != G_MININT64 && info->not_after != G_MININT64 &&
         info->not_before <= now && now <= info->not_after;
}

/* Lower-case, without one trailing dot. */
static char *
canonical_dns (const char *name)
{
  char *s = g_ascii_strdown (name, -1);
  gsize n = strlen (s);

  if (n > 1 && s[n - 1] == '.')
    s[n - 1] = '\0';
  return s;
}

static gboolean
dns_pattern_matches (const char *pattern, const char *host)
{
  g_autofree char *p = canonical_dns (pattern);
  const char *dot;

  if (g_str_has_prefix (p, "*."))
    {
      /* "*" stands for exactly one non-empty label, and the rest must have at least two
       * labels so that "*.com" cannot match every host in a top-level domain. */
      if (strchr (p + 2, '.') == NULL)
        return FALSE;
      dot = strchr (host, '.');
      if (dot == NULL || dot == host)
        return FALSE;
      return g_str_equal (dot + 1, p + 2);
    }
  return g_str_equal (p, host);
}

static GInetAddress *
parse_ip_literal (const char *name)
{
  g_autofree char *stripped = NULL;
  gsize n = strlen (name);

  if (n > 2 && name[0] == '[' && name[n - 1] == ']')
    stripped = g_strndup (name + 1, n - 2);
  else
    stripped = g_strdup (name);
  return g_inet_address_new_from_string (stripped);
}

gboolean
mend_cert_info_matches_name (const MendCertInfo *info, const char *name)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autofree char *host = NULL;
  gboolean have_sans;

  g_return_val_if_fail (info != NULL, FALSE);

  if (name == NULL || *name == '\0')
    return FALSE;

  have_sans = (info->dns_names != NULL && info->dns_names[0] != NULL) ||
              (info->ip_addresses != NULL && info->ip_addresses[0] != NULL);

  addr = parse_ip_literal (name);
  if (addr != NULL)
    {
      /* Addresses are compared as addresses, so "::1" equals "0:0::1". */
      if (!have_sans)
        {
          g_autoptr(GInetAddress) cn_addr =
            info->common_name ? parse_ip_literal (info->common_name) : NULL;
          return cn_addr != NULL && g_inet_address_equal (addr, cn_addr);
        }
      for (guint i = 0; info->ip_addresses != NULL && info->ip_addresses[i] != NULL; i++)
        {
          g_autoptr(GInetAddress) san = g_inet_address_new_from_string (info->ip_addresses[i]);
          if (san != NULL && g_inet_address_equal (addr, san))
            return TRUE;
        }
      return FALSE;
    }

  host = canonical_dns (name);
  if (!have_sans)
    return info->common_name != NULL && dns_pattern_matches (info->common_name, host);

  for (guint i = 0; info->dns_names != NULL && info->dns_names[i] != NULL; i++)
    if (dns_pattern_matches (info->dns_names[i], host))
      return TRUE;
  return FALSE;
}

static JsonArray *
strv_to_json (GStrv v)
{
  JsonArray *arr = json_array_new ();

  for (guint i = 0; v != NULL && v[i] != NULL; i++)
    json_array_add_string_element (arr, v[i]);
  return arr;
}

static void
set_time_member (JsonObject *obj, const char *member, gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t != G_MININT64)
    dt = g_date_time_new_from_unix_utc (t);
  if (dt != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (dt);
      json_object_set_string_member (obj, member, iso);
    }
  else
    json_object_set_null_member (obj, member);
}

JsonObject *
mend_cert_info_to_json (const MendCertInfo *info)
{
  JsonObject *obj;

  g_return_val_if_fail (info != NULL, NULL);

  obj = json_object_new ();
  json_object_set_string_member (obj, "subject", info->subject);
  json_object_set_string_member (obj, "issuer", info->issuer);
  if (info->common_name != NULL)
    json_object_set_string_member (obj, "common_name", info->common_name);
  else
    json_object_set_null_member (obj, "common_name");
  json_object_set_array_member (obj, "dns_names", strv_to_json (info->dns_names));
  json_object_set_array_member (obj, "ip_addresses", strv_to_json (info->ip_addresses));
  set_time_member (obj, "not_before", info->not_before);
  set_time_member (obj, "not_after", info->not_after);
  json_object_set_string_member (obj, "signature_algorithm", info->signature_algorithm);
  json_object_set_boolean_member (obj, "signature_sha1", info->signature_sha1);
  json_object_set_string_member (obj, "key_algorithm", info->key_algorithm);
  json_object_set_int_member (obj, "key_bits", info->key_bits);
  json_object_set_boolean_member (obj, "has_eku_extension", info->has_eku_extension);
  json_object_set_array_member (obj, "ekus", strv_to_json (info->ekus));
  json_object_set_boolean_member (obj, "allows_server_auth",
                                  mend_cert_info_allows_server_auth (info));
  json_object_set_boolean_member (obj, "self_signed", info->self_signed);
  json_object_set_string_member (obj, "sha1", info->sha1);
  json_object_set_string_member (obj, "sha256", info->sha256);
  json_object_set_string_member (obj, "serial", info->serial);
  return obj;
}
