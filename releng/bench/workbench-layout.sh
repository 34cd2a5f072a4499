#!/usr/bin/env bash
# The workbench keeps its layout between sessions: the model it saves when its window is closed is the one the next
# start shows (a divider moved stays moved), until the installation or the extensions folder changes, when it starts
# from the application model again. It used to clear its saved model at every start (an artist's review: "layout and
# open editors are lost on every restart").
#
#   releng/bench/workbench-layout.sh
#
# Needs the product (./workbench comfy help builds it) and Xvfb; without Xvfb it says SKIPPED.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
[ -x "$product/comfy-workbench" ] || { echo "build the product first: ./workbench comfy help" >&2; exit 2; }
command -v Xvfb >/dev/null 2>&1 || { echo "SKIPPED workbench-layout (no Xvfb)"; exit 0; }

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# the installation's configuration copied, so that the build output stays as built
conf="$work/configuration"
mkdir -p "$conf/org.eclipse.equinox.simpleconfigurator"
cp "$product/configuration/config.ini" "$conf/"
cp "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" "$conf/org.eclipse.equinox.simpleconfigurator/"
data="$work/data"
model="$data/.metadata/.plugins/org.eclipse.e4.workbench/workbench.xmi"

. "$root/releng/bench/xvfb.sh"
start_xvfb "$work"

session() { # NAME: starts the workbench on the data folder, closes its window as a user would, waits for its end
  DISPLAY=$display COMFY_WORKBENCH_CDS=false COMFY_WORKBENCH_CONFIGURATION="$conf" \
    "$product/comfy-workbench" -data "$data" > "$work/$1.log" 2>&1 &
  local app=$!
  pids+=($app)
  DISPLAY=$display python3 "$root/releng/bench/close-window.py" "Comfy Workbench" "$app" 90 \
    || { echo "FAILED workbench-layout ($1): no window to close"; tail -n 40 "$work/$1.log"; exit 1; }
  local deadline=$((SECONDS + 30))
  while kill -0 "$app" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "FAILED workbench-layout ($1): no exit after its window was closed"; exit 1; }
    sleep 0.1
  done
  [ -s "$model" ] || { echo "FAILED workbench-layout ($1): no saved model"; tail -n 40 "$work/$1.log"; exit 1; }
}

# the divider between the left stack and the right-hand side, as a user would have dragged it
divider() { # the main sash's left stack's share, as saved
  python3 - "$model" <<'PY'
import re, sys
m = re.search(r'<children xsi:type="basic:PartStack"[^>]*elementId="comfy\.workbench\.app\.partstack\.left"[^>]*>', open(sys.argv[1]).read())
s = m and re.search(r'containerData="([^"]*)"', m.group(0))
print(s.group(1) if s else "none")
PY
}

session first
python3 - "$model" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
def moved(m):
    tag = m.group(0)
    return re.sub(r'containerData="[^"]*"', 'containerData="2345"', tag) if 'containerData=' in tag \
        else tag.replace(' elementId=', ' containerData="2345" elementId=', 1)
text, n = re.subn(r'<children xsi:type="basic:PartStack"[^>]*elementId="comfy\.workbench\.app\.partstack\.left"[^>]*>', moved, text, count=1)
assert n == 1, "no left part stack in the saved model"
open(path, "w").write(text)
PY
session second
kept=$(divider)
[ "$kept" = 2345 ] || { echo "FAILED workbench-layout: the layout was not kept (the divider at $kept, not 2345)"; exit 1; }

# another extensions folder: the application model again
mkdir -p "$data/extensions"
: > "$data/extensions/README.txt"
session third
reset=$(divider)
[ "$reset" != 2345 ] || { echo "FAILED workbench-layout: the saved layout survived a change of the extensions folder"; exit 1; }
echo "OK workbench-layout (kept across a restart: divider $kept; reset when the extensions changed: $reset)"
