/* mend-w32-util.h — private helpers of the Win32 layer: UTF-8 <-> UTF-16 conversion,
 * error filling and an atomic file write. Not part of the layer's API. */
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <stddef.h>

#include "mend-w32-registry.h"

/* NULL on invalid UTF-8 or out of memory; free() the result. */
wchar_t      *mend_w32_utf8_to_wide  (const char *utf8);
/* len in wchar_t, or -1 for NUL-terminated. Unpaired surrogates become U+FFFD. */
char         *mend_w32_wide_to_utf8  (const wchar_t *wide, int len);

void          mend_w32_error_reset   (MendW32Error *error);
/* Fill error (may be NULL) and return status. */
MendW32Status mend_w32_fail          (MendW32Error *error, MendW32Status status,
                                      unsigned long code, const char *fmt, ...)
                                      __attribute__ ((format (printf, 4, 5)));
/* Status from the Win32 code; message = context + the system's text for the code. */
MendW32Status mend_w32_fail_win32    (MendW32Error *error, unsigned long code,
                                      const char *fmt, ...)
                                      __attribute__ ((format (printf, 3, 4)));
/* Write to "<file>.tmp", flush to disk, then rename over file. */
MendW32Status mend_w32_write_file_atomic (const char *file, const void *data, size_t size,
                                          MendW32Error *error);
