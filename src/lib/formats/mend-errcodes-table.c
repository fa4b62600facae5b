/* mend-errcodes-table.c — Microsoft's disconnect-reason tables (DOMAIN.md §1.1/§1.2) as
 * data, and the lookups over them. Parsing, classes, causes and checks are in
 * mend-errcodes.c. */
#include "formats/mend-errcodes.h"

#include <glib/gi18n-lib.h>

/* Main disconnect reasons (IMsTscAxEvents::OnDisconnected discReason). Meanings are our
 * own wording of Microsoft's table. */
static const MendErrcodeEntry main_table[] = {
  { 0x0, "disconnectReasonNoInfo", N_("No information is available.") },
  { 0x1, "disconnectReasonLocalNotError", N_("The connection was closed on this computer; this is not an error.") },
  { 0x2, "disconnectReasonRemoteByUser", N_("A user on the remote side disconnected; this is not an error.") },
  { 0x3, "disconnectReasonByServer", N_("The server ended the connection; this is not an error.") },
  { 0x104, "disconnectReasonDNSLookupFailed", N_("The server name could not be resolved (DNS lookup failed).") },
  { 0x106, "disconnectReasonOutOfMemory", N_("The client ran out of memory.") },
  { 0x108, "disconnectReasonConnectionTimedOut", N_("The connection attempt timed out.") },
  { 0x204, "disconnectReasonSocketConnectFailed", N_("The network connection to the server could not be opened: remote access may be off, the computer may be off, or it is not reachable on the network.") },
  { 0x206, "disconnectReasonOutOfMemory2", N_("The client ran out of memory.") },
  { 0x208, "disconnectReasonHostNotFound", N_("The server could not be found.") },
  { 0x304, "disconnectReasonWinsockSendFailed", N_("Sending data to the server failed.") },
  { 0x306, "disconnectReasonOutOfMemory3", N_("The client ran out of memory.") },
  { 0x308, "disconnectReasonInvalidIPAddr", N_("The IP address is not valid.") },
  { 0x404, "disconnectReasonSocketRecvFailed", N_("Receiving data from the server failed.") },
  { 0x406, "disconnectReasonInvalidSecurityData", N_("The security data is not valid.") },
  { 0x408, "disconnectReasonInternalError", N_("An internal error occurred in the client.") },
  { 0x506, "disconnectReasonInvalidEncryption", N_("The encryption method is not valid.") },
  { 0x508, "disconnectReasonDNSLookupFailed2", N_("The server name could not be resolved (DNS lookup failed).") },
  { 0x604, "disconnectReasonGetHostByNameFailed", N_("Looking up the server's address by name failed.") },
  { 0x606, "disconnectReasonInvalidServerSecurityInfo", N_("The security data sent by the server is not valid.") },
  { 0x608, "disconnectReasonTimerError", N_("An internal timer error occurred.") },
  { 0x704, "disconnectReasonTimeoutOccurred", N_("A time-out occurred.") },
  { 0x706, "disconnectReasonServerCertificateUnpackErr", N_("The server's certificate could not be decoded.") },
  { 0x804, "disconnectReasonInvalidIP", N_("A bad IP address was given.") },
  { 0x807, "SSL_ERR_LOGON_FAILURE", N_("Signing in failed.") },
  { 0x808, "disconnectReasonLicensingFailed", N_("License negotiation with the server failed.") },
  { 0x904, "disconnectReasonAtClientWinsockFDCLOSE", N_("The network connection was closed (socket closed) by the server or by something between client and server.") },
  { 0x906, "disconnectReasonInternalSecurityError", N_("An internal security error occurred.") },
  { 0x908, "disconnectReasonLicensingTimeout", N_("License negotiation timed out.") },
  { 0xA06, "disconnectReasonInternalSecurityError2", N_("An internal security error occurred.") },
  { 0xA07, "SSL_ERR_NO_SUCH_USER", N_("The user has no account on the remote computer.") },
  { 0xB06, "disconnectReasonEncryptionError", N_("An encryption error occurred.") },
  { 0xB07, "SSL_ERR_ACCOUNT_DISABLED", N_("The user account is disabled.") },
  { 0xC06, "disconnectReasonDecryptionError", N_("A decryption error occurred.") },
  { 0xC07, "SSL_ERR_ACCOUNT_RESTRICTION", N_("An account restriction prevents signing in.") },
  { 0xC08, "disconnectReasonClientDecompressionError", N_("The client could not decompress data from the server.") },
  { 0xD07, "SSL_ERR_ACCOUNT_LOCKED_OUT", N_("The user account is locked out.") },
  { 0xE07, "SSL_ERR_ACCOUNT_EXPIRED", N_("The user account has expired.") },
  { 0xF07, "SSL_ERR_PASSWORD_EXPIRED", N_("The user's password has expired.") },
  { 0x1207, "SSL_ERR_PASSWORD_MUST_CHANGE", N_("The password must be changed before the first sign-in.") },
  { 0x1607, "SSL_ERR_DELEGATION_POLICY", N_("Policy does not allow the credentials to be delegated to this server.") },
  { 0x1707, "SSL_ERR_POLICY_NTLM_ONLY", N_("Credentials cannot be delegated because only NTLM was available (no mutual authentication).") },
  { 0x1807, "SSL_ERR_NO_AUTHENTICATING_AUTHORITY", N_("No authority (domain controller) could be contacted to sign in.") },
  { 0x1B07, "SSL_ERR_CERT_EXPIRED", N_("The certificate received has expired.") },
  { 0x1C07, "SSL_ERR_SMARTCARD_WRONG_PIN", N_("The smart card PIN is wrong.") },
  { 0x2107, "SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER", N_("The server's policy does not accept saved credentials; type them again.") },
  { 0x2207, "SSL_ERR_SMARTCARD_CARD_BLOCKED", N_("The smart card is blocked.") },
};

/* Extended reasons (IMsRdpClient::ExtendedDisconnectReason). 25/26 come from the newer type
 * library only; exDiscReasonLogoffByUser is 12 (one page revision wrongly says 2). */
static const MendErrcodeEntry extended_table[] = {
  { 0, "exDiscReasonNoInfo", N_("No additional information.") },
  { 1, "exDiscReasonAPIInitiatedDisconnect", N_("An application ended the connection.") },
  { 2, "exDiscReasonAPIInitiatedLogoff", N_("An application signed the user out.") },
  { 3, "exDiscReasonServerIdleTimeout", N_("The server's idle time limit was reached.") },
  { 4, "exDiscReasonServerLogonTimeout", N_("The session or sign-in time limit was reached.") },
  { 5, "exDiscReasonReplacedByOtherConnection", N_("Another connection took over the session.") },
  { 6, "exDiscReasonOutOfMemory", N_("The server ran out of memory.") },
  { 7, "exDiscReasonServerDeniedConnection", N_("The server denied (refused) the connection.") },
  { 8, "exDiscReasonServerDeniedConnectionFips", N_("The server denied the connection for security reasons (FIPS policy).") },
  { 9, "exDiscReasonServerInsufficientPrivileges", N_("The server denied the connection: the user lacks the privilege to sign in remotely.") },
  { 10, "exDiscReasonServerFreshCredsRequired", N_("The server requires credentials to be typed again.") },
  { 11, "exDiscReasonRpcInitiatedDisconnectByUser", N_("User activity on the server ended the connection.") },
  { 12, "exDiscReasonLogoffByUser", N_("The user signed out.") },
  { 25, "exDiscReasonShutdown", N_("The remote computer is shutting down.") },
  { 26, "exDiscReasonReboot", N_("The remote computer is restarting.") },
  { 0x100, "exDiscReasonLicenseInternal", N_("An internal licensing error occurred.") },
  { 0x101, "exDiscReasonLicenseNoLicenseServer", N_("No Remote Desktop license server is available.") },
  { 0x102, "exDiscReasonLicenseNoLicense", N_("No valid Remote Desktop client access license is available.") },
  { 0x103, "exDiscReasonLicenseErrClientMsg", N_("The server received an invalid licensing message from the client.") },
  { 0x104, "exDiscReasonLicenseHwidDoesntMatchLicense", N_("The client's hardware ID does not match the one in its license.") },
  { 0x105, "exDiscReasonLicenseErrClientLicense", N_("The client's license is not valid.") },
  { 0x106, "exDiscReasonLicenseCantFinishProtocol", N_("A network problem interrupted the licensing exchange.") },
  { 0x107, "exDiscReasonLicenseClientEndedProtocol", N_("The client ended the licensing exchange early.") },
  { 0x108, "exDiscReasonLicenseErrClientEncryption", N_("A licensing message was not encrypted correctly.") },
  { 0x109, "exDiscReasonLicenseCantUpgradeLicense", N_("The client access license could not be upgraded or renewed.") },
  { 0x10A, "exDiscReasonLicenseNoRemoteConnections", N_("The remote computer is not licensed to accept remote connections.") },
  { 0x10B, "exDiscReasonLicenseCreatingLicStoreAccDenied", N_("Access was denied while creating the license store in this computer's registry (MSLicensing).") },
  { 0x300, "exDiscReasonRdpEncInvalidCredentials", N_("The credentials are not valid.") },
};

/* ---- lookup ------------------------------------------------------------------------ */

static const MendErrcodeEntry *
find_entry (const MendErrcodeEntry *table, gsize n, guint32 code)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].code == code)
      return &table[i];
  return NULL;
}

const MendErrcodeEntry *
mend_errcode_lookup (guint32 code)
{
  return find_entry (main_table, G_N_ELEMENTS (main_table), code);
}

const MendErrcodeEntry *
mend_errcode_lookup_extended (guint32 extended)
{
  return find_entry (extended_table, G_N_ELEMENTS (extended_table), extended);
}

const MendErrcodeEntry *
mend_errcode_get_table (guint *n_entries)
{
  if (n_entries)
    *n_entries = G_N_ELEMENTS (main_table);
  return main_table;
}

const MendErrcodeEntry *
mend_errcode_get_extended_table (guint *n_entries)
{
  if (n_entries)
    *n_entries = G_N_ELEMENTS (extended_table);
  return extended_table;
}
