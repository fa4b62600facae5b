/* fix-test-util.h — helpers for the fix tests: independent readers (reglookup, hivexget),
 * file hashes, hive paths. Header-only so both test programs can use it. */
#pragma once

#include <check.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "mend-fixture.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendFixture, mend_fixture_free)

static inline char *
fx_hive_path (const char *root, const char *name)
{
  return g_build_filename (root, "Windows", "System32", "config", name, NULL);
}

static inline char *
fx_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("(unreadable)");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* stdout of ARGV; aborts the test if it cannot run. *STATUS gets the wait status. */
static inline char *
fx_run (const char * const *argv, int *status)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int st = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &st, &error))
    ck_abort_msg ("cannot run %s: %s", argv[0], error->message);
  if (status != NULL)
    *status = st;
  return out;
}

/* The whole hive as reglookup sees it (key paths, types, values, key times). */
static inline char *
fx_reglookup_all (const char *hive)
{
  const char *argv[] = { "reglookup", hive, NULL };

  return fx_run (argv, NULL);
}

/* One value as "TYPE,DATA" read by reglookup; NULL when absent. PATH uses '/'. */
static inline char *
fx_reglookup_value (const char *hive, const char *path)
{
  const char *argv[] = { "reglookup", "-H", "-p", path, hive, NULL };
  g_autofree char *out = fx_run (argv, NULL);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], path, strlen (path)) == 0 && lines[i][strlen (path)] == ',')
      {
        const char *rest = lines[i] + strlen (path) + 1;
        const char *last = strrchr (rest, ',');

        return last != NULL ? g_strndup (rest, (gsize) (last - rest)) : g_strdup (rest);
      }
  return NULL;
}

/* hivexget KEY NAME; NULL when hivexget fails (key or value absent). */
static inline char *
fx_hivexget (const char *hive, const char *key, const char *name)
{
  const char *argv[] = { "hivexget", hive, key, name, NULL };
  int status = 0;
  char *out = fx_run (argv, &status);

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_free (out);
      return NULL;
    }
  return g_strchomp (out);
}

static inline gboolean
fx_have_tools (void)
{
  static const char * const tools[] = { "reglookup", "hivexget", "hivexregedit" };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);

      if (p == NULL)
        {
          g_print ("SKIP: %s is not installed (packages reglookup, libhivex-bin, "
                   "libwin-hivex-perl); the fix tests compare against it\n", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Marks the hive dirty the way Windows leaves it: sequence numbers differ (checksum kept
 * valid so hivex still opens it). */
static inline void
fx_make_dirty (const char *hive)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint32 seq, sum = 0;

  ck_assert (g_file_get_contents (hive, &contents, &len, NULL) && len > 4096);
  memcpy (&seq, contents + 4, 4);
  seq = GUINT32_FROM_LE (seq) + 1;
  seq = GUINT32_TO_LE (seq);
  memcpy (contents + 4, &seq, 4);
  for (guint i = 0; i < 0x1FC; i += 4)
    {
      guint32 w;

      memcpy (&w, contents + i, 4);
      sum ^= GUINT32_FROM_LE (w);
    }
  sum = GUINT32_TO_LE (sum);
  memcpy (contents + 0x1FC, &sum, 4);
  ck_assert (g_file_set_contents (hive, contents, (gssize) len, NULL));
}
