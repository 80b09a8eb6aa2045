#!/bin/bash
# Prints the home of a JDK 25 or newer: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*.
# Exits 1 with a one-line explanation on stderr when there is none.
# The version comes from the JDK's `release` file, not from starting a JVM: under emulation (the test VM) a JVM
# start costs seconds.
feature() { # JDK home -> feature version (25), or empty
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($2, a, "."); print a[1]; exit}')
  echo "$v"
}
ok() { local v; [ -x "$1/bin/java" ] || return 1; v=$(feature "$1"); [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
if command -v java >/dev/null; then
  h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if ok "$h"; then echo "$h"; exit 0; fi
fi
for h in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  h=${h%/}
  if ok "$h"; then echo "$h"; exit 0; fi
done
echo "scx_javaland needs a JDK 25 or newer: none in JAVA_HOME, on PATH or under /usr/lib/jvm (install one, e.g. Temurin 25, and set JAVA_HOME)" >&2
exit 1
