#!/usr/bin/env bash
# CLI start-up: `job list` against a running broker, three ways, with hyperfine (Debian package).
#   broker/bench/cli-startup.sh [RUNS]      (after mvn -B -q -DskipTests package)
# Prints each variant's median wall time and mean CPU time (user + system); the JSON is kept in
# $OUT (default /tmp/cli-startup). Results: docs/benchmarks.md, "CLI start-up".
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-15}
out=${OUT:-/tmp/cli-startup}
jar=$PWD/broker/target/broker.jar
rm -rf "$out" && mkdir -p "$out"
java -jar "$jar" serve --grpc-port 0 --http-port 0 --data-dir "$out/data" > "$out/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$out/broker.log" | head -1 | sed 's/.*://' || true)
  [ -n "$port" ] && break
  sleep 1
done
[ -n "$port" ] || { echo "broker did not start; see $out/broker.log" >&2; exit 1; }
server=127.0.0.1:$port
for i in 1 2 3; do
  java -jar "$jar" job submit --server "$server" --name "bench-$i" --team bench --gpus 1 --duration 1h --deadline 24h >/dev/null
done
export XDG_CACHE_HOME=$out/cache
bin/heliotrope job list --server "$server" >/dev/null # writes the archive

hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/hyperfine.json" \
  -n "java -jar (JVM defaults)" "java -jar $jar job list --server $server" \
  -n "java C1 + SerialGC, no archive" "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar $jar job list --server $server" \
  -n "bin/heliotrope (C1 + SerialGC + AppCDS)" "bin/heliotrope job list --server $server" >/dev/null

python3 - "$out/hyperfine.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]
for r in results:
    cpu = r["user"] + r["system"]
    print("%-42s median %.2f s wall (x%.2f)  mean CPU %.2f s (x%.2f)" % (
        r["command"], r["median"], base["median"] / r["median"], cpu, (base["user"] + base["system"]) / cpu))
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
