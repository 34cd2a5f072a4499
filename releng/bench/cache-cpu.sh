#!/usr/bin/env bash
# The cache manager's memory-tier overhead over Caffeine (issue 6), by CPU time: CacheCpuTime with one JVM per
# implementation (Caffeine, Caffeine with recordStats, our SIZE_AWARE cache), the three in turns, REPS times, then the
# median of the JVMs' medians per workload and the ratios. JMH's wall-clock scores (CacheBenchmark) are the figure on a
# quiet machine; this is the cross-check on the shared one. Usage: releng/bench/cache-cpu.sh [REPS] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
reps=${1:-5}
rounds=${2:-10}
jar="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests package -pl releng/comfy.workbench.benchmarks -am)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$reps"); do
  for impl in caffeine caffeineStats sizeAware; do
    java -cp "$jar" comfy.workbench.benchmarks.CacheCpuTime "$rounds" 2000000 "${impl}Mixed,${impl}Read" \
      | grep '^| [a-zA-Z]*\(Mixed\|Read\) ' | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    rows.setdefault(cells[0], []).append([float(c) for c in cells[1:]])
med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in rows.items()}
print("| workload | JVMs | ops/us thread CPU (min–max) | ops/us process CPU |")
print("|---|---|---|---|")
for k, v in med.items():
    t = [r[0] for r in rows[k]]
    print(f"| {k} | {len(rows[k])} | {v[0]:.2f} ({min(t):.2f}–{max(t):.2f}) | {v[1]:.2f} |")
for w in ("Mixed", "Read"):
    o, c, s = med["sizeAware" + w], med["caffeine" + w], med["caffeineStats" + w]
    print(f"{w}: time per operation, ours / Caffeine: {c[0]/o[0]:.2f} (thread CPU), {c[1]/o[1]:.2f} (process CPU); "
          f"ours / Caffeine with recordStats: {s[0]/o[0]:.2f}, {s[1]/o[1]:.2f}")
PY
