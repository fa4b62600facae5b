/* mend-checks-firewall.c — Windows Firewall profiles and the Remote Desktop inbound rules. */
#include "checks/mend-checks-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Rule strings: "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|...". */
static char *
rule_field (const char *rule, const char *field)
{
  g_auto (GStrv) parts = g_strsplit (rule, "|", -1);
  gsize fl = strlen (field);
  for (guint i = 0; parts[i]; i++)
    if (g_ascii_strncasecmp (parts[i], field, fl) == 0 && parts[i][fl] == '=')
      return g_strdup (parts[i] + fl + 1);
  return NULL;
}

void
mend_check_firewall (MendCheckContext *ctx)
{
  MendRegistry *reg = mend_check_context_get_registry (ctx);
  static const char *const profiles[] = { "DomainProfile", "StandardProfile", "PublicProfile" };
  const char *rules_key = MEND_KEY_FIREWALL "\\FirewallRules";
  g_autoptr (GError) error = NULL;
  if (!mend_registry_key_exists (reg, MEND_KEY_FIREWALL, &error))
    {
      mend_check_context_skip (ctx, error ? error->message
                                          : _("The firewall policy key is missing (the firewall "
                                              "service is not configured in this image)"));
      return;
    }
  gboolean any_on = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *p = g_strdup_printf (MEND_KEY_FIREWALL "\\%s", profiles[i]);
      guint32 on = 1;
      /* Absent EnableFirewall means the default: on. */
      if (!mend_checks_read_dword (ctx, p, "EnableFirewall", &on) || on != 0)
        any_on = TRUE;
    }
  guint32 port = 3389;
  mend_checks_read_dword (ctx, MEND_KEY_RDPTCP, "PortNumber", &port);
  g_autofree char *port_s = g_strdup_printf ("%u", port);

  g_autoptr (GPtrArray) rules = mend_registry_list_values (reg, rules_key, NULL);
  gboolean tcp_active = FALSE, tcp_present = FALSE;
  g_autoptr (MendFinding) closed = mend_finding_new ("server.firewall-closed", MEND_SEVERITY_PROBLEM,
                                                     MEND_CONFIDENCE_CONFIRMED,
                                                     _("The firewall blocks Remote Desktop"));
  g_autofree char *resolved = mend_registry_resolve (reg, rules_key);
  gboolean blocked = FALSE;
  for (guint i = 0; rules && i < rules->len; i++)
    {
      MendRegValue *v = rules->pdata[i];
      g_autofree char *rule = mend_reg_value_get_string (v, NULL);
      if (rule == NULL)
        continue;
      g_autofree char *active = rule_field (rule, "Active");
      g_autofree char *action = rule_field (rule, "Action");
      g_autofree char *dir = rule_field (rule, "Dir");
      g_autofree char *lport = rule_field (rule, "LPort");
      gboolean is_active = active && g_ascii_strcasecmp (active, "TRUE") == 0;
      if (g_ascii_strcasecmp (v->name, "RemoteDesktop-UserMode-In-TCP") == 0)
        {
          tcp_present = TRUE;
          tcp_active = is_active && action && g_ascii_strcasecmp (action, "Allow") == 0;
          if (!tcp_active)
            mend_finding_add_evidence (closed, "registry", resolved, v->name, rule);
        }
      else if (is_active && action && g_ascii_strcasecmp (action, "Block") == 0 && dir &&
               g_ascii_strcasecmp (dir, "In") == 0 && lport && g_strcmp0 (lport, port_s) == 0)
        {
          blocked = TRUE;
          mend_finding_add_evidence (closed, "registry", resolved, v->name, rule);
        }
    }
  if (any_on && (!tcp_active || blocked))
    {
      if (!tcp_present)
        mend_finding_add_evidence (closed, "registry", resolved, "RemoteDesktop-UserMode-In-TCP",
                                   _("(absent)"));
      mend_finding_set_detail (closed, _("The firewall is on and the inbound “Remote Desktop - User "
                                         "Mode (TCP-In)” rule is off or missing, or a rule blocks "
                                         "the listener's port. Connections never reach the "
                                         "listener."));
      if (!tcp_active && tcp_present)
        mend_finding_add_fix (closed, "enable-firewall-rule");
      for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
        {
          g_autofree char *p = g_strdup_printf (MEND_KEY_FIREWALL "\\%s", profiles[i]);
          mend_check_context_add_registry_evidence (ctx, closed, p, "EnableFirewall");
        }
      mend_check_context_add (ctx, g_steal_pointer (&closed));
      return;
    }
  MendFinding *ok = mend_finding_new ("server.firewall-closed", MEND_SEVERITY_OK,
                                      MEND_CONFIDENCE_CONFIRMED,
                                      any_on ? _("The firewall lets Remote Desktop in")
                                             : _("The firewall is off for every profile"));
  mend_check_context_add_registry_evidence (ctx, ok, rules_key, "RemoteDesktop-UserMode-In-TCP");
  mend_check_context_add (ctx, ok);
}
