/* mend-probe.c — MendProbe: what a Windows client asks for, then TLS alone, CredSSP alone and
 * standard security alone, then each TLS version on its own connection (mend-probe-net.c);
 * what was seen becomes CATALOG.md "probe.*" findings. Every step has a deadline. */
#include "probe/mend-probe.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>

#include "formats/mend-cert.h"
#include "base/mend-error.h"
#include "base/mend-finding.h"
#include "probe/mend-probe-private.h"
#include "probe/mend-x224.h"

struct _MendProbe
{
  GObject    parent_instance;

  char      *host;        /* without brackets */
  guint16    port;
  char      *target;
  double     timeout;
  gint64     now;
  gboolean   host_is_ip;

  GPtrArray *findings;    /* MendFinding* */
};

G_DEFINE_FINAL_TYPE (MendProbe, mend_probe, G_TYPE_OBJECT)

/* ---- findings ---------------------------------------------------------------------- */

static MendFinding *
add_finding (MendProbe      *self,
             const char     *id,
             MendSeverity    severity,
             MendConfidence  confidence,
             const char     *title,
             char           *detail)
{
  MendFinding *f = mend_finding_new (id, severity, confidence, title);

  mend_finding_set_target (f, self->target);
  mend_finding_set_check (f, "probe");
  if (detail != NULL)
    mend_finding_take_detail (f, detail);
  g_ptr_array_add (self->findings, f);
  return f;
}

static char *
host_port_string (MendProbe *self)
{
  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->host, self->port);
  return g_strdup_printf ("%s:%u", self->host, self->port);
}

static void
add_reply_evidence (MendProbe *self, MendFinding *f, const char *what, GByteArray *reply)
{
  g_autofree char *hp = host_port_string (self);
  g_autofree char *hex = NULL;

  if (reply == NULL || reply->len == 0)
    return;
  hex = mend_probe_hex_excerpt (reply->data, reply->len);
  mend_finding_add_evidence (f, "network", hp, what, hex);
}

/* ---- the run ---------------------------------------------------------------------- */

static void
add_unreachable (MendProbe *self, const char *reason, char *detail)
{
  MendFinding *f = add_finding (self, "probe.unreachable", MEND_SEVERITY_PROBLEM,
                                MEND_CONFIDENCE_CONFIRMED,
                                _("The server cannot be reached"), detail);
  json_object_set_string_member (mend_finding_get_extra (f), "reason", reason);
}

static void
add_not_rdp (MendProbe *self, MendProbeNeg *r)
{
  MendFinding *f = add_finding (self, "probe.not-rdp", MEND_SEVERITY_PROBLEM,
                                r->reason[0] == 's' && strcmp (r->reason, "slow") == 0
                                  ? MEND_CONFIDENCE_LIKELY : MEND_CONFIDENCE_CONFIRMED,
                                _("Something answers, but it is not Remote Desktop"),
                                g_steal_pointer (&r->detail));
  json_object_set_string_member (mend_finding_get_extra (f), "reason", r->reason);
  add_reply_evidence (self, f, "reply", r->reply);
}

static void
evaluate_certificate (MendProbe *self, const MendProbeTls *t, JsonObject *summary,
                      gboolean *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendCertInfo) info = NULL;
  g_autofree char *hp = host_port_string (self);
  JsonObject *cert_json;
  JsonArray *problems = json_array_new ();
  gint64 now = self->now ? self->now : g_get_real_time () / G_USEC_PER_SEC;
  gboolean weak_key;
  gsize der_len;
  const guint8 *der = g_bytes_get_data (t->cert_der, &der_len);

  info = mend_cert_info_new_from_der (der, der_len, &error);
  if (info == NULL)
    {
      MendFinding *f = add_finding (self, "probe.certificate-untrusted", MEND_SEVERITY_INFO,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server’s certificate cannot be read"),
                                    g_strdup (error->message));
      json_object_set_string_member (mend_finding_get_extra (f), "reason", "unparseable");
      json_array_unref (problems);
      return;
    }

  cert_json = mend_cert_info_to_json (info);

  if (now < info->not_before || now > info->not_after)
    {
      gboolean early = now < info->not_before;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (early ? info->not_before
                                                                       : info->not_after);
      g_autofree char *when_s = g_date_time_format_iso8601 (when);
      MendFinding *f = add_finding (self, "probe.certificate-expired", MEND_SEVERITY_PROBLEM,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    early ? _("The server’s certificate is not valid yet")
                                          : _("The server’s certificate has expired"),
                                    early
                                      ? g_strdup_printf (_("It becomes valid on %s. Check the "
                                                           "server’s clock, or bind another "
                                                           "certificate."), when_s)
                                      : g_strdup_printf (_("It expired on %s. Bind a valid "
                                                           "certificate on the server (or delete "
                                                           "the binding so Windows makes a new "
                                                           "self-signed one)."), when_s));
      json_object_set_string_member (mend_finding_get_extra (f), "reason",
                                     early ? "not-yet-valid" : "expired");
      mend_finding_add_evidence (f, "certificate", hp, early ? "notBefore" : "notAfter", when_s);
      json_array_add_string_element (problems, early ? "not-yet-valid" : "expired");
      *problem = TRUE;
    }

  if (!mend_cert_info_matches_name (info, self->host))
    {
      g_autofree char *names = info->dns_names ? g_strjoinv (", ", info->dns_names) : NULL;
      MendFinding *f = add_finding (self, "probe.certificate-name-mismatch",
                                    MEND_SEVERITY_WARNING, MEND_CONFIDENCE_CONFIRMED,
                                    _("The certificate does not name this server"),
                                    g_strdup_printf (_("Connected to “%s”; the certificate is "
                                                       "for %s."), self->host,
                                                     names && *names ? names
                                                     : info->common_name ? info->common_name
                                                     : _("no name at all")));
      mend_finding_add_evidence (f, "certificate", hp, "subject", info->subject);
      json_array_add_string_element (problems, "name-mismatch");
    }

  if (info->self_signed ||
      (t->have_status && (t->verify_status & (GNUTLS_CERT_SIGNER_NOT_FOUND |
                                              GNUTLS_CERT_SIGNER_NOT_CA |
                                              GNUTLS_CERT_INVALID))))
    {
      MendFinding *f = add_finding (self, "probe.certificate-untrusted", MEND_SEVERITY_INFO,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    info->self_signed
                                      ? _("The certificate is self-signed")
                                      : _("The certificate’s issuer is not trusted here"),
                                    g_strdup (_("Normal for Remote Desktop: the client asks "
                                                "whether to trust it. Clients that refuse "
                                                "untrusted certificates by policy will fail.")));
      json_object_set_string_member (mend_finding_get_extra (f), "reason",
                                     info->self_signed ? "self-signed" : "unknown-issuer");
      mend_finding_add_evidence (f, "certificate", hp, "issuer", info->issuer);
      json_array_add_string_element (problems, info->self_signed ? "self-signed"
                                                                 : "unknown-issuer");
    }

  weak_key = info->key_algorithm && g_str_equal (info->key_algorithm, "RSA") &&
             info->key_bits < 2048;
  if (info->signature_sha1 || weak_key)
    {
      GString *why = g_string_new (NULL);
      MendFinding *f;

      if (info->signature_sha1)
        g_string_append_printf (why, _("Signature algorithm %s is obsolete. "),
                                info->signature_algorithm ? info->signature_algorithm : "?");
      if (weak_key)
        g_string_append_printf (why, _("The RSA key has only %u bits (2048 is the minimum). "),
                                info->key_bits);
      g_string_append (why, _("Hardened clients refuse such certificates."));
      f = add_finding (self, "probe.certificate-weak", MEND_SEVERITY_WARNING,
                       MEND_CONFIDENCE_CONFIRMED, _("The certificate is weak"),
                       g_string_free (why, FALSE));
      mend_finding_add_evidence (f, "certificate", hp, "signature",
                                 info->signature_algorithm);
      if (info->signature_sha1)
        json_array_add_string_element (problems, "weak-signature");
      if (weak_key)
        json_array_add_string_element (problems, "weak-key");
    }

  if (!mend_cert_info_allows_server_auth (info))
    json_array_add_string_element (problems, "no-server-auth-eku");

  if (t->have_status)
    {
      gnutls_datum_t out = { 0 };
      if (gnutls_certificate_verification_status_print (t->verify_status, GNUTLS_CRT_X509,
                                                        &out, 0) == 0)
        {
          json_object_set_string_member (cert_json, "verification", (const char *) out.data);
          gnutls_free (out.data);
        }
    }
  json_object_set_array_member (cert_json, "problems", problems);
  json_object_set_object_member (summary, "certificate", cert_json);
}

/* The whole probe in the calling (worker) thread. */
static gboolean
probe_run_sync (MendProbe *self, GCancellable *cancellable, GError **error)
{
  MendProbeRun ctx = { self->host, self->port, self->host_is_ip, cancellable,
                       (gint64) (self->timeout * G_USEC_PER_SEC), NULL, NULL };
  MendProbeNeg main_neg = { 0 };
  MendProbeNeg asks[3] = { { 0 } };
  static const guint32 ask_protocols[3] = { MEND_RDP_PROTOCOL_SSL, MEND_RDP_PROTOCOL_HYBRID,
                                            MEND_RDP_PROTOCOL_RDP };
  static const char *ask_names[3] = { "ssl", "hybrid", "rdp" };
  MendProbeTls main_tls = { 0 };
  MendProbeTls versions[MEND_PROBE_N_TLS_VERSIONS] = { { 0 } };
  const MendProbeTls *cert_source = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *owned = NULL;
  JsonObject *summary;
  JsonObject *answers;
  JsonArray *accepted;
  JsonObject *attempts;
  MendFinding *sf;
  gboolean problem = FALSE;
  gboolean ok = FALSE;
  guint32 tls_protocol = 0;
  const char *nla;

  g_ptr_array_set_size (self->findings, 0);

  if (!mend_probe_resolve (&ctx, &local))
    {
      if (mend_probe_is_cancelled (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      add_unreachable (self, "dns",
                       g_strdup_printf (_("The name “%s” does not resolve: %s. Check the "
                                          "spelling, or use the IP address."),
                                        self->host, local->message));
      return TRUE;
    }

  /* 1. What a Windows client asks for, then TLS on the same connection. */
  if (!mend_probe_negotiate (&ctx, MEND_PROBE_REQUEST_MODERN, TRUE, &main_neg, error))
    goto out;
  if (main_neg.outcome == NEG_CONNECT_FAILED)
    {
      GString *detail = g_string_new (main_neg.detail);
      if (g_list_length (ctx.addresses) > 1)
        {
          g_string_append (detail, _(" Addresses tried:"));
          for (GList *l = ctx.addresses; l; l = l->next)
            {
              g_autofree char *a = g_inet_address_to_string (l->data);
              g_string_append_printf (detail, " %s", a);
            }
        }
      add_unreachable (self, main_neg.reason, g_string_free (detail, FALSE));
      ok = TRUE;
      goto out;
    }
  if (main_neg.outcome == NEG_NOT_RDP)
    {
      add_not_rdp (self, &main_neg);
      ok = TRUE;
      goto out;
    }
  if (main_neg.cc.kind == MEND_X224_REPLY_DISCONNECT)
    {
      main_neg.reason = "x224-disconnect";
      main_neg.detail = g_strdup (_("The server answered the X.224 Connection Request with a "
                                    "Disconnect or Error TPDU instead of a Connection Confirm."));
      add_not_rdp (self, &main_neg);
      ok = TRUE;
      goto out;
    }

  /* 2. TLS alone, CredSSP alone, standard security alone (what is required), on their own
   * connections while the first handshake runs; then 3. each remaining TLS version. */
  {
    MendProbeQuestion qs[MEND_PROBE_MAX_QUESTIONS] = { { 0 } };
    MendProbeAskAll background = { qs, 0, NULL, FALSE };
    GThread *asker;
    gboolean ok_tls = TRUE, ok_asks;
    guint n;

    for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
      {
        qs[background.n].run = &ctx;
        qs[background.n].requested = ask_protocols[i];
        qs[background.n].neg = &asks[i];
        background.n++;
      }
    asker = g_thread_new ("mend-probe-asks", mend_probe_ask_all_thread, &background);
    if (mend_probe_neg_selects_tls (&main_neg))
      {
        tls_protocol = main_neg.cc.selected_protocol;
        ok_tls = mend_probe_tls_handshake (&ctx, main_neg.socket, mend_probe_priority_all,
                                           GNUTLS_VERSION_UNKNOWN, &main_tls, error);
      }
    if (main_neg.socket != NULL)
      g_socket_close (main_neg.socket, NULL);
    g_clear_object (&main_neg.socket);
    g_thread_join (asker);
    ok_asks = background.ok;
    if (!ok_asks && ok_tls)
      g_propagate_error (error, g_steal_pointer (&background.error));
    g_clear_error (&background.error);
    if (!ok_tls || !ok_asks)
      goto out;

    memset (qs, 0, sizeof qs);
    n = tls_protocol != 0 ? mend_probe_add_version_questions (&ctx, tls_protocol, &main_tls, versions, qs) : 0;
    if (!mend_probe_ask_all (qs, n, error))
      goto out;
  }
  if (tls_protocol == 0 && (mend_probe_neg_selects_tls (&asks[0]) || mend_probe_neg_selects_tls (&asks[1])))
    {
      /* Only TLS alone or CredSSP alone was accepted: learn the versions through it. */
      MendProbeQuestion qs[MEND_PROBE_N_TLS_VERSIONS] = { { 0 } };
      guint n;

      tls_protocol = mend_probe_neg_selects_tls (&asks[0]) ? MEND_RDP_PROTOCOL_SSL : MEND_RDP_PROTOCOL_HYBRID;
      n = mend_probe_add_version_questions (&ctx, tls_protocol, &main_tls, versions, qs);
      if (!mend_probe_ask_all (qs, n, error))
        goto out;
    }

  /* Findings from what was learned. */
  summary = json_object_new ();
  answers = json_object_new ();
  accepted = json_array_new ();
  attempts = json_object_new ();

  json_object_set_string_member (answers, "ssl|hybrid|hybrid-ex", mend_probe_neg_answer (&main_neg, &owned));
  g_clear_pointer (&owned, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
    {
      json_object_set_string_member (answers, ask_names[i], mend_probe_neg_answer (&asks[i], &owned));
      g_clear_pointer (&owned, g_free);
    }

  if (main_neg.cc.kind == MEND_X224_REPLY_NEG_FAILURE)
    {
      guint32 code = main_neg.cc.failure_code;
      g_autofree char *unknown = g_strdup_printf ("unknown-%u", code);
      const char *name = mend_rdp_failure_to_string (code);
      MendFinding *f = add_finding (self, "probe.negotiation-failure", MEND_SEVERITY_PROBLEM,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server refuses the connection during negotiation"),
                                    g_strdup_printf ("%s (%s)", mend_rdp_failure_describe (code),
                                                     mend_rdp_failure_to_spec_name (code)
                                                     ? mend_rdp_failure_to_spec_name (code)
                                                     : unknown));
      json_object_set_string_member (mend_finding_get_extra (f), "code", name ? name : unknown);
      json_object_set_int_member (mend_finding_get_extra (f), "failure_code", code);
      if (code == 2)
        mend_finding_add_fix (f, "set-security-negotiate");
      if (code == 3)
        mend_finding_add_fix (f, "rebind-certificate");
      add_reply_evidence (self, f, "x224-confirm", main_neg.reply);
      problem = TRUE;
    }
  else if (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE ||
           (main_neg.cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
            main_neg.cc.selected_protocol == MEND_RDP_PROTOCOL_RDP))
    {
      MendFinding *f = add_finding (self, "probe.legacy-rdp-security", MEND_SEVERITY_WARNING,
                                    MEND_CONFIDENCE_CONFIRMED,
                                    _("The server uses standard RDP security, without TLS"),
                                    g_strdup (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE
                                              ? _("The server ignored the negotiation request "
                                                  "(a server older than Windows Server 2003 SP1 "
                                                  "or one that does not negotiate): no TLS, no "
                                                  "NLA. Clients that require TLS close the "
                                                  "connection.")
                                              : _("Asked for TLS or CredSSP, the server chose "
                                                  "standard RDP security. Clients and gateways "
                                                  "that require TLS close the connection.")));
      mend_finding_add_fix (f, "set-security-negotiate");
      add_reply_evidence (self, f, "x224-confirm", main_neg.reply);
    }

  /* TLS versions and the certificate. */
  if (tls_protocol != 0)
    {
      for (gsize i = 0; i < MEND_PROBE_N_TLS_VERSIONS; i++)
        {
          const char *state;
          g_autofree char *s = NULL;

          if (versions[i].completed)
            {
              json_array_add_string_element (accepted, mend_probe_tls_versions[i].name);
              state = "accepted";
            }
          else if (versions[i].not_offered)
            state = s = g_strdup_printf ("not-tested: %s", versions[i].error);
          else
            state = s = g_strdup_printf ("refused: %s", versions[i].error ? versions[i].error : "?");
          json_object_set_string_member (attempts, mend_probe_tls_versions[i].name, state);
          if (cert_source == NULL && versions[i].cert_der != NULL)
            cert_source = &versions[i];
        }
      if (main_tls.cert_der != NULL)
        cert_source = &main_tls;

      if (json_array_get_length (accepted) == 0)
        {
          g_autoptr(GString) tried = g_string_new (NULL);
          g_autoptr(GString) untested = g_string_new (NULL);
          GString *detail = g_string_new (NULL);
          MendFinding *f;

          for (gsize i = 0; i < MEND_PROBE_N_TLS_VERSIONS; i++)
            {
              GString *into = versions[i].not_offered && !main_tls.timed_out ? untested : tried;
              g_string_append_printf (into, "%s%s", into->len ? ", " : "",
                                      mend_probe_tls_versions[i].name);
            }
          g_string_append_printf (detail, _("The server selected %s, but no TLS handshake "
                                            "completed (TLS %s tried; first error: %s)."),
                                  mend_rdp_protocol_to_string (tls_protocol), tried->str,
                                  main_tls.error ? main_tls.error : "?");
          /* A version this machine may not offer is not a version the server refused. */
          if (untested->len > 0)
            g_string_append_printf (detail, _(" TLS %s could not be tried: this machine’s "
                                              "GnuTLS policy (/etc/gnutls/config or "
                                              "GNUTLS_SYSTEM_PRIORITY_FILE) forbids offering "
                                              "it; the server may accept it."), untested->str);
          f = add_finding (self, "probe.tls-failed", MEND_SEVERITY_PROBLEM,
                           untested->len ? MEND_CONFIDENCE_LIKELY : MEND_CONFIDENCE_CONFIRMED,
                           _("No TLS version works with this server"),
                           g_string_free (detail, FALSE));
          json_object_set_object_member (mend_finding_get_extra (f), "tls_attempts",
                                         json_object_ref (attempts));
          mend_finding_add_fix (f, "enable-tls12");
          problem = TRUE;
        }
      if (main_tls.description != NULL)
        json_object_set_string_member (summary, "tls_session", main_tls.description);
      if (main_tls.error != NULL)
        json_object_set_string_member (summary, "tls_error", main_tls.error);
      if (cert_source != NULL)
        evaluate_certificate (self, cert_source, summary, &problem);
    }

  /* NLA: required when TLS alone is refused with HYBRID_REQUIRED; supported when CredSSP
   * alone is accepted; not supported when CredSSP alone gets SSL_REQUIRED. */
  if (mend_probe_neg_is_failure (&asks[0], 5))
    nla = "required";
  else if (asks[1].outcome == NEG_CONFIRM && asks[1].cc.kind == MEND_X224_REPLY_NEG_RESPONSE &&
           (asks[1].cc.selected_protocol & (MEND_RDP_PROTOCOL_HYBRID | MEND_RDP_PROTOCOL_HYBRID_EX)))
    nla = "supported";
  else if (mend_probe_neg_is_failure (&asks[1], 1) || mend_probe_neg_is_failure (&asks[1], 2) ||
           (asks[1].outcome == NEG_CONFIRM && asks[1].cc.kind == MEND_X224_REPLY_NEG_RESPONSE))
    nla = "not-supported";
  else
    nla = "unknown";

  {
    g_autofree char *addr = ctx.address ? g_inet_address_to_string (ctx.address) : NULL;
    JsonArray *all = json_array_new ();

    for (GList *l = ctx.addresses; l; l = l->next)
      {
        g_autofree char *a = g_inet_address_to_string (l->data);
        json_array_add_string_element (all, a);
      }
    if (addr)
      json_object_set_string_member (summary, "address", addr);
    json_object_set_array_member (summary, "addresses", all);
  }
  json_object_set_double_member (summary, "rtt_ms", main_neg.rtt_ms);
  if (main_neg.cc.kind == MEND_X224_REPLY_NEG_RESPONSE)
    {
      g_autofree char *flags = mend_rdp_neg_flags_to_string (main_neg.cc.neg_flags);
      json_object_set_string_member (summary, "selected_protocol",
                                     mend_probe_neg_answer (&main_neg, &owned));
      g_clear_pointer (&owned, g_free);
      json_object_set_string_member (summary, "negotiation_flags", flags);
    }
  else if (main_neg.cc.kind == MEND_X224_REPLY_NEG_NONE)
    json_object_set_string_member (summary, "selected_protocol", "rdp");
  else
    json_object_set_null_member (summary, "selected_protocol");
  json_object_set_string_member (summary, "nla", nla);
  if (g_str_equal (nla, "required"))
    json_object_set_boolean_member (summary, "nla_required", TRUE);
  else if (g_str_equal (nla, "unknown"))
    json_object_set_null_member (summary, "nla_required");
  else
    json_object_set_boolean_member (summary, "nla_required", FALSE);
  json_object_set_array_member (summary, "tls_versions", accepted);
  json_object_set_object_member (summary, "tls_attempts", attempts);
  json_object_set_object_member (summary, "answers", answers);

  {
    GString *text = g_string_new (NULL);
    g_autoptr(GList) members = NULL;
    JsonObject *cert = json_object_has_member (summary, "certificate")
                         ? json_object_get_object_member (summary, "certificate") : NULL;

    g_string_append_printf (text, _("Selected protocol: %s. "),
                            json_object_get_string_member_with_default (summary,
                                                                        "selected_protocol",
                                                                        _("none")));
    g_string_append_printf (text, _("NLA: %s. "), nla);
    if (tls_protocol != 0)
      {
        g_string_append (text, _("TLS versions accepted:"));
        for (guint i = 0; i < json_array_get_length (accepted); i++)
          g_string_append_printf (text, " %s", json_array_get_string_element (accepted, i));
        if (json_array_get_length (accepted) == 0)
          g_string_append_printf (text, " %s", _("none"));
        g_string_append (text, ". ");
      }
    if (cert != NULL)
      g_string_append_printf (text, _("Certificate: %s, issued by %s, SHA-1 %s. "),
                              json_object_get_string_member_with_default (cert, "subject", "?"),
                              json_object_get_string_member_with_default (cert, "issuer", "?"),
                              json_object_get_string_member_with_default (cert, "sha1", "?"));
    g_string_append_printf (text, _("Round trip: %.1f ms."), main_neg.rtt_ms);

    sf = add_finding (self, "probe.summary", problem ? MEND_SEVERITY_INFO : MEND_SEVERITY_OK,
                      MEND_CONFIDENCE_CONFIRMED, _("What the server answered"),
                      g_string_free (text, FALSE));
    members = json_object_get_members (summary);
    for (GList *l = members; l; l = l->next)
      json_object_set_member (mend_finding_get_extra (sf), l->data,
                              json_node_copy (json_object_get_member (summary, l->data)));
    add_reply_evidence (self, sf, "x224-confirm", main_neg.reply);
    json_object_unref (summary);
  }
  ok = TRUE;

out:
  mend_probe_neg_clear (&main_neg);
  for (gsize i = 0; i < G_N_ELEMENTS (asks); i++)
    mend_probe_neg_clear (&asks[i]);
  mend_probe_tls_clear (&main_tls);
  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    mend_probe_tls_clear (&versions[i]);
  g_list_free_full (ctx.addresses, g_object_unref);
  g_clear_object (&ctx.address);
  return ok;
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
mend_probe_finalize (GObject *object)
{
  MendProbe *self = MEND_PROBE (object);

  g_free (self->host);
  g_free (self->target);
  g_ptr_array_unref (self->findings);
  G_OBJECT_CLASS (mend_probe_parent_class)->finalize (object);
}

static void
mend_probe_class_init (MendProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_probe_finalize;
}

static void
mend_probe_init (MendProbe *self)
{
  self->timeout = MEND_PROBE_DEFAULT_TIMEOUT;
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ------------------------------------------------------------------- */

MendProbe *
mend_probe_new (const char *host_port, GError **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) literal = NULL;
  guint16 port = 0;
  MendProbe *self;

  if (!mend_probe_parse_host_port (host_port, &host, &port, error))
    return NULL;

  self = g_object_new (MEND_TYPE_PROBE, NULL);
  literal = g_inet_address_new_from_string (host);
  self->host_is_ip = literal != NULL;
  self->host = g_steal_pointer (&host);
  self->port = port;
  if (strchr (self->host, ':') != NULL)
    self->target = g_strdup_printf ("probe:[%s]:%u", self->host, port);
  else
    self->target = g_strdup_printf ("probe:%s:%u", self->host, port);
  return self;
}

const char *
mend_probe_get_host (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->host;
}

guint16
mend_probe_get_port (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), 0);
  return self->port;
}

const char *
mend_probe_get_target (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->target;
}

void
mend_probe_set_timeout (MendProbe *self, double seconds)
{
  g_return_if_fail (MEND_IS_PROBE (self));
  /* Bounded both ways: a zero or absurd timeout would make every step fail or hang. */
  self->timeout = CLAMP (seconds, 0.05, 600.0);
}

double
mend_probe_get_timeout (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), 0);
  return self->timeout;
}

void
mend_probe_set_now (MendProbe *self, gint64 unix_seconds)
{
  g_return_if_fail (MEND_IS_PROBE (self));
  self->now = unix_seconds;
}

GPtrArray *
mend_probe_get_findings (MendProbe *self)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  return self->findings;
}

gboolean
mend_probe_run (MendProbe *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), FALSE);
  return probe_run_sync (self, cancellable, error);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (probe_run_sync (MEND_PROBE (source), cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mend_probe_run_async (MendProbe *self, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_PROBE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_probe_run_async);
  g_task_run_in_thread (task, run_thread);
}

gboolean
mend_probe_run_finish (MendProbe *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- many at once ------------------------------------------------------------------- */

typedef struct {
  GCancellable *cancellable;
  GMutex        lock;
  GError       *error;   /* first cancellation */
} ManyState;

static void
many_worker (gpointer data, gpointer user_data)
{
  ManyState *st = user_data;
  GError *error = NULL;

  if (g_cancellable_is_cancelled (st->cancellable))
    return;
  if (!probe_run_sync (MEND_PROBE (data), st->cancellable, &error))
    {
      g_mutex_lock (&st->lock);
      if (st->error == NULL)
        st->error = g_steal_pointer (&error);
      g_mutex_unlock (&st->lock);
      g_clear_error (&error);
    }
}

gboolean
mend_probe_run_many (GPtrArray *probes, guint max_parallel, GCancellable *cancellable,
                     GError **error)
{
  ManyState st = { cancellable };
  GThreadPool *pool;

  g_return_val_if_fail (probes != NULL, FALSE);
  if (max_parallel == 0)
    max_parallel = 16;
  g_mutex_init (&st.lock);
  /* One blocking probe per thread: probes spend their time waiting on the network. */
  pool = g_thread_pool_new (many_worker, &st, MIN (max_parallel, MAX (probes->len, 1)),
                            FALSE, NULL);
  for (guint i = 0; i < probes->len; i++)
    g_thread_pool_push (pool, probes->pdata[i], NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&st.lock);

  if (st.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &st.error);
  if (st.error != NULL)
    {
      g_propagate_error (error, st.error);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GPtrArray *probes;
  guint      max_parallel;
} ManyTaskData;

static void
many_task_data_free (ManyTaskData *d)
{
  g_ptr_array_unref (d->probes);
  g_free (d);
}

static void
run_many_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ManyTaskData *d = task_data;
  GError *error = NULL;

  if (mend_probe_run_many (d->probes, d->max_parallel, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mend_probe_run_many_async (GPtrArray *probes, guint max_parallel, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ManyTaskData *d = g_new0 (ManyTaskData, 1);

  d->probes = g_ptr_array_ref (probes);
  d->max_parallel = max_parallel;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_probe_run_many_async);
  g_task_set_task_data (task, d, (GDestroyNotify) many_task_data_free);
  g_task_run_in_thread (task, run_many_thread);
}

gboolean
mend_probe_run_many_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
