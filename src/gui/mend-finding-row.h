/* mend-finding-row.h — one finding on the findings page: title, severity, confidence,
 * an expander "Why we think so" with the evidence, and the fixes the user may choose. */
#pragma once

#include <gtk/gtk.h>
#include "base/mend-finding.h"

G_BEGIN_DECLS

#define MEND_TYPE_FINDING_ROW (mend_finding_row_get_type ())
G_DECLARE_FINAL_TYPE (MendFindingRow, mend_finding_row, MEND, FINDING_ROW, GtkWidget)

GtkWidget   *mend_finding_row_new           (MendFinding *finding);
MendFinding *mend_finding_row_get_finding   (MendFindingRow *self);
void         mend_finding_row_set_technical (MendFindingRow *self, gboolean technical);
void         mend_finding_row_set_expanded  (MendFindingRow *self, gboolean expanded);
/* Appends the fix ids whose check boxes are ticked (char*, not owned). */
void         mend_finding_row_get_selected_fixes (MendFindingRow *self, GPtrArray *out);

G_END_DECLS
