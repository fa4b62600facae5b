/* mend-cert-private.h — what the X.509 reader (mend-cert.c) and the store blob parser
 * (mend-cert-store.c) share. Not installed. */
#pragma once

#include "formats/mend-cert.h"

G_BEGIN_DECLS

/* LEN bytes as 2 * LEN hex digits, upper or lower case. */
char *mend_cert_hex_string (const guint8 *data, gsize len, gboolean upper);

G_END_DECLS
