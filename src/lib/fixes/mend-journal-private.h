/* mend-journal-private.h — where journal entries live, shared by the apply engine
 * (mend-plan-apply.c) and undo (mend-journal.c). Not installed. */
#pragma once

#include "base/mend-durable.h"
#include "base/mend-fault.h"
#include "fixes/mend-change.h"
#include "fixes/mend-journal.h"
#include "target/mend-image.h"

G_BEGIN_DECLS

#define MEND_JOURNAL_SCHEMA 1

/* <image>/ProgramData/RDPMend/journal (ProgramData found case-insensitively). */
char         *mend_journal_get_dir         (MendImage *image, gboolean create, GError **error);
/* g_get_user_data_dir()/rdpmend/journal/<hash of the image root>. */
char         *mend_journal_get_mirror_dir  (MendImage *image);
/* Copies the entry FOLDER to the user's data dir (best effort: a warning on failure). */
void          mend_journal_mirror          (MendImage *image, const char *folder,
                                            gboolean manifest_only);

G_END_DECLS
