#!/bin/bash
# Builds the example policy jar as a user builds one (docs/writing-a-policy.md): javac against the daemon's jars,
# a services file naming the provider, jar. Usage: examples/policy/build.sh OUT.jar [LIBDIR]
# LIBDIR: the daemon's jars; default /usr/lib/scx-javaland/lib when installed, else this checkout's daemon/target/lib.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUT.jar [LIBDIR]" >&2; exit 2; }
out=$1
lib=${2:-}
if [ -z "$lib" ]; then
  if [ -d "$top/daemon/target/lib" ]; then lib=$top/daemon/target/lib; else lib=/usr/lib/scx-javaland/lib; fi
fi
ls "$lib"/core-*.jar > /dev/null 2>&1 || { echo "$0: no core-*.jar in $lib (run 'make build', or give LIBDIR)" >&2; exit 2; }
jdk=${JAVA_HOME:-$("$top/scripts/find-jdk.sh")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes/META-INF/services"
"$jdk/bin/javac" -cp "$lib/*" -d "$work/classes" $(find "$here/src" -name '*.java' | sort)
echo example.policy.ExampleFifoProvider > "$work/classes/META-INF/services/org.scxjavaland.core.policy.PolicyProvider"
"$jdk/bin/jar" --create --file "$work/policy.jar" -C "$work/classes" .
mv "$work/policy.jar" "$out"
echo "$out"
