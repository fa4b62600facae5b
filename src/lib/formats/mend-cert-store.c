/* mend-cert-store.c — certificates as Windows stores keep them: serialized property blobs,
 * key provider info (property 2), MachineKeys file names and thumbprints typed by users.
 * The X.509 facts of the DER inside are read in mend-cert.c. */
#include "formats/mend-cert-private.h"
#include "base/mend-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define PROP_HEADER_SIZE     12   /* propId, reserved (=1), cb */
#define KEY_PROV_HEADER_SIZE 28   /* seven DWORDs */
#define KEY_PROV_PARAM_SIZE  16   /* dwParam, offset of pbData, cbData, dwFlags */

static guint32
read_u32_le (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
         ((guint32) p[3] << 24);
}

static void
append_u32_le (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

static char *
sha1_hex_upper (const guint8 *data, gsize len)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_checksum_update (sum, data, len);
  g_checksum_get_digest (sum, digest, &digest_len);
  return mend_cert_hex_string (digest, digest_len, TRUE);
}

/* ---------------------------------------------------------------------------------------
 * UTF-16LE strings inside property data
 * ------------------------------------------------------------------------------------- */

/* Reads a NUL-terminated UTF-16LE string starting at OFFSET; the terminator must lie inside
 * DATA. Unaligned offsets are fine (the data is copied out unit by unit). */
static char *
utf16le_string_at (const guint8 *data, gsize len, gsize offset, const char *what,
                   GError **error)
{
  g_autofree gunichar2 *units = NULL;
  gsize n = 0;
  gsize pos;
  g_autoptr(GError) conv_error = NULL;
  char *utf8;

  if (offset >= len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The %s string starts at offset %lu, beyond the %lu bytes of the key "
                     "provider information; the certificate's key link is damaged"),
                   what, (unsigned long) offset, (unsigned long) len);
      return NULL;
    }

  for (pos = offset; pos + 1 < len; pos += 2)
    {
      if (data[pos] == 0 && data[pos + 1] == 0)
        break;
      n++;
    }
  if (pos + 1 >= len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The %s string in the key provider information is not terminated; "
                     "the certificate's key link is damaged"),
                   what);
      return NULL;
    }

  units = g_new (gunichar2, n + 1);
  for (gsize i = 0; i < n; i++)
    units[i] = (gunichar2) (data[offset + 2 * i] | (data[offset + 2 * i + 1] << 8));
  units[n] = 0;

  utf8 = g_utf16_to_utf8 (units, (glong) n, NULL, NULL, &conv_error);
  if (utf8 == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The %s string is not valid UTF-16: %s"), what, conv_error->message);
      return NULL;
    }
  return utf8;
}

static void
append_utf16le (GByteArray *out, const char *utf8)
{
  g_autofree gunichar2 *units = NULL;
  glong n = 0;
  static const guint8 nul[2] = { 0, 0 };

  units = g_utf8_to_utf16 (utf8 ? utf8 : "", -1, NULL, &n, NULL);
  for (glong i = 0; units != NULL && i < n; i++)
    {
      guint8 b[2] = { units[i] & 0xff, units[i] >> 8 };
      g_byte_array_append (out, b, 2);
    }
  g_byte_array_append (out, nul, 2);
}

/* ---------------------------------------------------------------------------------------
 * Key provider info (property 2)
 * ------------------------------------------------------------------------------------- */

void
mend_key_prov_info_free (MendKeyProvInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->container);
  g_free (info->provider);
  g_free (info);
}

MendKeyProvInfo *
mend_key_prov_info_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(MendKeyProvInfo) info = NULL;
  guint32 container_off, provider_off, n_params, params_off;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < KEY_PROV_HEADER_SIZE)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The key provider information is %lu bytes long, shorter than its "
                     "%d-byte header; the certificate's key link is damaged"),
                   (unsigned long) len, KEY_PROV_HEADER_SIZE);
      return NULL;
    }

  info = g_new0 (MendKeyProvInfo, 1);
  container_off = read_u32_le (data + 0);
  provider_off = read_u32_le (data + 4);
  info->provider_type = read_u32_le (data + 8);
  info->flags = read_u32_le (data + 12);
  n_params = read_u32_le (data + 16);
  params_off = read_u32_le (data + 20);
  info->key_spec = read_u32_le (data + 24);

  /* An offset of 0 stands for a NULL pointer in the serialized form; any other offset
   * must point past the header, inside the property. */
  if (container_off != 0)
    {
      if (container_off < KEY_PROV_HEADER_SIZE)
        goto bad_offset;
      info->container = utf16le_string_at (data, len, container_off, "container", error);
      if (info->container == NULL)
        return NULL;
    }
  if (provider_off != 0)
    {
      if (provider_off < KEY_PROV_HEADER_SIZE)
        goto bad_offset;
      info->provider = utf16le_string_at (data, len, provider_off, "provider", error);
      if (info->provider == NULL)
        return NULL;
    }

  if (n_params > 0)
    {
      guint64 end = (guint64) params_off + (guint64) n_params * KEY_PROV_PARAM_SIZE;

      if (params_off < KEY_PROV_HEADER_SIZE || end > len)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                       _("The key provider information lists %u provider parameters "
                         "that do not fit in its %" G_GSIZE_FORMAT " bytes; the "
                         "certificate's key link is damaged"),
                       n_params, len);
          return NULL;
        }
      for (guint32 i = 0; i < n_params; i++)
        {
          const guint8 *p = data + params_off + (gsize) i * KEY_PROV_PARAM_SIZE;
          guint64 d_off = read_u32_le (p + 4);
          guint64 d_len = read_u32_le (p + 8);

          if (d_len > 0 && (d_off < KEY_PROV_HEADER_SIZE || d_off + d_len > len))
            {
              g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                           _("Provider parameter %u of the key provider information "
                             "points outside it; the certificate's key link is damaged"),
                           i);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&info);

bad_offset:
  g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
               _("A string offset in the key provider information points into its "
                 "header; the certificate's key link is damaged"));
  return NULL;
}

static void
append_key_prov_info (GByteArray *out, const MendKeyProvInfo *kp)
{
  g_autoptr(GByteArray) strings = g_byte_array_new ();
  guint32 container_off = 0, provider_off = 0;

  if (kp->container != NULL)
    {
      container_off = KEY_PROV_HEADER_SIZE + strings->len;
      append_utf16le (strings, kp->container);
    }
  if (kp->provider != NULL)
    {
      provider_off = KEY_PROV_HEADER_SIZE + strings->len;
      append_utf16le (strings, kp->provider);
    }
  append_u32_le (out, container_off);
  append_u32_le (out, provider_off);
  append_u32_le (out, kp->provider_type);
  append_u32_le (out, kp->flags);
  append_u32_le (out, 0);   /* no provider parameters */
  append_u32_le (out, 0);
  append_u32_le (out, kp->key_spec);
  g_byte_array_append (out, strings->data, strings->len);
}

/* ---------------------------------------------------------------------------------------
 * Blobs
 * ------------------------------------------------------------------------------------- */

gboolean
mend_cert_blob_foreach (const guint8 *blob, gsize len, MendCertPropFunc func,
                        gpointer user_data, GError **error)
{
  gsize pos = 0;

  g_return_val_if_fail (blob != NULL || len == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  while (pos < len)
    {
      guint32 prop_id, cb;

      if (len - pos < PROP_HEADER_SIZE)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                       _("The certificate blob ends in the middle of a property header "
                         "(offset %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT "); the stored "
                         "certificate is damaged and should be re-imported"),
                       pos, len);
          return FALSE;
        }
      prop_id = read_u32_le (blob + pos);
      cb = read_u32_le (blob + pos + 8);
      pos += PROP_HEADER_SIZE;
      if (cb > len - pos)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                       _("Property %u of the certificate blob claims %u bytes but only %"
                         G_GSIZE_FORMAT " remain; the stored certificate is damaged and "
                         "should be re-imported"),
                       prop_id, cb, len - pos);
          return FALSE;
        }
      if (!func (prop_id, blob + pos, cb, user_data))
        return TRUE;
      pos += cb;
    }
  return TRUE;
}

typedef struct {
  const guint8 *der;
  gsize         der_len;
  const guint8 *key_prov;
  gsize         key_prov_len;
  const guint8 *friendly;
  gsize         friendly_len;
  const guint8 *sha1;
  gsize         sha1_len;
} BlobProps;

static gboolean
collect_prop_cb (guint32 prop_id, const guint8 *data, gsize len, gpointer user_data)
{
  BlobProps *props = user_data;

  /* The first occurrence wins, as a duplicate would be ignored by a reader that stops at
   * the first match too. */
  switch (prop_id)
    {
    case MEND_CERT_PROP_CERT:
      if (props->der == NULL)
        props->der = data, props->der_len = len;
      break;
    case MEND_CERT_PROP_KEY_PROV_INFO:
      if (props->key_prov == NULL)
        props->key_prov = data, props->key_prov_len = len;
      break;
    case MEND_CERT_PROP_FRIENDLY_NAME:
      if (props->friendly == NULL)
        props->friendly = data, props->friendly_len = len;
      break;
    case MEND_CERT_PROP_SHA1_HASH:
      if (props->sha1 == NULL)
        props->sha1 = data, props->sha1_len = len;
      break;
    default:
      break;
    }
  return TRUE;
}

void
mend_store_cert_free (MendStoreCert *cert)
{
  if (cert == NULL)
    return;
  g_free (cert->store);
  g_free (cert->key_name);
  mend_cert_info_free (cert->info);
  mend_key_prov_info_free (cert->key_prov);
  g_free (cert->friendly_name);
  g_free (cert);
}

/* Parses the blob; DER_SHA1 receives the SHA-1 (uppercase hex) of property 32. */
static MendStoreCert *
store_cert_parse (const guint8 *blob, gsize len, char **der_sha1, GError **error)
{
  BlobProps props = { 0 };
  g_autoptr(MendStoreCert) cert = NULL;
  g_autofree char *sha1 = NULL;

  if (!mend_cert_blob_foreach (blob, len, collect_prop_cb, &props, error))
    return NULL;

  if (props.der == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The certificate blob holds no certificate (property 32 is missing); "
                     "the stored certificate is damaged and should be re-imported"));
      return NULL;
    }

  cert = g_new0 (MendStoreCert, 1);
  sha1 = sha1_hex_upper (props.der, props.der_len);

  /* A certificate GnuTLS cannot read is still reported (with info = NULL): the rules
   * then say the stored certificate is unreadable rather than missing. */
  cert->info = mend_cert_info_new_from_der (props.der, props.der_len, NULL);

  if (props.key_prov != NULL)
    {
      cert->key_prov = mend_key_prov_info_parse (props.key_prov, props.key_prov_len, error);
      if (cert->key_prov == NULL)
        return NULL;
    }

  if (props.friendly != NULL && props.friendly_len >= 2)
    cert->friendly_name = utf16le_string_at (props.friendly, props.friendly_len, 0,
                                             "friendly name", NULL);

  /* Without a sub-key name, the stored hash property is what the DER must agree with. */
  if (props.sha1 != NULL)
    {
      g_autofree char *stored = mend_cert_hex_string (props.sha1, props.sha1_len, TRUE);
      cert->hash_matches = g_str_equal (stored, sha1);
    }
  else
    cert->hash_matches = TRUE;

  if (der_sha1 != NULL)
    *der_sha1 = g_steal_pointer (&sha1);
  return g_steal_pointer (&cert);
}

MendStoreCert *
mend_store_cert_new_from_blob (const guint8 *blob, gsize len, GError **error)
{
  g_return_val_if_fail (blob != NULL || len == 0, NULL);

  return store_cert_parse (blob, len, NULL, error);
}

MendStoreCert *
mend_store_cert_new_from_registry (const char *store, const char *key_name,
                                   const guint8 *blob, gsize len, GError **error)
{
  g_autofree char *der_sha1 = NULL;
  g_autofree char *wanted = NULL;
  MendStoreCert *cert;

  g_return_val_if_fail (blob != NULL || len == 0, NULL);

  cert = store_cert_parse (blob, len, &der_sha1, error);
  if (cert == NULL)
    return NULL;
  cert->store = g_strdup (store);
  cert->key_name = g_strdup (key_name);
  if (key_name != NULL)
    {
      wanted = mend_cert_normalize_thumbprint (key_name);
      cert->hash_matches = cert->hash_matches && wanted != NULL &&
                           g_str_equal (wanted, der_sha1);
    }
  return cert;
}

GBytes *
mend_cert_blob_build (const guint8 *der, gsize der_len, const MendKeyProvInfo *key_prov,
                      const char *friendly_name)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (der != NULL && der_len > 0 && der_len <= G_MAXUINT32, NULL);

  /* Same order as Windows writes them: key link and names first, the certificate last. */
  if (key_prov != NULL)
    {
      g_autoptr(GByteArray) kp = g_byte_array_new ();

      append_key_prov_info (kp, key_prov);
      append_u32_le (out, MEND_CERT_PROP_KEY_PROV_INFO);
      append_u32_le (out, 1);
      append_u32_le (out, kp->len);
      g_byte_array_append (out, kp->data, kp->len);
    }

  g_checksum_update (sum, der, der_len);
  g_checksum_get_digest (sum, digest, &digest_len);
  append_u32_le (out, MEND_CERT_PROP_SHA1_HASH);
  append_u32_le (out, 1);
  append_u32_le (out, digest_len);
  g_byte_array_append (out, digest, digest_len);

  if (friendly_name != NULL)
    {
      g_autoptr(GByteArray) fn = g_byte_array_new ();

      append_utf16le (fn, friendly_name);
      append_u32_le (out, MEND_CERT_PROP_FRIENDLY_NAME);
      append_u32_le (out, 1);
      append_u32_le (out, fn->len);
      g_byte_array_append (out, fn->data, fn->len);
    }

  append_u32_le (out, MEND_CERT_PROP_CERT);
  append_u32_le (out, 1);
  append_u32_le (out, (guint32) der_len);
  g_byte_array_append (out, der, der_len);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---------------------------------------------------------------------------------------
 * MachineKeys and thumbprints
 * ------------------------------------------------------------------------------------- */

char *
mend_cert_machine_key_file_name (const char *container, const char *machine_guid)
{
  g_autofree char *lower = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 d[16];
  gsize d_len = sizeof d;
  GString *name = g_string_new (NULL);

  g_return_val_if_fail (container != NULL, NULL);

  lower = g_ascii_strdown (container, -1);
  /* The terminating NUL is part of the hashed data. */
  g_checksum_update (sum, (const guchar *) lower, strlen (lower) + 1);
  g_checksum_get_digest (sum, d, &d_len);
  for (int i = 0; i < 4; i++)
    g_string_append_printf (name, "%08x", read_u32_le (d + 4 * i));
  g_string_append_c (name, '_');
  if (machine_guid != NULL)
    g_string_append (name, machine_guid);
  return g_string_free (name, FALSE);
}

char *
mend_cert_normalize_thumbprint (const char *input)
{
  GString *out;

  if (input == NULL)
    return NULL;

  out = g_string_new (NULL);
  /* Bytes of multi-byte UTF-8 sequences (U+200E and friends) are all >= 0x80, so they can
   * never be mistaken for hex digits. */
  for (const char *p = input; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (out, g_ascii_toupper (*p));

  if (out->len != 40)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

