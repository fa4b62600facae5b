/* fuzz-pe.c — libFuzzer target for the PE version-resource reader. */
#include <stdint.h>
#include <glib.h>

#include "formats/mend-pe.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendPeVersion) v = mend_pe_read_version_from_data (data, size, &error);

  g_assert ((v == NULL) != (error == NULL));
  if (v != NULL)
    {
      g_autofree char *text = mend_pe_version_to_string (v);

      g_assert (text != NULL);
      g_assert (v->file_version_string == NULL || g_utf8_validate (v->file_version_string, -1, NULL));
      g_assert (v->product_name == NULL || g_utf8_validate (v->product_name, -1, NULL));
    }
  return 0;
}
