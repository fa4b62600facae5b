/* mend-volume.h — what the first bytes of a volume and of hiberfil.sys say about whether an
 * offline repair can work: a BitLocker volume that is not unlocked, an NTFS volume that is
 * not mounted, a hibernation image Windows will resume from. Bytes in, no I/O. The
 * signatures and their sources are in docs/volume-states.md. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MEND_VOLUME_UNKNOWN,     /* neither signature (or too short) */
  MEND_VOLUME_NTFS,        /* OEM ID "NTFS    " at offset 3, 0x55 0xAA at 510 */
  MEND_VOLUME_BITLOCKER,   /* OEM ID "-FVE-FS-" at offset 3: encrypted, must be unlocked */
} MendVolumeKind;

/* Identifies the first sector of a volume (at least 512 bytes are needed). */
MendVolumeKind mend_volume_identify (const guint8 *sector, gsize len);

typedef enum {
  MEND_HIBERFIL_EMPTY,     /* header zeroed: Windows booted since, nothing to resume */
  MEND_HIBERFIL_IMAGE,     /* "hibr" / "HIBR": Windows will resume from this image */
  MEND_HIBERFIL_RESUMED,   /* "wake" / "WAKE": a resume from it was started */
  MEND_HIBERFIL_UNKNOWN,   /* anything else: not recognised */
} MendHiberfilState;

/* The state of a hiberfil.sys from its first bytes (8 are looked at; fewer is UNKNOWN). */
MendHiberfilState mend_hiberfil_identify (const guint8 *head, gsize len);
/* The four signature characters as printable text ("HIBR", "wake", "00000000" as hex when
 * not printable), for evidence. */
char             *mend_hiberfil_signature_text (const guint8 *head, gsize len);

G_END_DECLS
