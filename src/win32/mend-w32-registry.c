/* mend-w32-registry.c — live registry access (advapi32) for the seam, plain C, UTF-16
 * inside. The .reg export for backups is in mend-w32-regexport.c. */
#include "mend-w32-registry-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char    *short_name;
  const char    *long_name_a;
  const wchar_t *long_name;
  HKEY           root;
} roots[] = {
  { "HKLM", "HKEY_LOCAL_MACHINE", L"HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE },
  { "HKCU", "HKEY_CURRENT_USER", L"HKEY_CURRENT_USER", HKEY_CURRENT_USER },
  { "HKU", "HKEY_USERS", L"HKEY_USERS", HKEY_USERS },
  { "HKCR", "HKEY_CLASSES_ROOT", L"HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT },
  { "HKCC", "HKEY_CURRENT_CONFIG", L"HKEY_CURRENT_CONFIG", HKEY_CURRENT_CONFIG },
};

void
mend_w32_reg_path_clear (RegPath *p)
{
  free (p->subkey);
  p->subkey = NULL;
}

static MendW32Status
reg_path_parse (const char *path, RegPath *out, MendW32Error *error)
{
  const char *sep;
  size_t root_len, i;
  wchar_t *wide, *dst;
  const wchar_t *src;

  memset (out, 0, sizeof *out);
  if (path == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "registry path is NULL");

  while (*path == '\\')
    path++;
  sep = strchr (path, '\\');
  root_len = sep ? (size_t) (sep - path) : strlen (path);
  for (i = 0; i < sizeof roots / sizeof roots[0]; i++)
    {
      if ((strlen (roots[i].short_name) == root_len
           && _strnicmp (path, roots[i].short_name, root_len) == 0)
          || (strlen (roots[i].long_name_a) == root_len
              && _strnicmp (path, roots[i].long_name_a, root_len) == 0))
        break;
    }
  if (i == sizeof roots / sizeof roots[0])
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_PATH, 0,
                          "registry path \"%s\" does not start with HKLM, HKCU, HKU, HKCR or HKCC",
                          path);

  wide = mend_w32_utf8_to_wide (sep ? sep : "");
  if (wide == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0,
                          "registry path \"%s\" is not valid UTF-8", path);

  /* Collapse repeated separators and drop leading/trailing ones, counting components. */
  dst = wide;
  out->depth = 0;
  for (src = wide; *src; src++)
    {
      if (*src == L'\\')
        continue;
      if (src == wide || src[-1] == L'\\')
        {
          if (dst != wide)
            *dst++ = L'\\';
          out->depth++;
        }
      *dst++ = *src;
    }
  *dst = 0;

  out->root = roots[i].root;
  out->long_name = roots[i].long_name;
  out->subkey = wide;
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_open (const char *path, RegPath *p, REGSAM access, HKEY *key,
                   MendW32Error *error)
{
  MendW32Status st = reg_path_parse (path, p, error);
  LSTATUS rc;

  if (st != MEND_W32_OK)
    return st;
  rc = RegOpenKeyExW (p->root, p->subkey, 0, access | MEND_W32_VIEW, key);
  if (rc != ERROR_SUCCESS)
    {
      st = mend_w32_fail_win32 (error, (unsigned long) rc, "RegOpenKeyExW %s", path);
      mend_w32_reg_path_clear (p);
      return st;
    }
  return MEND_W32_OK;
}

void
mend_w32_value_clear (MendW32Value *value)
{
  if (value == NULL)
    return;
  free (value->name);
  free (value->data);
  memset (value, 0, sizeof *value);
}

void
mend_w32_values_free (MendW32Value *values, size_t n_values)
{
  size_t i;

  if (values == NULL)
    return;
  for (i = 0; i < n_values; i++)
    mend_w32_value_clear (&values[i]);
  free (values);
}

void
mend_w32_strv_free (char **strv)
{
  char **p;

  if (strv == NULL)
    return;
  for (p = strv; *p; p++)
    free (*p);
  free (strv);
}

MendW32Status
mend_w32_reg_key_exists (const char *path, int *exists, MendW32Error *error)
{
  RegPath p;
  HKEY key;
  MendW32Status st;

  *exists = 0;
  st = mend_w32_reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st == MEND_W32_ERR_NOT_FOUND)
    {
      mend_w32_error_reset (error);
      return MEND_W32_OK;
    }
  if (st != MEND_W32_OK)
    return st;
  *exists = 1;
  RegCloseKey (key);
  mend_w32_reg_path_clear (&p);
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_list_subkeys_w (HKEY key, const char *what, wchar_t ***names, DWORD *n_names,
                             MendW32Error *error)
{
  DWORD count = 0, max_len = 0, i;
  wchar_t **out = NULL;
  wchar_t *buf = NULL;
  LSTATUS rc;

  *names = NULL;
  *n_names = 0;
  rc = RegQueryInfoKeyW (key, NULL, NULL, NULL, &count, &max_len, NULL, NULL, NULL, NULL,
                         NULL, NULL);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegQueryInfoKeyW %s", what);

  /* Key names are limited to 255 characters; a bigger buffer avoids a retry dance when a
   * key is added between the query and the enumeration. */
  if (max_len < 256)
    max_len = 256;
  out = calloc ((size_t) count + 1, sizeof *out);
  buf = malloc (((size_t) max_len + 1) * sizeof (wchar_t));
  if (out == NULL || buf == NULL)
    goto oom;

  for (i = 0; i < count; i++)
    {
      DWORD len = max_len + 1;

      rc = RegEnumKeyExW (key, i, buf, &len, NULL, NULL, NULL, NULL);
      if (rc == ERROR_NO_MORE_ITEMS)
        break;          /* a key was deleted meanwhile: report what is there */
      if (rc != ERROR_SUCCESS)
        {
          MendW32Status st = mend_w32_fail_win32 (error, (unsigned long) rc,
                                                  "RegEnumKeyExW %s", what);
          DWORD j;
          for (j = 0; j < i; j++)
            free (out[j]);
          free (out);
          free (buf);
          return st;
        }
      out[i] = _wcsdup (buf);
      if (out[i] == NULL)
        {
          DWORD j;
          for (j = 0; j < i; j++)
            free (out[j]);
          goto oom;
        }
    }
  free (buf);
  *names = out;
  *n_names = i;
  return MEND_W32_OK;

oom:
  free (out);
  free (buf);
  return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY,
                        "out of memory listing %s", what);
}

void
mend_w32_wstrv_free (wchar_t **v, DWORD n)
{
  DWORD i;

  if (v == NULL)
    return;
  for (i = 0; i < n; i++)
    free (v[i]);
  free (v);
}

MendW32Status
mend_w32_reg_list_subkeys (const char *path, char ***names, size_t *n_names,
                           MendW32Error *error)
{
  RegPath p;
  HKEY key;
  wchar_t **wnames;
  DWORD n, i;
  char **out;
  MendW32Status st;

  *names = NULL;
  *n_names = 0;
  st = mend_w32_reg_open (path, &p, KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    return st;
  st = mend_w32_reg_list_subkeys_w (key, path, &wnames, &n, error);
  RegCloseKey (key);
  mend_w32_reg_path_clear (&p);
  if (st != MEND_W32_OK)
    return st;

  out = calloc ((size_t) n + 1, sizeof *out);
  if (out == NULL)
    {
      mend_w32_wstrv_free (wnames, n);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  for (i = 0; i < n; i++)
    {
      out[i] = mend_w32_wide_to_utf8 (wnames[i], -1);
      if (out[i] == NULL)
        {
          mend_w32_wstrv_free (wnames, n);
          mend_w32_strv_free (out);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
    }
  mend_w32_wstrv_free (wnames, n);
  *names = out;
  *n_names = n;
  return MEND_W32_OK;
}

/* Reads one value of an open key by wide name (NULL = default), growing the buffer when
 * the value grows between the size query and the read. */
static MendW32Status
query_value_w (HKEY key, const wchar_t *wname, const char *what, const char *name,
               DWORD *type, unsigned char **data, size_t *size, MendW32Error *error)
{
  DWORD len = 0, t = 0;
  unsigned char *buf = NULL;
  LSTATUS rc;
  int tries;

  for (tries = 0; tries < 8; tries++)
    {
      unsigned char *grown;
      DWORD want;

      rc = RegQueryValueExW (key, wname, NULL, &t, NULL, &len);
      if (rc != ERROR_SUCCESS)
        break;
      want = len;
      /* Two spare NUL bytes so string users can rely on termination. */
      grown = realloc (buf, (size_t) want + 2);
      if (grown == NULL)
        {
          free (buf);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
      buf = grown;
      len = want;
      rc = RegQueryValueExW (key, wname, NULL, &t, buf, &len);
      if (rc != ERROR_MORE_DATA)
        break;
    }
  if (rc != ERROR_SUCCESS)
    {
      free (buf);
      return mend_w32_fail_win32 (error, (unsigned long) rc, "RegQueryValueExW %s value \"%s\"",
                                  what, name && *name ? name : "(default)");
    }
  buf[len] = 0;
  buf[len + 1] = 0;
  *type = t;
  *data = buf;
  *size = len;
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_get_value (const char *path, const char *name, MendW32Value *value,
                        MendW32Error *error)
{
  RegPath p;
  HKEY key;
  wchar_t *wname = NULL;
  DWORD type;
  MendW32Status st;

  memset (value, 0, sizeof *value);
  if (name != NULL && *name)
    {
      wname = mend_w32_utf8_to_wide (name);
      if (wname == NULL)
        return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0,
                              "value name is not valid UTF-8");
    }
  st = mend_w32_reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    {
      free (wname);
      return st;
    }
  st = query_value_w (key, wname, path, name, &type, &value->data, &value->size, error);
  RegCloseKey (key);
  mend_w32_reg_path_clear (&p);
  free (wname);
  if (st != MEND_W32_OK)
    return st;
  value->type = type;
  value->name = _strdup (name ? name : "");
  if (value->name == NULL)
    {
      mend_w32_value_clear (value);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  return MEND_W32_OK;
}

void
mend_w32_wvalues_free (WValue *v, DWORD n)
{
  DWORD i;

  if (v == NULL)
    return;
  for (i = 0; i < n; i++)
    {
      free (v[i].name);
      free (v[i].data);
    }
  free (v);
}

MendW32Status
mend_w32_reg_list_values_w (HKEY key, const char *what, WValue **values, DWORD *n_values,
                            MendW32Error *error)
{
  DWORD count = 0, max_name = 0, i;
  WValue *out;
  wchar_t *name_buf;
  LSTATUS rc;

  *values = NULL;
  *n_values = 0;
  rc = RegQueryInfoKeyW (key, NULL, NULL, NULL, NULL, NULL, NULL, &count, &max_name, NULL,
                         NULL, NULL);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegQueryInfoKeyW %s", what);

  /* Value names are at most 16383 characters. */
  max_name = 16384;
  out = calloc ((size_t) count + 1, sizeof *out);
  name_buf = malloc ((size_t) max_name * sizeof (wchar_t));
  if (out == NULL || name_buf == NULL)
    {
      free (out);
      free (name_buf);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }

  for (i = 0; i < count; i++)
    {
      DWORD len = max_name;
      MendW32Status st;

      /* Name first, then the data by name: enumerating data sizes with RegEnumValueW
       * races with writers; RegQueryValueExW grows its buffer itself. */
      rc = RegEnumValueW (key, i, name_buf, &len, NULL, NULL, NULL, NULL);
      if (rc == ERROR_NO_MORE_ITEMS)
        break;
      if (rc != ERROR_SUCCESS)
        {
          st = mend_w32_fail_win32 (error, (unsigned long) rc, "RegEnumValueW %s", what);
          mend_w32_wvalues_free (out, i);
          free (name_buf);
          return st;
        }
      out[i].name = _wcsdup (name_buf);
      if (out[i].name == NULL)
        {
          mend_w32_wvalues_free (out, i);
          free (name_buf);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
      st = query_value_w (key, len ? name_buf : NULL, what, "(enumerated)", &out[i].type,
                          &out[i].data, &out[i].size, error);
      if (st != MEND_W32_OK)
        {
          mend_w32_wvalues_free (out, i + 1);
          free (name_buf);
          return st;
        }
    }
  free (name_buf);
  *values = out;
  *n_values = i;
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_list_values (const char *path, MendW32Value **values, size_t *n_values,
                          MendW32Error *error)
{
  RegPath p;
  HKEY key;
  WValue *wv;
  DWORD n, i;
  MendW32Value *out;
  MendW32Status st;

  *values = NULL;
  *n_values = 0;
  st = mend_w32_reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    return st;
  st = mend_w32_reg_list_values_w (key, path, &wv, &n, error);
  RegCloseKey (key);
  mend_w32_reg_path_clear (&p);
  if (st != MEND_W32_OK)
    return st;

  out = calloc ((size_t) n + 1, sizeof *out);
  if (out == NULL)
    {
      mend_w32_wvalues_free (wv, n);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  for (i = 0; i < n; i++)
    {
      out[i].name = mend_w32_wide_to_utf8 (wv[i].name, -1);
      if (out[i].name == NULL)
        {
          mend_w32_wvalues_free (wv, n);
          mend_w32_values_free (out, i);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
      out[i].type = wv[i].type;
      out[i].data = wv[i].data;
      out[i].size = wv[i].size;
      wv[i].data = NULL;
    }
  mend_w32_wvalues_free (wv, n);
  *values = out;
  *n_values = n;
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_create_key (const char *path, int *created, MendW32Error *error)
{
  RegPath p;
  HKEY key;
  DWORD disposition = 0;
  LSTATUS rc;
  MendW32Status st = reg_path_parse (path, &p, error);

  if (created)
    *created = 0;
  if (st != MEND_W32_OK)
    return st;
  if (p.depth == 0)
    {
      mend_w32_reg_path_clear (&p);
      return mend_w32_fail (error, MEND_W32_ERR_INVALID_PATH, 0,
                            "cannot create a registry root (%s)", path);
    }
  rc = RegCreateKeyExW (p.root, p.subkey, 0, NULL, REG_OPTION_NON_VOLATILE,
                        KEY_QUERY_VALUE | MEND_W32_VIEW, NULL, &key, &disposition);
  mend_w32_reg_path_clear (&p);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegCreateKeyExW %s", path);
  RegCloseKey (key);
  if (created)
    *created = disposition == REG_CREATED_NEW_KEY;
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_set_value (const char *path, const char *name, unsigned long type,
                        const void *data, size_t size, MendW32Error *error)
{
  RegPath p;
  HKEY key;
  wchar_t *wname = NULL;
  LSTATUS rc;
  MendW32Status st;

  if (data == NULL && size != 0)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "value data is NULL");
  if (size > 0xFFFFFFFFu)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "value data is too large");
  if (name != NULL && *name)
    {
      wname = mend_w32_utf8_to_wide (name);
      if (wname == NULL)
        return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0,
                              "value name is not valid UTF-8");
    }
  st = reg_path_parse (path, &p, error);
  if (st != MEND_W32_OK)
    {
      free (wname);
      return st;
    }
  rc = RegCreateKeyExW (p.root, p.subkey, 0, NULL, REG_OPTION_NON_VOLATILE,
                        KEY_SET_VALUE | MEND_W32_VIEW, NULL, &key, NULL);
  mend_w32_reg_path_clear (&p);
  if (rc != ERROR_SUCCESS)
    {
      free (wname);
      return mend_w32_fail_win32 (error, (unsigned long) rc, "RegCreateKeyExW %s", path);
    }
  rc = RegSetValueExW (key, wname, 0, (DWORD) type, (const BYTE *) data, (DWORD) size);
  RegCloseKey (key);
  free (wname);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegSetValueExW %s value \"%s\"",
                                path, name && *name ? name : "(default)");
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_delete_value (const char *path, const char *name, MendW32Error *error)
{
  RegPath p;
  HKEY key;
  wchar_t *wname = NULL;
  LSTATUS rc;
  MendW32Status st;

  if (name != NULL && *name)
    {
      wname = mend_w32_utf8_to_wide (name);
      if (wname == NULL)
        return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0,
                              "value name is not valid UTF-8");
    }
  st = mend_w32_reg_open (path, &p, KEY_SET_VALUE, &key, error);
  if (st != MEND_W32_OK)
    {
      free (wname);
      return st;
    }
  rc = RegDeleteValueW (key, wname);
  RegCloseKey (key);
  mend_w32_reg_path_clear (&p);
  free (wname);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegDeleteValueW %s value \"%s\"",
                                path, name && *name ? name : "(default)");
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_delete_tree (const char *path, MendW32Error *error)
{
  RegPath p;
  HKEY key;
  LSTATUS rc;
  MendW32Status st = reg_path_parse (path, &p, error);

  if (st != MEND_W32_OK)
    return st;
  if (p.depth < 2)
    {
      mend_w32_reg_path_clear (&p);
      return mend_w32_fail (error, MEND_W32_ERR_INVALID_PATH, 0,
                            "refusing to delete %s: a root or first-level key", path);
    }
  rc = RegOpenKeyExW (p.root, p.subkey, 0,
                      DELETE | KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | KEY_SET_VALUE | MEND_W32_VIEW,
                      &key);
  if (rc != ERROR_SUCCESS)
    {
      mend_w32_reg_path_clear (&p);
      return mend_w32_fail_win32 (error, (unsigned long) rc, "RegOpenKeyExW %s", path);
    }
  /* Empty the key through a handle opened in the 64-bit view, then delete the key itself
   * naming the view again: RegDeleteTreeW(parent, name) would open the child without
   * the view flag. */
  rc = RegDeleteTreeW (key, NULL);
  RegCloseKey (key);
  if (rc == ERROR_SUCCESS)
    rc = RegDeleteKeyExW (p.root, p.subkey, MEND_W32_VIEW, 0);
  mend_w32_reg_path_clear (&p);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegDeleteTreeW %s", path);
  return MEND_W32_OK;
}
