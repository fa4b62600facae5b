/* mend-x224.h — TPKT / X.224 Connection Request and Confirm with RDP_NEG_* (MS-RDPBCGR
 * 2.2.1.1–2.2.1.2, DOMAIN.md §2): a pure builder and parser, no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* requestedProtocols / selectedProtocol values. */
#define MEND_RDP_PROTOCOL_RDP       0x00000000u
#define MEND_RDP_PROTOCOL_SSL       0x00000001u
#define MEND_RDP_PROTOCOL_HYBRID    0x00000002u
#define MEND_RDP_PROTOCOL_RDSTLS    0x00000004u
#define MEND_RDP_PROTOCOL_HYBRID_EX 0x00000008u
#define MEND_RDP_PROTOCOL_RDSAAD    0x00000010u

/* RDP_NEG_RSP flags. */
#define MEND_RDP_NEG_EXTENDED_CLIENT_DATA_SUPPORTED   0x01
#define MEND_RDP_NEG_DYNVC_GFX_PROTOCOL_SUPPORTED     0x02
#define MEND_RDP_NEG_RESTRICTED_ADMIN_MODE_SUPPORTED  0x08
#define MEND_RDP_NEG_REDIRECTED_AUTH_MODE_SUPPORTED   0x10

/* X.224 TPDU codes (upper nibble of the code byte). */
#define MEND_X224_TPDU_CONNECTION_REQUEST 0xE0
#define MEND_X224_TPDU_CONNECTION_CONFIRM 0xD0
#define MEND_X224_TPDU_DISCONNECT_REQUEST 0x80
#define MEND_X224_TPDU_ERROR              0x70

#define MEND_TPKT_HEADER_LEN 4
/* A Connection Confirm with negotiation data is 19 bytes; anything this long is not one. */
#define MEND_X224_CONFIRM_MAX_LEN 512

typedef enum {
  MEND_X224_REPLY_NEG_NONE,     /* legacy confirm: no rdpNegData (pre-negotiation server) */
  MEND_X224_REPLY_NEG_RESPONSE, /* RDP_NEG_RSP */
  MEND_X224_REPLY_NEG_FAILURE,  /* RDP_NEG_FAILURE */
  MEND_X224_REPLY_DISCONNECT,   /* an X.224 Disconnect Request or Error TPDU instead */
} MendX224ReplyKind;

typedef struct {
  MendX224ReplyKind kind;
  guint8  tpdu_code;        /* 0xD0, 0x80 or 0x70 */
  guint16 src_ref;          /* Windows sends 0x1234, xrdp/FreeRDP 0 */
  guint8  neg_flags;        /* RDP_NEG_RSP flags (NEG_RESPONSE only) */
  guint32 selected_protocol;/* NEG_RESPONSE only */
  guint32 failure_code;     /* NEG_FAILURE only: 1–6 known */
} MendX224Confirm;

/* What the first bytes of a reply look like, to name what answered when it is not RDP. */
typedef enum {
  MEND_X224_PEEK_TPKT,      /* 03 00 LL LL */
  MEND_X224_PEEK_HTTP,      /* "HTTP/" */
  MEND_X224_PEEK_TLS,       /* a TLS record (alert or handshake) */
  MEND_X224_PEEK_SSH,       /* "SSH-" */
  MEND_X224_PEEK_UNKNOWN,
  MEND_X224_PEEK_NEED_MORE, /* too few bytes to tell */
} MendX224Peek;

/* Client Connection Request: TPKT + X.224 CR + optional "Cookie: mstshash=COOKIE\r\n"
 * (NULL for none) + RDP_NEG_REQ with REQUESTED_PROTOCOLS and FLAGS. */
GBytes       *mend_x224_build_request  (guint32 requested_protocols, guint8 flags,
                                        const char *cookie);
/* Server Connection Confirm (used by tests and the hostile peer). KIND NEG_NONE omits
 * rdpNegData; VALUE is the selected protocol or the failure code. */
GBytes       *mend_x224_build_confirm  (MendX224ReplyKind kind, guint8 flags, guint32 value);

MendX224Peek  mend_x224_peek           (const guint8 *data, gsize len);
/* Total length announced by a TPKT header (needs 4 bytes), or 0 if it is not one. */
gsize         mend_tpkt_length         (const guint8 *data, gsize len);
/* Parses one whole TPKT holding a Connection Confirm (or a DR/ER TPDU). Fails with
 * MEND_ERROR_PARSE, saying what is wrong, on anything malformed or truncated. */
gboolean      mend_x224_parse_confirm  (const guint8 *data, gsize len, MendX224Confirm *out,
                                        GError **error);

/* "rdp", "ssl", "hybrid", "rdstls", "hybrid-ex", "rdsaad"; NULL for other values. */
const char   *mend_rdp_protocol_to_string (guint32 protocol);
/* CATALOG.md code names: "ssl-required" … "ssl-with-user-auth-required"; NULL if unknown. */
const char   *mend_rdp_failure_to_string  (guint32 code);
/* MS-RDPBCGR names ("HYBRID_REQUIRED_BY_SERVER"); NULL if unknown. */
const char   *mend_rdp_failure_to_spec_name (guint32 code);
/* Human explanation of a failure code, translated. */
const char   *mend_rdp_failure_describe   (guint32 code);
/* "extended-client-data,gfx,…" for RDP_NEG_RSP flags; "" for none. Free with g_free. */
char         *mend_rdp_neg_flags_to_string (guint8 flags);

G_END_DECLS
