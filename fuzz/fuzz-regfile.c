/* fuzz-regfile.c — libFuzzer target for the .reg parser (UTF-16LE/UTF-8, continuation
 * lines, deletions), plus the writer on whatever it accepts. */
#include <stddef.h>
#include <stdint.h>

#include "registry/mend-regfile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  MendRegFile *file = mend_reg_file_parse (data, size, NULL);

  if (file != NULL)
    {
      /* What was accepted must write out and parse back. */
      GBytes *out = mend_reg_file_to_bytes (file, MEND_REG_FILE_UTF16LE);
      gsize len = 0;
      const guint8 *bytes = g_bytes_get_data (out, &len);
      MendRegFile *again = mend_reg_file_parse (bytes, len, NULL);

      if (again == NULL)
        __builtin_trap ();
      mend_reg_file_free (again);
      g_bytes_unref (out);
      mend_reg_file_free (file);
    }
  return 0;
}
