#!/bin/bash
# Prints the home of a JDK 25 or newer: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*.
# Exits 1 with a one-line explanation on stderr when there is none.
version_of() { # java binary -> feature version (25), or empty
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
ok() { local v; v=$(version_of "$1/bin/java" 2>/dev/null); [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
if command -v java >/dev/null; then
  h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if ok "$h"; then echo "$h"; exit 0; fi
fi
for h in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  h=${h%/}
  if [ -x "$h/bin/java" ] && ok "$h"; then echo "$h"; exit 0; fi
done
echo "scx_javaland needs a JDK 25 or newer: none in JAVA_HOME, on PATH or under /usr/lib/jvm (install one, e.g. Temurin 25, and set JAVA_HOME)" >&2
exit 1
