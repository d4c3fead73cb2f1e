"""Workers: `newsgraph build --workers 1` vs `--workers 2` (whole processes, same run).

Corpus: the seeds and benchmarks/corpus repeated (as in throughput.py).  Also checks that
both runs write byte-identical graph.trig and graph.ttl (SOURCE_DATE_EPOCH fixed).

    python benchmarks/workers.py [--docs 70] [--workers 1 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from throughput import write_repeated  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=70)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    results: dict[int, list[float]] = {w: [] for w in args.workers}
    outputs: dict[int, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="newsgraph-workers-") as tmp:
        corpus = Path(tmp) / "corpus"
        size = write_repeated(corpus, args.docs)
        for _ in range(args.repeat):
            for w in args.workers:
                out = Path(tmp) / f"out{w}"
                cmd = [sys.executable, "-m", "graph", "-q", "build", str(corpus), "--out", str(out), "--no-html",
                       "--rebuild", "--workers", str(w)]
                started = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
                results[w].append(time.perf_counter() - started)
                outputs[w] = (out / "graph.trig").read_bytes() + (out / "graph.ttl").read_bytes()
    print(f"corpus      {args.docs} documents, {size / 1e6:.2f} MB; {os.cpu_count()} CPUs")
    base = statistics.median(results[args.workers[0]])
    for w, times in results.items():
        t = statistics.median(times)
        print(f"workers {w:<3} {t:7.2f} s  ({args.docs / t:5.1f} docs/s)  speed-up x{base / t:.2f}  runs {[round(x, 1) for x in times]}")
    same = len(set(outputs.values())) == 1
    print(f"identical   {'yes' if same else 'NO'}: graph.trig and graph.ttl byte-identical across worker counts")
    print("command: " + shlex.join(["python", "benchmarks/workers.py", *(argv if argv is not None else sys.argv[1:])]))
    print("build:   python -m graph -q build CORPUS --out OUT --no-html --rebuild --workers N")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
