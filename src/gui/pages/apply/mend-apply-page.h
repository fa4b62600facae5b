/* mend-apply-page.h — last page: apply with per-step progress, verify by scanning again,
 * say what to do next, and offer Undo. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_APPLY_PAGE (mend_apply_page_get_type ())
G_DECLARE_FINAL_TYPE (MendApplyPage, mend_apply_page, MEND, APPLY_PAGE, MendPage)

G_END_DECLS
