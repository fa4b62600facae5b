/* mend-fix-certificate.c — rebind-certificate: choose the certificate the RDP listener
 * should use (or fall back to the self-signed one) from what the stores really hold. */
#include "fixes/mend-fix.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include "formats/mend-cert.h"
#include "base/mend-error.h"

#define STORES "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates"
#define MACHINE_GUID_KEY "HKLM\\SOFTWARE\\Microsoft\\Cryptography"

typedef struct {
  MendStoreCert *cert;
  char          *reason;      /* why it cannot be used, or NULL */
  gboolean       name_match;
} Candidate;

static void
candidate_free (Candidate *c)
{
  mend_store_cert_free (c->cert);
  g_free (c->reason);
  g_free (c);
}

static gboolean
key_file_exists (MendFixContext *ctx, const MendKeyProvInfo *kp, const char *machine_guid)
{
  static const char * const folders[] = {
    "ProgramData/Microsoft/Crypto/RSA/MachineKeys",
    "ProgramData/Microsoft/Crypto/Keys",          /* CNG */
  };
  g_autofree char *name = NULL;

  if (kp == NULL || kp->container == NULL || machine_guid == NULL)
    return FALSE;
  name = mend_cert_machine_key_file_name (kp->container, machine_guid);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *rel = g_strdup_printf ("%s/%s", folders[i], name);
      g_autofree char *found = mend_target_find_path (ctx->target, rel);

      if (found != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Names the server is reached by: computer name, and with the DNS domain its FQDN. */
static GPtrArray *
server_names (MendFixContext *ctx)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *computer = mend_registry_get_string (
    ctx->registry, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
    "ComputerName", NULL);
  g_autofree char *host = mend_registry_get_string (
    ctx->registry, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters", "Hostname", NULL);
  g_autofree char *domain = mend_registry_get_string (
    ctx->registry, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters", "Domain", NULL);

  if (computer != NULL && computer[0] != '\0')
    g_ptr_array_add (names, g_strdup (computer));
  if (host != NULL && host[0] != '\0')
    {
      g_ptr_array_add (names, g_strdup (host));
      if (domain != NULL && domain[0] != '\0')
        g_ptr_array_add (names, g_strdup_printf ("%s.%s", host, domain));
    }
  return names;
}

static GPtrArray *
load_store (MendFixContext *ctx, const char *store, const char *machine_guid, GPtrArray *names,
            GError **error)
{
  g_autofree char *path = g_strdup_printf ("%s\\%s\\Certificates", STORES, store);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) subkeys = NULL;

  if (!mend_registry_key_exists (ctx->registry, path, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_ptr_array_unref (out);
          return NULL;
        }
      return out;
    }
  subkeys = mend_registry_list_subkeys (ctx->registry, path, error);
  if (subkeys == NULL)
    {
      g_ptr_array_unref (out);
      return NULL;
    }
  for (guint i = 0; subkeys[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s\\%s", path, subkeys[i]);
      g_autoptr (MendRegValue) blob = mend_registry_get_value (ctx->registry, key, "Blob", NULL);
      Candidate *c = g_new0 (Candidate, 1);
      gsize len = 0;
      const guint8 *data;

      g_ptr_array_add (out, c);
      if (blob == NULL)
        {
          c->cert = g_new0 (MendStoreCert, 1);
          c->cert->store = g_strdup (store);
          c->cert->key_name = g_strdup (subkeys[i]);
          c->reason = g_strdup (_("the store entry has no certificate data"));
          continue;
        }
      data = g_bytes_get_data (blob->data, &len);
      c->cert = mend_store_cert_new_from_blob (data, len, NULL);
      if (c->cert == NULL)
        {
          c->cert = g_new0 (MendStoreCert, 1);
          c->reason = g_strdup (_("the certificate cannot be read"));
        }
      g_free (c->cert->store);
      c->cert->store = g_strdup (store);
      g_free (c->cert->key_name);
      c->cert->key_name = g_strdup (subkeys[i]);
      if (c->reason != NULL)
        continue;
      if (c->cert->info == NULL || c->cert->info->sha1 == NULL || strlen (c->cert->info->sha1) != 40)
        c->reason = g_strdup (_("the certificate cannot be read"));
      else if (!mend_cert_info_is_valid_at (c->cert->info, ctx->now))
        c->reason = g_strdup (ctx->now > c->cert->info->not_after ? _("it has expired")
                                                                  : _("it is not valid yet"));
      else if (!mend_cert_info_allows_server_auth (c->cert->info))
        c->reason = g_strdup (_("it lacks the Server Authentication / Remote Desktop "
                                "Authentication purpose"));
      else if (c->cert->key_prov == NULL)
        c->reason = g_strdup (_("no private key is associated with it"));
      else if (!key_file_exists (ctx, c->cert->key_prov, machine_guid))
        c->reason = g_strdup (_("its private key file is missing under MachineKeys"));
      for (guint n = 0; c->cert->info != NULL && n < names->len; n++)
        if (mend_cert_info_matches_name (c->cert->info, g_ptr_array_index (names, n)))
          c->name_match = TRUE;
    }
  return out;
}

static int
compare_best_first (gconstpointer pa, gconstpointer pb)
{
  const Candidate *a = *(Candidate * const *) pa;
  const Candidate *b = *(Candidate * const *) pb;

  if (a->name_match != b->name_match)
    return a->name_match ? -1 : 1;
  if (a->cert->info->not_after != b->cert->info->not_after)
    return a->cert->info->not_after > b->cert->info->not_after ? -1 : 1;
  return g_strcmp0 (a->cert->key_name, b->cert->key_name);
}

static MendRegValue *
thumbprint_value (const char *hex)
{
  guint8 bytes[20];

  for (guint i = 0; i < 20; i++)
    bytes[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return mend_reg_value_new_binary ("SSLCertificateSHA1Hash", bytes, sizeof bytes);
}

static gboolean
bind (MendFixContext *ctx, Candidate *c, GError **error)
{
  /* Windows finds the certificate by the SHA-1 of its DER, whatever the key is called. */
  g_autofree char *thumb = g_ascii_strup (c->cert->info->sha1, -1);
  g_autoptr (GDateTime) until = g_date_time_new_from_unix_utc (c->cert->info->not_after);
  g_autofree char *until_text = until != NULL ? g_date_time_format (until, "%Y-%m-%d") : g_strdup ("?");
  g_autofree char *desc = g_strdup_printf (
    _("Bind the certificate %s (%s, valid until %s) to the RDP-Tcp listener"), thumb,
    c->cert->info->common_name != NULL ? c->cert->info->common_name : c->cert->info->subject,
    until_text);

  return mend_fix_set_value (ctx, MEND_PATH_RDP_TCP, thumbprint_value (thumb), desc, error);
}

gboolean
mend_fix_rebind_certificate (MendFixContext *ctx, GError **error)
{
  const char *param = g_hash_table_lookup (ctx->params, "thumbprint");
  g_autofree char *wanted = NULL;
  g_autofree char *machine_guid = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GPtrArray) my = NULL;
  g_autoptr (GPtrArray) usable = g_ptr_array_new ();
  g_autoptr (GError) local_error = NULL;

  if (param != NULL && (wanted = mend_cert_normalize_thumbprint (param)) == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                   _("thumbprint=%s is not a certificate thumbprint: it needs exactly 40 "
                     "hexadecimal digits (spaces are allowed)."), param);
      return FALSE;
    }
  if (!mend_fix_require_key (ctx, MEND_PATH_RDP_TCP, error))
    return FALSE;
  /* The stores live in SOFTWARE: without it nothing can be chosen safely. */
  if (!mend_fix_require_hive (ctx, STORES, error))
    return FALSE;

  machine_guid = mend_registry_get_string (ctx->registry, MACHINE_GUID_KEY, "MachineGuid", NULL);
  names = server_names (ctx);
  my = load_store (ctx, "MY", machine_guid, names, error);
  if (my == NULL)
    return FALSE;

  if (wanted != NULL)
    {
      for (guint i = 0; i < my->len; i++)
        {
          Candidate *c = g_ptr_array_index (my, i);

          if (g_ascii_strcasecmp (c->cert->key_name, wanted) != 0
              && (c->cert->info == NULL || c->cert->info->sha1 == NULL
                  || g_ascii_strcasecmp (c->cert->info->sha1, wanted) != 0))
            continue;
          if (c->reason != NULL)
            {
              g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                           _("The certificate %s cannot be used for Remote Desktop: %s."),
                           wanted, c->reason);
              return FALSE;
            }
          if (!bind (ctx, c, error))
            return FALSE;
          mend_fix_add_step (ctx, _("Restart Remote Desktop Services (or Windows)."));
          mend_fix_add_step (ctx,
                              _("If the System log shows Schannel event 36870, give NETWORK "
                                "SERVICE read access to the certificate's private key "
                                "(certlm.msc › Personal › the certificate › All Tasks › "
                                "Manage Private Keys)."));
          return TRUE;
        }
      g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                   _("There is no certificate with the thumbprint %s in the computer's "
                     "Personal (MY) store."), wanted);
      return FALSE;
    }

  for (guint i = 0; i < my->len; i++)
    {
      Candidate *c = g_ptr_array_index (my, i);

      if (c->reason == NULL)
        g_ptr_array_add (usable, c);
      else if (c->cert->key_name != NULL)
        {
          g_autofree char *note = g_strdup_printf (_("Not chosen: %s in MY, because %s."),
                                                   c->cert->key_name, c->reason);

          mend_fix_add_note (ctx, note);
        }
    }

  if (usable->len > 0)
    {
      g_ptr_array_sort (usable, compare_best_first);
      if (!bind (ctx, g_ptr_array_index (usable, 0), error))
        return FALSE;
    }
  else
    {
      g_autoptr (GPtrArray) rd = NULL;

      mend_fix_add_note (ctx,
                          _("No certificate in the Personal (MY) store can be used, so the "
                            "listener goes back to its own self-signed certificate."));
      if (!mend_fix_delete_value (ctx, MEND_PATH_RDP_TCP, "SSLCertificateSHA1Hash",
                                  _("Remove the certificate binding (SSLCertificateSHA1Hash) so "
                                    "Remote Desktop uses its self-signed certificate"),
                                  error))
        return FALSE;
      /* An expired self-signed certificate is only replaced once it is gone. */
      rd = load_store (ctx, "Remote Desktop", machine_guid, names, &local_error);
      for (guint i = 0; rd != NULL && i < rd->len; i++)
        {
          Candidate *c = g_ptr_array_index (rd, i);
          g_autofree char *path = NULL;
          g_autofree char *desc = NULL;

          if (c->cert->info == NULL || mend_cert_info_is_valid_at (c->cert->info, ctx->now))
            continue;
          path = g_strdup_printf ("%s\\Remote Desktop\\Certificates\\%s", STORES, c->cert->key_name);
          desc = g_strdup_printf (_("Delete the expired self-signed certificate %s so Remote "
                                    "Desktop Services creates a new one"), c->cert->key_name);
          if (!mend_fix_delete_tree (ctx, path, desc, error))
            return FALSE;
        }
    }
  mend_fix_add_step (ctx, _("Restart Remote Desktop Services (or Windows)."));
  mend_fix_add_step (ctx,
                      _("If the System log shows Schannel event 36870, give NETWORK SERVICE "
                        "read access to the certificate's private key (certlm.msc › Personal › "
                        "the certificate › All Tasks › Manage Private Keys)."));
  return TRUE;
}
