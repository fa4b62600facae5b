/* mend-probe.c — MendProbe: resolve, connect, X.224 negotiation, TLS on the same socket
 * (GnuTLS driven over the raw non-blocking fd so each attempt has its own priority string),
 * then one short connection per question (NLA, each TLS version). Every step has a deadline. */
#include "mend-probe.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mend-cert.h"
#include "mend-error.h"
#include "mend-finding.h"
#include "mend-x224.h"

/* What a modern Windows client asks for (SSL | HYBRID | HYBRID_EX). */
#define REQUEST_MODERN (MEND_RDP_PROTOCOL_SSL | MEND_RDP_PROTOCOL_HYBRID | \
                        MEND_RDP_PROTOCOL_HYBRID_EX)

/* Old servers speak only TLS 1.0 with RC4 or 3DES and RSA key exchange; offer them too:
 * the probe wants to learn what the server accepts, not to protect data. */
#define PRIORITY_EXTRAS ":+3DES-CBC:+ARCFOUR-128:+MD5:+SHA1:+RSA:%COMPAT"
#define PRIORITY_ALL "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1" PRIORITY_EXTRAS

static const struct {
  const char *name;
  gnutls_protocol_t version;
  const char *priority;
} tls_versions[] = {
  { "1.0", GNUTLS_TLS1_0, "NORMAL:-VERS-ALL:+VERS-TLS1.0" PRIORITY_EXTRAS },
  { "1.1", GNUTLS_TLS1_1, "NORMAL:-VERS-ALL:+VERS-TLS1.1" PRIORITY_EXTRAS },
  { "1.2", GNUTLS_TLS1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2" PRIORITY_EXTRAS },
  { "1.3", GNUTLS_TLS1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3" PRIORITY_EXTRAS },
};

struct _MendProbe
{
  GObject    parent_instance;

  char      *host;        /* without brackets */
  guint16    port;
  char      *target;
  double     timeout;
  gint64     now;
  gboolean   host_is_ip;

  GPtrArray *findings;    /* MendFinding* */
};

G_DEFINE_FINAL_TYPE (MendProbe, mend_probe, G_TYPE_OBJECT)

typedef enum {
  NEG_CONNECT_FAILED,     /* probe.unreachable */
  NEG_NOT_RDP,            /* probe.not-rdp */
  NEG_CONFIRM,            /* a parsed X.224 confirm */
} NegOutcome;

typedef struct {
  NegOutcome       outcome;
  const char      *reason;      /* static: finding reason */
  char            *detail;      /* human text */
  GByteArray      *reply;       /* every byte received */
  MendX224Confirm  cc;
  double           rtt_ms;
  GSocket         *socket;      /* kept open after a confirm when asked */
} NegResult;

typedef struct {
  gboolean   completed;
  gboolean   not_offered;       /* the local GnuTLS policy would not offer that version */
  char      *error;
  char      *version;           /* "1.2" */
  char      *description;       /* gnutls_session_get_desc */
  GBytes    *cert_der;
  guint      verify_status;
  gboolean   have_status;
} TlsAttempt;

typedef struct {
  MendProbe     *self;
  GCancellable  *cancellable;
  gint64         step_us;
  GList         *addresses;     /* GInetAddress*, resolved */
  GInetAddress  *address;       /* the one that accepted */
} RunCtx;

static void
neg_result_clear (NegResult *r)
{
  g_clear_pointer (&r->detail, g_free);
  g_clear_pointer (&r->reply, g_byte_array_unref);
  if (r->socket != NULL)
    g_socket_close (r->socket, NULL);
  g_clear_object (&r->socket);
}

static void
tls_attempt_clear (TlsAttempt *t)
{
  g_clear_pointer (&t->error, g_free);
  g_clear_pointer (&t->version, g_free);
  g_clear_pointer (&t->description, g_free);
  g_clear_pointer (&t->cert_der, g_bytes_unref);
}

static gboolean
is_cancelled (GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Printable excerpt of what a peer sent (for details and evidence). */
static char *
excerpt (const guint8 *data, gsize len)
{
  GString *s = g_string_new (NULL);
  gsize n = MIN (len, 48);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%s%02X", i ? " " : "", data[i]);
  if (len > n)
    g_string_append (s, " …");
  return g_string_free (s, FALSE);
}

static char *
printable_prefix (const guint8 *data, gsize len)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < len && i < 40 && data[i] != '\r' && data[i] != '\n'; i++)
    g_string_append_c (s, g_ascii_isprint (data[i]) ? data[i] : '.');
  return g_string_free (s, FALSE);
}

/* ---- host parsing ---------------------------------------------------------------- */

static gboolean
valid_host_name (const char *host)
{
  if (*host == '\0' || strlen (host) > 253)
    return FALSE;
  for (const char *p = host; *p; p++)
    {
      guchar c = *p;
      if (c < 0x80 && !g_ascii_isalnum (c) && c != '-' && c != '.' && c != '_')
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_host_port (const char *input, char **host, guint16 *port, GError **error)
{
  g_autofree char *h = NULL;
  const char *port_str = NULL;
  guint64 p = MEND_PROBE_DEFAULT_PORT;

  if (input == NULL || *input == '\0')
    goto bad;

  if (input[0] == '[')
    {
      const char *close = strchr (input, ']');
      if (close == NULL)
        goto bad;
      h = g_strndup (input + 1, close - input - 1);
      if (!g_hostname_is_ip_address (h) || strchr (h, ':') == NULL)
        goto bad;
      if (close[1] == ':')
        port_str = close + 2;
      else if (close[1] != '\0')
        goto bad;
    }
  else if (strchr (input, ':') != strrchr (input, ':'))
    {
      /* Several colons without brackets: only a bare IPv6 literal makes sense. */
      if (!g_hostname_is_ip_address (input))
        goto bad;
      h = g_strdup (input);
    }
  else
    {
      const char *colon = strchr (input, ':');
      h = colon ? g_strndup (input, colon - input) : g_strdup (input);
      if (colon)
        port_str = colon + 1;
      if (!valid_host_name (h))
        goto bad;
    }

  if (port_str != NULL)
    {
      if (*port_str == '\0' || !g_ascii_string_to_unsigned (port_str, 10, 1, 65535, &p, NULL))
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
                       _("“%s” has an invalid port: use a number from 1 to 65535."), input);
          return FALSE;
        }
    }

  *host = g_steal_pointer (&h);
  *port = (guint16) p;
  return TRUE;

bad:
  g_set_error (error, MEND_ERROR, MEND_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a host to probe: use HOST, HOST:PORT or [IPv6]:PORT."),
               input ? input : "");
  return FALSE;
}

/* ---- findings ---------------------------------------------------------------------- */

static MendFinding *
add_finding (MendProbe      *self,
             const char     *id,
             MendSeverity    severity,
             MendConfidence  confidence,
             const char     *title,
             char           *detail)
{
  MendFinding *f = mend_finding_new (id, severity, confidence, title);

  mend_finding_set_target (f, self->target);
  mend_finding_set_check (f, "probe");
  if (detail != NULL)
    mend_finding_take_detail (f, detail);
  g_ptr_array_add (self->findings, f);
  return f;
}

static char *
host_port_string (MendProbe *self)
{
  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->host, self->port);
  return g_strdup_printf ("%s:%u", self->host, self->port);
}

static void
add_reply_evidence (MendProbe *self, MendFinding *f, const char *what, GByteArray *reply)
{
  g_autofree char *hp = host_port_string (self);
  g_autofree char *hex = NULL;

  if (reply == NULL || reply->len == 0)
    return;
  hex = excerpt (reply->data, reply->len);
  mend_finding_add_evidence (f, "network", hp, what, hex);
}

/* ---- socket steps ------------------------------------------------------------------ */

static gboolean
wait_until (GSocket *sock, GIOCondition cond, gint64 deadline, GCancellable *cancellable,
            GError **error)
{
  gint64 remaining = deadline - g_get_monotonic_time ();

  if (remaining <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("Timed out"));
      return FALSE;
    }
  return g_socket_condition_timed_wait (sock, cond, remaining, cancellable, error);
}

static const char *
reason_from_connect_error (const GError *error)
{
  if (error->domain != G_IO_ERROR)
    return "unreachable";
  switch (error->code)
    {
    case G_IO_ERROR_CONNECTION_REFUSED:
      return "refused";
    case G_IO_ERROR_TIMED_OUT:
      return "timeout";
    case G_IO_ERROR_CONNECTION_CLOSED:   /* also EPIPE / ECONNRESET */
      return "reset";
    default:
      return "unreachable";
    }
}

static GSocket *
connect_one (RunCtx *ctx, GInetAddress *address, GError **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GError) local = NULL;

  sock = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return NULL;
  g_socket_set_blocking (sock, FALSE);
  sa = g_inet_socket_address_new (address, ctx->self->port);
  if (!g_socket_connect (sock, sa, ctx->cancellable, &local))
    {
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_clear_error (&local);
      if (!wait_until (sock, G_IO_OUT, g_get_monotonic_time () + ctx->step_us,
                       ctx->cancellable, error))
        return NULL;
      if (!g_socket_check_connect_result (sock, error))
        return NULL;
    }
  return g_steal_pointer (&sock);
}

/* Connects to the address that worked before, or tries each resolved address in turn. */
static GSocket *
connect_any (RunCtx *ctx, GError **error)
{
  g_autoptr(GError) first = NULL;

  if (ctx->address != NULL)
    return connect_one (ctx, ctx->address, error);

  for (GList *l = ctx->addresses; l != NULL; l = l->next)
    {
      g_autoptr(GError) local = NULL;
      GSocket *sock = connect_one (ctx, l->data, &local);

      if (sock != NULL)
        {
          ctx->address = g_object_ref (l->data);
          return sock;
        }
      if (is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (first == NULL)
        first = g_steal_pointer (&local);
    }
  if (first == NULL)
    g_set_error_literal (&first, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                         _("No address to connect to"));
  g_propagate_error (error, g_steal_pointer (&first));
  return NULL;
}

static gboolean
send_all (RunCtx *ctx, GSocket *sock, GBytes *bytes, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize sent = 0;
  gint64 deadline = g_get_monotonic_time () + ctx->step_us;

  while (sent < len)
    {
      g_autoptr(GError) local = NULL;
      gssize n = g_socket_send (sock, (const char *) data + sent, len - sent,
                                ctx->cancellable, &local);
      if (n < 0)
        {
          if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (!wait_until (sock, G_IO_OUT, deadline, ctx->cancellable, error))
            return FALSE;
          continue;
        }
      sent += n;
    }
  return TRUE;
}

static void
set_not_rdp (NegResult *r, const char *reason, char *detail)
{
  r->outcome = NEG_NOT_RDP;
  r->reason = reason;
  r->detail = detail;
}

/* Reads exactly one TPKT (never more, so TLS bytes stay in the socket) within one step
 * deadline, classifying anything else as soon as its first bytes show what it is. */
static gboolean
read_confirm (RunCtx *ctx, GSocket *sock, NegResult *r, GError **error)
{
  guint8 buf[MEND_X224_CONFIRM_MAX_LEN];
  gsize got = 0;
  gsize need = MEND_TPKT_HEADER_LEN;
  gint64 deadline = g_get_monotonic_time () + ctx->step_us;
  double secs = ctx->step_us / (double) G_USEC_PER_SEC;

  while (got < need)
    {
      g_autoptr(GError) local = NULL;
      gssize n;

      if (!wait_until (sock, G_IO_IN, deadline, ctx->cancellable, &local))
        {
          if (is_cancelled (local))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (got == 0)
            set_not_rdp (r, "silent",
                         g_strdup_printf (_("The connection was accepted but nothing came back "
                                            "within %.1f s of the X.224 Connection Request."),
                                          secs));
          else
            set_not_rdp (r, "slow",
                         g_strdup_printf (_("Only %u bytes of the reply arrived within %.1f s. "
                                            "This is either an RDP server on a very slow link "
                                            "or not an RDP server."),
                                          (guint) got, secs));
          return TRUE;
        }

      n = g_socket_receive (sock, (char *) buf + got, need - got, ctx->cancellable, &local);
      if (n < 0)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            continue;
          if (is_cancelled (local))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          r->outcome = NEG_CONNECT_FAILED;
          r->reason = "reset";
          r->detail = g_strdup_printf (_("The server reset the connection after the X.224 "
                                         "Connection Request (%s). This is what Remote "
                                         "Desktop reports as error 0x904."),
                                       local->message);
          return TRUE;
        }
      if (n == 0)
        {
          if (got == 0)
            set_not_rdp (r, "closed",
                         g_strdup (_("The server accepted the connection and closed it "
                                     "without a reply to the X.224 Connection Request. This is "
                                     "what Remote Desktop reports as error 0x904.")));
          else
            set_not_rdp (r, "truncated",
                         g_strdup_printf (_("The server closed the connection after %u bytes "
                                            "of a reply that announced %u."),
                                          (guint) got, (guint) need));
          return TRUE;
        }
      g_byte_array_append (r->reply, buf + got, n);
      got += n;

      switch (mend_x224_peek (buf, got))
        {
        case MEND_X224_PEEK_HTTP:
          {
            g_autofree char *line = NULL;
            gssize more;

            /* Whatever else is already here, without waiting: the status line. */
            more = g_socket_receive (sock, (char *) buf + got, 64, ctx->cancellable, NULL);
            if (more > 0)
              got += more;
            line = printable_prefix (buf, got);
            set_not_rdp (r, "http",
                         g_strdup_printf (_("An HTTP server answered (“%s…”), not Remote "
                                            "Desktop."), line));
            return TRUE;
          }
        case MEND_X224_PEEK_TLS:
          set_not_rdp (r, "tls",
                       g_strdup (_("A TLS server answered without the X.224 preamble: a "
                                   "TLS service (HTTPS, an RD Gateway, a TLS proxy), not an "
                                   "RDP listener.")));
          return TRUE;
        case MEND_X224_PEEK_SSH:
          set_not_rdp (r, "ssh", g_strdup (_("An SSH server answered, not Remote Desktop.")));
          return TRUE;
        case MEND_X224_PEEK_UNKNOWN:
          {
            g_autofree char *hex = excerpt (buf, got);
            set_not_rdp (r, "garbage",
                         g_strdup_printf (_("The reply is not an RDP X.224 Connection Confirm "
                                            "(first bytes %s)."), hex));
            return TRUE;
          }
        case MEND_X224_PEEK_TPKT:
        case MEND_X224_PEEK_NEED_MORE:
        default:
          break;
        }

      if (got < MEND_TPKT_HEADER_LEN)
        {
          /* Not enough to tell yet (a 1–3 byte dribble, or "HTT"): read on. */
          need = MAX (need, got + 1);
          continue;
        }
      if (mend_x224_peek (buf, got) != MEND_X224_PEEK_TPKT)
        {
          /* Still ambiguous after 4 bytes ("HTTP" needs its "/"): one byte more. */
          need = got + 1;
          continue;
        }
      if (need == MEND_TPKT_HEADER_LEN)
        {
          gsize len = mend_tpkt_length (buf, got);
          if (len > MEND_X224_CONFIRM_MAX_LEN)
            {
              set_not_rdp (r, "oversized",
                           g_strdup_printf (_("The reply announces %u bytes; an X.224 "
                                              "Connection Confirm has 11 or 19."), (guint) len));
              return TRUE;
            }
          if (len < MEND_TPKT_HEADER_LEN + 7)
            {
              set_not_rdp (r, "malformed",
                           g_strdup_printf (_("The reply announces %u bytes, too short for "
                                              "an X.224 Connection Confirm."), (guint) len));
              return TRUE;
            }
          need = len;
        }
    }

  {
    g_autoptr(GError) parse_error = NULL;

    if (!mend_x224_parse_confirm (buf, got, &r->cc, &parse_error))
      {
        set_not_rdp (r, "malformed",
                     g_strdup_printf (_("The reply looks like TPKT but is not a valid X.224 "
                                        "Connection Confirm: %s"), parse_error->message));
        return TRUE;
      }
  }
  r->outcome = NEG_CONFIRM;
  return TRUE;
}

/* One connection: connect, send a Connection Request for REQUESTED, read the confirm.
 * KEEP leaves the socket open in R after a confirm. FALSE only when cancelled. */
static gboolean
negotiate (RunCtx *ctx, guint32 requested, gboolean keep, NegResult *r, GError **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GError) local = NULL;
  gint64 start;

  memset (r, 0, sizeof *r);
  r->reply = g_byte_array_new ();

  sock = connect_any (ctx, &local);
  if (sock == NULL)
    {
      if (is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      r->outcome = NEG_CONNECT_FAILED;
      r->reason = reason_from_connect_error (local);
      r->detail = g_strdup_printf (_("Cannot connect to TCP port %u: %s."), ctx->self->port,
                                   local->message);
      return TRUE;
    }

  request = mend_x224_build_request (requested, 0, NULL);
  start = g_get_monotonic_time ();
  if (!send_all (ctx, sock, request, &local))
    {
      if (is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      r->outcome = NEG_CONNECT_FAILED;
      r->reason = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ? "timeout" : "reset";
      r->detail = g_strdup_printf (_("Sending the X.224 Connection Request failed: %s."),
                                   local->message);
      return TRUE;
    }
  if (!read_confirm (ctx, sock, r, error))
    return FALSE;
  r->rtt_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (r->outcome == NEG_CONFIRM && keep)
    r->socket = g_steal_pointer (&sock);
  else
    g_socket_close (sock, NULL);
  return TRUE;
}

/* ---- TLS ------------------------------------------------------------------------- */

static const char *
version_name (gnutls_protocol_t v)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tls_versions); i++)
    if (tls_versions[i].version == v)
      return tls_versions[i].name;
  return NULL;
}

/* Called by GnuTLS as soon as the Certificate message is in: record the certificate and
 * every verification problem even when the handshake fails later. */
static int
on_verify_certificate (gnutls_session_t session)
{
  TlsAttempt *t = gnutls_session_get_ptr (session);
  const gnutls_datum_t *certs;
  unsigned int n = 0;
  unsigned int status = 0;

  certs = gnutls_certificate_get_peers (session, &n);
  if (certs != NULL && n > 0 && t->cert_der == NULL)
    t->cert_der = g_bytes_new (certs[0].data, certs[0].size);
  if (gnutls_certificate_verify_peers2 (session, &status) == GNUTLS_E_SUCCESS)
    {
      t->verify_status = status;
      t->have_status = TRUE;
    }
  return 0;   /* the probe reports problems; it never aborts on them */
}

/* Is VERSION really in PRIORITY after the system policy (/etc/gnutls/config) was applied? */
static gboolean
priority_offers (gnutls_priority_t prio, gnutls_protocol_t version)
{
  const unsigned int *list = NULL;
  int n = gnutls_priority_protocol_list (prio, &list);

  for (int i = 0; i < n; i++)
    if (list[i] == (unsigned int) version)
      return TRUE;
  return FALSE;
}

static gboolean
tls_handshake (RunCtx             *ctx,
               GSocket            *sock,
               const char         *priority,
               gnutls_protocol_t   only_version,   /* GNUTLS_VERSION_UNKNOWN = any */
               TlsAttempt         *t,
               GError            **error)
{
  gnutls_session_t session = NULL;
  gnutls_certificate_credentials_t cred = NULL;
  gnutls_priority_t prio = NULL;
  gint64 deadline = g_get_monotonic_time () + ctx->step_us;
  gboolean ok = TRUE;
  int ret;

  memset (t, 0, sizeof *t);

  ret = gnutls_priority_init2 (&prio, priority, NULL, 0);
  if (ret < 0 || (only_version != GNUTLS_VERSION_UNKNOWN && !priority_offers (prio, only_version)))
    {
      t->not_offered = TRUE;
      t->error = g_strdup (_("this system's GnuTLS policy does not allow offering it"));
      goto out;
    }

  gnutls_init (&session, GNUTLS_CLIENT | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS);
  gnutls_priority_set (session, prio);
  gnutls_certificate_allocate_credentials (&cred);
  gnutls_certificate_set_x509_system_trust (cred);
  gnutls_certificate_set_verify_function (cred, on_verify_certificate);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, cred);
  if (!ctx->self->host_is_ip)
    gnutls_server_name_set (session, GNUTLS_NAME_DNS, ctx->self->host, strlen (ctx->self->host));
  gnutls_session_set_ptr (session, t);
  gnutls_transport_set_int (session, g_socket_get_fd (sock));
  gnutls_handshake_set_timeout (session, 0);

  for (;;)
    {
      g_autoptr(GError) local = NULL;

      ret = gnutls_handshake (session);
      if (ret == GNUTLS_E_SUCCESS)
        break;
      if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
        {
          if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED)
            t->error = g_strdup_printf (_("the server sent the alert “%s”"),
                                        gnutls_alert_get_name (gnutls_alert_get (session)));
          else if (ret == GNUTLS_E_PREMATURE_TERMINATION || ret == GNUTLS_E_PULL_ERROR ||
                   ret == GNUTLS_E_PUSH_ERROR)
            t->error = g_strdup (_("the server closed the connection during the handshake"));
          else
            t->error = g_strdup (gnutls_strerror (ret));
          goto out;
        }
      if (!wait_until (sock, gnutls_record_get_direction (session) ? G_IO_OUT : G_IO_IN,
                       deadline, ctx->cancellable, &local))
        {
          if (is_cancelled (local))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          else
            t->error = g_strdup_printf (_("no handshake within %.1f s"),
                                        ctx->step_us / (double) G_USEC_PER_SEC);
          goto out;
        }
    }

  t->completed = TRUE;
  t->version = g_strdup (version_name (gnutls_protocol_get_version (session)));
  t->description = gnutls_session_get_desc (session);
  gnutls_bye (session, GNUTLS_SHUT_WR);   /* non-blocking: best effort */

out:
  if (session != NULL)
    gnutls_deinit (session);
  if (cred != NULL)
    gnutls_certificate_free_credentials (cred);
  if (prio != NULL)
    gnutls_priority_deinit (prio);
  return ok;
}

/* ---- resolving ---------------------------------------------------------------------- */

typedef struct {
  GList   *addresses;
  GError  *error;
  gboolean done;
} ResolveState;

static void
on_resolved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ResolveState *st = user_data;

  st->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &st->error);
  st->done = TRUE;
}

static gboolean
on_resolve_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* The resolver has no timeout of its own: run it on a private main context of this
 * worker thread and cancel it when the step deadline passes. */
static gboolean
resolve (RunCtx *ctx, GError **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GCancellable) step = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  GInetAddress *literal;
  ResolveState st = { 0 };
  gulong handler = 0;

  literal = g_inet_address_new_from_string (ctx->self->host);
  if (literal != NULL)
    {
      ctx->addresses = g_list_append (NULL, literal);
      return TRUE;
    }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  resolver = g_resolver_get_default ();
  if (ctx->cancellable != NULL)
    handler = g_cancellable_connect (ctx->cancellable, G_CALLBACK (g_cancellable_cancel),
                                     step, NULL);
  timeout = g_timeout_source_new (ctx->step_us / 1000);
  g_source_set_callback (timeout, on_resolve_timeout_cb, step, NULL);
  g_source_attach (timeout, context);
  g_resolver_lookup_by_name_async (resolver, ctx->self->host, step, on_resolved_cb, &st);
  while (!st.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (ctx->cancellable != NULL)
    g_cancellable_disconnect (ctx->cancellable, handler);
  g_main_context_pop_thread_default (context);

  if (st.error != NULL)
    {
      if (g_cancellable_is_cancelled (ctx->cancellable))
        {
          g_propagate_error (error, st.error);
          return FALSE;
        }
      if (g_error_matches (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&st.error);
          g_set_error (&st.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("no answer from the name resolver within %.1f s"),
                       ctx->step_us / (double) G_USEC_PER_SEC);
        }
      ctx->addresses = NULL;
      g_set_error (error, MEND_ERROR, MEND_ERROR_PROBE_DNS, "%s", st.error->message);
      g_clear_error (&st.error);
      return FALSE;
    }
  ctx->addresses = st.addresses;
  return TRUE;
}

/* ---- the run ---------------------------------------------------------------------- */

static const char *
answer_name (const NegResult *r, char **owned)
{
  switch (r->outcome)
    {
    case NEG_CONNECT_FAILED:
    case NEG_NOT_RDP:
      return r->reason;
    case NEG_CONFIRM:
    default:
      break;
    }
  switch (r->cc.kind)
    {
    case MEND_X224_REPLY_NEG_NONE:
      return "legacy";
    case MEND_X224_REPLY_DISCONNECT:
      return "x224-disconnect";
    case MEND_X224_REPLY_NEG_RESPONSE:
      if (mend_rdp_protocol_to_string (r->cc.selected_protocol))
        return mend_rdp_protocol_to_string (r->cc.selected_protocol);
      return *owned = g_strdup_printf ("protocol-0x%x", r->cc.selected_protocol);
    case MEND_X224_REPLY_NEG_FAILURE:
    default:
      if (mend_rdp_failure_to_string (r->cc.failure_code))
        return mend_rdp_failure_to_string (r->cc.failure_code);
      return *owned = g_strdup_printf ("failure-%u", r->cc.failure_code);
    }
}

static gboolean
selects_tls (const NegResult *r)
{
  return r->outcome == NEG_CONFIRM && r->cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
         (r->cc.selected_protocol == MEND_RDP_PROTOCOL_SSL ||
          r->cc.selected_protocol == MEND_RDP_PROTOCOL_HYBRID ||
          r->cc.selected_protocol == MEND_RDP_PROTOCOL_HYBRID_EX);
}

static gboolean
is_failure (const NegResult *r, guint32 code)
{
  return r->outcome == NEG_CONFIRM && r->cc.kind == MEND_X224_REPLY_NEG_FAILURE &&
         r->cc.failure_code == code;
}

static void
add_unreachable (MendProbe *self, const char *reason, char *detail)
{
  MendFinding *f = add_finding (self, "probe.unreachable", MEND_SEVERITY_PROBLEM,
                                MEND_CONFIDENCE_CONFIRMED,
                                _("The server cannot be reached"), detail);
  json_object_set_string_member (mend_finding_get_extra (f), "reason", reason);
}

static void
add_not_rdp (MendProbe *self, NegResult *r)
{
  MendFinding *f = add_finding (self, "probe.not-rdp", MEND_SEVERITY_PROBLEM,
                                r->reason[0] == 's' && strcmp (r->reason, "slow") == 0
                                  ? MEND_CONFIDENCE_LIKELY : MEND_CONFIDENCE_CONFIRMED,
                                _("Something answers, but it is not Remote Desktop"),
                                g_steal_pointer (&r->detail));
  json_object_set_string_member (mend_finding_get_extra (f), "reason", r->reason);
  add_reply_evidence (self, f, "reply", r->reply);
}

static void
evaluate_certificate (MendProbe *self, const TlsAttempt *t, JsonObject *summary,
                      gboolean *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendCertInfo) info = NULL;
  g_autofree char *hp = host_port_string (self);
  JsonObject *cert_json;
  JsonArray *problems = json_array_new ();
  gint64 now = self->now ? self->now : g_get_real_time () / G_USEC_PER_SEC;
  gsize der_len;
  const guint8 *der = g_bytes_get_data (t->cert_der, &der_len);

  info = mend_cert_info_new_from_der (der, der_len, &error);
  if (info == NULL)
    {
      MendFinding *f = add_finding (self, "probe.certificate-untrusted", MEND_SEVERITY_INFO,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server’s certificate cannot be read"),
                                    g_strdup (error->message));
      json_object_set_string_member (mend_finding_get_extra (f), "reason", "unparseable");
      json_array_unref (problems);
      return;
    }

  cert_json = mend_cert_info_to_json (info);

  if (now < info->not_before || now > info->not_after)
    {
      gboolean early = now < info->not_before;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (early ? info->not_before
                                                                       : info->not_after);
      g_autofree char *when_s = g_date_time_format_iso8601 (when);
      MendFinding *f = add_finding (self, "probe.certificate-expired", MEND_SEVERITY_PROBLEM,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    early ? _("The server’s certificate is not valid yet")
                                          : _("The server’s certificate has expired"),
                                    early
                                      ? g_strdup_printf (_("It becomes valid on %s. Check the "
                                                           "server’s clock, or bind another "
                                                           "certificate."), when_s)
                                      : g_strdup_printf (_("It expired on %s. Bind a valid "
                                                           "certificate on the server (or delete "
                                                           "the binding so Windows makes a new "
                                                           "self-signed one)."), when_s));
      json_object_set_string_member (mend_finding_get_extra (f), "reason",
                                     early ? "not-yet-valid" : "expired");
      mend_finding_add_evidence (f, "certificate", hp, early ? "notBefore" : "notAfter", when_s);
      json_array_add_string_element (problems, early ? "not-yet-valid" : "expired");
      *problem = TRUE;
    }

  if (!mend_cert_info_matches_name (info, self->host))
    {
      g_autofree char *names = info->dns_names ? g_strjoinv (", ", info->dns_names) : NULL;
      MendFinding *f = add_finding (self, "probe.certificate-name-mismatch",
                                    MEND_SEVERITY_WARNING, MEND_CONFIDENCE_CONFIRMED,
                                    _("The certificate does not name this server"),
                                    g_strdup_printf (_("Connected to “%s”; the certificate is "
                                                       "for %s."), self->host,
                                                     names && *names ? names
                                                     : info->common_name ? info->common_name
                                                     : _("no name at all")));
      mend_finding_add_evidence (f, "certificate", hp, "subject", info->subject);
      json_array_add_string_element (problems, "name-mismatch");
    }

  if (info->self_signed ||
      (t->have_status && (t->verify_status & (GNUTLS_CERT_SIGNER_NOT_FOUND |
                                              GNUTLS_CERT_SIGNER_NOT_CA |
                                              GNUTLS_CERT_INVALID))))
    {
      MendFinding *f = add_finding (self, "probe.certificate-untrusted", MEND_SEVERITY_INFO,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    info->self_signed
                                      ? _("The certificate is self-signed")
                                      : _("The certificate’s issuer is not trusted here"),
                                    g_strdup (_("Normal for Remote Desktop: the client asks "
                                                "whether to trust it. Clients that refuse "
                                                "untrusted certificates by policy will fail.")));
      json_object_set_string_member (mend_finding_get_extra (f), "reason",
                                     info->self_signed ? "self-signed" : "unknown-issuer");
      mend_finding_add_evidence (f, "certificate", hp, "issuer", info->issuer);
      json_array_add_string_element (problems, info->self_signed ? "self-signed"
                                                                 : "unknown-issuer");
    }

  if (info->signature_sha1 ||
      (info->key_algorithm && g_str_equal (info->key_algorithm, "RSA") && info->key_bits < 2048))
    {
      GString *why = g_string_new (NULL);

      if (info->signature_sha1)
        g_string_append_printf (why, _("Signature algorithm %s is obsolete. "),
                                info->signature_algorithm ? info->signature_algorithm : "?");
      if (info->key_algorithm && g_str_equal (info->key_algorithm, "RSA") &&
          info->key_bits < 2048)
        g_string_append_printf (why, _("The RSA key has only %u bits (2048 is the minimum). "),
                                info->key_bits);
      g_string_append (why, _("Hardened clients refuse such certificates."));
      add_finding (self, "probe.certificate-weak", MEND_SEVERITY_WARNING,
                       MEND_CONFIDENCE_CONFIRMED, _("The certificate is weak"),
                       g_string_free (why, FALSE));
      if (info->signature_sha1)
        json_array_add_string_element (problems, "weak-signature");
      if (info->key_bits < 2048)
        json_array_add_string_element (problems, "weak-key");
    }

  if (!mend_cert_info_allows_server_auth (info))
    json_array_add_string_element (problems, "no-server-auth-eku");

  if (t->have_status)
    {
      gnutls_datum_t out = { 0 };
      if (gnutls_certificate_verification_status_print (t->verify_status, GNUTLS_CRT_X509,
                                                        &out, 0) == 0)
        {
          json_object_set_string_member (cert_json, "verification", (const char *) out.data);
          gnutls_free (out.data);
        }
    }
  json_object_set_array_member (cert_json, "problems", problems);
  json_object_set_object_member (summary, "certificate", cert_json);
}

/* The whole probe in the calling (worker) thread. */
static gboolean
probe_run_sync (MendProbe *self, GCancellable *cancellable, GError **error)
{
  RunCtx ctx = { self, cancellable, (gint64) (self->timeout * G_USEC_PER_SEC), NULL, NULL };
  NegResult main_neg = { 0 };
  NegResult asks[3] = { { 0 } };
  static const guint32 ask_protocols[3] = { MEND_RDP_PROTOCOL_SSL, MEND_RDP_PROTOCOL_HYBRID,
                                            MEND_RDP_PROTOCOL_RDP };
  static const char *ask_names[3] = { "ssl", "hybrid", "rdp" };
  TlsAttempt main_tls = { 0 };
  TlsAttempt versions[G_N_ELEMENTS (tls_versions)] = { { 0 } };
  const TlsAttempt *cert_source = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *hp = host_port_string (self);
  g_autofree char *owned = NULL;
  JsonObject *summary;
  JsonObject *answers;
  JsonArray *accepted;
  JsonObject *attempts;
  MendFinding *sf;
  gboolean problem = FALSE;
  gboolean ok = FALSE;
  guint32 tls_protocol = 0;
  const char *nla;

  g_ptr_array_set_size (self->findings, 0);

  if (!resolve (&ctx, &local))
    {
      if (is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      add_unreachable (self, "dns",
                       g_strdup_printf (_("The name “%s” does not resolve: %s. Check the "
                                          "spelling, or use the IP address."),
                                        self->host, local->message));
      return TRUE;
    }

  /* 1. What a Windows client asks for, then TLS on the same connection. */
  if (!negotiate (&ctx, REQUEST_MODERN, TRUE, &main_neg, error))
    goto out;
  if (main_neg.outcome == NEG_CONNECT_FAILED)
    {
      GString *detail = g_string_new (main_neg.detail);
      if (g_list_length (ctx.addresses) > 1)
        {
          g_string_append (detail, _(" Addresses tried:"));
          for (GList *l = ctx.addresses; l; l = l->next)
            {
              g_autofree char *a = g_inet_address_to_string (l->data);
              g_string_append_printf (detail, " %s", a);
            }
        }
      add_unreachable (self, main_neg.reason, g_string_free (detail, FALSE));
      ok = TRUE;
      goto out;
    }
  if (main_neg.outcome == NEG_NOT_RDP)
    {
      add_not_rdp (self, &main_neg);
      ok = TRUE;
      goto out;
    }
  if (main_neg.cc.kind == MEND_X224_REPLY_DISCONNECT)
    {
      main_neg.reason = "x224-disconnect";
      main_neg.detail = g_strdup (_("The server answered the X.224 Connection Request with a "
                                    "Disconnect or Error TPDU instead of a Connection Confirm."));
      add_not_rdp (self, &main_neg);
      ok = TRUE;
      goto out;
    }

  if (selects_tls (&main_neg))
    {
      tls_protocol = main_neg.cc.selected_protocol;
      if (!tls_handshake (&ctx, main_neg.socket, PRIORITY_ALL, GNUTLS_VERSION_UNKNOWN,
                          &main_tls, error))
        goto out;
    }
  if (main_neg.socket != NULL)
    g_socket_close (main_neg.socket, NULL);
  g_clear_object (&main_neg.socket);

  /* 2. TLS alone, CredSSP alone, standard security alone: what is required. */
  for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
    if (!negotiate (&ctx, ask_protocols[i], FALSE, &asks[i], error))
      goto out;
  if (tls_protocol == 0)
    {
      if (selects_tls (&asks[0]))
        tls_protocol = MEND_RDP_PROTOCOL_SSL;
      else if (selects_tls (&asks[1]))
        tls_protocol = MEND_RDP_PROTOCOL_HYBRID;
    }

  /* 3. Each TLS version on its own connection. */
  if (tls_protocol != 0)
    for (gsize i = 0; i < G_N_ELEMENTS (tls_versions); i++)
      {
        NegResult r = { 0 };

        if (main_tls.completed && g_strcmp0 (main_tls.version, tls_versions[i].name) == 0)
          {
            versions[i].completed = TRUE;
            versions[i].version = g_strdup (main_tls.version);
            continue;
          }
        if (!negotiate (&ctx, tls_protocol, TRUE, &r, error))
          goto out;
        if (!selects_tls (&r))
          {
            versions[i].error = g_strdup_printf (_("the negotiation failed on this attempt (%s)"),
                                                 answer_name (&r, &owned));
            g_clear_pointer (&owned, g_free);
            neg_result_clear (&r);
            continue;
          }
        if (!tls_handshake (&ctx, r.socket, tls_versions[i].priority, tls_versions[i].version,
                            &versions[i], error))
          {
            neg_result_clear (&r);
            goto out;
          }
        neg_result_clear (&r);
      }

  /* Findings from what was learned. */
  summary = json_object_new ();
  answers = json_object_new ();
  accepted = json_array_new ();
  attempts = json_object_new ();

  json_object_set_string_member (answers, "ssl|hybrid|hybrid-ex", answer_name (&main_neg, &owned));
  g_clear_pointer (&owned, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
    {
      json_object_set_string_member (answers, ask_names[i], answer_name (&asks[i], &owned));
      g_clear_pointer (&owned, g_free);
    }

  if (main_neg.cc.kind == MEND_X224_REPLY_NEG_FAILURE)
    {
      guint32 code = main_neg.cc.failure_code;
      g_autofree char *unknown = g_strdup_printf ("unknown-%u", code);
      const char *name = mend_rdp_failure_to_string (code);
      MendFinding *f = add_finding (self, "probe.negotiation-failure", MEND_SEVERITY_PROBLEM,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server refuses the connection during negotiation"),
                                    g_strdup_printf ("%s (%s)", mend_rdp_failure_describe (code),
                                                     mend_rdp_failure_to_spec_name (code)
                                                     ? mend_rdp_failure_to_spec_name (code)
                                                     : unknown));
      json_object_set_string_member (mend_finding_get_extra (f), "code", name ? name : unknown);
      json_object_set_int_member (mend_finding_get_extra (f), "failure_code", code);
      if (code == 2)
        mend_finding_add_fix (f, "set-security-negotiate");
      if (code == 3)
        mend_finding_add_fix (f, "rebind-certificate");
      add_reply_evidence (self, f, "x224-confirm", main_neg.reply);
      problem = TRUE;
    }
  else if (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE ||
           (main_neg.cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
            main_neg.cc.selected_protocol == MEND_RDP_PROTOCOL_RDP))
    {
      MendFinding *f = add_finding (self, "probe.legacy-rdp-security", MEND_SEVERITY_WARNING,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server uses standard RDP security, without TLS"),
                                    g_strdup (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE
                                              ? _("The server ignored the negotiation request "
                                                  "(a server older than Windows Server 2003 SP1 "
                                                  "or one that does not negotiate): no TLS, no "
                                                  "NLA. Clients that require TLS close the "
                                                  "connection.")
                                              : _("Asked for TLS or CredSSP, the server chose "
                                                  "standard RDP security. Clients and gateways "
                                                  "that require TLS close the connection.")));
      mend_finding_add_fix (f, "set-security-negotiate");
      add_reply_evidence (self, f, "x224-confirm", main_neg.reply);
    }

  /* TLS versions and the certificate. */
  if (tls_protocol != 0)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (tls_versions); i++)
        {
          const char *state;
          g_autofree char *s = NULL;

          if (versions[i].completed)
            {
              json_array_add_string_element (accepted, tls_versions[i].name);
              state = "accepted";
            }
          else if (versions[i].not_offered)
            state = s = g_strdup_printf ("not-tested: %s", versions[i].error);
          else
            state = s = g_strdup_printf ("refused: %s", versions[i].error ? versions[i].error : "?");
          json_object_set_string_member (attempts, tls_versions[i].name, state);
          if (cert_source == NULL && versions[i].cert_der != NULL)
            cert_source = &versions[i];
        }
      if (main_tls.cert_der != NULL)
        cert_source = &main_tls;

      if (json_array_get_length (accepted) == 0)
        {
          MendFinding *f = add_finding (self, "probe.tls-failed", MEND_SEVERITY_PROBLEM,
                                        MEND_CONFIDENCE_CONFIRMED,
                                        _("No TLS version works with this server"),
                                        g_strdup_printf (_("The server selected %s, but no TLS "
                                                           "handshake completed (TLS 1.0, 1.1, "
                                                           "1.2 and 1.3 tried; first error: %s)."),
                                                         mend_rdp_protocol_to_string (tls_protocol),
                                                         main_tls.error ? main_tls.error : "?"));
          json_object_set_object_member (mend_finding_get_extra (f), "tls_attempts",
                                         json_object_ref (attempts));
          mend_finding_add_fix (f, "enable-tls12");
          problem = TRUE;
        }
      if (main_tls.description != NULL)
        json_object_set_string_member (summary, "tls_session", main_tls.description);
      if (main_tls.error != NULL)
        json_object_set_string_member (summary, "tls_error", main_tls.error);
      if (cert_source != NULL)
        evaluate_certificate (self, cert_source, summary, &problem);
    }

  /* NLA: required when TLS alone is refused with HYBRID_REQUIRED; supported when CredSSP
   * alone is accepted; not supported when CredSSP alone gets SSL_REQUIRED. */
  if (is_failure (&asks[0], 5))
    nla = "required";
  else if (asks[1].outcome == NEG_CONFIRM && asks[1].cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
           (asks[1].cc.selected_protocol & (MEND_RDP_PROTOCOL_HYBRID | MEND_RDP_PROTOCOL_HYBRID_EX)))
    nla = "supported";
  else if (is_failure (&asks[1], 1) || is_failure (&asks[1], 2) ||
           (asks[1].outcome == NEG_CONFIRM && asks[1].cc.kind == MEND_X224_REPLY_NEG_RESPONSE))
    nla = "not-supported";
  else
    nla = "unknown";

  {
    g_autofree char *addr = ctx.address ? g_inet_address_to_string (ctx.address) : NULL;
    JsonArray *all = json_array_new ();

    for (GList *l = ctx.addresses; l; l = l->next)
      {
        g_autofree char *a = g_inet_address_to_string (l->data);
        json_array_add_string_element (all, a);
      }
    if (addr)
      json_object_set_string_member (summary, "address", addr);
    json_object_set_array_member (summary, "addresses", all);
  }
  json_object_set_double_member (summary, "rtt_ms", main_neg.rtt_ms);
  if (main_neg.cc.kind == MEND_X224_REPLY_NEG_RESPONSE)
    {
      g_autofree char *flags = mend_rdp_neg_flags_to_string (main_neg.cc.neg_flags);
      json_object_set_string_member (summary, "selected_protocol",
                                     answer_name (&main_neg, &owned));
      g_clear_pointer (&owned, g_free);
      json_object_set_string_member (summary, "negotiation_flags", flags);
    }
  else if (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE)
    json_object_set_string_member (summary, "selected_protocol", "rdp");
  else
    json_object_set_null_member (summary, "selected_protocol");
  json_object_set_string_member (summary, "nla", nla);
  if (g_str_equal (nla, "required"))
    json_object_set_boolean_member (summary, "nla_required", TRUE);
  else if (g_str_equal (nla, "unknown"))
    json_object_set_null_member (summary, "nla_required");
  else
    json_object_set_boolean_member (summary, "nla_required", FALSE);
  json_object_set_array_member (summary, "tls_versions", accepted);
  json_object_set_object_member (summary, "tls_attempts", attempts);
  json_object_set_object_member (summary, "answers", answers);

  {
    GString *text = g_string_new (NULL);
    g_autoptr(GList) members = NULL;
    JsonObject *cert = json_object_has_member (summary, "certificate")
                         ? json_object_get_object_member (summary, "certificate") : NULL;

    g_string_append_printf (text, _("Selected protocol: %s. "),
                            json_object_get_string_member_with_default (summary,
                                                                        "selected_protocol",
                                                                        _("none")));
    g_string_append_printf (text, _("NLA: %s. "), nla);
    if (tls_protocol != 0)
      {
        g_string_append (text, _("TLS versions accepted:"));
        for (guint i = 0; i < json_array_get_length (accepted); i++)
          g_string_append_printf (text, " %s", json_array_get_string_element (accepted, i));
        if (json_array_get_length (accepted) == 0)
          g_string_append_printf (text, " %s", _("none"));
        g_string_append (text, ". ");
      }
    if (cert != NULL)
      g_string_append_printf (text, _("Certificate: %s, issued by %s, SHA-1 %s. "),
                              json_object_get_string_member_with_default (cert, "subject", "?"),
                              json_object_get_string_member_with_default (cert, "issuer", "?"),
                              json_object_get_string_member_with_default (cert, "sha1", "?"));
    g_string_append_printf (text, _("Round trip: %.1f ms."), main_neg.rtt_ms);

    sf = add_finding (self, "probe.summary", problem ? MEND_SEVERITY_INFO : MEND_SEVERITY_OK,
                      MEND_CONFIDENCE_CONFIRMED, _("What the server answered"),
                      g_string_free (text, FALSE));
    members = json_object_get_members (summary);
    for (GList *l = members; l; l = l->next)
      json_object_set_member (mend_finding_get_extra (sf), l->data,
                              json_node_copy (json_object_get_member (summary, l->data)));
    add_reply_evidence (self, sf, "x224-confirm", main_neg.reply);
    json_object_unref (summary);
  }
  ok = TRUE;

out:
  neg_result_clear (&main_neg);
  for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
    neg_result_clear (&asks[i]);
  tls_attempt_clear (&main_tls);
  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    tls_attempt_clear (&versions[i]);
  g_list_free_full (ctx.addresses, g_object_unref);
  g_clear_object (&ctx.address);
  return ok;
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
mend_probe_finalize (GObject *object)
{
  MendProbe *self = MEND_PROBE (object);

  g_free (self->host);
  g_free (self->target);
  g_ptr_array_unref (self->findings);
  G_OBJECT_CLASS (mend_probe_parent_class)->finalize (object);
}

static void
mend_probe_class_init (MendProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_probe_finalize;
}

static void
mend_probe_init (MendProbe *self)
{
  self->timeout = MEND_PROBE_DEFAULT_TIMEOUT;
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ------------------------------------------------------------------- */

MendProbe *
mend_probe_new (const char *host_port, GError **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) literal = NULL;
  guint16 port = 0;
  MendProbe *self;

  if (!parse_host_port (host_port, &host, &port, error))
    return NULL;

  self = g_object_new (MEND_TYPE_PROBE, NULL);
  literal = g_inet_address_new_from_string (host);
  self->host_is_ip = literal != NULL;
  self->host = g_steal_pointer (&host);
  self->port = port;
  if (strchr (self->host, ':') != NULL)
    self->target = g_strdup_printf ("probe:[%s]:%u", self->host, port);
  else
    self->target = g_strdup_printf ("probe:%s:%u", self->host, port);
  return self;
}

const char *
mend_probe_get_host (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->host;
}

guint16
mend_probe_get_port (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), 0);
  return self->port;
}

const char *
mend_probe_get_target (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->target;
}

void
mend_probe_set_timeout (MendProbe *self, double seconds)
{
  g_return_if_fail (MEND_IS_PROBE (self));
  /* Bounded both ways: a zero or absurd timeout would make every step fail or hang. */
  self->timeout = CLAMP (seconds, 0.05, 600.0);
}

double
mend_probe_get_timeout (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), 0);
  return self->timeout;
}

void
mend_probe_set_now (MendProbe *self, gint64 unix_seconds)
{
  g_return_if_fail (MEND_IS_PROBE (self));
  self->now = unix_seconds;
}

GPtrArray *
mend_probe_get_findings (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->findings;
}

gboolean
mend_probe_run (MendProbe *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), FALSE);
  return probe_run_sync (self, cancellable, error);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (probe_run_sync (MEND_PROBE (source), cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mend_probe_run_async (MendProbe *self, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_PROBE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_probe_run_async);
  g_task_run_in_thread (task, run_thread);
}

gboolean
mend_probe_run_finish (MendProbe *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- many at once ------------------------------------------------------------------- */

typedef struct {
  GCancellable *cancellable;
  GMutex        lock;
  GError       *error;   /* first cancellation */
} ManyState;

static void
many_worker (gpointer data, gpointer user_data)
{
  ManyState *st = user_data;
  GError *error = NULL;

  if (g_cancellable_is_cancelled (st->cancellable))
    return;
  if (!probe_run_sync (MEND_PROBE (data), st->cancellable, &error))
    {
      g_mutex_lock (&st->lock);
      if (st->error == NULL)
        st->error = g_steal_pointer (&error);
      g_mutex_unlock (&st->lock);
      g_clear_error (&error);
    }
}

gboolean
mend_probe_run_many (GPtrArray *probes, guint max_parallel, GCancellable *cancellable,
                     GError **error)
{
  ManyState st = { cancellable };
  GThreadPool *pool;

  g_return_val_if_fail (probes != NULL, FALSE);
  if (max_parallel == 0)
    max_parallel = 16;
  g_mutex_init (&st.lock);
  /* One blocking probe per thread: probes spend their time waiting on the network. */
  pool = g_thread_pool_new (many_worker, &st, MIN (max_parallel, MAX (probes->len, 1)),
                            FALSE, NULL);
  for (guint i = 0; i < probes->len; i++)
    g_thread_pool_push (pool, probes->pdata[i], NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&st.lock);

  if (st.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &st.error);
  if (st.error != NULL)
    {
      g_propagate_error (error, st.error);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GPtrArray *probes;
  guint      max_parallel;
} ManyTaskData;

static void
many_task_data_free (ManyTaskData *d)
{
  g_ptr_array_unref (d->probes);
  g_free (d);
}

static void
run_many_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ManyTaskData *d = task_data;
  GError *error = NULL;

  if (mend_probe_run_many (d->probes, d->max_parallel, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mend_probe_run_many_async (GPtrArray *probes, guint max_parallel, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ManyTaskData *d = g_new0 (ManyTaskData, 1);

  d->probes = g_ptr_array_ref (probes);
  d->max_parallel = max_parallel;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_probe_run_many_async);
  g_task_set_task_data (task, d, (GDestroyNotify) many_task_data_free);
  g_task_run_in_thread (task, run_many_thread);
}

gboolean
mend_probe_run_many_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
