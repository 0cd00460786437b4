#!/usr/bin/env bash
# Measures the agent's own cost: CPU (% of one core) and RSS while `agent run` samples every second
# on a node with N fake pods (cgroup v1 tree) and reports every 5 s to a local acknowledging broker.
# Usage: agents/bench/agent-cost.sh [PODS=100] [SECONDS_PER_RUN=60] [RUNS=3] [JAVA_OPTS...]
# The agent inherits the environment (e.g. MALLOC_ARENA_MAX=2 agents/bench/agent-cost.sh ...).
# /metrics is on (--http-port 0, or METRICS_PORT=-1 to turn it off) and scraped every 15 s with curl
# while measuring, as Prometheus would.
# Needs: mvn -pl proto,agents -am verify (agents/target/agent.jar and test-classes).
set -euo pipefail
PODS=${1:-100}; DURATION=${2:-60}; RUNS=${3:-3}; shift $(( $# < 3 ? $# : 3 )) || true
JAVA_OPTS=("$@")
METRICS_PORT=${METRICS_PORT:-0}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$HERE/agents/target/agent.jar
WORK=$(mktemp -d)
trap 'kill $AGENT $SINK 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Fake node: N pods (each with one container cgroup), RAPL counters, the real /proc for CPU times.
ROOT=$WORK/root
CG=$ROOT/sys/fs/cgroup/cpu,cpuacct/kubepods/burstable
for i in $(seq 1 "$PODS"); do
  uid=$(printf '%08x-0000-4000-8000-%012x' "$i" "$i")
  mkdir -p "$CG/pod$uid/c$i"
  echo $((i * 1000000000)) > "$CG/pod$uid/cpuacct.usage"
  echo $((i * 1000000000)) > "$CG/pod$uid/c$i/cpuacct.usage"
done
for z in 0 1; do
  mkdir -p "$ROOT/sys/class/powercap/intel-rapl:$z" "$ROOT/sys/class/powercap/intel-rapl:$z:0"
  echo "package-$z" > "$ROOT/sys/class/powercap/intel-rapl:$z/name"
  echo dram > "$ROOT/sys/class/powercap/intel-rapl:$z:0/name"
  for d in "intel-rapl:$z" "intel-rapl:$z:0"; do
    echo 1000000 > "$ROOT/sys/class/powercap/$d/energy_uj"
    echo 262143328850 > "$ROOT/sys/class/powercap/$d/max_energy_range_uj"
  done
done
ln -s /proc "$ROOT/proc"

PORT=$(( 20000 + RANDOM % 20000 ))
java -cp "$JAR:$HERE/agents/target/test-classes" io.heliotrope.agent.bench.SinkBroker "$PORT" > "$WORK/sink.log" &
SINK=$!
sleep 2
TCK=$(getconf CLK_TCK)
echo "pods=$PODS seconds=$DURATION runs=$RUNS java_opts=${JAVA_OPTS[*]:-(none)}"
for run in $(seq 1 "$RUNS"); do
  java "${JAVA_OPTS[@]}" -jar "$JAR" run --broker "127.0.0.1:$PORT" --token bench --node bench \
    --cluster bench --data-center bench --sysfs-root "$ROOT" --sources rapl,model \
    --interval 1s --report-interval 5s --http-port "$METRICS_PORT" > "$WORK/agent.log" 2>&1 &
  AGENT=$!
  sleep 15 # start-up and JIT warm-up are not the steady state we are measuring
  MPORT=$(sed -n 's|^metrics: http://[^:]*:\([0-9]*\)/metrics$|\1|p' "$WORK/agent.log")
  read -r -a s0 < "/proc/$AGENT/stat"; c0=$(( s0[13] + s0[14] ))
  rss=()
  for i in $(seq 1 "$DURATION"); do
    sleep 1
    if [ -n "$MPORT" ] && [ $(( i % 15 )) -eq 0 ]; then
      curl -fsS "http://127.0.0.1:$MPORT/metrics" > "$WORK/metrics.txt"
    fi
    rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$AGENT/status")")
  done
  read -r -a s1 < "/proc/$AGENT/stat"; c1=$(( s1[13] + s1[14] ))
  kill "$AGENT"; wait "$AGENT" 2>/dev/null || true
  max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  med_rss=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(awk -v d=$(( c1 - c0 )) -v t="$TCK" -v s="$DURATION" 'BEGIN {printf "%.2f", 100 * d / t / s}')
  # VmRSS is in KiB: MiB = KiB/1024, MB (the issue's unit, 10^6 bytes) = KiB*1024/10^6.
  mib=$(awk -v k="$med_rss" 'BEGIN {printf "%.1f", k / 1024}')
  mb=$(awk -v k="$med_rss" 'BEGIN {printf "%.1f", k * 1024 / 1e6}')
  echo "run $run: cpu_percent_of_one_core=$cpu rss_median_kib=$med_rss rss_max_kib=$max_rss rss_median_mib=$mib rss_median_mb=$mb"
done
echo "last report seen by the broker: $(grep report "$WORK/sink.log" | tail -1)"
if [ -s "$WORK/metrics.txt" ]; then
  echo "last scrape: $(wc -c < "$WORK/metrics.txt") bytes, $(grep -c '^heliotrope_agent_pod_power_watts{' "$WORK/metrics.txt") pod series"
fi
