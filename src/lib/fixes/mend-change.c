/* mend-change.c — one registry change of a plan, and its JSON form in plans and manifests. */
#include "fixes/mend-change.h"

#include <string.h>

const char *
mend_change_kind_to_string (MendChangeKind kind)
{
  switch (kind)
    {
    case MEND_CHANGE_CREATE_KEY:
      return "create-key";
    case MEND_CHANGE_SET_VALUE:
      return "set-value";
    case MEND_CHANGE_DELETE_VALUE:
      return "delete-value";
    case MEND_CHANGE_DELETE_TREE:
      return "delete-tree";
    }
  return "unknown";
}

gboolean
mend_change_kind_from_string (const char *s, MendChangeKind *out)
{
  for (MendChangeKind k = MEND_CHANGE_CREATE_KEY; k <= MEND_CHANGE_DELETE_TREE; k++)
    if (g_strcmp0 (s, mend_change_kind_to_string (k)) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

void
mend_change_free (MendChange *change)
{
  if (change == NULL)
    return;
  g_free (change->path);
  g_free (change->resolved_path);
  g_free (change->value_name);
  g_clear_pointer (&change->old_value, mend_reg_value_free);
  g_clear_pointer (&change->new_value, mend_reg_value_free);
  g_free (change->description);
  g_free (change);
}

JsonNode *
mend_reg_value_to_json_hex (const MendRegValue *v)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gsize len = 0;
  const guint8 *data;
  g_autoptr (GString) hex = g_string_new (NULL);

  if (v == NULL)
    return json_node_new (JSON_NODE_NULL);
  data = g_bytes_get_data (v->data, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, v->name);
  json_builder_set_member_name (b, "type");
  json_builder_add_int_value (b, v->type);
  json_builder_set_member_name (b, "type_name");
  json_builder_add_string_value (b, mend_reg_type_to_string (v->type));
  json_builder_set_member_name (b, "hex");
  json_builder_add_string_value (b, hex->str);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

MendRegValue *
mend_reg_value_from_json_hex (JsonNode *node)
{
  JsonObject *o;
  const char *hex;
  gsize n;
  g_autofree guint8 *bytes = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  hex = json_object_get_string_member_with_default (o, "hex", "");
  n = strlen (hex);
  if (n % 2 != 0)
    return NULL;
  bytes = g_malloc (n / 2 + 1);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return NULL;
      bytes[i] = (guint8) (hi << 4 | lo);
    }
  {
    g_autoptr (GBytes) b = g_bytes_new (bytes, n / 2);

    return mend_reg_value_new (json_object_get_string_member_with_default (o, "name", ""),
                               (guint32) json_object_get_int_member_with_default (o, "type", 3),
                               b);
  }
}

JsonNode *
mend_change_to_json (const MendChange *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, mend_change_kind_to_string (c->kind));
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, c->path);
  json_builder_set_member_name (b, "resolved_path");
  json_builder_add_string_value (b, c->resolved_path);
  if (c->value_name != NULL)
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, c->value_name);
    }
  if (c->kind == MEND_CHANGE_SET_VALUE || c->kind == MEND_CHANGE_DELETE_VALUE)
    {
      json_builder_set_member_name (b, "old");
      json_builder_add_value (b, mend_reg_value_to_json_hex (c->old_value));
    }
  if (c->kind == MEND_CHANGE_SET_VALUE)
    {
      json_builder_set_member_name (b, "new");
      json_builder_add_value (b, mend_reg_value_to_json_hex (c->new_value));
    }
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, c->description);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
