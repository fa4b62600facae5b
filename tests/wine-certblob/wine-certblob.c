/* wine-certblob.c — Win32 helper (plain C, no GLib): adds a DER certificate to the
 * LocalMachine MY store with a key provider link, so crypt32 writes Windows' own Blob. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>

/* Usage: wine-certblob.exe CERT.der CONTAINER PROVIDER PROVTYPE FRIENDLYNAME
 * Prints the SHA-1 thumbprint crypt32 computed (uppercase hex) on success. */
int
wmain (int argc, wchar_t **argv)
{
  HANDLE file;
  DWORD size, got = 0;
  BYTE *der;
  HCERTSTORE store;
  PCCERT_CONTEXT ctx = NULL;
  CRYPT_KEY_PROV_INFO kpi;
  CRYPT_DATA_BLOB friendly;
  BYTE hash[20];
  DWORD hash_len = sizeof hash;

  if (argc != 6)
    {
      fwprintf (stderr, L"usage: %ls CERT.der CONTAINER PROVIDER PROVTYPE FRIENDLYNAME\n",
                argv[0]);
      return 2;
    }

  file = CreateFileW (argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (file == INVALID_HANDLE_VALUE)
    {
      fwprintf (stderr, L"cannot open %ls: error %lu\n", argv[1], GetLastError ());
      return 1;
    }
  size = GetFileSize (file, NULL);
  der = malloc (size ? size : 1);
  if (der == NULL || !ReadFile (file, der, size, &got, NULL) || got != size)
    {
      fwprintf (stderr, L"cannot read %ls: error %lu\n", argv[1], GetLastError ());
      return 1;
    }
  CloseHandle (file);

  store = CertOpenStore (CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE,
                         L"MY");
  if (store == NULL)
    {
      fwprintf (stderr, L"CertOpenStore(LocalMachine MY) failed: error %lu\n", GetLastError ());
      return 1;
    }
  if (!CertAddEncodedCertificateToStore (store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, der,
                                         size, CERT_STORE_ADD_REPLACE_EXISTING, &ctx))
    {
      fwprintf (stderr, L"CertAddEncodedCertificateToStore failed: error 0x%08lx\n",
                GetLastError ());
      return 1;
    }

  ZeroMemory (&kpi, sizeof kpi);
  kpi.pwszContainerName = argv[2];
  kpi.pwszProvName = argv[3];
  kpi.dwProvType = (DWORD) _wtoi (argv[4]);
  kpi.dwFlags = CRYPT_MACHINE_KEYSET;
  kpi.dwKeySpec = AT_KEYEXCHANGE;
  if (!CertSetCertificateContextProperty (ctx, CERT_KEY_PROV_INFO_PROP_ID, 0, &kpi))
    {
      fwprintf (stderr, L"setting CERT_KEY_PROV_INFO_PROP_ID failed: error 0x%08lx\n",
                GetLastError ());
      return 1;
    }

  friendly.pbData = (BYTE *) argv[5];
  friendly.cbData = (DWORD) ((wcslen (argv[5]) + 1) * sizeof (wchar_t));
  if (!CertSetCertificateContextProperty (ctx, CERT_FRIENDLY_NAME_PROP_ID, 0, &friendly))
    {
      fwprintf (stderr, L"setting CERT_FRIENDLY_NAME_PROP_ID failed: error 0x%08lx\n",
                GetLastError ());
      return 1;
    }

  if (!CertGetCertificateContextProperty (ctx, CERT_HASH_PROP_ID, hash, &hash_len))
    {
      fwprintf (stderr, L"reading CERT_HASH_PROP_ID failed: error 0x%08lx\n", GetLastError ());
      return 1;
    }
  for (DWORD i = 0; i < hash_len; i++)
    printf ("%02X", hash[i]);
  printf ("\n");

  CertFreeCertificateContext (ctx);
  CertCloseStore (store, 0);
  free (der);
  return 0;
}
