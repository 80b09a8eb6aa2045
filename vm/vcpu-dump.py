#!/usr/bin/env python3
"""Where each vCPU of a silent guest is: vm/run.sh's hang guard calls this when the guest's heartbeat stops.

Asks qemu's human monitor for every vCPU's registers a few times and names each instruction pointer with the
guest's own symbol table (/proc/kallsyms, copied into the run directory at boot, so KASLR does not matter).
    vcpu-dump.py MONITOR_SOCKET KALLSYMS [SAMPLES]
Prints one line per vCPU: the functions it was found in, most frequent first.
"""
import bisect
import collections
import re
import socket
import sys
import time


def monitor_command(sock, command):
    sock.sendall(command.encode() + b"\n")
    out = b""
    sock.settimeout(5)
    while not out.rstrip().endswith(b"(qemu)"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def load_symbols(path):
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in ("t", "T"):
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError:
        pass
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def name_of(rip, addrs, names):
    if rip < 0xffff800000000000:
        return "user space"
    i = bisect.bisect_right(addrs, rip) - 1
    if i < 0:
        return "kernel 0x%x" % rip
    return "%s+0x%x" % (names[i], rip - addrs[i])


def main():
    sock_path, kallsyms = sys.argv[1], sys.argv[2]
    samples = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    addrs, names = load_symbols(kallsyms)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(sock_path)
    monitor_command(sock, "")  # the banner and the first prompt
    seen = collections.defaultdict(collections.Counter)
    for _ in range(samples):
        cpu = None
        for line in monitor_command(sock, "info registers -a").splitlines():
            m = re.match(r"CPU#(\d+)", line)
            if m:
                cpu = int(m.group(1))
            m = re.search(r"\bRIP=([0-9a-f]+)", line)
            if m and cpu is not None:
                seen[cpu][name_of(int(m.group(1), 16), addrs, names)] += 1
        time.sleep(0.2)
    if not seen:
        print("no vCPU registers from the monitor")
        return 1
    if not addrs:
        print("(no guest symbol table: addresses only)")
    for cpu in sorted(seen):
        where = ", ".join("%s (%d/%d)" % (n, c, samples) for n, c in seen[cpu].most_common())
        print("vCPU %d: %s" % (cpu, where))
    return 0


if __name__ == "__main__":
    sys.exit(main())
