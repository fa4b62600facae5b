/* mend-hostile-peer.c — misbehaving "RDP servers" for the probe tests: one loopback listener
 * per mode, printed as "MODE PORT" lines; exits when its standard input closes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "probe/mend-x224.h"

typedef struct {
  char *mode;
  int   listen_fd;
} Listener;

static GPtrArray *replay_chunks;   /* GBytes*: server → client payloads of one real session */

/* ---- pcap: server payloads of the first TCP stream to port 3389 -------------------- */

static guint32
rd32 (const guint8 *p, gboolean swap)
{
  guint32 v;
  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

static gboolean
load_pcap (const char *path)
{
  g_autofree guint8 *data = NULL;
  gsize len, off = 24;
  gboolean swap;
  guint16 client_port = 0;
  GByteArray *current = NULL;

  if (!g_file_get_contents (path, (char **) &data, &len, NULL) || len < 24)
    return FALSE;
  if (rd32 (data, FALSE) == 0xa1b2c3d4 || rd32 (data, FALSE) == 0xa1b23c4d)
    swap = FALSE;
  else if (rd32 (data, TRUE) == 0xa1b2c3d4 || rd32 (data, TRUE) == 0xa1b23c4d)
    swap = TRUE;
  else
    return FALSE;
  if (rd32 (data + 20, swap) != 1)   /* Ethernet only */
    return FALSE;

  replay_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while (off + 16 <= len)
    {
      guint32 incl = rd32 (data + off + 8, swap);
      const guint8 *pkt = data + off + 16;
      gsize ihl, tcp_len, ip_total, payload_len;
      guint16 sport, dport;

      if (incl > len - off - 16)
        break;
      off += 16 + incl;
      if (incl < 14 + 20 + 20 || pkt[12] != 0x08 || pkt[13] != 0x00)
        continue;
      pkt += 14;
      ihl = (pkt[0] & 0x0f) * 4;
      ip_total = (pkt[2] << 8) | pkt[3];
      if (pkt[9] != 6 || ihl < 20 || ip_total > incl - 14 || ihl + 20 > ip_total)
        continue;
      sport = (pkt[ihl] << 8) | pkt[ihl + 1];
      dport = (pkt[ihl + 2] << 8) | pkt[ihl + 3];
      tcp_len = (pkt[ihl + 12] >> 4) * 4;
      if (ihl + tcp_len > ip_total)
        continue;
      payload_len = ip_total - ihl - tcp_len;
      if (client_port == 0 && dport == 3389)
        client_port = sport;
      if (payload_len == 0)
        continue;
      if (sport == 3389 && dport == client_port)
        {
          if (current == NULL)
            current = g_byte_array_new ();
          g_byte_array_append (current, pkt + ihl + tcp_len, payload_len);
        }
      else if (dport == 3389 && sport == client_port && current != NULL)
        {
          g_ptr_array_add (replay_chunks, g_byte_array_free_to_bytes (current));
          current = NULL;
        }
    }
  if (current != NULL)
    g_ptr_array_add (replay_chunks, g_byte_array_free_to_bytes (current));
  return replay_chunks->len > 0;
}

/* ---- a real TLS server (GnuTLS) with a throw-away certificate ------------------------- */

static gnutls_certificate_credentials_t tls_cred;

static void
tls_setup (void)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  unsigned char serial[] = { 1 };
  time_t now = time (NULL);

  gnutls_x509_privkey_init (&key);
  gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0);
  gnutls_x509_crt_init (&crt);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, now - 3600);
  gnutls_x509_crt_set_expiration_time (crt, now + 86400);
  gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "tls-only", 8);
  gnutls_x509_crt_set_key (crt, key);
  gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0);
  gnutls_certificate_allocate_credentials (&tls_cred);
  gnutls_certificate_set_x509_key (tls_cred, &crt, 1, key);   /* copies both */
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

/* A TLS service that knows nothing of X.224: it reads the Connection Request as a TLS
 * record, fails, and answers with the alert its TLS stack picks. */
static void
serve_tls (int fd, gboolean all_versions)
{
  gnutls_session_t session;
  int ret;

  gnutls_init (&session, GNUTLS_SERVER);
  if (all_versions)
    gnutls_priority_set_direct (session, "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+SHA1:+RSA", NULL);
  else
    gnutls_set_default_priority (session);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, tls_cred);
  gnutls_transport_set_int (session, fd);
  gnutls_handshake_set_timeout (session, 5000);
  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  if (ret < 0)
    gnutls_alert_send_appropriate (session, ret);
  gnutls_deinit (session);
}

static gboolean wait_readable (int fd, int ms);

/* A well-behaved TLS-only RDP listener (the bench's many servers): SSL selected when asked
 * for, SSL_REQUIRED_BY_SERVER otherwise, then a real TLS handshake. */
static void
serve_rdp_tls (int fd)
{
  guint8 req[64];
  gsize got = 0;
  guint32 requested = 0;
  g_autoptr(GBytes) cc = NULL;

  while (got < sizeof req && wait_readable (fd, 2000))
    {
      ssize_t n = recv (fd, req + got, sizeof req - got, 0);
      gsize want;
      if (n <= 0)
        return;
      got += n;
      want = mend_tpkt_length (req, got);
      if (want != 0 && got >= want)
        break;
    }
  if (got >= 19)
    requested = req[got - 4] | (req[got - 3] << 8) | (req[got - 2] << 16) |
                ((guint32) req[got - 1] << 24);
  if (requested & MEND_RDP_PROTOCOL_SSL)
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0x01, MEND_RDP_PROTOCOL_SSL);
      send (fd, g_bytes_get_data (cc, NULL), g_bytes_get_size (cc), MSG_NOSIGNAL);
      serve_tls (fd, TRUE);
    }
  else
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_FAILURE, 0, 1);
      send (fd, g_bytes_get_data (cc, NULL), g_bytes_get_size (cc), MSG_NOSIGNAL);
    }
}

/* ---- helpers ------------------------------------------------------------------------ */

static gboolean
wait_readable (int fd, int ms)
{
  struct pollfd p = { fd, POLLIN, 0 };
  return poll (&p, 1, ms) > 0;
}

static void
write_all (int fd, const void *data, size_t len)
{
  const char *p = data;
  while (len > 0)
    {
      ssize_t n = send (fd, p, len, MSG_NOSIGNAL);
      if (n <= 0)
        return;
      p += n;
      len -= n;
    }
}

static void
write_bytes (int fd, GBytes *b)
{
  gsize len;
  const void *d = g_bytes_get_data (b, &len);
  write_all (fd, d, len);
}

/* Reads whatever the client sends within MS milliseconds (the Connection Request). */
static void
drain (int fd, int ms)
{
  char buf[4096];
  if (wait_readable (fd, ms))
    (void) !recv (fd, buf, sizeof buf, 0);
}

/* Waits until the client goes away (or a minute passes): the silent peer. */
static void
hold (int fd)
{
  char buf[256];
  for (int i = 0; i < 600; i++)
    {
      if (wait_readable (fd, 100) && recv (fd, buf, sizeof buf, 0) <= 0)
        return;
    }
}

static void
serve (const char *mode, int fd)
{
  g_autoptr(GBytes) cc = NULL;

  if (g_str_equal (mode, "tls"))
    {
      serve_tls (fd, FALSE);
      return;
    }
  if (g_str_equal (mode, "rdp-tls"))
    {
      serve_rdp_tls (fd);
      return;
    }
  drain (fd, 2000);

  if (g_str_has_prefix (mode, "fail-"))
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_FAILURE, 0, atoi (mode + 5));
      write_bytes (fd, cc);
    }
  else if (g_str_has_prefix (mode, "select-"))
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0x1f, atoi (mode + 7));
      write_bytes (fd, cc);
      hold (fd);
    }
  else if (g_str_equal (mode, "legacy"))
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_NONE, 0, 0);
      write_bytes (fd, cc);
      hold (fd);
    }
  else if (g_str_equal (mode, "disconnect"))
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_DISCONNECT, 0, 0);
      write_bytes (fd, cc);
    }
  else if (g_str_equal (mode, "truncated"))
    {
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0, 1);
      write_all (fd, g_bytes_get_data (cc, NULL), 9);
    }
  else if (g_str_equal (mode, "oversized-tpkt"))
    {
      static const guint8 big[] = { 0x03, 0x00, 0xff, 0xff, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0 };
      write_all (fd, big, sizeof big);
      hold (fd);
    }
  else if (g_str_equal (mode, "oversized-neg"))
    {
      guint8 buf[19];
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0, 1);
      memcpy (buf, g_bytes_get_data (cc, NULL), sizeof buf);
      buf[13] = 0xff;   /* RDP_NEG_RSP length = 0xffff */
      buf[14] = 0xff;
      write_all (fd, buf, sizeof buf);
      hold (fd);
    }
  else if (g_str_equal (mode, "http"))
    {
      static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                                  "Connection: close\r\n\r\n";
      write_all (fd, reply, sizeof reply - 1);
    }
  else if (g_str_equal (mode, "silent"))
    hold (fd);
  else if (g_str_equal (mode, "close"))
    ;
  else if (g_str_equal (mode, "reset"))
    {
      struct linger lg = { 1, 0 };   /* close with RST */
      setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
  else if (g_str_equal (mode, "trickle"))
    {
      gsize len;
      const guint8 *d;
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0, 1);
      d = g_bytes_get_data (cc, &len);
      for (gsize i = 0; i < len; i++)
        {
          if (send (fd, d + i, 1, MSG_NOSIGNAL) != 1)
            break;
          if (wait_readable (fd, 1000))
            {
              char b;
              if (recv (fd, &b, 1, MSG_PEEK) <= 0)
                break;
            }
        }
    }
  else if (g_str_equal (mode, "endless"))
    {
      /* RFC 864 character generator: printable lines, forever. */
      char line[74];
      for (int i = 0;; i++)
        {
          for (int j = 0; j < 72; j++)
            line[j] = 32 + (i + j) % 95;
          line[72] = '\r';
          line[73] = '\n';
          if (send (fd, line, sizeof line, MSG_NOSIGNAL) <= 0)
            break;
        }
    }
  else if (g_str_equal (mode, "endless-after-confirm"))
    {
      static const guint8 zeros[4096];
      cc = mend_x224_build_confirm (MEND_X224_REPLY_NEG_RESPONSE, 0, 1);
      write_bytes (fd, cc);
      while (send (fd, zeros, sizeof zeros, MSG_NOSIGNAL) > 0)
        ;
    }
  else if (g_str_equal (mode, "replay") && replay_chunks != NULL)
    {
      /* The real server's payloads in order, each after the client has spoken. */
      for (guint i = 0; i < replay_chunks->len; i++)
        {
          if (i > 0)
            {
              if (!wait_readable (fd, 2000))
                break;
              drain (fd, 0);
            }
          write_bytes (fd, replay_chunks->pdata[i]);
        }
      hold (fd);
    }
  else
    g_printerr ("mend-hostile-peer: unknown mode %s\n", mode);
}

typedef struct {
  const char *mode;
  int fd;
} Conn;

static gpointer
conn_thread (gpointer data)
{
  Conn *c = data;
  serve (c->mode, c->fd);
  close (c->fd);
  g_free (c);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  Listener *l = data;

  for (;;)
    {
      int fd = accept (l->listen_fd, NULL, NULL);
      Conn *c;

      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          return NULL;
        }
      c = g_new0 (Conn, 1);
      c->mode = l->mode;
      c->fd = fd;
      g_thread_unref (g_thread_new ("conn", conn_thread, c));
    }
}

int
main (int argc, char **argv)
{
  int first = 1;
  char buf[64];

  if (argc > 2 && g_str_equal (argv[1], "--pcap"))
    {
      if (!load_pcap (argv[2]))
        {
          g_printerr ("mend-hostile-peer: cannot read %s as an Ethernet pcap\n", argv[2]);
          return 1;
        }
      first = 3;
    }
  if (first >= argc)
    {
      g_printerr ("usage: mend-hostile-peer [--pcap FILE] MODE...\n");
      return 2;
    }

  tls_setup ();
  for (int i = first; i < argc; i++)
    {
      Listener *l = g_new0 (Listener, 1);
      struct sockaddr_storage ss = { 0 };
      socklen_t sl = sizeof ss;
      int one = 1;
      /* "MODE@6" listens on [::1] instead of 127.0.0.1. */
      gboolean v6 = g_str_has_suffix (argv[i], "@6");
      guint port;

      l->mode = v6 ? g_strndup (argv[i], strlen (argv[i]) - 2) : argv[i];
      l->listen_fd = socket (v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
      setsockopt (l->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (v6)
        {
          struct sockaddr_in6 *sa6 = (struct sockaddr_in6 *) &ss;
          sa6->sin6_family = AF_INET6;
          sa6->sin6_addr = in6addr_loopback;
          sl = sizeof *sa6;
        }
      else
        {
          struct sockaddr_in *sa = (struct sockaddr_in *) &ss;
          sa->sin_family = AF_INET;
          sa->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
          sl = sizeof *sa;
        }
      if (bind (l->listen_fd, (struct sockaddr *) &ss, sl) < 0 ||
          listen (l->listen_fd, 256) < 0 ||
          getsockname (l->listen_fd, (struct sockaddr *) &ss, &sl) < 0)
        {
          perror ("mend-hostile-peer: listen");
          return 1;
        }
      port = v6 ? ntohs (((struct sockaddr_in6 *) &ss)->sin6_port)
                : ntohs (((struct sockaddr_in *) &ss)->sin_port);
      printf ("%s %u\n", argv[i], port);
      g_thread_unref (g_thread_new ("accept", accept_thread, l));
    }
  printf ("ready\n");
  fflush (stdout);

  /* Lives as long as the test holds our standard input open. */
  while (read (STDIN_FILENO, buf, sizeof buf) > 0)
    ;
  return 0;
}
