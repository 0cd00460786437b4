#!/usr/bin/env bash
# The image's runtime, without a registry: a jlink'd Java 17 from the local JDK plus the shared
# libraries it links against, copied from this (Debian) host, laid out as a root filesystem
# for Jib's extraDirectories on a `scratch` base. Docker Hub is not needed (nor reachable here).
#   docker/jib/runtime.sh OUT_DIR        (JAVA_HOME: the JDK to jlink, default the java on PATH's)
set -euo pipefail
out=${1:?usage: runtime.sh OUT_DIR}
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
rm -rf "$out" && mkdir -p "$out/opt" "$out/tmp" "$out/etc"
chmod 1777 "$out/tmp"
# Every module of the Java SE platform plus what gRPC-Netty, fabric8 and the JDBC drivers use
# reflectively: cheaper than chasing jdeps through 150 jars, and 60-70 MB.
"$jdk/bin/jlink" --output "$out/opt/java" --strip-debug --no-header-files --no-man-pages \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs,jdk.naming.dns,jdk.localedata \
  --include-locales en
# Debian's JDK keeps cacerts and policy files as symlinks into /etc: copy what they point at.
for f in "$out"/opt/java/lib/security/* "$out"/opt/java/conf/security/* ; do
  if [ -L "$f" ]; then cp --remove-destination "$(readlink -f "$f")" "$f"; fi
done
# The shared libraries of every ELF file in the runtime, with the loader, at their host paths.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | grep -o '/[^ ]*' | sort -u | while read -r lib; do
    [ -e "$lib" ] || continue
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done
# Programs look up users and groups; the image runs as 10001 (heliotrope).
printf 'root:x:0:0:root:/root:/sbin/nologin\nheliotrope:x:10001:10001:heliotrope:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nheliotrope:x:10001:\n' > "$out/etc/group"
echo "runtime in $out: $(du -sh "$out" | cut -f1)"
