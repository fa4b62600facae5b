/* mend-cert.h — certificates: Windows store blobs (serialized properties) and X.509 facts. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Property ids inside a serialized store element (DOMAIN.md §4). */
#define MEND_CERT_PROP_KEY_PROV_INFO  2
#define MEND_CERT_PROP_SHA1_HASH      3
#define MEND_CERT_PROP_FRIENDLY_NAME 11
#define MEND_CERT_PROP_CERT          32   /* the DER certificate */

#define MEND_OID_SERVER_AUTH    "1.3.6.1.5.5.7.3.1"
#define MEND_OID_RD_AUTH        "1.3.6.1.4.1.311.54.1.2"

/* CERT_KEY_PROV_INFO (property 2). */
typedef struct {
  char   *container;     /* UTF-8 */
  char   *provider;      /* UTF-8 */
  guint32 provider_type; /* 24 Enhanced RSA/AES, 12 RSA SChannel, 0 CNG KSP */
  guint32 flags;         /* 0x20 CRYPT_MACHINE_KEYSET */
  guint32 key_spec;
} MendKeyProvInfo;

/* What the rules need to know about one X.509 certificate. */
typedef struct {
  char    *subject;          /* RFC 4514 DN */
  char    *issuer;
  char    *common_name;      /* first CN of the subject, or NULL */
  GStrv    dns_names;        /* subjectAltName dNSName */
  GStrv    ip_addresses;     /* subjectAltName iPAddress, textual */
  gint64   not_before;       /* unix seconds */
  gint64   not_after;
  char    *signature_algorithm;   /* "RSA-SHA256" */
  gboolean signature_sha1;        /* SHA-1 or MD5 based signature */
  char    *key_algorithm;         /* "RSA", "EC" */
  guint    key_bits;
  GStrv    ekus;             /* OIDs; NULL/empty = no EKU extension (any purpose) */
  gboolean has_eku_extension;
  gboolean self_signed;      /* subject == issuer and signature verifies with own key */
  char    *sha1;             /* 40 uppercase hex */
  char    *sha256;           /* 64 uppercase hex */
  char    *serial;           /* hex */
} MendCertInfo;

/* A certificate found in a registry store (…\SystemCertificates\<store>\Certificates\<hash>). */
typedef struct {
  char            *store;        /* "MY", "Remote Desktop" */
  char            *key_name;     /* sub-key name (the thumbprint as stored) */
  MendCertInfo    *info;         /* NULL if the DER could not be parsed */
  MendKeyProvInfo *key_prov;     /* NULL if the blob has no property 2 */
  char            *friendly_name;
  gboolean         hash_matches; /* SHA-1 of the DER equals key_name (and property 3);
                                  * from_blob alone: property 3, TRUE when absent */
} MendStoreCert;

/* Parses DER (or PEM when the data starts with "-----BEGIN"). MEND_ERROR_PARSE on failure. */
MendCertInfo    *mend_cert_info_new_from_der (const guint8 *data, gsize len, GError **error);
void             mend_cert_info_free         (MendCertInfo *info);
/* Server Authentication or Remote Desktop Authentication EKU, or no EKU extension. */
gboolean         mend_cert_info_allows_server_auth (const MendCertInfo *info);
/* NAME (DNS name, case-insensitive, with "*." wildcards, or an IP literal) is in the SANs,
 * or in the CN when there are no SANs. */
gboolean         mend_cert_info_matches_name (const MendCertInfo *info, const char *name);
gboolean         mend_cert_info_is_valid_at  (const MendCertInfo *info, gint64 now);
JsonObject      *mend_cert_info_to_json      (const MendCertInfo *info);

/* Blob: sequence of {u32 propId, u32 reserved(=1), u32 cb, cb bytes}. Calls FUNC for each
 * property; fails with MEND_ERROR_PARSE on truncation or lengths beyond the data. */
typedef gboolean (*MendCertPropFunc) (guint32 prop_id, const guint8 *data, gsize len,
                                      gpointer user_data);
gboolean         mend_cert_blob_foreach      (const guint8 *blob, gsize len,
                                              MendCertPropFunc func, gpointer user_data,
                                              GError **error);
/* Whole blob → MendStoreCert (store/key_name left NULL). */
MendStoreCert   *mend_store_cert_new_from_blob (const guint8 *blob, gsize len, GError **error);
/* Same, for the value under …\Certificates\KEY_NAME of STORE: fills store/key_name and sets
 * hash_matches from the SHA-1 of the DER against KEY_NAME (and property 3 when present). */
MendStoreCert   *mend_store_cert_new_from_registry (const char *store, const char *key_name,
                                                    const guint8 *blob, gsize len,
                                                    GError **error);
void             mend_store_cert_free        (MendStoreCert *cert);
MendKeyProvInfo *mend_key_prov_info_parse    (const guint8 *data, gsize len, GError **error);
void             mend_key_prov_info_free     (MendKeyProvInfo *info);

/* Builds a blob (for fixtures and tests): DER as property 32, optional key provider info. */
GBytes          *mend_cert_blob_build        (const guint8 *der, gsize der_len,
                                              const MendKeyProvInfo *key_prov,
                                              const char *friendly_name);

/* MachineKeys file name for a CryptoAPI container: md5(lower(container)+NUL) as four
 * little-endian DWORDs in hex, "_", MachineGuid. ("TSSecKeySet1" → "f686aace…"). */
char            *mend_cert_machine_key_file_name (const char *container, const char *machine_guid);

/* Hex thumbprint from user input: strips everything that is not a hex digit (the MMC
 * copy carries invisible marks); NULL unless exactly 40 hex digits remain. */
char            *mend_cert_normalize_thumbprint (const char *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendCertInfo, mend_cert_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendStoreCert, mend_store_cert_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendKeyProvInfo, mend_key_prov_info_free)

G_END_DECLS
