/* mend-regfile.h — regedit ".reg" files: a writer (backups regedit and hivexregedit can
 * import) and a parser for hostile input (UTF-16LE with BOM, UTF-8, REGEDIT4). */
#pragma once

#include <glib.h>
#include "registry/mend-registry.h"
#include "registry/mend-regvalue.h"

G_BEGIN_DECLS

/* One "[KEY]" or "[-KEY]" section. */
typedef struct {
  char      *path;            /* as written: HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\... */
  gboolean   delete_key;      /* "[-KEY]": remove the key and everything below it */
  GPtrArray *values;          /* MendRegValue*: values to set, in file order */
  GPtrArray *deleted_values;  /* char*: "name"=- ("" for @=-) */
  guint      line;            /* 1-based line of the section header (parser) */
} MendRegFileKey;

typedef struct _MendRegFile MendRegFile;

typedef enum {
  MEND_REG_FILE_UTF16LE,      /* BOM FF FE, CRLF: what regedit writes */
  MEND_REG_FILE_UTF8,         /* no BOM, LF: what hivexregedit reads */
} MendRegFileEncoding;

MendRegFile    *mend_reg_file_new         (void);
void            mend_reg_file_free        (MendRegFile *file);
/* Sections in file order (element MendRegFileKey*, owned by FILE). */
GPtrArray      *mend_reg_file_get_keys    (MendRegFile *file);
/* Appends a "[PATH]" section (a key may appear more than once, as in regedit files). */
MendRegFileKey *mend_reg_file_add_key     (MendRegFile *file, const char *path);
MendRegFileKey *mend_reg_file_add_delete_key (MendRegFile *file, const char *path);
void            mend_reg_file_key_add_value (MendRegFileKey *key, const MendRegValue *value);
void            mend_reg_file_key_add_deleted_value (MendRegFileKey *key, const char *name);
/* Free-text comment lines (";") written after the header. */
void            mend_reg_file_add_comment (MendRegFile *file, const char *comment);

/* "Windows Registry Editor Version 5.00" text. Values are written so that importing them
 * gives the exact stored bytes back: strings only when they round-trip, else hex(N). */
GBytes         *mend_reg_file_to_bytes    (MendRegFile *file, MendRegFileEncoding encoding);
gboolean        mend_reg_file_save        (MendRegFile *file, const char *path,
                                           MendRegFileEncoding encoding, GError **error);

/* Parses DATA (BOM-detected UTF-16LE or UTF-8, "Windows Registry Editor Version 5.00" or
 * "REGEDIT4"). MEND_ERROR_PARSE with the line number on anything malformed. */
MendRegFile    *mend_reg_file_parse       (const guint8 *data, gsize len, GError **error);
MendRegFile    *mend_reg_file_load        (const char *path, GError **error);

/* "HKLM\SYSTEM\ControlSet001\X" <-> "HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\X". */
char           *mend_reg_file_path_from_seam (const char *seam_path);
char           *mend_reg_file_path_to_seam   (const char *file_path);

/* Adds sections for SEAM_PATH (resolved through the registry, so CurrentControlSet is
 * written as ControlSet00N) with all its values, and every sub-key below when RECURSIVE.
 * Empty sections for each ancestor come first so a fresh hive can take the import. */
gboolean        mend_reg_file_export_key  (MendRegFile *file, MendRegistry *registry,
                                           const char *seam_path, gboolean recursive,
                                           GError **error);
/* Stages every section of FILE into REGISTRY (creates keys, sets and deletes values,
 * deletes trees); nothing reaches the disk until the registry is committed. */
gboolean        mend_reg_file_apply       (MendRegFile *file, MendRegistry *registry,
                                           GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendRegFile, mend_reg_file_free)

G_END_DECLS
