/* fuzz-rdpfile.c — libFuzzer target for the .rdp parser and the rdpfile.* findings. */
#include <stdint.h>
#include <glib.h>

#include "formats/mend-rdpfile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(MendRdpFile) strict = mend_rdpfile_parse (data, size, MEND_RDPFILE_PARSE_NONE, NULL);
  g_autoptr(MendRdpFile) lenient = mend_rdpfile_parse (data, size, MEND_RDPFILE_PARSE_LENIENT, NULL);
  g_autoptr(GPtrArray) findings = NULL;

  /* Strict success implies lenient success with the same settings. */
  if (strict != NULL)
    g_assert (lenient != NULL &&
              mend_rdpfile_get_settings (strict)->len == mend_rdpfile_get_settings (lenient)->len);
  if (lenient != NULL)
    {
      g_autofree char *host = NULL;
      guint port = 0;

      if (mend_rdpfile_get_address (lenient, &host, &port, NULL))
        g_assert (host != NULL && port > 0 && port <= 65535);
    }
  findings = mend_rdpfile_diagnose_data ("fuzz.rdp", data, size);
  g_assert (findings != NULL && findings->len > 0);
  return 0;
}
