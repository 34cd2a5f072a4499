#!/usr/bin/env bash
# The example extensions (bundles/comfy.workbench.example.renderlog and its view, .renderlog.ui) installed as a studio
# would install its own: the jars the build made are dropped into a fresh data folder's extensions/, and the product,
# unchanged, runs jobs on two fake servers with the extension's dispatch policy (`--dispatch-policy round-robin`,
# refused if it were not registered), writes the extension's render log, copies the outputs to a share named by a
# configuration file, and shows its components and health check in `comfy status`, where the view's jar is for the workbench only (no warning). The workbench's framework starts the
# view's bundle too, and the workbench itself, under a private Xvfb, has the Render Log view in its model (read from
# the model it saves when its window is closed).
#
#   releng/bench/example-extension.sh
#
# Needs the product and the reactor's jars (./workbench test builds them; so does ./mvnw verify -DskipTests), and
# Xvfb for the last part (skipped, and said so, without it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
bench="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
jar_of() { # BUNDLE: the jar the build made of it, or nothing
  ls "$root"/bundles/"$1"/target/"$1"-*.jar 2>/dev/null | grep -v -- '-sources' | head -n 1 || true
}
example=$(jar_of comfy.workbench.example.renderlog)
example_ui=$(jar_of comfy.workbench.example.renderlog.ui)
[ -x "$product/comfy" ] && [ -f "$bench" ] && [ -n "$example" ] && [ -n "$example_ui" ] \
  || { echo "build first: ./mvnw -B -ntp verify -DskipTests (the product, the benchmarks jar, the examples' jars)" >&2; exit 2; }

work=$(mktemp -d)
data="$work/data"
mkdir -p "$data/extensions"
cp "$example" "$data/extensions/renderlog.jar"
cp "$example_ui" "$data/extensions/renderlog-ui.jar"
# the extension's output handler runs when configured, as any component: by a configuration file
mkdir -p "$data/config"
printf '{"folder": "%s"}\n' "$work/share" > "$data/config/comfy.workbench.example.copies.json"
captures=${COMFY_CAPTURES:-$root/../shared/comfyui-captures}
[ -d "$captures" ] || captures="$root/tests/comfy.workbench.testing/captures" # a clone elsewhere: the copy
urls=()
pids=() # the fake servers, and Xvfb and the workbench while they run
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for n in 1 2; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -Dcomfy.captures="$captures" -cp "$bench" comfy.workbench.benchmarks.FakeServerMain --port "$port" \
    --node-millis 20 > "$work/fake$n.log" 2>&1 &
  pids+=($!)
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

# the workbench's framework (its configuration, copied so the build output stays as built; the command line's
# application instead of the UI): the view's bundle resolves and starts there
wbdata="$work/workbench-data"
wbconf="$work/workbench-configuration"
mkdir -p "$wbdata/extensions" "$wbconf/org.eclipse.equinox.simpleconfigurator"
cp "$product/configuration/config.ini" "$wbconf/"
cp "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" "$wbconf/org.eclipse.equinox.simpleconfigurator/"
cp "$data"/extensions/*.jar "$wbdata/extensions/"
code=0
env -u DISPLAY COMFY_WORKBENCH_CDS=false COMFY_WORKBENCH_CONFIGURATION="$wbconf" \
  "$product/comfy-workbench" -data "$wbdata" -application comfy.workbench.cli.comfy -noSplash \
  status --services --json --server http://127.0.0.1:1 > "$work/workbench.json" 2> "$work/workbench.err" || code=$?
[ "$code" -eq 3 ] || { echo "FAILED: the workbench's comfy status exited $code (expected 3: the closed port)"; cat "$work/workbench.err"; exit 1; }

# the workbench itself under a private Xvfb (its display number chosen by Xvfb): when its window shows, it is asked to
# close as a window manager would (WM_DELETE_WINDOW), and it saves its model, fragments merged, as it exits
model="$wbdata/.metadata/.plugins/org.eclipse.e4.workbench/workbench.xmi"
if command -v Xvfb >/dev/null 2>&1; then
  . "$root/releng/bench/xvfb.sh"
  start_xvfb "$work"
  DISPLAY=$display COMFY_WORKBENCH_CDS=false COMFY_WORKBENCH_CONFIGURATION="$wbconf" \
    "$product/comfy-workbench" -data "$wbdata" > "$work/workbench-ui.log" 2>&1 &
  app=$!
  pids+=($app)
  DISPLAY=$display python3 "$root/releng/bench/close-window.py" "Comfy Workbench" "$app" 60 \
    || { echo "FAILED: the workbench showed no window to close"; tail -n 40 "$work/workbench-ui.log"; exit 1; }
  deadline=$((SECONDS + 30))
  while kill -0 "$app" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "FAILED: the workbench did not exit when its window was closed"; exit 1; }
    sleep 0.1
  done
else
  echo "example extension: no Xvfb, so the running workbench's model is not checked (the view's tests check the fragment)"
  model=""
fi

python3 - "$work" "$data" "$model" <<'PY'
import json, os, sys
work, data, model = sys.argv[1], sys.argv[2], sys.argv[3]
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
ext = {s.get("file"): s for s in status if s.get("event") == "extension"}
expect(f"the extension ACTIVE: {ext}", ext.get("renderlog.jar", {}).get("state") == "ACTIVE"
       and ext["renderlog.jar"].get("name") == "comfy.workbench.example.renderlog")
view = ext.get("renderlog-ui.jar", {})
expect(f"the view's jar for the workbench only, without a problem: {view}", view.get("state") == "WORKBENCH_ONLY"
       and view.get("name") == "comfy.workbench.example.renderlog.ui" and "problem" not in view and len(ext) == 2)
extensions = [s for s in status if s.get("event") == "check" and s.get("name") == "extensions"]
expect(f"the check extensions OK, the view listed apart: {extensions}", len(extensions) == 1
       and extensions[0].get("status") == "OK"
       and "; 1 for the workbench only: comfy.workbench.example.renderlog.ui" in extensions[0].get("message", ""))
workbench = [json.loads(l) for l in open(os.path.join(work, "workbench.json")) if l.strip().startswith("{")]
wext = {s.get("file"): s for s in workbench if s.get("event") == "extension"}
# LAZY: started, and activated by the first use of its classes (the workbench making the view), as our views are
expect(f"in the workbench's framework both run: {wext}", wext.get("renderlog.jar", {}).get("state") == "ACTIVE"
       and wext.get("renderlog-ui.jar", {}).get("state") in ("ACTIVE", "LAZY"))
wcheck = [s for s in workbench if s.get("event") == "check" and s.get("name") == "extensions"]
expect(f"the workbench's check extensions OK, 2 active: {wcheck}", len(wcheck) == 1 and wcheck[0].get("status") == "OK"
       and wcheck[0].get("message", "").startswith("2 extensions active"))
if model:
    import xml.etree.ElementTree as ET
    app = ET.parse(model).getroot() if os.path.exists(model) else ET.Element("none")
    bottom = next((e for e in app.iter() if e.get("elementId") == "comfy.workbench.app.partstack.bottom"), [])
    parts = [c.get("elementId") for c in bottom if c.tag == "children"]
    expect(f"the running workbench's bottom stack has the Render Log view after Platform Health: {parts} ({model})",
           parts[-2:] == ["comfy.workbench.ui.health.part", "comfy.workbench.example.renderlog.ui.part"])
    descriptors = [d.get("elementId") for d in app.findall("descriptors")]
    expect(f"the Render Log view's descriptor in the running workbench's model: {descriptors}",
           "comfy.workbench.example.renderlog.ui.part" in descriptors)
check = [s for s in status if s.get("event") == "check" and s.get("name") == "render log"]
expect(f"its health check run and OK: {check}", len(check) == 1 and check[0].get("status") == "OK")
components = [s for s in status if s.get("event") == "component" and "example.renderlog" in json.dumps(s)]
expect(f"its four components listed, each active or satisfied: {components}", len(components) == 4
       and all(c.get("state") in ("ACTIVE", "SATISFIED") for c in components))
copies = []
for root, _, files in os.walk(os.path.join(work, "share")):
    copies += [f for f in files if f.endswith(".png") and not f.startswith(".")]
expect(f"each job's output copied to the configured share: {copies}", len(copies) == 4)
if problems:
    print("FAILED (work folder " + work + "):"); [print("  " + p) for p in problems]
    sys.exit(1)
print("OK: the example extension installed from extensions/, its policy ran 4 jobs on 2 servers, its render log, "
      "check and copies to a configured share work, an unregistered policy is refused; its view is for the workbench only in the command line, runs "
      "in the workbench's framework" + (" and is in the running workbench's model" if model else ""))
PY

# the work folder is kept only when a check failed (the script stops before this line), for a look at why
rm -rf "$work"
