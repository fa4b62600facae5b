/* mend-target-page.h — second page: which Windows installation to examine. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_TARGET_PAGE (mend_target_page_get_type ())
G_DECLARE_FINAL_TYPE (MendTargetPage, mend_target_page, MEND, TARGET_PAGE, MendPage)

G_END_DECLS
