/* mend-w32-regexport.c — the regedit-compatible .reg export of live registry keys, by
 * enumeration, used for backups before a change. Plain C, UTF-16 inside. */
#include "mend-w32-registry-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_wide_ci (const void *a, const void *b)
{
  return _wcsicmp (*(wchar_t *const *) a, *(wchar_t *const *) b);
}

static int
cmp_wvalue_ci (const void *a, const void *b)
{
  return _wcsicmp (((const WValue *) a)->name, ((const WValue *) b)->name);
}

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

  st = mend_w32_reg_list_values_w (key, what, &values, &n_values, error);
  if (st != MEND_W32_OK)
    return st;
  /* regedit writes the default value first, then the rest in enumeration order; sort so
   * that two exports of the same content are byte-identical. */
  qsort (values, n_values, sizeof *values, cmp_wvalue_ci);
  for (i = 0; i < n_values; i++)
    export_value (b, &values[i]);
  wb_append (b, L"\r\n");
  mend_w32_wvalues_free (values, n_values);

  st = mend_w32_reg_list_subkeys_w (key, what, &subkeys, &n_subkeys, error);
  if (st != MEND_W32_OK)
    return st;
  qsort (subkeys, n_subkeys, sizeof *subkeys, cmp_wide_ci);
  for (i = 0; i < n_subkeys && st == MEND_W32_OK; i++)
    {
      HKEY child;
      LSTATUS rc = RegOpenKeyExW (key, subkeys[i], 0,
                                  KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | MEND_W32_VIEW, &child);
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
  mend_w32_wstrv_free (subkeys, n_subkeys);
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

      st = mend_w32_reg_open (paths[i], &p, KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS, &key, error);
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
      mend_w32_reg_path_clear (&p);
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
