#!/bin/bash
# Prints the home of a JDK 25 or newer: $JAVA_HOME, then the java on PATH, then the JDKs under the directories in
# $SCX_JAVALAND_JDK_DIRS (colon-separated; default /usr/lib/jvm).
# Exits 1 with a one-line explanation on stderr when there is none, saying what it found instead.
# The version comes from the JDK's `release` file, not from starting a JVM: under emulation (the test VM) a JVM
# start costs seconds.
feature() { # JDK home -> feature version (25), or empty
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($2, a, "."); print a[1]; exit}')
  echo "$v"
}
ok() { local v; [ -x "$1/bin/java" ] || return 1; v=$(feature "$1"); [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; }
what() { # JDK home -> "JDK 17", for the message
  local v
  [ -x "$1/bin/java" ] || { echo "not a JDK"; return; }
  v=$(feature "$1")
  echo "JDK ${v:-of unknown version}"
}
found=()
if [ -n "${JAVA_HOME:-}" ]; then
  if ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
  found+=("JAVA_HOME=$JAVA_HOME is $(what "$JAVA_HOME")")
fi
if command -v java >/dev/null; then
  h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if ok "$h"; then echo "$h"; exit 0; fi
  found+=("java on PATH is $(what "$h") ($h)")
fi
IFS=: read -r -a dirs <<< "${SCX_JAVALAND_JDK_DIRS:-/usr/lib/jvm}"
for d in "${dirs[@]}"; do
  versions=()
  for h in $(ls -d "$d"/*/ 2>/dev/null | sort -rV); do
    h=${h%/}
    if ok "$h"; then echo "$h"; exit 0; fi
    [ -x "$h/bin/java" ] && versions+=("$(feature "$h")")
  done
  if [ ${#versions[@]} -gt 0 ]; then
    found+=("under $d: JDK $(printf '%s\n' "${versions[@]}" | sort -un | paste -sd/)")
  else
    found+=("no JDK under $d")
  fi
done
msg=$(printf '%s; ' "${found[@]}")
echo "scx_javaland: no JDK 25 or newer found (${msg%; }): install one, e.g. Temurin 25, and set JAVA_HOME" >&2
exit 1
