#!/usr/bin/env bash
# Installs every Debian/Ubuntu package the project builds and tests with (never prompts).
# Package lists live in .ci/packages.d/*.txt, one per area, '#' starts a comment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
pkgs=$(sed -e 's/#.*//' "$here"/packages.d/*.txt | tr -s ' \n' '  ')
echo wireshark-common wireshark-common/install-setuid boolean false | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $pkgs
