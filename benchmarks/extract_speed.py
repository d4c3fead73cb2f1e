"""Speed of newsgraph's extraction components against plain spaCy parsing.

Prints seconds for the model alone and for each newsgraph component on the seeds and the
held-out paragraphs (repeated), and the overhead in percent. Run:
    python benchmarks/extract_speed.py [REPEAT]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.extract import load_nlp  # noqa: E402


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "heldout" / "docs").glob("*.txt"))]
    texts = texts * repeat
    t0 = time.perf_counter()
    nlp = load_nlp()
    load = time.perf_counter() - t0
    ours = [n for n in nlp.pipe_names if n.startswith("newsgraph")]
    with nlp.select_pipes(disable=ours):
        docs = list(nlp.pipe(texts))  # warm-up and plain docs
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts))
        base = time.perf_counter() - t0
    tokens = sum(len(d) for d in docs)
    per: dict[str, float] = {}
    for name in ours:
        proc = nlp.get_pipe(name)
        t0 = time.perf_counter()
        docs = [proc(d) for d in docs]
        per[name] = time.perf_counter() - t0
    print(f"documents {len(texts)}  tokens {tokens}  pipeline load {load:.2f}s")
    print(f"spaCy model alone: {base:.2f}s ({tokens / base:.0f} tokens/s)")
    for name, sec in per.items():
        print(f"{name}: {sec:.2f}s  (+{100 * sec / base:.1f}%)")
    total = sum(per.values())
    print(f"newsgraph components total: {total:.2f}s  (+{100 * total / base:.1f}% over plain spaCy)")


if __name__ == "__main__":
    main()
