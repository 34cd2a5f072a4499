#!/usr/bin/env bash
# The example extension (bundles/comfy.workbench.example.renderlog) installed as a studio would install its own: the
# jar the build made is dropped into a fresh data folder's extensions/, and the product, unchanged, runs jobs on two
# fake servers with the extension's dispatch policy (`--dispatch-policy round-robin`, refused if it were not
# registered), writes the extension's render log and shows its components and health check in `comfy status`.
#
#   releng/bench/example-extension.sh
#
# Needs the product and the reactor's jars (./workbench test builds them; so does ./mvnw verify -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
bench="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
example=$(ls "$root"/bundles/comfy.workbench.example.renderlog/target/comfy.workbench.example.renderlog-*.jar 2>/dev/null \
  | grep -v -- '-sources' | head -n 1 || true)
[ -x "$product/comfy" ] && [ -f "$bench" ] && [ -n "$example" ] \
  || { echo "build first: ./mvnw -B -ntp verify -DskipTests (the product, the benchmarks jar, the example's jar)" >&2; exit 2; }

work=$(mktemp -d)
data="$work/data"
mkdir -p "$data/extensions"
cp "$example" "$data/extensions/renderlog.jar"
captures=${COMFY_CAPTURES:-$root/../shared/comfyui-captures}
[ -d "$captures" ] || captures="$root/tests/comfy.workbench.testing/captures" # a clone elsewhere: the copy
fakes=()
urls=()
trap 'for f in "${fakes[@]}"; do kill "$f" 2>/dev/null || true; done' EXIT
for n in 1 2; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -Dcomfy.captures="$captures" -cp "$bench" comfy.workbench.benchmarks.FakeServerMain --port "$port" \
    --node-millis 20 > "$work/fake$n.log" 2>&1 &
  fakes+=($!)
  urls+=("http://127.0.0.1:$port")
  until grep -q listening "$work/fake$n.log"; do sleep 0.1; done
done
for i in 1 2 3 4; do
  printf '{"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":%d}},"2":{"class_type":"SaveImage","inputs":{"images":["1",0],"filename_prefix":"x%d"}}}' \
    "$((i + 7000))" "$i" > "$work/p$i.json"
done

code=0
"$product/comfy" run "$work"/p1.json --server "${urls[0]}" --dispatch-policy no-such-policy --data "$data" --json \
  > "$work/refused.log" 2>&1 || code=$?
[ "$code" -eq 2 ] || { echo "FAILED: a run with an unregistered policy exited $code, not 2"; cat "$work/refused.log"; exit 1; }
code=0
"$product/comfy" run "$work"/p*.json --server "${urls[0]}" --server "${urls[1]}" --dispatch-policy round-robin \
  --data "$data" --json > "$work/run.log" 2>&1 || code=$?
[ "$code" -eq 0 ] || { echo "FAILED: comfy run --dispatch-policy round-robin exited $code"; cat "$work/run.log"; exit 1; }
code=0
"$product/comfy" status --services --json --server "${urls[0]}" --data "$data" > "$work/status.json" 2>&1 || code=$?
[ "$code" -eq 0 ] || { echo "FAILED: comfy status --services exited $code"; cat "$work/status.json"; exit 1; }

python3 - "$work" "$data" <<'PY'
import json, os, sys
work, data = sys.argv[1], sys.argv[2]
problems = []
def expect(what, ok):
    if not ok:
        problems.append(what)
refused = open(os.path.join(work, "refused.log")).read()
expect(f"the unregistered policy refused, round-robin named as registered: {refused}",
       "'no-such-policy' is not registered" in refused and "round-robin" in refused)
log = os.path.join(data, "render-log", "jobs.jsonl")
lines = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
expect(f"four SUCCEEDED lines in the render log: {lines}", len(lines) == 4 and all(l["state"] == "SUCCEEDED" for l in lines))
expect(f"both servers ran jobs: {[l.get('server') for l in lines]}", len({l.get("server") for l in lines}) == 2)
status = [json.loads(l) for l in open(os.path.join(work, "status.json")) if l.strip().startswith("{")]
ext = [s for s in status if s.get("event") == "extension"]
expect(f"the extension ACTIVE: {ext}", len(ext) == 1 and ext[0].get("state") == "ACTIVE"
       and ext[0].get("name") == "comfy.workbench.example.renderlog")
check = [s for s in status if s.get("event") == "check" and s.get("name") == "render log"]
expect(f"its health check run and OK: {check}", len(check) == 1 and check[0].get("status") == "OK")
components = [s for s in status if s.get("event") == "component" and "example.renderlog" in json.dumps(s)]
expect(f"its three components listed, none failed: {components}", len(components) == 3
       and not any(c.get("state") in ("FAILED", "UNSATISFIED") for c in components))
if problems:
    print("FAILED (work folder " + work + "):"); [print("  " + p) for p in problems]
    sys.exit(1)
print("OK: the example extension installed from extensions/, its policy ran 4 jobs on 2 servers, its render log and "
      "check work, an unregistered policy is refused")
PY

# the work folder is kept only when a check failed (the script stops before this line), for a look at why
rm -rf "$work"
