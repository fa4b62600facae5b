/* mend-error.c — the MEND_ERROR domain and errno mapping. */
#include "base/mend-error.h"

#include <errno.h>

G_DEFINE_QUARK (mend-error-quark, mend_error)

MendError
mend_error_from_errno (int err_no)
{
  switch (err_no)
    {
    case ENOENT:
    case ENOTDIR:
      return MEND_ERROR_NOT_FOUND;
    case EROFS:
      return MEND_ERROR_READ_ONLY;
    case EACCES:
    case EPERM:
      return MEND_ERROR_PERMISSION;
    case EINVAL:
      return MEND_ERROR_INVALID_ARGUMENT;
    case ENOTSUP:
    case EFAULT:
    case ERANGE:
      return MEND_ERROR_HIVE_CORRUPT;
    case EIO:
    case ENOSPC:
      return MEND_ERROR_IO;
    case ELOOP:
    case EXDEV:
      return MEND_ERROR_UNSAFE_FILE;
    case EWOULDBLOCK:
      return MEND_ERROR_BUSY;
    default:
      return MEND_ERROR_FAILED;
    }
}

void
mend_error_set_errno (GError **error, int err_no, const char *what, const char *path)
{
  g_set_error (error, MEND_ERROR, mend_error_from_errno (err_no), "%s %s: %s", what, path,
               g_strerror (err_no));
}
