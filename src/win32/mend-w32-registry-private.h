/* mend-w32-registry-private.h — what the registry access (mend-w32-registry.c) and the .reg
 * export (mend-w32-regexport.c) share: parsed paths and walks over open keys with wide
 * names. Not part of the layer's API. */
#pragma once

#include "mend-w32-registry.h"
#include "mend-w32-util.h"

/* Never follow WOW64 redirection: MSLicensing and friends live in the native view. */
#define MEND_W32_VIEW KEY_WOW64_64KEY

typedef struct {
  HKEY           root;
  const wchar_t *long_name;     /* for .reg headers */
  wchar_t       *subkey;        /* normalised, no leading/trailing/double backslashes */
  int            depth;         /* number of components in subkey */
} RegPath;

/* Values of an open key, names still wide (the export needs them wide, the API UTF-8). */
typedef struct {
  wchar_t       *name;
  DWORD          type;
  unsigned char *data;
  size_t         size;
} WValue;

void          mend_w32_reg_path_clear (RegPath *p);
/* Parses PATH into P and opens it in the 64-bit view; P is cleared on failure. */
MendW32Status mend_w32_reg_open       (const char *path, RegPath *p, REGSAM access, HKEY *key,
                                       MendW32Error *error);

/* Subkeys and values of an open key (the export walks open handles); WHAT names the key
 * in error messages. */
MendW32Status mend_w32_reg_list_subkeys_w (HKEY key, const char *what, wchar_t ***names,
                                           DWORD *n_names, MendW32Error *error);
MendW32Status mend_w32_reg_list_values_w  (HKEY key, const char *what, WValue **values,
                                           DWORD *n_values, MendW32Error *error);
void          mend_w32_wstrv_free         (wchar_t **v, DWORD n);
void          mend_w32_wvalues_free       (WValue *v, DWORD n);
