#!/usr/bin/python3
# vm/stats-delta.py SOCKET FIELD...: what the daemon's per-connection stats fields moved by between two moments.
# Connects to the daemon's scx_stats socket at once (the server takes its totals then), waits for a line on stdin
# (the end of the measured span), asks for "stats" and prints each FIELD's value on one line, blank-separated; a
# field the answer lacks prints as "-". For the comparison's per-workload BPF counters (guest-compare.sh), so that
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
print("ready", flush=True)
sys.stdin.readline()
try:
    f.write(b'{"req":"stats","args":{"target":"top"}}\n')
    f.flush()
    answer = json.loads(f.readline())
    resp = answer["args"]["resp"]
except (OSError, ValueError, KeyError, TypeError) as e:
    sys.exit("stats-delta.py: no stats answer: %s" % e)
print(" ".join(str(resp.get(k, "-")) for k in sys.argv[2:]), flush=True)
