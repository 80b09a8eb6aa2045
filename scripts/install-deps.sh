#!/bin/bash
# Installs the Debian packages that the build, the host tests and the VM tests need, then fetches the VM kernels.
# Idempotent: packages already installed are left alone, and `apt-get update` runs only when a missing package
# has no install candidate in the current lists. Prints one line saying what it did.
# The JDK 25 is not a Debian 12 package: it comes with the machine (see scripts/find-jdk.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=(
  # build: BPF objects (clang, llvm-strip/objcopy), C tools (the wire layout dump, the micro-benchmark's reference consumers) against libbpf built from source
  clang-19 llvm-19 libelf-dev zlib1g-dev pkg-config make gcc libc6-dev dpkg-dev bpftool maven
  # kernel fetch and initramfs: apt-get source/download, unpacking modules, cpio archives
  ca-certificates debian-archive-keyring xz-utils zstd cpio gzip
  # VM and its tests: the guest chroots into this host's root, so its tools come from here
  qemu-system-x86 busybox-static stress-ng procps coreutils util-linux
  # same-boot comparison (vm/compare.sh): cyclictest, hackbench (Debian's perf refuses a kernel it wasn't built for)
  rt-tests
  # metrics: a real Prometheus server scrapes the daemon's /metrics in the host tests
  prometheus
  # make install / make deb: the man page from --help; dpkg-deb, dpkg-gencontrol and dpkg-shlibdeps come with
  # dpkg-dev above; systemd-analyze checks the unit (the package is installed and removed in the host tests)
  help2man systemd
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

did="all ${#packages[@]} packages already installed"
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: missing packages (${missing[*]}) and not root: run it as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  need_update=0
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || need_update=1
  if [ $need_update -eq 0 ]; then
    for p in "${missing[@]}"; do
      cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
      if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; break; fi
    done
  fi
  updated=""
  if [ $need_update -eq 1 ]; then
    apt-get -qq update >/dev/null
    updated="apt-get update, "
  fi
  if ! out=$(apt-get -qq -y install --no-install-recommends "${missing[@]}" 2>&1); then
    echo "$out" | tail -20 >&2
    echo "install-deps.sh: apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
  did="${updated}installed ${#missing[@]} packages: ${missing[*]}"
fi

# The VM kernels make test-vm boots (vm/kernels, docs/kernels.md), each cached on its own.
kernels=""
for spec in ${E2E_KERNELS:-$(sed 's/#.*//' "$here/../vm/kernels")}; do
  kernel=$("$here/fetch-kernel.sh" "$spec")
  kernels+="${kernels:+, }$(cat "$kernel/release") ($spec)"
done
echo "install-deps.sh: $did; VM kernels $kernels in $(dirname "$kernel")"
