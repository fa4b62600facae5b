/* mend-rdpfile-findings.c — the rdpfile.* findings (CATALOG.md "Connection file") for a
 * `.rdp` file read by the parser in mend-rdpfile.c: unreadable or malformed lines, an RD
 * Gateway, and a summary of the address and the security-relevant settings. */
#include "formats/mend-rdpfile.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "base/mend-error.h"
#include "base/mend-finding.h"

#define MAX_INVALID_LINES  20                  /* evidence rows in rdpfile.invalid */

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
  guint port = 0;
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

  json_object_set_string_member (extra, "encoding", mend_rdpfile_get_encoding (file));
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
  if (mend_rdpfile_get_problems (file)->len > 0)
    g_ptr_array_add (findings, invalid_from_problems (target, path,
                                                      mend_rdpfile_get_problems (file)));
  if (mend_rdpfile_get_settings (file)->len == 0)
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
