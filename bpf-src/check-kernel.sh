#!/bin/bash
# Checks what the scheduler object needs against a kernel's BTF, before booting it (docs/kernels.md):
#   bpf-src/check-kernel.sh [SPEC]     (SPEC as in scripts/fetch-kernel.sh; default the newest kernel)
# For every kfunc include/scx_kfuncs.h declares: present or missing, and for the renamed ones which name the
# jl_* wrapper will call; for every sched_ext enum value the scheduler relocates (JL_SCX_ENUM): its value there
# against vmlinux.h's; the sched_ext_ops and sched_ext_entity members the daemon and the BPF code use.
# Exits 1 when something the object cannot do without is missing. The load itself (the verifier) is only
# checked by booting the kernel: vm/run.sh --kernel SPEC, or E2E_KERNELS=SPEC vm/e2e.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bpftool=${BPFTOOL:-bpftool}
kdir=$("$here/../scripts/fetch-kernel.sh" "$@")
release=$(cat "$kdir/release")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$here/../scripts/extract-vmlinux.sh" "$kdir/vmlinuz" "$tmp/vmlinux"
"$bpftool" btf dump file "$tmp/vmlinux" > "$tmp/raw"
"$bpftool" btf dump file "$tmp/vmlinux" format c > "$tmp/c.h"
missing=0
echo "kernel $release (vmlinux.h is $(cat "$here/include/vmlinux.release"))"

has_func() { grep -q "FUNC '$1' " "$tmp/raw"; }
echo "kfuncs (include/scx_kfuncs.h):"
declare -A renamed=([scx_bpf_dsq_insert]=scx_bpf_dispatch [scx_bpf_dsq_insert_vtime]=scx_bpf_dispatch_vtime
                    [scx_bpf_dsq_move_to_local]=scx_bpf_consume)
old_names=" ${renamed[*]} "
for f in $(sed -n 's/^extern .*[ *]\([a-z_0-9]*\)(.*__ksym;$/\1/p' "$here/include/scx_kfuncs.h"); do
  [[ "$old_names" == *" $f "* ]] && continue       # reported with the new name
  if has_func "$f"; then
    echo "  ok       $f"
  elif [ -n "${renamed[$f]:-}" ] && has_func "${renamed[$f]}"; then
    echo "  old name $f: the wrapper calls ${renamed[$f]}"
  elif [ "$f" = scx_bpf_now ]; then
    echo "  missing  $f (declared, not called)"
  else
    echo "  MISSING  $f"; missing=1
  fi
done

enum_val() { sed -n "s/^[[:space:]]*$1 = \([0-9]*\)\(ULL\)\{0,1\},\{0,1\}$/\1/p" "$2" | head -1; }
echo "sched_ext values relocated at load (JL_SCX_ENUM in src/scx_javaland.bpf.c):"
for e in $(grep -o 'JL_SCX_ENUM([a-z_]*, SCX_[A-Z_]*)' "$here/src/scx_javaland.bpf.c" | sed 's/.*, \(SCX_[A-Z_]*\))/\1/' | sort -u); do
  here_v=$(enum_val "$e" "$here/include/vmlinux.h") there_v=$(enum_val "$e" "$tmp/c.h")
  if [ -z "$there_v" ]; then echo "  MISSING  $e"; missing=1
  elif [ "$here_v" = "$there_v" ]; then echo "  same     $e = $there_v"
  else echo "  moved    $e = $there_v (vmlinux.h: $here_v; CO-RE takes the kernel's)"; fi
done

# Members: the struct_ops fields the daemon writes (ops_off_* in common.bpf.h) and the fields the BPF code reads.
members() { awk -v s="struct $1 {" '$0 == s {on = 1; next} on && /^};/ {exit} on' "$tmp/c.h"; }
check_members() { # STRUCT MEMBER...
  local s=$1 m body; shift
  body=$(members "$s")
  [ -n "$body" ] || { echo "  MISSING  struct $s"; missing=1; return; }
  for m in "$@"; do
    if grep -qE "[ *(]$m(\)|;|\[| :)" <<< "$body"; then echo "  ok       $s.$m"
    else echo "  MISSING  $s.$m"; missing=1; fi
  done
}
echo "members:"
check_members sched_ext_ops flags timeout_ms exit_dump_len name hotplug_seq select_cpu enqueue dispatch runnable \
  running stopping update_idle init_task exit_task init exit
check_members sched_ext_entity weight dsq_vtime slice flags
check_members scx_exit_info kind exit_code reason msg
extra=$(members sched_ext_ops | sed -n 's/.*[ *(]\([a-z_0-9]*\))(.*/\1/p; s/^[[:space:]]*[a-z0-9_ ]* \([a-z_0-9]*\);$/\1/p' | sort)
ours=$(sed -n '/^struct sched_ext_ops {/,/^};/p' "$here/include/vmlinux.h" | \
  sed -n 's/.*[ *(]\([a-z_0-9]*\))(.*/\1/p; s/^[[:space:]]*[a-z0-9_ ]* \([a-z_0-9]*\);$/\1/p' | sort)
only=$(comm -13 <(echo "$extra") <(echo "$ours") | xargs)
[ -z "$only" ] || echo "  note     sched_ext_ops members in vmlinux.h but not in this kernel (libbpf skips them while zero): $only"
if [ $missing -eq 0 ]; then echo "check-kernel.sh: nothing missing on $release"; else echo "check-kernel.sh: something is missing on $release"; fi
exit $missing
