/* fuzz-errcode.c — libFuzzer target for the "0x904/0x7" parser and the explanations. */
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "formats/mend-errcodes.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);   /* stops at a NUL */
  g_autoptr(GError) error = NULL;
  guint32 code = 0, ext = 0;
  gboolean has_ext = FALSE;

  if (mend_errcode_parse (text, &code, &ext, &has_ext, &error))
    {
      g_autoptr(MendErrcodeExplanation) expl = mend_errcode_explain (code, ext, has_ext);
      g_autoptr(JsonNode) node = mend_errcode_explanation_to_json (expl);

      g_assert (expl->meaning != NULL && expl->summary != NULL);
      g_assert (node != NULL);
    }
  else
    {
      g_assert (error != NULL && error->message[0] != '\0');
    }
  return 0;
}
