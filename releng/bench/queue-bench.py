#!/usr/bin/env python3
"""End-to-end figures of the queue and the command line (issue 5), against the fake ComfyUI server as a process.

    releng/bench/queue-bench.py [overhead] [pipeline] [batch] [scale] [status] [resources]   (all when none given)

Needs the product (./workbench comfy help builds it) and the benchmarks jar. Every figure comes from the `comfy`
JSON lines (each state change carries the time it happened) or from timing the process. QUEUE_CONFIG='{...}' puts
that configuration of the queue in each run's data folder (to compare a setting, e.g. outputCacheMegabytes 0).
"""
import atexit, json, os, random, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PRODUCT = os.path.join(ROOT, "releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench")
COMFY = os.path.join(PRODUCT, "comfy")
JAR = os.path.join(ROOT, "releng/comfy.workbench.benchmarks/target/benchmarks.jar")
CAPTURES = os.environ.get("COMFY_CAPTURES", os.path.join(ROOT, "..", "shared", "comfyui-captures"))
if not os.path.isdir(CAPTURES):
    CAPTURES = os.path.join(ROOT, "tests", "comfy.workbench.testing", "captures")  # a clone elsewhere: the copy


def scratch():
    """A folder for one run's data (its framework configuration alone is some 100 MB), deleted when the bench exits:
    thousands of runs had filled the disk."""
    folder = tempfile.mkdtemp(prefix="queue-bench-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def free_port(span=1):
    while True:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
        if p + span < 65000:
            return p


class Fake:
    def __init__(self, node_millis, servers=1):
        self.port = free_port(servers)
        self.log = os.path.join(scratch(), "fake.log")
        self.proc = subprocess.Popen(["java", "-Dcomfy.captures=" + CAPTURES, "-cp", JAR,
                                      "comfy.workbench.benchmarks.FakeServerMain", "--port", str(self.port),
                                      "--node-millis", str(node_millis), "--servers", str(servers)],
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        while open(self.log).read().count("listening") < servers:
            time.sleep(0.05)
        self.urls = [f"http://127.0.0.1:{self.port + i}" for i in range(servers)]

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def warm(self, jobs=2000, most_rounds=25):
        """A server is a long-running process: a fresh fake's just-in-time compilation is not the client's cost.
        Its C2 compiler keeps working for some 15,000 jobs (half the fake's CPU after 3,000), so rounds of jobs run
        until the fake's CPU per job has not improved by 5 % for three rounds."""
        folder = scratch()
        best, stale = float("inf"), 0
        for r in range(most_rounds):
            before = self.cpu_seconds()
            comfy_run(prompts(folder, jobs, 900_000 + r * jobs), self.urls, ["--concurrency", "8"])
            per_job = (self.cpu_seconds() - before) * 1000 / jobs
            print(f"warm-up round {r + 1}: fake {per_job:.2f} ms CPU per job", flush=True)
            if per_job < 0.95 * best:
                best, stale = per_job, 0
            else:
                stale += 1
                if stale == 3:
                    return

    def close(self):
        self.proc.terminate(); self.proc.wait()


def prompts(folder, n, offset):
    files = []
    for i in range(n):
        f = os.path.join(folder, f"p{offset + i}.json")
        with open(f, "w") as out:
            out.write(json.dumps({"1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1,
                                                                                   "color": offset + i}},
                                  "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0],
                                                                               "filename_prefix": f"b{offset + i}"}}}))
        files.append(f)
    return files


def comfy_run(files, urls, extra=(), timed=False):
    data = scratch()
    if os.environ.get("QUEUE_CONFIG"):  # e.g. '{"outputCacheMegabytes": 0}', to compare with a setting changed
        os.makedirs(data + "/config")
        with open(data + "/config/comfy.workbench.queue.json", "w") as f:
            f.write(os.environ["QUEUE_CONFIG"])
    args = [COMFY, "run", *files, "--data", data, "--json", *extra]
    for u in urls:
        args += ["--server", u]
    if timed:
        args = ["/usr/bin/time", "-f", "%M %U %S %e", "-o", data + "/time.txt"] + args
    out = subprocess.run(args, capture_output=True, text=True)
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    summary = lines[-1]
    assert summary["event"] == "summary" and summary["succeeded"] == len(files), (out.stdout[-2000:], out.stderr[-2000:])
    return lines, summary, data


def at(line):
    t = line["at"]
    # 2026-11-29T00:40:01.123456Z -> seconds
    import datetime
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def bare(fake, jobs):
    """The barest client doing the same protocol steps one job at a time (BareClientBench): the floor under ours."""
    out = subprocess.run(["java", "-cp", JAR, "comfy.workbench.benchmarks.BareClientBench", fake.urls[0], str(jobs),
                          scratch()], capture_output=True, text=True, check=True).stdout.strip()
    print(out)
    return float(out.split("median ")[1].split(" ms")[0])


def overhead():
    fake = Fake(0)
    try:
        fake.warm()
        floor = [bare(fake, 400)]
        folder = scratch()
        lines, summary, _ = comfy_run(prompts(folder, 2000, 10_000), fake.urls, ["--concurrency", "1"])
        floor.append(bare(fake, 400))
        sent, done = {}, {}
        for l in lines:
            if l["event"] == "job" and l["state"] == "DISPATCHED":
                sent[l["id"]] = at(l)
            if l["event"] == "job" and l["state"] == "SUCCEEDED":
                done[l["id"]] = at(l)
        order = sorted(done, key=lambda i: sent[i])
        ms = [(done[i] - sent[i]) * 1000 for i in order]
        base = statistics.mean(floor)
        print(f"bare client's median {min(floor):.2f}-{max(floor):.2f} ms")
        for name, part in (("all 2,000", ms), ("first 400", ms[:400]), ("last 400", ms[-400:])):
            print(f"overhead: one at a time, sent -> outputs on disk, {name} jobs of a fresh comfy run: median "
                  f"{statistics.median(part):.2f} ms, p99 {pct(part, 99):.2f} ms, max {max(part):.2f} ms; "
                  f"beyond the bare client: median {statistics.median(part) - base:.2f} ms")
    finally:
        fake.close()


def pipeline():
    fake = Fake(0)
    try:
        fake.warm()
        folder = scratch()
        for concurrency in (2, 8):
            before = fake.cpu_seconds()
            lines, summary, _ = comfy_run(prompts(folder, 2000, 20_000 + concurrency * 10_000), fake.urls,
                                          ["--concurrency", str(concurrency)])
            fake_ms = (fake.cpu_seconds() - before) * 1000 / 2000
            ends = [at(l) for l in lines if l["event"] == "job" and l["state"] == "SUCCEEDED"]
            starts = [at(l) for l in lines if l["event"] == "job" and l["state"] == "QUEUED"]
            span = max(ends) - min(starts)
            print(f"pipeline: 2,000 jobs, --concurrency {concurrency}: {2000 / span:.0f} jobs/s end to end "
                  f"(first stored to last output on disk {span:.2f} s; storing took {summary['submit_ms']:.0f} ms; "
                  f"the fake used {fake_ms:.2f} ms CPU per job)")
    finally:
        fake.close()


def batch():
    fake = Fake(0)
    try:
        folder = scratch()
        lines, summary, _ = comfy_run(prompts(folder, 10_000, 100_000), fake.urls, ["--concurrency", "8"])
        print(f"batch: 10,000 jobs stored and queued in {summary['submit_ms']:.0f} ms "
              f"(all done in {summary['elapsed_ms'] / 1000:.1f} s)")
    finally:
        fake.close()


def scale():
    folder = scratch()
    offset = 200_000
    for n in (1, 2, 4, 8, 16):
        fake = Fake(100, n)  # two nodes of 100 ms: 200 ms per prompt
        try:
            offset += 1000
            lines, summary, _ = comfy_run(prompts(folder, 400, offset), fake.urls)
            ends = [at(l) for l in lines if l["event"] == "job" and l["state"] == "SUCCEEDED"]
            starts = [at(l) for l in lines if l["event"] == "job" and l["state"] == "QUEUED"]
            span = max(ends) - min(starts)
            per200 = 400 / (span / 0.2)
            print(f"scale: N={n:2d}: 400 jobs in {span:.2f} s = {per200:.2f} prompts per 200 ms "
                  f"(goal {0.9 * n:.1f}; {per200 / n:.2f} of N)")
        finally:
            fake.close()


def status():
    fake = Fake(0)
    try:
        data = scratch()
        times = []
        for _ in range(6):
            t = time.perf_counter()
            r = subprocess.run([COMFY, "status", "--server", fake.urls[0], "--data", data], capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            assert r.returncode == 0, r.stderr
        print(f"status: process start to exit {', '.join(f'{x:.2f}' for x in times)} s "
              f"(median of the last five {statistics.median(times[1:]):.2f} s; the first run also writes the "
              f"framework's configuration)")
    finally:
        fake.close()


def resources():
    fake = Fake(0)
    try:
        folder = scratch()
        _, summary, data = comfy_run(prompts(folder, 200, 300_000), fake.urls, timed=True)
        rss_kb, user, system, wall = open(data + "/time.txt").read().split()[-4:]
        print(f"resources: comfy run of 200 small jobs: peak RSS {int(rss_kb) / 1024:.0f} MiB, CPU {float(user):.2f} s "
              f"user + {float(system):.2f} s system, {float(wall):.2f} s wall")
    finally:
        fake.close()


if __name__ == "__main__":
    chosen = sys.argv[1:] or ["overhead", "pipeline", "batch", "scale", "status", "resources"]
    for name in chosen:
        globals()[name]()
