/* mend-regfile.c — writes regedit-compatible backups and parses .reg files defensively.
 * Backups must give back the exact stored bytes, so anything that would not survive a
 * string round trip is written as hex(N). */
#include "registry/mend-regfile.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include "base/mend-error.h"

#define MEND_REG_FILE_HEADER "Windows Registry Editor Version 5.00"
#define MEND_REG_FILE_MAX_COLUMN 80

struct _MendRegFile
{
  GPtrArray  *keys;      /* MendRegFileKey* */
  GPtrArray  *comments;  /* char* */
  GHashTable *exported;  /* casefolded paths already given a section by export_key */
};

static void
mend_reg_file_key_free (MendRegFileKey *key)
{
  g_free (key->path);
  g_ptr_array_unref (key->values);
  g_ptr_array_unref (key->deleted_values);
  g_free (key);
}

MendRegFile *
mend_reg_file_new (void)
{
  MendRegFile *file = g_new0 (MendRegFile, 1);

  file->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_reg_file_key_free);
  file->comments = g_ptr_array_new_with_free_func (g_free);
  file->exported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return file;
}

void
mend_reg_file_free (MendRegFile *file)
{
  if (file == NULL)
    return;
  g_ptr_array_unref (file->keys);
  g_ptr_array_unref (file->comments);
  g_hash_table_unref (file->exported);
  g_free (file);
}

GPtrArray *
mend_reg_file_get_keys (MendRegFile *file)
{
  return file->keys;
}

static MendRegFileKey *
add_section (MendRegFile *file, const char *path, gboolean delete_key)
{
  MendRegFileKey *key = g_new0 (MendRegFileKey, 1);

  key->path = g_strdup (path);
  key->delete_key = delete_key;
  key->values = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_reg_value_free);
  key->deleted_values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (file->keys, key);
  return key;
}

MendRegFileKey *
mend_reg_file_add_key (MendRegFile *file, const char *path)
{
  return add_section (file, path, FALSE);
}

MendRegFileKey *
mend_reg_file_add_delete_key (MendRegFile *file, const char *path)
{
  return add_section (file, path, TRUE);
}

void
mend_reg_file_key_add_value (MendRegFileKey *key, const MendRegValue *value)
{
  g_ptr_array_add (key->values, mend_reg_value_copy (value));
}

void
mend_reg_file_key_add_deleted_value (MendRegFileKey *key, const char *name)
{
  g_ptr_array_add (key->deleted_values, g_strdup (name != NULL ? name : ""));
}

void
mend_reg_file_add_comment (MendRegFile *file, const char *comment)
{
  g_ptr_array_add (file->comments, g_strdup (comment));
}

/* ---- writer ------------------------------------------------------------------------- */

static void
append_quoted (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The UTF-8 text of a REG_SZ whose bytes are exactly what regedit would store for it
 * (UTF-16LE, one terminating NUL, nothing a .reg line cannot carry); else NULL. */
static char *
string_if_round_trips (GBytes *data)
{
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  g_autofree gunichar2 *units = NULL;
  g_autofree char *utf8 = NULL;
  g_autofree gunichar2 *again = NULL;
  glong n_again = 0;
  gsize n_units;

  if (len < 2 || len % 2 != 0 || bytes[len - 1] != 0 || bytes[len - 2] != 0)
    return NULL;
  n_units = len / 2 - 1;
  units = g_new (gunichar2, n_units + 1);
  for (gsize i = 0; i < n_units; i++)
    {
      units[i] = (gunichar2) (bytes[2 * i] | (bytes[2 * i + 1] << 8));
      if (units[i] == 0)
        return NULL;
    }
  units[n_units] = 0;
  /* Printable ASCII only: importers disagree on the encoding of anything else
   * (hivexregedit encodes each UTF-8 byte as one UTF-16 unit), and a backup must give the
   * exact bytes back in every one of them. */
  for (gsize i = 0; i < n_units; i++)
    if (units[i] < 0x20 || units[i] > 0x7E)
      return NULL;
  utf8 = g_utf16_to_utf8 (units, (glong) n_units, NULL, NULL, NULL);
  if (utf8 == NULL)
    return NULL;
  again = g_utf8_to_utf16 (utf8, -1, NULL, &n_again, NULL);
  if (again == NULL || (gsize) n_again != n_units
      || memcmp (again, units, n_units * sizeof (gunichar2)) != 0)
    return NULL;
  return g_steal_pointer (&utf8);
}

static void
append_hex (GString *out, gsize column, const guint8 *bytes, gsize len, const char *eol)
{
  for (gsize i = 0; i < len; i++)
    {
      gboolean last = (i + 1 == len);

      /* "xx," plus the continuation backslash must fit in the line, as regedit does. */
      if (column + 3 + 1 > MEND_REG_FILE_MAX_COLUMN)
        {
          g_string_append_printf (out, "\\%s  ", eol);
          column = 2;
        }
      g_string_append_printf (out, "%02x%s", bytes[i], last ? "" : ",");
      column += last ? 2 : 3;
    }
}

static void
append_value (GString *out, const MendRegValue *v, const char *eol)
{
  gsize len = 0;
  const guint8 *bytes = v->data != NULL ? g_bytes_get_data (v->data, &len) : NULL;
  gsize line_start = out->len;

  if (v->name == NULL || v->name[0] == '\0')
    g_string_append_c (out, '@');
  else
    append_quoted (out, v->name);
  g_string_append_c (out, '=');

  if (v->type == MEND_REG_SZ && v->data != NULL)
    {
      g_autofree char *text = string_if_round_trips (v->data);

      if (text != NULL)
        {
          append_quoted (out, text);
          return;
        }
    }
  if (v->type == MEND_REG_DWORD && len == 4)
    {
      guint32 dw = (guint32) bytes[0] | ((guint32) bytes[1] << 8) | ((guint32) bytes[2] << 16)
                   | ((guint32) bytes[3] << 24);
      g_string_append_printf (out, "dword:%08x", dw);
      return;
    }
  if (v->type == MEND_REG_BINARY)
    g_string_append (out, "hex:");
  else
    g_string_append_printf (out, "hex(%x):", v->type);
  append_hex (out, out->len - line_start, bytes, len, eol);
}

static GString *
build_text (MendRegFile *file, const char *eol)
{
  GString *out = g_string_new (MEND_REG_FILE_HEADER);

  g_string_append (out, eol);
  for (guint i = 0; i < file->comments->len; i++)
    {
      g_auto (GStrv) lines = g_strsplit (g_ptr_array_index (file->comments, i), "\n", -1);

      for (guint j = 0; lines[j] != NULL; j++)
        g_string_append_printf (out, "; %s%s", lines[j], eol);
    }
  g_string_append (out, eol);

  for (guint i = 0; i < file->keys->len; i++)
    {
      MendRegFileKey *key = g_ptr_array_index (file->keys, i);

      g_string_append_printf (out, "[%s%s]%s", key->delete_key ? "-" : "", key->path, eol);
      for (guint j = 0; j < key->deleted_values->len; j++)
        {
          const char *name = g_ptr_array_index (key->deleted_values, j);

          if (name[0] == '\0')
            g_string_append (out, "@");
          else
            append_quoted (out, name);
          g_string_append_printf (out, "=-%s", eol);
        }
      for (guint j = 0; j < key->values->len; j++)
        {
          append_value (out, g_ptr_array_index (key->values, j), eol);
          g_string_append (out, eol);
        }
      g_string_append (out, eol);
    }
  return out;
}

GBytes *
mend_reg_file_to_bytes (MendRegFile *file, MendRegFileEncoding encoding)
{
  g_autoptr (GString) text = NULL;
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  guint8 *out;

  if (encoding == MEND_REG_FILE_UTF8)
    {
      text = build_text (file, "\n");
      return g_bytes_new (text->str, text->len);
    }

  text = build_text (file, "\r\n");
  units = g_utf8_to_utf16 (text->str, (glong) text->len, NULL, &n_units, NULL);
  g_assert (units != NULL);  /* built from valid UTF-8 only */
  out = g_malloc (2 + (gsize) n_units * 2);
  out[0] = 0xFF;
  out[1] = 0xFE;
  for (glong i = 0; i < n_units; i++)
    {
      out[2 + 2 * i] = units[i] & 0xFF;
      out[3 + 2 * i] = units[i] >> 8;
    }
  return g_bytes_new_take (out, 2 + (gsize) n_units * 2);
}

gboolean
mend_reg_file_save (MendRegFile *file, const char *path, MendRegFileEncoding encoding,
                    GError **error)
{
  g_autoptr (GBytes) bytes = mend_reg_file_to_bytes (file, encoding);
  g_autoptr (GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!g_file_set_contents_full (path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_IO,
                   _("Could not write the registry backup %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- parser ------------------------------------------------------------------------- */

static void
set_parse_error (GError **error, guint line, const char *what)
{
  g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
               _("Line %u of the registry file: %s"), line, what);
}

/* UTF-16LE (after the BOM) → UTF-8; lone surrogates become U+FFFD, NUL is refused. */
static char *
decode_utf16le (const guint8 *data, gsize len, GError **error)
{
  GString *out = g_string_sized_new (len / 2 + 1);
  gsize n = len / 2;

  for (gsize i = 0; i < n; i++)
    {
      gunichar c = data[2 * i] | (data[2 * i + 1] << 8);

      if (c == 0)
        {
          g_string_free (out, TRUE);
          g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                       _("The registry file contains a NUL character"));
          return NULL;
        }
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n)
        {
          gunichar lo = data[2 * i + 2] | (data[2 * i + 3] << 8);

          if (lo >= 0xDC00 && lo <= 0xDFFF)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
              i++;
            }
          else
            c = 0xFFFD;
        }
      else if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
decode_text (const guint8 *data, gsize len, GError **error)
{
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    return decode_utf16le (data + 2, len - 2, error);
  /* UTF-16LE without a BOM: ASCII text has every second byte zero. */
  if (len >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0)
    return decode_utf16le (data, len, error);
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      len -= 3;
    }
  if (memchr (data, 0, len) != NULL)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The registry file contains a NUL character"));
      return NULL;
    }
  /* REGEDIT4 files are in the ANSI code page; keep what is readable. */
  return g_utf8_make_valid ((const char *) data, (gssize) len);
}

static char *
rstrip_dup (const char *s, gsize len)
{
  while (len > 0 && g_ascii_isspace (s[len - 1]))
    len--;
  return g_strndup (s, len);
}

/* Reads a quoted string at *P (which points at '"'); \x stands for x. Advances *P past the
 * closing quote. NULL when it is not terminated. */
static char *
parse_quoted (const char **p)
{
  GString *out = g_string_new (NULL);
  const char *s = *p + 1;

  while (*s != '\0' && *s != '"')
    {
      if (*s == '\\' && s[1] != '\0')
        s++;
      g_string_append_c (out, *s);
      s++;
    }
  if (*s != '"')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  *p = s + 1;
  return g_string_free (out, FALSE);
}

static gboolean
parse_hex_bytes (const char *s, GByteArray *out)
{
  const char *p = s;

  for (;;)
    {
      int hi, lo;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        return TRUE;
      hi = g_ascii_xdigit_value (p[0]);
      lo = hi >= 0 ? g_ascii_xdigit_value (p[1]) : -1;
      if (hi < 0 || lo < 0)
        return FALSE;
      g_byte_array_append (out, (guint8[]) { (guint8) (hi << 4 | lo) }, 1);
      p += 2;
      while (g_ascii_isspace (*p))
        p++;
      if (*p == ',')
        p++;
      else if (*p != '\0')
        return FALSE;
    }
}

static gboolean
parse_hex_number (const char *s, gsize len, guint32 *out)
{
  guint64 v = 0;

  if (len == 0 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int d = g_ascii_xdigit_value (s[i]);

      if (d < 0)
        return FALSE;
      v = v << 4 | (guint64) d;
    }
  *out = (guint32) v;
  return TRUE;
}

/* DATA is everything after '='. Returns a value, or NULL with *IS_DELETE set for "-". */
static MendRegValue *
parse_data (const char *name, const char *data, gboolean *is_delete, guint line,
            GError **error)
{
  g_autofree char *d = rstrip_dup (data, strlen (data));

  *is_delete = FALSE;
  if (g_strcmp0 (d, "-") == 0)
    {
      *is_delete = TRUE;
      return NULL;
    }
  if (d[0] == '"')
    {
      const char *p = d;
      g_autofree char *text = parse_quoted (&p);

      if (text == NULL || *p != '\0')
        {
          set_parse_error (error, line, _("a quoted string is not terminated"));
          return NULL;
        }
      return mend_reg_value_new_string (name, MEND_REG_SZ, text);
    }
  if (g_ascii_strncasecmp (d, "dword:", 6) == 0)
    {
      guint32 v;

      if (!parse_hex_number (d + 6, strlen (d + 6), &v))
        {
          set_parse_error (error, line, _("dword: needs up to 8 hexadecimal digits"));
          return NULL;
        }
      return mend_reg_value_new_dword (name, v);
    }
  if (g_ascii_strncasecmp (d, "hex", 3) == 0)
    {
      const char *p = d + 3;
      guint32 type = MEND_REG_BINARY;
      g_autoptr (GByteArray) bytes = g_byte_array_new ();

      if (*p == '(')
        {
          const char *close = strchr (p, ')');

          if (close == NULL || !parse_hex_number (p + 1, (gsize) (close - p - 1), &type))
            {
              set_parse_error (error, line, _("hex(TYPE): needs a hexadecimal type"));
              return NULL;
            }
          p = close + 1;
        }
      if (*p != ':')
        {
          set_parse_error (error, line, _("expected “:” after hex"));
          return NULL;
        }
      if (!parse_hex_bytes (p + 1, bytes))
        {
          set_parse_error (error, line, _("hex data must be two-digit bytes separated by commas"));
          return NULL;
        }
      {
        g_autoptr (GBytes) data_bytes = g_bytes_new (bytes->data, bytes->len);

        return mend_reg_value_new (name, type, data_bytes);
      }
    }
  set_parse_error (error, line, _("unknown value data (expected \"text\", dword:, hex: or -)"));
  return NULL;
}

MendRegFile *
mend_reg_file_parse (const guint8 *data, gsize len, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (MendRegFile) file = mend_reg_file_new ();
  MendRegFileKey *current = NULL;
  gboolean seen_header = FALSE;

  text = decode_text (data, len, error);
  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint line_no = i + 1;
      g_autofree char *line = rstrip_dup (lines[i], strlen (lines[i]));
      const char *s = line;

      /* A value line ending in "\" continues on the next line (hex data). */
      while (g_str_has_suffix (line, "\\") && (s[0] == '"' || s[0] == '@')
             && strstr (line, "=hex") != NULL && lines[i + 1] != NULL)
        {
          g_autofree char *next = NULL;
          char *joined;

          i++;
          next = rstrip_dup (lines[i], strlen (lines[i]));
          line[strlen (line) - 1] = '\0';
          joined = g_strconcat (line, g_strchug (next), NULL);
          g_free (line);
          line = joined;
          s = line;
        }

      while (g_ascii_isspace (*s))
        s++;
      if (*s == '\0' || *s == ';')
        continue;

      if (!seen_header)
        {
          if (strcmp (s, MEND_REG_FILE_HEADER) != 0 && strcmp (s, "REGEDIT4") != 0)
            {
              set_parse_error (error, line_no,
                               _("not a registry file (expected “Windows Registry Editor Version 5.00” or “REGEDIT4”)"));
              return NULL;
            }
          seen_header = TRUE;
          continue;
        }

      if (*s == '[')
        {
          gsize n = strlen (s);
          gboolean del = s[1] == '-';
          g_autofree char *path = NULL;

          if (n < 3 || s[n - 1] != ']')
            {
              set_parse_error (error, line_no, _("a key line must look like [KEY]"));
              return NULL;
            }
          path = g_strndup (s + (del ? 2 : 1), n - (del ? 3 : 2));
          if (path[0] == '\0' || strchr (path, '[') != NULL || strchr (path, ']') != NULL)
            {
              set_parse_error (error, line_no, _("the key name is empty or holds brackets"));
              return NULL;
            }
          current = add_section (file, path, del);
          current->line = line_no;
          continue;
        }

      if (*s == '"' || *s == '@')
        {
          g_autofree char *name = NULL;
          g_autoptr (MendRegValue) value = NULL;
          gboolean is_delete = FALSE;

          if (current == NULL)
            {
              set_parse_error (error, line_no, _("a value comes before any [KEY] line"));
              return NULL;
            }
          if (current->delete_key)
            {
              set_parse_error (error, line_no, _("a value under a [-KEY] deletion"));
              return NULL;
            }
          if (*s == '@')
            {
              name = g_strdup ("");
              s++;
            }
          else if ((name = parse_quoted (&s)) == NULL)
            {
              set_parse_error (error, line_no, _("the value name is not terminated"));
              return NULL;
            }
          while (g_ascii_isspace (*s))
            s++;
          if (*s != '=')
            {
              set_parse_error (error, line_no, _("expected “=” after the value name"));
              return NULL;
            }
          s++;
          while (g_ascii_isspace (*s))
            s++;
          value = parse_data (name, s, &is_delete, line_no, error);
          if (is_delete)
            g_ptr_array_add (current->deleted_values, g_steal_pointer (&name));
          else if (value == NULL)
            return NULL;
          else
            g_ptr_array_add (current->values, g_steal_pointer (&value));
          continue;
        }

      set_parse_error (error, line_no, _("expected [KEY], a value or a comment"));
      return NULL;
    }

  if (!seen_header)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The registry file is empty (no “Windows Registry Editor Version 5.00” header)"));
      return NULL;
    }
  return g_steal_pointer (&file);
}

MendRegFile *
mend_reg_file_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) local_error = NULL;
  MendRegFile *file;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, MEND_ERROR, mend_error_from_errno (ENOENT),
                   _("Could not read %s: %s"), path, local_error->message);
      return NULL;
    }
  file = mend_reg_file_parse ((const guint8 *) contents, len, error);
  if (file == NULL)
    g_prefix_error (error, "%s: ", path);
  return file;
}

/* ---- paths, export, apply ------------------------------------------------------------- */

static const struct
{
  const char *seam;
  const char *file;
} root_names[] = {
  { "HKLM", "HKEY_LOCAL_MACHINE" },
  { "HKU", "HKEY_USERS" },
  { "HKCU", "HKEY_CURRENT_USER" },
  { "HKCR", "HKEY_CLASSES_ROOT" },
};

static char *
swap_root (const char *path, gboolean to_file)
{
  for (guint i = 0; i < G_N_ELEMENTS (root_names); i++)
    {
      const char *from = to_file ? root_names[i].seam : root_names[i].file;
      const char *to = to_file ? root_names[i].file : root_names[i].seam;
      gsize n = strlen (from);

      if (g_ascii_strncasecmp (path, from, n) == 0 && (path[n] == '\\' || path[n] == '\0'))
        return g_strconcat (to, path + n, NULL);
    }
  return g_strdup (path);
}

char *
mend_reg_file_path_from_seam (const char *seam_path)
{
  return swap_root (seam_path, TRUE);
}

char *
mend_reg_file_path_to_seam (const char *file_path)
{
  return swap_root (file_path, FALSE);
}

static gboolean
export_tree (MendRegFile *file, MendRegistry *registry, const char *seam_path,
             gboolean recursive, GError **error)
{
  g_autoptr (GPtrArray) values = NULL;
  g_autofree char *file_path = mend_reg_file_path_from_seam (seam_path);
  MendRegFileKey *key;

  values = mend_registry_list_values (registry, seam_path, error);
  if (values == NULL)
    return FALSE;
  key = mend_reg_file_add_key (file, file_path);
  g_hash_table_add (file->exported, g_utf8_casefold (file_path, -1));
  for (guint i = 0; i < values->len; i++)
    mend_reg_file_key_add_value (key, g_ptr_array_index (values, i));

  if (recursive)
    {
      g_auto (GStrv) subkeys = mend_registry_list_subkeys (registry, seam_path, error);

      if (subkeys == NULL)
        return FALSE;
      for (guint i = 0; subkeys[i] != NULL; i++)
        {
          g_autofree char *child = mend_registry_join_path (seam_path, subkeys[i]);

          if (!export_tree (file, registry, child, TRUE, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
mend_reg_file_export_key (MendRegFile *file, MendRegistry *registry, const char *seam_path,
                          gboolean recursive, GError **error)
{
  g_autofree char *resolved = mend_registry_resolve (registry, seam_path);
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) ancestor = NULL;
  guint n_parts;

  if (resolved == NULL)
    resolved = g_strdup (seam_path);
  if (!mend_registry_key_exists (registry, resolved, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                     _("The key %s does not exist"), resolved);
      return FALSE;
    }

  /* Write key names as stored ("services", not the "Services" we asked for): the backup
   * then names exactly the keys it came from. */
  parts = mend_registry_split_path (resolved);
  n_parts = g_strv_length (parts);
  if (n_parts > 2)
    {
      g_autoptr (GString) parent = g_string_new (parts[0]);

      g_string_append_printf (parent, "\\%s", parts[1]);
      for (guint i = 2; i < n_parts; i++)
        {
          g_auto (GStrv) names = mend_registry_list_subkeys (registry, parent->str, NULL);

          for (guint j = 0; names != NULL && names[j] != NULL; j++)
            if (g_ascii_strcasecmp (names[j], parts[i]) == 0)
              {
                g_free (parts[i]);
                parts[i] = g_strdup (names[j]);
                break;
              }
          g_string_append_printf (parent, "\\%s", parts[i]);
        }
      g_free (resolved);
      resolved = g_strjoinv ("\\", parts);
    }

  /* Ancestor sections below the hive root (HKLM\SYSTEM): importers that create keys only
   * under an existing parent (hivexregedit) then work on a fresh hive. */
  if (n_parts > 2)
    {
      ancestor = g_string_new (parts[0]);
      g_string_append_printf (ancestor, "\\%s", parts[1]);
      for (guint i = 2; i + 1 < n_parts; i++)
        {
          g_autofree char *file_path = NULL;
          g_autofree char *folded = NULL;

          g_string_append_printf (ancestor, "\\%s", parts[i]);
          file_path = mend_reg_file_path_from_seam (ancestor->str);
          folded = g_utf8_casefold (file_path, -1);
          if (!g_hash_table_contains (file->exported, folded))
            {
              mend_reg_file_add_key (file, file_path);
              g_hash_table_add (file->exported, g_steal_pointer (&folded));
            }
        }
    }
  return export_tree (file, registry, resolved, recursive, error);
}

gboolean
mend_reg_file_apply (MendRegFile *file, MendRegistry *registry, GError **error)
{
  for (guint i = 0; i < file->keys->len; i++)
    {
      MendRegFileKey *key = g_ptr_array_index (file->keys, i);
      g_autofree char *seam = mend_reg_file_path_to_seam (key->path);
      g_autoptr (GError) local_error = NULL;
      gboolean exists = mend_registry_key_exists (registry, seam, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (key->delete_key)
        {
          if (exists && !mend_registry_delete_tree (registry, seam, error))
            return FALSE;
          continue;
        }
      if (!exists && !mend_registry_create_key (registry, seam, error))
        return FALSE;
      for (guint j = 0; j < key->deleted_values->len; j++)
        {
          const char *name = g_ptr_array_index (key->deleted_values, j);
          g_autoptr (MendRegValue) old = mend_registry_get_value (registry, seam, name, NULL);

          if (old != NULL && !mend_registry_delete_value (registry, seam, name, error))
            return FALSE;
        }
      for (guint j = 0; j < key->values->len; j++)
        if (!mend_registry_set_value (registry, seam, g_ptr_array_index (key->values, j), error))
          return FALSE;
    }
  return TRUE;
}
