/* mend-cli-probe.c — placeholder until the network probe lands (owned by the probe work). */
#include "mend-cli.h"

int
mend_cli_probe (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: probe is not available in this build\n");
  return MEND_EXIT_USAGE;
}
