/* mend-window.h — the wizard window: header bar, the assistant and its pages, and the
 * report actions (copy, save, technical details, hide names). */
#pragma once

#include <gtk/gtk.h>
#include "mend-driver.h"

G_BEGIN_DECLS

#define MEND_TYPE_WINDOW (mend_window_get_type ())
G_DECLARE_FINAL_TYPE (MendWindow, mend_window, MEND, WINDOW, GtkApplicationWindow)

MendWindow *mend_window_new        (GtkApplication *app, MendDriver *driver);
MendDriver *mend_window_get_driver (MendWindow *self);

G_END_DECLS
