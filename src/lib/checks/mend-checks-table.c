/* mend-checks-table.c — every check against a Windows installation, in run order. */
#include "checks/mend-checks-private.h"
#include "checks/mend-checks-events.h"

#include <glib/gi18n-lib.h>

static const MendCheck checks[] = {
  { "image.hives", N_("Registry hives are readable and complete"), MEND_CHECK_SIDE_SYSTEM, mend_check_image_hives },
  { "system.identity", N_("Windows version and edition"), MEND_CHECK_SIDE_SYSTEM, mend_check_system_identity },
  { "server.settings", N_("Remote Desktop is switched on and listening"), MEND_CHECK_SIDE_SERVER, mend_check_server_rules },
  { "server.servicedll", N_("Remote Desktop Services program (termsrv.dll)"), MEND_CHECK_SIDE_SERVER, mend_check_servicedll },
  { "server.tls", N_("TLS protocols allowed for incoming connections"), MEND_CHECK_SIDE_SERVER, mend_check_server_tls },
  { "server.edition", N_("This edition can accept connections"), MEND_CHECK_SIDE_SERVER, mend_check_edition },
  { "server.firewall", N_("Firewall lets Remote Desktop in"), MEND_CHECK_SIDE_SERVER, mend_check_firewall },
  { "server.certificate", N_("Remote Desktop certificate"), MEND_CHECK_SIDE_SERVER, mend_check_certificates },
  { "client.settings", N_("CredSSP settings of Remote Desktop Connection"), MEND_CHECK_SIDE_CLIENT, mend_check_client_rules },
  { "client.mslicensing", N_("Remote Desktop licence store (MSLicensing)"), MEND_CHECK_SIDE_CLIENT, mend_check_mslicensing },
  { "client.tls", N_("TLS protocols allowed for outgoing connections"), MEND_CHECK_SIDE_CLIENT, mend_check_client_tls },
  { "client.files", N_("Remote Desktop Connection program files"), MEND_CHECK_SIDE_CLIENT, mend_check_client_files },
  { "client.mstscax", N_("Remote Desktop ActiveX control registration"), MEND_CHECK_SIDE_CLIENT, mend_check_mstscax },
  { "client.history", N_("Servers this computer connected to"), MEND_CHECK_SIDE_CLIENT, mend_check_client_history },
  { "servicing.reboot", N_("No restart is pending"), MEND_CHECK_SIDE_SERVICING, mend_check_reboot_pending },
  { "servicing.upgrade", N_("Recent upgrade or reset"), MEND_CHECK_SIDE_SERVICING, mend_check_recent_upgrade },
  { "servicing.update", N_("Latest cumulative update"), MEND_CHECK_SIDE_SERVICING, mend_check_update_link },
  { "events.client-disconnect", N_("Remote Desktop client disconnects in the event log"), MEND_CHECK_SIDE_EVENTS, mend_check_events_client_disconnect },
  { "events.schannel-failure", N_("Schannel TLS errors in the event log"), MEND_CHECK_SIDE_EVENTS, mend_check_events_schannel_failure },
  { "events.rdp-certificate", N_("Remote Desktop certificate events"), MEND_CHECK_SIDE_EVENTS, mend_check_events_rdp_certificate },
  { "events.access-denied", N_("Refused Remote Desktop sign-ins in the event log"), MEND_CHECK_SIDE_EVENTS, mend_check_events_access_denied },
};

const MendCheck *
mend_checks_get_all (guint *n_checks)
{
  *n_checks = G_N_ELEMENTS (checks);
  return checks;
}
