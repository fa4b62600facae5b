/* mend-fix-firewall.c — enable-firewall-rule: flip Active=FALSE to TRUE in the built-in
 * Remote Desktop inbound rules ("v2.x|Action=Allow|Active=FALSE|Dir=In|..."), keeping
 * every other field and the value type exactly as stored. */
#include "fixes/mend-fix.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include "base/mend-error.h"

#define FIREWALL_RULES \
  "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules"

/* RULE with its Active field set to TRUE; NULL when it already is (or has none and we add
 * it after the version field). */
char *
mend_firewall_rule_activate (const char *rule)
{
  g_auto (GStrv) fields = g_strsplit (rule, "|", -1);
  gboolean found = FALSE, changed = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    if (g_ascii_strncasecmp (fields[i], "Active=", 7) == 0)
      {
        found = TRUE;
        if (g_ascii_strcasecmp (fields[i] + 7, "TRUE") != 0)
          {
            g_free (fields[i]);
            fields[i] = g_strdup ("Active=TRUE");
            changed = TRUE;
          }
      }
  if (!found)
    {
      /* No Active field: Windows treats that as inactive; insert it after "v2.x". */
      g_autofree char *rest = strchr (rule, '|') != NULL ? g_strdup (strchr (rule, '|') + 1) : g_strdup ("");
      g_autofree char *version = g_strndup (rule, strchr (rule, '|') != NULL
                                                    ? (gsize) (strchr (rule, '|') - rule)
                                                    : strlen (rule));

      return g_strdup_printf ("%s|Active=TRUE|%s", version, rest);
    }
  return changed ? g_strjoinv ("|", fields) : NULL;
}

/* "RemoteDesktop-UserMode-In-TCP", "-UDP", and per-profile copies ("…-TCP_1"). */
static gboolean
is_rdp_rule (const char *name, gboolean *tcp)
{
  static const char prefix[] = "RemoteDesktop-UserMode-In-";
  const char *rest;

  if (g_ascii_strncasecmp (name, prefix, strlen (prefix)) != 0)
    return FALSE;
  rest = name + strlen (prefix);
  if (g_ascii_strncasecmp (rest, "TCP", 3) != 0 && g_ascii_strncasecmp (rest, "UDP", 3) != 0)
    return FALSE;
  *tcp = g_ascii_strncasecmp (rest, "TCP", 3) == 0;
  rest += 3;
  if (*rest == '_')
    {
      rest++;
      if (*rest == '\0')
        return FALSE;
      while (g_ascii_isdigit (*rest))
        rest++;
    }
  return *rest == '\0';
}

gboolean
mend_fix_enable_firewall_rule (MendFixContext *ctx, GError **error)
{
  g_autoptr (GPtrArray) values = NULL;
  gboolean have_tcp = FALSE;

  if (!mend_fix_require_key (ctx, FIREWALL_RULES, error))
    return FALSE;
  values = mend_registry_list_values (ctx->registry, FIREWALL_RULES, error);
  if (values == NULL)
    return FALSE;
  for (guint i = 0; i < values->len; i++)
    {
      MendRegValue *value = g_ptr_array_index (values, i);
      g_autofree char *text = NULL;
      g_autofree char *active = NULL;
      g_autofree char *desc = NULL;
      gboolean tcp = FALSE;

      if (!is_rdp_rule (value->name, &tcp))
        continue;
      have_tcp |= tcp;
      text = mend_reg_value_get_string (value, NULL);
      if (text == NULL || !g_str_has_prefix (text, "v"))
        {
          g_set_error (error, MEND_ERROR, MEND_ERROR_WRONG_TYPE,
                       _("The firewall rule %s is not in the format Windows writes "
                         "(“v2.x|Action=…|Active=…”); it is left alone. Nothing was written."),
                       value->name);
          return FALSE;
        }
      active = mend_firewall_rule_activate (text);
      if (active == NULL)
        continue;
      desc = g_strdup_printf (_("Switch on the firewall rule %s (Active=TRUE), keeping its "
                                "other settings"), value->name);
      if (!mend_fix_set_value (ctx, FIREWALL_RULES,
                               mend_reg_value_new_string (value->name, value->type, active),
                               desc, error))
        return FALSE;
    }
  if (!have_tcp)
    {
      g_set_error (error, MEND_ERROR, MEND_ERROR_NOT_FOUND,
                   _("The firewall rule RemoteDesktop-UserMode-In-TCP does not exist in this "
                     "installation, so it cannot be switched on offline. Start Windows and "
                     "enable the “Remote Desktop” rule group in Windows Defender Firewall. "
                     "Nothing was written."));
      return FALSE;
    }
  mend_fix_add_note (ctx,
                      _("If the firewall still blocks connections, another rule (for example "
                        "one from a security product) may block port 3389; check it in "
                        "Windows Defender Firewall with Advanced Security."));
  mend_fix_add_step (ctx, _("None offline: the firewall reads the rules when Windows starts."));
  return TRUE;
}
