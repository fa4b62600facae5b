/* mend-welcome-page.h — first page: what is wrong, and what the user saw. */
#pragma once

#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_WELCOME_PAGE (mend_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (MendWelcomePage, mend_welcome_page, MEND, WELCOME_PAGE, MendPage)

/* Explains an error code as typed by a user ("0x904 / 0x7", "2308/7"); NULL when TEXT is
 * not a code. *VALID is FALSE for text that cannot be read as a code. */
char *mend_welcome_explain_code (const char *text, gboolean *valid);

G_END_DECLS
