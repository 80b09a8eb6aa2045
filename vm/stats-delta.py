#!/usr/bin/python3
# vm/stats-delta.py SOCKET FIELD...: what the daemon's per-connection stats fields moved by between two moments.
# Connects to the daemon's scx_stats socket at once, asks for "stats" and prints "ready" and each FIELD's value;
# waits for a line on stdin (the end of the measured span), asks again and prints the values again, blank-separated
# on one line (a field the answer lacks: "-"). The per-connection fields (differences) of the second answer cover
# the span; the others are the values at its two ends. For the comparison's per-workload BPF counters (guest-compare.sh), so that
# they cost the guest no JVM start. Exit 1 with a one-line reason when the socket cannot be reached.
import json
import socket
import sys

if len(sys.argv) < 3:
    sys.exit("usage: stats-delta.py SOCKET FIELD...")
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    f = s.makefile("rwb")
except OSError as e:
    sys.exit("stats-delta.py: cannot connect to %s: %s" % (sys.argv[1], e))


def fields():
    try:
        f.write(b'{"req":"stats","args":{"target":"top"}}\n')
        f.flush()
        resp = json.loads(f.readline())["args"]["resp"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit("stats-delta.py: no stats answer: %s" % e)
    return " ".join(str(resp.get(k, "-")) for k in sys.argv[2:])


print("ready " + fields(), flush=True)
sys.stdin.readline()
print(fields(), flush=True)
