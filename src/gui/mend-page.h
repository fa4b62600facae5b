/* mend-page.h — base class of the wizard's pages (after gnome-initial-setup's GisPage):
 * a page says whether Next may be pressed, may apply itself asynchronously on Next, and
 * may run work (busy) that the assistant's Cancel button stops. */
#pragma once

#include <gtk/gtk.h>
#include "mend-driver.h"

G_BEGIN_DECLS

#define MEND_TYPE_PAGE (mend_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (MendPage, mend_page, MEND, PAGE, GtkWidget)

struct _MendPageClass
{
  GtkWidgetClass parent_class;

  /* The page became the current one (moving forward or back). */
  void     (*shown)  (MendPage *page);
  /* Called on Next. Return TRUE when the work went async: the page then calls
   * mend_page_apply_complete() later. The default returns FALSE (nothing to do). */
  gboolean (*apply)  (MendPage *page, GCancellable *cancellable);
  /* Cancel pressed while the page is busy (not applying). */
  void     (*cancel) (MendPage *page);

  gpointer padding[8];
};

MendDriver *mend_page_get_driver         (MendPage *self);
void        mend_page_set_driver         (MendPage *self, MendDriver *driver);
const char *mend_page_get_title          (MendPage *self);
void        mend_page_set_title          (MendPage *self, const char *title);
gboolean    mend_page_get_complete       (MendPage *self);
void        mend_page_set_complete       (MendPage *self, gboolean complete);
gboolean    mend_page_get_busy           (MendPage *self);
void        mend_page_set_busy           (MendPage *self, gboolean busy);
gboolean    mend_page_get_applying       (MendPage *self);
/* Label of the Next button on this page ("_Apply Changes"); NULL for the default. */
const char *mend_page_get_next_label     (MendPage *self);
void        mend_page_set_next_label     (MendPage *self, const char *label);
/* Style Next as destructive-action (changes will be written). */
gboolean    mend_page_get_next_destructive (MendPage *self);
void        mend_page_set_next_destructive (MendPage *self, gboolean destructive);
/* Widget focused when the page is shown (default: the first focusable one). */
void        mend_page_set_initial_focus  (MendPage *self, GtkWidget *widget);
GtkWidget  *mend_page_get_initial_focus  (MendPage *self);

void        mend_page_shown              (MendPage *self);
gboolean    mend_page_apply_begin        (MendPage *self, GCallback done_cb, gpointer user_data);
void        mend_page_apply_cancel       (MendPage *self);
void        mend_page_apply_complete     (MendPage *self, gboolean valid);
void        mend_page_cancel             (MendPage *self);

/* Check buttons do not wrap their label in GTK 4.8; long answers would hold the window
 * wider than a phone. Makes every check button under WIDGET wrap. */
void        mend_wrap_check_buttons      (GtkWidget *widget);

G_END_DECLS
