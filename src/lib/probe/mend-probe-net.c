/* mend-probe-net.c — the probe's network steps: host parsing, resolving with a deadline,
 * connecting, the X.224 Connection Request and exactly one confirm, a GnuTLS handshake driven
 * over the raw non-blocking socket (its own priority string per attempt), and the follow-up
 * questions run a few at a time. */
#include "probe/mend-probe-private.h"
#include "probe/mend-probe.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/x509.h>

#include "base/mend-error.h"

/* Old servers speak only TLS 1.0 with RC4 or 3DES and RSA key exchange; offer them too:
 * the probe wants to learn what the server accepts, not to protect data. */
#define PRIORITY_EXTRAS ":+3DES-CBC:+ARCFOUR-128:+MD5:+SHA1:+RSA:%COMPAT"

const char * const mend_probe_priority_all = "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1" PRIORITY_EXTRAS;

const MendProbeTlsVersion mend_probe_tls_versions[MEND_PROBE_N_TLS_VERSIONS] = {
  { "1.0", GNUTLS_TLS1_0, "NORMAL:-VERS-ALL:+VERS-TLS1.0" PRIORITY_EXTRAS },
  { "1.1", GNUTLS_TLS1_1, "NORMAL:-VERS-ALL:+VERS-TLS1.1" PRIORITY_EXTRAS },
  { "1.2", GNUTLS_TLS1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2" PRIORITY_EXTRAS },
  { "1.3", GNUTLS_TLS1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3" PRIORITY_EXTRAS },
};

void
mend_probe_neg_clear (MendProbeNeg *r)
{
  g_clear_pointer (&r->detail, g_free);
  g_clear_pointer (&r->reply, g_byte_array_unref);
  if (r->socket != NULL)
    g_socket_close (r->socket, NULL);
  g_clear_object (&r->socket);
}

void
mend_probe_tls_clear (MendProbeTls *t)
{
  g_clear_pointer (&t->error, g_free);
  g_clear_pointer (&t->version, g_free);
  g_clear_pointer (&t->description, g_free);
  g_clear_pointer (&t->cert_der, g_bytes_unref);
}

gboolean
mend_probe_is_cancelled (const GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Printable excerpt of what a peer sent (for details and evidence). */
char *
mend_probe_hex_excerpt (const guint8 *data, gsize len)
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
connect_one (MendProbeRun *ctx, GInetAddress *address, GError **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GError) local = NULL;

  sock = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return NULL;
  g_socket_set_blocking (sock, FALSE);
  sa = g_inet_socket_address_new (address, ctx->port);
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
connect_any (MendProbeRun *ctx, GError **error)
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
      if (mend_probe_is_cancelled (local))
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
send_all (MendProbeRun *ctx, GSocket *sock, GBytes *bytes, GError **error)
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
set_not_rdp (MendProbeNeg *r, const char *reason, char *detail)
{
  r->outcome = NEG_NOT_RDP;
  r->reason = reason;
  r->detail = detail;
}

/* Reads exactly one TPKT (never more, so TLS bytes stay in the socket) within one step
 * deadline, classifying anything else as soon as its first bytes show what it is. */
static gboolean
read_confirm (MendProbeRun *ctx, GSocket *sock, MendProbeNeg *r, GError **error)
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
          if (mend_probe_is_cancelled (local))
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
          if (mend_probe_is_cancelled (local))
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
            g_autofree char *hex = mend_probe_hex_excerpt (buf, got);
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
gboolean
mend_probe_negotiate (MendProbeRun *ctx, guint32 requested, gboolean keep, MendProbeNeg *r, GError **error)
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
      if (mend_probe_is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      r->outcome = NEG_CONNECT_FAILED;
      r->reason = reason_from_connect_error (local);
      r->detail = g_strdup_printf (_("Cannot connect to TCP port %u: %s."), ctx->port,
                                   local->message);
      return TRUE;
    }

  request = mend_x224_build_request (requested, 0, NULL);
  start = g_get_monotonic_time ();
  if (!send_all (ctx, sock, request, &local))
    {
      if (mend_probe_is_cancelled (local))
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
  for (gsize i = 0; i < MEND_PROBE_N_TLS_VERSIONS; i++)
    if (mend_probe_tls_versions[i].version == v)
      return mend_probe_tls_versions[i].name;
  return NULL;
}

/* Called by GnuTLS as soon as the Certificate message is in: record the certificate and
 * every verification problem even when the handshake fails later. */
static int
on_verify_certificate (gnutls_session_t session)
{
  MendProbeTls *t = gnutls_session_get_ptr (session);
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

/* One set of credentials for every handshake of the process: loading the system trust
 * store costs milliseconds of CPU, which 200 probes × 4 handshakes would pay 800 times.
 * GnuTLS only reads credentials during handshakes, so sharing them between threads is safe. */
static gnutls_certificate_credentials_t
shared_credentials (void)
{
  static gsize once = 0;
  static gnutls_certificate_credentials_t cred;

  if (g_once_init_enter (&once))
    {
      gnutls_certificate_allocate_credentials (&cred);
      gnutls_certificate_set_x509_system_trust (cred);
      gnutls_certificate_set_verify_function (cred, on_verify_certificate);
      g_once_init_leave (&once, 1);
    }
  return cred;
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

gboolean
mend_probe_tls_handshake (MendProbeRun             *ctx,
               GSocket            *sock,
               const char         *priority,
               gnutls_protocol_t   only_version,   /* GNUTLS_VERSION_UNKNOWN = any */
               MendProbeTls         *t,
               GError            **error)
{
  gnutls_session_t session = NULL;
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
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, shared_credentials ());
  if (!ctx->host_is_ip)
    gnutls_server_name_set (session, GNUTLS_NAME_DNS, ctx->host, strlen (ctx->host));
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
          if (mend_probe_is_cancelled (local))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          else
            {
              t->timed_out = TRUE;
              t->error = g_strdup_printf (_("no handshake within %.1f s"),
                                          ctx->step_us / (double) G_USEC_PER_SEC);
            }
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
gboolean
mend_probe_resolve (MendProbeRun *ctx, GError **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GCancellable) step = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  GInetAddress *literal;
  ResolveState st = { 0 };
  gulong handler = 0;

  literal = g_inet_address_new_from_string (ctx->host);
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
  g_resolver_lookup_by_name_async (resolver, ctx->host, step, on_resolved_cb, &st);
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

gboolean
mend_probe_parse_host_port (const char *input, char **host, guint16 *port, GError **error)
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


/* ---- answers and follow-up questions --------------------------------------------- */

const char *
mend_probe_neg_answer (const MendProbeNeg *r, char **owned)
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

gboolean
mend_probe_neg_selects_tls (const MendProbeNeg *r)
{
  return r->outcome == NEG_CONFIRM && r->cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
         (r->cc.selected_protocol == MEND_RDP_PROTOCOL_SSL ||
          r->cc.selected_protocol == MEND_RDP_PROTOCOL_HYBRID ||
          r->cc.selected_protocol == MEND_RDP_PROTOCOL_HYBRID_EX);
}

gboolean
mend_probe_neg_is_failure (const MendProbeNeg *r, guint32 code)
{
  return r->outcome == NEG_CONFIRM && r->cc.kind == MEND_X224_REPLY_NEG_FAILURE &&
         r->cc.failure_code == code;
}

static gpointer
question_thread (gpointer data)
{
  MendProbeQuestion *q = data;
  MendProbeNeg *neg = q->neg ? q->neg : &q->own_neg;

  q->ok = mend_probe_negotiate (q->run, q->requested, q->tls != NULL, neg, &q->error);
  if (q->ok && q->tls != NULL)
    {
      if (mend_probe_neg_selects_tls (neg))
        q->ok = mend_probe_tls_handshake (q->run, neg->socket, q->tls->priority,
                                          q->tls->version, q->out, &q->error);
      else
        {
          g_autofree char *owned = NULL;
          q->out->error = g_strdup_printf (_("the negotiation failed on this attempt (%s)"),
                                           mend_probe_neg_answer (neg, &owned));
        }
    }
  if (neg == &q->own_neg)
    mend_probe_neg_clear (neg);
  else if (neg->socket != NULL)
    {
      g_socket_close (neg->socket, NULL);
      g_clear_object (&neg->socket);
    }
  return NULL;
}

/* At most this many connections to one server at a time: small listeners (xrdp's backlog
 * is 2) drop further SYNs, and the retransmission costs a whole second. */
#define QUESTIONS_AT_ONCE 3

typedef struct {
  MendProbeQuestion *qs;
  guint     n;
  gint      next;
} MendProbeQuestionQueue;

static gpointer
question_worker (gpointer data)
{
  MendProbeQuestionQueue *queue = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&queue->next, 1)) < queue->n)
    question_thread (&queue->qs[i]);
  return NULL;
}

/* Runs N questions, QUESTIONS_AT_ONCE at a time; FALSE if any was cancelled. */
gboolean
mend_probe_ask_all (MendProbeQuestion *qs, guint n, GError **error)
{
  GThread *threads[QUESTIONS_AT_ONCE];
  MendProbeQuestionQueue queue = { qs, n, 0 };
  guint workers = MIN (n, QUESTIONS_AT_ONCE);
  gboolean ok = TRUE;

  for (guint i = 0; i < workers; i++)
    threads[i] = g_thread_new ("mend-probe", question_worker, &queue);
  for (guint i = 0; i < workers; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < n; i++)
    {
      if (!qs[i].ok && ok && qs[i].error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&qs[i].error));
          ok = FALSE;
        }
      g_clear_error (&qs[i].error);
    }
  return ok;
}

gpointer
mend_probe_ask_all_thread (gpointer data)
{
  MendProbeAskAll *a = data;

  a->ok = mend_probe_ask_all (a->qs, a->n, &a->error);
  return NULL;
}

/* The TLS versions still to try over TLS_PROTOCOL (not the one the first handshake already
 * settled); fills QS and returns how many. */
guint
mend_probe_add_version_questions (MendProbeRun *run, guint32 tls_protocol, const MendProbeTls *main_tls,
                       MendProbeTls *versions, MendProbeQuestion *qs)
{
  guint n = 0;

  for (gsize i = 0; i < MEND_PROBE_N_TLS_VERSIONS; i++)
    {
      if (main_tls->completed && g_strcmp0 (main_tls->version,
                                            mend_probe_tls_versions[i].name) == 0)
        {
          versions[i].completed = TRUE;
          versions[i].version = g_strdup (main_tls->version);
          continue;
        }
      if (main_tls->timed_out)
        {
          /* A server that let the first handshake time out would do it four times more:
           * say so instead of waiting. */
          versions[i].not_offered = TRUE;
          versions[i].error = g_strdup (_("the server did not answer the first handshake"));
          continue;
        }
      qs[n].run = run;
      qs[n].requested = tls_protocol;
      qs[n].tls = &mend_probe_tls_versions[i];
      qs[n].out = &versions[i];
      n++;
    }
  return n;
}

