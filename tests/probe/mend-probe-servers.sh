#!/usr/bin/env bash
# mend-probe-servers.sh — real RDP servers on 127.0.0.1 for the probe tests and the bench:
# xrdp and the FreeRDP shadow server with certificates made by certtool at run time.
#
#   mend-probe-servers.sh certs DIR              make the CA and server certificates in DIR
#   mend-probe-servers.sh start DIR NAME=PORT…   start each named server (see case below)
#   mend-probe-servers.sh stop DIR               kill every process group started in DIR
#
# Every server runs in its own session (setsid) under `timeout -k`, so a test that dies still
# leaves nothing behind for long; `stop` kills the whole group (xrdp's per-connection children
# ignore SIGTERM). Process group ids are kept in DIR/pgids.
set -euo pipefail

cmd=${1:?usage: $0 certs|start|stop DIR [NAME=PORT...]}
dir=${2:?usage: $0 certs|start|stop DIR [NAME=PORT...]}
shift 2
lifetime=${MEND_SERVER_LIFETIME:-600}

tmpl() { # file, then template lines
  local f=$1; shift
  printf '%s\n' "$@" > "$f"
}

make_certs() {
  mkdir -p "$dir/certs"
  cd "$dir/certs"
  [ -f done ] && return 0
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile ca.key 2>/dev/null
  tmpl ca.tmpl 'cn = "RDP Mend Test CA"' 'ca' 'cert_signing_key' 'expiration_days = 30'
  certtool --generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.crt 2>/dev/null

  certtool --generate-privkey --key-type rsa --bits 2048 --outfile server.key 2>/dev/null
  # name, then template lines beyond the common ones; signed by the CA
  sign() {
    local name=$1; shift
    tmpl "$name.tmpl" 'tls_www_server' 'signing_key' 'encryption_key' "$@"
    certtool --generate-certificate --load-privkey server.key --load-ca-certificate ca.crt \
      --load-ca-privkey ca.key --template "$name.tmpl" --outfile "$name.crt" 2>/dev/null
  }
  sign valid 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' \
    'ip_address = "::1"' 'expiration_days = 30'
  sign expired 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' \
    'activation_date = "2020-01-01 00:00:00 UTC"' 'expiration_date = "2021-01-01 00:00:00 UTC"'
  sign notyet 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' \
    'activation_date = "2040-01-01 00:00:00 UTC"' 'expiration_date = "2041-01-01 00:00:00 UTC"'
  sign wronghost 'cn = "rdp.example.net"' 'dns_name = "rdp.example.net"' 'expiration_days = 30'

  # Self-signed, naming the address it is served on: only "self-signed" is wrong with it.
  tmpl selfsigned.tmpl 'cn = "127.0.0.1"' 'ip_address = "127.0.0.1"' 'tls_www_server' \
    'signing_key' 'encryption_key' 'expiration_days = 30'
  certtool --generate-self-signed --load-privkey server.key --template selfsigned.tmpl \
    --outfile selfsigned.crt 2>/dev/null

  # What old Windows servers had: RSA-1024, SHA-1 signature (self-signed).
  certtool --generate-privkey --key-type rsa --bits 1024 --outfile weak.key 2>/dev/null
  tmpl weak.tmpl 'cn = "127.0.0.1"' 'ip_address = "127.0.0.1"' 'tls_www_server' \
    'signing_key' 'encryption_key' 'expiration_days = 30'
  certtool --generate-self-signed --load-privkey weak.key --hash SHA1 --template weak.tmpl \
    --outfile weak.crt 2>/dev/null
  touch done
}

# xrdp NAME PORT SECURITY_LAYER CERT KEY [PROTOCOLS] [CIPHERS]
start_xrdp() {
  local name=$1 port=$2 layer=$3 cert=$4 key=$5 protocols=${6:-} ciphers=${7:-}
  local ini="$dir/$name.ini"
  sed -e "s|^port=3389|port=tcp://127.0.0.1:$port|" \
      -e "s|^security_layer=.*|security_layer=$layer|" \
      -e "s|^certificate=.*|certificate=$cert|" \
      -e "s|^key_file=.*|key_file=$key|" \
      -e "s|^LogFile=.*|LogFile=$dir/$name.log|" \
      -e "s|^EnableSyslog=.*|EnableSyslog=false|" \
      /etc/xrdp/xrdp.ini > "$ini"
  if [ -n "$protocols" ]; then
    sed -i -e "s|^ssl_protocols=.*|ssl_protocols=$protocols|" "$ini"
  fi
  if [ -n "$ciphers" ]; then
    sed -i -e "s|^#\?tls_ciphers=.*|tls_ciphers=$ciphers|" "$ini"
  fi
  setsid timeout -k 2 "$lifetime" xrdp --nodaemon --config "$ini" \
    > "$dir/$name.out" 2>&1 < /dev/null &
  echo "$! $name" >> "$dir/pgids"
}

# Waits (up to 10 s) until 127.0.0.1:PORT accepts connections.
wait_port() {
  for _ in $(seq "${2:-200}"); do
    if (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; then
      return 0
    fi
    sleep 0.05
  done
  echo "server on port $1 did not start" >&2
  return 1
}

ensure_display() {
  [ -f "$dir/display" ] && return 0
  command -v Xvfb > /dev/null || { echo "Xvfb missing" >&2; return 1; }
  # Display :0 is often someone else's (or a stale abstract socket): pick a high free one.
  local n=$(( 200 + RANDOM % 700 ))
  for _ in $(seq 20); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
      setsid timeout -k 2 "$lifetime" Xvfb ":$n" -screen 0 640x480x24 -nolisten tcp -noreset \
        > "$dir/xvfb.out" 2>&1 < /dev/null &
      echo "$! xvfb" >> "$dir/pgids"
      for _ in $(seq 100); do
        if [ -e "/tmp/.X11-unix/X$n" ]; then
          echo "$n" > "$dir/display"
          return 0
        fi
        sleep 0.05
      done
    fi
    n=$(( n + 1 ))
  done
  echo "Xvfb did not start" >&2
  return 1
}

# shadow NAME PORT SEC
start_shadow() {
  local name=$1 port=$2 sec=$3
  ensure_display
  mkdir -p "$dir/xdg/freerdp/shadow"
  cp "$dir/certs/valid.crt" "$dir/xdg/freerdp/shadow/shadow.crt"
  cp "$dir/certs/server.key" "$dir/xdg/freerdp/shadow/shadow.key"
  # Shadow servers starting together on a fresh Xvfb sometimes see colour depth 0: one at
  # a time, and once more if it did not come up.
  for attempt in 1 2 3; do
    DISPLAY=":$(cat "$dir/display")" XDG_CONFIG_HOME="$dir/xdg" HOME="$dir" \
      setsid timeout -k 2 "$lifetime" freerdp-shadow-cli /bind-address:127.0.0.1 \
      "/port:$port" "/sec:$sec" > "$dir/$name.out" 2>&1 < /dev/null &
    echo "$! $name" >> "$dir/pgids"
    if wait_port "$port" 60 2> /dev/null; then
      return 0
    fi
    sleep 0.5
  done
}

case $cmd in
  certs)
    make_certs
    ;;
  start)
    make_certs
    c="$dir/certs"
    for spec in "$@"; do
      name=${spec%%=*}
      port=${spec#*=}
      case $name in
        xrdp-valid)      start_xrdp "$name" "$port" negotiate "$c/valid.crt" "$c/server.key" ;;
        xrdp-expired)    start_xrdp "$name" "$port" tls "$c/expired.crt" "$c/server.key" ;;
        xrdp-notyet)     start_xrdp "$name" "$port" tls "$c/notyet.crt" "$c/server.key" ;;
        xrdp-wronghost)  start_xrdp "$name" "$port" negotiate "$c/wronghost.crt" "$c/server.key" ;;
        xrdp-selfsigned) start_xrdp "$name" "$port" negotiate "$c/selfsigned.crt" "$c/server.key" ;;
        xrdp-rdp)        start_xrdp "$name" "$port" rdp "$c/valid.crt" "$c/server.key" ;;
        xrdp-nocert)     start_xrdp "$name" "$port" tls "$dir/missing.crt" "$dir/missing.key" ;;
        # Old OpenSSL-based servers: TLS 1.0 only, RSA-1024/SHA-1 certificate.
        xrdp-tls10)      start_xrdp "$name" "$port" tls "$c/weak.crt" "$c/weak.key" TLSv1 \
                           'DEFAULT:@SECLEVEL=0' ;;
        shadow-nla)      start_shadow "$name" "$port" nla ;;
        shadow-tls)      start_shadow "$name" "$port" tls ;;
        shadow-rdp)      start_shadow "$name" "$port" rdp ;;
        *) echo "unknown server $name" >&2; exit 2 ;;
      esac
    done
    for spec in "$@"; do
      wait_port "${spec#*=}"
    done
    ;;
  stop)
    [ -f "$dir/pgids" ] || exit 0
    while read -r pgid _; do
      kill -TERM -- "-$pgid" 2> /dev/null || true
    done < "$dir/pgids"
    sleep 0.3
    while read -r pgid _; do
      kill -KILL -- "-$pgid" 2> /dev/null || true
    done < "$dir/pgids"
    rm -f "$dir/pgids" "$dir/display"
    ;;
  *)
    echo "usage: $0 certs|start|stop DIR [NAME=PORT...]" >&2
    exit 2
    ;;
esac
