/* fuzz-regvalue.c — registry value decoders on hostile bytes: every type, every size. */
#include "registry/mend-regvalue.h"

#include <stdint.h>
#include <stdlib.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  /* First byte picks the declared type; the rest is the stored data. */
  guint32 type = data[0] % 13;
  g_autoptr (GBytes) bytes = g_bytes_new (data + 1, size - 1);
  g_autoptr (MendRegValue) v = mend_reg_value_new ("fuzz", type, bytes);
  guint32 dw;
  guint64 qw;
  mend_reg_value_get_dword (v, &dw, NULL);
  mend_reg_value_get_qword (v, &qw, NULL);
  g_free (mend_reg_value_get_string (v, NULL));
  g_strfreev (mend_reg_value_get_multi_sz (v, NULL));
  g_free (mend_reg_value_to_display (v));
  g_free (mend_utf16le_to_utf8 (data, size));
  return 0;
}
