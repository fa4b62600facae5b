/* mend-regvalue.c — registry values as raw bytes, with strict decoders. */
#include "registry/mend-regvalue.h"
#include "base/mend-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (MendRegValue, mend_reg_value, mend_reg_value_copy, mend_reg_value_free)

MendRegValue *
mend_reg_value_new (const char *name, guint32 type, GBytes *data)
{
  MendRegValue *v = g_new0 (MendRegValue, 1);
  v->name = g_strdup (name ? name : "");
  v->type = type;
  v->data = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
  return v;
}

MendRegValue *
mend_reg_value_new_dword (const char *name, guint32 value)
{
  guint32 le = GUINT32_TO_LE (value);
  g_autoptr (GBytes) b = g_bytes_new (&le, sizeof le);
  return mend_reg_value_new (name, MEND_REG_DWORD, b);
}

MendRegValue *
mend_reg_value_new_qword (const char *name, guint64 value)
{
  guint64 le = GUINT64_TO_LE (value);
  g_autoptr (GBytes) b = g_bytes_new (&le, sizeof le);
  return mend_reg_value_new (name, MEND_REG_QWORD, b);
}

static void
append_utf16 (GByteArray *out, const char *utf8)
{
  glong n = 0;
  g_autofree gunichar2 *w = g_utf8_to_utf16 (utf8 ? utf8 : "", -1, NULL, &n, NULL);
  for (glong i = 0; w && i < n; i++)
    {
      guint8 le[2] = { w[i] & 0xff, w[i] >> 8 };
      g_byte_array_append (out, le, 2);
    }
  g_byte_array_append (out, (const guint8 *) "\0\0", 2);
}

MendRegValue *
mend_reg_value_new_string (const char *name, guint32 type, const char *utf8)
{
  GByteArray *out = g_byte_array_new ();
  append_utf16 (out, utf8);
  g_autoptr (GBytes) b = g_byte_array_free_to_bytes (out);
  return mend_reg_value_new (name, type, b);
}

MendRegValue *
mend_reg_value_new_multi_sz (const char *name, const char * const *strv)
{
  GByteArray *out = g_byte_array_new ();
  for (guint i = 0; strv && strv[i]; i++)
    append_utf16 (out, strv[i]);
  g_byte_array_append (out, (const guint8 *) "\0\0", 2);
  g_autoptr (GBytes) b = g_byte_array_free_to_bytes (out);
  return mend_reg_value_new (name, MEND_REG_MULTI_SZ, b);
}

MendRegValue *
mend_reg_value_new_binary (const char *name, const guint8 *data, gsize len)
{
  g_autoptr (GBytes) b = g_bytes_new (data, len);
  return mend_reg_value_new (name, MEND_REG_BINARY, b);
}

MendRegValue *
mend_reg_value_copy (const MendRegValue *v)
{
  return v ? mend_reg_value_new (v->name, v->type, v->data) : NULL;
}

void
mend_reg_value_free (MendRegValue *v)
{
  if (v == NULL)
    return;
  g_free (v->name);
  g_bytes_unref (v->data);
  g_free (v);
}

gboolean
mend_reg_value_equal (const MendRegValue *a, const MendRegValue *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_ascii_strcasecmp (a->name, b->name) == 0 && a->type == b->type &&
         g_bytes_equal (a->data, b->data);
}

static gboolean
wrong_type (const MendRegValue *v, const char *wanted, GError **error)
{
  g_set_error (error, MEND_ERROR, MEND_ERROR_WRONG_TYPE,
               _("Value “%s” is %s (%zu bytes), expected %s"), v->name,
               mend_reg_type_to_string (v->type), g_bytes_get_size (v->data), wanted);
  return FALSE;
}

gboolean
mend_reg_value_get_dword (const MendRegValue *v, guint32 *out, GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (v->data, &len);
  /* Windows itself accepts a REG_DWORD stored as 4 bytes only; REG_BINARY of 4 bytes is
   * read as a DWORD by many services, so accept that too. */
  if ((v->type == MEND_REG_DWORD || v->type == MEND_REG_BINARY) && len == 4)
    {
      *out = (guint32) d[0] | (guint32) d[1] << 8 | (guint32) d[2] << 16 | (guint32) d[3] << 24;
      return TRUE;
    }
  if (v->type == MEND_REG_DWORD_BIG_ENDIAN && len == 4)
    {
      *out = (guint32) d[3] | (guint32) d[2] << 8 | (guint32) d[1] << 16 | (guint32) d[0] << 24;
      return TRUE;
    }
  return wrong_type (v, "REG_DWORD", error);
}

gboolean
mend_reg_value_get_qword (const MendRegValue *v, guint64 *out, GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (v->data, &len);
  if ((v->type == MEND_REG_QWORD || v->type == MEND_REG_BINARY) && len == 8)
    {
      guint64 r = 0;
      for (int i = 7; i >= 0; i--)
        r = r << 8 | d[i];
      *out = r;
      return TRUE;
    }
  if (v->type == MEND_REG_DWORD && len == 4)
    {
      guint32 d32;
      mend_reg_value_get_dword (v, &d32, NULL);
      *out = d32;
      return TRUE;
    }
  return wrong_type (v, "REG_QWORD", error);
}

char *
mend_utf16le_to_utf8 (const guint8 *data, gsize len)
{
  gsize n = len / 2;
  g_autofree gunichar2 *w = g_new0 (gunichar2, n + 1);
  gsize used = 0;
  for (gsize i = 0; i < n; i++)
    {
      gunichar2 c = (gunichar2) (data[2 * i] | data[2 * i + 1] << 8);
      if (c == 0)
        break;
      w[used++] = c;
    }
  GString *s = g_string_sized_new (used);
  for (gsize i = 0; i < used; i++)
    {
      gunichar c = w[i];
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < used && w[i + 1] >= 0xDC00 && w[i + 1] <= 0xDFFF)
        {
          c = 0x10000 + ((c - 0xD800) << 10) + (w[i + 1] - 0xDC00);
          i++;
        }
      else if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

char *
mend_reg_value_get_string (const MendRegValue *v, GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (v->data, &len);
  if (v->type != MEND_REG_SZ && v->type != MEND_REG_EXPAND_SZ && v->type != MEND_REG_LINK &&
      v->type != MEND_REG_MULTI_SZ)
    {
      wrong_type (v, "REG_SZ", error);
      return NULL;
    }
  return mend_utf16le_to_utf8 (d, len);
}

GStrv
mend_reg_value_get_multi_sz (const MendRegValue *v, GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (v->data, &len);
  if (v->type != MEND_REG_MULTI_SZ && v->type != MEND_REG_SZ && v->type != MEND_REG_EXPAND_SZ)
    {
      wrong_type (v, "REG_MULTI_SZ", error);
      return NULL;
    }
  GStrvBuilder *b = g_strv_builder_new ();
  gsize start = 0;
  for (gsize i = 0; i + 1 < len; i += 2)
    {
      if (d[i] == 0 && d[i + 1] == 0)
        {
          if (i == start)
            break; /* empty string terminates the list */
          g_autofree char *s = mend_utf16le_to_utf8 (d + start, i - start);
          g_strv_builder_add (b, s);
          start = i + 2;
        }
    }
  if (start + 1 < len && (len - start) >= 2 && !(d[start] == 0 && d[start + 1] == 0))
    {
      /* unterminated last string */
      g_autofree char *s = mend_utf16le_to_utf8 (d + start, len - start);
      if (*s)
        g_strv_builder_add (b, s);
    }
  GStrv r = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return r;
}

const char *
mend_reg_type_to_string (guint32 type)
{
  switch (type)
    {
    case MEND_REG_NONE: return "REG_NONE";
    case MEND_REG_SZ: return "REG_SZ";
    case MEND_REG_EXPAND_SZ: return "REG_EXPAND_SZ";
    case MEND_REG_BINARY: return "REG_BINARY";
    case MEND_REG_DWORD: return "REG_DWORD";
    case MEND_REG_DWORD_BIG_ENDIAN: return "REG_DWORD_BIG_ENDIAN";
    case MEND_REG_LINK: return "REG_LINK";
    case MEND_REG_MULTI_SZ: return "REG_MULTI_SZ";
    case MEND_REG_RESOURCE_LIST: return "REG_RESOURCE_LIST";
    case MEND_REG_FULL_RESOURCE_DESCRIPTOR: return "REG_FULL_RESOURCE_DESCRIPTOR";
    case MEND_REG_RESOURCE_REQUIREMENTS_LIST: return "REG_RESOURCE_REQUIREMENTS_LIST";
    case MEND_REG_QWORD: return "REG_QWORD";
    default: return "REG_UNKNOWN";
    }
}

char *
mend_reg_value_to_display (const MendRegValue *v)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (v->data, &len);
  guint32 dw;
  guint64 qw;

  switch (v->type)
    {
    case MEND_REG_DWORD:
    case MEND_REG_DWORD_BIG_ENDIAN:
      if (mend_reg_value_get_dword (v, &dw, NULL))
        return g_strdup_printf ("%u (0x%08x)", dw, dw);
      break;
    case MEND_REG_QWORD:
      if (mend_reg_value_get_qword (v, &qw, NULL))
        return g_strdup_printf ("%" G_GUINT64_FORMAT " (0x%016" G_GINT64_MODIFIER "x)", qw, qw);
      break;
    case MEND_REG_SZ:
    case MEND_REG_EXPAND_SZ:
    case MEND_REG_LINK:
      {
        g_autofree char *s = mend_reg_value_get_string (v, NULL);
        return g_strdup_printf ("“%s”", s ? s : "");
      }
    case MEND_REG_MULTI_SZ:
      {
        g_auto (GStrv) parts = mend_reg_value_get_multi_sz (v, NULL);
        GString *s = g_string_new (NULL);
        for (guint i = 0; parts && parts[i]; i++)
          g_string_append_printf (s, "%s“%s”", i ? ", " : "", parts[i]);
        return g_string_free (s, FALSE);
      }
    default:
      break;
    }
  /* Binary (or a value whose size does not fit its type): hex, capped for readability. */
  GString *s = g_string_new ("hex:");
  gsize shown = MIN (len, 64);
  for (gsize i = 0; i < shown; i++)
    g_string_append_printf (s, "%s%02x", i ? "," : "", d[i]);
  if (shown < len)
    g_string_append_printf (s, ",… (%zu bytes)", len);
  return g_string_free (s, FALSE);
}
