#!/usr/bin/env bash
# Builds the Java runtime an image is based on, into DIR (later laid on `scratch` by Jib as extra
# directories): a jlink'd JRE with MODULES under DIR/opt/java, the CA certificates, and every shared
# library its binaries load (found with ldd on this machine), at the same paths as here.
# No base image is pulled: nothing but Maven Central and Debian's packages is needed.
#   docker/runtime.sh DIR MODULES
set -euo pipefail
out=$1
modules=$2
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/etc"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$out/opt/java"
# Debian's JDK keeps its trust store and security files outside the JDK (symlinks into /etc).
for f in cacerts blocked.certs default.policy public_suffix_list.dat; do
  if [ -e "$java_home/lib/security/$f" ]; then
    rm -f "$out/opt/java/lib/security/$f"
    cp -L "$java_home/lib/security/$f" "$out/opt/java/lib/security/$f"
  fi
done
find "$out/opt/java" -xtype l -print | while read -r dangling; do
  # A link into /etc that jlink copied as a link: replace it with what it points to here.
  target=$(readlink "$dangling")
  rm -f "$dangling"
  cp -L "$target" "$dangling"
done
# A server runs headless: the X11, sound, splash-screen and font libraries of java.desktop are never
# loaded, and would bring some 30 libraries (X11, ALSA, FreeType, HarfBuzz, GLib) into the image.
rm -f "$out"/opt/java/lib/{libawt_xawt,libsplashscreen,libjsound,libfontmanager}.so
# The shared libraries of the launcher and of every library in the runtime, and the dynamic loader.
find "$out/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 ldd 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u \
  | while read -r lib; do
      case "$lib" in "$out"/*) continue ;; esac
      cp -L --parents "$lib" "$out"
    done
printf 'heliotrope:x:10001:10001::/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'heliotrope:x:10001:\n' > "$out/etc/group"
