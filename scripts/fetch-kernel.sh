#!/bin/bash
# Fetches Debian's sched_ext kernel for the VM harness and for vmlinux.h, and prints the directory it unpacked
# it into:  DIR/vmlinuz  DIR/config  DIR/release (uname -r)  DIR/root/ (the packages' files, modules included)
# Cached under $SCX_JAVALAND_CACHE (default ~/.cache/scx_javaland): a second call costs nothing.
#   KERNEL_SUITE   (default trixie-backports)
#   KERNEL_PACKAGE (default: the newest generic linux-image-*-amd64 in that suite whose config has
#                   CONFIG_SCHED_CLASS_EXT=y)
# Older Debian kernels ship everything in linux-image-*; newer ones split it into linux-binary-* (vmlinuz),
# linux-modules-* and linux-base-* (config): both layouts are handled.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}
suite=${KERNEL_SUITE:-trixie-backports}
apt() { "$here/debian-apt.sh" "$suite" "$@"; }
mkdir -p "$cache/kernel"

if [ -n "${KERNEL_PACKAGE:-}" ]; then
  candidates=$KERNEL_PACKAGE
else
  candidates=$(apt apt-cache search --names-only '^linux-image-[0-9.]+\+deb[0-9]+-amd64$' | awk '{print $1}' | sort -rV)
fi
[ -n "$candidates" ] || { echo "fetch-kernel.sh: no linux-image-*-amd64 package found in $suite" >&2; exit 2; }

for pkg in $candidates; do
  dest=$cache/kernel/$pkg
  if [ -f "$dest/.ok" ]; then echo "$dest"; exit 0; fi
  release=${pkg#linux-image-}
  echo "fetch-kernel.sh: downloading $pkg from $suite" >&2
  tmp=$(mktemp -d "$cache/kernel/.dl.XXXXXX")
  rm -rf "$dest"; mkdir -p "$dest/root"
  (cd "$tmp" && apt apt-get -qq download "$pkg" >&2)
  if ! dpkg-deb -c "$tmp"/*.deb | grep -qE '(boot/vmlinuz|/vmlinuz)$'; then
    (cd "$tmp" && apt apt-get -qq download "linux-base-$release" "linux-binary-$release" "linux-modules-$release" >&2)
  fi
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
  rm -rf "$tmp"
  vmlinuz=$(find "$dest/root" \( -name "vmlinuz-$release" -o -path "*/modules/$release/vmlinuz" \) -type f | head -1)
  config=$(find "$dest/root" \( -name "config-$release" -o -path "*/modules/$release/config" \) -type f | head -1)
  if [ -n "$vmlinuz" ] && [ -n "$config" ] && grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$config"; then
    ln -sf "${vmlinuz#$dest/}" "$dest/vmlinuz"; ln -sf "${config#$dest/}" "$dest/config"
    echo "$release" > "$dest/release"; touch "$dest/.ok"
    echo "$dest"; exit 0
  fi
  echo "fetch-kernel.sh: $pkg has no kernel image with CONFIG_SCHED_CLASS_EXT=y, trying an older one" >&2
  rm -rf "$dest"
done
echo "fetch-kernel.sh: no kernel in $suite has CONFIG_SCHED_CLASS_EXT=y" >&2
exit 2
