/* mend-w32-mkhive.c — writes an empty hive with the library's own writer, for the wine test
 * to merge the layer's .reg export into with hivexregedit (an independent reader). */
#include "registry/mend-hive.h"

#include <stdio.h>

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: mend-w32-mkhive HIVE ROOTNAME\n");
      return 2;
    }
  if (!mend_hive_create_empty (argv[1], argv[2], &error))
    {
      fprintf (stderr, "mend-w32-mkhive: %s\n", error->message);
      return 1;
    }
  return 0;
}
