/* mend-path-view.h — the connection-path picture: this computer → network → server →
 * negotiation → TLS → certificate → sign-in → licensing, each green, red or grey. */
#pragma once

#include <gtk/gtk.h>
#include "report/mend-report.h"

G_BEGIN_DECLS

#define MEND_TYPE_PATH_VIEW (mend_path_view_get_type ())
G_DECLARE_FINAL_TYPE (MendPathView, mend_path_view, MEND, PATH_VIEW, GtkWidget)

GtkWidget *mend_path_view_new          (void);
/* Follows FINDINGS (MendFinding items) and redraws as it changes; NULL clears. */
void       mend_path_view_set_findings (MendPathView *self, GListModel *findings);
MendStageState mend_path_view_get_state (MendPathView *self, MendStage stage);

G_END_DECLS
