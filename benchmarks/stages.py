"""Stages: where the time of one build goes, in one process (what throughput.py cannot show).

Runs each stage of the pipeline over the throughput corpus (seeds + benchmarks/corpus
repeated to --docs documents), after one warm-up pass, and prints seconds per stage: every
spaCy component, every newsgraph component, the conversion to plain objects, resolve, RDF,
the store and the outputs.  The newsgraph share is everything but spaCy's own components.

    python benchmarks/stages.py [--docs 70]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (HERE, ROOT):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from throughput import write_repeated  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=70, help="number of documents (default 70)")
    args = parser.parse_args(argv)

    timings: list[tuple[str, float]] = []

    def timed(name: str, fn):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        result = fn()
        timings.append((name, time.perf_counter() - started))
        return result

    import spacy  # noqa: F401  (not counted: both sides import it)

    from graph import geodata
    from graph._version import __version__
    from graph.extract import load_nlp, to_extraction
    from graph.ingest import read_documents
    from graph.model import Document
    from graph.pipeline import write_outputs
    from graph.rdf.build import document_quads
    from graph.resolve import linking, resolve
    from graph.store.oxigraph import OxigraphDataset

    nlp = timed("load model + newsgraph components", load_nlp)
    with tempfile.TemporaryDirectory(prefix="newsgraph-stages-") as tmp:
        corpus = Path(tmp) / "corpus"
        write_repeated(corpus, args.docs)
        documents = timed("ingest (read, clean, main story)",
                          lambda: [d for d in read_documents([corpus]) if isinstance(d, Document)])
        # warm-up: one pass so lazy tables and caches are not charged to the stages below
        list(nlp.pipe([documents[0].text]))
        docs = timed("spaCy tokenizer", lambda: [nlp.make_doc(d.text) for d in documents])
        for name, proc in nlp.pipeline:
            label = ("newsgraph " if name.startswith("newsgraph") else "spaCy ") + name
            if hasattr(proc, "pipe"):
                docs = timed(label, lambda proc=proc, docs=docs: list(proc.pipe(docs, batch_size=16)))
            else:
                docs = timed(label, lambda proc=proc, docs=docs: [proc(d) for d in docs])
        extractions = timed("to plain objects", lambda: [to_extraction(d, doc) for d, doc in zip(docs, documents, strict=True)])
        timed("GeoNames tables (once per process)",
              lambda: (geodata.cities(), linking._cities(), linking._capitals(), linking._subdivisions()))
        resolved = timed("resolve", lambda: [resolve(e) for e in extractions])
        quads = timed("RDF (Oxigraph quads)", lambda: [document_quads(r, __version__) for r in resolved])
        sink = OxigraphDataset()
        timed("store (put named graphs)", lambda: [sink.put_graph(n, q) for n, q in quads])
        timed("outputs (graph.ttl, graph.trig, graph.html)", lambda: write_outputs(sink, Path(tmp) / "out"))

    spacy_total = sum(t for n, t in timings if n.startswith("spaCy "))
    ours = sum(t for n, t in timings if not n.startswith("spaCy ") and not n.startswith("load model"))
    width = max(len(n) for n, _ in timings)
    print(f"corpus      {args.docs} documents (seeds + benchmarks/corpus repeated)")
    for name, seconds in timings:
        print(f"  {name:<{width}}  {seconds:6.2f} s")
    print(f"spaCy components {spacy_total:.2f} s; newsgraph stages {ours:.2f} s "
          f"(+{100 * ours / spacy_total:.0f}% on the parse, model load and imports not counted)")
    print("command: " + shlex.join(["python", "benchmarks/stages.py", *(argv if argv is not None else sys.argv[1:])]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
