/* mend-rdpfile.c — `.rdp` parser (DOMAIN.md §9). The parser never trusts the file:
 * encodings are validated, every line is bounded, values are checked against their
 * declared type. The rdpfile.* findings are in mend-rdpfile-findings.c. */
#include "formats/mend-rdpfile.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <errno.h>

#include "base/mend-error.h"

#define MAX_FILE_SIZE      (8 * 1024 * 1024)   /* mstsc files are a few KiB */
#define MAX_PROBLEM_TEXT   200
#define DEFAULT_RDP_PORT   3389

struct _MendRdpFile {
  char       *encoding;
  gboolean    bom;
  gboolean    crlf;
  GPtrArray  *settings;   /* MendRdpSetting* */
  GPtrArray  *problems;   /* MendRdpProblem* */
  GHashTable *by_key;     /* key -> last MendRdpSetting* (borrowed) */
};

static void
setting_free (MendRdpSetting *s)
{
  g_free (s->name);
  g_free (s->key);
  g_free (s->value);
  g_clear_pointer (&s->binary, g_bytes_unref);
  g_free (s);
}

static void
problem_free (MendRdpProblem *p)
{
  g_free (p->text);
  g_free (p->message);
  g_free (p);
}

void
mend_rdpfile_free (MendRdpFile *file)
{
  if (file == NULL)
    return;
  g_free (file->encoding);
  g_ptr_array_unref (file->settings);
  g_ptr_array_unref (file->problems);
  g_hash_table_unref (file->by_key);
  g_free (file);
}

/* ---- decoding ---------------------------------------------------------------------- */

static char *
decode_utf16 (const guint8 *data, gsize len, gboolean little_endian, GError **error)
{
  g_autofree gunichar2 *units = NULL;
  g_autoptr(GError) local = NULL;
  gsize n = len / 2;
  char *utf8;

  if (len % 2 != 0)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_PARSE,
                           _("The file says it is UTF-16 but has an odd number of bytes: it "
                             "was truncated. Save it again from Remote Desktop Connection."));
      return NULL;
    }
  units = g_new (gunichar2, n + 1);
  for (gsize i = 0; i < n; i++)
    units[i] = little_endian ? (gunichar2) (data[2 * i] | (data[2 * i + 1] << 8))
                             : (gunichar2) ((data[2 * i] << 8) | data[2 * i + 1]);
  units[n] = 0;
  /* A trailing NUL character is harmless; NULs inside are not. */
  while (n > 0 && units[n - 1] == 0)
    n--;
  for (gsize i = 0; i < n; i++)
    if (units[i] == 0)
      {
        g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                     _("The file contains a NUL character at offset %lu: it is not a "
                       "connection file or it is damaged."),
                     (unsigned long) (2 * i));
        return NULL;
      }
  utf8 = g_utf16_to_utf8 (units, (glong) n, NULL, NULL, &local);
  if (utf8 == NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The file is not valid UTF-16 text (%s). Save it again from Remote "
                     "Desktop Connection."), local->message);
      return NULL;
    }
  return utf8;
}

/* Returns UTF-8 text and the encoding's name. */
static char *
decode_text (const guint8  *data,
             gsize          len,
             char         **encoding,
             gboolean      *bom,
             GError       **error)
{
  gboolean ascii = TRUE;

  *bom = FALSE;
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      *bom = TRUE;
      *encoding = g_strdup ("UTF-16LE");
      return decode_utf16 (data + 2, len - 2, TRUE, error);
    }
  if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      *bom = TRUE;
      *encoding = g_strdup ("UTF-16BE");
      return decode_utf16 (data + 2, len - 2, FALSE, error);
    }
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      *bom = TRUE;
      data += 3;
      len -= 3;
    }

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == 0)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                       _("The file contains a NUL byte at offset %lu: it is not a text file, or "
                         "it is UTF-16 without the FF FE byte order mark that Remote Desktop "
                         "Connection writes."),
                       (unsigned long) (i + (*bom ? 3 : 0)));
          return NULL;
        }
      if (data[i] >= 0x80)
        ascii = FALSE;
    }

  if (g_utf8_validate_len ((const char *) data, len, NULL))
    {
      *encoding = g_strdup (ascii && !*bom ? "ASCII" : "UTF-8");
      return g_strndup ((const char *) data, len);
    }
  if (*bom)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_PARSE,
                           _("The file starts with a UTF-8 byte order mark but is not valid "
                             "UTF-8. Save it again from Remote Desktop Connection."));
      return NULL;
    }
  /* Old tools write the ANSI code page; Western files decode as Windows-1252. */
  *encoding = g_strdup ("Windows-1252");
  {
    g_autoptr(GError) local = NULL;
    char *text = g_convert ((const char *) data, (gssize) len, "UTF-8", "WINDOWS-1252",
                            NULL, NULL, &local);

    if (text == NULL)
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The file is neither UTF-16 nor UTF-8 text (%s). Save it again from "
                     "Remote Desktop Connection."), local->message);
    return text;
  }
}

/* ---- lines ------------------------------------------------------------------------- */

static gboolean
parse_int (const char *s, gint64 *out)
{
  char *end = NULL;
  gint64 v;

  while (g_ascii_isspace (*s))
    s++;
  if (*s == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtoll (s, &end, 10);
  if (errno != 0 || end == s)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || v < G_MININT32 || v > G_MAXUINT32)
    return FALSE;
  *out = v;
  return TRUE;
}

static GBytes *
parse_hex (const char *s)
{
  gsize len = strlen (s);
  g_autofree guint8 *buf = NULL;

  if (len % 2 != 0)
    return NULL;
  buf = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    {
      int hi = g_ascii_xdigit_value (s[i]);
      int lo = g_ascii_xdigit_value (s[i + 1]);

      if (hi < 0 || lo < 0)
        return NULL;
      buf[i / 2] = (guint8) ((hi << 4) | lo);
    }
  return g_bytes_new_take (g_steal_pointer (&buf), len / 2);
}

/* NULL and *message set when the line is malformed. */
static MendRdpSetting *
parse_line (const char *line, guint lineno, char **message)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  MendRdpSetting *s;
  char type;

  if (colon == NULL)
    {
      *message = g_strdup (_("it has no “:”; every line must look like name:type:value"));
      return NULL;
    }
  name = g_strstrip (g_strndup (line, colon - line));
  if (*name == '\0')
    {
      *message = g_strdup (_("the setting name before the first “:” is empty"));
      return NULL;
    }
  if (colon[1] == '\0' || colon[2] != ':')
    {
      *message = g_strdup (_("the type after the name must be one letter (s, i or b) followed by “:”"));
      return NULL;
    }
  type = g_ascii_tolower (colon[1]);
  if (type != 's' && type != 'i' && type != 'b')
    {
      *message = g_strdup_printf (_("unknown type “%c”; only s (text), i (number) and b (binary) exist"),
                                  g_ascii_isprint (colon[1]) ? colon[1] : '?');
      return NULL;
    }

  s = g_new0 (MendRdpSetting, 1);
  s->name = g_steal_pointer (&name);
  s->key = g_utf8_strdown (s->name, -1);
  s->type = (MendRdpType) type;
  s->value = g_strdup (colon + 3);
  s->line = lineno;
  if (type == 'i' && !parse_int (s->value, &s->integer))
    {
      *message = g_strdup_printf (_("“%s” is declared as a number but its value is not one"), s->name);
      setting_free (s);
      return NULL;
    }
  if (type == 'b' && (s->binary = parse_hex (s->value)) == NULL)
    {
      *message = g_strdup_printf (_("“%s” is declared as binary but its value is not hexadecimal"), s->name);
      setting_free (s);
      return NULL;
    }
  return s;
}

MendRdpFile *
mend_rdpfile_parse (const guint8          *data,
                    gsize                  len,
                    MendRdpFileParseFlags  flags,
                    GError               **error)
{
  g_autoptr(MendRdpFile) file = g_new0 (MendRdpFile, 1);
  g_autofree char *text = NULL;
  char *p, *next;
  guint lineno = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  file->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
  file->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  file->by_key = g_hash_table_new (g_str_hash, g_str_equal);

  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The file is %lu bytes long; connection files are a few kilobytes. It "
                     "is not a connection file."), (unsigned long) len);
      return NULL;
    }
  text = decode_text (data, len, &file->encoding, &file->bom, error);
  if (text == NULL)
    return NULL;

  for (p = text; p != NULL; p = next)
    {
      g_autofree char *message = NULL;
      MendRdpSetting *s;
      char *nl = strchr (p, '\n');
      gsize n;

      next = nl ? nl + 1 : NULL;
      if (nl)
        *nl = '\0';
      n = strlen (p);
      if (n > 0 && p[n - 1] == '\r')
        {
          p[--n] = '\0';
          file->crlf = TRUE;
        }
      lineno++;
      if (nl == NULL && n == 0)
        break;
      /* Blank lines are allowed anywhere. */
      {
        const char *q = p;

        while (g_ascii_isspace (*q))
          q++;
        if (*q == '\0')
          continue;
      }

      s = parse_line (p, lineno, &message);
      if (s == NULL)
        {
          MendRdpProblem *problem;

          if (!(flags & MEND_RDPFILE_PARSE_LENIENT))
            {
              g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE, _("Line %u: %s."), lineno, message);
              return NULL;
            }
          problem = g_new0 (MendRdpProblem, 1);
          problem->line = lineno;
          problem->text = g_utf8_substring (p, 0, MIN (g_utf8_strlen (p, -1), MAX_PROBLEM_TEXT));
          problem->message = g_steal_pointer (&message);
          g_ptr_array_add (file->problems, problem);
          continue;
        }
      g_ptr_array_add (file->settings, s);
      g_hash_table_insert (file->by_key, s->key, s);
    }

  return g_steal_pointer (&file);
}

MendRdpFile *
mend_rdpfile_load (const char            *path,
                   MendRdpFileParseFlags  flags,
                   GError               **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  MendRdpFile *file;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      gboolean missing = g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, MEND_ERROR, missing ? MEND_ERROR_NOT_FOUND : MEND_ERROR_IO,
                   _("Cannot read the connection file: %s"), local->message);
      return NULL;
    }
  file = mend_rdpfile_parse ((const guint8 *) contents, len, flags, error);
  if (file == NULL)
    g_prefix_error (error, _("%s: "), path);
  return file;
}

const char *
mend_rdpfile_get_encoding (MendRdpFile *file)
{
  return file->encoding;
}

gboolean
mend_rdpfile_has_bom (MendRdpFile *file)
{
  return file->bom;
}

gboolean
mend_rdpfile_uses_crlf (MendRdpFile *file)
{
  return file->crlf;
}

GPtrArray *
mend_rdpfile_get_settings (MendRdpFile *file)
{
  return file->settings;
}

GPtrArray *
mend_rdpfile_get_problems (MendRdpFile *file)
{
  return file->problems;
}

const MendRdpSetting *
mend_rdpfile_lookup (MendRdpFile *file, const char *name)
{
  g_autofree char *key = g_utf8_strdown (name, -1);

  return g_hash_table_lookup (file->by_key, key);
}

const char *
mend_rdpfile_get_string (MendRdpFile *file, const char *name)
{
  const MendRdpSetting *s = mend_rdpfile_lookup (file, name);

  return s ? s->value : NULL;
}

gboolean
mend_rdpfile_get_integer (MendRdpFile *file, const char *name, gint64 *out)
{
  const MendRdpSetting *s = mend_rdpfile_lookup (file, name);

  if (s == NULL || s->type != MEND_RDP_TYPE_INTEGER)
    return FALSE;
  if (out)
    *out = s->integer;
  return TRUE;
}

/* "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address (several colons). */
static gboolean
split_host_port (const char *address, char **host, guint *port, gboolean *has_port)
{
  const char *colon;
  guint64 p;

  *has_port = FALSE;
  if (address[0] == '[')
    {
      const char *close = strchr (address, ']');

      if (close == NULL || close == address + 1)
        return FALSE;
      *host = g_strndup (address + 1, close - address - 1);
      if (close[1] == '\0')
        return TRUE;
      if (close[1] != ':')
        {
          g_clear_pointer (host, g_free);
          return FALSE;
        }
      colon = close + 1;
    }
  else
    {
      colon = strrchr (address, ':');
      if (colon == NULL || strchr (address, ':') != colon)
        {
          *host = g_strdup (address);
          return **host != '\0';
        }
      *host = g_strndup (address, colon - address);
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &p, NULL) || **host == '\0')
    {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  *port = (guint) p;
  *has_port = TRUE;
  return TRUE;
}

gboolean
mend_rdpfile_get_address (MendRdpFile  *file,
                          char        **host,
                          guint        *port,
                          const char  **from_setting)
{
  const char *names[] = { "alternate full address", "full address" };
  gint64 server_port;

  *host = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = mend_rdpfile_get_string (file, names[i]);
      g_autofree char *trimmed = value ? g_strstrip (g_strdup (value)) : NULL;
      gboolean has_port = FALSE;

      if (trimmed == NULL || *trimmed == '\0')
        continue;
      *port = DEFAULT_RDP_PORT;
      if (mend_rdpfile_get_integer (file, "server port", &server_port) &&
          server_port > 0 && server_port <= 65535)
        *port = (guint) server_port;
      if (!split_host_port (trimmed, host, port, &has_port))
        return FALSE;
      if (from_setting)
        *from_setting = names[i];
      return TRUE;
    }
  return FALSE;
}
