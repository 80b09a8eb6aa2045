#!/bin/bash
# Builds the VM's initramfs (static busybox, the 9p modules of the VM kernel, vm/init) and prints its path.
#   vm/build-initramfs.sh [KERNEL_DIR]      (KERNEL_DIR: what scripts/fetch-kernel.sh prints; fetched if omitted)
# Cached under ${SCX_JAVALAND_CACHE:-~/.cache/scx_javaland}/vm/, keyed on the kernel release and a hash of
# vm/init and this script, so a second call costs nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}/vm
kdir=${1:-$("$repo/scripts/fetch-kernel.sh")}
release=$(cat "$kdir/release")
moddir=$kdir/root/usr/lib/modules/$release
busybox=$(command -v busybox || true)

fail() { echo "build-initramfs.sh: $*" >&2; exit 1; }
[ -n "$busybox" ] || fail "busybox not found (apt-get install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' \
  || fail "$busybox is not statically linked (apt-get install busybox-static)"
[ -d "$moddir/kernel" ] || fail "no modules in $moddir"

key=$(cat "$here/init" "$here/build-initramfs.sh" "$busybox" | sha256sum | cut -c1-16)
out=$cache/initramfs-$release-$key.cpio.gz
if [ -f "$out" ]; then echo "$out"; exit 0; fi

mkdir -p "$cache"
stage=$(mktemp -d "$cache/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,host,proc,sys,mods}
cp "$busybox" "$stage/bin/busybox"
install -m 755 "$here/init" "$stage/init"

# The 9p client stack. Each module is either built in (nothing to load) or a .ko(.xz|.zst) file whose
# "depends=" modinfo entry names the modules it needs first; load order is dependencies first.
modfile() { # module name -> path of its file under $moddir/kernel, or nothing
  find "$moddir/kernel" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" -o -name "$1.ko.gz" | head -1
}
builtin() { grep -qE "/$1\.ko$" "$moddir/modules.builtin" 2>/dev/null; }
unpack() { case "$1" in *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac; }
order=()
add() { # add MODULE after its dependencies
  local m=$1 f deps d
  for d in "${order[@]}"; do [ "$d" = "$m" ] && return 0; done
  f=$(modfile "$m")
  if [ -z "$f" ]; then
    builtin "$m" && return 0
    fail "kernel $release has module $m neither built in nor as a file under $moddir/kernel"
  fi
  unpack "$f" > "$stage/mods/$m.ko"
  deps=$(tr '\0' '\n' < "$stage/mods/$m.ko" | sed -n 's/^depends=//p' | head -1 | tr ',' ' ')
  for d in $deps; do add "${d//-/_}"; done
  order+=("$m")
}
for m in netfs 9pnet 9pnet_virtio 9p; do
  if [ -z "$(modfile "$m")" ] && ! builtin "$m" && [ "$m" = netfs ]; then continue; fi  # older kernels: no netfs
  add "$m"
done
printf '%s\n' "${order[@]}" > "$stage/mods/order"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -6) > "$stage.cpio.gz"
mv "$stage.cpio.gz" "$out"
echo "build-initramfs.sh: built $out (modules: ${order[*]:-none, all built in})" >&2
echo "$out"
