/* mend-regvalue.h — a registry value (name, type, raw bytes) and its decoders. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MEND_REG_NONE = 0,
  MEND_REG_SZ = 1,
  MEND_REG_EXPAND_SZ = 2,
  MEND_REG_BINARY = 3,
  MEND_REG_DWORD = 4,
  MEND_REG_DWORD_BIG_ENDIAN = 5,
  MEND_REG_LINK = 6,
  MEND_REG_MULTI_SZ = 7,
  MEND_REG_RESOURCE_LIST = 8,
  MEND_REG_FULL_RESOURCE_DESCRIPTOR = 9,
  MEND_REG_RESOURCE_REQUIREMENTS_LIST = 10,
  MEND_REG_QWORD = 11,
} MendRegType;

typedef struct {
  char   *name;   /* UTF-8; "" is the default value */
  guint32 type;   /* MendRegType, or any other number as stored */
  GBytes *data;   /* raw bytes exactly as stored */
} MendRegValue;

#define MEND_TYPE_REG_VALUE (mend_reg_value_get_type ())
GType         mend_reg_value_get_type (void) G_GNUC_CONST;

MendRegValue *mend_reg_value_new        (const char *name, guint32 type, GBytes *data);
MendRegValue *mend_reg_value_new_dword  (const char *name, guint32 value);
MendRegValue *mend_reg_value_new_qword  (const char *name, guint64 value);
/* REG_SZ or REG_EXPAND_SZ from UTF-8: stored as UTF-16LE with a terminating NUL. */
MendRegValue *mend_reg_value_new_string (const char *name, guint32 type, const char *utf8);
MendRegValue *mend_reg_value_new_multi_sz (const char *name, const char * const *strv);
MendRegValue *mend_reg_value_new_binary (const char *name, const guint8 *data, gsize len);
MendRegValue *mend_reg_value_copy       (const MendRegValue *v);
void          mend_reg_value_free       (MendRegValue *v);
gboolean      mend_reg_value_equal      (const MendRegValue *a, const MendRegValue *b);

/* Decoders: each fails with MEND_ERROR_WRONG_TYPE when the type or size does not fit. */
gboolean      mend_reg_value_get_dword  (const MendRegValue *v, guint32 *out, GError **error);
gboolean      mend_reg_value_get_qword  (const MendRegValue *v, guint64 *out, GError **error);
char         *mend_reg_value_get_string (const MendRegValue *v, GError **error);
GStrv         mend_reg_value_get_multi_sz (const MendRegValue *v, GError **error);

/* Human-readable data, as evidence: "1 (0x00000001)", "\"text\"", "hex:01,02". */
char         *mend_reg_value_to_display (const MendRegValue *v);
const char   *mend_reg_type_to_string   (guint32 type);   /* "REG_DWORD" */

/* Decode UTF-16LE (with or without terminator; stops at the first NUL) into UTF-8.
 * Invalid sequences become U+FFFD; never fails. */
char         *mend_utf16le_to_utf8      (const guint8 *data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendRegValue, mend_reg_value_free)

G_END_DECLS
