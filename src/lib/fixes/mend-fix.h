/* mend-fix.h — what a fix implementation sees: its context and the builders it computes
 * its changes and steps with. mend-plan.c turns the result into a MendPlan; nothing here
 * knows plans. Not installed. */
#pragma once

#include "fixes/mend-change.h"
#include "registry/mend-registry.h"
#include "target/mend-target.h"

G_BEGIN_DECLS

typedef struct {
  const char   *fix_id;
  MendTarget   *target;
  MendRegistry *registry;
  GHashTable   *params;   /* never NULL; "thumbprint", "value", ... */
  gint64        now;      /* unix seconds */
  /* What the fix produces (the plan's own arrays; steps and notes NULL-terminated). */
  GPtrArray    *changes;  /* MendChange* */
  GPtrArray    *steps;    /* char* */
  GPtrArray    *notes;    /* char* */
  char         *warning;  /* set when applying lowers security */
  char         *link;     /* a link to open, or NULL */
} MendFixContext;

typedef gboolean (*MendFixBuildFunc) (MendFixContext *ctx, GError **error);

typedef struct {
  const char         *id;
  const char * const *params;   /* accepted --param keys, NULL-terminated; NULL = none */
  MendFixBuildFunc    build;
} MendFixImpl;

/* Same order and length as mend_fix_list_all(). */
const MendFixImpl *mend_fix_impl_lookup (const char *fix_id);

/* Builders: each compares with what is there now and records a change only when
 * something differs (so an already-fixed target gives an empty plan). */
gboolean mend_fix_set_value    (MendFixContext *ctx, const char *path, MendRegValue *value,
                                const char *description, GError **error);   /* takes VALUE */
gboolean mend_fix_delete_value (MendFixContext *ctx, const char *path, const char *name,
                                const char *description, GError **error);
gboolean mend_fix_delete_tree  (MendFixContext *ctx, const char *path,
                                const char *description, GError **error);
/* Adds create-key changes for PATH and each missing ancestor, top down. */
gboolean mend_fix_create_key   (MendFixContext *ctx, const char *path, GError **error);
/* MEND_ERROR_NOT_FOUND with a message naming the key when PATH is absent. */
gboolean mend_fix_require_key  (MendFixContext *ctx, const char *path, GError **error);
/* TRUE when the hive holding PATH exists; otherwise MEND_ERROR_NOT_FOUND. */
gboolean mend_fix_require_hive (MendFixContext *ctx, const char *path, GError **error);

void     mend_fix_add_step     (MendFixContext *ctx, const char *step);
void     mend_fix_set_warning  (MendFixContext *ctx, const char *warning);
void     mend_fix_set_link     (MendFixContext *ctx, const char *link);
/* A note for people when nothing needs changing, or to explain a choice. */
void     mend_fix_add_note     (MendFixContext *ctx, const char *note);

/* The fixes (one file each under src/lib/fixes/). */
gboolean mend_fix_reset_mslicensing       (MendFixContext *ctx, GError **error);
gboolean mend_fix_rebind_certificate      (MendFixContext *ctx, GError **error);
gboolean mend_fix_enable_tls12            (MendFixContext *ctx, GError **error);
gboolean mend_fix_set_credssp_mitigated   (MendFixContext *ctx, GError **error);
gboolean mend_fix_enable_rdp              (MendFixContext *ctx, GError **error);
gboolean mend_fix_enable_listener         (MendFixContext *ctx, GError **error);
gboolean mend_fix_enable_services         (MendFixContext *ctx, GError **error);
gboolean mend_fix_restore_servicedll      (MendFixContext *ctx, GError **error);
gboolean mend_fix_set_security_negotiate  (MendFixContext *ctx, GError **error);
gboolean mend_fix_enable_firewall_rule    (MendFixContext *ctx, GError **error);
gboolean mend_fix_open_update_catalog     (MendFixContext *ctx, GError **error);

/* enable-firewall-rule's rule-string edit (exposed for tests): NULL when already active. */
char    *mend_firewall_rule_activate (const char *rule);
/* open-update-catalog's link for a build (exposed for tests). */
char    *mend_update_catalog_link    (gint64 build, const char *display_version,
                                      gboolean windows11, gboolean server);

#define MEND_PATH_TERMINAL_SERVER "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
#define MEND_PATH_RDP_TCP MEND_PATH_TERMINAL_SERVER "\\WinStations\\RDP-Tcp"
#define MEND_PATH_SERVICES "HKLM\\SYSTEM\\CurrentControlSet\\Services"

G_END_DECLS
