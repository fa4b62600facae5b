/* test-w32-layer.c — exercises src/win32 against a real (wine) registry, SCM, file system
 * and crypt32; plain C assertions, "N passed, M failed", non-zero exit on failure.
 * Usage: test-w32-layer.exe WORKDIR CERT.der   (WORKDIR as a Windows path)
 * Leaves HKLM\SOFTWARE\RDPMendTest\Kept, WORKDIR\export.reg, WORKDIR\manifest.txt and
 * the RDP settings the probe test reads, for the Linux side to check independently. */
#include "mend-w32-registry.h"
#include "mend-w32-system.h"

#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int passed, failed;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond)                                                                    \
      passed++;                                                                  \
    else                                                                         \
      {                                                                          \
        failed++;                                                                \
        fprintf (stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
      }                                                                          \
  } while (0)

#define CHECK_ST(expr, want)                                                     \
  do {                                                                           \
    MendW32Status st_ = (expr);                                                  \
    if (st_ == (want))                                                           \
      passed++;                                                                  \
    else                                                                         \
      {                                                                          \
        failed++;                                                                \
        fprintf (stderr, "FAIL %s:%d: %s gave %s, wanted %s (%s)\n", __FILE__,   \
                 __LINE__, #expr, mend_w32_status_to_string (st_),               \
                 mend_w32_status_to_string (want), err.message);                 \
      }                                                                          \
  } while (0)

#define BASE "HKLM\\SOFTWARE\\RDPMendTest"
#define KEPT BASE "\\Kept"
#define TS "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"

static MendW32Error err;
static char workdir[MAX_PATH];
static FILE *manifest;

typedef struct {
  const char    *name;
  unsigned long  type;
  unsigned char  data[400];
  size_t         size;
} TestValue;

/* Strings with their terminator, so sizes are never counted by hand. */
static size_t
put_wstr (unsigned char *dst, const wchar_t *s)
{
  size_t n = (wcslen (s) + 1) * 2;
  memcpy (dst, s, n);
  return n;
}

static size_t
put_wide (unsigned char *dst, const wchar_t *s, size_t n_chars)
{
  memcpy (dst, s, n_chars * 2);
  return n_chars * 2;
}

/* One value of every type, plus the shapes the export must not write as text. */
static size_t
make_values (TestValue *v)
{
  size_t n = 0, i;

  memset (v, 0, 24 * sizeof *v);
  v[n].name = "";                       /* the default value */
  v[n].type = REG_SZ;
  v[n].size = put_wstr (v[n].data, L"default");
  n++;
  v[n].name = "Sz";
  v[n].type = REG_SZ;
  v[n].size = put_wstr (v[n].data, L"C:\\Program Files\\\"quoted\" Gr\u00fc\u00dfe \u2713");
  n++;
  v[n].name = "SzEmpty";
  v[n].type = REG_SZ;
  v[n].size = put_wstr (v[n].data, L"");
  n++;
  v[n].name = "SzNewline";                /* must become hex(1) */
  v[n].type = REG_SZ;
  v[n].size = put_wstr (v[n].data, L"a\r\nb");
  n++;
  /* Must become hex(1). RegSetValueExW adds a NUL the caller "forgot" when the character
   * after the data is NUL (Windows and wine agree), so the buffer continues with 'X'. */
  v[n].name = "SzNoTerminator";
  v[n].type = REG_SZ;
  put_wstr (v[n].data, L"abcX");
  v[n].size = 6;
  n++;
  v[n].name = "Expand";
  v[n].type = REG_EXPAND_SZ;
  v[n].size = put_wstr (v[n].data, L"%SystemRoot%\\System32\\mstsc.exe");
  n++;
  v[n].name = "Binary";                   /* long enough to wrap several lines */
  v[n].type = REG_BINARY;
  for (i = 0; i < 300; i++)
    v[n].data[i] = (unsigned char) (i * 7 + 3);
  v[n].size = 300;
  n++;
  v[n].name = "BinaryEmpty";
  v[n].type = REG_BINARY;
  v[n].size = 0;
  n++;
  v[n].name = "Dword";
  v[n].type = REG_DWORD;
  memcpy (v[n].data, "\x3d\x0d\x00\x00", 4);
  v[n].size = 4;
  n++;
  v[n].name = "DwordShort";               /* a DWORD with 2 bytes: hex(4) */
  v[n].type = REG_DWORD;
  memcpy (v[n].data, "\x01\x02", 2);
  v[n].size = 2;
  n++;
  v[n].name = "DwordBE";
  v[n].type = REG_DWORD_BIG_ENDIAN;
  memcpy (v[n].data, "\x00\x00\x0d\x3d", 4);
  v[n].size = 4;
  n++;
  v[n].name = "Multi";
  v[n].type = REG_MULTI_SZ;
  v[n].size = put_wide (v[n].data, L"one\0two \u00e9\0\0", 11);
  n++;
  v[n].name = "Qword";
  v[n].type = REG_QWORD;
  memcpy (v[n].data, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
  v[n].size = 8;
  n++;
  v[n].name = "None";
  v[n].type = REG_NONE;
  memcpy (v[n].data, "\xde\xad", 2);
  v[n].size = 2;
  n++;
  v[n].name = "ResourceList";
  v[n].type = REG_RESOURCE_LIST;
  memcpy (v[n].data, "\x01\x00\x00\x00\x0f", 5);
  v[n].size = 5;
  n++;
  v[n].name = "FullResource";
  v[n].type = REG_FULL_RESOURCE_DESCRIPTOR;
  memcpy (v[n].data, "\x09\x09", 2);
  v[n].size = 2;
  n++;
  v[n].name = "ResourceReq";
  v[n].type = REG_RESOURCE_REQUIREMENTS_LIST;
  memcpy (v[n].data, "\x0a", 1);
  v[n].size = 1;
  n++;
  v[n].name = "Type0x20";                 /* a type number no constant names */
  v[n].type = 0x20;
  memcpy (v[n].data, "\x20\x20", 2);
  v[n].size = 2;
  n++;
  v[n].name = "name with \\ and \" and \xc3\xa9";
  v[n].type = REG_DWORD;
  memcpy (v[n].data, "\x01\x00\x00\x00", 4);
  v[n].size = 4;
  n++;
  return n;
}

static void
hexline (FILE *f, const unsigned char *d, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    fprintf (f, "%02x", d[i]);
}

static void
manifest_value (const char *key, const char *name, unsigned long type,
                const unsigned char *data, size_t size)
{
  fprintf (manifest, "value\t%s\t", key);
  hexline (manifest, (const unsigned char *) name, strlen (name));
  fprintf (manifest, "\t%lu\t", type);
  hexline (manifest, data, size);
  fputc ('\n', manifest);
}

static const MendW32Value *
find_value (const MendW32Value *values, size_t n, const char *name)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp (values[i].name, name) == 0)
      return &values[i];
  return NULL;
}

static void
test_paths (void)
{
  int exists = -1;
  MendW32Value v;

  CHECK_ST (mend_w32_reg_key_exists ("HKXX\\SOFTWARE", &exists, &err), MEND_W32_ERR_INVALID_PATH);
  CHECK_ST (mend_w32_reg_key_exists ("HKLM\\SOFTWARE\\\xff\xfe", &exists, &err),
            MEND_W32_ERR_INVALID_ARG);
  CHECK_ST (mend_w32_reg_key_exists ("HKLM\\SOFTWARE", &exists, &err), MEND_W32_OK);
  CHECK (exists == 1);
  CHECK_ST (mend_w32_reg_key_exists ("HKEY_LOCAL_MACHINE\\\\software\\Microsoft\\", &exists,
                                     &err), MEND_W32_OK);
  CHECK (exists == 1);
  CHECK_ST (mend_w32_reg_key_exists (BASE "\\Nope", &exists, &err), MEND_W32_OK);
  CHECK (exists == 0);
  CHECK_ST (mend_w32_reg_get_value (BASE "\\Nope", "x", &v, &err), MEND_W32_ERR_NOT_FOUND);
  CHECK (err.win32_code == ERROR_FILE_NOT_FOUND);
  CHECK (strstr (err.message, "RDPMendTest\\Nope") != NULL);
  CHECK_ST (mend_w32_reg_create_key ("HKLM", NULL, &err), MEND_W32_ERR_INVALID_PATH);
}

static void
test_values_roundtrip (void)
{
  TestValue tv[24];
  size_t n = make_values (tv), i, n_values = 0;
  int created = -1;
  MendW32Value *values = NULL;

  CHECK_ST (mend_w32_reg_create_key (KEPT, &created, &err), MEND_W32_OK);
  CHECK (created == 1);
  CHECK_ST (mend_w32_reg_create_key (KEPT, &created, &err), MEND_W32_OK);
  CHECK (created == 0);

  for (i = 0; i < n; i++)
    {
      MendW32Value got;

      CHECK_ST (mend_w32_reg_set_value (KEPT, tv[i].name, tv[i].type, tv[i].data, tv[i].size,
                                        &err), MEND_W32_OK);
      CHECK_ST (mend_w32_reg_get_value (KEPT, tv[i].name, &got, &err), MEND_W32_OK);
      CHECK (got.type == tv[i].type);
      CHECK (got.size == tv[i].size);
      CHECK (got.size == tv[i].size && memcmp (got.data, tv[i].data, got.size) == 0);
      CHECK (got.name && strcmp (got.name, tv[i].name) == 0);
      if (got.type != tv[i].type || got.size != tv[i].size)
        fprintf (stderr, "  value \"%s\": type %lu size %lu\n", tv[i].name, got.type,
                 (unsigned long) got.size);
      mend_w32_value_clear (&got);
      manifest_value (KEPT, tv[i].name, tv[i].type, tv[i].data, tv[i].size);
    }

  /* A subkey with one value, so the export and the hive check see nesting. */
  CHECK_ST (mend_w32_reg_set_value (KEPT "\\Sub\\Deeper", "Leaf", REG_DWORD, "\x07\0\0\0", 4,
                                    &err), MEND_W32_OK);
  manifest_value (KEPT "\\Sub\\Deeper", "Leaf", REG_DWORD, (const unsigned char *) "\x07\0\0\0",
                  4);

  CHECK_ST (mend_w32_reg_list_values (KEPT, &values, &n_values, &err), MEND_W32_OK);
  CHECK (n_values == n);
  for (i = 0; i < n; i++)
    {
      const MendW32Value *v = find_value (values, n_values, tv[i].name);
      CHECK (v != NULL && v->type == tv[i].type && v->size == tv[i].size
             && memcmp (v->data, tv[i].data, v->size) == 0);
    }
  mend_w32_values_free (values, n_values);

  {
    char **names = NULL;
    size_t n_names = 0;
    CHECK_ST (mend_w32_reg_list_subkeys (KEPT, &names, &n_names, &err), MEND_W32_OK);
    CHECK (n_names == 1 && strcmp (names[0], "Sub") == 0);
    CHECK (names != NULL && names[n_names] == NULL);
    mend_w32_strv_free (names);
  }

  /* Overwrite with a different size and type. */
  {
    MendW32Value got;
    CHECK_ST (mend_w32_reg_set_value (BASE "\\Scratch", "v", REG_SZ, L"longer text", 24, &err),
              MEND_W32_OK);
    CHECK_ST (mend_w32_reg_set_value (BASE "\\Scratch", "v", REG_DWORD, "\1\0\0\0", 4, &err),
              MEND_W32_OK);
    CHECK_ST (mend_w32_reg_get_value (BASE "\\Scratch", "v", &got, &err), MEND_W32_OK);
    CHECK (got.type == REG_DWORD && got.size == 4 && got.data[0] == 1);
    mend_w32_value_clear (&got);
  }
  CHECK_ST (mend_w32_reg_set_value (KEPT, "x", REG_BINARY, NULL, 3, &err),
            MEND_W32_ERR_INVALID_ARG);
}

static void
test_deletes (void)
{
  MendW32Value got;
  int exists = -1;

  CHECK_ST (mend_w32_reg_set_value (BASE "\\Del", "a", REG_DWORD, "\1\0\0\0", 4, &err),
            MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (BASE "\\Del", "b", REG_DWORD, "\2\0\0\0", 4, &err),
            MEND_W32_OK);
  CHECK_ST (mend_w32_reg_delete_value (BASE "\\Del", "a", &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_get_value (BASE "\\Del", "a", &got, &err), MEND_W32_ERR_NOT_FOUND);
  CHECK_ST (mend_w32_reg_get_value (BASE "\\Del", "b", &got, &err), MEND_W32_OK);
  mend_w32_value_clear (&got);
  CHECK_ST (mend_w32_reg_delete_value (BASE "\\Del", "a", &err), MEND_W32_ERR_NOT_FOUND);
  CHECK_ST (mend_w32_reg_delete_value (BASE "\\NoKey", "a", &err), MEND_W32_ERR_NOT_FOUND);

  /* A tree three levels deep with values at each level. */
  CHECK_ST (mend_w32_reg_set_value (BASE "\\Del\\L1\\L2\\L3", "v", REG_SZ, L"x", 4, &err),
            MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (BASE "\\Del\\L1", "v", REG_SZ, L"x", 4, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_create_key (BASE "\\Del\\L1b", NULL, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_delete_tree (BASE "\\Del", &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_key_exists (BASE "\\Del", &exists, &err), MEND_W32_OK);
  CHECK (exists == 0);
  CHECK_ST (mend_w32_reg_key_exists (BASE, &exists, &err), MEND_W32_OK);
  CHECK (exists == 1);
  CHECK_ST (mend_w32_reg_delete_tree (BASE "\\Del", &err), MEND_W32_ERR_NOT_FOUND);
  CHECK_ST (mend_w32_reg_delete_tree ("HKLM\\SOFTWARE", &err), MEND_W32_ERR_INVALID_PATH);
  CHECK_ST (mend_w32_reg_delete_tree ("HKLM\\\\SOFTWARE\\", &err), MEND_W32_ERR_INVALID_PATH);
  CHECK_ST (mend_w32_reg_delete_tree ("HKCU", &err), MEND_W32_ERR_INVALID_PATH);
  CHECK_ST (mend_w32_reg_key_exists ("HKLM\\SOFTWARE\\Microsoft", &exists, &err), MEND_W32_OK);
  CHECK (exists == 1);
}

/* The layer always uses the 64-bit view: a key a 32-bit process would see under
 * SOFTWARE is WOW6432Node for us, and ours is invisible through the 32-bit view. */
static void
test_view (void)
{
  HKEY key;
  int exists = -1;
  LSTATUS rc;

  CHECK_ST (mend_w32_reg_set_value (BASE "\\View64", "v", REG_DWORD, "\x40\0\0\0", 4, &err),
            MEND_W32_OK);
  rc = RegOpenKeyExW (HKEY_LOCAL_MACHINE, L"SOFTWARE\\RDPMendTest\\View64", 0,
                      KEY_READ | KEY_WOW64_32KEY, &key);
  CHECK (rc == ERROR_FILE_NOT_FOUND);
  if (rc == ERROR_SUCCESS)
    RegCloseKey (key);

  rc = RegCreateKeyExW (HKEY_LOCAL_MACHINE, L"SOFTWARE\\RDPMendTest32", 0, NULL, 0,
                        KEY_ALL_ACCESS | KEY_WOW64_32KEY, NULL, &key, NULL);
  CHECK (rc == ERROR_SUCCESS);
  if (rc == ERROR_SUCCESS)
    {
      RegSetValueExW (key, L"v", 0, REG_DWORD, (const BYTE *) "\x20\0\0\0", 4);
      RegCloseKey (key);
    }
  CHECK_ST (mend_w32_reg_key_exists ("HKLM\\SOFTWARE\\RDPMendTest32", &exists, &err),
            MEND_W32_OK);
  CHECK (exists == 0);
  CHECK_ST (mend_w32_reg_key_exists ("HKLM\\SOFTWARE\\WOW6432Node\\RDPMendTest32", &exists,
                                     &err), MEND_W32_OK);
  CHECK (exists == 1);
  fprintf (manifest, "view32\tSoftware\\Wow6432Node\\RDPMendTest32\n");
}

static unsigned char *
read_file (const char *path, size_t *size)
{
  FILE *f = fopen (path, "rb");
  unsigned char *buf;
  long n;

  if (f == NULL)
    return NULL;
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  fseek (f, 0, SEEK_SET);
  buf = malloc ((size_t) n + 2);
  if (buf && fread (buf, 1, (size_t) n, f) != (size_t) n)
    {
      free (buf);
      buf = NULL;
    }
  fclose (f);
  if (buf)
    {
      buf[n] = buf[n + 1] = 0;
      *size = (size_t) n;
    }
  return buf;
}

/* TRUE if the UTF-16LE file contains the line (without CRLF) exactly. */
static int
has_line (const wchar_t *text, const wchar_t *line)
{
  size_t n = wcslen (line);
  const wchar_t *p = text;

  while ((p = wcsstr (p, line)) != NULL)
    {
      if ((p == text || p[-1] == L'\n') && p[n] == L'\r' && p[n + 1] == L'\n')
        return 1;
      p++;
    }
  return 0;
}

static void
test_export (void)
{
  char path[MAX_PATH];
  const char *paths[] = { KEPT };
  const char *missing[] = { KEPT, BASE "\\Missing" };
  unsigned char *bytes = NULL, *again = NULL;
  size_t size = 0, size2 = 0;
  const wchar_t *text;
  const wchar_t *p;
  static const wchar_t head[] = L"Windows Registry Editor Version 5.00\r\n\r\n"
                                L"[HKEY_LOCAL_MACHINE\\SOFTWARE\\RDPMendTest\\Kept]\r\n"
                                L"@=\"default\"\r\n"
                                L"\"Binary\"=hex:03,0a,";
  int long_lines = 0, continuation = 0;

  snprintf (path, sizeof path, "%s\\export.reg", workdir);
  CHECK_ST (mend_w32_reg_export_file (paths, 1, path, &err), MEND_W32_OK);
  bytes = read_file (path, &size);
  CHECK (bytes != NULL);
  if (bytes == NULL)
    return;
  CHECK (size % 2 == 0 && size > 100);
  CHECK (bytes[0] == 0xFF && bytes[1] == 0xFE);
  text = (const wchar_t *) (bytes + 2);
  /* Header, key, then the default value first and the other names sorted. */
  CHECK (wcsncmp (text, head, wcslen (head)) == 0);
  CHECK (has_line (text, L"\"Sz\"=\"C:\\\\Program Files\\\\\\\"quoted\\\" Gr\u00fc\u00dfe \u2713\""));
  CHECK (has_line (text, L"\"SzEmpty\"=\"\""));
  CHECK (has_line (text, L"\"SzNewline\"=hex(1):61,00,0d,00,0a,00,62,00,00,00"));
  CHECK (has_line (text, L"\"SzNoTerminator\"=hex(1):61,00,62,00,63,00"));
  CHECK (has_line (text, L"\"Dword\"=dword:00000d3d"));
  CHECK (has_line (text, L"\"DwordShort\"=hex(4):01,02"));
  CHECK (has_line (text, L"\"DwordBE\"=hex(5):00,00,0d,3d"));
  CHECK (has_line (text, L"\"Qword\"=hex(b):88,77,66,55,44,33,22,11"));
  CHECK (has_line (text, L"\"None\"=hex(0):de,ad"));
  CHECK (has_line (text, L"\"ResourceList\"=hex(8):01,00,00,00,0f"));
  CHECK (has_line (text, L"\"FullResource\"=hex(9):09,09"));
  CHECK (has_line (text, L"\"ResourceReq\"=hex(a):0a"));
  CHECK (has_line (text, L"\"Type0x20\"=hex(20):20,20"));
  CHECK (has_line (text, L"\"BinaryEmpty\"=hex:"));
  CHECK (has_line (text, L"\"name with \\\\ and \\\" and \u00e9\"=dword:00000001"));
  CHECK (has_line (text, L"\"Multi\"=hex(7):6f,00,6e,00,65,00,00,00,74,00,77,00,6f,00,20,00,e9,"
                   L"00,00,00,00,\\"));
  CHECK (has_line (text, L"  00"));
  CHECK (has_line (text, L"\"Expand\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,"
                   L"00,6f,00,74,\\"));
  CHECK (has_line (text, L"\"Binary\"=hex:03,0a,11,18,1f,26,2d,34,3b,42,49,50,57,5e,65,6c,73,7a,"
                   L"81,88,8f,96,\\"));
  CHECK (has_line (text, L"[HKEY_LOCAL_MACHINE\\SOFTWARE\\RDPMendTest\\Kept\\Sub]"));
  CHECK (has_line (text, L"[HKEY_LOCAL_MACHINE\\SOFTWARE\\RDPMendTest\\Kept\\Sub\\Deeper]"));
  CHECK (has_line (text, L"\"Leaf\"=dword:00000007"));
  /* regedit's shape: lines within 80 columns, CRLF only, file ends with a blank line. */
  for (p = text; *p; )
    {
      const wchar_t *eol = wcschr (p, L'\n');
      size_t len = eol ? (size_t) (eol - p) : wcslen (p);
      if (len > 0 && p[len - 1] == L'\r')
        len--;
      else if (eol)
        long_lines += 1000;             /* a bare LF */
      if (len > 80 && p[0] != L'"' && p[0] != L'[')
        long_lines++;
      if (len > 0 && p[len - 1] == L'\\' && p[0] == L' ')
        continuation++;
      p = eol ? eol + 1 : p + wcslen (p);
    }
  CHECK (long_lines == 0);
  CHECK (continuation >= 10);
  CHECK (size >= 8 && memcmp (bytes + size - 8, L"\r\n\r\n", 8) == 0);

  /* Same content, same bytes. */
  CHECK_ST (mend_w32_reg_export (paths, 1, &again, &size2, &err), MEND_W32_OK);
  CHECK (size2 == size && again && memcmp (again, bytes, size) == 0);
  free (again);
  free (bytes);

  CHECK_ST (mend_w32_reg_export (missing, 2, &again, &size2, &err), MEND_W32_ERR_NOT_FOUND);
  CHECK (again == NULL);

  /* A destination that cannot be written (here a folder in the way of the temp file;
   * read-only files do not stop root under wine): access denied, old backup untouched. */
  {
    char ro[MAX_PATH], ro_tmp[MAX_PATH];
    wchar_t wro_tmp[MAX_PATH];
    FILE *f;
    snprintf (ro, sizeof ro, "%s\\readonly.reg", workdir);
    snprintf (ro_tmp, sizeof ro_tmp, "%s\\readonly.reg.tmp", workdir);
    f = fopen (ro, "wb");
    if (f)
      {
        fputs ("old", f);
        fclose (f);
      }
    MultiByteToWideChar (CP_UTF8, 0, ro_tmp, -1, wro_tmp, MAX_PATH);
    CreateDirectoryW (wro_tmp, NULL);
    CHECK_ST (mend_w32_reg_export_file (paths, 1, ro, &err), MEND_W32_ERR_ACCESS_DENIED);
    CHECK (err.win32_code == ERROR_ACCESS_DENIED);
    CHECK (strstr (err.message, "readonly.reg.tmp") != NULL);
    bytes = read_file (ro, &size);
    CHECK (bytes && size == 3 && memcmp (bytes, "old", 3) == 0);
    free (bytes);
  }
  CHECK (mend_w32_status_from_win32 (ERROR_ACCESS_DENIED) == MEND_W32_ERR_ACCESS_DENIED);
  CHECK (mend_w32_status_from_win32 (ERROR_FILE_NOT_FOUND) == MEND_W32_ERR_NOT_FOUND);
  CHECK (mend_w32_status_from_win32 (ERROR_GEN_FAILURE) == MEND_W32_ERR_OTHER);
}

static void
test_process (void)
{
  MendW32ProcessInfo info;

  CHECK_ST (mend_w32_process_info (&info, &err), MEND_W32_OK);
  CHECK (info.pointer_bits == (int) sizeof (void *) * 8);
  CHECK (info.wow64 == 0);              /* a 64-bit build never runs under WOW64 */
  fprintf (manifest, "process\t%d\t%d\t%d\n", info.admin_member, info.elevation_known,
           info.elevated);
}

static void
test_services (void)
{
  MendW32Service svc;
  SC_HANDLE scm, created;
  MendW32Value start;

  /* The SCM's answer must agree with the service's registry key. */
  CHECK_ST (mend_w32_service_query ("TermService", &svc, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_get_value ("HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService",
                                    "Start", &start, &err), MEND_W32_OK);
  CHECK (start.size == 4 && svc.start_type == *(DWORD *) start.data);
  CHECK (svc.state_known && svc.state == SERVICE_STOPPED);
  CHECK (strcmp (mend_w32_service_state_name (svc.state), "stopped") == 0);
  mend_w32_value_clear (&start);
  mend_w32_service_clear (&svc);

  CHECK_ST (mend_w32_service_query ("RDPMendNoSuchService", &svc, &err),
            MEND_W32_ERR_NOT_FOUND);
  CHECK (err.win32_code == ERROR_SERVICE_DOES_NOT_EXIST);

  /* SessionEnv does not exist in wine: install it disabled, as a broken machine has it. */
  scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_ALL_ACCESS);
  CHECK (scm != NULL);
  if (scm == NULL)
    return;
  created = CreateServiceW (scm, L"SessionEnv", L"Remote Desktop Configuration",
                            SERVICE_ALL_ACCESS, SERVICE_WIN32_SHARE_PROCESS, SERVICE_DISABLED,
                            SERVICE_ERROR_NORMAL,
                            L"%SystemRoot%\\System32\\svchost.exe -k netsvcs", NULL, NULL,
                            NULL, L"LocalSystem", NULL);
  CHECK (created != NULL);
  if (created == NULL)
    fprintf (stderr, "  CreateServiceW SessionEnv: error %lu\n", GetLastError ());
  CHECK_ST (mend_w32_service_query ("SessionEnv", &svc, &err), MEND_W32_OK);
  CHECK (svc.start_type == SERVICE_DISABLED);
  CHECK (strcmp (mend_w32_service_start_type_name (svc.start_type), "disabled") == 0);
  CHECK (svc.service_type == SERVICE_WIN32_SHARE_PROCESS);
  CHECK (svc.binary_path && strstr (svc.binary_path, "svchost.exe -k netsvcs") != NULL);
  CHECK (svc.state_known && svc.state == SERVICE_STOPPED);
  mend_w32_service_clear (&svc);
  /* Closed only now: wine 8.0 hides a service created by this process from OpenServiceW
   * once its creation handle is closed (other processes see it). */
  if (created)
    CloseServiceHandle (created);
  CloseServiceHandle (scm);
}

static void
test_files (void)
{
  char path[MAX_PATH];
  wchar_t wpath[MAX_PATH];
  MendW32FileInfo info;
  FILE *f;
  char *sys;
  int i;

  snprintf (path, sizeof path, "%s\\sized-\xc3\xa9.bin", workdir);
  MultiByteToWideChar (CP_UTF8, 0, path, -1, wpath, MAX_PATH);
  f = _wfopen (wpath, L"wb");
  CHECK (f != NULL);
  if (f)
    {
      for (i = 0; i < 1234; i++)
        fputc (i & 0xff, f);
      fclose (f);
    }
  SetFileAttributesW (wpath, FILE_ATTRIBUTE_READONLY);
  CHECK_ST (mend_w32_file_info (path, &info, &err), MEND_W32_OK);
  CHECK (info.exists && info.size == 1234 && info.read_only && !info.directory);
  CHECK (!info.has_version);
  SetFileAttributesW (wpath, FILE_ATTRIBUTE_NORMAL);
  CHECK_ST (mend_w32_file_info (path, &info, &err), MEND_W32_OK);
  CHECK (info.exists && !info.read_only);

  snprintf (path, sizeof path, "%s\\absent.dll", workdir);
  CHECK_ST (mend_w32_file_info (path, &info, &err), MEND_W32_OK);
  CHECK (!info.exists && info.size == 0);

  /* A real PE with a version resource: wine's own kernel32. */
  sys = mend_w32_native_system_file ("kernel32.dll");
  CHECK (sys != NULL && strstr (sys, "\\System32\\kernel32.dll") != NULL);
  if (sys)
    {
      CHECK_ST (mend_w32_file_info (sys, &info, &err), MEND_W32_OK);
      CHECK (info.exists && info.size > 0 && info.has_version && info.version[0] >= 5);
      fprintf (manifest, "kernel32\t%s\t%u.%u.%u.%u\n", sys, info.version[0], info.version[1],
               info.version[2], info.version[3]);
    }
  free (sys);
}

static void
test_temp (void)
{
  MendW32TempInfo info;
  wchar_t old_tmp[MAX_PATH], old_temp[MAX_PATH], missing[MAX_PATH];
  DWORD has_tmp = GetEnvironmentVariableW (L"TMP", old_tmp, MAX_PATH);
  DWORD has_temp = GetEnvironmentVariableW (L"TEMP", old_temp, MAX_PATH);

  CHECK_ST (mend_w32_temp_check (&info, &err), MEND_W32_OK);
  CHECK (info.exists && info.writable && info.path && info.path[0]);
  mend_w32_temp_clear (&info);

  /* The catalog's client.temp-unwritable: TMP pointing at a folder that is gone. */
  MultiByteToWideChar (CP_UTF8, 0, workdir, -1, missing, MAX_PATH);
  wcscat (missing, L"\\no-such-temp\\");
  SetEnvironmentVariableW (L"TMP", missing);
  SetEnvironmentVariableW (L"TEMP", missing);
  CHECK_ST (mend_w32_temp_check (&info, &err), MEND_W32_OK);
  CHECK (!info.exists && !info.writable && info.win32_code != 0);
  CHECK (info.path && strstr (info.path, "no-such-temp") != NULL);
  mend_w32_temp_clear (&info);
  SetEnvironmentVariableW (L"TMP", has_tmp ? old_tmp : NULL);
  SetEnvironmentVariableW (L"TEMP", has_temp ? old_temp : NULL);
}

static void
test_certs (const char *der_path, unsigned char *thumb_out)
{
  size_t der_size = 0, n = 0, i;
  unsigned char *der = read_file (der_path, &der_size);
  HCERTSTORE store;
  PCCERT_CONTEXT ctx = NULL;
  CRYPT_KEY_PROV_INFO kpi;
  MendW32Cert *certs = NULL;
  DWORD len = 20;
  int found = 0;

  CHECK (der != NULL);
  if (der == NULL)
    return;
  CHECK_ST (mend_w32_cert_list ("Remote Desktop", &certs, &n, &err), MEND_W32_ERR_NOT_FOUND);

  /* What the RDP service does on first start: a certificate in "Remote Desktop" linked to
   * the TSSecKeySet1 container of the SChannel provider. */
  store = CertOpenStore (CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE,
                         L"Remote Desktop");
  CHECK (store != NULL);
  if (store == NULL)
    return;
  CHECK (CertAddEncodedCertificateToStore (store, X509_ASN_ENCODING, der, (DWORD) der_size,
                                           CERT_STORE_ADD_REPLACE_EXISTING, &ctx));
  memset (&kpi, 0, sizeof kpi);
  kpi.pwszContainerName = L"TSSecKeySet1";
  kpi.pwszProvName = L"Microsoft RSA SChannel Cryptographic Provider";
  kpi.dwProvType = 12;
  kpi.dwFlags = CRYPT_MACHINE_KEYSET;
  kpi.dwKeySpec = AT_KEYEXCHANGE;
  CHECK (ctx && CertSetCertificateContextProperty (ctx, CERT_KEY_PROV_INFO_PROP_ID, 0, &kpi));
  CHECK (ctx && CertGetCertificateContextProperty (ctx, CERT_HASH_PROP_ID, thumb_out, &len));
  if (ctx)
    CertFreeCertificateContext (ctx);
  CertCloseStore (store, 0);

  CHECK_ST (mend_w32_cert_list ("Remote Desktop", &certs, &n, &err), MEND_W32_OK);
  CHECK (n == 1);
  for (i = 0; i < n; i++)
    {
      found = 1;
      CHECK (certs[i].der_size == der_size && memcmp (certs[i].der, der, der_size) == 0);
      CHECK (strlen (certs[i].thumbprint) == 40);
      CHECK (certs[i].has_key_prov);
      CHECK (certs[i].key_container && strcmp (certs[i].key_container, "TSSecKeySet1") == 0);
      CHECK (certs[i].key_provider && strcmp (certs[i].key_provider,
                                              "Microsoft RSA SChannel Cryptographic Provider") == 0);
      CHECK (certs[i].key_prov_type == 12 && certs[i].key_flags == 0x20
             && certs[i].key_spec == 1);
      CHECK (strcmp (certs[i].subject, "w32probe.example.test") == 0);
      CHECK (certs[i].not_after > certs[i].not_before);
    }
  CHECK (found);
  mend_w32_certs_free (certs, n);

  /* The same certificate in MY without a key link: reported as having none. */
  store = CertOpenStore (CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE, L"MY");
  CHECK (store != NULL);
  if (store)
    {
      CHECK (CertAddEncodedCertificateToStore (store, X509_ASN_ENCODING, der, (DWORD) der_size,
                                               CERT_STORE_ADD_REPLACE_EXISTING, NULL));
      CertCloseStore (store, 0);
    }
  CHECK_ST (mend_w32_cert_list ("MY", &certs, &n, &err), MEND_W32_OK);
  CHECK (n == 1 && !certs[0].has_key_prov && certs[0].key_container == NULL);
  mend_w32_certs_free (certs, n);
  free (der);
}

/* Settings of a machine with three classic 0x904 causes, for the probe test. */
static void
seed_probe (const unsigned char *thumb)
{
  CHECK_ST (mend_w32_reg_set_value (TS, "fDenyTSConnections", REG_DWORD, "\1\0\0\0", 4, &err),
            MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (TS "\\WinStations", "SelfSignedCertStore", REG_SZ,
                                    L"Remote Desktop", 30, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (TS "\\WinStations\\RDP-Tcp", "PortNumber", REG_DWORD,
                                    "\x3e\x0d\0\0", 4, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (TS "\\WinStations\\RDP-Tcp", "SecurityLayer", REG_DWORD,
                                    "\2\0\0\0", 4, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value (TS "\\WinStations\\RDP-Tcp", "SSLCertificateSHA1Hash",
                                    REG_BINARY, thumb, 20, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value ("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                                    "Policies\\System\\CredSSP\\Parameters",
                                    "AllowEncryptionOracle", REG_DWORD, "\2\0\0\0", 4, &err),
            MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value ("HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
                                    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server",
                                    "Enabled", REG_DWORD, "\0\0\0\0", 4, &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value ("HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\HardwareID",
                                    "ClientHWID", REG_BINARY, "\x02\x00\x00\x00\xaa\xbb", 6,
                                    &err), MEND_W32_OK);
  CHECK_ST (mend_w32_reg_set_value ("HKCU\\Software\\Microsoft\\Terminal Server Client\\Default",
                                    "MRU0", REG_SZ, L"server01.example.test", 44, &err),
            MEND_W32_OK);
}

int
wmain (int argc, wchar_t **argv)
{
  char der[MAX_PATH], mpath[MAX_PATH];
  unsigned char thumb[20] = { 0 };

  if (argc != 3)
    {
      fprintf (stderr, "usage: test-w32-layer.exe WORKDIR CERT.der\n");
      return 2;
    }
  WideCharToMultiByte (CP_UTF8, 0, argv[1], -1, workdir, MAX_PATH, NULL, NULL);
  WideCharToMultiByte (CP_UTF8, 0, argv[2], -1, der, MAX_PATH, NULL, NULL);
  snprintf (mpath, sizeof mpath, "%s\\manifest.txt", workdir);
  manifest = fopen (mpath, "wb");
  if (manifest == NULL)
    {
      fprintf (stderr, "cannot write %s\n", mpath);
      return 2;
    }

  test_paths ();
  test_values_roundtrip ();
  test_deletes ();
  test_view ();
  test_export ();
  test_process ();
  test_services ();
  test_files ();
  test_temp ();
  test_certs (der, thumb);
  seed_probe (thumb);
  fclose (manifest);

  printf ("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
