#!/usr/bin/env bash
# Extensions, end to end on the built product: jars dropped into a fresh data folder's extensions/ are installed,
# started, kept across restarts (the same bundle), updated when they change, uninstalled when removed, and a bad
# jar is named with what is wrong without stopping the others; in the command line's framework and in the
# workbench's (its configuration, with the data folder as the instance area). A few seconds.
#
#   releng/bench/extensions-smoke.sh
#
# Needs the product (./workbench comfy help builds it) and a JDK (javac, jar). Starts no server: `comfy status`
# is pointed at a closed port, so it exits 3 (a server is unreachable) and still lists the services.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
product="$root/releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench"
[ -x "$product/comfy" ] || { echo "build the product first: ./workbench comfy help" >&2; exit 2; }
jdk=${JAVA_HOME:+$JAVA_HOME/bin/}
work=$(mktemp -d)
data="$work/data"
mkdir -p "$data/extensions" "$work/src/smoke" "$work/classes"

# a bundle with a manifest only; the same bundle in a later version; one whose activator throws; one that imports a
# package nobody exports; a file that is not a jar
manifest() { # NAME VERSION [HEADER...]
  { echo "Bundle-ManifestVersion: 2"; echo "Bundle-SymbolicName: $1"; echo "Bundle-Version: $2"
    shift 2; for h in "$@"; do echo "$h"; done; } > "$work/MANIFEST.MF"
}
manifest smoke.hello 1.0.0
"${jdk}jar" --create --file "$work/hello-1.0.0.jar" --manifest "$work/MANIFEST.MF"
manifest smoke.hello 1.1.0
"${jdk}jar" --create --file "$work/hello-1.1.0.jar" --manifest "$work/MANIFEST.MF"
cat > "$work/src/smoke/Throwing.java" <<'JAVA'
package smoke;
public final class Throwing implements org.osgi.framework.BundleActivator {
    public void start(org.osgi.framework.BundleContext c) { throw new IllegalStateException("smoke activator refuses to start"); }
    public void stop(org.osgi.framework.BundleContext c) { }
}
JAVA
"${jdk}javac" --release 17 -d "$work/classes" -cp "$(ls "$product"/plugins/org.eclipse.osgi_*.jar | head -n 1)" \
  "$work/src/smoke/Throwing.java"
manifest smoke.throwing 1.0.0 "Bundle-Activator: smoke.Throwing" "Import-Package: org.osgi.framework"
"${jdk}jar" --create --file "$data/extensions/throwing.jar" --manifest "$work/MANIFEST.MF" -C "$work/classes" smoke
manifest smoke.needy 1.0.0 "Import-Package: org.nobody.exports.this"
"${jdk}jar" --create --file "$data/extensions/needy.jar" --manifest "$work/MANIFEST.MF"
echo "not a jar" > "$data/extensions/notes.jar"
cp "$work/hello-1.0.0.jar" "$data/extensions/hello.jar"

status() { # NAME: the command line's comfy status --services --json into $work/NAME.json
  local code=0
  "$product/comfy" status --services --json --server http://127.0.0.1:1 --data "$data" > "$work/$1.json" 2> "$work/$1.err" || code=$?
  [ "$code" -eq 3 ] || { echo "FAILED: comfy status exited $code (expected 3: the closed port)"; cat "$work/$1.err"; exit 1; }
}
start=$(date +%s.%N)
status first
status second
cp "$work/hello-1.1.0.jar" "$data/extensions/hello.jar"
status updated
rm "$data/extensions/hello.jar" "$data/extensions/throwing.jar" "$data/extensions/needy.jar" "$data/extensions/notes.jar"
status removed

# the workbench's framework: the product's configuration (copied, so the build output stays as built), the data
# folder as the instance area, the command line's application instead of the UI
wbdata="$work/workbench-data"
mkdir -p "$wbdata/extensions" "$work/workbench-configuration/org.eclipse.equinox.simpleconfigurator"
cp "$product/configuration/config.ini" "$work/workbench-configuration/"
cp "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
  "$work/workbench-configuration/org.eclipse.equinox.simpleconfigurator/"
cp "$work/hello-1.0.0.jar" "$wbdata/extensions/hello.jar"
code=0
env -u DISPLAY COMFY_WORKBENCH_CDS=false COMFY_WORKBENCH_CONFIGURATION="$work/workbench-configuration" \
  "$product/comfy-workbench" -data "$wbdata" -application comfy.workbench.cli.comfy -noSplash \
  status --services --json --server http://127.0.0.1:1 > "$work/workbench.json" 2> "$work/workbench.err" || code=$?
[ "$code" -eq 3 ] || { echo "FAILED: the workbench's comfy status exited $code"; cat "$work/workbench.err"; exit 1; }
end=$(date +%s.%N)

python3 - "$work" "$start" "$end" <<'PY'
import json, os, sys
work, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def run(name):
    lines = [json.loads(l) for l in open(os.path.join(work, name + ".json")) if l.strip()]
    extensions = {l["file"]: l for l in lines if l["event"] == "extension"}
    check = next((l for l in lines if l["event"] == "check" and l["name"] == "extensions"), None)
    return extensions, check
problems = []
def expect(what, ok):
    if not ok:
        problems.append(what)
first, check = run("first")
hello = first.get("hello.jar", {})
expect(f"hello.jar ACTIVE smoke.hello 1.0.0: {hello}", hello.get("state") == "ACTIVE"
       and hello.get("name") == "smoke.hello" and hello.get("version") == "1.0.0")
t = first.get("throwing.jar", {})
expect(f"throwing.jar FAILED, its activator's exception named: {t}", t.get("state") == "FAILED"
       and "smoke activator refuses to start" in t.get("problem", ""))
n = first.get("needy.jar", {})
expect(f"needy.jar UNRESOLVED, the package named: {n}", n.get("state") == "UNRESOLVED"
       and "Import-Package: org.nobody.exports.this" in n.get("problem", ""))
x = first.get("notes.jar", {})
expect(f"notes.jar REJECTED as not a jar: {x}", x.get("state") == "REJECTED" and "not a jar" in x.get("problem", ""))
expect(f"health check extensions WARN naming each bad jar: {check}", check is not None and check["status"] == "WARN"
       and all(f in check["message"] for f in ("throwing.jar", "needy.jar", "notes.jar")))
second, _ = run("second")
expect(f"hello.jar kept across a restart (bundle {hello.get('bundle_id')}): {second.get('hello.jar')}",
       second.get("hello.jar", {}).get("bundle_id") == hello.get("bundle_id")
       and second["hello.jar"].get("state") == "ACTIVE")
updated, _ = run("updated")
u = updated.get("hello.jar", {})
expect(f"hello.jar updated in place to 1.1.0: {u}", u.get("version") == "1.1.0" and u.get("state") == "ACTIVE"
       and u.get("bundle_id") == hello.get("bundle_id"))
removed, check = run("removed")
expect(f"nothing listed once the jars are removed: {removed}", removed == {})
expect(f"health check extensions OK 'no extensions': {check}", check is not None and check["status"] == "OK"
       and check["message"].startswith("no extensions"))
workbench, check = run("workbench")
w = workbench.get("hello.jar", {})
expect(f"the workbench's framework installs and starts hello.jar: {w}", w.get("state") == "ACTIVE")
print(f"extensions smoke: 5 starts of the product in {end - start:.1f} s")
if problems:
    print(f"FAILED (work folder {work}):"); [print("  " + p) for p in problems]
    sys.exit(1)
print("OK: installed, started, kept across a restart, updated, uninstalled; bad jars named; the workbench too")
PY

# the work folder is kept only when a check failed (the script stops before this line), for a look at why
rm -rf "$work"
