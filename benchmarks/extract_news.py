"""Extraction on real news: cross-validated relation model vs the rules alone on news-dev.

Reads ``../shared/corpus/news-dev`` (120 real articles with hand-written gold; or
``--docs``/``--gold``), runs the rule pipeline once, then does k-fold cross-validation by
document: each fold's model is trained on the other documents only, and its predictions go
through resolution and RDF like a build and are scored by ``newsgraph eval``'s scorer.
Prints the rules-only figures, the figures per confidence threshold, the per-relation
report at the chosen threshold and a calibration table (predicted confidence vs observed
precision).  ``--write-model PATH`` then fits on every document and writes the model:
this is how ``graph/data/relation_model.npz`` is made.  ``--with-conll04 DIR`` adds the
CoNLL04 sentences that ``benchmarks/conll04_gold.py`` wrote to DIR, as partial annotation
(``conll04_gold.partial_labels``), to every fold's training set (they are never scored) and
to the written model: it measured lower news-dev F1, so the shipped model is made without.
Run:
    python benchmarks/extract_news.py --write-model graph/data/relation_model.npz
    python benchmarks/conll04_gold.py /tmp/conll-train
    python benchmarks/extract_news.py --with-conll04 /tmp/conll-train --write-model /tmp/combined.npz
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.evaluate import evaluate  # noqa: E402
from graph.extract import load_nlp  # noqa: E402
from graph.train import (  # noqa: E402
    DEFAULT_C,
    calibration_table,
    cross_validate,
    fit,
    graph_of,
    load_corpus,
)

NEWS_DEV = ROOT.parent / "shared" / "corpus" / "news-dev"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=NEWS_DEV / "docs", help="documents (default: news-dev)")
    parser.add_argument("--gold", type=Path, default=NEWS_DEV / "gold", help="gold .tsv folder (default: news-dev)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds by document")
    parser.add_argument("-C", dest="c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    parser.add_argument("--write-model", type=Path, default=None, metavar="PATH",
                        help="then fit on every document and write the model here")
    parser.add_argument("--with-conll04", type=Path, default=None, metavar="DIR",
                        help="also train on DIR/docs + DIR/gold (made by benchmarks/conll04_gold.py); never scored")
    args = parser.parse_args(argv)
    if not args.docs.exists():
        parser.error(f"{args.docs}: not found (news-dev lives in ../shared beside the repository)")
    if args.with_conll04 and not all((args.with_conll04 / d).is_dir() for d in ("docs", "gold")):
        parser.error(f"{args.with_conll04}: no docs/ and gold/ folders (make them with benchmarks/conll04_gold.py)")
    started = time.perf_counter()
    nlp = load_nlp(relation_model="none")
    prepared = load_corpus([args.docs], [args.gold], nlp=nlp)
    extra = []
    if args.with_conll04:
        from benchmarks.conll04_gold import partial_labels

        extra = partial_labels(load_corpus([args.with_conll04 / "docs"], [args.with_conll04 / "gold"], nlp=nlp))
        print(f"extra training documents (never scored): {len(extra)} from {args.with_conll04}, "
              f"{sum(len(p.gold.triples) for p in extra if p.gold)} gold triples, "
              f"{sum(len(p.pairs) for p in extra)} candidate pairs")
    gold_total = sum(len(p.gold.triples) for p in prepared if p.gold)
    reachable = sum(p.reachable for p in prepared)
    print(f"documents {len(prepared)}  gold triples {gold_total}  candidate pairs {sum(len(p.pairs) for p in prepared)}"
          f"  gold reachable by a pair {reachable} ({reachable / max(gold_total, 1):.2f})")
    rules = evaluate(graph_of(p.extraction for p in prepared), [p.gold.path for p in prepared if p.gold])
    r, s = rules.overall["relaxed"], rules.overall["strict"]
    print(f"rules only                 relaxed P {r.precision:.3f} R {r.recall:.3f} F1 {r.f1:.3f}  strict F1 {s.f1:.3f}")
    cv = cross_validate(prepared, k=args.folds, c=args.c, extra=extra,
                        progress=lambda m: print(f"  {m} ({time.perf_counter() - started:.0f} s)", file=sys.stderr))
    for (t, floor), modes in cv.by_setting.items():
        r, s = modes["relaxed"], modes["strict"]
        mark = "  <- chosen" if (t, floor) == (cv.best_threshold, cv.best_rule_floor) else ""
        print(f"model, threshold {t:<5} rule floor {floor:<5} relaxed P {r['precision']:.3f} R {r['recall']:.3f}"
              f" F1 {r['f1']:.3f}  strict F1 {s['f1']:.3f}{mark}")
    print(f"\nper relation at threshold {cv.best_threshold}, rule floor {cv.best_rule_floor}"
          f" ({args.folds}-fold cross-validation by document):")
    for name, modes in sorted(cv.report.by_relation.items()):
        c = modes["relaxed"]
        print(f"  {cv.report.relation_names.get(name, name):20s} gold {c.gold:4d} pred {c.predicted:4d}"
              f"  P {c.precision:.2f} R {c.recall:.2f} F1 {c.f1:.2f}")
    print("\ncalibration of model claims on held-out folds (probability band, claims, mean probability,"
          " observed relaxed precision; ng:confidence is this map, fitted isotonically):")
    for band, n, conf, prec in calibration_table(cv.calibration):
        print(f"  {band}  {n:5d}  {conf:.2f}  {prec:.2f}")
    if args.write_model:
        meta = {"documents": len(prepared), "gold_triples": gold_total, "reachable": reachable,
                "cv": {f"{t}/{f}": v for (t, f), v in cv.by_setting.items()}, "trained_on": str(args.docs.name),
                "calibration": cv.calibrator}
        if extra:
            meta.update(trained_on=f"{args.docs.name}+conll04", extra_documents=len(extra))
        model = fit(prepared + extra, c=args.c, threshold=cv.best_threshold, rule_floor=cv.best_rule_floor, meta=meta)
        print(f"\nwrote {model.save(args.write_model)}")
    print(f"seconds {time.perf_counter() - started:.0f}")


if __name__ == "__main__":
    main()
