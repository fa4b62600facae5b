/* mend-assistant.h — drives the pages: applies the current page on Next, moves to the
 * next visible page, shows a spinner and Cancel while a page works, moves focus. */
#pragma once

#include <gtk/gtk.h>
#include "mend-page.h"

G_BEGIN_DECLS

#define MEND_TYPE_ASSISTANT (mend_assistant_get_type ())
G_DECLARE_FINAL_TYPE (MendAssistant, mend_assistant, MEND, ASSISTANT, GtkWidget)

void       mend_assistant_set_driver       (MendAssistant *self, MendDriver *driver);
void       mend_assistant_add_page         (MendAssistant *self, MendPage *page);
MendPage  *mend_assistant_get_current_page (MendAssistant *self);
void       mend_assistant_next_page        (MendAssistant *self);
void       mend_assistant_previous_page    (MendAssistant *self);
GtkWidget *mend_assistant_get_next_button  (MendAssistant *self);
/* Shows the first visible page. */
void       mend_assistant_start            (MendAssistant *self);

G_END_DECLS
