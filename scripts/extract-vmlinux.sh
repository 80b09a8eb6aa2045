#!/bin/bash
# Writes the ELF vmlinux inside a Debian kernel's bzImage to OUT: Debian's bzImage carries the kernel as one zstd
# frame (magic 28 b5 2f fd). Used by vm/run.sh (PVH boot), bpf-src/gen-vmlinux-h.sh and bpf-src/check-kernel.sh.
#   scripts/extract-vmlinux.sh VMLINUZ OUT      exit 1 with one line when there is no such frame or no ELF in it
set -euo pipefail
vmlinuz=${1:?usage: extract-vmlinux.sh VMLINUZ OUT} out=${2:?usage: extract-vmlinux.sh VMLINUZ OUT}
# LC_ALL=C: in a UTF-8 locale grep -P does not match raw bytes and finds nothing.
off=$(LC_ALL=C grep -aboP '\x28\xb5\x2f\xfd' "$vmlinuz" | head -1 | cut -d: -f1)
[ -n "$off" ] || { echo "extract-vmlinux.sh: no zstd payload in $vmlinuz" >&2; exit 1; }
# zstd complains about the bytes after the frame; the frame itself decodes completely.
tail -c +$((off + 1)) "$vmlinuz" | zstd -dcq > "$out" 2>/dev/null || true
[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] \
  || { rm -f "$out"; echo "extract-vmlinux.sh: the payload of $vmlinuz is not an ELF" >&2; exit 1; }
