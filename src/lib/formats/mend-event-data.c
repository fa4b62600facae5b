/* mend-event-data.c — pulls Data/UserData/Binary/Correlation out of an event's XML.
 * Not a general XML parser: event XML is flat and machine-written, and a record damaged
 * on disk must still yield what it can, so every step gives up locally, never globally. */
#include "formats/mend-event-data.h"

#include <string.h>

struct _MendEventData {
  GArray *fields;        /* MendEventField */
  char   *binary;
  char   *activity_id;
  char   *time_created;
};

typedef struct {
  const char *p;
  const char *end;
} Cursor;

static void
field_clear (gpointer data)
{
  MendEventField *field = data;

  g_clear_pointer (&field->name, g_free);
  g_clear_pointer (&field->value, g_free);
}

static gboolean
has_prefix (const Cursor *c, const char *prefix)
{
  gsize n = strlen (prefix);

  return (gsize) (c->end - c->p) >= n && memcmp (c->p, prefix, n) == 0;
}

/* Moves past the first occurrence of NEEDLE, or to the end. */
static void
skip_past (Cursor *c, const char *needle)
{
  gsize n = strlen (needle);

  while (c->p < c->end) {
    if ((gsize) (c->end - c->p) >= n && memcmp (c->p, needle, n) == 0) {
      c->p += n;
      return;
    }
    c->p++;
  }
}

static gboolean
is_space (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && is_space (*c->p))
    c->p++;
}

/* Appends S..E to OUT with the five XML entities and numeric references decoded; anything
 * else that starts with '&' is kept as written. */
static void
append_decoded (GString *out, const char *s, const char *e)
{
  while (s < e) {
    const char *semi;
    gsize n;

    if (*s != '&') {
      g_string_append_c (out, *s++);
      continue;
    }
    semi = memchr (s, ';', MIN ((gsize) (e - s), 12));
    if (semi == NULL) {
      g_string_append_c (out, *s++);
      continue;
    }
    n = semi - s - 1;
    if (n == 2 && memcmp (s + 1, "lt", 2) == 0)
      g_string_append_c (out, '<');
    else if (n == 2 && memcmp (s + 1, "gt", 2) == 0)
      g_string_append_c (out, '>');
    else if (n == 3 && memcmp (s + 1, "amp", 3) == 0)
      g_string_append_c (out, '&');
    else if (n == 4 && memcmp (s + 1, "quot", 4) == 0)
      g_string_append_c (out, '"');
    else if (n == 4 && memcmp (s + 1, "apos", 4) == 0)
      g_string_append_c (out, '\'');
    else if (n >= 2 && s[1] == '#') {
      char digits[12] = { 0 };
      gboolean hex = (s[2] == 'x' || s[2] == 'X');
      const char *d = s + (hex ? 3 : 2);
      char *stop = NULL;
      guint64 cp;

      if (semi - d <= 0 || (gsize) (semi - d) >= sizeof digits) {
        g_string_append_c (out, *s++);
        continue;
      }
      memcpy (digits, d, semi - d);
      cp = g_ascii_strtoull (digits, &stop, hex ? 16 : 10);
      if (stop == NULL || *stop != '\0' || cp == 0 || cp > 0x10FFFF
          || !g_unichar_validate ((gunichar) cp)) {
        g_string_append_c (out, *s++);
        continue;
      }
      g_string_append_unichar (out, (gunichar) cp);
    } else {
      g_string_append_c (out, *s++);
      continue;
    }
    s = semi + 1;
  }
}

/* Reads an element name (prefix stripped) at the cursor. */
static char *
read_name (Cursor *c)
{
  const char *start = c->p;
  const char *colon = NULL;

  while (c->p < c->end && !is_space (*c->p) && *c->p != '>' && *c->p != '/'
         && *c->p != '=' && *c->p != '<') {
    if (*c->p == ':')
      colon = c->p;
    c->p++;
  }
  if (colon != NULL)
    start = colon + 1;
  return g_strndup (start, c->p - start);
}

/* Parses attributes up to and including '>' or "/>". Returns the wanted attribute's
 * value (decoded) in *WANTED_VALUE when WANTED is not NULL. Sets *SELF_CLOSING. Returns
 * FALSE when the tag never closes (end of input). */
static gboolean
read_attributes (Cursor *c, const char *wanted, char **wanted_value, gboolean *self_closing)
{
  *self_closing = FALSE;
  for (;;) {
    g_autofree char *name = NULL;
    const char *vstart;
    char quote;

    skip_space (c);
    if (c->p >= c->end)
      return FALSE;
    if (*c->p == '>') {
      c->p++;
      return TRUE;
    }
    if (has_prefix (c, "/>")) {
      c->p += 2;
      *self_closing = TRUE;
      return TRUE;
    }
    name = read_name (c);
    skip_space (c);
    if (c->p >= c->end || *c->p != '=' || name[0] == '\0') {
      /* Not an attribute we understand: give up on this tag, keep the document. */
      while (c->p < c->end && *c->p != '>')
        c->p++;
      if (c->p >= c->end)
        return FALSE;
      *self_closing = c->p[-1] == '/';
      c->p++;
      return TRUE;
    }
    c->p++;
    skip_space (c);
    if (c->p >= c->end || (*c->p != '"' && *c->p != '\''))
      continue;
    quote = *c->p++;
    vstart = c->p;
    while (c->p < c->end && *c->p != quote)
      c->p++;
    if (c->p >= c->end)
      return FALSE;
    if (wanted != NULL && wanted_value != NULL && *wanted_value == NULL
        && g_ascii_strcasecmp (name, wanted) == 0) {
      GString *v = g_string_new (NULL);

      append_decoded (v, vstart, c->p);
      *wanted_value = g_string_free (v, FALSE);
    }
    c->p++;
  }
}

/* Text content from the cursor (just after a start tag) up to the next markup that is not
 * CDATA or a comment. *IS_LEAF tells whether that markup is an end tag. */
static char *
read_content (Cursor *c, gboolean *is_leaf)
{
  GString *out = g_string_new (NULL);

  *is_leaf = FALSE;
  while (c->p < c->end) {
    const char *lt = memchr (c->p, '<', c->end - c->p);

    if (lt == NULL) {
      append_decoded (out, c->p, c->end);
      c->p = c->end;
      break;
    }
    append_decoded (out, c->p, lt);
    c->p = lt;
    if (has_prefix (c, "<![CDATA[")) {
      const char *s = c->p + 9;
      const char *e = s;

      while (e < c->end && !((gsize) (c->end - e) >= 3 && memcmp (e, "]]>", 3) == 0))
        e++;
      g_string_append_len (out, s, e - s);
      c->p = e < c->end ? e + 3 : c->end;
      continue;
    }
    if (has_prefix (c, "<!--")) {
      skip_past (c, "-->");
      continue;
    }
    *is_leaf = has_prefix (c, "</");
    break;
  }
  return g_string_free (out, FALSE);
}

static void
add_field (MendEventData *self, char *name, char *value)
{
  MendEventField field;

  field.name = name != NULL ? g_utf8_make_valid (name, -1) : NULL;
  field.value = g_utf8_make_valid (value, -1);
  g_free (name);
  g_free (value);
  g_array_append_val (self->fields, field);
}

/* Hex digits of a <Binary> body, upper case; NULL when it holds anything else. */
static char *
normalise_hex (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *s = text; *s; s++) {
    if (is_space (*s))
      continue;
    if (!g_ascii_isxdigit (*s)) {
      g_string_free (out, TRUE);
      return NULL;
    }
    g_string_append_c (out, g_ascii_toupper (*s));
  }
  if (out->len == 0) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

MendEventData *
mend_event_data_parse (const char *xml, gssize len)
{
  MendEventData *self = g_new0 (MendEventData, 1);
  Cursor c;
  gboolean in_user_data = FALSE;

  self->fields = g_array_new (FALSE, FALSE, sizeof (MendEventField));
  g_array_set_clear_func (self->fields, field_clear);
  if (xml == NULL)
    return self;
  if (len < 0)
    len = strlen (xml);
  else
    len = strnlen (xml, len);
  c.p = xml;
  c.end = xml + len;

  while (c.p < c.end) {
    g_autofree char *name = NULL;
    g_autofree char *name_attr = NULL;
    gboolean self_closing = FALSE;
    const char *lt = memchr (c.p, '<', c.end - c.p);
    const char *wanted = NULL;

    if (lt == NULL)
      break;
    c.p = lt + 1;
    if (c.p >= c.end)
      break;
    if (*c.p == '/') {
      c.p++;
      name = read_name (&c);
      if (g_strcmp0 (name, "UserData") == 0)
        in_user_data = FALSE;
      while (c.p < c.end && *c.p != '>')
        c.p++;
      continue;
    }
    if (*c.p == '!' || *c.p == '?') {
      c.p--;
      if (has_prefix (&c, "<!--"))
        skip_past (&c, "-->");
      else if (has_prefix (&c, "<![CDATA["))
        skip_past (&c, "]]>");
      else
        skip_past (&c, ">");
      continue;
    }

    name = read_name (&c);
    if (name[0] == '\0')
      continue;
    if (strcmp (name, "Data") == 0)
      wanted = "Name";
    else if (strcmp (name, "Correlation") == 0)
      wanted = "ActivityID";
    else if (strcmp (name, "TimeCreated") == 0)
      wanted = "SystemTime";
    if (!read_attributes (&c, wanted, &name_attr, &self_closing))
      break;

    if (strcmp (name, "Data") == 0) {
      gboolean leaf;
      char *value = self_closing ? g_strdup ("") : read_content (&c, &leaf);

      add_field (self, g_steal_pointer (&name_attr), value);
    } else if (strcmp (name, "Correlation") == 0) {
      if (self->activity_id == NULL && name_attr != NULL)
        self->activity_id = g_utf8_make_valid (name_attr, -1);
    } else if (strcmp (name, "TimeCreated") == 0) {
      if (self->time_created == NULL && name_attr != NULL)
        self->time_created = g_utf8_make_valid (name_attr, -1);
    } else if (strcmp (name, "Binary") == 0) {
      if (!self_closing && self->binary == NULL) {
        gboolean leaf;
        g_autofree char *text = read_content (&c, &leaf);

        self->binary = normalise_hex (text);
      }
    } else if (strcmp (name, "UserData") == 0) {
      in_user_data = !self_closing;
    } else if (in_user_data && !self_closing) {
      gboolean leaf;
      g_autofree char *text = read_content (&c, &leaf);

      /* Only leaves carry values; a wrapper's text is indentation. */
      if (leaf)
        add_field (self, g_steal_pointer (&name), g_steal_pointer (&text));
    }
  }
  return self;
}

void
mend_event_data_free (MendEventData *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->fields);
  g_free (self->binary);
  g_free (self->activity_id);
  g_free (self->time_created);
  g_free (self);
}

guint
mend_event_data_get_n_fields (const MendEventData *self)
{
  return self->fields->len;
}

const MendEventField *
mend_event_data_get_field (const MendEventData *self, guint index)
{
  if (index >= self->fields->len)
    return NULL;
  return &g_array_index (self->fields, MendEventField, index);
}

const char *
mend_event_data_lookup (const MendEventData *self, const char *name)
{
  for (guint i = 0; i < self->fields->len; i++) {
    const MendEventField *field = &g_array_index (self->fields, MendEventField, i);

    if (field->name != NULL && g_ascii_strcasecmp (field->name, name) == 0)
      return field->value;
  }
  return NULL;
}

const char *
mend_event_data_get_nth (const MendEventData *self, guint index)
{
  const MendEventField *field = mend_event_data_get_field (self, index);

  return field != NULL ? field->value : NULL;
}

const char *
mend_event_data_get_binary (const MendEventData *self)
{
  return self->binary;
}

const char *
mend_event_data_get_activity_id (const MendEventData *self)
{
  return self->activity_id;
}

const char *
mend_event_data_get_time_created (const MendEventData *self)
{
  return self->time_created;
}
