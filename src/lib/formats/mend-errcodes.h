/* mend-errcodes.h — Remote Desktop disconnect codes: parsing "0x904/0x7", names, meanings,
 * likely causes, what to check, and which findings matter for a reported code. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One row of a documented table. name is the enum name (never translated); meaning is
 * marked N_() and must be passed through _() (or use the lookup helpers below). */
typedef struct {
  guint32     code;
  const char *name;
  const char *meaning;
} MendErrcodeEntry;

/* Parses "0x904/0x7", "0x904", "2308/7", "2308", "0X904 / 0X7" (whitespace allowed around
 * each number and the slash). Numbers are decimal, or hexadecimal with a 0x/0X prefix.
 * Garbage, signs, empty parts and values above 0xFFFFFFFF fail with
 * MEND_ERROR_INVALID_ARGUMENT. Any out pointer may be NULL. */
gboolean mend_errcode_parse (const char *text,
                             guint32    *code,
                             guint32    *extended,
                             gboolean   *has_extended,
                             GError    **error);

/* The documented row for a main disconnect reason / an extended reason, or NULL. */
const MendErrcodeEntry *mend_errcode_lookup          (guint32 code);
const MendErrcodeEntry *mend_errcode_lookup_extended (guint32 extended);

/* Whole tables, for listings and tests. */
const MendErrcodeEntry *mend_errcode_get_table          (guint *n_entries);
const MendErrcodeEntry *mend_errcode_get_extended_table (guint *n_entries);

/* Translated one-line meaning; never NULL (unknown codes say they are undocumented;
 * extended codes in the documented ranges 0x1000–0x7FFF are described as protocol errors). */
char *mend_errcode_describe          (guint32 code);
char *mend_errcode_describe_extended (guint32 extended);

/* Finding IDs (CATALOG.md) that can explain this code, most relevant first; NULL-terminated,
 * static, never NULL (an empty list for "not an error" codes). */
const char * const *mend_errcode_relevant_findings (guint32 code, guint32 ext, gboolean has_ext);

/* Everything `explain` prints, translated. Lists are NULL-terminated. */
typedef struct {
  guint32  code;
  guint32  extended;
  gboolean has_extended;
  char    *code_text;          /* "0x904 (2308)" */
  char    *extended_text;      /* "0x7 (7)", or NULL */
  char    *name;               /* enum name, or NULL when undocumented */
  char    *meaning;
  char    *extended_name;      /* NULL when none or undocumented */
  char    *extended_meaning;   /* NULL when !has_extended */
  char    *summary;            /* what the pair means in plain words */
  char   **causes;
  char   **checks;
  char   **misconceptions;     /* popular advice that does not apply; may be empty */
  const char * const *findings;
  gboolean documented;         /* the main code is in Microsoft's table */
} MendErrcodeExplanation;

MendErrcodeExplanation *mend_errcode_explain (guint32 code, guint32 extended, gboolean has_extended);
void                    mend_errcode_explanation_free (MendErrcodeExplanation *expl);
/* {"code":2308,"code_hex":"0x904","name":…,"meaning":…,"extended":…,"causes":[…],…} */
JsonNode               *mend_errcode_explanation_to_json (const MendErrcodeExplanation *expl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendErrcodeExplanation, mend_errcode_explanation_free)

G_END_DECLS
