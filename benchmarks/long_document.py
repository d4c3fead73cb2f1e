"""Time and peak memory of extracting one long (default 1 MB) document in chunks.

Usage: python benchmarks/long_document.py [SIZE_CHARS] [CHUNK_CHARS]
Prints characters, chunks, seconds, mentions and peak RSS (MB) of this process.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import graph.extract.chunking as chunking  # noqa: E402
from graph.extract import extract, load_nlp  # noqa: E402
from graph.model import Document  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_7f265de9ba8cc80a.txt"


def long_text(size: int) -> str:
    """News-like paragraphs (from seed 000, shuffled) up to ``size`` characters."""
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
    rng = random.Random(1)
    out: list[str] = []
    n = 0
    while n < size:
        p = rng.choice(paras)
        out.append(p)
        n += len(p) + 1
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=1_000_000, help="characters (default 1,000,000)")
    parser.add_argument("chunk_chars", nargs="?", type=int, default=None, help="chunk size in characters")
    args = parser.parse_args(argv)
    size = args.size
    if args.chunk_chars:
        chunking.CHUNK_CHARS = args.chunk_chars
    nlp = load_nlp()
    text = long_text(size)
    doc = Document(key="long", text=text, source="-")
    started = time.perf_counter()
    (ex,) = list(extract(nlp, [doc]))
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"chars       {len(text)}")
    print(f"chunk_chars {chunking.CHUNK_CHARS}")
    print(f"chunks      {len(chunking.chunk_spans(text, chunking.CHUNK_CHARS))}")
    print(f"seconds     {seconds:.1f}")
    print(f"mentions    {len(ex.mentions)}")
    print(f"peak_rss_mb {rss}")


if __name__ == "__main__":
    main()
