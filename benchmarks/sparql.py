"""SPARQL: the queries/ library on a ~1M-triple graph, rdflib in memory vs the Oxigraph store.

The graph is generated from a real build (seeds + benchmarks/corpus): every document's
named graph is copied with fresh document and statement IRIs, and its entities are mapped
into a pool so they merge across copies as real entities do.  The same merged graph is
then queried through rdflib's in-memory engine and through ``graph.store.load(STORE)``,
i.e. the path `newsgraph query GRAPH QUERY --format csv` takes: ``graph.sparql.run`` (on a
store the query runs in Oxigraph directly) and the W3C CSV writer, timed together for both.
Queries with parameters run with those of their ``# example:`` header line.  Each query
runs in a fresh child process with a time limit (nothing is cached across runs); an
rdflib query that hits it counts with the limit (the ratio is then a lower bound).  The
rows of both engines are compared (GROUP_CONCAT order and decimal spelling normalised).

    python benchmarks/sparql.py [--triples 1000000] [--timeout 120] [--entity-pool 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

NGR = "https://w3id.org/newsgraph/id/"


def timed_in_child(fn, timeout: float) -> tuple[object | None, float | None]:
    """Run ``fn`` in a forked process: (its result, seconds), or (None, None) after
    ``timeout`` (a Rust query cannot be interrupted in-process)."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child() -> None:
        t = time.perf_counter()
        n = fn()
        send.send((n, time.perf_counter() - t))

    proc = ctx.Process(target=child)
    proc.start()
    result = recv.recv() if recv.poll(timeout) else (None, None)
    if proc.is_alive():
        proc.kill()
    proc.join()
    return result


def base_quads() -> list:
    """The named graphs of a real build of the seeds and benchmarks/corpus."""
    from graph.pipeline import build_into
    from graph.store.oxigraph import OxigraphDataset

    ds = OxigraphDataset()
    build_into(ds, [ROOT / "seeds", Path(__file__).resolve().parent / "corpus"])
    return ds.named_quads()


def generate(store, quads: list, target: int, pool: int) -> tuple[int, int]:
    """Copy the documents' graphs into ``store`` (merged default graph) until ``target``
    distinct triples; returns (copies, triples)."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()

    def renamer(copy: int):
        cache: dict = {}

        def rename(term):
            if not isinstance(term, ox.NamedNode) or not term.value.startswith(NGR):
                return term
            hit = cache.get(term)
            if hit is None:
                local = term.value[len(NGR):]
                kind = local.split("/", 1)[0]
                if kind in ("doc", "statement", "build", "graph"):
                    hit = ox.NamedNode(f"{term.value}-c{copy}")
                elif kind == "extractor":
                    hit = term
                else:  # an entity: shared by the copies in its pool slot
                    hit = ox.NamedNode(f"{term.value}-p{copy % pool}")
                cache[term] = hit
            return hit

        return rename

    copies = 0
    while copies % 20 or len(store) < target:  # entities merge: count the store itself
        rename = renamer(copies)
        batch = [ox.Quad(rename(q.subject), q.predicate, rename(q.object), default) for q in quads]
        store.bulk_extend(batch)
        copies += 1
    store.flush()
    return copies, len(store)


def example_params(text: str) -> dict[str, str]:
    """The ``--param name=value`` pairs of a query's ``# example:`` header line."""
    line = re.search(r"^# example:(.*)$", text, re.M)
    return dict(re.findall(r'--param (\w+)="?([^"]*?)"?(?=\s|$)', line.group(1) if line else ""))


def answer(graph, q, params, engine: str | None = None) -> tuple[int, str]:
    """Run and write as CSV, like the CLI; (rows, digest of the normalised rows)."""
    import csv
    import hashlib
    import io
    from decimal import Decimal

    from graph.sparql import run
    from graph.sparql.results import format_result

    data = format_result(run(graph, q, params, engine=engine), "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(data)))[1:]

    def cell(v: str) -> str:
        if re.fullmatch(r"-?\d+\.\d+", v):
            v = format(Decimal(v).normalize(), "f")
        return " | ".join(sorted(" ".join(sorted(p.split(" "))) for p in v.split(" | ")))

    norm = sorted("\t".join(cell(v) for v in row) for row in rows)
    return len(rows), hashlib.sha256("\n".join(norm).encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per rdflib query")
    parser.add_argument("--entity-pool", type=int, default=40, help="copies sharing one entity IRI")
    args = parser.parse_args(argv)

    import pyoxigraph as ox
    from rdflib import Graph

    from graph.sparql import find_query, list_queries, parse_params
    from graph.store import load

    started = time.perf_counter()
    quads = base_quads()
    with tempfile.TemporaryDirectory(prefix="newsgraph-sparql-") as tmp:
        path = Path(tmp) / "store"
        store = ox.Store(str(path))
        copies, triples = generate(store, quads, args.triples, args.entity_pool)
        nt = Path(tmp) / "graph.nt"
        store.dump(str(nt), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        del store
        print(f"graph       {triples} triples ({copies} copies of {len(quads)} document quads), "
              f"generated in {time.perf_counter() - started:.0f} s", flush=True)
        t = time.perf_counter()
        memory = Graph()
        memory.parse(str(nt), format="nt")
        print(f"rdflib      parsed into memory in {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        oxg = load(path)
        del oxg  # each query opens the store itself (in a child process)
        print(f"oxigraph    store opened in {time.perf_counter() - t:.2f} s", flush=True)

        total_rdflib = total_ox = both_rdflib = both_ox = 0.0
        timeouts = 0
        print(f"{'query':<28} {'rows':>6} {'rdflib s':>9} {'oxigraph s':>10} {'ratio':>7}")
        for name, file in list_queries().items():
            q = find_query(name)
            params = parse_params(example_params(file.read_text(encoding="utf-8")))
            ox_ans, ox_s = timed_in_child(lambda q=q, p=params: answer(load(path), q, p), args.timeout)
            rd_ans, rd_s = timed_in_child(lambda q=q, p=params: answer(memory, q, p, "rdflib"), args.timeout)
            rows = ox_ans[0] if ox_ans else None
            if params:
                name = f"{name}*"
            if ox_s is None:
                print(f"{name:<28} oxigraph over {args.timeout} s; rdflib "
                      + (f"{rd_s:.2f} s" if rd_s is not None else f"over {args.timeout} s") + ": left out")
                continue
            mark = ">" if rd_s is None else ""
            if rd_s is None:
                timeouts += 1
            else:
                both_rdflib += rd_s
                both_ox += ox_s
            rd_s = float(args.timeout) if rd_s is None else rd_s
            total_rdflib += rd_s
            total_ox += ox_s
            check = "" if rd_ans in (None, ox_ans) else f"  (rdflib rows {rd_ans[0]}: engines disagree)"
            print(f"{name:<28} {rows:>6} {mark}{rd_s:>8.2f} {ox_s:>10.3f} {mark}{rd_s / max(ox_s, 1e-4):>6.0f}x{check}",
                  flush=True)
        mark = ">" if timeouts else ""
        print(f"{'total':<28} {'':>6} {mark}{total_rdflib:>8.1f} {total_ox:>10.2f} {mark}{total_rdflib / max(total_ox, 1e-4):>6.0f}x"
              "  (target >= 10x)" + (f"; rdflib counted at the {args.timeout} s limit on {timeouts}" if timeouts else ""))
        print(f"{'total, both finished':<28} {'':>6} {both_rdflib:>9.1f} {both_ox:>10.2f} {both_rdflib / max(both_ox, 1e-4):>6.0f}x")
    print("* with the parameters of its # example: line")
    print("command: " + shlex.join(["python", "benchmarks/sparql.py", *(argv if argv is not None else sys.argv[1:])]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
