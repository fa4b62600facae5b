/* mend-w32-registry.c — live registry access (advapi32) for the seam, plain C, UTF-16
 * inside, and the regedit-compatible export used for backups before a change. */
#include "mend-w32-registry.h"
#include "mend-w32-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Never follow WOW64 redirection: MSLicensing and friends live in the native view. */
#define VIEW KEY_WOW64_64KEY

typedef struct {
  HKEY           root;
  const wchar_t *long_name;     /* for .reg headers */
  wchar_t       *subkey;        /* normalised, no leading/trailing/double backslashes */
  int            depth;         /* number of components in subkey */
} RegPath;

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

static void
reg_path_clear (RegPath *p)
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

static MendW32Status
reg_open (const char *path, RegPath *p, REGSAM access, HKEY *key, MendW32Error *error)
{
  MendW32Status st = reg_path_parse (path, p, error);
  LSTATUS rc;

  if (st != MEND_W32_OK)
    return st;
  rc = RegOpenKeyExW (p->root, p->subkey, 0, access | VIEW, key);
  if (rc != ERROR_SUCCESS)
    {
      st = mend_w32_fail_win32 (error, (unsigned long) rc, "RegOpenKeyExW %s", path);
      reg_path_clear (p);
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
  st = reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st == MEND_W32_ERR_NOT_FOUND)
    {
      mend_w32_error_reset (error);
      return MEND_W32_OK;
    }
  if (st != MEND_W32_OK)
    return st;
  *exists = 1;
  RegCloseKey (key);
  reg_path_clear (&p);
  return MEND_W32_OK;
}

/* Lists subkeys of an open key. Separate from the path API because the export walks
 * open handles. */
static MendW32Status
list_subkeys_w (HKEY key, const char *what, wchar_t ***names, DWORD *n_names,
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

static void
wstrv_free (wchar_t **v, DWORD n)
{
  DWORD i;

  if (v == NULL)
    return;
  for (i = 0; i < n; i++)
    free (v[i]);
  free (v);
}

static int
cmp_wide_ci (const void *a, const void *b)
{
  return _wcsicmp (*(wchar_t *const *) a, *(wchar_t *const *) b);
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
  st = reg_open (path, &p, KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    return st;
  st = list_subkeys_w (key, path, &wnames, &n, error);
  RegCloseKey (key);
  reg_path_clear (&p);
  if (st != MEND_W32_OK)
    return st;

  out = calloc ((size_t) n + 1, sizeof *out);
  if (out == NULL)
    {
      wstrv_free (wnames, n);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  for (i = 0; i < n; i++)
    {
      out[i] = mend_w32_wide_to_utf8 (wnames[i], -1);
      if (out[i] == NULL)
        {
          wstrv_free (wnames, n);
          mend_w32_strv_free (out);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
    }
  wstrv_free (wnames, n);
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
  st = reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    {
      free (wname);
      return st;
    }
  st = query_value_w (key, wname, path, name, &type, &value->data, &value->size, error);
  RegCloseKey (key);
  reg_path_clear (&p);
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

/* Values of an open key, names still wide (the export needs them wide, the API UTF-8). */
typedef struct {
  wchar_t       *name;
  DWORD          type;
  unsigned char *data;
  size_t         size;
} WValue;

static void
wvalues_free (WValue *v, DWORD n)
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

static MendW32Status
list_values_w (HKEY key, const char *what, WValue **values, DWORD *n_values,
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
          wvalues_free (out, i);
          free (name_buf);
          return st;
        }
      out[i].name = _wcsdup (name_buf);
      if (out[i].name == NULL)
        {
          wvalues_free (out, i);
          free (name_buf);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
      st = query_value_w (key, len ? name_buf : NULL, what, "(enumerated)", &out[i].type,
                          &out[i].data, &out[i].size, error);
      if (st != MEND_W32_OK)
        {
          wvalues_free (out, i + 1);
          free (name_buf);
          return st;
        }
    }
  free (name_buf);
  *values = out;
  *n_values = i;
  return MEND_W32_OK;
}

static int
cmp_wvalue_ci (const void *a, const void *b)
{
  return _wcsicmp (((const WValue *) a)->name, ((const WValue *) b)->name);
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
  st = reg_open (path, &p, KEY_QUERY_VALUE, &key, error);
  if (st != MEND_W32_OK)
    return st;
  st = list_values_w (key, path, &wv, &n, error);
  RegCloseKey (key);
  reg_path_clear (&p);
  if (st != MEND_W32_OK)
    return st;

  out = calloc ((size_t) n + 1, sizeof *out);
  if (out == NULL)
    {
      wvalues_free (wv, n);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  for (i = 0; i < n; i++)
    {
      out[i].name = mend_w32_wide_to_utf8 (wv[i].name, -1);
      if (out[i].name == NULL)
        {
          wvalues_free (wv, n);
          mend_w32_values_free (out, i);
          return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
        }
      out[i].type = wv[i].type;
      out[i].data = wv[i].data;
      out[i].size = wv[i].size;
      wv[i].data = NULL;
    }
  wvalues_free (wv, n);
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
      reg_path_clear (&p);
      return mend_w32_fail (error, MEND_W32_ERR_INVALID_PATH, 0,
                            "cannot create a registry root (%s)", path);
    }
  rc = RegCreateKeyExW (p.root, p.subkey, 0, NULL, REG_OPTION_NON_VOLATILE,
                        KEY_QUERY_VALUE | VIEW, NULL, &key, &disposition);
  reg_path_clear (&p);
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
                        KEY_SET_VALUE | VIEW, NULL, &key, NULL);
  reg_path_clear (&p);
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
  st = reg_open (path, &p, KEY_SET_VALUE, &key, error);
  if (st != MEND_W32_OK)
    {
      free (wname);
      return st;
    }
  rc = RegDeleteValueW (key, wname);
  RegCloseKey (key);
  reg_path_clear (&p);
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
      reg_path_clear (&p);
      return mend_w32_fail (error, MEND_W32_ERR_INVALID_PATH, 0,
                            "refusing to delete %s: a root or first-level key", path);
    }
  rc = RegOpenKeyExW (p.root, p.subkey, 0,
                      DELETE | KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | KEY_SET_VALUE | VIEW,
                      &key);
  if (rc != ERROR_SUCCESS)
    {
      reg_path_clear (&p);
      return mend_w32_fail_win32 (error, (unsigned long) rc, "RegOpenKeyExW %s", path);
    }
  /* Empty the key through a handle opened in the 64-bit view, then delete the key itself
   * naming the view again: RegDeleteTreeW(parent, name) would open the child without
   * the view flag. */
  rc = RegDeleteTreeW (key, NULL);
  RegCloseKey (key);
  if (rc == ERROR_SUCCESS)
    rc = RegDeleteKeyExW (p.root, p.subkey, VIEW, 0);
  reg_path_clear (&p);
  if (rc != ERROR_SUCCESS)
    return mend_w32_fail_win32 (error, (unsigned long) rc, "RegDeleteTreeW %s", path);
  return MEND_W32_OK;
}

/* ---- export ---------------------------------------------------------------------- */

typedef struct {
  wchar_t *buf;
  size_t   len;
  size_t   cap;
  size_t   col;         /* characters since the last line break, for hex wrapping */
  int      oom;
} WBuf;

static void
wb_append_n (WBuf *b, const wchar_t *s, size_t n)
{
  size_t k;

  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap)
    {
      size_t cap = b->cap ? b->cap : 4096;
      wchar_t *grown;

      while (b->len + n + 1 > cap)
        cap *= 2;
      grown = realloc (b->buf, cap * sizeof (wchar_t));
      if (grown == NULL)
        {
          b->oom = 1;
          return;
        }
      b->buf = grown;
      b->cap = cap;
    }
  memcpy (b->buf + b->len, s, n * sizeof (wchar_t));
  b->len += n;
  b->buf[b->len] = 0;
  for (k = 0; k < n; k++)
    b->col = s[k] == L'\n' ? 0 : b->col + 1;
}

static void
wb_append (WBuf *b, const wchar_t *s)
{
  wb_append_n (b, s, wcslen (s));
}

/* A quoted .reg string: backslash and double quote escaped, as regedit does. */
static void
wb_append_quoted (WBuf *b, const wchar_t *s, size_t n)
{
  size_t i, start = 0;

  wb_append (b, L"\"");
  for (i = 0; i < n; i++)
    if (s[i] == L'\\' || s[i] == L'"')
      {
        wb_append_n (b, s + start, i - start);
        wb_append (b, s[i] == L'\\' ? L"\\\\" : L"\\\"");
        start = i + 1;
      }
  wb_append_n (b, s + start, n - start);
  wb_append (b, L"\"");
}

/* REG_SZ data that round-trips through "name"="text": an even size ending in exactly one
 * NUL, no other NUL, and no control characters (regedit would write those raw and break
 * its own re-import). Anything else is written as hex(1). */
static int
sz_is_text (const unsigned char *data, size_t size, size_t *n_chars)
{
  const wchar_t *w = (const wchar_t *) data;
  size_t n, i;

  if (size < 2 || size % 2 != 0)
    return 0;
  n = size / 2 - 1;
  if (w[n] != 0)
    return 0;
  for (i = 0; i < n; i++)
    if (w[i] < 0x20)
      return 0;
  *n_chars = n;
  return 1;
}

static void
wb_append_hex (WBuf *b, unsigned long type, const unsigned char *data, size_t size)
{
  static const wchar_t digits[] = L"0123456789abcdef";
  wchar_t prefix[32];
  size_t i;

  if (type == REG_BINARY)
    wb_append (b, L"hex:");
  else
    {
      swprintf (prefix, sizeof prefix / sizeof prefix[0], L"hex(%lx):", type);
      wb_append (b, prefix);
    }
  for (i = 0; i < size; i++)
    {
      wchar_t byte[3] = { digits[data[i] >> 4], digits[data[i] & 15], 0 };

      wb_append (b, byte);
      if (i + 1 < size)
        {
          wb_append (b, L",");
          /* Lines of at most 80 columns with the "\\", continuations indented by two
           * spaces: the shape regedit and wine's own registry files use. */
          if (b->col > 76)
            wb_append (b, L"\\\r\n  ");
        }
    }
}

static void
export_value (WBuf *b, const WValue *v)
{
  size_t n_chars;

  if (v->name[0] == 0)
    wb_append (b, L"@");
  else
    wb_append_quoted (b, v->name, wcslen (v->name));
  wb_append (b, L"=");

  if (v->type == REG_SZ && sz_is_text (v->data, v->size, &n_chars))
    wb_append_quoted (b, (const wchar_t *) v->data, n_chars);
  else if (v->type == REG_DWORD && v->size == 4)
    {
      wchar_t dword[32];
      DWORD d;

      memcpy (&d, v->data, 4);
      swprintf (dword, sizeof dword / sizeof dword[0], L"dword:%08lx", (unsigned long) d);
      wb_append (b, dword);
    }
  else
    wb_append_hex (b, v->type, v->data, v->size);
  wb_append (b, L"\r\n");
}

static MendW32Status
export_key (WBuf *b, HKEY key, const wchar_t *full_name, const char *what, int depth,
            MendW32Error *error)
{
  WValue *values = NULL;
  wchar_t **subkeys = NULL;
  DWORD n_values = 0, n_subkeys = 0, i;
  MendW32Status st;

  /* Keys nest at most 512 deep in Windows; a deeper walk means a loop (symbolic link). */
  if (depth > 512)
    return mend_w32_fail (error, MEND_W32_ERR_OTHER, 0, "%s nests too deeply", what);

  wb_append (b, L"[");
  wb_append (b, full_name);
  wb_append (b, L"]\r\n");

  st = list_values_w (key, what, &values, &n_values, error);
  if (st != MEND_W32_OK)
    return st;
  /* regedit writes the default value first, then the rest in enumeration order; sort so
   * that two exports of the same content are byte-identical. */
  qsort (values, n_values, sizeof *values, cmp_wvalue_ci);
  for (i = 0; i < n_values; i++)
    export_value (b, &values[i]);
  wb_append (b, L"\r\n");
  wvalues_free (values, n_values);

  st = list_subkeys_w (key, what, &subkeys, &n_subkeys, error);
  if (st != MEND_W32_OK)
    return st;
  qsort (subkeys, n_subkeys, sizeof *subkeys, cmp_wide_ci);
  for (i = 0; i < n_subkeys && st == MEND_W32_OK; i++)
    {
      HKEY child;
      LSTATUS rc = RegOpenKeyExW (key, subkeys[i], 0,
                                  KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | VIEW, &child);
      size_t len;
      wchar_t *child_name;

      if (rc == ERROR_FILE_NOT_FOUND)
        continue;       /* deleted since the enumeration */
      if (rc != ERROR_SUCCESS)
        {
          char *u = mend_w32_wide_to_utf8 (subkeys[i], -1);
          st = mend_w32_fail_win32 (error, (unsigned long) rc, "RegOpenKeyExW %s\\%s", what,
                                    u ? u : "?");
          free (u);
          break;
        }
      len = wcslen (full_name) + 1 + wcslen (subkeys[i]) + 1;
      child_name = malloc (len * sizeof (wchar_t));
      if (child_name == NULL)
        {
          RegCloseKey (child);
          st = mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
          break;
        }
      swprintf (child_name, len, L"%ls\\%ls", full_name, subkeys[i]);
      st = export_key (b, child, child_name, what, depth + 1, error);
      free (child_name);
      RegCloseKey (child);
    }
  wstrv_free (subkeys, n_subkeys);
  return st;
}

MendW32Status
mend_w32_reg_export (const char *const *paths, size_t n_paths, unsigned char **bytes,
                     size_t *n_bytes, MendW32Error *error)
{
  WBuf b = { 0 };
  size_t i;
  MendW32Status st = MEND_W32_OK;

  *bytes = NULL;
  *n_bytes = 0;
  wb_append (&b, L"\xFEFF" L"Windows Registry Editor Version 5.00\r\n\r\n");
  for (i = 0; i < n_paths && st == MEND_W32_OK; i++)
    {
      RegPath p;
      HKEY key;
      wchar_t *full;
      size_t len;

      st = reg_open (paths[i], &p, KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS, &key, error);
      if (st != MEND_W32_OK)
        break;
      len = wcslen (p.long_name) + 1 + wcslen (p.subkey) + 1;
      full = malloc (len * sizeof (wchar_t));
      if (full == NULL)
        st = mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
      else
        {
          swprintf (full, len, p.subkey[0] ? L"%ls\\%ls" : L"%ls%ls", p.long_name, p.subkey);
          st = export_key (&b, key, full, paths[i], 0, error);
          free (full);
        }
      RegCloseKey (key);
      reg_path_clear (&p);
    }
  if (st == MEND_W32_OK && b.oom)
    st = mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory building the export");
  if (st != MEND_W32_OK)
    {
      free (b.buf);
      return st;
    }
  /* wchar_t is UTF-16LE on Windows: the buffer already is the file's bytes. */
  *bytes = (unsigned char *) b.buf;
  *n_bytes = b.len * sizeof (wchar_t);
  return MEND_W32_OK;
}

MendW32Status
mend_w32_reg_export_file (const char *const *paths, size_t n_paths, const char *file,
                          MendW32Error *error)
{
  unsigned char *bytes;
  size_t n_bytes;
  MendW32Status st = mend_w32_reg_export (paths, n_paths, &bytes, &n_bytes, error);

  if (st != MEND_W32_OK)
    return st;
  st = mend_w32_write_file_atomic (file, bytes, n_bytes, error);
  free (bytes);
  return st;
}
