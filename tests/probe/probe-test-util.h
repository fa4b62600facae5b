/* probe-test-util.h — shared helpers of the probe integration tests: findings lookup and
 * the hostile peer process. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "base/mend-finding.h"
#include "probe/mend-probe.h"

G_BEGIN_DECLS

/* The first finding with ID, or NULL. */
MendFinding *probe_find          (MendProbe *probe, const char *id);
/* Extra member NAME of finding ID as a string ("" when absent); aborts when ID is missing. */
const char  *probe_extra_string  (MendProbe *probe, const char *id, const char *name);
/* "probe.summary" extra member object NAME, or NULL. */
JsonObject  *probe_summary_object (MendProbe *probe, const char *name);
/* Every finding id, joined by spaces (for failure messages). */
char        *probe_ids           (MendProbe *probe);
/* Runs a fresh probe on HOST_PORT with TIMEOUT; returns it after the run. */
MendProbe   *probe_run           (const char *host_port, double timeout);

typedef struct {
  GSubprocess *process;
  GHashTable  *ports;     /* mode → port (GUINT_TO_POINTER) */
} HostilePeer;

/* Starts $MEND_HOSTILE_PEER with MODES (NULL-terminated) and optional PCAP. */
HostilePeer *hostile_peer_start  (const char *pcap, const char * const *modes);
guint16      hostile_peer_port   (HostilePeer *peer, const char *mode);
void         hostile_peer_stop   (HostilePeer *peer);

G_END_DECLS
