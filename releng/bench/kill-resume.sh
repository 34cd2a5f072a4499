#!/usr/bin/env bash
# Reliability harness of the command line (issue 5): a run of JOBS distinct jobs against the fake ComfyUI server,
# the client SIGKILLed KILLS times at random points (the first after the jobs were stored), each time followed by
# `comfy resume`; then every job must be SUCCEEDED, the fake must have executed each prompt id exactly once, and
# every output must be on disk.
#
#   releng/bench/kill-resume.sh [JOBS] [KILLS] [NODE_MILLIS]     (defaults 300, 10, 20)
#
# Needs the product (./workbench comfy help builds it) and the benchmarks jar (fake server).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${1:-300}
kills=${2:-10}
node_millis=${3:-20}
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
jar="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
[ -x "$product/comfy" ] || { echo "build the product first: ./workbench comfy help" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests package -pl releng/comfy.workbench.benchmarks -am)

work=$(mktemp -d)
data="$work/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
captures=${COMFY_CAPTURES:-$root/../shared/comfyui-captures}
[ -d "$captures" ] || captures="$root/tests/comfy.workbench.testing/captures" # a clone elsewhere: the copy
java -Dcomfy.captures="$captures" -cp "$jar" \
  comfy.workbench.benchmarks.FakeServerMain --port "$port" --node-millis "$node_millis" --report "$work/executions.json" \
  > "$work/fake.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
until grep -q listening "$work/fake.log"; do sleep 0.1; done

for i in $(seq 1 "$jobs"); do
  printf '{"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":%d}},"2":{"class_type":"SaveImage","inputs":{"images":["1",0],"filename_prefix":"k%d"}}}' \
    "$((i + 5000))" "$i" > "$work/p$i.json"
done

start=$(date +%s.%N)
"$product/comfy" run "$work"/p*.json --server "http://127.0.0.1:$port" --data "$data" --json > "$work/run.log" 2>&1 &
pid=$!
# the first kill comes after the jobs are stored: a kill before that is a run that never happened
until grep -q '"state":"QUEUED"' "$work/run.log" 2>/dev/null; do sleep 0.05; done
for k in $(seq 1 "$kills"); do
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.3, 2.5), 2))')"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    echo "kill $k: killed the client (pid $pid)"
  else
    wait "$pid" 2>/dev/null || true
    echo "kill $k: the client had already ended"
  fi
  "$product/comfy" resume --data "$data" --json >> "$work/resume.log" 2>&1 &
  pid=$!
done
wait "$pid"
end=$(date +%s.%N)
"$product/comfy" jobs --data "$data" --json > "$work/jobs.log"
kill -TERM "$fake"
wait "$fake" 2>/dev/null || true
trap - EXIT

python3 - "$work" "$jobs" "$start" "$end" <<'PY'
import json, os, sys
work, expected, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
jobs = [json.loads(l) for l in open(os.path.join(work, "jobs.log")) if l.strip()]
executions = json.load(open(os.path.join(work, "executions.json")))
states = {}
for j in jobs:
    states[j["state"]] = states.get(j["state"], 0) + 1
problems = []
if len(jobs) != expected:
    problems.append(f"{len(jobs)} jobs stored, expected {expected}")
for j in jobs:
    if j["state"] != "SUCCEEDED":
        problems.append(f"job {j['id']} is {j['state']}: {j.get('error')}")
        continue
    n = executions.get(j["id"], 0)
    if n != 1:
        problems.append(f"job {j['id']} executed {n} times")
    for out in j.get("outputs", []):
        if not os.path.isfile(out):
            problems.append(f"job {j['id']}: output {out} is missing")
    if not j.get("outputs"):
        problems.append(f"job {j['id']} has no outputs")
print(f"{len(jobs)} jobs {states}; {sum(executions.values())} executions of {len(executions)} prompt ids; "
      f"{end - start:.1f} s")
if problems:
    print(f"FAILED (work folder {work}):"); [print("  " + p) for p in problems[:20]]
    sys.exit(1)
print("OK: every job SUCCEEDED, each prompt executed exactly once, every output on disk")
PY

# the work folder is kept only when a check failed (the script stops before this line), for a look at why
rm -rf "$work"
