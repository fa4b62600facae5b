/* mend-checks-private.h — check functions and shared helpers inside librdpmend. */
#pragma once

#include "checks/mend-check.h"

G_BEGIN_DECLS

#define MEND_KEY_TS        "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
#define MEND_KEY_RDPTCP    MEND_KEY_TS "\\WinStations\\RDP-Tcp"
#define MEND_KEY_TS_POLICY "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
#define MEND_KEY_SERVICES  "HKLM\\SYSTEM\\CurrentControlSet\\Services"
#define MEND_KEY_SCHANNEL  "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"
#define MEND_KEY_CREDSSP   "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"
#define MEND_KEY_MSLICENSING "HKLM\\SOFTWARE\\Microsoft\\MSLicensing"
#define MEND_KEY_SYSCERTS  "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates"
#define MEND_KEY_FIREWALL  MEND_KEY_SERVICES "\\SharedAccess\\Parameters\\FirewallPolicy"
#define MEND_KEY_CURRENTVERSION "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

void mend_check_image_hives      (MendCheckContext *ctx);
void mend_check_system_identity  (MendCheckContext *ctx);
void mend_check_server_rules     (MendCheckContext *ctx);
void mend_check_client_rules     (MendCheckContext *ctx);
void mend_check_servicedll       (MendCheckContext *ctx);
void mend_check_server_tls       (MendCheckContext *ctx);
void mend_check_client_tls       (MendCheckContext *ctx);
void mend_check_edition          (MendCheckContext *ctx);
void mend_check_firewall         (MendCheckContext *ctx);
void mend_check_certificates     (MendCheckContext *ctx);
void mend_check_mslicensing      (MendCheckContext *ctx);
void mend_check_client_files     (MendCheckContext *ctx);
void mend_check_mstscax          (MendCheckContext *ctx);
void mend_check_client_history   (MendCheckContext *ctx);
void mend_check_reboot_pending   (MendCheckContext *ctx);
void mend_check_recent_upgrade   (MendCheckContext *ctx);
void mend_check_update_link      (MendCheckContext *ctx);

/* TRUE and *OUT when the DWORD exists; FALSE when absent or of another type. */
gboolean mend_checks_read_dword  (MendCheckContext *ctx, const char *path, const char *name,
                                  guint32 *out);
/* The update-catalog search link for a build (KB2923545 for Windows 7/8.1). */
char    *mend_checks_update_catalog_link (const MendSystemInfo *info);

/* TLS protocol state under SCHANNEL for side "Client" or "Server". */
typedef enum { MEND_TLS_DEFAULT_ON, MEND_TLS_DEFAULT_OFF, MEND_TLS_ENABLED, MEND_TLS_DISABLED } MendTlsState;
MendTlsState mend_checks_tls_state (MendCheckContext *ctx, const char *proto, const char *side,
                                    gint64 build);

G_END_DECLS
