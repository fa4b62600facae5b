/* mend-report.c — reports for people (text, Markdown, HTML with the path picture, JSON),
 * redaction of user and host names, and the connection-path stage model. */
#include <string.h>
#include <glib/gi18n-lib.h>
#include "report/mend-report.h"
#include "fixes/mend-plan.h"
#include "formats/mend-errcodes.h"

/* Finding and check ids are matched by prefix: the longest matching prefix wins, so
 * "client.mslicensing" beats "client." and "server.certificate" beats "server.". */
static const struct {
  const char *prefix;
  MendStage   stage;
} stage_rules[] = {
  { "client.files", MEND_STAGE_LOCAL },
  { "client.mstscax", MEND_STAGE_LOCAL },
  { "client.temp", MEND_STAGE_LOCAL },
  { "client.registry", MEND_STAGE_LICENSING },
  { "client.mslicensing", MEND_STAGE_LICENSING },
  { "client.licens", MEND_STAGE_LICENSING },
  { "client.credssp", MEND_STAGE_SIGNIN },
  { "client.tls", MEND_STAGE_TLS },
  { "rdpfile.invalid", MEND_STAGE_LOCAL },
  { "rdpfile.gateway", MEND_STAGE_NETWORK },
  { "rdpfile", MEND_STAGE_LOCAL },
  { "probe.unreachable", MEND_STAGE_NETWORK },
  { "probe.not-rdp", MEND_STAGE_SERVER },
  { "probe.negotiation", MEND_STAGE_NEGOTIATION },
  { "probe.legacy-rdp-security", MEND_STAGE_NEGOTIATION },
  { "probe.tls", MEND_STAGE_TLS },
  { "probe.certificate", MEND_STAGE_CERTIFICATE },
  { "probe.summary", MEND_STAGE_NEGOTIATION },
  { "server.firewall", MEND_STAGE_NETWORK },
  { "server.port", MEND_STAGE_NETWORK },
  { "server.rdp-disabled", MEND_STAGE_SERVER },
  { "server.listener", MEND_STAGE_SERVER },
  { "server.service", MEND_STAGE_SERVER },
  { "server.edition", MEND_STAGE_SERVER },
  { "server.certificate", MEND_STAGE_CERTIFICATE },
  { "server.selfsigned", MEND_STAGE_CERTIFICATE },
  { "server.tls", MEND_STAGE_TLS },
  { "server.security", MEND_STAGE_NEGOTIATION },
  { "events.client-disconnect", MEND_STAGE_NETWORK },
  { "events.schannel", MEND_STAGE_TLS },
  { "events.rdp-certificate", MEND_STAGE_CERTIFICATE },
  { "events.access-denied", MEND_STAGE_SIGNIN },
};

static const struct {
  const char *id;
  const char *label;
} stage_names[MEND_N_STAGES] = {
  { "local", N_("This computer") },
  { "network", N_("Network") },
  { "server", N_("Server") },
  { "negotiation", N_("Negotiation") },
  { "tls", N_("TLS") },
  { "certificate", N_("Certificate") },
  { "signin", N_("Sign-in") },
  { "licensing", N_("Licensing") },
};

const char *
mend_stage_to_string (MendStage stage)
{
  g_return_val_if_fail (stage < MEND_N_STAGES, NULL);
  return stage_names[stage].id;
}

const char *
mend_stage_to_label (MendStage stage)
{
  g_return_val_if_fail (stage < MEND_N_STAGES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, stage_names[stage].label);
}

const char *
mend_stage_state_to_string (MendStageState state)
{
  switch (state)
    {
    case MEND_STAGE_STATE_OK:
      return "ok";
    case MEND_STAGE_STATE_FAILED:
      return "failed";
    case MEND_STAGE_STATE_NOT_CHECKED:
    default:
      return "not-checked";
    }
}

const char *
mend_stage_state_to_label (MendStageState state)
{
  switch (state)
    {
    case MEND_STAGE_STATE_OK:
      return _("passed");
    case MEND_STAGE_STATE_FAILED:
      return _("problem found");
    case MEND_STAGE_STATE_NOT_CHECKED:
    default:
      return _("not checked");
    }
}

gboolean
mend_stage_for_id (const char *id, MendStage *stage)
{
  gsize best_len = 0;

  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (stage_rules); i++)
    {
      gsize len = strlen (stage_rules[i].prefix);

      if (len > best_len && g_str_has_prefix (id, stage_rules[i].prefix))
        {
          best_len = len;
          if (stage != NULL)
            *stage = stage_rules[i].stage;
        }
    }
  return best_len > 0;
}

gboolean
mend_stage_for_finding (MendFinding *finding, MendStage *stage)
{
  g_return_val_if_fail (MEND_IS_FINDING (finding), FALSE);

  /* A skipped check says nothing about its stage: it stays grey. */
  if (g_str_equal (mend_finding_get_id (finding), "check.skipped"))
    return FALSE;
  if (mend_stage_for_id (mend_finding_get_id (finding), stage))
    return TRUE;
  /* "ok" findings may carry a generic id; the check that produced them decides. */
  return mend_stage_for_id (mend_finding_get_check (finding), stage);
}

int
mend_path_compute (GListModel *findings, MendStageState states[MEND_N_STAGES])
{
  guint n = g_list_model_get_n_items (findings);

  for (guint s = 0; s < MEND_N_STAGES; s++)
    states[s] = MEND_STAGE_STATE_NOT_CHECKED;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      MendStage stage;

      if (!mend_stage_for_finding (f, &stage))
        continue;
      if (mend_finding_get_severity (f) == MEND_SEVERITY_PROBLEM)
        states[stage] = MEND_STAGE_STATE_FAILED;
      else if (states[stage] == MEND_STAGE_STATE_NOT_CHECKED)
        states[stage] = MEND_STAGE_STATE_OK;
    }

  for (guint s = 0; s < MEND_N_STAGES; s++)
    if (states[s] == MEND_STAGE_STATE_FAILED)
      return (int) s;
  return -1;
}

static const char *
stage_colour (MendStageState state)
{
  switch (state)
    {
    case MEND_STAGE_STATE_OK:
      return "#2ec27e";
    case MEND_STAGE_STATE_FAILED:
      return "#e01b24";
    case MEND_STAGE_STATE_NOT_CHECKED:
    default:
      return "#9a9996";
    }
}

char *
mend_path_to_svg (const MendStageState states[MEND_N_STAGES])
{
  /* Two rows of four so the picture stays readable when a report is viewed on a phone. */
  const int cols = 4, cell_w = 170, cell_h = 90;
  GString *svg = g_string_new (NULL);

  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                          "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n",
                          cols * cell_w, 2 * cell_h, cols * cell_w, 2 * cell_h);
  {
    g_autofree char *title = g_markup_escape_text (_("Connection path"), -1);
    g_string_append_printf (svg, "<title>%s</title>\n", title);
  }
  for (guint s = 0; s < MEND_N_STAGES; s++)
    {
      int col = s % cols, row = s / cols;
      int cx = col * cell_w + 30, cy = row * cell_h + 30;
      g_autofree char *label = g_markup_escape_text (mend_stage_to_label (s), -1);
      g_autofree char *state = g_markup_escape_text (mend_stage_state_to_label (states[s]), -1);

      g_string_append_printf (svg,
                              "<g class=\"stage stage-%s\" data-state=\"%s\">"
                              "<circle cx=\"%d\" cy=\"%d\" r=\"16\" fill=\"%s\"/>"
                              "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" "
                              "font-size=\"14\">%s</text>"
                              "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" "
                              "font-size=\"11\" fill=\"#555\">%s</text></g>\n",
                              mend_stage_to_string (s), mend_stage_state_to_string (states[s]),
                              cx, cy, stage_colour (states[s]), cx - 24, cy + 36, label,
                              cx - 24, cy + 52, state);
      if (s + 1 < MEND_N_STAGES && col + 1 < cols)
        g_string_append_printf (svg,
                                "<path d=\"M%d %d h%d\" stroke=\"#777\" stroke-width=\"2\" "
                                "marker-end=\"url(#arrow)\"/>\n",
                                cx + 22, cy, cell_w - 50);
    }
  g_string_append (svg,
                   "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"6\" "
                   "refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#777\"/>"
                   "</marker></defs>\n</svg>\n");
  return g_string_free (svg, FALSE);
}

gboolean
mend_report_format_from_string (const char *s, MendReportFormat *out)
{
  static const char *names[] = { "text", "markdown", "html", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (s, names[i]) == 0)
      {
        *out = (MendReportFormat) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- redaction ---------------------------------------------------------------------- */

static char *
strip_quotes (const char *data)
{
  g_autofree char *s = g_strstrip (g_strdup (data));
  gsize len = strlen (s);

  if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
    return g_strndup (s + 1, len - 2);
  return g_steal_pointer (&s);
}

static void
add_name (GHashTable *names, const char *name, const char *kind, guint *counter)
{
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;

  if (name == NULL)
    return;
  clean = strip_quotes (name);
  /* "host:3389" and "DOMAIN\user" are hidden piece by piece, so each part is caught
   * wherever it appears alone. */
  if (g_str_equal (kind, "host"))
    {
      char *colon = strrchr (clean, ':');

      if (colon != NULL && strchr (clean, ':') == colon && colon[1] != '\0'
          && strspn (colon + 1, "0123456789") == strlen (colon + 1))
        *colon = '\0';
    }
  else
    {
      char *slash = strrchr (clean, '\\');

      if (slash != NULL && slash[1] != '\0')
        {
          g_autofree char *domain = g_strndup (clean, slash - clean);
          add_name (names, slash + 1, kind, counter);
          add_name (names, domain, "host", counter + 1);
          return;
        }
    }
  if (strlen (clean) < 2)
    return;
  key = g_utf8_casefold (clean, -1);
  if (g_hash_table_contains (names, key))
    return;
  (*counter)++;
  g_hash_table_insert (names, g_steal_pointer (&key),
                       g_strdup_printf ("%s%u", kind, *counter));
}

GHashTable *
mend_report_collect_names (MendSession *session)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint counters[2] = { 0, 0 };  /* users, hosts: adjacent so a DOMAIN\user can use both */
  GPtrArray *images = mend_session_get_images (session);
  g_auto(GStrv) probes = mend_session_get_probes (session);
  GListModel *findings = mend_session_get_findings (session);
  guint n;

  for (guint i = 0; images != NULL && i < images->len; i++)
    {
      g_auto(GStrv) users = mend_image_list_users (g_ptr_array_index (images, i));

      for (guint u = 0; users != NULL && users[u] != NULL; u++)
        add_name (names, users[u], "user", &counters[0]);
    }
  for (guint i = 0; probes != NULL && probes[i] != NULL; i++)
    add_name (names, probes[i], "host", &counters[1]);

  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MendFinding) f = g_list_model_get_item (findings, i);
      GPtrArray *evidence = mend_finding_get_evidence (f);
      const char *target = mend_finding_get_target (f);

      if (target != NULL && g_str_has_prefix (target, "probe:"))
        add_name (names, target + strlen ("probe:"), "host", &counters[1]);
      for (guint e = 0; evidence != NULL && e < evidence->len; e++)
        {
          MendEvidence *ev = g_ptr_array_index (evidence, e);
          const char *servers = ev->path ? strstr (ev->path, "\\Servers\\") : NULL;
          const char *value = ev->value ? ev->value : "";

          if (servers != NULL)
            {
              g_autofree char *host = g_strdup (servers + strlen ("\\Servers\\"));
              char *end = strchr (host, '\\');

              if (end != NULL)
                *end = '\0';
              add_name (names, host, "host", &counters[1]);
            }
          if (ev->data == NULL)
            continue;
          if (g_ascii_strcasecmp (value, "UsernameHint") == 0
              || g_ascii_strcasecmp (value, "username") == 0)
            add_name (names, ev->data, "user", &counters[0]);
          else if (g_ascii_strncasecmp (value, "MRU", 3) == 0
                   || g_ascii_strcasecmp (value, "full address") == 0
                   || g_ascii_strcasecmp (value, "ComputerName") == 0
                   || g_ascii_strcasecmp (value, "Hostname") == 0
                   || g_ascii_strcasecmp (value, "gatewayhostname") == 0)
            add_name (names, ev->data, "host", &counters[1]);
        }
    }
  return names;
}

static gboolean
is_name_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || c == '-';
}

static int
compare_length_desc (gconstpointer a, gconstpointer b)
{
  const char *sa = *(const char * const *) a, *sb = *(const char * const *) b;
  return (int) strlen (sb) - (int) strlen (sa);
}

char *
mend_report_redact_text (GHashTable *names, const char *text)
{
  g_autoptr(GPtrArray) keys = NULL;
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return NULL;
  if (names == NULL || g_hash_table_size (names) == 0)
    return g_strdup (text);

  keys = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, names);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (keys, key);
  }
  g_ptr_array_sort (keys, compare_length_desc);
  out = g_string_new (NULL);
  p = text;
  end = text + strlen (text);
  while (*p != '\0')
    {
      gboolean replaced = FALSE;
      gunichar prev = p == text ? 0 : g_utf8_get_char (g_utf8_find_prev_char (text, p));

      if (prev == 0 || !is_name_char (prev))
        {
          for (guint k = 0; k < keys->len && !replaced; k++)
            {
              const char *key = g_ptr_array_index (keys, k);
              gsize klen = strlen (key);
              g_autofree char *chunk = NULL;
              g_autofree char *chunk_folded = NULL;
              const char *after;

              /* Compare the case-folded chunk of the same byte length; names are mostly
               * ASCII, and a non-ASCII name whose folding changes length is still caught
               * through its exact spelling below. */
              if ((gsize) (end - p) < klen
                  || (g_ascii_isalpha (*p) && g_ascii_tolower (*p) != key[0]))
                continue;
              chunk = g_strndup (p, klen);
              if (!g_utf8_validate (chunk, -1, NULL))
                continue;
              chunk_folded = g_utf8_casefold (chunk, -1);
              if (!g_str_equal (chunk_folded, key))
                continue;
              after = p + klen;
              if (*after != '\0' && is_name_char (g_utf8_get_char (after)))
                continue;
              g_string_append (out, g_hash_table_lookup (names, key));
              p = after;
              replaced = TRUE;
            }
        }
      if (!replaced)
        {
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- rendering ---------------------------------------------------------------------- */

static const char *
confidence_label (MendConfidence c)
{
  switch (c)
    {
    case MEND_CONFIDENCE_CONFIRMED:
      return _("confirmed");
    case MEND_CONFIDENCE_LIKELY:
      return _("likely");
    case MEND_CONFIDENCE_POSSIBLE:
    default:
      return _("possible");
    }
}

static const char *
fix_title (const char *fix_id)
{
  const MendFixInfo *info = mend_fix_lookup (fix_id);
  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->title) : fix_id;
}

typedef struct {
  MendReportFormat format;
  MendReportFlags  flags;
  GString         *out;
} Renderer;

static void
put_escaped (Renderer *r, const char *text)
{
  if (text == NULL)
    return;
  if (r->format == MEND_REPORT_FORMAT_HTML)
    {
      g_autofree char *esc = g_markup_escape_text (text, -1);
      g_string_append (r->out, esc);
    }
  else if (r->format == MEND_REPORT_FORMAT_MARKDOWN)
    {
      /* Keep Markdown from turning registry paths and names into formatting. */
      for (const char *p = text; *p != '\0'; p++)
        {
          if (strchr ("\\`*_[]<>#|", *p) != NULL)
            g_string_append_c (r->out, '\\');
          g_string_append_c (r->out, *p);
        }
    }
  else
    g_string_append (r->out, text);
}

static void
put_heading (Renderer *r, int level, const char *text)
{
  switch (r->format)
    {
    case MEND_REPORT_FORMAT_HTML:
      g_string_append_printf (r->out, "<h%d>", level);
      put_escaped (r, text);
      g_string_append_printf (r->out, "</h%d>\n", level);
      break;
    case MEND_REPORT_FORMAT_MARKDOWN:
      for (int i = 0; i < level; i++)
        g_string_append_c (r->out, '#');
      g_string_append_c (r->out, ' ');
      put_escaped (r, text);
      g_string_append (r->out, "\n\n");
      break;
    default:
      g_string_append (r->out, text);
      g_string_append_c (r->out, '\n');
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        g_string_append_c (r->out, level == 1 ? '=' : '-');
      g_string_append (r->out, "\n\n");
      break;
    }
}

static void
put_paragraph (Renderer *r, const char *text)
{
  if (r->format == MEND_REPORT_FORMAT_HTML)
    g_string_append (r->out, "<p>");
  put_escaped (r, text);
  g_string_append (r->out, r->format == MEND_REPORT_FORMAT_HTML ? "</p>\n" : "\n\n");
}

static void
begin_list (Renderer *r)
{
  if (r->format == MEND_REPORT_FORMAT_HTML)
    g_string_append (r->out, "<ul>\n");
}

static void
end_list (Renderer *r)
{
  g_string_append (r->out, r->format == MEND_REPORT_FORMAT_HTML ? "</ul>\n" : "\n");
}

static void
put_item (Renderer *r, int depth, const char *text)
{
  if (r->format == MEND_REPORT_FORMAT_HTML)
    {
      g_string_append (r->out, "<li>");
      put_escaped (r, text);
      g_string_append (r->out, "</li>\n");
      return;
    }
  for (int i = 0; i < depth; i++)
    g_string_append (r->out, "  ");
  g_string_append (r->out, "- ");
  put_escaped (r, text);
  g_string_append_c (r->out, '\n');
}

static char *
evidence_line (MendEvidence *ev, gboolean technical)
{
  GString *s = g_string_new (NULL);

  if (technical && ev->path != NULL)
    g_string_append_printf (s, "(%s) %s", ev->kind ? ev->kind : "note", ev->path);
  if (ev->value != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? " → " : "", ev->value);
  if (ev->data != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? ": " : "", ev->data);
  if (s->len == 0 && ev->path != NULL)
    g_string_append (s, ev->path);
  if (ev->stale)
    g_string_append_printf (s, " (%s)", _("may be out of date: the hive has unsaved log data"));
  return g_string_free (s, FALSE);
}

static void
put_finding (Renderer *r, MendFinding *f, guint index)
{
  gboolean technical = (r->flags & MEND_REPORT_FLAGS_TECHNICAL) != 0;
  const char * const *fixes = mend_finding_get_fixes (f);
  GPtrArray *evidence = mend_finding_get_evidence (f);
  g_autofree char *heading = NULL;
  g_autofree char *meta = NULL;

  heading = g_strdup_printf ("%u. %s", index, mend_finding_get_title (f));
  put_heading (r, 3, heading);
  if (technical)
    meta = g_strdup_printf ("%s: %s · %s: %s · %s: %s · %s: %s", _("Severity"),
                            mend_severity_to_label (mend_finding_get_severity (f)),
                            _("Confidence"),
                            confidence_label (mend_finding_get_confidence (f)), _("ID"),
                            mend_finding_get_id (f), _("Target"),
                            mend_finding_get_target (f) ? mend_finding_get_target (f) : "—");
  else
    meta = g_strdup_printf ("%s · %s", mend_severity_to_label (mend_finding_get_severity (f)),
                            confidence_label (mend_finding_get_confidence (f)));
  put_paragraph (r, meta);
  if (mend_finding_get_detail (f) != NULL && *mend_finding_get_detail (f) != '\0')
    put_paragraph (r, mend_finding_get_detail (f));
  if (evidence != NULL && evidence->len > 0)
    {
      put_paragraph (r, _("Why we think so:"));
      begin_list (r);
      for (guint e = 0; e < evidence->len; e++)
        {
          g_autofree char *line = evidence_line (g_ptr_array_index (evidence, e), technical);
          put_item (r, 0, line);
        }
      end_list (r);
    }
  if (fixes != NULL && fixes[0] != NULL)
    {
      put_paragraph (r, _("Suggested fix:"));
      begin_list (r);
      for (guint i = 0; fixes[i] != NULL; i++)
        {
          g_autofree char *line = technical
            ? g_strdup_printf ("%s (%s)", fix_title (fixes[i]), fixes[i])
            : g_strdup (fix_title (fixes[i]));
          put_item (r, 0, line);
        }
      end_list (r);
    }
}

static void
put_path (Renderer *r, const MendStageState states[MEND_N_STAGES])
{
  put_heading (r, 2, _("Connection path"));
  if (r->format == MEND_REPORT_FORMAT_HTML)
    {
      g_autofree char *svg = mend_path_to_svg (states);
      g_string_append_printf (r->out, "<figure>%s</figure>\n", svg);
    }
  /* Words as well as colours: the text survives copy-paste and screen readers. */
  begin_list (r);
  for (guint s = 0; s < MEND_N_STAGES; s++)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", mend_stage_to_label (s),
                                               mend_stage_state_to_label (states[s]));
      put_item (r, 0, line);
    }
  end_list (r);
}

static char *
system_line (MendSession *session)
{
  const MendSystemInfo *sys = mend_session_get_system (session);
  GString *s;

  if (sys == NULL)
    return NULL;
  s = g_string_new (sys->product ? sys->product : _("Windows"));
  if (sys->display_version != NULL)
    g_string_append_printf (s, " %s", sys->display_version);
  if (sys->build > 0)
    {
      g_string_append_printf (s, " (%s %" G_GINT64_FORMAT, _("build"), sys->build);
      if (sys->ubr >= 0)
        g_string_append_printf (s, ".%" G_GINT64_FORMAT, sys->ubr);
      g_string_append_c (s, ')');
    }
  return g_string_free (s, FALSE);
}

static char *
render_json (MendSession *session, const MendStageState states[MEND_N_STAGES],
             const char * const *notes)
{
  g_autoptr(JsonNode) root = mend_session_to_json (session);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonObject *obj = json_node_get_object (root);
  JsonObject *path = json_object_new ();

  for (guint s = 0; s < MEND_N_STAGES; s++)
    json_object_set_string_member (path, mend_stage_to_string (s),
                                   mend_stage_state_to_string (states[s]));
  json_object_set_object_member (obj, "path", path);
  if (notes != NULL)
    {
      JsonArray *arr = json_array_new ();
      for (guint i = 0; notes[i] != NULL; i++)
        json_array_add_string_element (arr, notes[i]);
      json_object_set_array_member (obj, "notes", arr);
    }
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

char *
mend_report_render (MendSession *session, MendReportFormat format, MendReportFlags flags,
                    const char * const *notes)
{
  Renderer r = { format, flags, g_string_new (NULL) };
  MendStageState states[MEND_N_STAGES];
  GListModel *findings;
  g_autoptr(GPtrArray) attention = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) context = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) passed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = NULL;
  g_autofree char *system = NULL;
  g_autofree char *raw = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  guint32 code = 0, extended = 0;
  gboolean has_extended = FALSE;
  guint n;

  g_return_val_if_fail (MEND_IS_SESSION (session), NULL);

  findings = mend_session_get_findings (session);
  mend_path_compute (findings, states);

  if (format == MEND_REPORT_FORMAT_JSON)
    raw = render_json (session, states, notes);
  else
    {
      n = g_list_model_get_n_items (findings);
      for (guint i = 0; i < n; i++)
        {
          MendFinding *f = g_list_model_get_item (findings, i);

          switch (mend_finding_get_severity (f))
            {
            case MEND_SEVERITY_PROBLEM:
            case MEND_SEVERITY_WARNING:
              g_ptr_array_add (attention, f);
              break;
            case MEND_SEVERITY_OK:
              g_ptr_array_add (passed, f);
              break;
            case MEND_SEVERITY_INFO:
            default:
              g_ptr_array_add (context, f);
              break;
            }
        }

      if (format == MEND_REPORT_FORMAT_HTML)
        g_string_append (r.out,
                         "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                         "<meta name=\"viewport\" content=\"width=device-width\">"
                         "<title>RDP Mend</title><style>body{font-family:sans-serif;"
                         "max-width:60em;margin:1em auto;padding:0 1em}"
                         "svg{max-width:100%;height:auto}h3{margin-bottom:0.2em}"
                         "</style></head><body>\n");
      put_heading (&r, 1, _("Remote Desktop diagnosis"));

      begin_list (&r);
      {
        g_autofree char *line = g_strdup_printf ("%s: %s", _("Created"), when);
        put_item (&r, 0, line);
      }
      {
        g_autofree char *line = g_strdup_printf ("%s: RDP Mend %s", _("Tool"), MEND_VERSION);
        put_item (&r, 0, line);
      }
      {
        GPtrArray *images = mend_session_get_images (session);
        g_auto(GStrv) probes = mend_session_get_probes (session);

        for (guint i = 0; images != NULL && i < images->len; i++)
          {
            g_autofree char *line =
              g_strdup_printf ("%s: %s", _("Windows installation"),
                               mend_image_get_root (g_ptr_array_index (images, i)));
            put_item (&r, 0, line);
          }
        for (guint i = 0; probes != NULL && probes[i] != NULL; i++)
          {
            g_autofree char *line = g_strdup_printf ("%s: %s", _("Server"), probes[i]);
            put_item (&r, 0, line);
          }
        if (mend_session_get_rdp_file (session) != NULL)
          {
            g_autofree char *line = g_strdup_printf ("%s: %s", _("Connection file"),
                                                     mend_session_get_rdp_file (session));
            put_item (&r, 0, line);
          }
      }
      system = system_line (session);
      if (system != NULL)
        {
          g_autofree char *line = g_strdup_printf ("%s: %s", _("System"), system);
          put_item (&r, 0, line);
        }
      if (mend_session_get_error_code (session, &code, &extended, &has_extended))
        {
          g_autofree char *meaning = mend_errcode_describe (code);
          g_autofree char *ext_meaning = has_extended ? mend_errcode_describe_extended (extended)
                                                      : NULL;
          g_autofree char *line = has_extended
            ? g_strdup_printf ("%s: 0x%X / 0x%X — %s %s", _("Error code reported"), code,
                               extended, meaning, ext_meaning)
            : g_strdup_printf ("%s: 0x%X — %s", _("Error code reported"), code, meaning);
          put_item (&r, 0, line);
        }
      end_list (&r);

      put_path (&r, states);

      put_heading (&r, 2, _("Problems"));
      if (attention->len == 0)
        put_paragraph (&r, _("No problems were found."));
      for (guint i = 0; i < attention->len; i++)
        put_finding (&r, g_ptr_array_index (attention, i), i + 1);

      if (context->len > 0)
        {
          put_heading (&r, 2, _("Other information"));
          for (guint i = 0; i < context->len; i++)
            put_finding (&r, g_ptr_array_index (context, i), i + 1);
        }

      put_heading (&r, 2, _("Checks that passed"));
      begin_list (&r);
      for (guint i = 0; i < passed->len; i++)
        {
          MendFinding *f = g_ptr_array_index (passed, i);
          g_autofree char *line = (flags & MEND_REPORT_FLAGS_TECHNICAL)
            ? g_strdup_printf ("%s (%s)", mend_finding_get_title (f), mend_finding_get_id (f))
            : g_strdup (mend_finding_get_title (f));
          put_item (&r, 0, line);
        }
      end_list (&r);

      if (notes != NULL && notes[0] != NULL)
        {
          put_heading (&r, 2, _("Notes"));
          begin_list (&r);
          for (guint i = 0; notes[i] != NULL; i++)
            put_item (&r, 0, notes[i]);
          end_list (&r);
        }
      if (format == MEND_REPORT_FORMAT_HTML)
        g_string_append (r.out, "</body></html>\n");
      raw = g_string_free (g_steal_pointer (&r.out), FALSE);
    }
  if (r.out != NULL)
    g_string_free (r.out, TRUE);

  if ((flags & MEND_REPORT_FLAGS_REDACT) == 0)
    return g_steal_pointer (&raw);
  names = mend_report_collect_names (session);
  return mend_report_redact_text (names, raw);
}
