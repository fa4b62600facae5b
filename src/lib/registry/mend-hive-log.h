/* mend-hive-log.h — replay a hive's transaction logs (.LOG1/.LOG2 new format, .LOG old format)
 * into a memory copy, the way Windows does at load time, so diagnosis reads current data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Marvin32 with the registry's seed, over DATA (used to validate new-format log entries). */
guint64 mend_hive_log_marvin32 (const guint8 *data, gsize len);

/* Replays the logs beside HIVE_PATH (looked up case-insensitively) onto a copy of the hive.
 * New format: entries ("HvLE") whose two hashes verify, in sequence order starting at the
 * hive's secondary sequence number, from both logs. Old format ("DIRT"): the dirty sectors
 * of a log written after the hive's last complete write. Returns the recovered hive bytes
 * (base block updated: sequence numbers equal, checksum recomputed), or NULL + error when
 * there is nothing to apply or the chain is broken (MEND_ERROR_HIVE_DIRTY). */
GBytes *mend_hive_log_replay (const char *hive_path, guint *n_applied, GError **error);

/* The same on bytes in memory (hive and up to two logs; a log may be NULL). For tests and
 * the fuzzer. */
GBytes *mend_hive_log_replay_data (GBytes *hive, GBytes *log1, GBytes *log2, guint *n_applied,
                                   GError **error);

/* Recomputes the base block's checksum (offset 508: XOR of the first 127 DWORDs, with
 * 0 and 0xFFFFFFFF avoided) after its fields were changed. BASE_BLOCK holds >= 512 bytes. */
void    mend_hive_update_checksum (guint8 *base_block);

G_END_DECLS
