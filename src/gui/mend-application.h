/* mend-application.h — the GtkApplication: one wizard window; folders passed on the
 * command line are offered as Windows installations to repair. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_APPLICATION_ID "org.rdpmend.Wizard"

#define MEND_TYPE_APPLICATION (mend_application_get_type ())
G_DECLARE_FINAL_TYPE (MendApplication, mend_application, MEND, APPLICATION, GtkApplication)

MendApplication *mend_application_new (void);

G_END_DECLS
