/* mend-error.h — the single GError domain of librdpmend. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MEND_ERROR (mend_error_quark ())

typedef enum {
  MEND_ERROR_FAILED,              /* anything not covered below */
  MEND_ERROR_NOT_FOUND,           /* key, value or file does not exist */
  MEND_ERROR_NOT_WINDOWS,         /* the folder holds no Windows installation */
  MEND_ERROR_HIVE_CORRUPT,        /* a hive cannot be parsed */
  MEND_ERROR_HIVE_DIRTY,          /* a hive has unreplayed log data; writes refused */
  MEND_ERROR_READ_ONLY,           /* the volume or file cannot be written */
  MEND_ERROR_PERMISSION,          /* access denied */
  MEND_ERROR_WRONG_TYPE,          /* a registry value has an unexpected type */
  MEND_ERROR_INVALID_ARGUMENT,    /* bad user input (parameter, code, host name) */
  MEND_ERROR_PARSE,               /* a parser rejected its input */
  MEND_ERROR_UNKNOWN_FIX,         /* no fix with that ID */
  MEND_ERROR_PRECONDITION,        /* a plan no longer matches the target */
  MEND_ERROR_IO,                  /* read/write/fsync/rename failed */
  MEND_ERROR_PROBE_DNS,
  MEND_ERROR_PROBE_REFUSED,
  MEND_ERROR_PROBE_TIMEOUT,
  MEND_ERROR_PROBE_RESET,
  MEND_ERROR_PROBE_UNREACHABLE,
  MEND_ERROR_PROBE_NOT_RDP,
  MEND_ERROR_PROBE_TLS,
  MEND_ERROR_CHANGED_SINCE,       /* undo refused: the target changed after the plan */
  MEND_ERROR_UNSAFE_FILE,         /* a link, FIFO, device or oversized file inside an image */
  MEND_ERROR_BUSY,                /* another repair holds the image's lock */
} MendError;

GQuark mend_error_quark (void);

/* Maps an errno value from hivex or the C library onto the domain. */
MendError mend_error_from_errno (int err_no);
/* Sets ERROR to "WHAT PATH: strerror(ERR_NO)" with the code mapped from ERR_NO. */
void      mend_error_set_errno  (GError **error, int err_no, const char *what, const char *path);

G_END_DECLS
