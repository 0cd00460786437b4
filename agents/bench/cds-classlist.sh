#!/usr/bin/env bash
# Records the classes `agent run` loads (JDK and agent) on the bench's 100-pod fake node, talking to
# the sink broker, through one SIGTERM shutdown, into the class list that `agent cds` turns into a
# class-data sharing archive. Re-run after changing dependencies or the JDK, then rebuild the jar.
# Usage: agents/bench/cds-classlist.sh [SECONDS=20]    (needs agents/target/agent.jar and test-classes)
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$HERE/agents/src/main/resources/io/heliotrope/agent/cds/agent.classlist
TMP=$(mktemp)
# The DaemonSet's JVM options (docs/agent.md), so the same classes load (e.g. the unpooled allocator).
"$HERE/agents/bench/agent-cost.sh" 100 "${1:-20}" 1 -Xmx16m -Xmn3m -XX:MaxMetaspaceSize=32m -Xss256k \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1 \
  -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled -XX:DumpLoadedClassList="$TMP" >&2
# Kept whole: the @lambda-form-invoker/@lambda-proxy lines archive lambdas too; a JDK that does
# not know one of them only warns at dump time.
cp "$TMP" "$OUT"
rm -f "$TMP"
echo "$(wc -l < "$OUT") lines -> $OUT"
