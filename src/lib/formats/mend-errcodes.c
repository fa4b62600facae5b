/* mend-errcodes.c — the code parser, and the causes / checks / relevant findings per class
 * of code. The disconnect-reason tables themselves are in mend-errcodes-table.c. */
#include "formats/mend-errcodes.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "base/mend-error.h"

#define EXT_PROTOCOL_FIRST 0x1000
#define EXT_PROTOCOL_LAST  0x7FFF

/* Classes of main codes: causes and checks are written per class, not per row. */
typedef enum {
  CLASS_UNKNOWN,
  CLASS_NOT_ERROR,
  CLASS_NAME,
  CLASS_CONNECT,
  CLASS_TIMEOUT,
  CLASS_TRANSPORT,
  CLASS_SOCKET_CLOSED,
  CLASS_SECURITY,
  CLASS_LICENSING,
  CLASS_ACCOUNT,
  CLASS_DELEGATION,
  CLASS_AUTHORITY,
  CLASS_CERT_EXPIRED,
  CLASS_INTERNAL,
} CodeClass;

typedef enum {
  EXT_NONE,          /* absent or 0 */
  EXT_DENIED,        /* 7 */
  EXT_FIPS,          /* 8 */
  EXT_PRIVILEGES,    /* 9 */
  EXT_FRESH_CREDS,   /* 10 */
  EXT_SESSION,       /* 1–6, 11, 12, 25, 26: the session ended, setup did not fail */
  EXT_LICENSING,     /* 0x100–0x10B */
  EXT_CREDENTIALS,   /* 0x300 */
  EXT_PROTOCOL,      /* 0x1000–0x7FFF */
  EXT_UNKNOWN,
} ExtClass;

static CodeClass
classify_code (guint32 code)
{
  switch (code)
    {
    case 0x0: case 0x1: case 0x2: case 0x3:
      return CLASS_NOT_ERROR;
    case 0x104: case 0x208: case 0x308: case 0x508: case 0x604: case 0x804:
      return CLASS_NAME;
    case 0x204:
      return CLASS_CONNECT;
    case 0x108: case 0x704:
      return CLASS_TIMEOUT;
    case 0x304: case 0x404:
      return CLASS_TRANSPORT;
    case 0x904:
      return CLASS_SOCKET_CLOSED;
    case 0x406: case 0x506: case 0x606: case 0x706: case 0x906: case 0xA06:
    case 0xB06: case 0xC06:
      return CLASS_SECURITY;
    case 0x808: case 0x908:
      return CLASS_LICENSING;
    case 0x807: case 0xA07: case 0xB07: case 0xC07: case 0xD07: case 0xE07: case 0xF07:
    case 0x1207: case 0x1C07: case 0x2207:
      return CLASS_ACCOUNT;
    case 0x1607: case 0x1707: case 0x2107:
      return CLASS_DELEGATION;
    case 0x1807:
      return CLASS_AUTHORITY;
    case 0x1B07:
      return CLASS_CERT_EXPIRED;
    case 0x106: case 0x206: case 0x306: case 0x408: case 0x608: case 0xC08:
      return CLASS_INTERNAL;
    default:
      return CLASS_UNKNOWN;
    }
}

static ExtClass
classify_extended (guint32 ext, gboolean has_ext)
{
  if (!has_ext || ext == 0)
    return EXT_NONE;
  if (ext == 7)
    return EXT_DENIED;
  if (ext == 8)
    return EXT_FIPS;
  if (ext == 9)
    return EXT_PRIVILEGES;
  if (ext == 10)
    return EXT_FRESH_CREDS;
  if ((ext >= 1 && ext <= 6) || ext == 11 || ext == 12 || ext == 25 || ext == 26)
    return EXT_SESSION;
  if (ext >= 0x100 && ext <= 0x10B)
    return EXT_LICENSING;
  if (ext == 0x300)
    return EXT_CREDENTIALS;
  if (ext >= EXT_PROTOCOL_FIRST && ext <= EXT_PROTOCOL_LAST)
    return EXT_PROTOCOL;
  return EXT_UNKNOWN;
}

/* ---- parsing ----------------------------------------------------------------------- */

static gboolean
parse_number (const char  *text,
              const char  *whole,
              const char  *what,
              guint32     *out,
              GError     **error)
{
  const char *p = text;
  guint base = 10;
  guint64 value = 0;
  gsize n_digits = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an error code: the %s must not have a sign. "
                     "Type it as shown in the dialog, for example 0x904/0x7 or 2308/7."),
                   whole, what);
      return FALSE;
    }
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
    }
  for (; g_ascii_isxdigit (*p); p++, n_digits++)
    {
      guint digit = g_ascii_isdigit (*p) ? (guint) (*p - '0') : (guint) (g_ascii_tolower (*p) - 'a' + 10);

      if (digit >= base)
        break;
      value = value * base + digit;
      if (value > G_MAXUINT32)
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an error code: the %s is larger than 0xFFFFFFFF."),
                       whole, what);
          return FALSE;
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (n_digits == 0 || *p != '\0')
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an error code: the %s must be a decimal number or a "
                     "hexadecimal one starting with 0x, for example 0x904/0x7 or 2308/7."),
                   whole, what);
      return FALSE;
    }
  *out = (guint32) value;
  return TRUE;
}

gboolean
mend_errcode_parse (const char  *text,
                    guint32     *code,
                    guint32     *extended,
                    gboolean    *has_extended,
                    GError     **error)
{
  g_autofree char *main_part = NULL;
  const char *slash;
  guint32 c = 0, e = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                           _("The error code is not valid text. Type it as shown in the "
                             "dialog, for example 0x904/0x7."));
      return FALSE;
    }

  slash = strchr (text, '/');
  main_part = slash ? g_strndup (text, slash - text) : g_strdup (text);
  if (!parse_number (main_part, text, _("error code"), &c, error))
    return FALSE;
  if (slash != NULL && !parse_number (slash + 1, text, _("extended error code"), &e, error))
    return FALSE;

  if (code)
    *code = c;
  if (extended)
    *extended = e;
  if (has_extended)
    *has_extended = slash != NULL;
  return TRUE;
}

char *
mend_errcode_describe (guint32 code)
{
  const MendErrcodeEntry *entry = mend_errcode_lookup (code);

  if (entry != NULL)
    return g_strdup (_(entry->meaning));
  if (code == 0x1104)
    return g_strdup (_("Not in Microsoft's table; seen in the field as “a protocol error was "
                       "detected at the client”. Check the server's event log."));
  return g_strdup_printf (_("Code 0x%X is not documented by Microsoft. The wizard can still "
                            "check the usual causes of connection failures."), code);
}

char *
mend_errcode_describe_extended (guint32 extended)
{
  const MendErrcodeEntry *entry = mend_errcode_lookup_extended (extended);

  if (entry != NULL)
    return g_strdup (_(entry->meaning));
  if (extended >= EXT_PROTOCOL_FIRST && extended <= EXT_PROTOCOL_LAST)
    return g_strdup (_("A protocol error inside the Remote Desktop connection; the details "
                       "are in the server's event log."));
  return g_strdup_printf (_("Extended code 0x%X is not documented by Microsoft."), extended);
}

/* ---- relevant findings ------------------------------------------------------------- */

static const char * const findings_none[] = { NULL };

/* 0x904 with 0x7: the server (or a proxy on the way) refused during setup. Listener and
 * certificate/TLS causes first, then the path (firewall, port, gateway). */
static const char * const findings_socket_denied[] = {
  "server.listener-disabled", "server.rdp-disabled", "server.rdp-disabled-by-policy",
  "server.service-disabled", "server.servicedll-modified",
  "server.certificate-missing", "server.certificate-unusable", "server.certificate-expired",
  "server.selfsigned-expired", "server.tls-disabled",
  "probe.negotiation-failure", "probe.tls-failed", "probe.not-rdp",
  "server.security-layer-rdp", "probe.legacy-rdp-security", "server.security-policy-override",
  "events.rdp-certificate", "events.schannel-failure", "events.client-disconnect",
  "rdpfile.gateway", "server.firewall-closed", "server.port-nonstandard",
  "client.tls-disabled", "server.edition-cannot-host",
  "servicing.reboot-pending", "servicing.recent-upgrade", NULL
};

/* 0x904 without (or with another) extended code: same family, the path weighs more. */
static const char * const findings_socket_closed[] = {
  "probe.unreachable", "probe.negotiation-failure", "probe.tls-failed", "probe.not-rdp",
  "server.listener-disabled", "server.rdp-disabled", "server.rdp-disabled-by-policy",
  "server.service-disabled", "server.servicedll-modified",
  "server.certificate-missing", "server.certificate-unusable", "server.certificate-expired",
  "server.selfsigned-expired", "server.tls-disabled", "client.tls-disabled",
  "server.security-layer-rdp", "probe.legacy-rdp-security", "server.security-policy-override",
  "events.schannel-failure", "events.rdp-certificate", "events.client-disconnect",
  "rdpfile.gateway", "server.firewall-closed", "server.port-nonstandard",
  "server.edition-cannot-host", "servicing.reboot-pending", "servicing.recent-upgrade", NULL
};

static const char * const findings_connect[] = {
  "probe.unreachable", "server.rdp-disabled", "server.rdp-disabled-by-policy",
  "server.listener-disabled", "server.service-disabled", "server.servicedll-modified",
  "server.firewall-closed", "server.port-nonstandard", "server.edition-cannot-host",
  "rdpfile.summary", "rdpfile.gateway", "client.history", NULL
};

static const char * const findings_name[] = {
  "probe.unreachable", "rdpfile.summary", "rdpfile.invalid", "client.history", NULL
};

static const char * const findings_transport[] = {
  "probe.unreachable", "server.firewall-closed", "server.port-nonstandard",
  "rdpfile.gateway", "rdpfile.summary", "server.service-disabled", NULL
};

static const char * const findings_security[] = {
  "probe.negotiation-failure", "probe.tls-failed", "probe.certificate-expired",
  "probe.certificate-weak", "probe.legacy-rdp-security",
  "server.certificate-missing", "server.certificate-unusable", "server.certificate-expired",
  "server.selfsigned-expired", "server.tls-disabled", "client.tls-disabled",
  "server.security-layer-rdp", "server.security-policy-override",
  "events.schannel-failure", "events.rdp-certificate", NULL
};

static const char * const findings_licensing[] = {
  "client.mslicensing-damaged", "client.mslicensing-present", "client.registry-unwritable",
  NULL
};

static const char * const findings_account[] = {
  "events.access-denied", "rdpfile.summary", "client.history", NULL
};

static const char * const findings_delegation[] = {
  "client.credssp-force-updated", "client.credssp-vulnerable",
  "probe.negotiation-failure", "rdpfile.summary", "servicing.update-link", NULL
};

static const char * const findings_cert_expired[] = {
  "probe.certificate-expired", "server.certificate-expired", "server.selfsigned-expired",
  "probe.certificate-untrusted", "events.rdp-certificate", NULL
};

static const char * const findings_privileges[] = {
  "events.access-denied", NULL
};

static const char * const findings_protocol[] = {
  "events.client-disconnect", "events.schannel-failure", "probe.summary",
  "client.files-missing", "client.mstscax-unregistered", "servicing.update-link", NULL
};

static const char * const findings_unknown[] = {
  "events.client-disconnect", "probe.unreachable", "probe.negotiation-failure",
  "probe.tls-failed", "server.listener-disabled", "server.rdp-disabled",
  "server.certificate-missing", "server.certificate-unusable", "client.files-missing",
  NULL
};

const char * const *
mend_errcode_relevant_findings (guint32  code,
                                guint32  ext,
                                gboolean has_ext)
{
  ExtClass ec = classify_extended (ext, has_ext);

  /* An extended code narrower than the main one decides. */
  if (ec == EXT_LICENSING)
    return findings_licensing;
  if (ec == EXT_PRIVILEGES)
    return findings_privileges;
  if (ec == EXT_CREDENTIALS)
    return findings_account;
  if (ec == EXT_FRESH_CREDS)
    return findings_delegation;

  switch (classify_code (code))
    {
    case CLASS_NOT_ERROR:
      return ec == EXT_NONE || ec == EXT_SESSION ? findings_none : findings_unknown;
    case CLASS_NAME:
      return findings_name;
    case CLASS_CONNECT:
      return findings_connect;
    case CLASS_TIMEOUT:
    case CLASS_TRANSPORT:
      return findings_transport;
    case CLASS_SOCKET_CLOSED:
      if (ec == EXT_DENIED || ec == EXT_FIPS)
        return findings_socket_denied;
      if (ec == EXT_PROTOCOL)
        return findings_protocol;
      return findings_socket_closed;
    case CLASS_SECURITY:
      return findings_security;
    case CLASS_LICENSING:
      return findings_licensing;
    case CLASS_ACCOUNT:
      return findings_account;
    case CLASS_DELEGATION:
      return findings_delegation;
    case CLASS_AUTHORITY:
      return findings_account;
    case CLASS_CERT_EXPIRED:
      return findings_cert_expired;
    case CLASS_INTERNAL:
      return findings_protocol;
    case CLASS_UNKNOWN:
    default:
      return ec == EXT_PROTOCOL ? findings_protocol : findings_unknown;
    }
}

/* ---- causes and checks ------------------------------------------------------------- */

static const char * const causes_socket_denied[] = {
  N_("Remote Desktop or its RDP-Tcp listener is switched off on the server, or Remote Desktop Services is not running."),
  N_("The server cannot use its certificate for TLS: the self-signed “Remote Desktop” certificate cannot be created, a bound certificate is missing or expired, or its private key cannot be read."),
  N_("Security-layer mismatch: the server is set to the legacy RDP security layer while the client, a proxy or an RD Gateway insists on TLS, or the other way round; the one that gives up closes the connection."),
  N_("TLS cannot be negotiated: TLS 1.2 switched off in SCHANNEL, or a cipher-suite order policy leaves no common cipher."),
  N_("A firewall, security product or another program owns or blocks TCP port 3389 on the way to the listener."),
  NULL
};

static const char * const checks_socket_denied[] = {
  N_("On the server, “qwinsta” lists rdp-tcp in the Listen state; fDenyTSConnections is 0 and fEnableWinStation is 1 (also under Policies)."),
  N_("Certificates (Local Computer) › Remote Desktop holds a valid certificate; if not, delete it and restart Remote Desktop Services so it is recreated (event 1056; 1057/1058 mean it failed)."),
  N_("RDP-Tcp SSLCertificateSHA1Hash names a certificate that exists in the Personal store, is valid, has the Server Authentication EKU and whose private key NETWORK SERVICE can read."),
  N_("SecurityLayer is 1 (negotiate) or 2 (TLS) on the server, and any proxy or gateway in the path supports what the server selects."),
  N_("The System event log on the server for Schannel 36870, 36874 or 36888."),
  N_("“netstat -anob | findstr 3389” shows TermService (svchost) owning the port, and the Remote Desktop inbound firewall rules are enabled."),
  N_("Only if a dialog mentions CredSSP or “encryption oracle remediation”: update both computers (that is a different error, not 0x904)."),
  NULL
};

static const char * const causes_socket_closed[] = {
  N_("The server, or a device on the way (proxy, gateway, firewall, VPN), closed the connection during setup."),
  N_("The RDP listener is not running or is disabled on the server."),
  N_("The server's certificate or TLS configuration is broken, so it hangs up during the TLS handshake."),
  N_("Another remote-access agent or security product on the server interferes with the connection."),
  N_("A network device resets long-lived or unusual TLS connections."),
  NULL
};

static const char * const checks_socket_closed[] = {
  N_("Probe the server: does it answer the RDP negotiation, which protocol does it select, and does the TLS handshake complete?"),
  N_("On the server: the listener (qwinsta), Remote Desktop Services, the Remote Desktop certificate, SCHANNEL TLS 1.2, the firewall rules."),
  N_("On the client: event 1026 in Microsoft-Windows-TerminalServices-RDPClient/Operational gives the reason and the server name."),
  N_("Whether the connection goes through an RD Gateway or a proxy (the .rdp file's gateway settings)."),
  N_("Only if a dialog mentions CredSSP: update both computers."),
  NULL
};

static const char * const misconceptions_904[] = {
  N_("Extended code 0x7 is the server refusing the connection, not Windows error 7 (“storage control blocks destroyed”), bandwidth, licensing or a wrong password."),
  N_("Resetting MSLicensing helps only with licensing errors (0x808, 0x908, extended 0x100–0x10B); it does not fix 0x904."),
  N_("KB2923545 is the RDP 8.1 client for Windows 7 SP1, and re-registering mstscax.dll is not a documented fix on Windows 10 or 11; damaged system files are repaired with DISM and SFC."),
  N_("The servicing stack has shipped inside the cumulative update since 2021: install the latest cumulative update, not a separate SSU."),
  N_("“fsutil volume query” does not exist, and event 2050 is not a Remote Desktop event; the useful client event is 1026 (Reason=2308)."),
  N_("A CredSSP problem shows its own “authentication error … encryption oracle remediation” dialog, not 0x904."),
  NULL
};

static const char * const causes_connect[] = {
  N_("Remote Desktop is not enabled on the remote computer, or its edition cannot host it (Home)."),
  N_("The remote computer is off, asleep or not on the network."),
  N_("A firewall blocks TCP 3389 (or the custom port), or the server listens on a different port."),
  N_("Remote Desktop Services is disabled or its service DLL was replaced."),
  NULL
};

static const char * const checks_connect[] = {
  N_("Test-NetConnection HOST -Port 3389 (or psping HOST:3389) from the client."),
  N_("On the server: fDenyTSConnections is 0, the listener and TermService are enabled, PortNumber."),
  N_("The Remote Desktop inbound firewall rules are enabled for the active profile."),
  NULL
};

static const char * const causes_name[] = {
  N_("The computer name is misspelled or not registered in DNS."),
  N_("The client uses a DNS server that does not know internal names (VPN not connected)."),
  NULL
};

static const char * const checks_name[] = {
  N_("Resolve the name (nslookup HOST) or try the IP address."),
  N_("The address in the .rdp file (full address, alternate full address)."),
  NULL
};

static const char * const causes_transport[] = {
  N_("The network path drops or resets the connection (VPN, firewall, unstable link)."),
  N_("The server is overloaded or does not answer in time."),
  NULL
};

static const char * const checks_transport[] = {
  N_("Test-NetConnection HOST -Port 3389 and the round-trip time."),
  N_("Firewall rules on both sides and any RD Gateway in the path."),
  NULL
};

static const char * const causes_security[] = {
  N_("The server's certificate is damaged, expired or cannot be decoded."),
  N_("Client and server cannot agree on an encryption or TLS setting."),
  NULL
};

static const char * const checks_security[] = {
  N_("The certificate the server presents (probe), and the Remote Desktop certificate on the server."),
  N_("SCHANNEL TLS switches on both computers and the server's SecurityLayer and MinEncryptionLevel."),
  NULL
};

static const char * const causes_licensing[] = {
  N_("The client's cached Remote Desktop license (HKLM\\SOFTWARE\\Microsoft\\MSLicensing) is damaged or cannot be created."),
  N_("The RD Session Host has no license server or no free client access licenses."),
  NULL
};

static const char * const checks_licensing[] = {
  N_("Reset MSLicensing: back up and delete HKLM\\SOFTWARE\\Microsoft\\MSLicensing, then run Remote Desktop Connection once as administrator so it can recreate the key."),
  N_("On the server: RD Licensing Diagnoser and the licensing events."),
  NULL
};

static const char * const causes_account[] = {
  N_("The account cannot sign in: wrong or expired password, disabled, locked or restricted account."),
  N_("The user is not allowed to sign in through Remote Desktop (Remote Desktop Users group, user rights)."),
  NULL
};

static const char * const checks_account[] = {
  N_("Sign in locally with the same account, and check its password and status."),
  N_("Security event 4825 on the server (user denied Remote Desktop access)."),
  NULL
};

static const char * const causes_delegation[] = {
  N_("CredSSP policy on the client does not allow sending credentials to this server."),
  N_("Client and server are at different CredSSP patch levels (encryption oracle remediation)."),
  NULL
};

static const char * const checks_delegation[] = {
  N_("Credentials delegation policies and CredSSP AllowEncryptionOracle on the client."),
  N_("Install the latest cumulative update on both computers."),
  NULL
};

static const char * const causes_cert_expired[] = {
  N_("The server's Remote Desktop certificate has expired."),
  NULL
};

static const char * const checks_cert_expired[] = {
  N_("The certificate the server presents (probe) and the one bound to RDP-Tcp; rebind a valid certificate or let the self-signed one be recreated."),
  NULL
};

static const char * const causes_internal[] = {
  N_("A problem inside the client: low memory, a damaged Remote Desktop client, or a protocol error."),
  NULL
};

static const char * const checks_internal[] = {
  N_("mstsc.exe and mstscax.dll are present and intact (DISM /RestoreHealth, then sfc /scannow)."),
  N_("The client and server event logs for the time of the failure."),
  NULL
};

static const char * const causes_unknown[] = {
  N_("This code is not in Microsoft's table; the usual causes of failed connections still apply."),
  NULL
};

static const char * const checks_unknown[] = {
  N_("The client event 1026 and the server's event logs for the time of the failure."),
  N_("Probe the server for reachability, negotiation and TLS."),
  NULL
};

static const char * const causes_ext_protocol[] = {
  N_("The server detected a protocol error; the server's event log names it."),
  NULL
};

static const char * const checks_ext_protocol[] = {
  N_("The server's event logs (System, TerminalServices-*) at the time of the failure."),
  NULL
};

static const char * const causes_ext_privileges[] = {
  N_("The user is not in Remote Desktop Users (or Administrators) on the server, or is denied “Allow log on through Remote Desktop Services”."),
  NULL
};

static const char * const causes_ext_fips[] = {
  N_("The server enforces FIPS-compliant algorithms and the client offered none (or the legacy RDP security layer is in use)."),
  NULL
};

static char **
translate_list (const char * const *a, const char * const *b)
{
  GPtrArray *out = g_ptr_array_new ();

  for (; a != NULL && *a != NULL; a++)
    g_ptr_array_add (out, g_strdup (_(*a)));
  for (; b != NULL && *b != NULL; b++)
    g_ptr_array_add (out, g_strdup (_(*b)));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static const char *
summary_for (CodeClass cc, ExtClass ec)
{
  if (cc == CLASS_SOCKET_CLOSED && ec == EXT_DENIED)
    return N_("The connection was closed during setup and the server (or something acting for it, "
              "such as a proxy or gateway) refused it. This is a symptom, not a cause: the "
              "reason is found by checking the server's listener, certificate and TLS "
              "settings and the path to it.");
  if (cc == CLASS_SOCKET_CLOSED)
    return N_("The connection was closed by the server or by something on the way before the "
              "session started. Which side closed it, and why, is found by probing the server "
              "and checking its configuration.");
  if (ec == EXT_LICENSING || cc == CLASS_LICENSING)
    return N_("Remote Desktop licensing failed. This concerns RD Session Host servers with client "
              "access licenses; a plain Windows desktop does not use them.");
  if (ec == EXT_SESSION)
    return N_("The session ended normally or by an administrator's or the server's decision; the "
              "connection setup itself did not fail.");
  switch (cc)
    {
    case CLASS_NOT_ERROR:
      return N_("This is not an error.");
    case CLASS_NAME:
      return N_("The client could not turn the computer name into an address.");
    case CLASS_CONNECT:
      return N_("The client could not open a network connection to the server at all.");
    case CLASS_TIMEOUT:
    case CLASS_TRANSPORT:
      return N_("The network connection failed or stopped responding.");
    case CLASS_SECURITY:
    case CLASS_CERT_EXPIRED:
      return N_("The secure channel between client and server could not be set up.");
    case CLASS_ACCOUNT:
    case CLASS_AUTHORITY:
      return N_("The connection worked but signing in was refused.");
    case CLASS_DELEGATION:
      return N_("The client is not allowed to pass your credentials to this server.");
    case CLASS_INTERNAL:
      return N_("The Remote Desktop client hit an internal problem.");
    default:
      return N_("This error code is not documented by Microsoft.");
    }
}

MendErrcodeExplanation *
mend_errcode_explain (guint32  code,
                      guint32  extended,
                      gboolean has_extended)
{
  MendErrcodeExplanation *expl = g_new0 (MendErrcodeExplanation, 1);
  const MendErrcodeEntry *entry = mend_errcode_lookup (code);
  const MendErrcodeEntry *ext_entry = has_extended ? mend_errcode_lookup_extended (extended) : NULL;
  CodeClass cc = classify_code (code);
  ExtClass ec = classify_extended (extended, has_extended);
  const char * const *causes = causes_unknown, * const *checks = checks_unknown;
  const char * const *more_causes = NULL, * const *more_checks = NULL;

  expl->code = code;
  expl->extended = extended;
  expl->has_extended = has_extended;
  expl->code_text = g_strdup_printf ("0x%X (%u)", code, code);
  expl->documented = entry != NULL;
  expl->name = entry ? g_strdup (entry->name) : NULL;
  expl->meaning = mend_errcode_describe (code);
  if (has_extended)
    {
      expl->extended_text = g_strdup_printf ("0x%X (%u)", extended, extended);
      expl->extended_name = ext_entry ? g_strdup (ext_entry->name)
                            : (ec == EXT_PROTOCOL ? g_strdup ("exDiscReasonProtocolRange") : NULL);
      expl->extended_meaning = mend_errcode_describe_extended (extended);
    }
  expl->summary = g_strdup (_(summary_for (cc, ec)));

  switch (cc)
    {
    case CLASS_NOT_ERROR:
      causes = NULL;
      checks = NULL;
      break;
    case CLASS_NAME: causes = causes_name; checks = checks_name; break;
    case CLASS_CONNECT: causes = causes_connect; checks = checks_connect; break;
    case CLASS_TIMEOUT:
    case CLASS_TRANSPORT: causes = causes_transport; checks = checks_transport; break;
    case CLASS_SOCKET_CLOSED:
      if (ec == EXT_DENIED || ec == EXT_FIPS)
        {
          causes = causes_socket_denied;
          checks = checks_socket_denied;
        }
      else
        {
          causes = causes_socket_closed;
          checks = checks_socket_closed;
        }
      break;
    case CLASS_SECURITY: causes = causes_security; checks = checks_security; break;
    case CLASS_LICENSING: causes = causes_licensing; checks = checks_licensing; break;
    case CLASS_ACCOUNT:
    case CLASS_AUTHORITY: causes = causes_account; checks = checks_account; break;
    case CLASS_DELEGATION: causes = causes_delegation; checks = checks_delegation; break;
    case CLASS_CERT_EXPIRED: causes = causes_cert_expired; checks = checks_cert_expired; break;
    case CLASS_INTERNAL: causes = causes_internal; checks = checks_internal; break;
    case CLASS_UNKNOWN:
    default: break;
    }

  /* The extended code adds (or, for licensing, replaces) what to look at. */
  switch (ec)
    {
    case EXT_LICENSING:
      causes = causes_licensing;
      checks = checks_licensing;
      break;
    case EXT_PRIVILEGES:
    case EXT_CREDENTIALS:
      more_causes = ec == EXT_PRIVILEGES ? causes_ext_privileges : causes_account;
      more_checks = checks_account;
      break;
    case EXT_FIPS:
      more_causes = causes_ext_fips;
      break;
    case EXT_FRESH_CREDS:
      more_causes = causes_delegation;
      more_checks = checks_delegation;
      break;
    case EXT_PROTOCOL:
      more_causes = causes_ext_protocol;
      more_checks = checks_ext_protocol;
      break;
    case EXT_SESSION:
      causes = NULL;
      checks = NULL;
      break;
    default:
      break;
    }

  expl->causes = translate_list (causes, more_causes);
  expl->checks = translate_list (checks, more_checks);
  expl->misconceptions = translate_list (cc == CLASS_SOCKET_CLOSED ? misconceptions_904 : NULL, NULL);
  expl->findings = mend_errcode_relevant_findings (code, extended, has_extended);
  return expl;
}

void
mend_errcode_explanation_free (MendErrcodeExplanation *expl)
{
  if (expl == NULL)
    return;
  g_free (expl->code_text);
  g_free (expl->extended_text);
  g_free (expl->name);
  g_free (expl->meaning);
  g_free (expl->extended_name);
  g_free (expl->extended_meaning);
  g_free (expl->summary);
  g_strfreev (expl->causes);
  g_strfreev (expl->checks);
  g_strfreev (expl->misconceptions);
  g_free (expl);
}

static void
add_string_array (JsonBuilder *b, const char *member, const char * const *strv)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (; strv != NULL && *strv != NULL; strv++)
    json_builder_add_string_value (b, *strv);
  json_builder_end_array (b);
}

JsonNode *
mend_errcode_explanation_to_json (const MendErrcodeExplanation *expl)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *hex = g_strdup_printf ("0x%X", expl->code);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, expl->code);
  json_builder_set_member_name (b, "code_hex");
  json_builder_add_string_value (b, hex);
  json_builder_set_member_name (b, "documented");
  json_builder_add_boolean_value (b, expl->documented);
  if (expl->name)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, expl->name);
    }
  json_builder_set_member_name (b, "meaning");
  json_builder_add_string_value (b, expl->meaning);
  if (expl->has_extended)
    {
      g_autofree char *ext_hex = g_strdup_printf ("0x%X", expl->extended);

      json_builder_set_member_name (b, "extended");
      json_builder_add_int_value (b, expl->extended);
      json_builder_set_member_name (b, "extended_hex");
      json_builder_add_string_value (b, ext_hex);
      if (expl->extended_name)
        {
          json_builder_set_member_name (b, "extended_name");
          json_builder_add_string_value (b, expl->extended_name);
        }
      json_builder_set_member_name (b, "extended_meaning");
      json_builder_add_string_value (b, expl->extended_meaning);
    }
  json_builder_set_member_name (b, "summary");
  json_builder_add_string_value (b, expl->summary);
  add_string_array (b, "causes", (const char * const *) expl->causes);
  add_string_array (b, "checks", (const char * const *) expl->checks);
  add_string_array (b, "misconceptions", (const char * const *) expl->misconceptions);
  add_string_array (b, "findings", expl->findings);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
