/* mend-probe.h — probes a remote RDP listener over the network (X.224 negotiation, TLS,
 * certificate, TLS versions, NLA) and turns what it saw into CATALOG.md "probe.*" findings. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MEND_PROBE_DEFAULT_PORT    3389
#define MEND_PROBE_DEFAULT_TIMEOUT 5.0

#define MEND_TYPE_PROBE (mend_probe_get_type ())
G_DECLARE_FINAL_TYPE (MendProbe, mend_probe, MEND, PROBE, GObject)

/* HOST_PORT: "HOST", "HOST:PORT", "[IPV6]" or "[IPV6]:PORT" (a bare IPv6 literal without
 * a port is accepted too). Fails with MEND_ERROR_INVALID_ARGUMENT on anything else. */
MendProbe   *mend_probe_new          (const char *host_port, GError **error);
const char  *mend_probe_get_host     (MendProbe *self);
guint16      mend_probe_get_port     (MendProbe *self);
/* "probe:HOST:PORT" ("probe:[::1]:3389" for IPv6), the findings' target. */
const char  *mend_probe_get_target   (MendProbe *self);
/* Bound for each step (resolve, connect, reply, each TLS handshake), in seconds. */
void         mend_probe_set_timeout  (MendProbe *self, double seconds);
double       mend_probe_get_timeout  (MendProbe *self);
/* Fixed "now" for certificate validity (tests); 0 = real time. */
void         mend_probe_set_now      (MendProbe *self, gint64 unix_seconds);

/* Runs in a worker thread. Fails only when cancelled (G_IO_ERROR_CANCELLED); everything the
 * server does (or does not do) is a finding. */
void         mend_probe_run_async    (MendProbe *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean     mend_probe_run_finish   (MendProbe *self, GAsyncResult *result, GError **error);
/* Blocking; for the CLI, the session's worker threads and tests. */
gboolean     mend_probe_run          (MendProbe *self, GCancellable *cancellable,
                                      GError **error);

/* MendFinding*, in the order found; empty before a run. */
GPtrArray   *mend_probe_get_findings (MendProbe *self);

/* Runs every MendProbe in PROBES with at most MAX_PARALLEL at a time (0 = 16). */
void         mend_probe_run_many_async  (GPtrArray *probes, guint max_parallel,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean     mend_probe_run_many_finish (GAsyncResult *result, GError **error);
gboolean     mend_probe_run_many        (GPtrArray *probes, guint max_parallel,
                                         GCancellable *cancellable, GError **error);

G_END_DECLS
