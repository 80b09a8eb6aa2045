#!/bin/bash
# make install: installs the built daemon under $DESTDIR$PREFIX so that it runs without a JDK (docs/operations.md):
#   PREFIX/lib/scx-javaland/      bin/scx_javaland (the launcher) and bin/jvm-flags (its JVM flags), lib/*.jar, native/libbpf.so,
#                                 runtime/ (a jlink image of the JDK modules the daemon needs, found by jdeps),
#                                 scx_javaland.aot (the AOT cache, recorded with that runtime)
#   PREFIX/bin/scx_javaland       a link to the launcher
#   PREFIX/lib/systemd/system/scx_javaland.service, SYSCONFDIR/default/scx_javaland (kept if already there),
#   PREFIX/share/man/man1/scx_javaland.1.gz, PREFIX/share/doc/scx-javaland/ (README and docs)
# Environment: PREFIX (default /usr/local), DESTDIR (default empty), SYSCONFDIR (default /etc).
# Needs `make build` first and the JDK that built it. Recording the AOT cache trains the daemon, which loads BPF
# programs: run it as root for a fully trained cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
sysconfdir=${SYSCONFDIR:-/etc}
destdir=${DESTDIR:-}
fail() { echo "install.sh: $*" >&2; exit 1; }
[[ "$prefix" == /* && "$sysconfdir" == /* ]] || fail "PREFIX ($prefix) and SYSCONFDIR ($sysconfdir) must be absolute paths"

jdk=$("$top/scripts/find-jdk.sh") || exit 1
jar=$(ls "$top"/daemon/target/daemon-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
libbpf=$top/bpf-src/build/out/native/linux-x86_64/libbpf.so
[ -n "$jar" ] && [ -d "$top/daemon/target/lib" ] && [ -f "$libbpf" ] || fail "not built yet: run 'make build' first"
command -v help2man >/dev/null || fail "help2man not found: run scripts/install-deps.sh"

pkglib=$prefix/lib/scx-javaland
root=$destdir$pkglib
docdir=$prefix/share/doc/scx-javaland
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The whole directory is ours: a fresh one, so that no jar of an older version stays on the class path.
rm -rf "$root"
install -d "$root/bin" "$root/lib" "$root/native" "$destdir$prefix/bin"
install -p -m 644 "$jar" "$top"/daemon/target/lib/*.jar "$root/lib/"
install -p -m 644 "$libbpf" "$root/native/libbpf.so"
install -m 755 "$top/bin/scx_javaland" "$root/bin/scx_javaland"
install -m 644 "$top/bin/jvm-flags" "$root/bin/jvm-flags"
ln -sfn ../lib/scx-javaland/bin/scx_javaland "$destdir$prefix/bin/scx_javaland"

# The JDK modules the jars need, as jdeps reads them from the byte code (JDK 25 view of multi-release jars).
modules=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$root"/lib/*.jar 2>"$tmp/jdeps.err") \
  && [ -n "$modules" ] || { cat "$tmp/jdeps.err" >&2; fail "jdeps could not list the modules the daemon needs"; }
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$root/runtime" \
  > "$tmp/jlink.log" 2>&1 || { cat "$tmp/jlink.log" >&2; fail "jlink failed"; }
echo "install.sh: runtime image of $("$root/runtime/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2) with $modules ($(du -sh "$root/runtime" | cut -f1))"

# Recorded here, with the installed runtime and class path: the JVM uses a cache only with the JVM that made it.
"$top/scripts/make-aot-cache.sh" "$root/bin/scx_javaland" "$root/scx_javaland.aot" "$tmp/aot-training.log"

unitdir=$destdir$prefix/lib/systemd/system
install -d "$unitdir" "$destdir$sysconfdir/default"
sed -e "s|@BINDIR@|$prefix/bin|g" -e "s|@SYSCONFDIR@|$sysconfdir|g" -e "s|@DOCDIR@|$docdir|g" \
  "$top/packaging/scx_javaland.service.in" > "$unitdir/scx_javaland.service"
chmod 644 "$unitdir/scx_javaland.service"
envfile=$destdir$sysconfdir/default/scx_javaland
if [ -e "$envfile" ] && ! cmp -s "$envfile" "$top/packaging/scx_javaland.default"; then
  echo "install.sh: kept your $envfile (the shipped one is packaging/scx_javaland.default)"
else
  install -m 644 "$top/packaging/scx_javaland.default" "$envfile"
fi

# The man page: the top-level --help, run --help, observe --help and ab --help, as the installed launcher prints them.
{
  echo '[RUN OPTIONS]'
  echo '.nf'
  "$root/bin/scx_javaland" run --help | sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\&&/"
  echo '.fi'
  echo '[OBSERVE OPTIONS]'
  echo '.nf'
  "$root/bin/scx_javaland" observe --help | sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\&&/"
  echo '.fi'
  echo '[AB OPTIONS]'
  echo '.nf'
  "$root/bin/scx_javaland" ab --help | sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\&&/"
  echo '.fi'
  cat <<EOF
[ENVIRONMENT]
.TP
.B SCX_JAVALAND_HEAP
The JVM heap, fixed (default 128m).
.TP
.B SCX_JAVALAND_JVM_OPTS
Extra JVM options, split into words.
.TP
.B SCX_JAVALAND_AOT
off: start without the AOT cache.
[FILES]
.TP
.I $sysconfdir/default/scx_javaland
The flags scx_javaland.service passes to \\fBscx_javaland run\\fR (SCX_JAVALAND_FLAGS).
.TP
.I $prefix/lib/systemd/system/scx_javaland.service
The systemd unit.
.TP
.I $pkglib/
The daemon, its Java runtime, its AOT cache and libbpf.
[SEE ALSO]
$docdir/README.md, $docdir/docs/operations.md
EOF
} > "$tmp/man.include"
# Unwrapped top-level help (picocli wraps at 80 columns; help2man would take a wrapped line for a new paragraph).
version=$("$root/bin/scx_javaland" --version | head -1)
LC_ALL=C SCX_JAVALAND_JVM_OPTS=-Dpicocli.usage.width=400 help2man --no-info --section 1 --version-string "$version" \
  --name "sched_ext CPU scheduler whose policy runs in a Java process" \
  --include "$tmp/man.include" --output "$tmp/scx_javaland.1" "$root/bin/scx_javaland" 2>"$tmp/help2man.err" \
  || { cat "$tmp/help2man.err" >&2; fail "help2man failed"; }
install -d "$destdir$prefix/share/man/man1"
gzip -9n < "$tmp/scx_javaland.1" > "$destdir$prefix/share/man/man1/scx_javaland.1.gz"
chmod 644 "$destdir$prefix/share/man/man1/scx_javaland.1.gz"

install -d "$destdir$docdir/docs"
install -m 644 "$top/README.md" "$destdir$docdir/"
install -m 644 "$top"/docs/*.md "$destdir$docdir/docs/"

echo "install.sh: installed into ${destdir:+$destdir }$prefix ($(du -sh "$root" | cut -f1) in $pkglib)"
