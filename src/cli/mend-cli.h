/* mend-cli.h — sub-commands of rdpmend-cli; each returns the process exit code. */
#pragma once

#include <glib.h>
#include "session/mend-session.h"

G_BEGIN_DECLS

/* CATALOG.md exit codes. */
enum {
  MEND_EXIT_OK = 0,
  MEND_EXIT_PROBLEM = 1,
  MEND_EXIT_USAGE = 2,
  MEND_EXIT_TARGET = 3,
  MEND_EXIT_FIX_REFUSED = 4,
  MEND_EXIT_ROLLED_BACK = 5,
};

int mend_cli_diagnose (int argc, char **argv);
int mend_cli_fix      (int argc, char **argv);
int mend_cli_undo     (int argc, char **argv);
int mend_cli_journal  (int argc, char **argv);
int mend_cli_probe    (int argc, char **argv);
int mend_cli_explain  (int argc, char **argv);
int mend_cli_report   (int argc, char **argv);

/* Shared target options (--image, --probe, --probe-file, --rdp-file, --error, --role,
 * --timeout): add them to a GOptionContext, then fill a session. */
typedef struct {
  char  **images;
  char  **probes;
  char   *probe_file;
  char   *rdp_file;
  char   *error_code;
  char   *role;
  double  timeout;
} MendCliTargets;

GOptionGroup *mend_cli_targets_option_group (MendCliTargets *targets);
/* Exit code on failure (2 usage, 3 target), 0 on success. */
int           mend_cli_targets_apply        (MendCliTargets *targets, MendSession *session,
                                             gboolean require_image);
void          mend_cli_targets_clear        (MendCliTargets *targets);
/* Adds ENTRIES and the target options to OCTX and parses ARGV; on a usage error prints it,
 * clears TARGETS and returns FALSE (the caller exits with MEND_EXIT_USAGE). */
gboolean      mend_cli_parse_with_targets   (GOptionContext *octx, const GOptionEntry *entries,
                                             MendCliTargets *targets, int *argc, char ***argv);

/* Prints a GError as "rdpmend-cli: message" on stderr. */
void          mend_cli_print_error          (const char *context, const GError *error);
/* Is stdout a terminal (colour, prompts)? */
gboolean      mend_cli_is_tty               (void);

G_END_DECLS
