/* mend-hive-log.c — transaction-log replay. Format facts: regf base block (512 bytes) at the
 * start of each log; new-format entries "HvLE" {size, flags, sequence, bins size, page count,
 * hash1 (Marvin32 of refs + pages), hash2 (Marvin32 of the entry's first 32 bytes)} followed
 * by (offset, size) page references and the pages; old format "DIRT" + a sector bitmap. */
#include "registry/mend-hive-log.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define BASE_BLOCK 4096
#define MARVIN_SEED G_GUINT64_CONSTANT (0x82EF4D887A4E55C5)
/* A hive larger than this is not a registry hive we should rebuild in memory. */
#define MAX_HIVE (G_GUINT64_CONSTANT (2) * 1024 * 1024 * 1024)

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint64
le64 (const guint8 *p)
{
  return (guint64) le32 (p) | (guint64) le32 (p + 4) << 32;
}

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = v >> 24;
}

static guint32
rotl (guint32 x, int n)
{
  return (x << n) | (x >> (32 - n));
}

static void
marvin_block (guint32 *lo, guint32 *hi)
{
  *hi ^= *lo;
  *lo = rotl (*lo, 20) + *hi;
  *hi = rotl (*hi, 9) ^ *lo;
  *lo = rotl (*lo, 27) + *hi;
  *hi = rotl (*hi, 19);
}

guint64
mend_hive_log_marvin32 (const guint8 *data, gsize len)
{
  guint32 lo = (guint32) MARVIN_SEED, hi = (guint32) (MARVIN_SEED >> 32);
  gsize i = 0;
  for (; len - i >= 4; i += 4)
    {
      lo += le32 (data + i);
      marvin_block (&lo, &hi);
    }
  guint32 fin;
  switch (len - i)
    {
    case 0: fin = 0x80; break;
    case 1: fin = 0x8000 | data[i]; break;
    case 2: fin = 0x800000 | data[i] | (guint32) data[i + 1] << 8; break;
    default: fin = 0x80000000u | data[i] | (guint32) data[i + 1] << 8 | (guint32) data[i + 2] << 16; break;
    }
  lo += fin;
  marvin_block (&lo, &hi);
  marvin_block (&lo, &hi);
  return (guint64) hi << 32 | lo;
}

typedef struct {
  guint32       seq;
  guint32       bins_size;
  const guint8 *refs;     /* page count × (offset, size) */
  guint32       n_pages;
  const guint8 *pages;
  gsize         pages_len;
} Entry;

/* Valid entries of one new-format log, keyed by sequence number. Stops at the first entry
 * that is malformed or fails a hash: what follows it cannot be trusted. */
static void
collect_entries (GBytes *log, GHashTable *by_seq)
{
  gsize len;
  const guint8 *d = log ? g_bytes_get_data (log, &len) : NULL;
  if (d == NULL || len < 512 + 40 || memcmp (d, "regf", 4) != 0)
    return;
  gsize off = 512;
  while (off + 40 <= len && memcmp (d + off, "HvLE", 4) == 0)
    {
      guint32 size = le32 (d + off + 4);
      guint32 seq = le32 (d + off + 12);
      guint32 bins = le32 (d + off + 16);
      guint32 n_pages = le32 (d + off + 20);
      if (size < 40 || size % 512 != 0 || size > len - off)
        break;
      if (n_pages > (size - 40) / 8 || bins % 4096 != 0 || bins == 0)
        break;
      if (mend_hive_log_marvin32 (d + off, 32) != le64 (d + off + 32) ||
          mend_hive_log_marvin32 (d + off + 40, size - 40) != le64 (d + off + 24))
        break;
      Entry *e = g_new0 (Entry, 1);
      e->seq = seq;
      e->bins_size = bins;
      e->n_pages = n_pages;
      e->refs = d + off + 40;
      e->pages = e->refs + 8 * (gsize) n_pages;
      e->pages_len = size - 40 - 8 * (gsize) n_pages;
      g_hash_table_replace (by_seq, GUINT_TO_POINTER (seq), e);
      off += size;
    }
}

static void
finish_base_block (GByteArray *hive, guint32 seq)
{
  guint8 *b = hive->data;
  put32 (b + 4, seq);
  put32 (b + 8, seq);
  put32 (b + 28, 0);   /* a primary file, no longer a log */
  mend_hive_update_checksum (b);
}

static gboolean
grow (GByteArray *hive, guint64 want, GError **error)
{
  if (want > MAX_HIVE)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_HIVE_CORRUPT,
                           _("The transaction log describes an impossibly large hive"));
      return FALSE;
    }
  if (hive->len < want)
    {
      guint old = hive->len;
      g_byte_array_set_size (hive, (guint) want);
      memset (hive->data + old, 0, want - old);
    }
  return TRUE;
}

static GBytes *
replay_new_format (GByteArray *hive, GBytes *log1, GBytes *log2, guint *n_applied, GError **error)
{
  g_autoptr (GHashTable) by_seq = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  collect_entries (log1, by_seq);
  collect_entries (log2, by_seq);
  guint32 seq = le32 (hive->data + 8);
  guint applied = 0;
  Entry *e;
  while ((e = g_hash_table_lookup (by_seq, GUINT_TO_POINTER (seq))) != NULL)
    {
      if (!grow (hive, BASE_BLOCK + (guint64) e->bins_size, error))
        return NULL;
      gsize pos = 0;
      for (guint32 i = 0; i < e->n_pages; i++)
        {
          guint32 off = le32 (e->refs + 8 * i);
          guint32 size = le32 (e->refs + 8 * i + 4);
          if (size > e->pages_len - pos || (guint64) off + size > e->bins_size)
            {
              g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                           _("Log entry %u refers to data outside the hive"), seq);
              return NULL;
            }
          memcpy (hive->data + BASE_BLOCK + off, e->pages + pos, size);
          pos += size;
        }
      /* The file may be longer than its bins (Windows preallocates): keep its length. */
      put32 (hive->data + 40, e->bins_size);
      seq++;
      applied++;
    }
  if (applied == 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                   _("The transaction logs hold no usable entries starting at sequence %u, so "
                     "they cannot be replayed here"), le32 (hive->data + 8));
      return NULL;
    }
  finish_base_block (hive, seq);
  if (n_applied)
    *n_applied = applied;
  return g_byte_array_free_to_bytes (g_byte_array_ref (hive));
}

static GBytes *
replay_old_format (GByteArray *hive, GBytes *log, guint *n_applied, GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (log, &len);
  guint32 lseq1 = le32 (d + 4), lseq2 = le32 (d + 8), bins = le32 (d + 40);
  if (lseq1 != lseq2 || lseq1 < le32 (hive->data + 8) || bins % 512 != 0 || bins == 0)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                           _("The old-format transaction log does not belong to this state of the hive"));
      return NULL;
    }
  guint64 nbits = bins / 512, blen = (nbits + 7) / 8;
  if (516 + blen > len)
    goto truncated;
  const guint8 *bitmap = d + 516;
  gsize off = (516 + blen + 511) / 512 * 512;
  if (!grow (hive, BASE_BLOCK + (guint64) bins, error))
    return NULL;
  guint applied = 0;
  for (guint64 i = 0; i < nbits; i++)
    if (bitmap[i / 8] >> (i % 8) & 1)
      {
        if (off + 512 > len)
          goto truncated;
        memcpy (hive->data + BASE_BLOCK + i * 512, d + off, 512);
        off += 512;
        applied++;
      }
  /* The log's base block describes the hive as it was when the log was written. */
  memcpy (hive->data, d, 512);
  finish_base_block (hive, lseq1 + 1);
  if (n_applied)
    *n_applied = applied;
  return g_byte_array_free_to_bytes (g_byte_array_ref (hive));

truncated:
  g_set_error_literal (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                       _("The old-format transaction log is truncated"));
  return NULL;
}

GBytes *
mend_hive_log_replay_data (GBytes *hive_bytes, GBytes *log1, GBytes *log2, guint *n_applied,
                           GError **error)
{
  gsize hlen;
  const guint8 *h = g_bytes_get_data (hive_bytes, &hlen);
  if (hlen < BASE_BLOCK || memcmp (h, "regf", 4) != 0)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_HIVE_CORRUPT, _("Not a registry hive"));
      return NULL;
    }
  g_autoptr (GByteArray) hive = g_byte_array_sized_new (hlen);
  g_byte_array_append (hive, h, hlen);

  GBytes *logs[] = { log1, log2 };
  for (guint i = 0; i < 2; i++)
    {
      gsize len;
      const guint8 *d = logs[i] ? g_bytes_get_data (logs[i], &len) : NULL;
      if (d && len >= 520 && memcmp (d, "regf", 4) == 0 && memcmp (d + 512, "DIRT", 4) == 0)
        return replay_old_format (hive, logs[i], n_applied, error);
    }
  return replay_new_format (hive, log1, log2, n_applied, error);
}

static GBytes *
read_log (const char *dir, const char *base, const char *ext)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autofree char *want = g_strconcat (base, ext, NULL);
  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_ascii_strcasecmp (name, want) == 0)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;
        gsize len;
        if (g_file_get_contents (p, &contents, &len, NULL))
          return g_bytes_new_take (g_steal_pointer (&contents), len);
      }
  return NULL;
}

GBytes *
mend_hive_log_replay (const char *hive_path, guint *n_applied, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len;
  if (!g_file_get_contents (hive_path, &contents, &len, error))
    return NULL;
  g_autoptr (GBytes) hive = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_autofree char *dir = g_path_get_dirname (hive_path);
  g_autofree char *base = g_path_get_basename (hive_path);
  g_autoptr (GBytes) log1 = read_log (dir, base, ".LOG1");
  g_autoptr (GBytes) log2 = read_log (dir, base, ".LOG2");
  g_autoptr (GBytes) log0 = (log1 || log2) ? NULL : read_log (dir, base, ".LOG");
  if (log1 == NULL && log2 == NULL && log0 == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                   _("%s has no transaction logs to replay"), base);
      return NULL;
    }
  return mend_hive_log_replay_data (hive, log1 ? log1 : log0, log2, n_applied, error);
}

void
mend_hive_update_checksum (guint8 *base_block)
{
  guint32 sum = 0;
  for (int i = 0; i < 508; i += 4)
    sum ^= le32 (base_block + i);
  if (sum == 0xffffffff)
    sum = 0xfffffffe;
  else if (sum == 0)
    sum = 1;
  base_block[508] = (guint8) sum;
  base_block[509] = (guint8) (sum >> 8);
  base_block[510] = (guint8) (sum >> 16);
  base_block[511] = (guint8) (sum >> 24);
}
