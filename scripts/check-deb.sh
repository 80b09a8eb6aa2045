#!/bin/bash
# The package check of make test-host (docs/operations.md): builds the .deb (scripts/make-deb.sh), installs it on
# this machine with dpkg, and checks the installed layout: `scx_javaland check` with every JDK of the machine out
# of sight, the AOT cache usable by the packaged runtime, `systemd-analyze verify` on the unit, and its ExecStart=
# reading the flags of its environment file. Then dpkg -r and -P, and no file of the package may remain, nor any
# other file appear or go. One result line per check, then "N passed, N failed"; exit 1 on any failure.
# Needs root (dpkg -i); otherwise it says so and passes. It refuses to touch an scx-javaland installed before it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
pkg=scx-javaland
passed=0 failed=0
result() { # result OK|FAIL NAME [DETAIL]
  if [ "$1" = OK ]; then passed=$((passed + 1)); echo "check-deb ok   $2${3:+ ($3)}"
  else failed=$((failed + 1)); echo "check-deb FAIL $2${3:+ ($3)}"; fi
}
check() { if eval "$3"; then result OK "$1" "$2"; else result FAIL "$1" "$2"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
installed() { [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ]; }
known() { dpkg-query -W "$pkg" >/dev/null 2>&1; }  # installed, or removed with its conffile left

if [ "$(id -u)" -ne 0 ]; then echo "check-deb.sh: skipped: installing a package needs root"; exit 0; fi
if known; then
  echo "check-deb.sh: $pkg is already on this machine ($(dpkg-query -W -f='${Status}' "$pkg")): purge it first (dpkg -P $pkg)" >&2
  exit 1
fi
deb=$("$top/scripts/make-deb.sh") || { result FAIL "make-deb.sh builds the package"; finish; }
result OK "make-deb.sh builds the package" "$(basename "$deb"), $(du -h "$deb" | cut -f1)"
tmp=$(mktemp -d)
trap 'known && dpkg -P "$pkg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# What dpkg may touch; before and after must list the same paths (contents of dpkg's own database aside).
snapshot() { find /usr /etc /opt /var/lib/systemd -xdev 2>/dev/null | LC_ALL=C sort; }
snapshot > "$tmp/before"

out=$(dpkg -i "$deb" 2>&1); rc=$?
check "dpkg -i installs it" "exit $rc" '[ $rc -eq 0 ] && installed'
[ $rc -eq 0 ] || { echo "$out" | tail -20 | sed 's/^/    | /'; finish; }
dpkg-query -L "$pkg" | LC_ALL=C sort > "$tmp/files"
missing=""
for f in /usr/bin/scx_javaland /usr/lib/scx-javaland/bin/jvm-flags /usr/lib/scx-javaland/runtime/bin/java /usr/lib/scx-javaland/scx_javaland.aot \
         /usr/lib/scx-javaland/native/libbpf.so /usr/lib/systemd/system/scx_javaland.service \
         /etc/default/scx_javaland /usr/share/man/man1/scx_javaland.1.gz /usr/share/doc/$pkg/copyright \
         /usr/share/doc/$pkg/docs/operations.md; do
  [ -e "$f" ] || missing+=" $f"
done
check "the package installs the launcher and its JVM flags, runtime, AOT cache, libbpf, unit, env file, man page, docs" \
  "$(wc -l < "$tmp/files") paths${missing:+; missing:$missing}" '[ -z "$missing" ]'

# No JDK anywhere: a clean environment, and (in a mount namespace of its own) /usr/lib/jvm hidden, which leaves
# /usr/bin/java dangling.
nojdk() {
  if unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount -t tmpfs none /usr/lib/jvm 2>/dev/null; exec "$@"' sh \
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
  else
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
  fi
}
out=$(nojdk sh -c 'java -version 2>&1 | head -1' 2>&1); rc=$?
check "no JDK in sight for the next checks: java does not start" "${out:-no output}" '! nojdk java -version >/dev/null 2>&1'
out=$(nojdk /usr/bin/scx_javaland check 2>&1); rc=$?
want=1; [ -d /sys/kernel/sched_ext ] && want=0
check "/usr/bin/scx_javaland check runs on the packaged runtime and libbpf" \
  "exit $rc (want $want), $(grep -m1 '^JDK' <<< "$out" | tr -s ' ')" \
  '[ $rc -eq $want ] && grep -q "^JDK .*(.*, /usr/lib/scx-javaland/runtime)" <<< "$out" && grep -q "^libbpf .*/usr/lib/scx-javaland/native/libbpf.so" <<< "$out"'
[ $rc -eq $want ] || sed 's/^/    | /' <<< "$out"
# -XX:AOTMode=on: the JVM stops with an error unless it can use the cache.
out=$(nojdk SCX_JAVALAND_JVM_OPTS=-XX:AOTMode=on /usr/bin/scx_javaland --version 2>&1); rc=$?
check "the packaged AOT cache is valid for the packaged runtime" "exit $rc" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/    | /' <<< "$out" | head -5

unit=/usr/lib/systemd/system/scx_javaland.service
out=$(systemd-analyze verify "$unit" 2>&1); rc=$?
check "systemd-analyze verify accepts the unit" "exit $rc${out:+: $(head -1 <<< "$out")}" '[ $rc -eq 0 ] && [ -z "$out" ]'
mapfile -d '' argv < <("$top/scripts/unit-exec.sh" "$unit")
check "ExecStart with the shipped env file runs the daemon" "${argv[*]}" \
  '[ "${argv[*]}" = "/usr/bin/scx_javaland run" ]'
printf '# a test\nSCX_JAVALAND_FLAGS="--slice-us 0  --stats 5"\n' > "$tmp/env"
mapfile -d '' argv < <("$top/scripts/unit-exec.sh" "$unit" "$tmp/env")
out=$(nojdk "${argv[@]}" 2>&1); rc=$?
check "ExecStart passes the env file's flags to the daemon (--slice-us 0 is refused: exit 2)" \
  "${argv[*]}: exit $rc, $(head -1 <<< "$out")" '[ $rc -eq 2 ] && grep -q "slices must be positive" <<< "$out"'
if [ ! -d /sys/kernel/sched_ext ]; then
  mapfile -d '' argv < <("$top/scripts/unit-exec.sh" "$unit")
  out=$(nojdk "${argv[@]}" 2>&1); rc=$?
  check "ExecStart on a kernel without sched_ext: exit 3 (the unit does not restart it)" "exit $rc, $(head -1 <<< "$out")" \
    '[ $rc -eq 3 ] && grep -q "^RestartPreventExitStatus=.*\b3\b" "$unit"'
fi

out=$(dpkg -r "$pkg" 2>&1); rc=$?
left=""
while read -r f; do
  # what was there before (shared directories such as /usr/bin) stays, and the conffile stays until the purge
  [ "$f" = /. ] || [ "$f" = /etc/default/scx_javaland ] || grep -qxF "$f" "$tmp/before" && continue
  if [ -e "$f" ] || [ -L "$f" ]; then left+=" $f"; fi
done < "$tmp/files"
check "dpkg -r removes every file but the conffile" "exit $rc${left:+; left:$(cut -d" " -f1-4 <<< "$left")}" \
  '[ $rc -eq 0 ] && [ -z "$left" ] && [ -f /etc/default/scx_javaland ]'
out=$(dpkg -P "$pkg" 2>&1); rc=$?
check "dpkg -P removes the conffile and forgets the package" "exit $rc" \
  '[ $rc -eq 0 ] && [ ! -e /etc/default/scx_javaland ] && ! known'
snapshot > "$tmp/after"
diff=$(diff "$tmp/before" "$tmp/after")
check "the file system lists the same paths as before the install" "$(grep -c '^[<>]' <<< "$diff") differ${diff:+: $(grep '^[<>]' <<< "$diff" | head -3 | xargs)}" \
  '[ -z "$diff" ]'
finish
