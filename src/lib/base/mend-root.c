/* mend-root.c — opening files inside an image without leaving it (see mend-root.h). */
#include "base/mend-root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <glib/gi18n-lib.h>
#include "base/mend-error.h"

#ifdef __linux__
#include <linux/openat2.h>
#endif

struct _MendRoot
{
  gint  ref_count;
  int   fd;
  char *path;
};

/* Limits, from the formats (docs/untrusted-images.md gives the sources). */
gsize
mend_file_kind_max_size (MendFileKind kind)
{
  switch (kind)
    {
    case MEND_FILE_HIVE:
    case MEND_FILE_HIVE_LOG:
    case MEND_FILE_BACKUP:
      /* Base block (4 KiB) + hive bins: cell offsets of stable storage are 31 bits. */
      return (gsize) 4096 + G_GUINT64_CONSTANT (0x80000000);
    case MEND_FILE_EVENT_LOG:
      /* The largest log size Windows lets an event log be set to: 4,194,240 KB. */
      return (gsize) 4194240 * 1024;
    case MEND_FILE_RDP:
      return 8 * 1024 * 1024;
    case MEND_FILE_PE:
      /* PE32+ sizes are 32-bit; the files read (mstsc.exe, mstscax.dll) are a few MB. */
      return 256 * 1024 * 1024;
    case MEND_FILE_JOURNAL:
    case MEND_FILE_SMALL:
      return 16 * 1024 * 1024;
    }
  return 16 * 1024 * 1024;
}

/* ---- the root ------------------------------------------------------------------------- */

MendRoot *
mend_root_open (const char *dir, GError **error)
{
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  int fd = open (abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  MendRoot *root;

  if (fd < 0)
    {
      int e = errno;

      if (e == ENOTDIR)
        g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE, _("%s is not a folder"), abs);
      else
        mend_error_set_errno (error, e, _("Cannot open the folder"), abs);
      return NULL;
    }
  root = g_new0 (MendRoot, 1);
  root->ref_count = 1;
  root->fd = fd;
  root->path = g_steal_pointer (&abs);
  return root;
}

MendRoot *
mend_root_ref (MendRoot *root)
{
  g_atomic_int_inc (&root->ref_count);
  return root;
}

void
mend_root_unref (MendRoot *root)
{
  if (root == NULL || !g_atomic_int_dec_and_test (&root->ref_count))
    return;
  close (root->fd);
  g_free (root->path);
  g_free (root);
}

const char *
mend_root_get_path (MendRoot *root)
{
  return root->path;
}

int
mend_root_get_fd (MendRoot *root)
{
  return root->fd;
}

/* ---- resolution ----------------------------------------------------------------------- */

/* Components of RELATIVE; NULL for ".." or a NUL-free but otherwise odd path. */
static GStrv
split_relative (const char *relative, GError **error)
{
  g_auto (GStrv) raw = g_strsplit_set (relative != NULL ? relative : "", "/\\", -1);
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv parts;

  for (guint i = 0; raw[i] != NULL; i++)
    {
      if (raw[i][0] == '\0' || strcmp (raw[i], ".") == 0)
        continue;
      if (strcmp (raw[i], "..") == 0)
        {
          g_strv_builder_unref (b);
          g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                       _("The path “%s” leaves the Windows image (“..”)"), relative);
          return NULL;
        }
      g_strv_builder_add (b, raw[i]);
    }
  parts = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return parts;
}

/* The entry of folder DIRFD named NAME, case-insensitively: the exact name when it exists,
 * else the first match in sorted order (so the choice is stable). NULL when absent. */
static char *
match_entry (int dirfd, const char *name)
{
  struct stat st;
  int dup_fd;
  DIR *d;
  struct dirent *ent;
  char *best = NULL;

  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return g_strdup (name);
  dup_fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0)
    return NULL;
  d = fdopendir (dup_fd);
  if (d == NULL)
    {
      close (dup_fd);
      return NULL;
    }
  while ((ent = readdir (d)) != NULL)
    if (g_ascii_strcasecmp (ent->d_name, name) == 0
        && (best == NULL || strcmp (ent->d_name, best) < 0))
      {
        g_free (best);
        best = g_strdup (ent->d_name);
      }
  closedir (d);
  return best;
}

/* Walks PARTS[0..n) below ROOT. Returns the descriptor of the folder holding the last
 * component (or the root's duplicate when n == 0) and fills ONDISK with the on-disk names.
 * Each folder is opened O_DIRECTORY | O_NOFOLLOW, so no link is ever followed. */
static int
walk (MendRoot *root, GStrv parts, guint n, GPtrArray *ondisk, gboolean create,
      GError **error)
{
  int fd = fcntl (root->fd, F_DUPFD_CLOEXEC, 0);

  if (fd < 0)
    {
      mend_error_set_errno (error, errno, _("Cannot open the folder"), root->path);
      return -1;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = match_entry (fd, parts[i]);
      int next;

      if (name == NULL && create)
        {
          if (mkdirat (fd, parts[i], 0755) != 0 && errno != EEXIST)
            {
              int e = errno;
              g_autofree char *shown = g_build_filename (root->path, parts[i], NULL);

              close (fd);
              mend_error_set_errno (error, e, _("Cannot create the folder"), shown);
              return -1;
            }
          name = g_strdup (parts[i]);
        }
      if (name == NULL)
        {
          g_autofree char *rel = g_strjoinv ("/", parts);

          close (fd);
          g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                       _("%s/%s does not exist"), root->path, rel);
          return -1;
        }
      next = openat (fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0)
        {
          int e = errno;
          struct stat st;
          g_autofree char *sofar = NULL;

          if (ondisk != NULL)
            g_ptr_array_add (ondisk, g_strdup (name));
          sofar = g_strdup_printf ("%s/%s", root->path, name);
          if (fstatat (fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode))
            g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                         _("%s is a symbolic link; links inside a Windows image are not "
                           "followed"), sofar);
          else if (e == ENOTDIR || e == ELOOP)
            g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                         _("%s is not a folder"), sofar);
          else
            mend_error_set_errno (error, e, _("Cannot open the folder"), sofar);
          close (fd);
          return -1;
        }
      if (ondisk != NULL)
        g_ptr_array_add (ondisk, g_steal_pointer (&name));
      close (fd);
      fd = next;
    }
  return fd;
}

char *
mend_root_resolve (MendRoot *root, const char *relative, GError **error)
{
  g_auto (GStrv) parts = split_relative (relative, error);
  g_autoptr (GPtrArray) ondisk = g_ptr_array_new_with_free_func (g_free);
  guint n;
  int fd;
  char *last;

  if (parts == NULL)
    return NULL;
  n = g_strv_length (parts);
  if (n == 0)
    return g_strdup ("");
  fd = walk (root, parts, n - 1, ondisk, FALSE, error);
  if (fd < 0)
    return NULL;
  last = match_entry (fd, parts[n - 1]);
  close (fd);
  if (last == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("%s/%s does not exist"),
                   root->path, relative);
      return NULL;
    }
  g_ptr_array_add (ondisk, last);
  g_ptr_array_add (ondisk, NULL);
  return g_strjoinv ("/", (char **) ondisk->pdata);
}

char *
mend_root_display_path (MendRoot *root, const char *relative, GError **error)
{
  g_autofree char *rel = mend_root_resolve (root, relative, error);

  if (rel == NULL)
    return NULL;
  return rel[0] ? g_strconcat (root->path, "/", rel, NULL) : g_strdup (root->path);
}

gboolean
mend_root_lookup (MendRoot *root, const char *relative, struct stat *st)
{
  g_autofree char *rel = mend_root_resolve (root, relative, NULL);
  struct stat local;

  if (rel == NULL)
    return FALSE;
  if (rel[0] == '\0')
    return fstat (root->fd, st ? st : &local) == 0;
  return fstatat (root->fd, rel, st ? st : &local, AT_SYMLINK_NOFOLLOW) == 0;
}

int
mend_root_open_dir (MendRoot *root, const char *relative, GError **error)
{
  g_auto (GStrv) parts = split_relative (relative, error);

  if (parts == NULL)
    return -1;
  return walk (root, parts, g_strv_length (parts), NULL, FALSE, error);
}

int
mend_root_make_dirs (MendRoot *root, const char *relative, GError **error)
{
  g_auto (GStrv) parts = split_relative (relative, error);

  if (parts == NULL)
    return -1;
  return walk (root, parts, g_strv_length (parts), NULL, TRUE, error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
mend_root_list_dir (MendRoot *root, const char *relative, GError **error)
{
  int fd = mend_root_open_dir (root, relative, error);
  g_autoptr (GPtrArray) names = NULL;
  DIR *d;
  struct dirent *ent;

  if (fd < 0)
    return NULL;
  d = fdopendir (fd);
  if (d == NULL)
    {
      mend_error_set_errno (error, errno, _("Cannot read the folder"), relative);
      close (fd);
      return NULL;
    }
  names = g_ptr_array_new ();
  while ((ent = readdir (d)) != NULL)
    if (strcmp (ent->d_name, ".") != 0 && strcmp (ent->d_name, "..") != 0)
      g_ptr_array_add (names, g_strdup (ent->d_name));
  closedir (d);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ---- files ---------------------------------------------------------------------------- */

/* Opens NAME in DIRFD without following links. openat2 refuses links anywhere in NAME
 * (which is a single component here) and magic links; O_NOFOLLOW does the same on kernels
 * without openat2. */
static int
open_beneath (int dirfd, const char *name, int flags)
{
#if defined(__linux__) && defined(SYS_openat2)
  static gint have_openat2 = -1;

  if (have_openat2 != 0)
    {
      struct open_how how = { 0 };
      long r;

      how.flags = (guint64) (flags | O_NOFOLLOW | O_CLOEXEC);
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
      r = syscall (SYS_openat2, dirfd, name, &how, sizeof how);
      if (r >= 0 || errno != ENOSYS)
        {
          have_openat2 = 1;
          return (int) r;
        }
      have_openat2 = 0;
    }
#endif
  return openat (dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
}

/* Checks an opened FD: a regular file of at most the kind's limit. SHOWN names it. */
static gboolean
check_regular (int fd, MendFileKind kind, const char *shown, struct stat *st, GError **error)
{
  struct stat local;
  struct stat *s = st ? st : &local;
  gsize max = mend_file_kind_max_size (kind);

  if (fstat (fd, s) != 0)
    {
      mend_error_set_errno (error, errno, _("Cannot read"), shown);
      return FALSE;
    }
  if (S_ISFIFO (s->st_mode))
    g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                 _("%s is a named pipe (FIFO), not a regular file; it was not read"), shown);
  else if (S_ISCHR (s->st_mode) || S_ISBLK (s->st_mode))
    g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                 _("%s is a device, not a regular file; it was not read"), shown);
  else if (S_ISDIR (s->st_mode))
    g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                 _("%s is a folder, not a regular file; it was not read"), shown);
  else if (!S_ISREG (s->st_mode))
    g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                 _("%s is not a regular file; it was not read"), shown);
  else if ((guint64) s->st_size > (guint64) max)
    {
      g_autofree char *size = g_format_size_full ((guint64) s->st_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (max, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                   _("%s is %s, larger than this kind of file can be (%s); it was not read"),
                   shown, size, limit);
    }
  else
    return TRUE;
  return FALSE;
}

/* Back to blocking reads once we know it is a regular file. */
static void
clear_nonblock (int fd)
{
  int fl = fcntl (fd, F_GETFL);

  if (fl >= 0)
    fcntl (fd, F_SETFL, fl & ~O_NONBLOCK);
}

int
mend_root_open_file (MendRoot *root, const char *relative, MendFileKind kind, struct stat *st,
                     GError **error)
{
  g_auto (GStrv) parts = split_relative (relative, error);
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  guint n;
  int dirfd, fd;

  if (parts == NULL)
    return -1;
  n = g_strv_length (parts);
  if (n == 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE, _("%s is not a file"), root->path);
      return -1;
    }
  dirfd = walk (root, parts, n - 1, NULL, FALSE, error);
  if (dirfd < 0)
    return -1;
  name = match_entry (dirfd, parts[n - 1]);
  shown = g_strdup_printf ("%s/%s", root->path, relative);
  if (name == NULL)
    {
      close (dirfd);
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("%s does not exist"), shown);
      return -1;
    }
  fd = open_beneath (dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    {
      int e = errno;
      struct stat lst;

      if (fstatat (dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (lst.st_mode))
        g_set_error (error, MEND_ERROR, MEND_ERROR_UNSAFE_FILE,
                     _("%s is a symbolic link; links inside a Windows image are not "
                       "followed"), shown);
      else
        mend_error_set_errno (error, e, _("Cannot open"), shown);
      close (dirfd);
      return -1;
    }
  close (dirfd);
  if (!check_regular (fd, kind, shown, st, error))
    {
      close (fd);
      return -1;
    }
  clear_nonblock (fd);
  return fd;
}

GBytes *
mend_fd_read_all (int fd, gsize size, gsize max, const char *what, GError **error)
{
  gsize want = MIN (size, max);
  guint8 *buf = g_malloc (want + 1);
  gsize done = 0;

  while (done < want)
    {
      gssize r = read (fd, buf + done, want - done);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int e = errno;

          g_free (buf);
          mend_error_set_errno (error, e, _("Cannot read"), what);
          return NULL;
        }
      if (r == 0)
        break;   /* the file shrank: what is there is what we have */
      done += (gsize) r;
    }
  buf[done] = 0;
  return g_bytes_new_take (buf, done);
}

/* Reads the checked regular file FD (ST from its fstat) whole, and closes it. */
static GBytes *
read_checked_fd (int fd, const struct stat *st, MendFileKind kind, const char *shown,
                 GError **error)
{
  GBytes *bytes;

  if (fd < 0)
    return NULL;
  bytes = mend_fd_read_all (fd, (gsize) st->st_size, mend_file_kind_max_size (kind), shown,
                            error);
  close (fd);
  return bytes;
}

GBytes *
mend_root_read_file (MendRoot *root, const char *relative, MendFileKind kind, GError **error)
{
  struct stat st;
  int fd = mend_root_open_file (root, relative, kind, &st, error);
  g_autofree char *shown = g_strdup_printf ("%s/%s", root->path, relative);

  return read_checked_fd (fd, &st, kind, shown, error);
}

int
mend_file_open_checked (const char *path, MendFileKind kind, struct stat *st, GError **error)
{
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

  if (fd < 0)
    {
      mend_error_set_errno (error, errno, _("Cannot open"), path);
      return -1;
    }
  if (!check_regular (fd, kind, path, st, error))
    {
      close (fd);
      return -1;
    }
  clear_nonblock (fd);
  return fd;
}

GBytes *
mend_file_read_checked (const char *path, MendFileKind kind, GError **error)
{
  struct stat st;
  int fd = mend_file_open_checked (path, kind, &st, error);

  return read_checked_fd (fd, &st, kind, path, error);
}
