#!/usr/bin/env bash
# Installs the Debian packages Provod's tests use, only those missing. Idempotent: a
# second run installs nothing. Called by `npm test`; safe to run by hand.
set -euo pipefail

# package → a file whose presence shows it is installed
declare -A wanted=(
  [postgresql]="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | head -n1)"
  [sox]=/usr/bin/sox
  [sip-tester]=/usr/bin/sipp
  [baresip-core]=/usr/bin/baresip
  [chromium]=/usr/bin/chromium
  [espeak-ng]=/usr/bin/espeak-ng
  [libsox-fmt-mp3]="$(ls /usr/lib/*/sox/libsox_fmt_mp3.so 2>/dev/null | head -n1)"
)

missing=()
for package in "${!wanted[@]}"; do
  probe="${wanted[$package]}"
  if [ -z "$probe" ] || [ ! -e "$probe" ]; then missing+=("$package"); fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-system-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
