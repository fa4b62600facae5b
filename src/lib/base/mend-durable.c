/* mend-durable.c — durable file operations: flush a file or folder, write through a
 * temporary file, install a temporary file over a target. Below hives and the journal. */
#include "base/mend-durable.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"

gboolean
mend_durable_fsync (const char *path, gboolean is_dir, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));

  if (fd < 0 || fsync (fd) != 0)
    {
      int e = errno;

      if (fd >= 0)
        close (fd);
      mend_error_set_errno (error, e, _("Cannot flush"), path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

char *
mend_durable_sha256_file (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) map = g_mapped_file_new (path, FALSE, &local_error);

  if (map == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      (const guchar *) g_mapped_file_get_contents (map),
                                      g_mapped_file_get_length (map));
}

/* Writes LEN bytes of DATA to a new temporary file in DIR; returns its path. */
static char *
write_temp_beside (const char *dir, const char *base, const char *data, gsize len,
                   GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.rdpmend-XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  gsize done = 0;

  if (fd < 0)
    {
      mend_error_set_errno (error, errno, _("Cannot create a temporary file in"), dir);
      return NULL;
    }
  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int e = errno;

          close (fd);
          g_unlink (tmp);
          mend_error_set_errno (error, e, _("Cannot write"), tmp);
          return NULL;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0)
    {
      int e = errno;

      close (fd);
      g_unlink (tmp);
      mend_error_set_errno (error, e, _("Cannot flush"), tmp);
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&tmp);
}

gboolean
mend_durable_copy (const char *src, const char *dest, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) map = g_mapped_file_new (src, FALSE, &local_error);

  if (map == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Cannot read %s: %s"), src,
                   local_error->message);
      return FALSE;
    }
  if (!g_file_set_contents_full (dest, g_mapped_file_get_contents (map),
                                 (gssize) g_mapped_file_get_length (map),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Cannot write %s: %s"), dest,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
mend_durable_replace (const char *source, const char *target, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *tmp = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) map = g_mapped_file_new (source, FALSE, &local_error);
  struct stat st;
  gboolean have_st;

  if (map == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO, _("Cannot read the backup %s: %s"),
                   source, local_error->message);
      return FALSE;
    }
  have_st = g_stat (target, &st) == 0;
  tmp = write_temp_beside (dir, base, g_mapped_file_get_contents (map),
                           g_mapped_file_get_length (map), error);
  if (tmp == NULL)
    return FALSE;
  return mend_durable_install_temp (tmp, target, have_st ? &st : NULL, error);
}

gboolean
mend_durable_install_temp (const char *tmp, const char *target, const struct stat *st,
                           GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);

  if (st != NULL
      && (chmod (tmp, st->st_mode & 07777) != 0
          || (chown (tmp, st->st_uid, st->st_gid) != 0 && geteuid () == 0)))
    {
      int e = errno;

      g_unlink (tmp);
      mend_error_set_errno (error, e, _("Cannot set the permissions of"), tmp);
      return FALSE;
    }
  if (g_rename (tmp, target) != 0)
    {
      int e = errno;

      g_unlink (tmp);
      mend_error_set_errno (error, e, _("Cannot replace"), target);
      return FALSE;
    }
  return mend_durable_fsync (dir, TRUE, error);
}

gboolean
mend_durable_write_json (const char *path, JsonNode *node, GError **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = NULL;
  gsize len = 0;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  tmp = write_temp_beside (dir, base, text, len, error);
  if (tmp == NULL)
    return FALSE;
  chmod (tmp, 0644);
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;

      g_unlink (tmp);
      mend_error_set_errno (error, e, _("Cannot write"), path);
      return FALSE;
    }
  return mend_durable_fsync (dir, TRUE, error);
}

JsonNode *
mend_durable_read_json (const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE, _("Cannot read the journal file %s: %s"),
                   path, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The journal file %s is not a JSON object"), path);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}
