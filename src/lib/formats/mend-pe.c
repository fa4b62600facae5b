/* mend-pe.c — reads VS_VERSIONINFO from a PE file: MZ → PE header → sections → resource
 * directory → RT_VERSION → first name → first language → VS_FIXEDFILEINFO + StringFileInfo.
 * Every offset comes from the file, so every read goes through a bounds-checked helper. */
#include "formats/mend-pe.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "base/mend-error.h"

#define MAX_PE_FILE          (256u * 1024 * 1024)
#define RT_VERSION           16
#define VS_FIXED_SIGNATURE   0xFEEF04BDu
#define MAX_RES_ENTRIES      4096     /* per directory level; real files have a handful */
#define MAX_VERSION_BLOCKS   1024     /* children visited in the version tree */

typedef struct {
  const guint8 *data;
  gsize         len;
  /* section table */
  gsize         sections;
  guint16       n_sections;
} PeImage;

static gboolean
rd16 (const guint8 *data, gsize len, gsize off, guint16 *out)
{
  if (off > len || len - off < 2)
    return FALSE;
  *out = (guint16) (data[off] | (data[off + 1] << 8));
  return TRUE;
}

static gboolean
rd32 (const guint8 *data, gsize len, gsize off, guint32 *out)
{
  if (off > len || len - off < 4)
    return FALSE;
  *out = (guint32) data[off] | ((guint32) data[off + 1] << 8) |
         ((guint32) data[off + 2] << 16) | ((guint32) data[off + 3] << 24);
  return TRUE;
}

static gpointer
fail (GError **error, const char *what)
{
  g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
               _("Not a valid Windows program file: %s. The file may be damaged or "
                 "truncated; on Windows, repair system files with DISM and sfc /scannow."),
               what);
  return NULL;
}

/* Maps [rva, rva+size) to a file offset inside one section's raw data. */
static gboolean
rva_to_offset (const PeImage *pe, guint32 rva, guint32 size, gsize *out)
{
  for (guint i = 0; i < pe->n_sections; i++)
    {
      gsize sh = pe->sections + (gsize) i * 40;
      guint32 vsize, va, raw_size, raw_ptr, span;

      if (!rd32 (pe->data, pe->len, sh + 8, &vsize) ||
          !rd32 (pe->data, pe->len, sh + 12, &va) ||
          !rd32 (pe->data, pe->len, sh + 16, &raw_size) ||
          !rd32 (pe->data, pe->len, sh + 20, &raw_ptr))
        return FALSE;
      span = MAX (vsize, raw_size);
      if (rva < va || (guint64) rva - va >= span)
        continue;
      /* Only the part backed by file data can be read. */
      if ((guint64) rva - va + size > raw_size)
        return FALSE;
      if ((guint64) raw_ptr + (rva - va) + size > pe->len)
        return FALSE;
      *out = (gsize) raw_ptr + (rva - va);
      return TRUE;
    }
  return FALSE;
}

/* How many file-backed bytes follow rva inside its section (0 when none). */
static gsize
rva_available (const PeImage *pe, guint32 rva, gsize *out)
{
  gsize lo = 0, hi = pe->len;

  if (!rva_to_offset (pe, rva, 1, out))
    return 0;
  /* Binary search for the largest readable size; the section bounds it. */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo + 1) / 2;
      gsize dummy;

      if (mid <= G_MAXUINT32 && rva_to_offset (pe, rva, (guint32) mid, &dummy))
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

/* One level of IMAGE_RESOURCE_DIRECTORY: finds the entry with ID id (or the first entry
 * when id < 0) and returns its OffsetToData (relative to the resource root). */
static gboolean
res_find (const guint8 *res, gsize res_len, guint32 dir_off, gint64 id,
          guint32 *entry_data)
{
  guint16 n_named, n_ids;
  guint total;

  if (!rd16 (res, res_len, (gsize) dir_off + 12, &n_named) ||
      !rd16 (res, res_len, (gsize) dir_off + 14, &n_ids))
    return FALSE;
  total = (guint) n_named + n_ids;
  if (total > MAX_RES_ENTRIES)
    total = MAX_RES_ENTRIES;
  for (guint i = 0; i < total; i++)
    {
      gsize e = (gsize) dir_off + 16 + (gsize) i * 8;
      guint32 name, off;

      if (!rd32 (res, res_len, e, &name) || !rd32 (res, res_len, e + 4, &off))
        return FALSE;
      if (id < 0 || (!(name & 0x80000000u) && name == (guint32) id))
        {
          *entry_data = off;
          return TRUE;
        }
    }
  return FALSE;
}

/* A VS_VERSIONINFO-style block: wLength, wValueLength, wType, szKey (UTF-16, NUL), pad,
 * value, pad, children. Offsets are relative to the version resource start (which is
 * DWORD-aligned, so alignment is computed on them). */
typedef struct {
  gsize     start, end;          /* [start, end) of the whole block */
  char     *key;                 /* UTF-8 */
  gsize     value, value_len;    /* bytes available for the value */
  guint16   value_length_field;
  guint16   type;
  gsize     children;            /* first child offset */
} VerBlock;

static gsize
align4 (gsize v)
{
  return (v + 3) & ~(gsize) 3;
}

/* Reads a NUL-terminated UTF-16LE string in [off, end); returns UTF-8 (NULL if none) and
 * the offset just after the terminator. */
static char *
read_utf16z (const guint8 *data, gsize off, gsize end, gsize *after)
{
  gsize n = 0;
  g_autofree gunichar2 *units = NULL;

  while (off + 2 * n + 1 < end && (data[off + 2 * n] | data[off + 2 * n + 1]) != 0)
    n++;
  if (off + 2 * n + 1 >= end)
    return NULL;   /* unterminated */
  units = g_new (gunichar2, n + 1);
  for (gsize i = 0; i < n; i++)
    units[i] = (gunichar2) (data[off + 2 * i] | (data[off + 2 * i + 1] << 8));
  units[n] = 0;
  *after = off + 2 * n + 2;
  return g_utf16_to_utf8 (units, (glong) n, NULL, NULL, NULL);
}

static gboolean
ver_block (const guint8 *data, gsize limit, gsize off, VerBlock *b)
{
  guint16 length;
  gsize after_key;

  memset (b, 0, sizeof *b);
  if (!rd16 (data, limit, off, &length) || length < 6 || off + length > limit)
    return FALSE;
  if (!rd16 (data, limit, off + 2, &b->value_length_field) ||
      !rd16 (data, limit, off + 4, &b->type))
    return FALSE;
  b->start = off;
  b->end = off + length;
  b->key = read_utf16z (data, off + 6, b->end, &after_key);
  if (b->key == NULL)
    return FALSE;
  b->value = MIN (align4 (after_key), b->end);
  b->value_len = b->end - b->value;
  b->children = b->end;
  return TRUE;
}

static void
ver_block_clear (VerBlock *b)
{
  g_clear_pointer (&b->key, g_free);
}

static void
read_string_table (const guint8 *data, gsize limit, gsize off, gsize end, MendPeVersion *v)
{
  guint visited = 0;

  while (off + 6 <= end && visited++ < MAX_VERSION_BLOCKS)
    {
      VerBlock s;
      gsize after = 0;

      if (!ver_block (data, end, off, &s))
        return;
      if (s.value < s.end)
        {
          g_autofree char *text = read_utf16z (data, s.value, s.end, &after);
          char **slot = NULL;

          if (g_strcmp0 (s.key, "FileVersion") == 0)
            slot = &v->file_version_string;
          else if (g_strcmp0 (s.key, "ProductName") == 0)
            slot = &v->product_name;
          else if (g_strcmp0 (s.key, "OriginalFilename") == 0)
            slot = &v->original_filename;
          if (slot != NULL && *slot == NULL && text != NULL)
            *slot = g_strstrip (g_steal_pointer (&text));
        }
      off = align4 (s.end);
      ver_block_clear (&s);
    }
}

static void
read_string_file_info (const guint8 *data, gsize limit, gsize off, gsize end, MendPeVersion *v)
{
  guint visited = 0;

  /* Children of StringFileInfo are StringTables ("040904B0"); take the first usable. */
  while (off + 6 <= end && visited++ < MAX_VERSION_BLOCKS)
    {
      VerBlock table;

      if (!ver_block (data, end, off, &table))
        return;
      /* A StringTable has no value; its strings start after the key. */
      read_string_table (data, limit, table.value, table.end, v);
      off = align4 (table.end);
      ver_block_clear (&table);
      if (v->file_version_string || v->product_name)
        return;
    }
}

static gboolean
parse_version_resource (const guint8 *data, gsize len, MendPeVersion *v, GError **error)
{
  VerBlock root;
  guint32 sig, fms, fls, pms, pls;
  gsize fixed, off;
  guint visited = 0;

  if (!ver_block (data, len, 0, &root))
    {
      fail (error, _("the version resource is truncated"));
      return FALSE;
    }
  if (g_strcmp0 (root.key, "VS_VERSION_INFO") != 0 || root.value_length_field < 52 ||
      root.value_len < 52)
    {
      ver_block_clear (&root);
      fail (error, _("the version resource has no VS_VERSION_INFO fixed part"));
      return FALSE;
    }
  fixed = root.value;
  if (!rd32 (data, root.end, fixed, &sig) || sig != VS_FIXED_SIGNATURE ||
      !rd32 (data, root.end, fixed + 8, &fms) || !rd32 (data, root.end, fixed + 12, &fls) ||
      !rd32 (data, root.end, fixed + 16, &pms) || !rd32 (data, root.end, fixed + 20, &pls))
    {
      ver_block_clear (&root);
      fail (error, _("the VS_FIXEDFILEINFO signature 0xFEEF04BD is missing"));
      return FALSE;
    }
  v->file_version[0] = fms >> 16;
  v->file_version[1] = fms & 0xFFFF;
  v->file_version[2] = fls >> 16;
  v->file_version[3] = fls & 0xFFFF;
  v->product_version[0] = pms >> 16;
  v->product_version[1] = pms & 0xFFFF;
  v->product_version[2] = pls >> 16;
  v->product_version[3] = pls & 0xFFFF;

  /* Optional: StringFileInfo among the children after the fixed part. */
  off = align4 (fixed + root.value_length_field);
  while (off + 6 <= root.end && visited++ < MAX_VERSION_BLOCKS)
    {
      VerBlock child;

      if (!ver_block (data, root.end, off, &child))
        break;
      if (g_strcmp0 (child.key, "StringFileInfo") == 0)
        read_string_file_info (data, root.end, child.value, child.end, v);
      off = align4 (child.end);
      ver_block_clear (&child);
    }
  ver_block_clear (&root);
  return TRUE;
}

void
mend_pe_version_free (MendPeVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->file_version_string);
  g_free (version->product_name);
  g_free (version->original_filename);
  g_free (version);
}

MendPeVersion *
mend_pe_read_version_from_data (const guint8  *data,
                                gsize          len,
                                GError       **error)
{
  g_autoptr(MendPeVersion) v = g_new0 (MendPeVersion, 1);
  PeImage pe = { data, len, 0, 0 };
  guint32 pe_off, res_rva, res_size, n_dirs, off;
  guint16 opt_size, magic;
  gsize opt, res_file_off, dd, ver_off;
  guint32 type_entry, name_entry, lang_entry, data_rva, data_size;
  const guint8 *res;

  if (data == NULL || len < 0x40)
    return fail (error, _("it is too short"));
  if (data[0] != 'M' || data[1] != 'Z')
    return fail (error, _("it does not start with “MZ”"));
  if (!rd32 (data, len, 0x3C, &pe_off) || (guint64) pe_off + 24 > len ||
      memcmp (data + pe_off, "PE\0\0", 4) != 0)
    return fail (error, _("the PE signature is missing"));
  if (!rd16 (data, len, pe_off + 4, &v->machine) ||
      !rd16 (data, len, pe_off + 6, &pe.n_sections) ||
      !rd16 (data, len, pe_off + 20, &opt_size))
    return fail (error, _("the COFF header is truncated"));
  opt = (gsize) pe_off + 24;
  if (!rd16 (data, len, opt, &magic) || opt + opt_size > len)
    return fail (error, _("the optional header is truncated"));
  if (magic == 0x10b)
    {
      if (opt_size < 96 || !rd32 (data, len, opt + 92, &n_dirs))
        return fail (error, _("the optional header is too short"));
      dd = opt + 96;
    }
  else if (magic == 0x20b)
    {
      if (opt_size < 112 || !rd32 (data, len, opt + 108, &n_dirs))
        return fail (error, _("the optional header is too short"));
      dd = opt + 112;
    }
  else
    {
      return fail (error, _("the optional header has an unknown format"));
    }
  pe.sections = opt + opt_size;
  if (pe.n_sections == 0 || pe.sections + (gsize) pe.n_sections * 40 > len)
    return fail (error, _("the section table is truncated"));

  /* Data directory 2 = resources; it must lie inside the optional header. */
  if (n_dirs <= 2 || dd + 3 * 8 > opt + opt_size ||
      !rd32 (data, len, dd + 16, &res_rva) || !rd32 (data, len, dd + 20, &res_size) ||
      res_rva == 0 || res_size < 16)
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                           _("The program file has no resources, so it carries no version "
                             "information."));
      return NULL;
    }
  /* The section may hold fewer bytes on disk than the directory claims: read what is there. */
  {
    gsize avail = rva_available (&pe, res_rva, &res_file_off);

    if (avail < 16)
      return fail (error, _("the resource directory lies outside the file"));
    res = data + res_file_off;
    res_size = (guint32) MIN ((gsize) res_size, avail);
  }

  if (!res_find (res, res_size, 0, RT_VERSION, &type_entry))
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                           _("The program file has no version resource."));
      return NULL;
    }
  if (!(type_entry & 0x80000000u) ||
      !res_find (res, res_size, type_entry & 0x7FFFFFFFu, -1, &name_entry) ||
      !(name_entry & 0x80000000u) ||
      /* US English strings when present (what support staff expect), else the first language. */
      (!res_find (res, res_size, name_entry & 0x7FFFFFFFu, 0x409, &lang_entry) &&
       !res_find (res, res_size, name_entry & 0x7FFFFFFFu, -1, &lang_entry)) ||
      (lang_entry & 0x80000000u))
    return fail (error, _("the version resource directory is damaged"));

  off = lang_entry;
  if (!rd32 (res, res_size, off, &data_rva) || !rd32 (res, res_size, (gsize) off + 4, &data_size))
    return fail (error, _("the version resource entry is truncated"));
  if (data_size < 6 || !rva_to_offset (&pe, data_rva, data_size, &ver_off))
    return fail (error, _("the version resource lies outside the file"));

  if (!parse_version_resource (data + ver_off, data_size, v, error))
    return NULL;
  return g_steal_pointer (&v);
}

MendPeVersion *
mend_pe_read_version (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  MendPeVersion *v;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && (guint64) st.st_size > MAX_PE_FILE)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("%s is too large to be a Remote Desktop program file."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      gboolean missing = g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, MEND_ERROR, missing ? MEND_ERROR_NOT_FOUND : MEND_ERROR_IO,
                   _("Cannot read %s: %s"), path, local->message);
      return NULL;
    }
  v = mend_pe_read_version_from_data ((const guint8 *) contents, len, error);
  if (v == NULL)
    g_prefix_error (error, "%s: ", path);
  return v;
}

char *
mend_pe_version_to_string (const MendPeVersion *version)
{
  return g_strdup_printf ("%u.%u.%u.%u", version->file_version[0], version->file_version[1],
                          version->file_version[2], version->file_version[3]);
}
