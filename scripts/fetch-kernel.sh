#!/bin/bash
# Fetches one of Debian's sched_ext kernels for the VM harness and for vmlinux.h, and prints the directory it
# unpacked it into:  DIR/vmlinuz  DIR/config  DIR/release (uname -r)  DIR/root/ (the packages' files, modules included)
#   scripts/fetch-kernel.sh [SPEC]
# SPEC (or $SCX_VM_KERNEL; default: the newest one) says which kernel:
#   SUITE           the newest generic linux-image-*-amd64 in that Debian suite whose config has
#                   CONFIG_SCHED_CLASS_EXT=y (trixie-backports: the newest Debian has)
#   SUITE:SERIES    the same, among that series' packages only (trixie-backports:6.16 = the newest 6.16.x)
#   :SERIES         the same in the default suite
#   the kernels the tests use and how to add one: docs/kernels.md
# KERNEL_SUITE (default trixie-backports) and KERNEL_PACKAGE (an exact package name) still work as before;
# a SPEC wins over KERNEL_SUITE.
# Each package is cached under $SCX_JAVALAND_CACHE/kernel/<package> (default ~/.cache/scx_javaland): kernels live
# side by side, and a second call costs only a look at the suite's package list (refreshed once a day).
# Older Debian kernels ship everything in linux-image-*; newer ones split it into linux-binary-* (vmlinuz),
# linux-modules-* and linux-base-* (config): both layouts are handled.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}
spec=${1:-${SCX_VM_KERNEL:-}}
suite=${KERNEL_SUITE:-trixie-backports}
series=""
case "$spec" in
  "") ;;
  *:*) [ -n "${spec%%:*}" ] && suite=${spec%%:*}; series=${spec#*:} ;;
  *) suite=$spec ;;
esac
if [ -n "$series" ] && ! [[ "$series" =~ ^[0-9]+\.[0-9]+$ ]]; then
  echo "fetch-kernel.sh: bad kernel series '$series' in '$spec' (want SUITE, SUITE:MAJOR.MINOR or :MAJOR.MINOR)" >&2
  exit 2
fi
apt() { "$here/debian-apt.sh" "$suite" "$@"; }
mkdir -p "$cache/kernel"

if [ -n "${KERNEL_PACKAGE:-}" ]; then
  candidates=$KERNEL_PACKAGE
else
  re='^linux-image-[0-9.]+\+deb[0-9]+-amd64$'
  [ -z "$series" ] || re="^linux-image-${series//./\\.}\\.[0-9]+\\+deb[0-9]+-amd64\$"
  candidates=$(apt apt-cache search --names-only "$re" | awk '{print $1}' | sort -rV)
fi
what="$suite${series:+ (series $series)}"
[ -n "$candidates" ] || { echo "fetch-kernel.sh: no linux-image-*-amd64 package found in $what" >&2; exit 2; }

tmp=""
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT
for pkg in $candidates; do
  dest=$cache/kernel/$pkg
  if [ -f "$dest/.ok" ]; then echo "$dest"; exit 0; fi
  # A package found before to lack sched_ext is not downloaded again.
  if [ -f "$cache/kernel/.no-sched-ext-$pkg" ]; then continue; fi
  release=${pkg#linux-image-}
  echo "fetch-kernel.sh: downloading $pkg from $suite" >&2
  tmp=$(mktemp -d "$cache/kernel/.dl.XXXXXX")
  rm -rf "$dest"; mkdir -p "$dest/root"
  (cd "$tmp" && apt apt-get -qq download "$pkg" >&2)
  # The listing first: grep -q on dpkg-deb's pipe would end it early (SIGPIPE, a failure under pipefail).
  listing=$(dpkg-deb -c "$tmp"/*.deb)
  if ! grep -qE '/vmlinuz(-[^/]+)?$' <<< "$listing"; then
    (cd "$tmp" && apt apt-get -qq download "linux-base-$release" "linux-binary-$release" "linux-modules-$release" >&2)
  fi
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
  rm -rf "$tmp"; tmp=""
  vmlinuz=$(find "$dest/root" \( -name "vmlinuz-$release" -o -path "*/modules/$release/vmlinuz" \) -type f | head -1)
  config=$(find "$dest/root" \( -name "config-$release" -o -path "*/modules/$release/config" \) -type f | head -1)
  if [ -n "$vmlinuz" ] && [ -n "$config" ] && grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$config"; then
    ln -sf "${vmlinuz#$dest/}" "$dest/vmlinuz"; ln -sf "${config#$dest/}" "$dest/config"
    echo "$release" > "$dest/release"; touch "$dest/.ok"
    echo "$dest"; exit 0
  fi
  echo "fetch-kernel.sh: $pkg has no kernel image with CONFIG_SCHED_CLASS_EXT=y, trying an older one" >&2
  rm -rf "$dest"
  touch "$cache/kernel/.no-sched-ext-$pkg"
done
echo "fetch-kernel.sh: no kernel in $what has CONFIG_SCHED_CLASS_EXT=y" >&2
exit 2
