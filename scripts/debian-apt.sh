#!/bin/bash
# Runs apt-get or apt-cache against another Debian suite without touching the system's own sources.
#   scripts/debian-apt.sh SUITE apt-get download PKG...
#   scripts/debian-apt.sh SUITE apt-cache policy PKG
#   scripts/debian-apt.sh SUITE apt-get source --download-only PKG
# The mirror URI is taken from this machine's apt configuration, so nothing here names a host.
# State (lists) lives under $SCX_JAVALAND_CACHE/apt/SUITE; `update` runs once per day per suite.
set -euo pipefail
suite=${1:?usage: debian-apt.sh SUITE apt-get|apt-cache ARGS...}; shift
cache=${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}
dir=$cache/apt/$suite
mkdir -p "$dir/lists/partial"

mirror_uri() {
  local u=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    u=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$u" ] && [ -f /etc/apt/sources.list ]; then
    u=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$u" ] || { echo "debian-apt.sh: no Debian mirror URI found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2; exit 2; }
  echo "$u"
}

if [ ! -f "$dir/suite.sources" ]; then
  cat > "$dir/suite.sources" <<EOS
Types: deb deb-src
URIs: $(mirror_uri)
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi
opts=(-o "Dir::Etc::sourcelist=$dir/suite.sources" -o Dir::Etc::sourceparts=/dev/null
      -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o Debug::NoLocking=1
      -o APT::Sandbox::User=root)
mkdir -p "$dir/cache/archives/partial"
stamp=$dir/lists/.updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
  apt-get "${opts[@]}" -qq update >&2
  touch "$stamp"
fi
tool=$1; shift
exec "$tool" "${opts[@]}" "$@"
