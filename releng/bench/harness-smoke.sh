#!/usr/bin/env bash
# Every benchmark in releng/comfy.workbench.benchmarks, run once at a tiny size: each JMH benchmark for one short
# iteration in this JVM, each harness with a few thousand events. The figures mean nothing; the point is that the
# commands docs/benchmarks.md gives still run to the end — a harness that breaks (a class the flat class path lacks,
# an exception on one of its threads) fails here, not on the day someone re-measures. Under a minute.
#
#   releng/bench/harness-smoke.sh
#
# Needs the benchmarks jar (./mvnw package -pl releng/comfy.workbench.benchmarks -am builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || { echo "build the benchmarks first: ./mvnw -B -ntp package -pl releng/comfy.workbench.benchmarks -am" >&2; exit 2; }
jdk=${JAVA_HOME:+$JAVA_HOME/bin/}
work=$(mktemp -d)
failed=0

# run NAME EXPECTED COMMAND...: the command must exit 0, print EXPECTED (an extended regular expression) and no
# exception (a harness's helper threads print theirs and carry on, so the exit status alone does not show them)
run() {
  local name=$1 expected=$2 log="$work/$1.log"
  shift 2
  local start=$SECONDS
  if ! (cd "$work" && timeout 180 "$@") > "$log" 2>&1; then
    echo "harness-smoke: $name FAILED (exit status), last lines of its output:" >&2
    tail -n 20 "$log" >&2
    failed=1
  elif grep -Eq '^(Exception|Caused by)|^\s+at [a-z]|Error:|FAILURE' "$log"; then
    echo "harness-smoke: $name FAILED (an exception in its output):" >&2
    grep -E -m 5 -A 3 '^(Exception|Caused by)|Error:|FAILURE' "$log" >&2
    failed=1
  elif ! grep -Eq "$expected" "$log"; then
    echo "harness-smoke: $name FAILED (no line matching '$expected'), last lines of its output:" >&2
    tail -n 20 "$log" >&2
    failed=1
  else
    echo "harness-smoke: $name ok ($((SECONDS - start)) s)"
  fi
}

java="${jdk}java"
captures="$root/tests/comfy.workbench.testing/captures"
run jmh 'Run complete' "$java" -Dcomfy.captures="$captures" -jar "$jar" -f 0 -wi 0 -i 1 -w 100ms -r 100ms -foe true
run WebSocketFloodBench '^ +1 +monitor +[0-9]+' \
  "$java" -cp "$jar" comfy.workbench.benchmarks.WebSocketFloodBench rounds=1 text=20000 binary=20 burst=0
run MonitorLatencyBench 'heap after GC' "$java" -cp "$jar" comfy.workbench.benchmarks.MonitorLatencyBench 500
run MonitorDecodeCpuTime '/thread-CPU-s' "$java" -cp "$jar" comfy.workbench.benchmarks.MonitorDecodeCpuTime 1 0.2
run CacheHitRate 'LFU' "$java" -cp "$jar" comfy.workbench.benchmarks.CacheHitRate 50000 5000 100,500 10000 1
run CacheSketchStudy '[0-9]' "$java" -cp "$jar" comfy.workbench.benchmarks.CacheSketchStudy 50000 5000 100 10000 1
run CacheCpuTime '[0-9]' "$java" -cp "$jar" comfy.workbench.benchmarks.CacheCpuTime 1 100000
run BlobPutCost '[0-9]' "$java" -cp "$jar" comfy.workbench.benchmarks.BlobPutCost 1 200 600

# the process-level harnesses' parts in the jar: the fake server as a process and the bare protocol client against it
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$java" -Dcomfy.captures="$captures" -cp "$jar" comfy.workbench.benchmarks.FakeServerMain --port "$port" \
  > "$work/fake-server.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q listening "$work/fake-server.log" && break; sleep 0.1; done
run FakeServerMain+BareClientBench 'bare: 20 jobs' \
  "$java" -cp "$jar" comfy.workbench.benchmarks.BareClientBench "http://127.0.0.1:$port" 20 "$work/bare-out" 5
kill "$fake" 2>/dev/null || true
wait "$fake" 2>/dev/null || true

if [ "$failed" -ne 0 ]; then
  echo "harness-smoke: FAILED; the outputs are in $work" >&2
  exit 1
fi
rm -rf "$work"
echo "harness-smoke: OK"
