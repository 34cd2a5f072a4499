#!/usr/bin/env python3
"""Client CPU of `comfy run` for 2,000 instant jobs (--concurrency 8), two builds taking turns: a comparison that a
shared machine's load disturbs less than throughput does. Each round starts a fresh fake server per run and swaps
the order of the two builds, so that a machine getting slower does not favour one.

    releng/bench/client-cpu-ab.py OLD_TREE NEW_TREE [ROUNDS]

Each tree is a clone with its product built (./workbench comfy help builds it)."""
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("queue_bench", os.path.join(here, "queue-bench.py"))
qb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(qb)

PRODUCT = "releng/comfy.workbench.product/target/products/comfy.workbench.product/linux/gtk/x86_64/comfy-workbench/comfy"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    builds = {"old": sys.argv[1], "new": sys.argv[2]}
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    cpu = {name: [] for name in builds}
    for r in range(rounds):
        order = list(builds.items()) if r % 2 == 0 else list(builds.items())[::-1]
        for i, (name, root) in enumerate(order):
            fake = qb.Fake(0)
            folder, data = tempfile.mkdtemp(), tempfile.mkdtemp()
            try:
                files = qb.prompts(folder, 2000, 500_000 + (2 * r + i) * 2000)
                args = [os.path.join(root, PRODUCT), "run", *files, "--data", data, "--json", "--concurrency", "8"]
                for url in fake.urls:
                    args += ["--server", url]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.time()
                subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpu[name].append(used)
                print(f"round {r + 1} {name}: client CPU {used:.2f} s, wall {time.time() - start:.2f} s", flush=True)
            finally:
                fake.proc.kill()
                fake.proc.wait()
                shutil.rmtree(folder)
                shutil.rmtree(data)
    for name, values in cpu.items():
        print(f"{name}: " + ", ".join(f"{v:.2f}" for v in sorted(values)) + " s")


if __name__ == "__main__":
    main()
