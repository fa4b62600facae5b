/* mend-w32-registry.h — the live Windows registry behind the seam, in plain C (no GLib):
 * seam-style UTF-8 paths, always the 64-bit view, status codes instead of GError. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. The library maps them onto MEND_ERROR_* and translates the text shown to
 * users; MendW32Error.message is English diagnostics for logs and bug reports only. */
typedef enum {
  MEND_W32_OK = 0,
  MEND_W32_ERR_NOT_FOUND,       /* key, value, file, service or store does not exist */
  MEND_W32_ERR_ACCESS_DENIED,   /* needs elevation or an ACL change */
  MEND_W32_ERR_INVALID_PATH,    /* unknown root, or a path the operation refuses (a root) */
  MEND_W32_ERR_INVALID_ARG,     /* bad UTF-8, NULL where data is required */
  MEND_W32_ERR_NO_MEMORY,
  MEND_W32_ERR_IO,              /* writing or flushing a file failed */
  MEND_W32_ERR_OTHER,           /* anything else: see win32_code */
} MendW32Status;

typedef struct {
  MendW32Status status;
  unsigned long win32_code;     /* the Win32 error (LSTATUS / GetLastError), 0 if none */
  char message[512];            /* UTF-8, e.g. "RegOpenKeyExW HKLM\\X: Access is denied. (5)" */
} MendW32Error;

/* A registry value exactly as stored. */
typedef struct {
  char          *name;          /* UTF-8; "" is the default value */
  unsigned long  type;          /* REG_* number, any value as stored */
  unsigned char *data;          /* raw bytes (NUL-padded allocation, never NULL) */
  size_t         size;
} MendW32Value;

const char   *mend_w32_status_to_string (MendW32Status status);   /* "not-found" */
MendW32Status mend_w32_status_from_win32 (unsigned long code);

/* Paths: "HKLM\\SOFTWARE\\...", "HKCU\\...", "HKU\\<sid>\\...", "HKCR\\...", "HKCC\\..."
 * or the long names (HKEY_LOCAL_MACHINE ...). Case-insensitive, repeated and trailing
 * backslashes are ignored. Every key is opened with KEY_WOW64_64KEY, so a 32-bit build
 * sees the same HKLM\\SOFTWARE as 64-bit mstsc (MSLicensing is not a shared key). */

/* *exists = 1 or 0; a missing key is not an error. */
MendW32Status mend_w32_reg_key_exists    (const char *path, int *exists, MendW32Error *error);
/* NULL-terminated array of UTF-8 names; free with mend_w32_strv_free(). */
MendW32Status mend_w32_reg_list_subkeys  (const char *path, char ***names, size_t *n_names,
                                          MendW32Error *error);
/* Array of n values; free with mend_w32_values_free(values, n). */
MendW32Status mend_w32_reg_list_values   (const char *path, MendW32Value **values,
                                          size_t *n_values, MendW32Error *error);
/* name NULL or "" = the default value. Fill *value; free with mend_w32_value_clear(). */
MendW32Status mend_w32_reg_get_value     (const char *path, const char *name,
                                          MendW32Value *value, MendW32Error *error);
/* *created = 1 if the key did not exist before (created may be NULL). */
MendW32Status mend_w32_reg_create_key    (const char *path, int *created, MendW32Error *error);
/* Creates missing keys on the way, like the hive backend of the seam. The bytes are stored
 * as given, except that RegSetValueExW itself appends the NUL of a REG_SZ/EXPAND_SZ/
 * MULTI_SZ whose size left it out when the next character in memory is NUL. */
MendW32Status mend_w32_reg_set_value     (const char *path, const char *name,
                                          unsigned long type, const void *data, size_t size,
                                          MendW32Error *error);
MendW32Status mend_w32_reg_delete_value  (const char *path, const char *name,
                                          MendW32Error *error);
/* Deletes the key, its values and all subkeys (RegDeleteTreeW + RegDeleteKeyExW, both in
 * the 64-bit view). Refuses roots and first-level keys (HKLM\\SOFTWARE, HKU\\<sid>):
 * a repair never needs that and a typo must not wipe a hive. */
MendW32Status mend_w32_reg_delete_tree   (const char *path, MendW32Error *error);

/* regedit-compatible export ("Windows Registry Editor Version 5.00", UTF-16LE with BOM,
 * CRLF) of each key tree in paths, by enumeration (RegSaveKey needs SeBackupPrivilege
 * and is a stub in wine). Values regedit would write as text are text; anything else is
 * hex(N) so a re-import restores the exact bytes. A missing key fails with NOT_FOUND. */
MendW32Status mend_w32_reg_export        (const char *const *paths, size_t n_paths,
                                          unsigned char **bytes, size_t *n_bytes,
                                          MendW32Error *error);
/* Same, written to file (temp file in the same folder, flushed, renamed over). */
MendW32Status mend_w32_reg_export_file   (const char *const *paths, size_t n_paths,
                                          const char *file, MendW32Error *error);

void mend_w32_value_clear  (MendW32Value *value);
void mend_w32_values_free  (MendW32Value *values, size_t n_values);
void mend_w32_strv_free    (char **strv);

#ifdef __cplusplus
}
#endif
