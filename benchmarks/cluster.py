"""Cluster: one process vs `--workers 2` vs a Dask cluster of 2 worker processes (127.0.0.1).

The same corpus (seeds and benchmarks/corpus repeated, as in throughput.py) is built three
ways, each as a whole `newsgraph build` process: in one process, with the local process
pool (`--workers 2`), and through `--cluster` on a `dask scheduler` with two `dask worker`
processes (one thread each) started here on 127.0.0.1.  The cluster is built on twice:
"cold" (each worker loads the model on its first batch, as the pool's parent does) and
"warm" (a long-lived cluster: the pipeline is already loaded).  Prints documents per second,
the cluster's overhead against the pool, whether all outputs are byte-identical, and the
per-document figures the README's 10-million-article plan uses (worker memory, N-Quads and
on-disk store bytes per document).  Needs the cluster extra (pip install 'newsgraph[cluster]').

    python benchmarks/cluster.py [--docs 200] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (HERE, ROOT):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from throughput import write_repeated  # noqa: E402


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Run ``cmd``; (seconds, its peak RSS in bytes, its CPU seconds), from wait4."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(cmd)}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


@contextmanager
def dask_cluster(folder: Path, workers: int) -> Iterator[str]:
    """A `dask scheduler` and ``workers`` `dask worker` processes (one thread each) on 127.0.0.1."""
    dask = str(Path(sys.executable).with_name("dask"))
    info = folder / "scheduler.json"
    procs: list[subprocess.Popen] = []
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)], **quiet))
        deadline = time.monotonic() + 60
        while not info.is_file() or not info.read_text().strip():
            if time.monotonic() > deadline or procs[0].poll() is not None:
                raise SystemExit("dask scheduler did not start")
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for i in range(workers):
            procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                           "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                                           "--name", f"w{i}"], **quiet))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def worker_stats(address: str) -> list[tuple[int, float]]:
    """(resident memory in bytes, CPU seconds so far) of each worker process."""
    import psutil
    from distributed import Client

    def stats() -> tuple[int, float]:
        proc = psutil.Process()
        cpu = proc.cpu_times()
        return proc.memory_info().rss, cpu.user + cpu.system

    with Client(address, timeout="30s") as client:
        return sorted(client.run(stats).values())


def store_bytes(trig: Path | None, folder: Path) -> int:
    """Size on disk of an Oxigraph store holding ``trig`` (as `build --store` keeps it), compacted."""
    from graph.store.oxigraph import OxigraphDataset

    ds = OxigraphDataset(folder)
    if trig is not None:
        ds.load_file(trig)
    ds.store.optimize()
    ds.close()
    del ds
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents in the corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each way (median reported)")
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("needs the cluster extra: pip install 'newsgraph[cluster]'", file=sys.stderr)
        return 2
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    ways = ["1 process", "--workers 2", "cluster cold", "cluster warm"]
    times: dict[str, list[float]] = {w: [] for w in ways}
    rss: dict[str, int] = {}
    cpu: dict[str, float] = {}
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="newsgraph-cluster-") as tmp:
        corpus = Path(tmp) / "corpus"
        size = write_repeated(corpus, args.docs)
        base = [sys.executable, "-m", "graph", "-q", "build", str(corpus), "--no-html", "--rebuild"]

        def run(way: str, extra: list[str]) -> None:
            out = Path(tmp) / way.replace(" ", "_").strip("-")
            seconds, peak, cpu_s = timed([*base, "--out", str(out), *extra], env)
            times[way].append(seconds)
            rss[way] = max(rss.get(way, 0), peak)
            cpu[way] = cpu_s
            outputs[way] = (out / "graph.trig").read_bytes() + (out / "graph.ttl").read_bytes()

        workers_mem: list[int] = []
        worker_cpu = 0.0
        for _ in range(args.repeat):
            run("1 process", [])
            run("--workers 2", ["--workers", "2"])
            with dask_cluster(Path(tmp), 2) as address:
                run("cluster cold", ["--cluster", address])
                before = worker_stats(address)
                run("cluster warm", ["--cluster", address])
                after = worker_stats(address)
                workers_mem = [m for m, _ in after]
                worker_cpu = sum(c for _, c in after) - sum(c for _, c in before)
        trig = Path(tmp) / "1_process" / "graph.trig"
        store = store_bytes(trig, Path(tmp) / "store") - store_bytes(None, Path(tmp) / "empty")
        from graph.store.oxigraph import OxigraphDataset

        ds = OxigraphDataset()
        ds.load_file(trig)
        nq_bytes = len(ds.dump("nquads"))
        statements = len(ds.named_quads())
    med = {w: statistics.median(t) for w, t in times.items()}
    print(f"corpus        {args.docs} documents, {size / 1e6:.2f} MB; {os.cpu_count()} CPUs; "
          f"2 workers = 2 processes of 1 thread")
    for w in ways:
        t = med[w]
        print(f"{w:<13} {t:7.2f} s  {args.docs / t:6.1f} docs/s  client peak RSS {rss[w] / 1e6:5.0f} MB  "
              f"runs {[round(x, 2) for x in times[w]]}")
    pool = med["--workers 2"]
    for w in ("cluster cold", "cluster warm"):
        print(f"overhead      {w}: {100 * (med[w] / pool - 1):+.1f}% time against --workers 2 "
              f"(throughput ratio {pool / med[w]:.2f})")
    same = len(set(outputs.values())) == 1
    print(f"identical     {'yes' if same else 'NO'}: graph.trig and graph.ttl byte-identical across all ways")
    per_doc = med["1 process"] / args.docs
    print(f"per document  {1000 * per_doc:.1f} ms in one process (model load included); "
          f"{statements / args.docs:.0f} statements, {nq_bytes / args.docs / 1e3:.1f} kB of N-Quads, "
          f"{store / args.docs / 1e3:.1f} kB in an on-disk store (compacted, less an empty store)")
    print(f"worker RSS    {', '.join(f'{m / 1e6:.0f} MB' for m in workers_mem)} after the builds")
    print(f"CPU/document  workers {1000 * worker_cpu / args.docs:.1f} ms, client {1000 * cpu['cluster warm'] / args.docs:.1f} ms "
          f"(warm cluster build, --out in memory); whole runs (model load included): one process "
          f"{1000 * cpu['1 process'] / args.docs:.1f} ms, --workers 2 {1000 * cpu['--workers 2'] / args.docs:.1f} ms")
    print("command: " + shlex.join(["python", "benchmarks/cluster.py", *(argv if argv is not None else sys.argv[1:])]))
    print("builds:  python -m graph -q build CORPUS --out OUT --no-html --rebuild [--workers 2 | --cluster tcp://127.0.0.1:PORT]")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
