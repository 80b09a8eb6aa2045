#!/bin/bash
# Boots Debian's sched_ext kernel under qemu TCG and runs one shell command line inside it.
#   vm/run.sh [--kernel SPEC] [--timeout SECS] [--smp N] [--mem SIZE] [--verbose] [--log FILE]
#             [--tcg single|multi] [--boot pvh|bzimage] [--append KERNEL_ARGS] -- COMMAND...
# The guest chroots into this host's root (read-only 9p), so it runs the host's JDK, tools and the built repo;
# COMMAND runs with `bash -c` in the repo root (same path as here) with a clean environment (PATH, HOME,
# JAVA_HOME, SCX_JAVALAND_REPO, SCX_JAVALAND_SHARE, SCX_JAVALAND_IN_VM=1). vm/out/share/ is writable and mounted
# at the same path in the guest: files the command writes there appear here.
# The guest console goes to stdout and to a log under vm/out/ (path printed at the end, or --log FILE).
# Exit code: COMMAND's; on a boot failure or a timeout a one-line "vm/run.sh: ..." message and 125 / 124; when
# the hang guard stops a silent guest, 126 after a line per vCPU saying where it was.
#   --kernel SPEC  which Debian kernel (default $SCX_VM_KERNEL, else the newest): SUITE or SUITE:SERIES, e.g.
#              trixie-backports:6.16 (scripts/fetch-kernel.sh; docs/kernels.md). Each is fetched once and cached.
#   --verbose  kernel boot messages on the console (default: quiet)
#   --timeout  wall-clock limit for the whole VM run in seconds (default 900)
#   --tcg single|multi  TCG threading (default single, or $SCX_VM_TCG_THREAD). single: one host thread runs
#              both vCPUs in turn. It boots and starts a JVM 2-3x faster here, and it cannot hit the stale-code
#              race of multi-threaded TCG with kernel text patching (static keys: an "Oops: int3" seen once in
#              ~30 multi boots). multi: vCPUs in parallel, more CPU throughput on an idle host.
#   --boot pvh|bzimage  pvh (default when the kernel has CONFIG_PVH): boot the ELF vmlinux, extracted once and
#              cached, through its PVH entry, which skips decompressing the bzImage under emulation
#   --hang-secs N  the hang guard (default 180, or $SCX_VM_HANG_SECS; 0: off): a task in the guest writes a
#              heartbeat every 5 s; when none came for N s, the guest is making no progress (what the scheduler
#              under test must never cause): print where each vCPU is (qemu's monitor, the guest's kallsyms;
#              vm/vcpu-dump.py) and stop the VM, so that a hang is a failure with a cause, not a timeout
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
kernel=${SCX_VM_KERNEL:-} timeout=900 smp=2 mem=2G quiet="quiet loglevel=4" log="" tcg=${SCX_VM_TCG_THREAD:-single} extra="" boot=${SCX_VM_BOOT:-}
hang_secs=${SCX_VM_HANG_SECS:-180}
usage() { sed -n '2,/^set -uo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel) kernel=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --smp) smp=${2:?}; shift 2 ;;
    --mem) mem=${2:?}; shift 2 ;;
    --log) log=${2:?}; shift 2 ;;
    --verbose) quiet="loglevel=7"; shift ;;
    --tcg) tcg=${2:?}; shift 2 ;;
    --boot) boot=${2:?}; shift 2 ;;
    --append) extra="$extra ${2:?}"; shift 2 ;;
    --hang-secs) hang_secs=${2:?}; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) echo "vm/run.sh: unknown option $1 (the command goes after --)" >&2; usage ;;
  esac
done
[ $# -gt 0 ] || { echo "vm/run.sh: no command given (vm/run.sh [options] -- COMMAND...)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "vm/run.sh: qemu-system-x86_64 not found (run scripts/install-deps.sh)" >&2; exit 125; }

kdir=$("$repo/scripts/fetch-kernel.sh" ${kernel:+"$kernel"}) || { echo "vm/run.sh: cannot fetch the VM kernel${kernel:+ $kernel}" >&2; exit 125; }
initrd=$("$here/build-initramfs.sh" "$kdir") || { echo "vm/run.sh: cannot build the initramfs" >&2; exit 125; }
java_home=${JAVA_HOME:-$("$repo/scripts/find-jdk.sh" 2>/dev/null || true)}
release=$(cat "$kdir/release")

# The ELF vmlinux inside the zstd bzImage: qemu boots it through its PVH entry note without the decompressor.
vmlinux() {
  local out=${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}/vm/vmlinux-$release tmp
  if [ ! -s "$out" ]; then
    mkdir -p "$(dirname "$out")"
    tmp=$(mktemp "$out.XXXXXX")
    "$repo/scripts/extract-vmlinux.sh" "$kdir/vmlinuz" "$tmp" 2>/dev/null || { rm -f "$tmp"; return 1; }
    chmod 644 "$tmp"; mv "$tmp" "$out"
  fi
  echo "$out"
}
if [ -z "$boot" ]; then
  boot=bzimage
  grep -q '^CONFIG_PVH=y' "$kdir/config" && boot=pvh
fi
image=$kdir/vmlinuz
if [ "$boot" = pvh ]; then
  image=$(vmlinux) || { echo "vm/run.sh: cannot extract vmlinux from $kdir/vmlinuz; booting the bzImage" >&2; image=$kdir/vmlinuz; boot=bzimage; }
fi

out=$here/out
share=$out/share
id=$(date +%Y%m%d-%H%M%S)-$$
rundir=$share/.run/$id
mkdir -p "$rundir"
log=${log:-$out/run-$id.log}
mkdir -p "$(dirname "$log")"
{
  echo "SHARE=$share"
  echo "REPO=$repo"
  echo "GUEST_HOME=${HOME:-/root}"
  echo "GUEST_JAVA_HOME=$java_home"
  echo "GUEST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
} > "$rundir/env"
printf '%s\n' "$*" > "$rundir/cmd"

# qboot is a minimal firmware: it reaches the kernel seconds sooner than SeaBIOS under emulation.
bios=()
qboot=${SCX_VM_BIOS:-/usr/share/qemu/qboot.rom}
[ "$qboot" != default ] && [ -f "$qboot" ] && bios=(-bios "$qboot")
# tsc=unstable: sched_clock then never switches to "stable" at boot. That switch patches a static key in code
# the other vCPU runs, and under multi-threaded TCG that text patching sometimes left a stale int3 that
# oopsed the boot (seen once in ~30 boots: "Oops: int3" in sched_clock_cpu).
qemu=(qemu-system-x86_64 -accel "tcg,thread=$tcg" -cpu max -smp "$smp" -m "$mem"
  -nodefaults -no-user-config -display none -serial stdio -no-reboot "${bios[@]}"
  -kernel "$image" -initrd "$initrd"
  -append "console=ttyS0 $quiet panic=-1$extra scx_run=$id"
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
  -virtfs "local,path=$share,mount_tag=share,security_model=none,multidevs=remap"
  -monitor "unix:$rundir/monitor.sock,server=on,wait=off")

# The hang guard's host half (vm/init writes the heartbeat and the symbols).
hang_guard() {
  local hb=$rundir/heartbeat age
  while sleep 5; do
    [ -f "$hb" ] || continue
    age=$(( $(date +%s) - $(stat -c %Y "$hb" 2>/dev/null || date +%s) ))
    [ "$age" -gt "$hang_secs" ] || continue
    {
      echo "vm/run.sh: hang: no heartbeat from the guest for $age s; where its vCPUs are:"
      python3 "$here/vcpu-dump.py" "$rundir/monitor.sock" "$rundir/kallsyms" 10 2>&1 | sed 's/^/vm\/run.sh: hang: /'
    } | tee -a "$log" >&2
    touch "$rundir/hang"
    pkill -KILL -f "scx_run=$id" 2>/dev/null
    return
  done
}

start=$(date +%s%N)
interrupted=0
trap 'interrupted=1' INT TERM
echo "vm/run.sh: booting $release ($boot, TCG $tcg-threaded, -smp $smp -m $mem); console log $log" >&2
# qemu gets no stdin (the guest reads none), so Ctrl-C on a terminal stops qemu and this script.
: > "$log"
guard_pid=""
if [ "$hang_secs" -gt 0 ]; then hang_guard & guard_pid=$!; fi
timeout --kill-after=10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 | sed -u 's/\r$//' | tee -a "$log"
qrc=${PIPESTATUS[0]}
[ -z "$guard_pid" ] || kill "$guard_pid" 2>/dev/null
hung=0
[ -f "$rundir/hang" ] && hung=1
secs=$(( ($(date +%s%N) - start) / 1000000 ))
secs=$(printf '%d.%03d' $((secs / 1000)) $((secs % 1000)))

rc=""
[ -f "$rundir/rc" ] && rc=$(cat "$rundir/rc")
[ -n "$rc" ] || rc=$(sed -n 's/^SCX_VM_EXIT rc=\([0-9]*\)$/\1/p' "$log" | tail -1)
rm -rf "$rundir"
if [ $hung -eq 1 ]; then
  echo "vm/run.sh: stopped a guest that made no progress for $hang_secs s (VM wall time ${secs} s); log $log" >&2
  exit 126
fi
if [ $interrupted -eq 1 ] && [ -z "$rc" ]; then
  echo "vm/run.sh: interrupted after ${secs} s; log $log" >&2
  exit 130
fi
if [ -n "$rc" ]; then
  echo "vm/run.sh: command exited $rc; VM wall time ${secs} s; log $log" >&2
  exit "$rc"
fi
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
  echo "vm/run.sh: timed out after $timeout s (VM wall time ${secs} s); log $log" >&2
  exit 124
fi
echo "vm/run.sh: the VM stopped without running the command (qemu exit $qrc, ${secs} s; see $log, --verbose shows kernel messages)" >&2
exit 125
