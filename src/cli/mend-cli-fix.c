/* mend-cli-fix.c — placeholder until the fix engine lands (owned by the fixes work). */
#include "mend-cli.h"

int
mend_cli_fix (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: fix is not available in this build\n");
  return MEND_EXIT_USAGE;
}

int
mend_cli_undo (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: undo is not available in this build\n");
  return MEND_EXIT_USAGE;
}

int
mend_cli_journal (int argc, char **argv)
{
  g_printerr ("rdpmend-cli: journal is not available in this build\n");
  return MEND_EXIT_USAGE;
}
