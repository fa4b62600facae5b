/* fuzz-hivelog.c — transaction-log replay on hostile logs: the input is a whole .LOG1 (new
 * or old format) replayed onto a small valid hive; also replayed as .LOG2 behind itself. */
#include "registry/mend-hive.h"
#include "registry/mend-hive-log.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static GBytes *base_hive;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (base_hive == NULL)
    {
      g_autofree char *tmp = NULL;
      int fd = g_file_open_tmp ("fuzz-hivelog-XXXXXX", &tmp, NULL);
      if (fd >= 0)
        close (fd);
      g_autofree char *contents = NULL;
      gsize len = 0;
      if (tmp == NULL || !mend_hive_create_empty (tmp, "ROOT", NULL) ||
          !g_file_get_contents (tmp, &contents, &len, NULL))
        abort ();
      g_unlink (tmp);
      /* Mark it dirty at sequence 1 so logs starting there apply. */
      contents[4] = 2;
      base_hive = g_bytes_new_take (g_steal_pointer (&contents), len);
    }
  g_autoptr (GBytes) log = g_bytes_new (data, size);
  g_autoptr (GBytes) a = mend_hive_log_replay_data (base_hive, log, NULL, NULL, NULL);
  g_autoptr (GBytes) b = mend_hive_log_replay_data (base_hive, log, log, NULL, NULL);
  return 0;
}
