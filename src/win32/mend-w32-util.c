/* mend-w32-util.c — private helpers of the Win32 layer: string conversion, errors with the
 * system's own message text, and a flushed, atomic file write for backups. */
#include "mend-w32-util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wchar_t *
mend_w32_utf8_to_wide (const char *utf8)
{
  int n;
  wchar_t *out;

  if (utf8 == NULL)
    return NULL;
  if (*utf8 == 0)
    return calloc (1, sizeof (wchar_t));
  n = MultiByteToWideChar (CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
  if (n <= 0)
    return NULL;
  out = malloc ((size_t) n * sizeof (wchar_t));
  if (out == NULL)
    return NULL;
  if (MultiByteToWideChar (CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, out, n) != n)
    {
      free (out);
      return NULL;
    }
  return out;
}

char *
mend_w32_wide_to_utf8 (const wchar_t *wide, int len)
{
  int n;
  char *out;

  if (wide == NULL)
    return NULL;
  if (len < 0)
    len = (int) wcslen (wide);
  if (len == 0)
    return calloc (1, 1);
  /* Without WC_ERR_INVALID_CHARS unpaired surrogates become U+FFFD instead of failing:
   * registry names may hold them and must still be listable. */
  n = WideCharToMultiByte (CP_UTF8, 0, wide, len, NULL, 0, NULL, NULL);
  if (n <= 0)
    return NULL;
  out = malloc ((size_t) n + 1);
  if (out == NULL)
    return NULL;
  WideCharToMultiByte (CP_UTF8, 0, wide, len, out, n, NULL, NULL);
  out[n] = 0;
  return out;
}

const char *
mend_w32_status_to_string (MendW32Status status)
{
  switch (status)
    {
    case MEND_W32_OK: return "ok";
    case MEND_W32_ERR_NOT_FOUND: return "not-found";
    case MEND_W32_ERR_ACCESS_DENIED: return "access-denied";
    case MEND_W32_ERR_INVALID_PATH: return "invalid-path";
    case MEND_W32_ERR_INVALID_ARG: return "invalid-argument";
    case MEND_W32_ERR_NO_MEMORY: return "no-memory";
    case MEND_W32_ERR_IO: return "io";
    case MEND_W32_ERR_OTHER: return "error";
    }
  return "error";
}

MendW32Status
mend_w32_status_from_win32 (unsigned long code)
{
  switch (code)
    {
    case ERROR_SUCCESS:
      return MEND_W32_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_KEY_DELETED:
    case ERROR_SERVICE_DOES_NOT_EXIST:
    case ERROR_RESOURCE_TYPE_NOT_FOUND:
    case ERROR_RESOURCE_DATA_NOT_FOUND:
      return MEND_W32_ERR_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      return MEND_W32_ERR_ACCESS_DENIED;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
      return MEND_W32_ERR_NO_MEMORY;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
      return MEND_W32_ERR_INVALID_ARG;
    case ERROR_WRITE_FAULT:
    case ERROR_READ_FAULT:
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case ERROR_WRITE_PROTECT:
      return MEND_W32_ERR_IO;
    default:
      return MEND_W32_ERR_OTHER;
    }
}

void
mend_w32_error_reset (MendW32Error *error)
{
  if (error == NULL)
    return;
  error->status = MEND_W32_OK;
  error->win32_code = 0;
  error->message[0] = 0;
}

static void
vfill (MendW32Error *error, MendW32Status status, unsigned long code, const char *fmt,
       va_list ap)
{
  if (error == NULL)
    return;
  error->status = status;
  error->win32_code = code;
  vsnprintf (error->message, sizeof error->message, fmt, ap);
}

MendW32Status
mend_w32_fail (MendW32Error *error, MendW32Status status, unsigned long code,
               const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vfill (error, status, code, fmt, ap);
  va_end (ap);
  return status;
}

MendW32Status
mend_w32_fail_win32 (MendW32Error *error, unsigned long code, const char *fmt, ...)
{
  MendW32Status status = mend_w32_status_from_win32 (code);
  wchar_t *sys = NULL;
  va_list ap;

  if (status == MEND_W32_OK)
    status = MEND_W32_ERR_OTHER;    /* a failure reported with code 0 */
  va_start (ap, fmt);
  vfill (error, status, code, fmt, ap);
  va_end (ap);
  if (error == NULL)
    return status;

  /* Append the system's text in the user's language: it goes to logs and reports. */
  if (FormatMessageW (FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM
                      | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD) code, 0,
                      (LPWSTR) &sys, 0, NULL) && sys != NULL)
    {
      size_t n = wcslen (sys);
      char *u;

      while (n > 0 && (sys[n - 1] == L'\r' || sys[n - 1] == L'\n' || sys[n - 1] == L' '))
        sys[--n] = 0;
      u = mend_w32_wide_to_utf8 (sys, -1);
      if (u)
        {
          size_t used = strlen (error->message);
          snprintf (error->message + used, sizeof error->message - used, ": %s (%lu)", u,
                    code);
          free (u);
        }
      LocalFree (sys);
    }
  else
    {
      size_t used = strlen (error->message);
      snprintf (error->message + used, sizeof error->message - used, ": error %lu", code);
    }
  return status;
}

MendW32Status
mend_w32_write_file_atomic (const char *file, const void *data, size_t size,
                            MendW32Error *error)
{
  wchar_t *wfile = mend_w32_utf8_to_wide (file);
  wchar_t *wtmp;
  size_t len;
  HANDLE h;
  DWORD written = 0;
  MendW32Status st = MEND_W32_OK;

  if (wfile == NULL)
    return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "file name is not valid UTF-8");
  if (size > 0xFFFFFFFFu)
    {
      free (wfile);
      return mend_w32_fail (error, MEND_W32_ERR_INVALID_ARG, 0, "%s: data too large", file);
    }
  len = wcslen (wfile) + 5;
  wtmp = malloc (len * sizeof (wchar_t));
  if (wtmp == NULL)
    {
      free (wfile);
      return mend_w32_fail (error, MEND_W32_ERR_NO_MEMORY, 0, "out of memory");
    }
  swprintf (wtmp, len, L"%ls.tmp", wfile);

  h = CreateFileW (wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE)
    st = mend_w32_fail_win32 (error, GetLastError (), "CreateFileW %s.tmp", file);
  else
    {
      /* A backup that is not on disk before the change is no backup. */
      if (!WriteFile (h, data, (DWORD) size, &written, NULL) || written != size)
        st = mend_w32_fail_win32 (error, GetLastError (), "WriteFile %s.tmp", file);
      else if (!FlushFileBuffers (h))
        st = mend_w32_fail_win32 (error, GetLastError (), "FlushFileBuffers %s.tmp", file);
      CloseHandle (h);
      if (st == MEND_W32_OK
          && !MoveFileExW (wtmp, wfile, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        st = mend_w32_fail_win32 (error, GetLastError (), "MoveFileExW %s", file);
      if (st != MEND_W32_OK)
        DeleteFileW (wtmp);
    }
  free (wtmp);
  free (wfile);
  return st;
}
