#!/bin/bash
# make deb: the Debian package scx-javaland (amd64) in target/deb/, built with dpkg's own tools from
# `scripts/install.sh` into a staging tree (PREFIX=/usr) and the metadata in packaging/debian/:
# dpkg-shlibdeps computes Depends from the ELF files, dpkg-gencontrol writes the control file, dpkg-deb builds.
# Prints the package's path on stdout. Needs `make build` first; as root, so that the AOT cache is fully trained.
#   scripts/make-deb.sh [--if-stale]   --if-stale: keep a package that is newer than everything it is made of
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "make-deb.sh: $*" >&2; exit 1; }
out=$top/target/deb
pkg=scx-javaland
pom_version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$top/pom.xml")
[ -n "$pom_version" ] || fail "no <version> in pom.xml"
version=${pom_version/-SNAPSHOT/\~snapshot}  # a snapshot sorts before its release
deb=$out/${pkg}_${version}_amd64.deb

inputs=("$top"/daemon/target/daemon-*.jar "$top/daemon/target/lib" "$top/bpf-src/build/out/native" "$top/bin"
        "$top/packaging" "$top/README.md" "$top/docs" "$top/scripts/install.sh" "$top/scripts/make-deb.sh"
        "$top/scripts/make-aot-cache.sh")
if [ "${1:-}" = --if-stale ] && [ -f "$deb" ] && [ -z "$(find "${inputs[@]}" -newer "$deb" -print -quit 2>/dev/null)" ]; then
  echo "make-deb.sh: $deb is up to date" >&2
  echo "$deb"
  exit 0
fi

# debhelper's layout (debian/PACKAGE/ under the build directory): there dpkg-shlibdeps knows the runtime's own
# libraries (libjvm.so, ...) for the package's, and looks no further for them.
rm -rf "$out"
stage=$out/debian/$pkg
mkdir -p "$stage"
DESTDIR=$stage PREFIX=/usr SYSCONFDIR=/etc "$top/scripts/install.sh" >&2
[ -s "$stage/usr/lib/scx-javaland/scx_javaland.aot" ] || fail "no AOT cache was recorded (see the lines above)"

docdir=$stage/usr/share/doc/$pkg
install -m 644 "$top/packaging/debian/copyright" "$docdir/copyright"
gzip -9n < "$top/packaging/debian/changelog" > "$docdir/changelog.Debian.gz"
chmod 644 "$docdir/changelog.Debian.gz"

cd "$out"
cp "$top/packaging/debian/control" "$top/packaging/debian/changelog" debian/
runtime=$stage/usr/lib/scx-javaland/runtime
elves=() gui=()
while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || continue
  # Only AWT windows and sound need these (X11, ALSA); the daemon loads neither: suggested, not required.
  case "${f##*/}" in libawt_xawt.so|libjawt.so|libsplashscreen.so|libjsound.so) gui+=("$f") ;; *) elves+=("$f") ;; esac
done < <(find "$stage" -type f \( -name '*.so' -o -perm -u+x \) -print0)
# DEBIAN/ first: it tells dpkg-shlibdeps where the package's root is, for the runtime's $ORIGIN run paths. Its
# warnings are about the runtime's private libraries (no versioned SONAME, unused links): shown only on failure.
mkdir -p "$stage/DEBIAN"
dpkg-shlibdeps -Tdebian/substvars -l"$runtime/lib" -l"$runtime/lib/server" "${elves[@]}" -dSuggests "${gui[@]}" \
  2> debian/shlibdeps.log || { cat debian/shlibdeps.log >&2; fail "dpkg-shlibdeps failed"; }
dpkg-gencontrol -p"$pkg" -v"$version" -Tdebian/substvars -P"$stage" -fdebian/files
install -m 755 "$top"/packaging/debian/{postinst,prerm,postrm} "$stage/DEBIAN/"
echo /etc/default/scx_javaland > "$stage/DEBIAN/conffiles"
(cd "$stage" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
  > "$stage/DEBIAN/md5sums"
# zstd: as small as gzip's and built in seconds (xz takes minutes here); dpkg reads it since 1.21.18 (Debian 12).
dpkg-deb --root-owner-group -Zzstd --build "$stage" "$deb" >&2
echo "make-deb.sh: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
