/* mend-rdpfile.c — `.rdp` parser (DOMAIN.md §9) and the rdpfile.* findings. The parser
 * never trusts the file: encodings are validated, every line is bounded, values are checked
 * against their declared type. */
#include "formats/mend-rdpfile.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <errno.h>

#include "base/mend-error.h"
#include "base/mend-finding.h"

#define MAX_FILE_SIZE      (8 * 1024 * 1024)   /* mstsc files are a few KiB */
#define MAX_PROBLEM_TEXT   200
#define MAX_INVALID_LINES  20                  /* evidence rows in rdpfile.invalid */
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

/* ---- findings ---------------------------------------------------------------------- */

static MendFinding *
new_finding (const char *target, const char *id, MendSeverity severity, const char *title)
{
  MendFinding *f = mend_finding_new (id, severity, MEND_CONFIDENCE_CONFIRMED, title);

  mend_finding_set_target (f, target);
  mend_finding_set_check (f, "rdpfile");
  return f;
}

static void
add_setting_evidence (MendFinding *f, const char *path, const MendRdpSetting *s)
{
  g_autofree char *where = g_strdup_printf ("%s (line %u)", s->name, s->line);

  mend_finding_add_evidence (f, "file", path, where, s->value);
}

static MendFinding *
invalid_from_error (const char *target, const char *path, const GError *error)
{
  MendFinding *f = new_finding (target, "rdpfile.invalid", MEND_SEVERITY_PROBLEM,
                                _("The connection file cannot be read"));

  mend_finding_set_detail (f, error->message);
  mend_finding_add_evidence (f, "file", path, NULL, error->message);
  return f;
}

static MendFinding *
invalid_from_problems (const char *target, const char *path, GPtrArray *problems)
{
  MendRdpProblem *first = g_ptr_array_index (problems, 0);
  MendFinding *f = new_finding (target, "rdpfile.invalid", MEND_SEVERITY_PROBLEM,
                                _("The connection file has malformed lines"));
  JsonArray *lines = json_array_new ();
  GString *detail = g_string_new (NULL);

  g_string_append_printf (detail,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u line is not name:type:value and is ignored by Remote Desktop Connection; the first is line %u: %s.",
                                       "%u lines are not name:type:value and are ignored by Remote Desktop Connection; the first is line %u: %s.",
                                       problems->len),
                          problems->len, first->line, first->message);
  g_string_append (detail, _(" Edit the file in a text editor or save it again from Remote Desktop Connection."));
  mend_finding_take_detail (f, g_string_free (detail, FALSE));

  for (guint i = 0; i < problems->len; i++)
    {
      MendRdpProblem *p = g_ptr_array_index (problems, i);

      json_array_add_int_element (lines, p->line);
      if (i < MAX_INVALID_LINES)
        {
          g_autofree char *where = g_strdup_printf ("line %u", p->line);
          g_autofree char *data = g_strdup_printf ("%s — %s", p->text, p->message);

          mend_finding_add_evidence (f, "file", path, where, data);
        }
    }
  json_object_set_int_member (mend_finding_get_extra (f), "line", first->line);
  json_object_set_array_member (mend_finding_get_extra (f), "lines", lines);
  return f;
}

static const char *
gateway_method_label (gint64 method)
{
  switch (method)
    {
    case 0: return N_("do not use a gateway");
    case 1: return N_("always use the gateway");
    case 2: return N_("use the gateway if a direct connection fails");
    case 3: return N_("use the default gateway settings");
    case 4: return N_("do not use a gateway; bypass it for local addresses");
    default: return NULL;
    }
}

static const char *
gateway_credentials_label (gint64 source)
{
  switch (source)
    {
    case 0: return N_("ask for a password (NTLM)");
    case 1: return N_("smart card");
    case 2: return N_("the signed-in user's credentials");
    case 3: return N_("basic authentication");
    case 4: return N_("choose later");
    case 5: return N_("authentication cookie");
    default: return NULL;
    }
}

static MendFinding *
gateway_finding (const char *target, const char *path, MendRdpFile *file)
{
  const MendRdpSetting *host_s = mend_rdpfile_lookup (file, "gatewayhostname");
  const MendRdpSetting *method_s = mend_rdpfile_lookup (file, "gatewayusagemethod");
  const MendRdpSetting *cred_s = mend_rdpfile_lookup (file, "gatewaycredentialssource");
  g_autofree char *host = host_s ? g_strstrip (g_strdup (host_s->value)) : NULL;
  gboolean has_host = host != NULL && *host != '\0';
  gint64 method = -1, cred = -1;
  gboolean has_method = mend_rdpfile_get_integer (file, "gatewayusagemethod", &method);
  gboolean has_cred = mend_rdpfile_get_integer (file, "gatewaycredentialssource", &cred);
  gboolean uses_gateway = has_method && (method == 1 || method == 2);
  g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func (g_free);
  GString *detail;
  MendFinding *f;
  JsonObject *extra;

  if (!has_host && !uses_gateway)
    return NULL;

  if (uses_gateway && !has_host)
    g_ptr_array_add (issues, g_strdup (_("A gateway is to be used but gatewayhostname is empty: "
                                         "the connection cannot go through the gateway.")));
  if (has_host && has_method && (method == 0 || method == 4))
    g_ptr_array_add (issues, g_strdup_printf (_("A gateway (%s) is named but gatewayusagemethod "
                                                "is %" G_GINT64_FORMAT " (do not use): the "
                                                "gateway is ignored and the server must be "
                                                "reachable directly."),
                                              host, method));
  if (method_s != NULL && (!has_method || gateway_method_label (method) == NULL))
    g_ptr_array_add (issues, g_strdup_printf (_("gatewayusagemethod “%s” is not a known value (0–4)."),
                                              method_s->value));
  if (cred_s != NULL && (!has_cred || gateway_credentials_label (cred) == NULL))
    g_ptr_array_add (issues, g_strdup_printf (_("gatewaycredentialssource “%s” is not a known value (0–5)."),
                                              cred_s->value));

  f = new_finding (target, "rdpfile.gateway",
                   issues->len > 0 ? MEND_SEVERITY_WARNING : MEND_SEVERITY_INFO,
                   issues->len > 0 ? _("The connection file's gateway settings are inconsistent")
                                   : _("The connection goes through a Remote Desktop Gateway"));
  detail = g_string_new (NULL);
  g_string_append_printf (detail, _("Gateway: %s."), has_host ? host : _("(none)"));
  if (has_method && gateway_method_label (method))
    g_string_append_printf (detail, _(" Usage: %s."), _(gateway_method_label (method)));
  else if (!has_method)
    g_string_append (detail, _(" Usage: not set (Remote Desktop Connection's default)."));
  if (has_cred && gateway_credentials_label (cred))
    g_string_append_printf (detail, _(" Credentials: %s."), _(gateway_credentials_label (cred)));
  for (guint i = 0; i < issues->len; i++)
    g_string_append_printf (detail, " %s", (char *) g_ptr_array_index (issues, i));
  if (uses_gateway && has_host && issues->len == 0)
    g_string_append (detail, _(" A socket closed during setup (0x904) can come from the gateway: "
                               "check its certificate and that it accepts this user."));
  mend_finding_take_detail (f, g_string_free (detail, FALSE));

  extra = mend_finding_get_extra (f);
  if (has_host)
    json_object_set_string_member (extra, "gateway_host", host);
  if (has_method)
    json_object_set_int_member (extra, "gateway_usage_method", method);
  if (has_cred)
    json_object_set_int_member (extra, "gateway_credentials_source", cred);
  json_object_set_boolean_member (extra, "consistent", issues->len == 0);

  if (host_s)
    add_setting_evidence (f, path, host_s);
  if (method_s)
    add_setting_evidence (f, path, method_s);
  if (cred_s)
    add_setting_evidence (f, path, cred_s);
  {
    const MendRdpSetting *s;

    if ((s = mend_rdpfile_lookup (file, "gatewayprofileusagemethod")))
      add_setting_evidence (f, path, s);
    if ((s = mend_rdpfile_lookup (file, "promptcredentialonce")))
      add_setting_evidence (f, path, s);
  }
  return f;
}

/* Security-relevant integer settings and their defaults (DOMAIN.md §9). */
typedef struct {
  const char *name;
  gint64      default_value;
  const char *note;   /* N_(), shown when the value differs; %s = the value */
} SecurityDefault;

static const SecurityDefault security_defaults[] = {
  { "authentication level", 3,
    N_("authentication level is %s (0 connect without warning, 1 do not connect, 2 warn; the default 3 sets no requirement)") },
  { "enablecredsspsupport", 1,
    N_("enablecredsspsupport is %s: CredSSP (Network Level Authentication) is not used, so servers that require it refuse the connection") },
  { "negotiate security layer", 1,
    N_("negotiate security layer is %s: the client does not negotiate the security layer") },
  { "prompt for credentials", 0,
    N_("prompt for credentials is %s: the client asks for credentials before connecting") },
  { "use redirection server name", 0,
    N_("use redirection server name is %s (Connection Broker redirection)") },
  { "enablerdsaadauth", 0,
    N_("enablerdsaadauth is %s: Microsoft Entra authentication is used") },
  { "targetisaadjoined", 0,
    N_("targetisaadjoined is %s: the target is joined to Microsoft Entra ID") },
  { "disableconnectionsharing", 0,
    N_("disableconnectionsharing is %s") },
};

/* The 12-byte header rdpsign puts before the CMS signature. */
static gboolean
signature_looks_valid (const char *value)
{
  g_autoptr(GString) compact = g_string_new (NULL);
  g_autofree guchar *raw = NULL;
  gsize len = 0;
  guint32 body;

  for (const char *p = value; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '+' || *p == '/' || *p == '=')
        g_string_append_c (compact, *p);
      else if (!g_ascii_isspace (*p))
        return FALSE;
    }
  if (compact->len == 0 || compact->len % 4 != 0)
    return FALSE;
  raw = g_base64_decode (compact->str, &len);
  if (raw == NULL || len < 12)
    return FALSE;
  if (memcmp (raw, "\x01\x00\x01\x00\x01\x00\x00\x00", 8) != 0)
    return FALSE;
  body = raw[8] | (raw[9] << 8) | (raw[10] << 16) | ((guint32) raw[11] << 24);
  return body == len - 12;
}

static MendFinding *
summary_finding (const char *target, const char *path, MendRdpFile *file)
{
  g_autofree char *host = NULL;
  const char *from = NULL;
  guint port = DEFAULT_RDP_PORT;
  const MendRdpSetting *scope = mend_rdpfile_lookup (file, "signscope");
  const MendRdpSetting *signature = mend_rdpfile_lookup (file, "signature");
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  JsonArray *differing = json_array_new ();
  GString *detail;
  MendFinding *f;
  JsonObject *extra;

  f = new_finding (target, "rdpfile.summary", MEND_SEVERITY_INFO,
                   _("Connection file settings"));
  extra = mend_finding_get_extra (f);
  detail = g_string_new (NULL);

  if (mend_rdpfile_get_address (file, &host, &port, &from))
    {
      g_string_append_printf (detail, _("Connects to %s, port %u (from “%s”)."), host, port, from);
      json_object_set_string_member (extra, "host", host);
      json_object_set_int_member (extra, "port", port);
      json_object_set_string_member (extra, "address_setting", from);
      add_setting_evidence (f, path, mend_rdpfile_lookup (file, from));
      if (g_strcmp0 (from, "alternate full address") == 0 &&
          mend_rdpfile_get_string (file, "full address") != NULL)
        g_string_append (detail, _(" “alternate full address” overrides “full address”, as in "
                                   "Remote Desktop Connection."));
    }
  else if (mend_rdpfile_lookup (file, "full address") || mend_rdpfile_lookup (file, "alternate full address"))
    {
      g_string_append (detail, _("The address in the file is not a valid HOST or HOST:PORT."));
    }
  else
    {
      g_string_append (detail, _("The file names no server (“full address” is missing)."));
    }
  {
    const MendRdpSetting *sp = mend_rdpfile_lookup (file, "server port");

    if (sp)
      add_setting_evidence (f, path, sp);
  }

  for (guint i = 0; i < G_N_ELEMENTS (security_defaults); i++)
    {
      const SecurityDefault *d = &security_defaults[i];
      const MendRdpSetting *s = mend_rdpfile_lookup (file, d->name);

      if (s == NULL || s->type != MEND_RDP_TYPE_INTEGER || s->integer == d->default_value)
        continue;
      g_ptr_array_add (notes, g_strdup_printf (_(d->note), s->value));
      json_array_add_string_element (differing, d->name);
      add_setting_evidence (f, path, s);
    }
  {
    const char *kdc = mend_rdpfile_get_string (file, "kdcproxyname");

    if (kdc != NULL && *kdc != '\0')
      {
        g_ptr_array_add (notes, g_strdup_printf (_("Kerberos goes through the KDC proxy %s"), kdc));
        json_array_add_string_element (differing, "kdcproxyname");
      }
  }
  if (notes->len > 0)
    {
      g_string_append (detail, _(" Security settings that differ from the defaults: "));
      for (guint i = 0; i < notes->len; i++)
        g_string_append_printf (detail, "%s%s", i ? "; " : "", (char *) g_ptr_array_index (notes, i));
      g_string_append_c (detail, '.');
    }
  else
    {
      g_string_append (detail, _(" Security settings are at their defaults."));
    }
  json_object_set_array_member (extra, "non_default_security", differing);

  if (signature != NULL || scope != NULL)
    {
      gboolean valid = signature != NULL && scope != NULL && signature_looks_valid (signature->value);

      if (valid)
        g_string_append_printf (detail, _(" The file is signed; the signature covers: %s."), scope->value);
      else if (signature == NULL)
        g_string_append (detail, _(" The file has a signscope line but no signature: it is not signed."));
      else if (scope == NULL)
        g_string_append (detail, _(" The file has a signature but no signscope line: Remote Desktop "
                                   "Connection will treat the publisher as unknown."));
      else
        g_string_append (detail, _(" The file's signature is not in the format rdpsign writes: "
                                   "Remote Desktop Connection will treat the publisher as unknown."));
      json_object_set_boolean_member (extra, "signed", valid);
      if (scope)
        add_setting_evidence (f, path, scope);
    }
  else
    {
      json_object_set_boolean_member (extra, "signed", FALSE);
    }

  json_object_set_string_member (extra, "encoding", file->encoding);
  mend_finding_take_detail (f, g_string_free (detail, FALSE));
  return f;
}

/* Findings for an already parsed (or unparseable) file. */
static GPtrArray *
diagnose_parsed (const char *path, MendRdpFile *file, const GError *load_error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *target = g_strconcat ("rdpfile:", path, NULL);
  MendFinding *gw;

  if (file == NULL)
    {
      g_ptr_array_add (findings, invalid_from_error (target, path, load_error));
      return g_steal_pointer (&findings);
    }
  if (file->problems->len > 0)
    g_ptr_array_add (findings, invalid_from_problems (target, path, file->problems));
  if (file->settings->len == 0)
    {
      MendFinding *f = new_finding (target, "rdpfile.invalid", MEND_SEVERITY_PROBLEM,
                                    _("The connection file holds no settings"));

      mend_finding_set_detail (f, _("The file holds no name:type:value lines. Save the connection "
                                    "again from Remote Desktop Connection."));
      g_ptr_array_add (findings, f);
      return g_steal_pointer (&findings);
    }
  if (mend_rdpfile_get_string (file, "full address") == NULL &&
      mend_rdpfile_get_string (file, "alternate full address") == NULL)
    {
      MendFinding *f = new_finding (target, "rdpfile.invalid", MEND_SEVERITY_PROBLEM,
                                    _("The connection file names no server"));

      mend_finding_set_detail (f, _("“full address”, the only setting a connection file must "
                                    "have, is missing. Open the file in Remote Desktop "
                                    "Connection, enter the computer name and save it again."));
      g_ptr_array_add (findings, f);
    }
  if ((gw = gateway_finding (target, path, file)) != NULL)
    g_ptr_array_add (findings, gw);
  g_ptr_array_add (findings, summary_finding (target, path, file));
  return g_steal_pointer (&findings);
}

GPtrArray *
mend_rdpfile_diagnose_data (const char   *path,
                            const guint8 *data,
                            gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendRdpFile) file = mend_rdpfile_parse (data, len, MEND_RDPFILE_PARSE_LENIENT, &error);

  return diagnose_parsed (path, file, error);
}

GPtrArray *
mend_rdpfile_diagnose (const char *path, GError **error)
{
  g_autoptr(MendRdpFile) file = NULL;
  g_autoptr(GError) local = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                           _("No connection file was given."));
      return NULL;
    }
  file = mend_rdpfile_load (path, MEND_RDPFILE_PARSE_LENIENT, &local);
  return diagnose_parsed (path, file, local);
}
