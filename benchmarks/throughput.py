"""Throughput: `newsgraph build` against plain spaCy `nlp.pipe` on the same texts.

Both run as whole processes (interpreter start and model load included), one after the
other in the same run, over a corpus of the seeds and the news texts in
benchmarks/corpus/ repeated to about 70 documents.  Target: ratio <= 1.2 (newsgraph adds at
most 20% to the parse); the acceptance check is <= 1.5.

    python benchmarks/throughput.py [--docs 70] [--repeat 3] [--workers 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
CORPUS = Path(__file__).resolve().parent / "corpus"

SPACY_SCRIPT = """
import pathlib, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[2]).iterdir())]
n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
print(f"tokens {n}")
"""


def source_texts() -> list[tuple[str, str]]:
    """(name, text) of the seeds and the extra news texts of benchmarks/corpus/."""
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def write_repeated(directory: Path, docs: int) -> int:
    """Write ``docs`` files cycling through the source texts; returns the bytes written."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = source_texts()
    total = 0
    for i in range(docs):
        name, text = sources[i % len(sources)]
        path = directory / f"{i:05d}_{name}.txt"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def write_canonical(corpus: Path, directory: Path) -> Path:
    """The canonical texts newsgraph parses (boilerplate removed by ingest), one file each."""
    from graph.ingest import read_documents
    from graph.model import Document

    directory.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(d for d in read_documents([corpus]) if isinstance(d, Document)):
        (directory / f"{i:05d}.txt").write_text(doc.text, encoding="utf-8")
    return directory


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=70, help="number of documents (default 70)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median reported)")
    parser.add_argument("--workers", type=int, default=1, help="newsgraph build --workers")
    parser.add_argument("--no-html", action="store_true", help="pass --no-html to newsgraph build")
    parser.add_argument("--keep", type=Path, help="write the corpus here instead of a temporary folder")
    args = parser.parse_args(argv)

    from graph.extract import default_model

    model = default_model()
    with tempfile.TemporaryDirectory(prefix="newsgraph-throughput-") as tmp:
        corpus = args.keep or Path(tmp) / "corpus"
        size = write_repeated(corpus, args.docs)
        out = Path(tmp) / "out"
        build_cmd = [sys.executable, "-m", "graph", "-q", "build", str(corpus), "--out", str(out),
                     "--model", model, "--rebuild", "--workers", str(args.workers)]
        if args.no_html:
            build_cmd.append("--no-html")
        spacy_cmd = [sys.executable, "-c", SPACY_SCRIPT, model, str(corpus)]
        canonical = write_canonical(corpus, Path(tmp) / "canonical")
        spacy_canon_cmd = [sys.executable, "-c", SPACY_SCRIPT, model, str(canonical)]
        ng_times: list[float] = []
        sp_times: list[float] = []
        sc_times: list[float] = []
        for _ in range(args.repeat):  # interleaved, so all see the same machine load
            sp_times.append(timed(spacy_cmd))
            sc_times.append(timed(spacy_canon_cmd))
            ng_times.append(timed(build_cmd))
        triples = sum(1 for line in (out / "graph.ttl").read_text(encoding="utf-8").splitlines() if line.strip())
    ng, sp, sc = statistics.median(ng_times), statistics.median(sp_times), statistics.median(sc_times)
    print(f"corpus      {args.docs} documents, {size / 1e6:.2f} MB (seeds + benchmarks/corpus repeated)")
    print(f"model       {model}")
    print(f"spaCy       {sp:.2f} s median of {[round(t, 2) for t in sp_times]}")
    print(f"newsgraph   {ng:.2f} s median of {[round(t, 2) for t in ng_times]}  (graph.ttl {triples} lines)")
    print(f"spaCy canon {sc:.2f} s median of {[round(t, 2) for t in sc_times]}  (the texts newsgraph keeps after ingest)")
    print(f"ratio       {ng / sp:.2f} vs spaCy on the files, {ng / sc:.2f} vs spaCy on the same canonical texts"
          "  (target <= 1.2, accepted <= 1.5)")
    print(f"docs/s      {args.docs / ng:.1f} newsgraph, {args.docs / sp:.1f} spaCy")
    print("commands:")
    print("  " + shlex.join(["python", "benchmarks/throughput.py", *(argv if argv is not None else sys.argv[1:])]))
    print("  newsgraph: " + shlex.join(build_cmd[1:]))
    print("  spaCy:     python -c SPACY_SCRIPT " + shlex.join(spacy_cmd[3:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
