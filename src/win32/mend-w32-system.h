/* mend-w32-system.h — live facts the checks need besides the registry: elevation, services,
 * system files, the temp folder and the machine certificate stores. Plain C, no GLib. */
#pragma once

#include <stddef.h>

#include "mend-w32-registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int pointer_bits;             /* 32 or 64: how this executable was built */
  int wow64;                    /* a 32-bit process on 64-bit Windows (redirection applies) */
  int admin_member;             /* enabled member of BUILTIN\Administrators (UAC: elevated) */
  int elevation_known;          /* TokenElevation could be read */
  int elevated;                 /* TokenElevation says elevated */
} MendW32ProcessInfo;

MendW32Status mend_w32_process_info (MendW32ProcessInfo *info, MendW32Error *error);

typedef struct {
  unsigned long service_type;   /* SERVICE_WIN32_OWN_PROCESS ... */
  unsigned long start_type;     /* 0 boot, 1 system, 2 auto, 3 demand, 4 disabled */
  unsigned long state;          /* SERVICE_STOPPED (1) ... SERVICE_PAUSED (7) */
  int           state_known;    /* QueryServiceStatus worked (needs SERVICE_QUERY_STATUS) */
  char         *binary_path;    /* UTF-8, as configured */
  char         *account;        /* "NT Authority\\NetworkService", may be NULL */
} MendW32Service;

/* NOT_FOUND when the service is not installed. */
MendW32Status mend_w32_service_query (const char *name, MendW32Service *service,
                                      MendW32Error *error);
void          mend_w32_service_clear (MendW32Service *service);
const char   *mend_w32_service_start_type_name (unsigned long start_type);   /* "demand" */
const char   *mend_w32_service_state_name      (unsigned long state);        /* "running" */

typedef struct {
  int                exists;
  unsigned long      attributes;        /* FILE_ATTRIBUTE_*; 0 when absent */
  int                read_only;
  int                directory;
  unsigned long long size;
  int                has_version;       /* a VS_FIXEDFILEINFO was found */
  unsigned int       version[4];        /* major, minor, build, revision (file version) */
} MendW32FileInfo;

/* A missing file is not an error (exists = 0, status OK). */
MendW32Status mend_w32_file_info (const char *path, MendW32FileInfo *info,
                                  MendW32Error *error);
/* "%SystemRoot%\\System32\\<name>" for this machine's native bitness: through Sysnative
 * from a 32-bit process, whose System32 would be redirected to SysWOW64. free(). */
char         *mend_w32_native_system_file (const char *name);

typedef struct {
  char         *path;           /* GetTempPathW, UTF-8 */
  int           exists;
  int           writable;       /* a file could be created, written and deleted there */
  unsigned long win32_code;     /* why not, when not writable */
} MendW32TempInfo;

MendW32Status mend_w32_temp_check (MendW32TempInfo *info, MendW32Error *error);
void          mend_w32_temp_clear (MendW32TempInfo *info);

typedef struct {
  char           thumbprint[41];        /* SHA-1 of the DER, uppercase hex */
  unsigned char *der;
  size_t         der_size;
  char          *subject;               /* simple display name, UTF-8 */
  char          *friendly_name;         /* may be NULL */
  long long      not_before;            /* Unix seconds */
  long long      not_after;
  int            has_key_prov;          /* CERT_KEY_PROV_INFO_PROP_ID present */
  char          *key_container;
  char          *key_provider;
  unsigned long  key_prov_type;
  unsigned long  key_flags;             /* 0x20 = CRYPT_MACHINE_KEYSET */
  unsigned long  key_spec;              /* 1 = AT_KEYEXCHANGE */
} MendW32Cert;

/* Certificates of a LocalMachine system store ("MY", "Remote Desktop"), opened read-only
 * and only if it exists (NOT_FOUND otherwise). Free with mend_w32_certs_free(). */
MendW32Status mend_w32_cert_list  (const char *store, MendW32Cert **certs, size_t *n_certs,
                                   MendW32Error *error);
void          mend_w32_certs_free (MendW32Cert *certs, size_t n_certs);

#ifdef __cplusplus
}
#endif
