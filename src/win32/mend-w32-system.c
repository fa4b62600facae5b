/* mend-w32-system.c — elevation, services, files, temp folder and certificate stores
 * through advapi32, kernel32, version and crypt32. */
#include "mend-w32-system.h"
#include "mend-w32-util.h"

#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MendW32Status
mend_w32_process_info (MendW32ProcessInfo *info, MendW32Error *error)
{
  SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
  PSID admins = NULL;
  BOOL member = FALSE, wow64 = FALSE;
  HANDLE token;

  memset (info, 0, sizeof *info);
  info->pointer_bits = (int) sizeof (void *) * 8;
  if (IsWow64Process (GetCurrentProcess (), &wow64))
    info->wow64 = wow64 != FALSE;

  if (!AllocateAndInitializeSid (&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                 DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins))
    return mend_w32_fail_win32 (error, GetLastError (), "AllocateAndInitializeSid");
  /* With UAC the Administrators SID is deny-only in a filtered token, so membership here
   * means "can write HKLM now", which is what the apply step needs. */
  if (!CheckTokenMembership (NULL, admins, &member))
    {
      MendW32Status st = mend_w32_fail_win32 (error, GetLastError (), "CheckTokenMembership");
      FreeSid (admins);
      return st;
    }
  FreeSid (admins);
  info->admin_member = member != FALSE;

  if (OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &token))
    {
      TOKEN_ELEVATION elevation;
      DWORD len = 0;

      if (GetTokenInformation (token, TokenElevation, &elevation, sizeof elevation, &len))
        {
          info->elevation_known = 1;
          info->elevated = elevation.TokenIsElevated != 0;
        }
      CloseHandle (token);
    }
  return MEND_W32_OK;
}

void
mend_w32_service_clear (MendW32Service *service)
{
  if (service == NULL)
    return;
  free (service->binary_path);
  free (service->account);
  memset (service, 0, sizeof *service);
}

const char *
mend_w32_service_start_type_name (unsigned long start_type)
{
  switch (start_type)
    {
    case SERVICE_BOOT_START: return "boot";
    case SERVICE_SYSTEM_START: return "system";
    case SERVICE_AUTO_START: return "auto";
    case SERVICE_DEMAND_START: return "demand";
    case SERVICE_DISABLED: return "disabled";
    default: return "unknown";
    }
}

const char *
mend_w32_service_state_name (unsigned long state)
{
  switch (state)
    {
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "start-pending";
    case SERVICE_STOP_PENDING: return "stop-pending";
    case SERVICE_RUNNING: return "running";
    case SERVICE_CONTINUE_PENDING: return "continue-pending";
    case SERVICE_PAUSE_PENDING: return "pause-pending";
    case SERVICE_PAUSED: return "paused";
    default: return "unknown";
    }
}

MendW32Status
mend_w32_service_query (const char *name, MendW32Service *service, MendW32Error *error)
{
  wchar_t *wname = mend_w32_utf8_to_wide (name);
  SC_HANDLE scm = NULL, svc = NULL;
  QUERY_SERVICE_CONFIGW *config = NULL;
  SERVICE_STATUS status;
  DWORD needed = 0;
  MendW32Status st = MEND_W32_OK;

  memset (service, 0, sizeof *service);
  if (wname == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "service name is not valid UTF-8");

  /* Read-only rights: detection runs unprivileged. */
  scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_CONNECT);
  if (scm == NULL)
    {
      st = mend_w32_fail_win32 (error, GetLastError (), "OpenSCManagerW");
      goto out;
    }
  svc = OpenServiceW (scm, wname, SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS);
  if (svc == NULL && GetLastError () == ERROR_ACCESS_DENIED)
    svc = OpenServiceW (scm, wname, SERVICE_QUERY_CONFIG);
  if (svc == NULL)
    {
      st = mend_w32_fail_win32 (error, GetLastError (), "OpenServiceW %s", name);
      goto out;
    }

  if (!QueryServiceConfigW (svc, NULL, 0, &needed)
      && GetLastError () != ERROR_INSUFFICIENT_BUFFER)
    {
      st = mend_w32_fail_win32 (error, GetLastError (), "QueryServiceConfigW %s", name);
      goto out;
    }
  config = malloc (needed ? needed : sizeof *config);
  if (config == NULL)
    {
      st = mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
      goto out;
    }
  if (!QueryServiceConfigW (svc, config, needed, &needed))
    {
      st = mend_w32_fail_win32 (error, GetLastError (), "QueryServiceConfigW %s", name);
      goto out;
    }
  service->service_type = config->dwServiceType;
  service->start_type = config->dwStartType;
  service->binary_path = mend_w32_wide_to_utf8 (config->lpBinaryPathName
                                                ? config->lpBinaryPathName : L"", -1);
  if (config->lpServiceStartName)
    service->account = mend_w32_wide_to_utf8 (config->lpServiceStartName, -1);

  if (QueryServiceStatus (svc, &status))
    {
      service->state_known = 1;
      service->state = status.dwCurrentState;
    }

out:
  free (config);
  if (svc)
    CloseServiceHandle (svc);
  if (scm)
    CloseServiceHandle (scm);
  free (wname);
  if (st != MEND_W32_OK)
    mend_w32_service_clear (service);
  return st;
}

MendW32Status
mend_w32_file_info (const char *path, MendW32FileInfo *info, MendW32Error *error)
{
  wchar_t *wpath = mend_w32_utf8_to_wide (path);
  WIN32_FILE_ATTRIBUTE_DATA data;
  DWORD handle = 0, size;

  memset (info, 0, sizeof *info);
  if (wpath == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "file name is not valid UTF-8");

  if (!GetFileAttributesExW (wpath, GetFileExInfoStandard, &data))
    {
      DWORD code = GetLastError ();
      free (wpath);
      if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)
        return MEND_W32_OK;
      return mend_w32_fail_win32 (error, code, "GetFileAttributesExW %s", path);
    }
  info->exists = 1;
  info->attributes = data.dwFileAttributes;
  info->read_only = (data.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
  info->directory = (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  info->size = ((unsigned long long) data.nFileSizeHigh << 32) | data.nFileSizeLow;

  /* No version resource is a fact about the file, not a failure. */
  size = GetFileVersionInfoSizeW (wpath, &handle);
  if (size > 0)
    {
      void *block = malloc (size);
      VS_FIXEDFILEINFO *fixed = NULL;
      UINT len = 0;

      if (block && GetFileVersionInfoW (wpath, 0, size, block)
          && VerQueryValueW (block, L"\\", (void **) &fixed, &len)
          && fixed != NULL && len >= sizeof *fixed && fixed->dwSignature == 0xFEEF04BD)
        {
          info->has_version = 1;
          info->version[0] = HIWORD (fixed->dwFileVersionMS);
          info->version[1] = LOWORD (fixed->dwFileVersionMS);
          info->version[2] = HIWORD (fixed->dwFileVersionLS);
          info->version[3] = LOWORD (fixed->dwFileVersionLS);
        }
      free (block);
    }
  free (wpath);
  return MEND_W32_OK;
}

char *
mend_w32_native_system_file (const char *name)
{
  wchar_t windir[MAX_PATH];
  UINT n = GetSystemWindowsDirectoryW (windir, MAX_PATH);
  BOOL wow64 = FALSE;
  char *dir, *out;
  size_t len;

  if (n == 0 || n >= MAX_PATH)
    return NULL;
  IsWow64Process (GetCurrentProcess (), &wow64);
  dir = mend_w32_wide_to_utf8 (windir, -1);
  if (dir == NULL)
    return NULL;
  len = strlen (dir) + strlen (name) + 16;
  out = malloc (len);
  if (out)
    snprintf (out, len, "%s\\%s\\%s", dir, wow64 ? "Sysnative" : "System32", name);
  free (dir);
  return out;
}

void
mend_w32_temp_clear (MendW32TempInfo *info)
{
  if (info == NULL)
    return;
  free (info->path);
  memset (info, 0, sizeof *info);
}

MendW32Status
mend_w32_temp_check (MendW32TempInfo *info, MendW32Error *error)
{
  wchar_t dir[MAX_PATH + 1], file[MAX_PATH];
  DWORD n = GetTempPathW (MAX_PATH + 1, dir), attrs;
  HANDLE h;

  memset (info, 0, sizeof *info);
  if (n == 0 || n > MAX_PATH)
    return mend_w32_fail_win32 (error, n ? ERROR_BUFFER_OVERFLOW : GetLastError (),
                                "GetTempPathW");
  info->path = mend_w32_wide_to_utf8 (dir, -1);
  if (info->path == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");

  attrs = GetFileAttributesW (dir);
  if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY))
    {
      info->win32_code = attrs == INVALID_FILE_ATTRIBUTES ? GetLastError ()
                                                          : ERROR_DIRECTORY;
      return MEND_W32_OK;
    }
  info->exists = 1;

  /* mstsc writes its bitmap cache and temporary files here; "writable" means a real file
   * could be created and written, not merely that the ACL looks right. */
  if (GetTempFileNameW (dir, L"rdm", 0, file) == 0)
    {
      info->win32_code = GetLastError ();
      return MEND_W32_OK;
    }
  h = CreateFileW (file, GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING,
                   FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
  if (h == INVALID_HANDLE_VALUE)
    {
      info->win32_code = GetLastError ();
      DeleteFileW (file);
      return MEND_W32_OK;
    }
  else
    {
      static const char probe[] = "rdpmend";
      DWORD written = 0;

      if (WriteFile (h, probe, sizeof probe, &written, NULL) && written == sizeof probe)
        info->writable = 1;
      else
        info->win32_code = GetLastError ();
      CloseHandle (h);
    }
  DeleteFileW (file);
  return MEND_W32_OK;
}

static long long
filetime_to_unix (const FILETIME *ft)
{
  unsigned long long t = ((unsigned long long) ft->dwHighDateTime << 32) | ft->dwLowDateTime;

  return (long long) (t / 10000000ULL) - 11644473600LL;
}

static void
cert_clear (MendW32Cert *c)
{
  free (c->der);
  free (c->subject);
  free (c->friendly_name);
  free (c->key_container);
  free (c->key_provider);
  memset (c, 0, sizeof *c);
}

void
mend_w32_certs_free (MendW32Cert *certs, size_t n_certs)
{
  size_t i;

  if (certs == NULL)
    return;
  for (i = 0; i < n_certs; i++)
    cert_clear (&certs[i]);
  free (certs);
}

/* Reads a context property into a fresh buffer; NULL when absent. */
static void *
cert_property (PCCERT_CONTEXT ctx, DWORD id, DWORD *size)
{
  DWORD len = 0;
  void *buf;

  if (!CertGetCertificateContextProperty (ctx, id, NULL, &len) || len == 0)
    return NULL;
  buf = calloc (1, len + 2);
  if (buf == NULL)
    return NULL;
  if (!CertGetCertificateContextProperty (ctx, id, buf, &len))
    {
      free (buf);
      return NULL;
    }
  if (size)
    *size = len;
  return buf;
}

static int
cert_fill (PCCERT_CONTEXT ctx, MendW32Cert *c)
{
  static const char hex[] = "0123456789ABCDEF";
  BYTE hash[20];
  DWORD len = sizeof hash, i;
  wchar_t subject[512];
  wchar_t *friendly;
  CRYPT_KEY_PROV_INFO *kpi;

  memset (c, 0, sizeof *c);
  if (!CertGetCertificateContextProperty (ctx, CERT_HASH_PROP_ID, hash, &len) || len != 20)
    return 0;
  for (i = 0; i < 20; i++)
    {
      c->thumbprint[2 * i] = hex[hash[i] >> 4];
      c->thumbprint[2 * i + 1] = hex[hash[i] & 15];
    }
  c->thumbprint[40] = 0;

  c->der = malloc (ctx->cbCertEncoded ? ctx->cbCertEncoded : 1);
  if (c->der == NULL)
    return 0;
  memcpy (c->der, ctx->pbCertEncoded, ctx->cbCertEncoded);
  c->der_size = ctx->cbCertEncoded;

  if (CertGetNameStringW (ctx, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, 512) > 1)
    c->subject = mend_w32_wide_to_utf8 (subject, -1);
  else
    c->subject = calloc (1, 1);
  friendly = cert_property (ctx, CERT_FRIENDLY_NAME_PROP_ID, NULL);
  if (friendly)
    {
      c->friendly_name = mend_w32_wide_to_utf8 (friendly, -1);
      free (friendly);
    }
  if (ctx->pCertInfo)
    {
      c->not_before = filetime_to_unix (&ctx->pCertInfo->NotBefore);
      c->not_after = filetime_to_unix (&ctx->pCertInfo->NotAfter);
    }

  /* The link to the private key: the RDP listener needs it, and a certificate without one
   * is a common reason for "the server's certificate is unusable" (event 1057/1058). */
  kpi = cert_property (ctx, CERT_KEY_PROV_INFO_PROP_ID, NULL);
  if (kpi)
    {
      c->has_key_prov = 1;
      c->key_container = mend_w32_wide_to_utf8 (kpi->pwszContainerName
                                                ? kpi->pwszContainerName : L"", -1);
      c->key_provider = mend_w32_wide_to_utf8 (kpi->pwszProvName ? kpi->pwszProvName : L"",
                                               -1);
      c->key_prov_type = kpi->dwProvType;
      c->key_flags = kpi->dwFlags;
      c->key_spec = kpi->dwKeySpec;
      free (kpi);
    }
  return c->subject != NULL;
}

MendW32Status
mend_w32_cert_list (const char *store_name, MendW32Cert **certs, size_t *n_certs,
                    MendW32Error *error)
{
  wchar_t *wstore = mend_w32_utf8_to_wide (store_name);
  HCERTSTORE store;
  PCCERT_CONTEXT ctx = NULL;
  MendW32Cert *out = NULL;
  size_t n = 0, cap = 0;

  *certs = NULL;
  *n_certs = 0;
  if (wstore == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "store name is not valid UTF-8");

  /* Read-only and open-existing: diagnosis must not create an empty "Remote Desktop"
   * store as a side effect. */
  store = CertOpenStore (CERT_STORE_PROV_SYSTEM_W, 0, 0,
                         CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_OPEN_EXISTING_FLAG
                         | CERT_STORE_READONLY_FLAG, wstore);
  free (wstore);
  if (store == NULL)
    return mend_w32_fail_win32 (error, GetLastError (), "CertOpenStore LocalMachine\\%s",
                                store_name);

  while ((ctx = CertEnumCertificatesInStore (store, ctx)) != NULL)
    {
      if (n == cap)
        {
          size_t new_cap = cap ? cap * 2 : 8;
          MendW32Cert *grown = realloc (out, new_cap * sizeof *out);

          if (grown == NULL)
            {
              CertFreeCertificateContext (ctx);
              CertCloseStore (store, 0);
              mend_w32_certs_free (out, n);
              return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
            }
          out = grown;
          cap = new_cap;
        }
      if (cert_fill (ctx, &out[n]))
        n++;
      else
        cert_clear (&out[n]);
    }
  CertCloseStore (store, 0);
  *certs = out;
  *n_certs = n;
  return MEND_W32_OK;
}
