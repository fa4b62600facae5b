/* mend-cli-explain.c — placeholder until the error-code tables land (owned by the parsers work). */
#include "mend-cli.h"

int
mend_cli_explain (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: explain is not available in this build\n");
  return MEND_EXIT_USAGE;
}
