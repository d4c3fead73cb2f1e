"""Where the relation model's recall and precision go on news-dev: every error in one category.

Runs the same k-fold cross-validation by document as ``benchmarks/extract_news.py`` (each
document is scored by a model that never saw it), keeps the claims of the chosen threshold
and rule floor, and puts every **missed gold triple** (relaxed matching) in one category,
checked in this order:

  a  entity recall: the subject or the object has no mention in the document (no mention
     whose text, or the label/aliases resolution gives it, matches the gold name)
  b  never a candidate pair: both have mentions, but never as a pair (b1 same sentence but
     not paired, b2 only in different sentences)
  c  a candidate pair exists but training did not label it with this triple (c1 the pair's
     sentence is not the gold evidence sentence, c2 the pair is labelled with another gold
     relation: one label per pair unless the model is multi-label, c3 other)
  d  a labelled pair exists but the model said NONE (d1) or another relation (d2) or gave
     it below the threshold (d3)
  e  the model claimed it, but the node labels after resolution do not match the gold names
  f  other;  est: ``estimates`` (a literal figure from the rules: est1 no claim with the
     figure, est2 a claim with the figure whose source does not match)

and every **false positive** (predicted triple matching no gold triple, relaxed):

  reversed       the gold has the triple with subject and object swapped
  wrong-rel      the gold relates the two names by another relation
  label          a claim behind it has mention texts that match a gold triple of the
                 relation, but the node labels chosen by resolution do not
  wrong-obj      the subject has gold triples of this relation, with other objects
  wrong-subj     the object has gold triples of this relation, with other subjects
  unannotated    both names occur in the gold, never related by this relation
  not-in-gold    the subject or the object occurs in no gold triple at all

Run:
    python benchmarks/error_analysis.py            # the table
    python benchmarks/error_analysis.py --examples 3   # plus examples (article text: terminal only)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.evaluate import (  # noqa: E402
    GoldFile,
    Name,
    document_stems,
    leading_figure,
    names_match,
    normalize,
    predicted_triples,
    triple_matches,
)
from graph.extract import load_nlp  # noqa: E402
from graph.model import Mention  # noqa: E402
from graph.rdf.build import document_graph  # noqa: E402
from graph.rdf.namespaces import relation_key, relation_name  # noqa: E402
from graph.resolve import resolve  # noqa: E402
from graph.train import (  # noqa: E402
    DEFAULT_C,
    Prepared,
    cross_validate,
    evidence_sentences,
    gold_matches,
    kept,
    load_corpus,
    mention_forms,
)

NEWS_DEV = ROOT.parent / "shared" / "corpus" / "news-dev"
MISS_ORDER = ("a", "b1", "b2", "c1", "c2", "c3", "d1", "d2", "d3", "e", "f", "est1", "est2")
MISS_NAMES = {
    "a": "entity recall: subject or object has no mention",
    "b1": "no candidate pair (same sentence, not paired)",
    "b2": "no candidate pair (only in different sentences)",
    "c1": "pair exists, not labelled: sentence is not the evidence",
    "c2": "pair exists, labelled with another gold relation",
    "c3": "pair exists, not labelled: other",
    "d1": "labelled pair, model said NONE",
    "d2": "labelled pair, model chose another relation",
    "d3": "labelled pair, model's probability below the threshold",
    "e": "claimed, node labels do not match gold names",
    "f": "other",
    "est1": "estimates: no claim with the figure",
    "est2": "estimates: figure claimed, source does not match",
}
FP_ORDER = ("reversed", "wrong-rel", "label", "wrong-obj", "wrong-subj", "unannotated", "not-in-gold")
EST = relation_key("estimates")


def _match(gold: str, name: Name, g: GoldFile) -> bool:
    return names_match(gold, name, g.aliases, "relaxed")


def analyse_document(prep: Prepared, predicted_extraction, threshold: float, floor: float,
                     multi_label: bool = False):
    """(missed: [(category, gold triple, detail)], false positives: [(category, predicted, detail)])."""
    gold = prep.gold
    assert gold is not None
    ext = prep.extraction
    rules_resolved = resolve(ext)
    mentions = list({m.span: m for m in [*ext.mentions, *(x for c in ext.claims for x in (c.subject, c.obj)
                                                          if isinstance(x, Mention))]}.values())
    forms = {m.span: mention_forms(rules_resolved, m) for m in mentions}
    sentences = sorted(ext.sentences)

    def sentence_of(pos: int) -> tuple[int, int] | None:
        for s in sentences:
            if s[0] <= pos < s[1]:
                return s
        return None

    matches = gold_matches(ext, prep.pairs, gold)
    evidence = evidence_sentences(ext.document.text, sentences, gold)
    final = kept(predicted_extraction, threshold, floor)
    resolved = resolve(final)
    graph = document_graph(resolved)
    documents = sorted({d for docs in document_stems(graph).values() for d in docs})  # one document, maybe two stems
    preds = [p for d in documents for p in predicted_triples(graph, d)]
    # model claims of every probability (before the threshold), by pair and relation
    all_claims: dict[tuple[tuple[int, int], tuple[int, int]], dict[str, float]] = defaultdict(dict)
    for c in predicted_extraction.claims:
        if isinstance(c.obj, Mention) and c.extractor.startswith("model"):
            all_claims[c.subject.span, c.obj.span][c.relation] = c.confidence
    kept_claims: dict[tuple[tuple[int, int], tuple[int, int]], set[str]] = defaultdict(set)
    for c in final.claims:
        if isinstance(c.obj, Mention):
            kept_claims[c.subject.span, c.obj.span].add(c.relation)

    missed = []
    for gi, g in enumerate(gold.triples):
        if any(triple_matches(g, p, gold.aliases, "relaxed") for p in preds):
            continue
        rel = relation_name(g.relation)
        if relation_key(g.relation) == EST:
            fig = leading_figure(g.obj)
            claims = [c for c in ext.claims if c.relation == "estimates" and not isinstance(c.obj, Mention)
                      and (fig is None or leading_figure(c.obj) == fig)]
            missed.append(("est2" if claims else "est1", g, ""))
            continue
        s_ms = [m for m in mentions if _match(g.subject, forms[m.span], gold)]
        o_ms = [m for m in mentions if _match(g.obj, forms[m.span], gold)]
        if not s_ms or not o_ms:
            which = "subject+object" if not s_ms and not o_ms else "subject" if not s_ms else "object"
            missed.append(("a", g, which))
            continue
        named = [i for i, p in enumerate(prep.pairs)
                 if _match(g.subject, forms.get(p.subject.span) or mention_forms(rules_resolved, p.subject), gold)
                 and _match(g.obj, forms.get(p.obj.span) or mention_forms(rules_resolved, p.obj), gold)]
        if not named:
            same = {sentence_of(m.start) for m in s_ms} & {sentence_of(m.start) for m in o_ms}
            missed.append(("b1" if same else "b2", g, ""))
            continue
        trained = {i: {prep.labels[i]} for i in named}
        for i, relation in prep.more if multi_label else ():
            if i in trained:
                trained[i].add(relation)
        carrying = [i for i in named if gi in matches[i] and rel in trained[i]]
        if not carrying:
            if all(prep.pairs[i].sentence not in evidence[gi] for i in named):
                missed.append(("c1", g, ""))
            elif any(gi in matches[i] for i in named):
                missed.append(("c2", g, ",".join(sorted({prep.labels[i] for i in named if gi in matches[i]}))))
            else:
                missed.append(("c3", g, ""))
            continue
        spans = [(prep.pairs[i].subject.span, prep.pairs[i].obj.span) for i in carrying]
        if any(rel in kept_claims.get(sp, ()) for sp in spans):
            labels = [(rules_resolved.entity_of(prep.pairs[i].subject), rules_resolved.entity_of(prep.pairs[i].obj))
                      for i in carrying]
            detail = "; ".join(f"{s.label if s else '?'} / {o.label if o else '?'}" for s, o in labels[:1])
            missed.append(("e", g, detail))
        elif any(rel in all_claims.get(sp, {}) for sp in spans):
            missed.append(("d3", g, ""))
        else:
            others = {r for sp in spans for r in all_claims.get(sp, {})} | {r for sp in spans for r in kept_claims.get(sp, ())}
            missed.append(("d2", g, ",".join(sorted(others))) if others else ("d1", g, ""))
    fps = []
    gold_names = [x for g in gold.triples for x in (g.subject, g.obj)]
    claims_of: dict[tuple[str, str, str], list] = defaultdict(list)
    for c in resolved.claims:
        if isinstance(c.obj, Mention):
            s, o = resolved.entity_of(c.subject), resolved.entity_of(c.obj)
            if s is not None and o is not None:
                claims_of[s.label, relation_key(c.relation), o.label].append(c)
    for p in preds:
        if any(triple_matches(g, p, gold.aliases, "relaxed") for g in gold.triples):
            continue
        rk = relation_key(p.relation)
        same_rel = [g for g in gold.triples if relation_key(g.relation) == rk]
        if rk == EST:
            fig = leading_figure(p.obj.label)
            if any(fig is not None and leading_figure(g.obj) == fig for g in same_rel):
                fps.append(("wrong-subj", p, ""))
            elif any(_match(g.subject, p.subject, gold) for g in same_rel):
                fps.append(("wrong-obj", p, ""))
            else:
                fps.append(("not-in-gold", p, ""))
            continue
        if any(_match(g.subject, p.obj, gold) and _match(g.obj, p.subject, gold) for g in same_rel):
            fps.append(("reversed", p, ""))
            continue
        other = [g for g in gold.triples if _match(g.subject, p.subject, gold) and _match(g.obj, p.obj, gold)]
        if other:
            fps.append(("wrong-rel", p, relation_name(other[0].relation)))
            continue
        surface = False
        for c in claims_of.get((p.subject.label, rk, p.obj.label), []):
            sn, on = Name(c.subject.text, frozenset({normalize(c.subject.text)})), Name(c.obj.text, frozenset({normalize(c.obj.text)}))
            if any(_match(g.subject, sn, gold) and _match(g.obj, on, gold) for g in same_rel):
                surface = True
        if surface:
            fps.append(("label", p, ""))
        elif any(_match(g.subject, p.subject, gold) for g in same_rel):
            fps.append(("wrong-obj", p, ""))
        elif any(_match(g.obj, p.obj, gold) for g in same_rel):
            fps.append(("wrong-subj", p, ""))
        elif any(_match(n, p.subject, gold) for n in gold_names) and any(_match(n, p.obj, gold) for n in gold_names):
            fps.append(("unannotated", p, ""))
        else:
            fps.append(("not-in-gold", p, ""))
    return missed, fps


def table(rows: Counter, order: tuple[str, ...], names: dict[str, str] | None, total: int, title: str) -> None:
    print(f"\n{title} ({total})")
    for key in order:
        n = rows.get(key, 0)
        if n:
            label = f"{key:12s} {names[key]}" if names else f"{key}"
            print(f"  {label:70s} {n:5d}  {n / max(total, 1):5.1%}")


def per_relation(rows: list[tuple[str, str]], order: tuple[str, ...], top: int, title: str) -> None:
    by_rel: dict[str, Counter] = defaultdict(Counter)
    for rel, cat in rows:
        by_rel[rel][cat] += 1
    cats = [c for c in order if any(c in v for v in by_rel.values())]
    print(f"\n{title}")
    print(f"  {'relation':18s} {'n':>5s} " + " ".join(f"{c:>6s}" for c in cats))
    for rel, counts in sorted(by_rel.items(), key=lambda kv: -sum(kv[1].values()))[:top]:
        print(f"  {rel:18s} {sum(counts.values()):5d} " + " ".join(f"{counts.get(c, 0):6d}" for c in cats))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=NEWS_DEV / "docs")
    parser.add_argument("--gold", type=Path, default=NEWS_DEV / "gold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("-C", dest="c", type=float, default=DEFAULT_C)
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="print N examples per category (with the evidence: article text, terminal only)")
    args = parser.parse_args(argv)
    if not args.docs.exists():
        parser.error(f"{args.docs}: not found (news-dev lives in ../shared beside the repository)")
    prepared = load_corpus([args.docs], [args.gold], nlp=load_nlp(relation_model="none"))
    cv = cross_validate(prepared, k=args.folds, c=args.c)
    cv_multi = False  # cross_validate fits with fit()'s default: one label per pair
    r = cv.report.overall["relaxed"]
    print(f"{args.folds}-fold CV, threshold {cv.best_threshold}, rule floor {cv.best_rule_floor}: "
          f"relaxed P {r.precision:.3f} R {r.recall:.3f} F1 {r.f1:.3f}  (gold {r.gold}, found {r.found}, "
          f"predicted {r.predicted}, right {r.right})")
    missed_all, fp_all = [], []
    for prep, predicted in cv.held:
        missed, fps = analyse_document(prep, predicted, cv.best_threshold, cv.best_rule_floor,
                                       bool(cv_multi))
        missed_all += [(prep.stem, *m) for m in missed]
        fp_all += [(prep.stem, *f) for f in fps]
    table(Counter(m[1] for m in missed_all), MISS_ORDER, MISS_NAMES, len(missed_all), "missed gold triples")
    per_relation([(relation_name(m[2].relation), m[1]) for m in missed_all], MISS_ORDER, 20,
                  "missed gold triples per relation (top 20)")
    a_which = Counter(m[3] for m in missed_all if m[1] == "a")
    print("\n  a: missing " + ", ".join(f"{k} {v}" for k, v in sorted(a_which.items())))
    c2 = Counter(m[3] for m in missed_all if m[1] == "c2")
    if c2:
        print("  c2: the pair is labelled " + ", ".join(f"{k} {v}" for k, v in c2.most_common(10)))
    d2 = Counter(m[3] for m in missed_all if m[1] == "d2")
    if d2:
        print("  d2: the model chose " + ", ".join(f"{k} {v}" for k, v in d2.most_common(10)))
    table(Counter(f[1] for f in fp_all), FP_ORDER, None, len(fp_all), "false positives")
    per_relation([(relation_name(f[2].relation), f[1]) for f in fp_all], FP_ORDER, 20,
                 "false positives per relation (top 20)")
    wr = Counter(f"{relation_name(f[2].relation)} (gold {f[3]})" for f in fp_all if f[1] == "wrong-rel")
    if wr:
        print("  wrong-rel: " + ", ".join(f"{k} {v}" for k, v in wr.most_common(10)))
    if args.examples:
        by_cat: dict[str, list] = defaultdict(list)
        for stem, cat, g, detail in missed_all:
            by_cat["miss " + cat].append(f"{stem}: {g.subject} | {g.relation} | {g.obj}  [{detail}]  << {g.evidence[:200]}")
        for stem, cat, p, detail in fp_all:
            by_cat["fp " + cat].append(f"{stem}: {p.subject.label} | {p.relation} | {p.obj.label}  [{detail}]")
        for cat, lines in sorted(by_cat.items()):
            print(f"\n== {cat}")
            step = max(len(lines) // args.examples, 1)
            for line in lines[::step][: args.examples]:
                print("  " + line)


if __name__ == "__main__":
    main()
