/* mend-rdpfile.h — `.rdp` connection files: parsing (UTF-16LE/UTF-8/ASCII, name:type:value)
 * and the rdpfile.* findings (CATALOG.md "Connection file"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MEND_RDP_TYPE_STRING  = 's',
  MEND_RDP_TYPE_INTEGER = 'i',
  MEND_RDP_TYPE_BINARY  = 'b',
} MendRdpType;

typedef struct {
  char        *name;       /* as written, e.g. "full address" */
  char        *key;        /* lower-cased name, for lookups */
  MendRdpType  type;
  char        *value;      /* the text after "name:t:" */
  gint64       integer;    /* MEND_RDP_TYPE_INTEGER only */
  GBytes      *binary;     /* MEND_RDP_TYPE_BINARY only (decoded hex) */
  guint        line;       /* 1-based */
} MendRdpSetting;

/* A line that is not name:type:value (kept when parsing leniently). */
typedef struct {
  guint  line;
  char  *text;             /* the line, at most 200 characters */
  char  *message;          /* translated: what is wrong with it */
} MendRdpProblem;

typedef enum {
  MEND_RDPFILE_PARSE_NONE    = 0,
  /* Record malformed lines (mend_rdpfile_get_problems) and keep going, as mstsc does,
   * instead of failing at the first one. Encoding errors still fail. */
  MEND_RDPFILE_PARSE_LENIENT = 1 << 0,
} MendRdpFileParseFlags;

typedef struct _MendRdpFile MendRdpFile;

/* Fails with MEND_ERROR_PARSE ("line N: …") on an undecodable file or (unless lenient) a
 * malformed line. */
MendRdpFile *mend_rdpfile_parse   (const guint8          *data,
                                   gsize                  len,
                                   MendRdpFileParseFlags  flags,
                                   GError               **error);
/* Reads PATH (MEND_ERROR_NOT_FOUND / MEND_ERROR_IO on failure) then parses it. */
MendRdpFile *mend_rdpfile_load    (const char            *path,
                                   MendRdpFileParseFlags  flags,
                                   GError               **error);
void         mend_rdpfile_free    (MendRdpFile *file);

/* "UTF-16LE", "UTF-16BE", "UTF-8", "ASCII" or "Windows-1252". */
const char  *mend_rdpfile_get_encoding (MendRdpFile *file);
gboolean     mend_rdpfile_has_bom      (MendRdpFile *file);
gboolean     mend_rdpfile_uses_crlf    (MendRdpFile *file);
/* Element MendRdpSetting*, in file order (duplicates kept). */
GPtrArray   *mend_rdpfile_get_settings (MendRdpFile *file);
/* Element MendRdpProblem*; empty unless parsed leniently. */
GPtrArray   *mend_rdpfile_get_problems (MendRdpFile *file);

/* Case-insensitive; the last occurrence wins, as in mstsc. NULL when absent. */
const MendRdpSetting *mend_rdpfile_lookup      (MendRdpFile *file, const char *name);
const char           *mend_rdpfile_get_string  (MendRdpFile *file, const char *name);
/* FALSE when absent or not an integer setting. */
gboolean              mend_rdpfile_get_integer (MendRdpFile *file, const char *name, gint64 *out);

/* The address mstsc connects to: "alternate full address" wins over "full address"; the
 * port comes from HOST:PORT, else "server port", else 3389. IPv6 in brackets is accepted.
 * FALSE (and *host NULL) when no address is set. */
gboolean     mend_rdpfile_get_address (MendRdpFile *file, char **host, guint *port,
                                       const char **from_setting);

/* Findings (element MendFinding*, target "rdpfile:PATH"): rdpfile.invalid, rdpfile.gateway,
 * rdpfile.summary. Content problems, an unreadable file included, are findings; error is set
 * only for a NULL or empty path. */
GPtrArray   *mend_rdpfile_diagnose (const char *path, GError **error);
/* The same for contents already in memory (drag and drop, fuzzing); PATH names the target. */
GPtrArray   *mend_rdpfile_diagnose_data (const char *path, const guint8 *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendRdpFile, mend_rdpfile_free)

G_END_DECLS
