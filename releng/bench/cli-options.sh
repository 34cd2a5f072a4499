#!/usr/bin/env bash
# The comfy script and the application agree on where the command is: options before it (`comfy --data DIR run
# FILE`, and the launcher's `-data DIR` that Eclipse users type) still run a job to its end in that data folder.
# The script once took only the first argument for the command, so `comfy -data DIR run FILE` started a queue that
# never dispatched and waited for ever. Each command has a time limit; a hang fails.
#
#   releng/bench/cli-options.sh
#
# Needs the product (./workbench comfy help builds it) and the benchmarks jar (fake server).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
jar="$root/releng/comfy.workbench.benchmarks/target/benchmarks.jar"
[ -x "$product/comfy" ] || { echo "build the product first: ./workbench comfy help" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -ntp -q -DskipTests package -pl releng/comfy.workbench.benchmarks -am)

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
captures=${COMFY_CAPTURES:-$root/../shared/comfyui-captures}
[ -d "$captures" ] || captures="$root/tests/comfy.workbench.testing/captures" # a clone elsewhere: the copy
java -Dcomfy.captures="$captures" -cp "$jar" comfy.workbench.benchmarks.FakeServerMain --port "$port" \
  > "$work/fake.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q listening "$work/fake.log"; do sleep 0.1; done
url="http://127.0.0.1:$port"

failed=0
check() { # NAME EXPECTED_JOBS DATA COMMAND...: the run ends within its limit, and DATA has that many succeeded jobs
  local name=$1 expected=$2 data=$3 code=0
  shift 3
  timeout 180 "$product/comfy" "$@" > "$work/$name.log" 2>&1 || code=$?
  local succeeded
  succeeded=$(timeout 180 "$product/comfy" jobs --state succeeded --json --data "$data" 2>/dev/null | grep -c '"event":"job"' || true)
  if [ "$code" -ne 0 ] || [ "$succeeded" -ne "$expected" ]; then
    echo "FAILED $name: exit $code (124: timed out), $succeeded succeeded jobs in $data, expected $expected" >&2
    cat "$work/$name.log" >&2
    failed=1
  else
    echo "OK $name"
  fi
}

answers() { # NAME EXIT PATTERN COMMAND...: the command ends with that exit code and a line of its output matches
  local name=$1 expected=$2 pattern=$3 code=0 out
  shift 3
  out=$(timeout 60 "$product/comfy" "$@" 2>&1) || code=$?
  if [ "$code" -ne "$expected" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAILED $name: exit $code (expected $expected)" >&2
    echo "$out" >&2
    failed=1
  else
    echo "OK $name"
  fi
}

for i in 1 2 3; do
  printf '{"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":%d}},"2":{"class_type":"SaveImage","inputs":{"images":["1",0],"filename_prefix":"o%d"}}}' \
    "$((i + 7000))" "$i" > "$work/p$i.json"
done
check "options-first" 1 "$work/a" --data "$work/a" --json --server "$url" run "$work/p1.json"
check "launcher-data" 1 "$work/b" -data "$work/b" run "$work/p2.json" --server "$url" --json
check "options-after" 2 "$work/a" run "$work/p3.json" --server "$url" --data "$work/a" --json
# a value the queue would refuse is refused before the platform starts, as any other slip (exit 2, said plainly)
code=0
out=$(timeout 60 "$product/comfy" jobs --data "$work/a" --concurrency '0\"' --json 2>&1) || code=$?
if [ "$code" -ne 2 ] || [ "$out" != '{"event":"error","kind":"usage","message":"--concurrency takes a whole number of at least 1, not \"0\\\"\""}' ]; then
  echo "FAILED concurrency: exit $code, $out" >&2
  failed=1
else
  echo "OK concurrency"
fi
# Ctrl-C ends the process, not the jobs: it says where they are, and comfy resume finishes them. (SIGTERM here: a
# background job of a script ignores SIGINT; the JVM runs the same shutdown hooks for both.)
slow_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Dcomfy.captures="$captures" -cp "$jar" comfy.workbench.benchmarks.FakeServerMain --port "$slow_port" \
  --node-millis 3000 > "$work/slow-fake.log" 2>&1 &
slow=$!
trap 'kill $fake $slow 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q listening "$work/slow-fake.log"; do sleep 0.1; done
printf '{"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":7777}},"2":{"class_type":"SaveImage","inputs":{"images":["1",0],"filename_prefix":"s"}}}' \
  > "$work/slow.json"
interrupted() { # LOG PATTERN ARGS...: runs comfy ARGS, SIGTERMs it once LOG matches PATTERN; its exit code
  local log=$1 pattern=$2 pid
  shift 2
  "$product/comfy" "$@" > "$log" 2>&1 &
  pid=$!
  until grep -q "$pattern" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid"
}
code=0
interrupted "$work/int.log" "1 running" run "$work/slow.json" --server "http://127.0.0.1:$slow_port" --data "$work/c" \
  || code=$?
if [ "$code" -ne 143 ] || ! grep -q "^comfy: interrupted; 1 unfinished job stays queued: comfy resume finishes them, comfy cancel --batch run-" "$work/int.log"; then
  echo "FAILED interrupted: exit $code" >&2
  cat "$work/int.log" >&2
  failed=1
else
  echo "OK interrupted"
fi
check "resumed" 1 "$work/c" resume --data "$work/c"
# the same with --json: the stream ends with a line that says it was interrupted (it ended on a job line before)
sed 's/7777/7779/' "$work/slow.json" > "$work/slow-json.json" # a prompt of its own: the server caches the others
code=0
interrupted "$work/int2.log" '"state":"RUNNING"' run "$work/slow-json.json" --server "http://127.0.0.1:$slow_port" \
  --data "$work/c2" --json || code=$?
if [ "$code" -ne 143 ] || ! tail -n 1 "$work/int2.log" | grep -q '^{"event":"interrupted","unfinished":1,"batch":"run-'; then
  echo "FAILED interrupted-json: exit $code" >&2
  cat "$work/int2.log" >&2
  failed=1
else
  echo "OK interrupted-json"
fi
# retry sends jobs as run and resume do (the script must start its queue dispatching): an interrupted job,
# cancelled, is queued again and finished (five nodes of 3 s: the server cannot finish it before it is cancelled)
printf '{"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":7780}},%s"5":{"class_type":"SaveImage","inputs":{"images":["4",0],"filename_prefix":"long"}}}' \
  "$(for n in 2 3 4; do printf '"%d":{"class_type":"ImageBlur","inputs":{"image":["%d",0],"blur_radius":1,"sigma":1.0}},' "$n" "$((n - 1))"; done)" \
  > "$work/long.json"
interrupted "$work/int3.log" '"state":"RUNNING"' run "$work/long.json" --server "http://127.0.0.1:$slow_port" \
  --data "$work/c3" --json || true
batch=$(tail -n 1 "$work/int3.log" | sed 's/.*"batch":"\([^"]*\)".*/\1/')
answers "cancelled-for-retry" 0 "^cancelled 1 job of batch $batch$" cancel --batch "$batch" --data "$work/c3"
check "retried" 1 "$work/c3" retry --batch "$batch" --data "$work/c3"
if ! grep -q "queueing 1 job again of batch $batch" "$work/retried.log"; then
  echo "FAILED retried: not said to be queued again" >&2
  cat "$work/retried.log" >&2
  failed=1
fi
# configuration files: a value of the wrong type is refused with its file and every command still runs; a value the
# component refuses (a range) stops the commands with the file named
mkdir -p "$work/d/config"
echo '{"reconnectMaxMillis": "abc"}' > "$work/d/config/comfy.workbench.monitor.json"
# (exit 1, health CRITICAL: the default server "local" does not answer here; 2 would be services that did not start)
answers config-type 1 'WARN     check configuration files: .*comfy.workbench.monitor.json=property "reconnectMaxMillis" must be a whole number' \
  status --services --data "$work/d" --server "$url"
echo '{"perServerLimit": 0}' > "$work/d/config/comfy.workbench.queue.json"
answers config-range 2 "^comfy: the workbench services did not start: comfy.workbench.queue.internal.QueueComponent: java.lang.IllegalArgumentException: perServerLimit must be at least 1: 0 (its configuration is from the file $work/d/config/comfy.workbench.queue.json: fix or remove it)$" \
  jobs --data "$work/d"
# a full disk: a client killed mid-run left its job store's journal to replay, which needs a write; the one line that
# says so is seen (the framework's log, unable to write, closes standard error), and nothing is lost once there is
# space. Needs a tmpfs mount (root); skipped where there is none.
mkdir -p "$work/full"
if mount -t tmpfs -o size=4m tmpfs "$work/full" 2>/dev/null; then
  trap 'kill $fake $slow 2>/dev/null || true; umount "$work/full" 2>/dev/null || true; rm -rf "$work"' EXIT
  # (a prompt of its own: the server would answer the earlier one from its cache at once)
  sed 's/7777/7778/' "$work/slow.json" > "$work/slow2.json"
  "$product/comfy" run "$work/slow2.json" --count 2 --server "http://127.0.0.1:$slow_port" --data "$work/full/d" \
    > "$work/full.log" 2>&1 &
  pid=$!
  until grep -q "1 running" "$work/full.log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  pkill -KILL -f -- "-Dcomfy.workbench.data=$work/full/d " || true
  wait "$pid" 2>/dev/null || true
  dd if=/dev/zero of="$work/full/filler" bs=4k 2>/dev/null || true
  code=0
  out=$(timeout 60 "$product/comfy" jobs --data "$work/full/d" 2>/dev/null) || code=$?
  rm -f "$work/full/filler"
  after=$(timeout 60 "$product/comfy" jobs --data "$work/full/d" --json 2>/dev/null | grep -c '"event":"job"' || true)
  if [ "$code" -ne 2 ] || ! grep -q "^comfy: the workbench services did not start: the disk of the data folder $work/full/d is full" <<<"$out" || [ "$after" -ne 2 ]; then
    echo "FAILED disk-full: exit $code, $after jobs listed after space was freed" >&2
    echo "$out" >&2
    failed=1
  else
    echo "OK disk-full"
  fi
  # a data folder that cannot be written is said so before the platform starts (Equinox ended with an HTML page
  # and exit 15)
  mkdir -p "$work/ro"
  if mount -t tmpfs -o ro,size=1m tmpfs "$work/ro" 2>/dev/null; then
    code=0
    out=$(timeout 60 "$product/comfy" jobs --data "$work/ro/d" --json 2>&1) || code=$?
    umount "$work/ro" || true
    if [ "$code" -ne 2 ] || [ "$out" != "{\"event\":\"error\",\"kind\":\"usage\",\"message\":\"the data folder $work/ro/d cannot be created\"}" ]; then
      echo "FAILED read-only: exit $code, $out" >&2
      failed=1
    else
      echo "OK read-only"
    fi
  fi
else
  echo "SKIPPED disk-full (no tmpfs mount here)"
fi

# A file whose path has non-ASCII letters, run under LC_ALL=C as cron and schedulers run commands: Java could not
# name it ("Malformed input or input contains unmappable characters", exit 2) until the script chose UTF-8.
mkdir -p "$work/ünï"
cp "$work/p1.json" "$work/ünï/渲染 01.json"
code=0
out=$(env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} LC_ALL=C timeout 120 "$product/comfy" \
  --data "$work/u" run "$work/ünï/渲染 01.json" --server "$url" --json 2>&1) || code=$?
if [ "$code" -ne 0 ] || ! grep -q '"state":"SUCCEEDED"' <<<"$out"; then
  echo "FAILED non-ascii-under-c-locale: exit $code" >&2
  echo "$out" >&2
  failed=1
else
  echo "OK non-ascii-under-c-locale"
fi

# Two first commands at once on a fresh data folder: both used to write its set-up and dump a class-data archive
# at exit, and one JVM crashed (exit 134) in two of three tries; later the second could read the first's framework
# state half written (exit 13). Now the second waits for the first, which set the folder up, and runs after it (or
# finds the folder in use: exit 4); neither crashes, and one archive is written.
raced=0
for i in 1 2 3; do
  e="$work/e$i"
  code_a=0 code_b=0
  timeout 120 "$product/comfy" --data "$e" jobs > "$work/e$i-a.log" 2>&1 & first=$!
  timeout 120 "$product/comfy" --data "$e" jobs > "$work/e$i-b.log" 2>&1 || code_b=$?
  wait "$first" || code_a=$?
  archives=$(ls "$e/.cli-configuration" | grep -c '\.jsa$' || true)
  if { [ "$code_a" -ne 0 ] && [ "$code_b" -ne 0 ]; } || { [ "$code_a" -ne 0 ] && [ "$code_a" -ne 4 ]; } \
      || { [ "$code_b" -ne 0 ] && [ "$code_b" -ne 4 ]; } \
      || [ "$archives" -ne 1 ]; then
    echo "FAILED first-runs-at-once ($i): exits $code_a and $code_b, $archives class-data archives" >&2
    cat "$work/e$i-a.log" "$work/e$i-b.log" >&2
    raced=1
    break
  fi
done
[ "$raced" -ne 0 ] && failed=1 || echo "OK first-runs-at-once"
exit "$failed"
