/* mend-cli-report.c — placeholder until report rendering lands (owned by the GUI work). */
#include "mend-cli.h"

int
mend_cli_report (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: report is not available in this build\n");
  return MEND_EXIT_USAGE;
}
