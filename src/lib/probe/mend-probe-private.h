/* mend-probe-private.h — the probe's network steps (mend-probe-net.c), shared with the
 * orchestration and findings in mend-probe.c. Not installed. */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "probe/mend-x224.h"

G_BEGIN_DECLS

/* What a modern Windows client asks for (SSL | HYBRID | HYBRID_EX). */
#define MEND_PROBE_REQUEST_MODERN (MEND_RDP_PROTOCOL_SSL | MEND_RDP_PROTOCOL_HYBRID | \
                                   MEND_RDP_PROTOCOL_HYBRID_EX)

typedef struct {
  const char        *name;       /* "1.0" */
  gnutls_protocol_t  version;
  const char        *priority;   /* GnuTLS priority string offering only that version */
} MendProbeTlsVersion;

#define MEND_PROBE_N_TLS_VERSIONS 4
extern const MendProbeTlsVersion mend_probe_tls_versions[MEND_PROBE_N_TLS_VERSIONS];
/* Every version from TLS 1.0 to 1.3, old ciphers included. */
extern const char * const mend_probe_priority_all;

typedef enum {
  NEG_CONNECT_FAILED,     /* probe.unreachable */
  NEG_NOT_RDP,            /* probe.not-rdp */
  NEG_CONFIRM,            /* a parsed X.224 confirm */
} MendProbeNegOutcome;

typedef struct {
  MendProbeNegOutcome       outcome;
  const char      *reason;      /* static: finding reason */
  char            *detail;      /* human text */
  GByteArray      *reply;       /* every byte received */
  MendX224Confirm  cc;
  double           rtt_ms;
  GSocket         *socket;      /* kept open after a confirm when asked */
} MendProbeNeg;

typedef struct {
  gboolean   completed;
  gboolean   not_offered;       /* not tried: local policy, or the server never answered */
  gboolean   timed_out;
  char      *error;
  char      *version;           /* "1.2" */
  char      *description;       /* gnutls_session_get_desc */
  GBytes    *cert_der;
  guint      verify_status;
  gboolean   have_status;
} MendProbeTls;

typedef struct {
  const char    *host;
  guint16        port;
  gboolean       host_is_ip;
  GCancellable  *cancellable;
  gint64         step_us;
  GList         *addresses;     /* GInetAddress*, resolved */
  GInetAddress  *address;       /* the one that accepted */
} MendProbeRun;

void      mend_probe_neg_clear (MendProbeNeg *r);
void      mend_probe_tls_clear (MendProbeTls *t);
gboolean  mend_probe_is_cancelled (const GError *error);
/* "03 00 00 13 …": the first 48 bytes in hex. */
char     *mend_probe_hex_excerpt (const guint8 *data, gsize len);

/* Fills RUN->addresses (an IP literal needs no lookup). FALSE with MEND_ERROR_PROBE_DNS
 * when the name does not resolve within the step, or when cancelled. */
gboolean  mend_probe_resolve   (MendProbeRun *run, GError **error);
/* One connection: connect, Connection Request for REQUESTED, read the confirm. KEEP leaves
 * the socket open in R after a confirm. FALSE only when cancelled. */
gboolean  mend_probe_negotiate (MendProbeRun *run, guint32 requested, gboolean keep,
                                MendProbeNeg *r, GError **error);
/* TLS on SOCK with PRIORITY; ONLY_VERSION (or GNUTLS_VERSION_UNKNOWN) must survive the
 * system policy or the attempt is marked not offered. FALSE only when cancelled. */
gboolean  mend_probe_tls_handshake (MendProbeRun *run, GSocket *sock, const char *priority,
                                    gnutls_protocol_t only_version, MendProbeTls *t,
                                    GError **error);

/* TLS alone, CredSSP alone, standard security alone, and each TLS version. */
#define MEND_PROBE_MAX_QUESTIONS (3 + MEND_PROBE_N_TLS_VERSIONS)

/* One follow-up connection (a negotiation, optionally a TLS handshake limited to one
 * version), run in its own thread so that a probe's questions overlap. */
typedef struct {
  MendProbeRun              *run;
  guint32                    requested;
  const MendProbeTlsVersion *tls;     /* NULL: negotiation only */
  MendProbeNeg              *neg;
  MendProbeNeg               own_neg; /* used when NEG is NULL */
  MendProbeTls              *out;
  GError                    *error;   /* cancellation */
  gboolean                   ok;
} MendProbeQuestion;

typedef struct {
  MendProbeQuestion *qs;
  guint     n;
  GError   *error;
  gboolean  ok;
} MendProbeAskAll;

/* HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 literal; MEND_ERROR_INVALID_ARGUMENT. */
gboolean  mend_probe_parse_host_port (const char *input, char **host, guint16 *port,
                                      GError **error);
/* A reply as a short name: the selected protocol, the failure code's name, "legacy", or the
 * reason it failed; *OWNED receives any string made for unknown values. */
const char *mend_probe_neg_answer       (const MendProbeNeg *r, char **owned);
gboolean    mend_probe_neg_selects_tls  (const MendProbeNeg *r);
gboolean    mend_probe_neg_is_failure   (const MendProbeNeg *r, guint32 code);
/* Runs N questions, at most 3 at a time; FALSE if any was cancelled. */
gboolean    mend_probe_ask_all          (MendProbeQuestion *qs, guint n, GError **error);
/* mend_probe_ask_all on a MendProbeAskAll, as a GThread function. */
gpointer    mend_probe_ask_all_thread   (gpointer data);
/* The TLS versions still to try over TLS_PROTOCOL (not the one the first handshake already
 * settled, none after a first handshake that timed out); fills QS, returns how many. */
guint       mend_probe_add_version_questions (MendProbeRun *run, guint32 tls_protocol,
                                              const MendProbeTls *main_tls,
                                              MendProbeTls *versions, MendProbeQuestion *qs);

G_END_DECLS
