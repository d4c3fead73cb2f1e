"""Load on `newsgraph serve`: requests/s and latency percentiles at 1, 10, 50 and 200 clients.

For each number of clients a fresh `newsgraph serve` is started on loopback (a real
subprocess, port picked by the OS).  *cold* is the first ``--requests`` requests it gets
(each client opens its connection, the workers see their first queries); *warm* is the
next ``--requests`` on the same server.  Clients are threads, each with its own keep-alive
session, sending queries from a small mix (or the 12 library queries with ``--library``)
as fast as answers come.  Every phase is bounded in requests and in time
(``--max-seconds``).  Reported per phase: requests, 200s, 503s (over the server's cap or
past its timeout), other HTTP errors, connection errors (reset, refused, timeout),
requests/s and p50/p95/p99 latency in milliseconds.

The graph is the test corpus (``tests/sparql/library_corpus``) written as Turtle (rdflib
answers), with ``--store`` in an on-disk Oxigraph store (Oxigraph answers), or ``--graph``
(a file, build folder or store folder).  Clients share the machine with the
server: on a small machine the figures are a floor.

    python benchmarks/serve_load.py [--clients 1,10,50,200] [--requests 1000] [--workers N]
                                    [--graph out/graph.ttl | --store] [--library] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

MIX = [
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label LIMIT 10",
    "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    "ASK { ?s a ng:Country }",
    "SELECT ?c ?code WHERE { ?c a ng:Country ; ng:iso3166 ?code }",
]


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def phase(url: str, clients: int, total: int, queries: list[str], max_seconds: float) -> dict[str, float]:
    """``total`` requests from ``clients`` threads; counts and latencies."""
    import requests

    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + max_seconds

    def client(_: int) -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                n = next(counter)
                if n >= total:
                    return
                began = time.perf_counter()
                try:
                    r = session.post(url + "query", data={"query": queries[n % len(queries)]}, timeout=60,
                                     headers={"Accept": "application/sparql-results+json"})
                    kind = "ok" if r.status_code == 200 else "503" if r.status_code == 503 else "http_error"
                except requests.RequestException:
                    kind = "conn_error"
                took = time.perf_counter() - began
                with lock:
                    outcomes[kind] += 1
                    if kind == "ok":
                        latencies.append(took)

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - began
    done = sum(outcomes.values())
    return {
        "requests": done, "ok": outcomes["ok"], "503": outcomes["503"], "http_error": outcomes["http_error"],
        "conn_error": outcomes["conn_error"], "rps": done / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50) * 1000, "p95": percentile(latencies, 95) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "mean": (statistics.fmean(latencies) * 1000) if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,10,50,200", help="comma-separated client counts [1,10,50,200]")
    parser.add_argument("--requests", type=int, default=1000, help="requests per phase (cold, then warm) [1000]")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time limit of one phase [60]")
    parser.add_argument("--workers", type=int, default=None, help="serve --workers [serve's default]")
    parser.add_argument("--graph", default=None, help="graph file, build folder or store folder [the test corpus]")
    parser.add_argument("--store", action="store_true", help="serve the test corpus from an on-disk Oxigraph store")
    parser.add_argument("--library", action="store_true", help="send the 12 library queries instead of the small mix")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    if not levels or min(levels) < 1 or max(levels) > 500 or not 1 <= args.requests <= 100_000:
        parser.error("--clients between 1 and 500 each, --requests between 1 and 100000")

    from tests.sparql.serve_process import ServeProcess

    queries = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))] if args.library else MIX
    with tempfile.TemporaryDirectory() as tmp:
        source = args.graph
        if source is None:
            from tests.sparql.library_corpus import corpus_graph

            if args.store:
                from tests.sparql.serve_process import write_store

                source = str(write_store(corpus_graph(), Path(tmp) / "store"))
            else:
                source = str(Path(tmp) / "graph.ttl")
                corpus_graph().serialize(source, format="turtle")
        extra = ["--workers", str(args.workers)] if args.workers else []
        what = args.graph or ("test corpus in an Oxigraph store" if args.store else "test corpus as Turtle")
        print(f"graph: {what}; {len(queries)} queries; "
              f"{args.requests} requests per phase")
        print(f"{'clients':>7} {'phase':>5} {'reqs':>5} {'200':>5} {'503':>5} {'http':>4} {'conn':>4} "
              f"{'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for clients in levels:
            started = time.perf_counter()
            with ServeProcess(source, *extra, "--max-queries", "256") as srv:
                startup = time.perf_counter() - started
                for name in ("cold", "warm"):
                    r = phase(srv.url, clients, args.requests, queries, args.max_seconds)
                    print(f"{clients:>7} {name:>5} {r['requests']:>5} {r['ok']:>5} {r['503']:>5} "
                          f"{r['http_error']:>4} {r['conn_error']:>4} {r['rps']:>7.1f} {r['p50']:>7.1f} "
                          f"{r['p95']:>7.1f} {r['p99']:>7.1f}", flush=True)
                alive = srv.alive()
            print(f"{'':>7} server start-up {startup:.2f} s (workers ready); still alive after load: {alive}")


if __name__ == "__main__":
    main()
