/* mend-hive.c — one hive file: integrity checks hivex does not do, and atomic commits. */
#include "registry/mend-hive.h"
#include "base/mend-error.h"
#include "registry/mend-hive-log.h"
#include "base/mend-durable.h"
#include "base/mend-fault.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _MendHive
{
  char    *path;
  hive_h  *h;
  gboolean writable;
  guint32  seq1, seq2;
  gboolean dirty;
  char    *dirty_reason;
  gboolean replayed;      /* reads come from a copy with the logs replayed */
  guint    replayed_entries;
  gboolean changed;
};

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

void
mend_hive_set_error_from_errno (GError **error, int err_no, const char *what)
{
  MendError code = mend_error_from_errno (err_no);
  if (code == MEND_ERROR_HIVE_CORRUPT || code == MEND_ERROR_FAILED)
    g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_CORRUPT,
                 _("%s cannot be read as a registry hive (%s). The file is damaged or not a "
                   "hive; Windows may still repair it from its .LOG files or RegBack copy."),
                 what, g_strerror (err_no));
  else
    g_set_error (error, MEND_ERROR, code, "%s: %s", what, g_strerror (err_no));
}

gboolean
mend_hive_read_header (const char *path, guint32 *seq1, guint32 *seq2, GError **error)
{
  guint8 hdr[512];
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, MEND_ERROR, mend_error_from_errno (e), _("Cannot open %s: %s"), path,
                   g_strerror (e));
      return FALSE;
    }
  ssize_t n = read (fd, hdr, sizeof hdr);
  close (fd);
  if (n < (ssize_t) sizeof hdr || memcmp (hdr, "regf", 4) != 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_CORRUPT,
                   _("%s is not a registry hive (no “regf” base block)"), path);
      return FALSE;
    }
  if (seq1)
    *seq1 = le32 (hdr + 4);
  if (seq2)
    *seq2 = le32 (hdr + 8);
  return TRUE;
}

/* A transaction log beside the hive holds newer data when (new format, Windows 8.1+) its
 * first HvLE entry carries a sequence number at or past the hive's secondary sequence
 * number, or (old format, "DIRT") its base block was written after the hive's last
 * complete flush. A stale log left by a clean shutdown does neither. */
static gboolean
log_is_newer (const char *log_path, guint32 hive_seq2, char **why)
{
  guint8 buf[528];
  int fd = g_open (log_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  ssize_t n = read (fd, buf, sizeof buf);
  close (fd);
  if (n < 516 || memcmp (buf, "regf", 4) != 0)
    return FALSE;
  guint32 lseq1 = le32 (buf + 4);
  g_autofree char *base = g_path_get_basename (log_path);
  if (n >= 528 && memcmp (buf + 512, "HvLE", 4) == 0)
    {
      guint32 entry_seq = le32 (buf + 512 + 12);
      if (entry_seq >= hive_seq2)
        {
          *why = g_strdup_printf (_("%s holds log entries from sequence %u; the hive was last "
                                    "completely written at sequence %u"),
                                  base, entry_seq, hive_seq2);
          return TRUE;
        }
      return FALSE;
    }
  if (memcmp (buf + 512, "DIRT", 4) == 0 && lseq1 > hive_seq2)
    {
      *why = g_strdup_printf (_("%s (old format) was written at sequence %u, after the hive's "
                                "last complete write at sequence %u"),
                              base, lseq1, hive_seq2);
      return TRUE;
    }
  return FALSE;
}

static void
check_logs (MendHive *self)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      gsize bl = strlen (base);
      if (g_ascii_strncasecmp (name, base, bl) != 0)
        continue;
      const char *ext = name + bl;
      if (g_ascii_strcasecmp (ext, ".LOG") != 0 && g_ascii_strcasecmp (ext, ".LOG1") != 0 &&
          g_ascii_strcasecmp (ext, ".LOG2") != 0)
        continue;
      g_autofree char *lp = g_build_filename (dir, name, NULL);
      char *why = NULL;
      if (log_is_newer (lp, self->seq2, &why))
        {
          self->dirty = TRUE;
          g_free (self->dirty_reason);
          self->dirty_reason = why;
          return;
        }
    }
}

/* Windows replays the logs when it loads a dirty hive; do the same in memory so what we
 * read is what Windows would see. The file on disk is left as it is (and stays dirty:
 * writes are still refused). */
static void
try_replay (MendHive *self)
{
  guint n = 0;
  g_autoptr (GBytes) replayed = mend_hive_log_replay (self->path, &n, NULL);
  if (replayed == NULL)
    return;
  g_autofree char *tmp = NULL;
  int fd = g_file_open_tmp ("rdpmend-replayed-XXXXXX", &tmp, NULL);
  if (fd < 0)
    return;
  close (fd);
  gsize len;
  const char *data = g_bytes_get_data (replayed, &len);
  hive_h *h = NULL;
  if (g_file_set_contents (tmp, data, len, NULL))
    h = hivex_open (tmp, HIVEX_OPEN_WRITE);
  g_unlink (tmp);
  if (h == NULL)
    return;
  hivex_close (self->h);
  self->h = h;
  self->replayed = TRUE;
  self->replayed_entries = n;
}

gboolean
mend_hive_is_replayed (MendHive *hive)
{
  return hive->replayed;
}

guint
mend_hive_get_replayed_entries (MendHive *hive)
{
  return hive->replayed_entries;
}

MendHive *
mend_hive_open (const char *path, MendHiveOpenFlags flags, GError **error)
{
  g_autoptr (MendHive) self = g_new0 (MendHive, 1);
  self->path = g_strdup (path);
  g_autofree char *base = g_path_get_basename (path);

  if (!mend_hive_read_header (path, &self->seq1, &self->seq2, error))
    return NULL;

  int hflags = 0;
  if (flags & MEND_HIVE_OPEN_WRITE)
    hflags |= HIVEX_OPEN_WRITE;
  errno = 0;
  self->h = hivex_open (path, hflags);
  if (self->h == NULL)
    {
      int e = errno ? errno : EINVAL;
      if (e == ENOENT || e == EACCES || e == EPERM)
        g_set_error (error, MEND_ERROR, mend_error_from_errno (e), _("Cannot open %s: %s"), path,
                     g_strerror (e));
      else
        mend_hive_set_error_from_errno (error, e, base);
      return NULL;
    }
  self->writable = (flags & MEND_HIVE_OPEN_WRITE) != 0;

  if (self->seq1 != self->seq2)
    {
      self->dirty = TRUE;
      self->dirty_reason =
        g_strdup_printf (_("%s: base block sequence numbers differ (%u and %u): Windows did "
                           "not finish writing it"),
                         base, self->seq1, self->seq2);
    }
  else
    check_logs (self);

  if (self->dirty)
    try_replay (self);
  return g_steal_pointer (&self);
}

void
mend_hive_free (MendHive *hive)
{
  if (hive == NULL)
    return;
  if (hive->h)
    hivex_close (hive->h);
  g_free (hive->path);
  g_free (hive->dirty_reason);
  g_free (hive);
}

hive_h *
mend_hive_get_handle (MendHive *hive)
{
  return hive->h;
}

const char *
mend_hive_get_path (MendHive *hive)
{
  return hive->path;
}

gboolean
mend_hive_is_dirty (MendHive *hive)
{
  return hive->dirty;
}

const char *
mend_hive_get_dirty_reason (MendHive *hive)
{
  return hive->dirty_reason;
}

guint32
mend_hive_get_sequence1 (MendHive *hive)
{
  return hive->seq1;
}

guint32
mend_hive_get_sequence2 (MendHive *hive)
{
  return hive->seq2;
}

gboolean
mend_hive_has_changes (MendHive *hive)
{
  return hive->changed;
}

void
mend_hive_mark_changed (MendHive *hive)
{
  hive->changed = TRUE;
}

gboolean
mend_hive_commit (MendHive *hive, GError **error)
{
  g_autofree char *base = g_path_get_basename (hive->path);
  g_autofree char *dir = g_path_get_dirname (hive->path);
  struct stat st;

  if (hive->dirty)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_HIVE_DIRTY,
                   _("%s was not closed cleanly by Windows (%s). Writing it now would discard "
                     "Windows' pending changes. Start Windows and shut it down fully (hold "
                     "Shift while choosing Shut down), then try again."),
                   base, hive->dirty_reason ? hive->dirty_reason : "");
      return FALSE;
    }
  if (!hive->writable)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_READ_ONLY,
                   _("%s was opened read-only"), hive->path);
      return FALSE;
    }
  if (g_stat (hive->path, &st) != 0)
    {
      int e = errno;
      g_set_error (error, MEND_ERROR, mend_error_from_errno (e), "%s: %s", hive->path,
                   g_strerror (e));
      return FALSE;
    }
  if (access (hive->path, W_OK) != 0 || access (dir, W_OK) != 0)
    {
      int e = errno;
      g_set_error (error, MEND_ERROR, mend_error_from_errno (e),
                   _("Cannot write %s: %s. Mount the volume read-write, or run the repair "
                     "with permission to write it."),
                   hive->path, g_strerror (e));
      return FALSE;
    }

  /* hivex_commit truncates and rewrites its target in place, so it never writes the
   * original: a crash leaves either the old file or the complete new one. */
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.rdpmend-XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, MEND_ERROR, mend_error_from_errno (e),
                   _("Cannot create a temporary file beside %s: %s"), hive->path,
                   g_strerror (e));
      return FALSE;
    }
  close (fd);
  if (hivex_commit (hive->h, tmp, 0) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Cannot write %s: %s"), tmp,
                   g_strerror (e));
      return FALSE;
    }
  /* The temporary file is 0600: mend_durable_install_temp gives it the original's mode and
   * owner before renaming it over the hive. */
  if (!mend_durable_fsync (tmp, FALSE, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (!mend_durable_install_temp (tmp, hive->path, &st, error))
    return FALSE;

  mend_hive_read_header (hive->path, &hive->seq1, &hive->seq2, NULL);
  hive->changed = FALSE;
  return TRUE;
}

/* --- creating an empty hive (hivex cannot) -------------------------------------------- */

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put64 (guint8 *p, guint64 v)
{
  put32 (p, (guint32) v);
  put32 (p + 4, (guint32) (v >> 32));
}

gboolean
mend_hive_create_empty (const char *path, const char *root_name, GError **error)
{
  enum { BASE = 4096, BIN = 4096 };
  g_autofree guint8 *buf = g_malloc0 (BASE + BIN);
  guint8 *bin = buf + BASE;
  /* Windows FILETIME: 100 ns ticks since 1601. */
  guint64 now = (guint64) (g_get_real_time () * 10) + G_GUINT64_CONSTANT (116444736000000000);
  gsize name_len = strlen (root_name);

  if (name_len == 0 || name_len > 255)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT, "bad root key name");
      return FALSE;
    }

  /* hbin header, then cells from offset 0x20 of the bin. */
  memcpy (bin, "hbin", 4);
  put32 (bin + 4, 0);
  put32 (bin + 8, BIN);
  put64 (bin + 20, now);

  /* Root key (nk) at bin offset 0x20: 4-byte cell size, 76-byte header, ASCII name. */
  guint32 nk_off = 0x20;
  gsize nk_size = (4 + 76 + name_len + 7) & ~(gsize) 7;
  guint8 *nk = bin + nk_off;
  guint32 sk_off = nk_off + (guint32) nk_size;
  put32 (nk, (guint32) - (gint32) nk_size);
  memcpy (nk + 4, "nk", 2);
  put16 (nk + 6, 0x2c);                 /* HIVE_ENTRY | NO_DELETE | COMP_NAME */
  put64 (nk + 8, now);
  put32 (nk + 20, 0xffffffff);           /* parent */
  put32 (nk + 24, 0);                    /* subkeys */
  put32 (nk + 28, 0);                    /* volatile subkeys */
  put32 (nk + 32, 0xffffffff);           /* subkey list */
  put32 (nk + 36, 0xffffffff);           /* volatile subkey list */
  put32 (nk + 40, 0);                    /* values */
  put32 (nk + 44, 0xffffffff);           /* value list */
  put32 (nk + 48, sk_off);               /* security */
  put32 (nk + 52, 0xffffffff);           /* class name */
  put16 (nk + 76, (guint16) name_len);
  put16 (nk + 78, 0);
  memcpy (nk + 80, root_name, name_len);

  /* Security (sk): a self-relative descriptor with owner/group SIDs S-1-5-32-544 and a
   * NULL DACL, referenced once; flink/blink point at itself. */
  static const guint8 sid_admins[] = { 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0 };
  guint8 sd[20 + 2 * sizeof sid_admins];
  memset (sd, 0, sizeof sd);
  sd[0] = 1;                              /* revision */
  put16 (sd + 2, 0x8004);                 /* SELF_RELATIVE | DACL_PRESENT (NULL DACL) */
  put32 (sd + 4, 20);                     /* owner */
  put32 (sd + 8, 20 + sizeof sid_admins); /* group */
  memcpy (sd + 20, sid_admins, sizeof sid_admins);
  memcpy (sd + 20 + sizeof sid_admins, sid_admins, sizeof sid_admins);
  gsize sk_size = (4 + 20 + sizeof sd + 7) & ~(gsize) 7;
  guint8 *sk = bin + sk_off;
  put32 (sk, (guint32) - (gint32) sk_size);
  memcpy (sk + 4, "sk", 2);
  put32 (sk + 8, sk_off);
  put32 (sk + 12, sk_off);
  put32 (sk + 16, 1);
  put32 (sk + 20, sizeof sd);
  memcpy (sk + 24, sd, sizeof sd);

  /* The rest of the bin is one free cell. */
  guint32 free_off = sk_off + (guint32) sk_size;
  put32 (bin + free_off, BIN - free_off);

  /* Base block. */
  memcpy (buf, "regf", 4);
  put32 (buf + 4, 1);
  put32 (buf + 8, 1);
  put64 (buf + 12, now);
  put32 (buf + 20, 1);
  put32 (buf + 24, 5);
  put32 (buf + 28, 0);
  put32 (buf + 32, 1);
  put32 (buf + 36, nk_off);
  put32 (buf + 40, BIN);
  put32 (buf + 44, 1);
  mend_hive_update_checksum (buf);

  return g_file_set_contents_full (path, (const char *) buf, BASE + BIN,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
