"""Relation extraction figures of the newsgraph pipeline on CoNLL04.

Reads the Table-Sequence files (``valid.CoNLL04.json`` for dev, ``test.CoNLL04.json`` for
test) from ``../shared/benchmarks/conll04`` beside the repository (or ``--data DIR``),
turns each sentence into one document (tokens joined by spaces), runs extract + resolve and
scores the predicted triples per sentence against the gold relations in two ways:

Label match (how ``newsgraph eval`` compares names):

* strict: subject and object names equal after ``graph.evaluate.normalize`` (lower-case,
  punctuation, possessive and leading article dropped);
* relaxed: for each side, one name's words contain the other's.

  A predicted side's names are its mention text and its resolved entity's label, so "the
  man" resolved to Oswald can match.

Typed strict (the metric of the published CoNLL04 results, SpERT's "RE+"; see
``../shared/benchmarks/conll04/README.md``): a predicted relation is right only if the
token spans of both arguments (the CoNLL04 tokens a mention overlaps) are exactly the
gold ones, both entity types (newsgraph Person -> Peop,
Organization -> Org, Country/Place/Facility -> Loc, else Other) and the relation type equal
a gold relation's.  Micro F1 pools all relations; macro F1 averages the five types.

The pipeline uses the shipped relation model unless ``--relation-model`` says otherwise;
repeat the option to compare pipelines in one run (``none`` = the rules alone).  Figures
are micro-averaged per relation and overall.  Work on dev; run test only for the record
(never tune on it).

    python benchmarks/conll04.py --split dev
    python benchmarks/conll04.py --split dev --relation-model none --relation-model model/
    python benchmarks/conll04.py --split test --implied
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.evaluate import Counts, normalize  # noqa: E402
from graph.model import Claim, Document, EntityType, Mention  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "conll04"
SPLIT_FILES = {"train": "train.CoNLL04.json", "dev": "valid.CoNLL04.json", "test": "test.CoNLL04.json"}

# CoNLL04 relation -> newsgraph relation.
MAPPING = {
    "Work_For": "worksFor",
    "Kill": "kills",
    "OrgBased_In": "basedIn",
    "Live_In": "livesIn",
    "Located_In": "locatedIn",
}
CONLL_OF = {v: k for k, v in MAPPING.items()}
CONLL_OF["bornIn"] = "Live_In"  # CoNLL04 files a birthplace under Live_In
PLACES = {EntityType.PLACE, EntityType.COUNTRY, EntityType.FACILITY}


def implied_label(claim: Claim) -> str | None:
    """CoNLL04 label a newsgraph claim implies under CoNLL04's own annotation conventions.

    CoNLL04 files a person's leadership of an organisation under Work_For, and a person's
    nationality or office in a place ("U.S. Ambassador X", "Soviet historian Y",
    "Illinois Gov. Z") under Live_In. Only used with ``--implied``.
    """
    obj = claim.obj
    if not isinstance(obj, Mention) or claim.subject.label in ("NOMINAL", "GROUP", "PRON"):
        return None  # CoNLL04 relates named people, not "Chinese immigrants"
    if claim.relation in ("leads", "worksFor", "memberOf") and obj.type is EntityType.ORGANIZATION:
        return "Work_For"
    if claim.relation in ("leads", "worksFor", "nationality") and obj.type in PLACES:
        return "Live_In"
    return None


#: newsgraph entity type -> CoNLL04 entity type (for the typed strict metric)
CONLL_TYPE = {
    EntityType.PERSON: "Peop",
    EntityType.ORGANIZATION: "Org",
    EntityType.COUNTRY: "Loc",
    EntityType.PLACE: "Loc",
    EntityType.FACILITY: "Loc",
}

#: (head start, head end, head type, label, tail start, tail end, tail type), token offsets
Typed = tuple[int, int, str, str, int, int, str]


@dataclass(slots=True)
class Sentence:
    text: str
    gold: set[tuple[str, str, str]]  # (subject text, CoNLL label, object text)
    typed: set[Typed] = field(default_factory=set)  # the same relations as typed token spans
    tokens: list[tuple[int, int]] = field(default_factory=list)  # character span of each token

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """The tokens a character span overlaps, as (first, last + 1): a mention "Ethiopia"
        inside the token "Ethiopia." covers that token, as a token-level system's would."""
        inside = [i for i, (s, e) in enumerate(self.tokens) if s < end and start < e]
        return (inside[0], inside[-1] + 1) if inside else (-1, -1)


def read_split(path: Path) -> list[Sentence]:
    """Sentences of a Table-Sequence file (tokens joined by single spaces) with their gold
    relations as text triples and as typed token spans."""
    out: list[Sentence] = []
    for record in json.loads(path.read_text(encoding="utf-8")):
        tokens: list[str] = record["tokens"]
        spans, pos = [], 0
        for tok in tokens:
            spans.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        types = {(s, e): t for s, e, t in record.get("entities", [])}
        gold, typed = set(), set()
        for hs, he, ts, te, label in record["relations"]:
            gold.add((" ".join(tokens[hs:he]), label, " ".join(tokens[ts:te])))
            typed.add((hs, he, types.get((hs, he), "?"), label, ts, te, types.get((ts, te), "?")))
        out.append(Sentence(" ".join(tokens), gold, typed, spans))
    return out


Names = tuple[str, ...]  # surface forms one side of a predicted triple may match


def predicted(
    claims: Iterable[Claim], implied: bool, label_of: Callable[[Mention], str | None] = lambda m: None
) -> set[tuple[Names, str, Names]]:
    """Unique (subject names, CoNLL label, object names) of a sentence's claims.

    A side's names are the mention's text and, after resolution, its entity's label
    (so "the man" resolved to Oswald, or "Haitian" resolved to Haiti, can match)."""
    out: dict[tuple[str, str, str], tuple[Names, str, Names]] = {}
    for claim in claims:
        if claim.negated or claim.hedged or not isinstance(claim.obj, Mention):
            continue
        label = CONLL_OF.get(claim.relation)
        if implied and (label is None or (label == "Work_For" and claim.obj.type in PLACES)):
            label = implied_label(claim)  # Work_For is person -> organisation in CoNLL04
        if label is None:
            continue
        subj, obj = _names(claim.subject, label_of), _names(claim.obj, label_of)
        key = (subj[0], label, obj[0])  # one prediction per surface triple
        if key in out:
            old = out[key]
            subj, obj = tuple(dict.fromkeys(old[0] + subj)), tuple(dict.fromkeys(old[2] + obj))
        out[key] = (subj, label, obj)
    return set(out.values())


def _names(mention: Mention, label_of: Callable[[Mention], str | None]) -> Names:
    names = [mention.text]
    label = label_of(mention)
    if label and label != mention.text:
        names.append(label)
    return tuple(names)


def same_name(a: str, b: str, mode: str) -> bool:
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    if mode == "strict":
        return na == nb
    wa, wb = set(na.split()), set(nb.split())
    return wa <= wb or wb <= wa


def match(pred: tuple[Names, str, Names], gold: tuple[str, str, str], mode: str) -> bool:
    return (
        pred[1] == gold[1]
        and any(same_name(a, gold[0], mode) for a in pred[0])
        and any(same_name(b, gold[2], mode) for b in pred[2])
    )


def score(
    pairs: Iterable[tuple[set[tuple[Names, str, Names]], set[tuple[str, str, str]]]], mode: str
) -> dict[str, Counts]:
    """Counts per CoNLL04 label (and "ALL") over (predicted, gold) triple sets per sentence."""
    by_label: dict[str, Counts] = {label: Counts() for label in MAPPING}
    for preds, golds in pairs:
        for label in MAPPING:
            c = by_label[label]
            p = [t for t in preds if t[1] == label]
            g = [t for t in golds if t[1] == label]
            c.predicted += len(p)
            c.gold += len(g)
            c.right += sum(1 for t in p if any(match(t, u, mode) for u in g))
            c.found += sum(1 for u in g if any(match(t, u, mode) for t in p))
    total = Counts()
    for c in by_label.values():
        total.add(c)
    by_label["ALL"] = total
    return by_label


def predicted_typed(claims: Iterable[Claim], implied: bool, sentence: Sentence) -> set[Typed]:
    """Unique typed relations of a sentence's claims: the token spans of both mentions,
    their CoNLL04 entity types (``Other`` for the rest) and the CoNLL04 label."""
    out: set[Typed] = set()
    for claim in claims:
        if claim.negated or claim.hedged or not isinstance(claim.obj, Mention):
            continue
        label = CONLL_OF.get(claim.relation)
        if implied and (label is None or (label == "Work_For" and claim.obj.type in PLACES)):
            label = implied_label(claim)
        if label is None:
            continue
        s, o = claim.subject, claim.obj
        out.add((*sentence.token_span(s.start, s.end), CONLL_TYPE.get(s.type, "Other"), label,
                 *sentence.token_span(o.start, o.end), CONLL_TYPE.get(o.type, "Other")))
    return out


def score_typed(pairs: Iterable[tuple[set[Typed], set[Typed]]]) -> dict[str, Counts]:
    """Counts per CoNLL04 label (and "ALL") of the typed strict metric (SpERT's "RE+"): a
    relation is right only if both spans, both entity types and the label equal a gold one."""
    by_label: dict[str, Counts] = {label: Counts() for label in MAPPING}
    for preds, golds in pairs:
        for label in MAPPING:
            c = by_label[label]
            p = {t for t in preds if t[3] == label}
            g = {t for t in golds if t[3] == label}
            c.predicted += len(p)
            c.gold += len(g)
            c.right += len(p & g)
            c.found += len(p & g)
    total = Counts()
    for c in by_label.values():
        total.add(c)
    by_label["ALL"] = total
    return by_label


def macro_f1(results: dict[str, Counts]) -> float:
    """Mean F1 of the five CoNLL04 relation types."""
    return sum(results[label].f1 for label in MAPPING) / len(MAPPING)


@dataclass(slots=True)
class Run:
    """One pipeline's predictions on a split: per sentence (label-match, typed) pairs."""

    name: str
    pairs: list[tuple[set[tuple[Names, str, Names]], set[tuple[str, str, str]]]]
    typed: list[tuple[set[Typed], set[Typed]]]
    extractor_hits: Counter[str]
    seconds: float


def run_pipeline(nlp, name: str, sentences: list[Sentence], docs: list[Document], implied: bool) -> Run:
    """Extract (and resolve, when available) every sentence and collect its predictions."""
    from graph.extract import extract

    try:
        from graph.resolve import resolve
    except ImportError:  # pragma: no cover - resolve is optional for this benchmark
        resolve = None  # type: ignore[assignment]

    started = time.perf_counter()
    pairs, typed = [], []
    extractor_hits: Counter[str] = Counter()
    for sentence, extraction in zip(sentences, extract(nlp, docs), strict=True):
        if resolve is not None:
            resolved = resolve(extraction)
            claims = resolved.claims

            def label_of(m: Mention, resolved=resolved) -> str | None:
                entity = resolved.entity_of(m)
                return entity.label if entity is not None else None

            preds = predicted(claims, implied, label_of)
        else:
            claims = extraction.claims
            preds = predicted(claims, implied)
        for c in claims:
            extractor_hits[c.extractor.split(":", 1)[0]] += 1
        pairs.append((preds, sentence.gold))
        typed.append((predicted_typed(claims, implied, sentence), sentence.typed))
    return Run(name, pairs, typed, extractor_hits, time.perf_counter() - started)


def _table(results: dict[str, Counts]) -> None:
    print(f"{'relation':<12} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for label, c in results.items():
        print(f"{label:<12} {c.gold:>5} {c.predicted:>5} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}")


def model_name(spec: str | None) -> str:
    if spec is None:
        return "shipped model"
    return "rules only" if spec.lower() == "none" else f"model {spec}"


def run(data: Path, split: str, implied: bool, model: str | None, show_errors: int,
        relation_models: list[str | None] | None = None) -> int:
    from graph.errors import ModelError
    from graph.extract import load_nlp

    path = data / SPLIT_FILES[split]
    if not path.is_file():
        print(f"conll04: {path}: not found (pass --data DIR)", file=sys.stderr)
        return 2
    sentences = read_split(path)
    docs = [Document(key=f"conll04/{split}/{i}", text=s.text, source=str(path)) for i, s in enumerate(sentences)]
    runs: list[Run] = []
    for spec in relation_models or [None]:
        try:
            nlp = load_nlp(model, relation_model=spec)
        except ModelError as err:
            print(f"conll04: {err} (pass --relation-model PATH, or none for the rules alone)", file=sys.stderr)
            return 2
        runs.append(run_pipeline(nlp, model_name(spec), sentences, docs, implied))

    cmd = "python " + " ".join(shlex.quote(a) for a in [str(Path(__file__).relative_to(ROOT)), *sys.argv[1:]])
    print(f"$ {cmd}")
    print(f"CoNLL04 {split} ({path.name}): {len(sentences)} sentences, "
          f"{sum(len(s.gold) for s in sentences)} gold relations, "
          f"mapping={'brief+implied' if implied else 'brief'}")
    for r in runs:
        print(f"\n=== {r.name} ({r.seconds:.1f} s)")
        for mode in ("strict", "relaxed"):
            print(f"\nlabel match, {mode}")
            _table(score(r.pairs, mode))
        print("\ntyped strict (exact spans, entity types and relation type; SpERT RE+)")
        _table(score_typed(r.typed))
        if r.extractor_hits:
            print("\nclaims by extractor: " + ", ".join(f"{k}={v}" for k, v in sorted(r.extractor_hits.items())))
    print(f"\nsummary, CoNLL04 {split} (micro F1 unless marked)")
    print(f"{'pipeline':<36} {'label strict':>12} {'label relaxed P/R/F1':>22} {'typed strict P/R/F1':>21} {'macro':>6}")
    for r in runs:
        ls, lr, ts = score(r.pairs, "strict")["ALL"], score(r.pairs, "relaxed")["ALL"], score_typed(r.typed)
        t = ts["ALL"]
        print(f"{r.name[-36:]:<36} {ls.f1:>12.3f} {lr.precision:>8.3f}/{lr.recall:.3f}/{lr.f1:.3f}"
              f" {t.precision:>7.3f}/{t.recall:.3f}/{t.f1:.3f} {macro_f1(ts):>6.3f}")
    if show_errors:
        pairs = runs[-1].pairs
        print(f"\nerrors of {runs[-1].name} (relaxed): - missed gold, + wrong prediction")
        shown = 0
        for sentence, (preds, golds) in zip(sentences, pairs, strict=True):
            missed = [g for g in golds if not any(match(p, g, "relaxed") for p in preds)]
            wrong = [p for p in preds if not any(match(p, g, "relaxed") for g in golds)]
            if not (missed or wrong):
                continue
            print(f"\n{sentence.text}")
            for g in sorted(missed):
                print(f"  - {g}")
            for p in sorted(wrong):
                print(f"  + {p[0][0]!r} {p[1]} {p[2][0]!r}" + (f"  (resolved {p[0][-1]!r} / {p[2][-1]!r})" if len(p[0]) + len(p[2]) > 2 else ""))
            shown += 1
            if shown >= show_errors:
                break
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=sorted(SPLIT_FILES), default="dev", help="dev (tune here), test, or train")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"CoNLL04 folder (default {DEFAULT_DATA})")
    parser.add_argument("--model", default=None, help="spaCy model package")
    parser.add_argument(
        "--relation-model", action="append", default=None, metavar="PATH|none",
        help="relation model made by 'newsgraph train' (default: the shipped one); 'none' = rules only; "
             "repeat to compare pipelines in one run",
    )
    parser.add_argument(
        "--implied",
        action="store_true",
        help="also count leads/worksFor/nationality claims under the CoNLL04 labels they imply",
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print the first N sentences with errors (of the last pipeline)")
    args = parser.parse_args(argv)
    return run(args.data, args.split, args.implied, args.model, args.errors, args.relation_model)


if __name__ == "__main__":
    sys.exit(main())
