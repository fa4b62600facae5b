/* mend-review-page.h — fifth page: the exact changes of each chosen fix, before writing. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_REVIEW_PAGE (mend_review_page_get_type ())
G_DECLARE_FINAL_TYPE (MendReviewPage, mend_review_page, MEND, REVIEW_PAGE, MendPage)

G_END_DECLS
