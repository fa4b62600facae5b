/* fuzz-volume.c — libFuzzer target: volume boot sectors and hiberfil.sys headers from a
 * hostile disk. */
#include <stdint.h>
#include <stddef.h>
#include <glib.h>

#include "formats/mend-volume.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  MendVolumeKind kind = mend_volume_identify (data, size);
  MendHiberfilState state = mend_hiberfil_identify (data, size);
  char *text = mend_hiberfil_signature_text (data, size);

  if (kind != MEND_VOLUME_UNKNOWN && size < 512)
    __builtin_trap ();
  if (state == MEND_HIBERFIL_IMAGE && size < 8)
    __builtin_trap ();
  g_free (text);
  return 0;
}
