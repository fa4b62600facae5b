/* mend-x224.c — builds the client's X.224 Connection Request and parses the server's
 * Connection Confirm; every length is checked against the bytes actually present. */
#include "probe/mend-x224.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "base/mend-error.h"

#define X224_CR_CC_HEADER_LEN 7
#define RDP_NEG_LEN 8
#define RDP_NEG_TYPE_REQ 0x01
#define RDP_NEG_TYPE_RSP 0x02
#define RDP_NEG_TYPE_FAILURE 0x03

static void
put_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put_le32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static guint32
get_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
         ((guint32) p[3] << 24);
}

static GBytes *
frame_tpdu (guint8 code, guint16 src_ref, const guint8 *payload, gsize payload_len)
{
  gsize total = MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN + payload_len;
  guint8 *buf;

  g_return_val_if_fail (total <= 0xffff && total - 5 <= 0xff, NULL);

  buf = g_malloc0 (total);
  buf[0] = 0x03;
  buf[1] = 0x00;
  buf[2] = total >> 8;
  buf[3] = total & 0xff;
  buf[4] = (guint8) (total - 5);   /* LI counts the bytes after itself */
  buf[5] = code;
  /* DST-REF stays 0; SRC-REF as given; class 0 */
  buf[8] = src_ref >> 8;
  buf[9] = src_ref & 0xff;
  if (payload_len > 0)
    memcpy (buf + MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN, payload, payload_len);
  return g_bytes_new_take (buf, total);
}

GBytes *
mend_x224_build_request (guint32 requested_protocols, guint8 flags, const char *cookie)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  guint8 neg[RDP_NEG_LEN] = { RDP_NEG_TYPE_REQ, 0 };

  if (cookie != NULL)
    {
      /* A cookie must not hold CR/LF (it is terminated by them) and must keep the
       * whole TPDU within the LI byte. */
      g_return_val_if_fail (strpbrk (cookie, "\r\n") == NULL, NULL);
      g_return_val_if_fail (strlen (cookie) < 200, NULL);
      g_byte_array_append (payload, (const guint8 *) "Cookie: mstshash=", 17);
      g_byte_array_append (payload, (const guint8 *) cookie, strlen (cookie));
      g_byte_array_append (payload, (const guint8 *) "\r\n", 2);
    }
  neg[1] = flags;
  put_le16 (neg + 2, RDP_NEG_LEN);
  put_le32 (neg + 4, requested_protocols);
  g_byte_array_append (payload, neg, sizeof neg);

  return frame_tpdu (MEND_X224_TPDU_CONNECTION_REQUEST, 0, payload->data, payload->len);
}

GBytes *
mend_x224_build_confirm (MendX224ReplyKind kind, guint8 flags, guint32 value)
{
  guint8 neg[RDP_NEG_LEN] = { 0 };

  switch (kind)
    {
    case MEND_X224_REPLY_NEG_NONE:
      return frame_tpdu (MEND_X224_TPDU_CONNECTION_CONFIRM, 0x1234, NULL, 0);
    case MEND_X224_REPLY_NEG_RESPONSE:
    case MEND_X224_REPLY_NEG_FAILURE:
      neg[0] = kind == MEND_X224_REPLY_NEG_RESPONSE ? RDP_NEG_TYPE_RSP : RDP_NEG_TYPE_FAILURE;
      neg[1] = flags;
      put_le16 (neg + 2, RDP_NEG_LEN);
      put_le32 (neg + 4, value);
      return frame_tpdu (MEND_X224_TPDU_CONNECTION_CONFIRM, 0x1234, neg, sizeof neg);
    case MEND_X224_REPLY_DISCONNECT:
      return frame_tpdu (MEND_X224_TPDU_DISCONNECT_REQUEST, 0x1234, NULL, 0);
    default:
      g_return_val_if_reached (NULL);
    }
}

MendX224Peek
mend_x224_peek (const guint8 *data, gsize len)
{
  static const char http[] = "HTTP/";
  static const char ssh[] = "SSH-";

  if (len == 0)
    return MEND_X224_PEEK_NEED_MORE;
  if (data[0] == 0x03)
    {
      if (len < 2)
        return MEND_X224_PEEK_NEED_MORE;
      return data[1] == 0x00 ? MEND_X224_PEEK_TPKT : MEND_X224_PEEK_UNKNOWN;
    }
  /* TLS record: content type alert (21) or handshake (22), then version 3.x. */
  if (data[0] == 0x15 || data[0] == 0x16)
    {
      if (len < 3)
        return MEND_X224_PEEK_NEED_MORE;
      return data[1] == 0x03 && data[2] <= 0x04 ? MEND_X224_PEEK_TLS : MEND_X224_PEEK_UNKNOWN;
    }
  if (data[0] == 'H')
    {
      gsize n = MIN (len, sizeof http - 1);
      if (memcmp (data, http, n) != 0)
        return MEND_X224_PEEK_UNKNOWN;
      return n < sizeof http - 1 ? MEND_X224_PEEK_NEED_MORE : MEND_X224_PEEK_HTTP;
    }
  if (data[0] == 'S')
    {
      gsize n = MIN (len, sizeof ssh - 1);
      if (memcmp (data, ssh, n) != 0)
        return MEND_X224_PEEK_UNKNOWN;
      return n < sizeof ssh - 1 ? MEND_X224_PEEK_NEED_MORE : MEND_X224_PEEK_SSH;
    }
  return MEND_X224_PEEK_UNKNOWN;
}

gsize
mend_tpkt_length (const guint8 *data, gsize len)
{
  if (len < MEND_TPKT_HEADER_LEN || data[0] != 0x03 || data[1] != 0x00)
    return 0;
  return ((gsize) data[2] << 8) | data[3];
}

gboolean
mend_x224_parse_confirm (const guint8 *data, gsize len, MendX224Confirm *out, GError **error)
{
  gsize tpkt_len;
  guint8 li, code;
  const guint8 *neg;
  guint16 neg_len;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);

  tpkt_len = mend_tpkt_length (data, len);
  if (tpkt_len == 0)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The reply does not start with a TPKT header (03 00)."));
      return FALSE;
    }
  if (tpkt_len < MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The TPKT length %u is too short for an X.224 confirm (at least 11)."),
                   (guint) tpkt_len);
      return FALSE;
    }
  if (tpkt_len > len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The reply is truncated: the TPKT header announces %u bytes, %u arrived."),
                   (guint) tpkt_len, (guint) len);
      return FALSE;
    }
  if (tpkt_len < len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("%u bytes follow the announced TPKT length of %u."),
                   (guint) (len - tpkt_len), (guint) tpkt_len);
      return FALSE;
    }

  li = data[4];
  code = data[5] & 0xf0;
  out->tpdu_code = code;
  out->src_ref = ((guint16) data[8] << 8) | data[9];

  if (li < X224_CR_CC_HEADER_LEN - 1 || (gsize) li + 5 > tpkt_len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The X.224 length indicator %u does not fit the TPKT length %u."),
                   li, (guint) tpkt_len);
      return FALSE;
    }

  if (code == MEND_X224_TPDU_DISCONNECT_REQUEST || code == MEND_X224_TPDU_ERROR)
    {
      out->kind = MEND_X224_REPLY_DISCONNECT;
      return TRUE;
    }
  if (code != MEND_X224_TPDU_CONNECTION_CONFIRM)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The X.224 TPDU code is 0x%02X, not a Connection Confirm (0xD0)."),
                   data[5]);
      return FALSE;
    }
  if ((gsize) li + 5 != tpkt_len)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The X.224 length indicator %u disagrees with the TPKT length %u."),
                   li, (guint) tpkt_len);
      return FALSE;
    }

  if (tpkt_len == MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN)
    {
      out->kind = MEND_X224_REPLY_NEG_NONE;
      return TRUE;
    }
  if (tpkt_len < MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN + RDP_NEG_LEN)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The negotiation data is truncated (%u of 8 bytes)."),
                   (guint) (tpkt_len - MEND_TPKT_HEADER_LEN - X224_CR_CC_HEADER_LEN));
      return FALSE;
    }

  neg = data + MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN;
  neg_len = neg[2] | (neg[3] << 8);
  if (neg_len != RDP_NEG_LEN)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("The negotiation data announces length %u instead of 8."), neg_len);
      return FALSE;
    }
  if (tpkt_len != MEND_TPKT_HEADER_LEN + X224_CR_CC_HEADER_LEN + RDP_NEG_LEN)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("%u unexpected bytes follow the negotiation data."),
                   (guint) (tpkt_len - MEND_TPKT_HEADER_LEN - X224_CR_CC_HEADER_LEN -
                            RDP_NEG_LEN));
      return FALSE;
    }

  switch (neg[0])
    {
    case RDP_NEG_TYPE_RSP:
      out->kind = MEND_X224_REPLY_NEG_RESPONSE;
      out->neg_flags = neg[1];
      out->selected_protocol = get_le32 (neg + 4);
      return TRUE;
    case RDP_NEG_TYPE_FAILURE:
      out->kind = MEND_X224_REPLY_NEG_FAILURE;
      out->neg_flags = neg[1];
      out->failure_code = get_le32 (neg + 4);
      return TRUE;
    default:
      g_set_error (error, MEND_ERROR, MEND_ERROR_PARSE,
                   _("Unknown negotiation data type 0x%02X (expected a response or failure)."),
                   neg[0]);
      return FALSE;
    }
}

const char *
mend_rdp_protocol_to_string (guint32 protocol)
{
  switch (protocol)
    {
    case MEND_RDP_PROTOCOL_RDP: return "rdp";
    case MEND_RDP_PROTOCOL_SSL: return "ssl";
    case MEND_RDP_PROTOCOL_HYBRID: return "hybrid";
    case MEND_RDP_PROTOCOL_RDSTLS: return "rdstls";
    case MEND_RDP_PROTOCOL_HYBRID_EX: return "hybrid-ex";
    case MEND_RDP_PROTOCOL_RDSAAD: return "rdsaad";
    default: return NULL;
    }
}

const char *
mend_rdp_failure_to_string (guint32 code)
{
  switch (code)
    {
    case 1: return "ssl-required";
    case 2: return "ssl-not-allowed";
    case 3: return "ssl-cert-not-on-server";
    case 4: return "inconsistent-flags";
    case 5: return "hybrid-required";
    case 6: return "ssl-with-user-auth-required";
    default: return NULL;
    }
}

const char *
mend_rdp_failure_to_spec_name (guint32 code)
{
  switch (code)
    {
    case 1: return "SSL_REQUIRED_BY_SERVER";
    case 2: return "SSL_NOT_ALLOWED_BY_SERVER";
    case 3: return "SSL_CERT_NOT_ON_SERVER";
    case 4: return "INCONSISTENT_FLAGS";
    case 5: return "HYBRID_REQUIRED_BY_SERVER";
    case 6: return "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
    default: return NULL;
    }
}

const char *
mend_rdp_failure_describe (guint32 code)
{
  switch (code)
    {
    case 1:
      return _("The server requires TLS or CredSSP and refuses what was asked for.");
    case 2:
      return _("The server allows only standard RDP security (Security Layer = RDP); "
               "clients that insist on TLS or NLA are refused.");
    case 3:
      return _("The server has no usable certificate and cannot start TLS: rebind or "
               "recreate the Remote Desktop certificate on the server.");
    case 4:
      return _("The server says the requested protocols are inconsistent with those "
               "already in effect.");
    case 5:
      return _("The server requires Network Level Authentication (CredSSP).");
    case 6:
      return _("The server requires TLS with a client certificate.");
    default:
      return _("The server sent a negotiation failure code this tool does not know.");
    }
}

char *
mend_rdp_neg_flags_to_string (guint8 flags)
{
  static const struct { guint8 bit; const char *name; } names[] = {
    { MEND_RDP_NEG_EXTENDED_CLIENT_DATA_SUPPORTED, "extended-client-data" },
    { MEND_RDP_NEG_DYNVC_GFX_PROTOCOL_SUPPORTED, "gfx" },
    { 0x04, "reserved" },
    { MEND_RDP_NEG_RESTRICTED_ADMIN_MODE_SUPPORTED, "restricted-admin" },
    { MEND_RDP_NEG_REDIRECTED_AUTH_MODE_SUPPORTED, "redirected-auth" },
  };
  GString *s = g_string_new (NULL);
  guint8 known = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      known |= names[i].bit;
      if (flags & names[i].bit)
        g_string_append_printf (s, "%s%s", s->len ? "," : "", names[i].name);
    }
  if (flags & ~known)
    g_string_append_printf (s, "%s0x%02x", s->len ? "," : "", flags & ~known);
  return g_string_free (s, FALSE);
}
