/* mend-checks-certs.c — the certificate bound to the RDP listener and the self-signed one. */
#include "checks/mend-checks-private.h"
#include "formats/mend-cert.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>

static char *
format_time (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

/* Certificates of one registry store, keyed by upper-case thumbprint. */
static GHashTable *
load_store (MendRegistry *reg, const char *store)
{
  GHashTable *certs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) mend_store_cert_free);
  g_autofree char *base = g_strdup_printf (MEND_KEY_SYSCERTS "\\%s\\Certificates", store);
  g_auto (GStrv) keys = mend_registry_list_subkeys (reg, base, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *k = g_strdup_printf ("%s\\%s", base, keys[i]);
      g_autoptr (MendRegValue) blob = mend_registry_get_value (reg, k, "Blob", NULL);
      if (blob == NULL)
        continue;
      gsize len;
      const guint8 *d = g_bytes_get_data (blob->data, &len);
      MendStoreCert *c = mend_store_cert_new_from_registry (store, keys[i], d, len, NULL);
      if (c == NULL)
        continue;
      g_hash_table_insert (certs, g_ascii_strup (keys[i], -1), c);
    }
  return certs;
}

/* Is the private key there? CryptoAPI keys live in MachineKeys under a name derived from
 * the container; CNG keys under Crypto/Keys (name not derivable: we only see the folder). */
static gboolean
key_file_present (MendCheckContext *ctx, const MendStoreCert *c, char **evidence)
{
  MendTarget *target = mend_check_context_get_target (ctx);
  if (c->key_prov == NULL)
    {
      *evidence = g_strdup (_("no private key is associated with the certificate"));
      return FALSE;
    }
  g_autofree char *guid = mend_registry_get_string (mend_check_context_get_registry (ctx),
                                                    "HKLM\\SOFTWARE\\Microsoft\\Cryptography",
                                                    "MachineGuid", NULL);
  if (c->key_prov->provider_type == 0)
    {
      g_autofree char *keys = mend_target_find_path (target, "ProgramData/Microsoft/Crypto/Keys");
      *evidence = g_strdup_printf (_("CNG key “%s” (in ProgramData/Microsoft/Crypto/Keys)"),
                                   c->key_prov->container);
      return keys != NULL;
    }
  if (guid == NULL)
    {
      *evidence = g_strdup (_("MachineGuid is missing, so the key file cannot be located"));
      return FALSE;
    }
  g_autofree char *name = mend_cert_machine_key_file_name (c->key_prov->container, guid);
  g_autofree char *rel = g_strconcat ("ProgramData/Microsoft/Crypto/RSA/MachineKeys/", name, NULL);
  g_autofree char *found = mend_target_find_path (target, rel);
  *evidence = g_strdup_printf ("%s: %s", rel, found ? _("present") : _("missing"));
  return found != NULL;
}

static void
add_cert_evidence (MendFinding *f, const MendStoreCert *c)
{
  g_autofree char *where = g_strdup_printf ("%s\\%s\\Certificates\\%s", "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates",
                                            c->store, c->key_name);
  if (c->info == NULL)
    {
      mend_finding_add_evidence (f, "certificate", where, NULL, _("could not be parsed"));
      return;
    }
  g_autofree char *nb = format_time (c->info->not_before);
  g_autofree char *na = format_time (c->info->not_after);
  g_autofree char *validity = g_strdup_printf (_("%s to %s"), nb, na);
  mend_finding_add_evidence (f, "certificate", where, "subject", c->info->subject);
  mend_finding_add_evidence (f, "certificate", where, "validity", validity);
  g_autofree char *ekus = c->info->has_eku_extension && c->info->ekus
                            ? g_strjoinv (", ", c->info->ekus) : g_strdup (_("any purpose"));
  mend_finding_add_evidence (f, "certificate", where, "eku", ekus);
}

static void
set_cert_extra (MendFinding *f, const MendStoreCert *c)
{
  if (c && c->info)
    json_object_set_object_member (mend_finding_get_extra (f), "certificate",
                                   mend_cert_info_to_json (c->info));
}

static void
check_bound (MendCheckContext *ctx, const char *thumb, GHashTable *my, GHashTable *rd)
{
  gint64 now = mend_check_context_get_now (ctx);
  MendStoreCert *c = g_hash_table_lookup (my, thumb);
  if (c == NULL)
    c = g_hash_table_lookup (rd, thumb);

  if (c == NULL)
    {
      MendFinding *f = mend_finding_new ("server.certificate-missing", MEND_SEVERITY_PROBLEM,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         _("The listener's certificate does not exist"));
      mend_finding_set_detail (f, _("SSLCertificateSHA1Hash names a certificate that is in neither "
                                    "the Personal (MY) nor the Remote Desktop store. The server "
                                    "cannot start TLS and closes the connection (0x904)."));
      mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_RDPTCP, "SSLCertificateSHA1Hash");
      mend_finding_add_fix (f, "rebind-certificate");
      mend_check_context_add (ctx, f);
      return;
    }
  MendFinding *present = mend_finding_new ("server.certificate-missing", MEND_SEVERITY_OK,
                                           MEND_CONFIDENCE_CONFIRMED,
                                           _("The listener's certificate is in the store"));
  mend_check_context_add_registry_evidence (ctx, present, MEND_KEY_RDPTCP, "SSLCertificateSHA1Hash");
  mend_check_context_add (ctx, present);

  if (c->info == NULL || !mend_cert_info_is_valid_at (c->info, now))
    {
      gboolean early = c->info && now < c->info->not_before;
      MendFinding *f = mend_finding_new ("server.certificate-expired", MEND_SEVERITY_PROBLEM,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         c->info == NULL ? _("The listener's certificate cannot be read")
                                         : early ? _("The listener's certificate is not valid yet")
                                                 : _("The listener's certificate has expired"));
      mend_finding_set_detail (f, _("Windows cannot use an expired or not-yet-valid certificate for "
                                    "TLS; connections fail during setup. Bind a valid certificate, "
                                    "or remove the binding so the self-signed one is used."));
      add_cert_evidence (f, c);
      set_cert_extra (f, c);
      mend_finding_add_fix (f, "rebind-certificate");
      mend_check_context_add (ctx, f);
    }
  else
    {
      g_autofree char *until = format_time (c->info->not_after);
      g_autofree char *title = g_strdup_printf (_("The listener's certificate is valid until %s"), until);
      MendFinding *f = mend_finding_new ("server.certificate-expired", MEND_SEVERITY_OK,
                                         MEND_CONFIDENCE_CONFIRMED, title);
      add_cert_evidence (f, c);
      mend_check_context_add (ctx, f);
    }

  g_autofree char *key_ev = NULL;
  gboolean key_ok = key_file_present (ctx, c, &key_ev);
  gboolean eku_ok = c->info && mend_cert_info_allows_server_auth (c->info);
  MendFinding *f;
  if (!key_ok || !eku_ok)
    {
      f = mend_finding_new ("server.certificate-unusable", MEND_SEVERITY_PROBLEM,
                            MEND_CONFIDENCE_CONFIRMED,
                            !eku_ok ? _("The listener's certificate is not meant for server authentication")
                                    : _("The listener's certificate has no private key"));
      mend_finding_set_detail (f, _("A Remote Desktop certificate needs the Server Authentication or "
                                    "Remote Desktop Authentication purpose and a private key that "
                                    "the service can read."));
      mend_finding_add_fix (f, "rebind-certificate");
    }
  else
    f = mend_finding_new ("server.certificate-unusable", MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                          _("The listener's certificate has a private key and the right purpose"));
  add_cert_evidence (f, c);
  mend_finding_add_evidence (f, "file", NULL, "private key", key_ev);
  set_cert_extra (f, c);
  mend_check_context_add (ctx, f);
}

static void
check_selfsigned (MendCheckContext *ctx, GHashTable *rd)
{
  gint64 now = mend_check_context_get_now (ctx);
  GHashTableIter it;
  gpointer key, value;
  MendStoreCert *newest = NULL;
  g_hash_table_iter_init (&it, rd);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      MendStoreCert *c = value;
      if (c->info && (newest == NULL || c->info->not_after > newest->info->not_after))
        newest = c;
    }
  if (newest == NULL)
    {
      MendFinding *f = mend_finding_new ("server.selfsigned-expired", MEND_SEVERITY_OK,
                                         MEND_CONFIDENCE_LIKELY,
                                         _("No self-signed certificate yet; Windows creates one when "
                                           "Remote Desktop Services starts"));
      mend_check_context_add (ctx, f);
      return;
    }
  MendFinding *f;
  if (!mend_cert_info_is_valid_at (newest->info, now))
    {
      f = mend_finding_new ("server.selfsigned-expired", MEND_SEVERITY_WARNING,
                            MEND_CONFIDENCE_CONFIRMED,
                            _("The self-signed Remote Desktop certificate has expired"));
      mend_finding_set_detail (f, _("Windows normally renews it when Remote Desktop Services starts; "
                                    "if it cannot (events 1057/1058), connections fail. Removing "
                                    "the expired certificate and restarting the service makes "
                                    "Windows create a new one."));
      mend_finding_add_fix (f, "rebind-certificate");
    }
  else
    {
      g_autofree char *until = format_time (newest->info->not_after);
      g_autofree char *title = g_strdup_printf (_("The self-signed certificate is valid until %s"), until);
      f = mend_finding_new ("server.selfsigned-expired", MEND_SEVERITY_OK, MEND_CONFIDENCE_CONFIRMED,
                            title);
    }
  add_cert_evidence (f, newest);
  set_cert_extra (f, newest);
  mend_check_context_add (ctx, f);
}

void
mend_check_certificates (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  g_autoptr (GError) error = NULL;
  if (!mend_registry_key_exists (reg, MEND_KEY_TS, &error) && error)
    {
      mend_check_context_skip (ctx, error->message);
      return;
    }
  g_autoptr (GHashTable) my = load_store (reg, "MY");
  g_autoptr (GHashTable) rd = load_store (reg, "Remote Desktop");
  g_autoptr (MendRegValue) bound = mend_registry_get_value (reg, MEND_KEY_RDPTCP,
                                                            "SSLCertificateSHA1Hash", NULL);
  if (bound == NULL)
    {
      check_selfsigned (ctx, rd);
      return;
    }
  gsize len;
  const guint8 *d = g_bytes_get_data (bound->data, &len);
  GString *hex = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02X", d[i]);
  if (len != 20)
    {
      MendFinding *f = mend_finding_new ("server.certificate-missing", MEND_SEVERITY_PROBLEM,
                                         MEND_CONFIDENCE_CONFIRMED,
                                         _("The listener's certificate setting is malformed"));
      mend_finding_set_detail (f, _("SSLCertificateSHA1Hash must be 20 bytes (a SHA-1 thumbprint)."));
      mend_check_context_add_registry_evidence (ctx, f, MEND_KEY_RDPTCP, "SSLCertificateSHA1Hash");
      mend_finding_add_fix (f, "rebind-certificate");
      mend_check_context_add (ctx, f);
      g_string_free (hex, TRUE);
      return;
    }
  g_autofree char *thumb = g_string_free (hex, FALSE);
  check_bound (ctx, thumb, my, rd);
}
