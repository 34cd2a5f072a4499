# Sourced by the harnesses that start the workbench: start_xvfb WORK starts a private Xvfb (its display number chosen
# by Xvfb), adds its process to the caller's pids array and sets display=":N"; it exits the caller when Xvfb fails.
start_xvfb() {
  local work=$1 deadline
  Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp -noreset 5> "$work/display" > "$work/xvfb.log" 2>&1 &
  pids+=($!)
  deadline=$((SECONDS + 20))
  until [ -s "$work/display" ]; do
    [ $SECONDS -lt $deadline ] || { echo "FAILED: Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }
    sleep 0.05
  done
  display=":$(head -n 1 "$work/display")"
}
