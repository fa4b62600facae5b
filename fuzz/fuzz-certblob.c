/* fuzz-certblob.c — libFuzzer target for certificate store blobs and key provider info. */
#include <stddef.h>
#include <stdint.h>

#include "formats/mend-cert.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  MendStoreCert *cert;
  MendKeyProvInfo *kp;

  /* The whole input as a registry Blob value (reaches the X.509 reader via property 32). */
  cert = mend_store_cert_new_from_blob (data, size, NULL);
  if (cert != NULL)
    {
      if (cert->info != NULL)
        {
          JsonObject *json = mend_cert_info_to_json (cert->info);
          mend_cert_info_matches_name (cert->info, "host.example.test");
          mend_cert_info_matches_name (cert->info, "10.0.0.1");
          json_object_unref (json);
        }
      mend_store_cert_free (cert);
    }

  /* And as property 2 on its own. */
  kp = mend_key_prov_info_parse (data, size, NULL);
  if (kp != NULL)
    {
      if (kp->container != NULL)
        g_free (mend_cert_machine_key_file_name (kp->container, "guid"));
      mend_key_prov_info_free (kp);
    }

  {
    char *text = g_strndup ((const char *) data, MIN (size, 256));
    g_free (mend_cert_normalize_thumbprint (text));
    g_free (text);
  }
  return 0;
}
