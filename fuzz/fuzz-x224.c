/* fuzz-x224.c — libFuzzer target: the X.224 Connection Confirm parser and the reply
 * classifier get arbitrary bytes, as a hostile server would send them. */
#include <stdint.h>
#include <stddef.h>

#include "probe/mend-x224.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  MendX224Confirm cc;
  gsize tpkt;
  GError *error = NULL;

  mend_x224_peek (data, size);
  tpkt = mend_tpkt_length (data, size);
  if (mend_x224_parse_confirm (data, size, &cc, &error))
    {
      /* A confirm that parses must be internally consistent. */
      if (tpkt != size)
        __builtin_trap ();
      if (cc.kind == MEND_X224_REPLY_NEG_RESPONSE)
        g_free (mend_rdp_neg_flags_to_string (cc.neg_flags));
    }
  else
    g_clear_error (&error);
  return 0;
}
