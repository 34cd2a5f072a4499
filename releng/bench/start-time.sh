#!/usr/bin/env bash
# Measures `./workbench start` (the materialized product) from launch to its main window being mapped,
# under a private Xvfb. Usage: releng/bench/start-time.sh [runs]   (builds the product first if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
command -v xwininfo >/dev/null && command -v xdotool >/dev/null || { apt-get install -y -qq x11-utils xdotool >/dev/null; }
[ -x "$product/comfy-workbench" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests verify -pl releng/comfy.workbench.product -am)

display=:$((90 + RANDOM % 100))
# -noreset: by default Xvfb resets when its last client leaves, and a start that connects during the reset fails
# (gtk_init_check() failed, "No more handles")
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
for _ in $(seq 100); do DISPLAY=$display xwininfo -root >/dev/null 2>&1 && break; sleep 0.05; done

times=()
for run in $(seq "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  DISPLAY=$display "$product/comfy-workbench" -data "$data" >"$data.log" 2>&1 &
  app=$!
  # poll for the visible (mapped) workbench window; hidden e4 shells share its name (a harness, not a test: polling is the measurement)
  until DISPLAY=$display xdotool search --onlyvisible --name '^Comfy Workbench' >/dev/null 2>&1; do
    kill -0 $app 2>/dev/null || { echo "run $run: the workbench exited before showing a window; its output:" >&2;
                                  tail -n 40 "$data.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill $app; wait $app 2>/dev/null || true
  rm -rf "$data" "$data.log"
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $run: window shown after $ms ms"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[$(( ${#sorted[@]} / 2 ))]} ms over ${#sorted[@]} runs (min ${sorted[0]}, max ${sorted[-1]})"
