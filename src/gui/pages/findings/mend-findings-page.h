/* mend-findings-page.h — fourth page: the connection path, problems first with evidence
 * and fixes, what the user told us (confirmed or not), checks that passed, the report. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_FINDINGS_PAGE (mend_findings_page_get_type ())
G_DECLARE_FINAL_TYPE (MendFindingsPage, mend_findings_page, MEND, FINDINGS_PAGE, MendPage)

G_END_DECLS
