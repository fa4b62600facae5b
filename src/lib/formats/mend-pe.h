/* mend-pe.h — the version resource of a PE file (mstsc.exe, mstscax.dll): the fixed file
 * version and, when present, StringFileInfo FileVersion / ProductName. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint16  file_version[4];       /* dwFileVersionMS/LS: 10, 0, 19041, 3803 */
  guint16  product_version[4];    /* dwProductVersionMS/LS */
  guint16  machine;               /* COFF Machine: 0x8664 x64, 0x14c x86, 0xAA64 ARM64 */
  char    *file_version_string;   /* StringFileInfo FileVersion, or NULL */
  char    *product_name;          /* StringFileInfo ProductName, or NULL */
  char    *original_filename;     /* StringFileInfo OriginalFilename, or NULL */
} MendPeVersion;

/* Parses an in-memory PE image. Fails with MEND_ERROR_PARSE (not a PE file, damaged headers,
 * offsets outside the file) or MEND_ERROR_NOT_FOUND (a valid PE file without a version
 * resource). Never reads outside data[0..len). */
MendPeVersion *mend_pe_read_version_from_data (const guint8 *data, gsize len, GError **error);
/* Reads at most 256 MiB of PATH and parses it. */
MendPeVersion *mend_pe_read_version (const char *path, GError **error);
void           mend_pe_version_free (MendPeVersion *version);

/* "10.0.19041.3803" */
char          *mend_pe_version_to_string (const MendPeVersion *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendPeVersion, mend_pe_version_free)

G_END_DECLS
