/* rdpmend-w32probe.c — prints the live facts RDP Mend's checks read (registry keys,
 * services, files, certificates, elevation) as one JSON document, for support today. */
#include "mend-w32-registry.h"
#include "mend-w32-system.h"
#include "mend-w32-util.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_FORMAT_VERSION 1
#define MAX_KEYS 2000           /* a runaway MSLicensing or client history stays bounded */

#define TS "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"

/* Keys the checks read (DOMAIN.md §3–§6). Recursive ones list their whole subtree. */
static const struct {
  const char *path;
  int         recursive;
} probe_keys[] = {
  { TS, 0 },
  { TS "\\WinStations", 0 },
  { TS "\\WinStations\\RDP-Tcp", 0 },
  { "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services", 1 },
  { "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters", 0 },
  { "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols", 1 },
  { "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService", 1 },
  { "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SessionEnv", 0 },
  { "HKLM\\SYSTEM\\CurrentControlSet\\Services\\UmRdpService", 0 },
  { "HKLM\\SOFTWARE\\Microsoft\\MSLicensing", 1 },
  { "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", 0 },
  { "HKCU\\Software\\Microsoft\\Terminal Server Client", 1 },
};

static const char *const probe_services[] = { "TermService", "SessionEnv", "UmRdpService" };
static const char *const probe_files[] = { "mstsc.exe", "mstscax.dll" };
static const char *const probe_stores[] = { "MY", "Remote Desktop" };

static int n_keys_written;

/* ---- a minimal JSON writer: the layer has no GLib, and the output is small ---- */

static void
json_string (const char *s)
{
  const unsigned char *p;

  if (s == NULL)
    {
      fputs ("null", stdout);
      return;
    }
  putchar ('"');
  for (p = (const unsigned char *) s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        printf ("\\%c", *p);
      else if (*p < 0x20)
        printf ("\\u%04x", *p);
      else
        putchar (*p);
    }
  putchar ('"');
}

static void
json_key (const char *key)
{
  json_string (key);
  putchar (':');
}

static void
json_bool (int v)
{
  fputs (v ? "true" : "false", stdout);
}

static void
json_hex (const unsigned char *data, size_t size)
{
  size_t i;

  putchar ('"');
  for (i = 0; i < size; i++)
    printf ("%02x", data[i]);
  putchar ('"');
}

static void
json_base64 (const unsigned char *data, size_t size)
{
  static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i;

  putchar ('"');
  for (i = 0; i + 2 < size; i += 3)
    {
      unsigned v = (unsigned) data[i] << 16 | (unsigned) data[i + 1] << 8 | data[i + 2];
      putchar (b64[v >> 18]);
      putchar (b64[(v >> 12) & 63]);
      putchar (b64[(v >> 6) & 63]);
      putchar (b64[v & 63]);
    }
  if (size - i == 1)
    {
      unsigned v = (unsigned) data[i] << 16;
      printf ("%c%c==", b64[v >> 18], b64[(v >> 12) & 63]);
    }
  else if (size - i == 2)
    {
      unsigned v = (unsigned) data[i] << 16 | (unsigned) data[i + 1] << 8;
      printf ("%c%c%c=", b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63]);
    }
  putchar ('"');
}

static void
json_error (MendW32Status st, const MendW32Error *error)
{
  json_key ("status");
  json_string (mend_w32_status_to_string (st));
  if (st != MEND_W32_OK)
    {
      printf (",");
      json_key ("win32_code");
      printf ("%lu,", error->win32_code);
      json_key ("error");
      json_string (error->message);
    }
}

static const char *
type_name (unsigned long type)
{
  static const char *const names[] = {
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
  };
  return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

/* UTF-16LE data (maybe without terminator, maybe odd-sized) as UTF-8. */
static char *
utf16_data_to_utf8 (const unsigned char *data, size_t size)
{
  size_t n = size / 2, len = 0;
  const wchar_t *w = (const wchar_t *) data;

  while (len < n && w[len])
    len++;
  return mend_w32_wide_to_utf8 (w, (int) len);
}

static void
write_value (const MendW32Value *v)
{
  const char *tn = type_name (v->type);

  putchar ('{');
  json_key ("name");
  json_string (v->name);
  putchar (',');
  json_key ("type");
  if (tn)
    json_string (tn);
  else
    printf ("\"REG_%lu\"", v->type);
  putchar (',');
  json_key ("type_code");
  printf ("%lu,", v->type);
  json_key ("size");
  printf ("%lu,", (unsigned long) v->size);
  if (v->type == REG_DWORD && v->size == 4)
    {
      DWORD d;
      memcpy (&d, v->data, 4);
      json_key ("dword");
      printf ("%lu,", (unsigned long) d);
    }
  else if (v->type == REG_QWORD && v->size == 8)
    {
      unsigned long long q;
      memcpy (&q, v->data, 8);
      json_key ("qword");
      printf ("%llu,", q);
    }
  else if (v->type == REG_SZ || v->type == REG_EXPAND_SZ)
    {
      char *s = utf16_data_to_utf8 (v->data, v->size);
      json_key ("string");
      json_string (s ? s : "");
      putchar (',');
      free (s);
    }
  else if (v->type == REG_MULTI_SZ)
    {
      const wchar_t *w = (const wchar_t *) v->data;
      size_t n = v->size / 2, i = 0;
      int first = 1;

      json_key ("strings");
      putchar ('[');
      while (i < n && w[i])
        {
          size_t start = i;
          char *s;

          while (i < n && w[i])
            i++;
          s = mend_w32_wide_to_utf8 (w + start, (int) (i - start));
          if (!first)
            putchar (',');
          json_string (s ? s : "");
          free (s);
          first = 0;
          i++;
        }
      printf ("],");
    }
  json_key ("hex");
  json_hex (v->data, v->size);
  putchar ('}');
}

static void
write_key (const char *path, int recursive, int depth)
{
  MendW32Error error = { 0 };
  MendW32Value *values = NULL;
  size_t n_values = 0, n_subkeys = 0, i;
  char **subkeys = NULL;
  MendW32Status st;

  if (n_keys_written >= MAX_KEYS)
    return;
  if (n_keys_written++ > 0)
    putchar (',');
  putchar ('{');
  json_key ("path");
  json_string (path);
  putchar (',');

  st = mend_w32_reg_list_values (path, &values, &n_values, &error);
  if (st == MEND_W32_OK)
    st = mend_w32_reg_list_subkeys (path, &subkeys, &n_subkeys, &error);
  json_error (st, &error);
  if (st == MEND_W32_OK)
    {
      printf (",");
      json_key ("subkeys");
      putchar ('[');
      for (i = 0; i < n_subkeys; i++)
        {
          if (i)
            putchar (',');
          json_string (subkeys[i]);
        }
      printf ("],");
      json_key ("values");
      putchar ('[');
      for (i = 0; i < n_values; i++)
        {
          if (i)
            putchar (',');
          write_value (&values[i]);
        }
      putchar (']');
    }
  putchar ('}');
  mend_w32_values_free (values, n_values);

  if (st == MEND_W32_OK && recursive && depth < 8)
    for (i = 0; i < n_subkeys; i++)
      {
        size_t len = strlen (path) + strlen (subkeys[i]) + 2;
        char *child = malloc (len);

        if (child == NULL)
          break;
        snprintf (child, len, "%s\\%s", path, subkeys[i]);
        write_key (child, recursive, depth + 1);
        free (child);
      }
  mend_w32_strv_free (subkeys);
}

static void
write_process (void)
{
  MendW32ProcessInfo info;
  MendW32Error error = { 0 };
  MendW32Status st = mend_w32_process_info (&info, &error);

  json_key ("process");
  putchar ('{');
  json_error (st, &error);
  if (st == MEND_W32_OK)
    {
      printf (",");
      json_key ("pointer_bits");
      printf ("%d,", info.pointer_bits);
      json_key ("wow64");
      json_bool (info.wow64);
      putchar (',');
      json_key ("admin_member");
      json_bool (info.admin_member);
      putchar (',');
      json_key ("elevated");
      if (info.elevation_known)
        json_bool (info.elevated);
      else
        fputs ("null", stdout);
    }
  putchar ('}');
}

static void
write_services (void)
{
  size_t i;

  json_key ("services");
  putchar ('[');
  for (i = 0; i < sizeof probe_services / sizeof probe_services[0]; i++)
    {
      MendW32Service svc;
      MendW32Error error = { 0 };
      MendW32Status st = mend_w32_service_query (probe_services[i], &svc, &error);

      if (i)
        putchar (',');
      putchar ('{');
      json_key ("name");
      json_string (probe_services[i]);
      putchar (',');
      json_error (st, &error);
      if (st == MEND_W32_OK)
        {
          printf (",");
          json_key ("start_type");
          printf ("%lu,", svc.start_type);
          json_key ("start");
          json_string (mend_w32_service_start_type_name (svc.start_type));
          putchar (',');
          json_key ("state");
          if (svc.state_known)
            {
              printf ("%lu,", svc.state);
              json_key ("state_name");
              json_string (mend_w32_service_state_name (svc.state));
            }
          else
            printf ("null,\"state_name\":null");
          putchar (',');
          json_key ("service_type");
          printf ("%lu,", svc.service_type);
          json_key ("binary_path");
          json_string (svc.binary_path);
          putchar (',');
          json_key ("account");
          json_string (svc.account);
        }
      putchar ('}');
      mend_w32_service_clear (&svc);
    }
  putchar (']');
}

static void
write_files (void)
{
  size_t i;

  json_key ("files");
  putchar ('[');
  for (i = 0; i < sizeof probe_files / sizeof probe_files[0]; i++)
    {
      char *path = mend_w32_native_system_file (probe_files[i]);
      MendW32FileInfo info;
      MendW32Error error = { 0 };
      MendW32Status st = path ? mend_w32_file_info (path, &info, &error)
                              : mend_w32_fail (&error, MEND_W32_ERR_OTHER, 0,
                                               "no system folder");

      if (i)
        putchar (',');
      putchar ('{');
      json_key ("name");
      json_string (probe_files[i]);
      putchar (',');
      json_key ("path");
      json_string (path);
      putchar (',');
      json_error (st, &error);
      if (st == MEND_W32_OK)
        {
          printf (",");
          json_key ("exists");
          json_bool (info.exists);
          putchar (',');
          json_key ("size");
          printf ("%llu,", info.size);
          json_key ("attributes");
          printf ("%lu,", info.attributes);
          json_key ("read_only");
          json_bool (info.read_only);
          putchar (',');
          json_key ("version");
          if (info.has_version)
            printf ("\"%u.%u.%u.%u\"", info.version[0], info.version[1], info.version[2],
                    info.version[3]);
          else
            fputs ("null", stdout);
        }
      putchar ('}');
      free (path);
    }
  putchar (']');
}

static void
write_temp (void)
{
  MendW32TempInfo info;
  MendW32Error error = { 0 };
  MendW32Status st = mend_w32_temp_check (&info, &error);

  json_key ("temp");
  putchar ('{');
  json_error (st, &error);
  if (st == MEND_W32_OK)
    {
      printf (",");
      json_key ("path");
      json_string (info.path);
      putchar (',');
      json_key ("exists");
      json_bool (info.exists);
      putchar (',');
      json_key ("writable");
      json_bool (info.writable);
      putchar (',');
      json_key ("win32_code");
      printf ("%lu", info.win32_code);
    }
  putchar ('}');
  mend_w32_temp_clear (&info);
}

static void
write_cert (const MendW32Cert *c)
{
  putchar ('{');
  json_key ("thumbprint");
  json_string (c->thumbprint);
  putchar (',');
  json_key ("subject");
  json_string (c->subject);
  putchar (',');
  json_key ("friendly_name");
  json_string (c->friendly_name);
  putchar (',');
  json_key ("not_before");
  printf ("%lld,", c->not_before);
  json_key ("not_after");
  printf ("%lld,", c->not_after);
  json_key ("key_provider_info");
  if (c->has_key_prov)
    {
      putchar ('{');
      json_key ("container");
      json_string (c->key_container);
      putchar (',');
      json_key ("provider");
      json_string (c->key_provider);
      putchar (',');
      json_key ("provider_type");
      printf ("%lu,", c->key_prov_type);
      json_key ("flags");
      printf ("%lu,", c->key_flags);
      json_key ("key_spec");
      printf ("%lu}", c->key_spec);
    }
  else
    fputs ("null", stdout);
  putchar (',');
  json_key ("der_base64");
  json_base64 (c->der, c->der_size);
  putchar ('}');
}

static void
write_stores (void)
{
  size_t i, j;

  json_key ("cert_stores");
  putchar ('[');
  for (i = 0; i < sizeof probe_stores / sizeof probe_stores[0]; i++)
    {
      MendW32Cert *certs = NULL;
      size_t n = 0;
      MendW32Error error = { 0 };
      MendW32Status st = mend_w32_cert_list (probe_stores[i], &certs, &n, &error);

      if (i)
        putchar (',');
      putchar ('{');
      json_key ("store");
      json_string (probe_stores[i]);
      putchar (',');
      json_error (st, &error);
      if (st == MEND_W32_OK)
        {
          printf (",");
          json_key ("certificates");
          putchar ('[');
          for (j = 0; j < n; j++)
            {
              if (j)
                putchar (',');
              write_cert (&certs[j]);
            }
          putchar (']');
        }
      putchar ('}');
      mend_w32_certs_free (certs, n);
    }
  putchar (']');
}

int
wmain (int argc, wchar_t **argv)
{
  size_t i;

  if (argc > 1)
    {
      fputs ("usage: rdpmend-w32probe.exe\n"
             "Prints the Remote Desktop settings, services, files and certificates of this\n"
             "computer as JSON (read-only; run elevated to see everything).\n", stderr);
      return wcscmp (argv[1], L"--help") == 0 ? 0 : 2;
    }
  /* UTF-8 bytes exactly as written, no CRLF translation. */
  _setmode (_fileno (stdout), _O_BINARY);

  printf ("{\"format\":\"rdpmend-w32probe\",\"format_version\":%d,", PROBE_FORMAT_VERSION);
  write_process ();
  putchar (',');
  json_key ("keys");
  putchar ('[');
  for (i = 0; i < sizeof probe_keys / sizeof probe_keys[0]; i++)
    write_key (probe_keys[i].path, probe_keys[i].recursive, 0);
  printf ("],");
  json_key ("keys_truncated");
  json_bool (n_keys_written >= MAX_KEYS);
  putchar (',');
  write_services ();
  putchar (',');
  write_files ();
  putchar (',');
  write_temp ();
  putchar (',');
  write_stores ();
  printf ("}\n");
  return fflush (stdout) == 0 && !ferror (stdout) ? 0 : 1;
}
