"""Snapshot of everything the pipeline extracts, for behaviour-preserving refactors.

Builds seeds, the held-out sets, news-dev and CoNLL04 dev with the shipped pipeline and
with the rules alone, and writes one sorted N-Triples file per set and pipeline (the build
activity's timestamps left out) plus CoNLL04 predictions, so two snapshots diff line by line:
    python benchmarks/claims_snapshot.py /tmp/before
    ... change the code ...
    python benchmarks/claims_snapshot.py /tmp/after && diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from graph.extract import load_nlp  # noqa: E402
from graph.pipeline import build_dataset, union_graph  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {
    "seeds": [ROOT / "seeds"],
    **{p.parent.name: [p] for p in sorted(ROOT.glob("benchmarks/heldout*/docs"))},
    **{p.name: sorted(p.glob("*.txt")) for p in sorted(ROOT.glob("tests/heldout*")) if p.is_dir()},
    "news-dev": [SHARED / "corpus/news-dev"],
}
# the build activity (its IRI and label carry the time) and timestamps
VOLATILE = ("/id/build/", "prov#startedAtTime", "prov#endedAtTime", "prov#generatedAtTime")


def snapshot(out: Path, sets: list[str], conll: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spec in (None, "none"):
        tag = "model" if spec is None else "rules"
        nlp = load_nlp(relation_model=spec)
        for name in sets:
            dataset, _ = build_dataset(SETS[name], nlp=nlp)
            lines = union_graph(dataset).serialize(format="nt").splitlines()
            # paths of the checkout (dcterms:source) made relative, so two worktrees compare
            keep = sorted(line.replace(str(SHARED), "<shared>").replace(str(ROOT), "<repo>") for line in lines
                          if line and not any(v in line for v in VOLATILE))
            (out / f"{name}.{tag}.nt").write_text("\n".join(keep) + "\n", encoding="utf-8")
            print(f"{name} ({tag}): {len(keep)} triples", file=sys.stderr)
        if conll and (SHARED / "benchmarks/conll04").is_dir():
            import conll04

            path = SHARED / "benchmarks/conll04" / conll04.SPLIT_FILES["dev"]
            sentences = conll04.read_split(path)
            docs = [conll04.Document(key=f"conll04/dev/{i}", text=s.text, source=str(path))
                    for i, s in enumerate(sentences)]
            run = conll04.run_pipeline(nlp, tag, sentences, docs, False)
            rows = [f"{i}\t{sorted(map(repr, preds))}\t{sorted(map(repr, typed))}"
                    for i, ((preds, _), (typed, _)) in enumerate(zip(run.pairs, run.typed, strict=True))]
            (out / f"conll04-dev.{tag}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
            print(f"conll04 dev ({tag}): {len(rows)} sentences", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the snapshot into")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS), metavar="SET",
                        help="sets to build (default all: " + ", ".join(SETS) + ")")
    parser.add_argument("--no-conll", action="store_true", help="leave out CoNLL04 dev")
    args = parser.parse_args(argv)
    snapshot(args.out, args.sets, not args.no_conll)


if __name__ == "__main__":
    main()
