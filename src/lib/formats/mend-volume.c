/* mend-volume.c — volume and hibernation-file signatures (see mend-volume.h). */
#include "formats/mend-volume.h"

#include <string.h>

#define SECTOR 512

MendVolumeKind
mend_volume_identify (const guint8 *sector, gsize len)
{
  if (sector == NULL || len < SECTOR)
    return MEND_VOLUME_UNKNOWN;
  /* The OEM ID of the volume boot record: BitLocker replaces NTFS's with its own. */
  if (memcmp (sector + 3, "-FVE-FS-", 8) == 0)
    return MEND_VOLUME_BITLOCKER;
  if (memcmp (sector + 3, "NTFS    ", 8) == 0 && sector[510] == 0x55 && sector[511] == 0xAA)
    return MEND_VOLUME_NTFS;
  return MEND_VOLUME_UNKNOWN;
}

MendHiberfilState
mend_hiberfil_identify (const guint8 *head, gsize len)
{
  static const guint8 zero[8] = { 0 };

  if (head == NULL || len < 8)
    return MEND_HIBERFIL_UNKNOWN;
  if (memcmp (head, zero, 8) == 0)
    return MEND_HIBERFIL_EMPTY;
  if (memcmp (head, "hibr", 4) == 0 || memcmp (head, "HIBR", 4) == 0)
    return MEND_HIBERFIL_IMAGE;
  if (memcmp (head, "wake", 4) == 0 || memcmp (head, "WAKE", 4) == 0)
    return MEND_HIBERFIL_RESUMED;
  return MEND_HIBERFIL_UNKNOWN;
}

char *
mend_hiberfil_signature_text (const guint8 *head, gsize len)
{
  gboolean printable = head != NULL && len >= 4;

  for (gsize i = 0; printable && i < 4; i++)
    printable = g_ascii_isalnum (head[i]);
  if (printable)
    return g_strndup ((const char *) head, 4);
  if (head == NULL || len < 4)
    return g_strdup ("");
  return g_strdup_printf ("%02x%02x%02x%02x", head[0], head[1], head[2], head[3]);
}
