/* mend-target.c — the target interface: dispatch to the implementation. */
#include "target/mend-target.h"

#include <glib/gi18n-lib.h>
#include "base/mend-error.h"

G_DEFINE_ABSTRACT_TYPE (MendTarget, mend_target, G_TYPE_OBJECT)

static char *
mend_target_real_find_event_log_dir (MendTarget *self, GError **error)
{
  g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND, _("This target has no event logs"));
  return NULL;
}

static void
mend_target_class_init (MendTargetClass *klass)
{
  klass->find_event_log_dir = mend_target_real_find_event_log_dir;
}

static void
mend_target_init (MendTarget *self)
{
}

const char *
mend_target_get_name (MendTarget *self)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), NULL);
  return MEND_TARGET_GET_CLASS (self)->get_name (self);
}

MendRegistry *
mend_target_get_registry (MendTarget *self)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), NULL);
  return MEND_TARGET_GET_CLASS (self)->get_registry (self);
}

char *
mend_target_find_path (MendTarget *self, const char *relative)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), NULL);
  return MEND_TARGET_GET_CLASS (self)->find_path (self, relative);
}

GStrv
mend_target_list_users (MendTarget *self)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), NULL);
  return MEND_TARGET_GET_CLASS (self)->list_users (self);
}

char *
mend_target_find_event_log_dir (MendTarget *self, GError **error)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), NULL);
  return MEND_TARGET_GET_CLASS (self)->find_event_log_dir (self, error);
}

gboolean
mend_target_is_read_only (MendTarget *self, char **reason)
{
  g_return_val_if_fail (MEND_IS_TARGET (self), TRUE);
  return MEND_TARGET_GET_CLASS (self)->is_read_only (self, reason);
}
