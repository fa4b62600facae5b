/* mend-scan-page.h — third page: every check listed as it runs, overall progress, Cancel. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_SCAN_PAGE (mend_scan_page_get_type ())
G_DECLARE_FINAL_TYPE (MendScanPage, mend_scan_page, MEND, SCAN_PAGE, MendPage)

G_END_DECLS
