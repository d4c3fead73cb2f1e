"""Train and cross-validate the relation model on annotated documents (``newsgraph train``).

Documents go through the rule pipeline (no model); every candidate pair of
``graph.extract.relmodel`` becomes one training row, labelled with the gold relation whose
subject and object names match the pair's mentions (their text, or the name and aliases
resolution gives them, compared as ``newsgraph eval`` compares names) and whose evidence is
the pair's sentence; every other pair is ``NONE``.  A multinomial logistic regression
(scikit-learn, fixed solver: deterministic) is fitted on the rows.  Cross-validation is by
document: a document is never scored by a model that saw it; the folds' predictions go
through resolution and RDF like a real build and are scored by ``graph.evaluate``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
from rdflib import Graph
from spacy.language import Language

from graph.errors import InputError, ModelError
from graph.evaluate import GoldFile, Name, evaluate, gold_files, names_match, normalize, read_gold
from graph.extract import _mention, load_nlp, to_extraction
from graph.extract.chunking import ChunkMerger, chunk_pairs, shift_mention
from graph.extract.relmodel import NONE, RelationModel, candidates, decisions
from graph.ingest import IngestOptions, read_documents
from graph.model import Claim, Document, Extraction, Mention
from graph.rdf.build import document_graph
from graph.rdf.namespaces import bind_prefixes, relation_key, relation_name
from graph.resolve import resolve

log = logging.getLogger("newsgraph")

#: regularisation strength and feature count floor chosen by cross-validation on news-dev
DEFAULT_C = 0.3
MIN_FEATURE_COUNT = 2
TOL = 1e-4  # lbfgs stopping tolerance
DEFAULT_RULE_FLOOR = 0.0
RULE_FLOORS = (0.0, 0.05, 0.15)
THRESHOLDS = (0.08, 0.12, 0.16, 0.2, 0.3, 0.45)


@dataclass(slots=True)
class RuleInfo:
    """What a rule said about a pair, as plain data."""

    relation: str
    negated: bool
    hedged: bool
    confidence: float
    extractor: str
    source: Mention | None = None


@dataclass(slots=True)
class PairRow:
    """A candidate pair as plain objects: offsets into the document text, features, rules."""

    subject: Mention
    obj: Mention
    sentence: tuple[int, int]
    features: dict[str, float]
    rules: list[RuleInfo] = field(default_factory=list)


@dataclass(slots=True)
class Prepared:
    """One document after the rule pipeline: its extraction, candidate pairs and labels."""

    stem: str
    extraction: Extraction
    pairs: list[PairRow]
    gold: GoldFile | None = None
    labels: list[str] = field(default_factory=list)  # one per pair ("NONE" or a relation)
    reachable: int = 0  # gold triples some pair is labelled with
    more: list[tuple[int, str]] = field(default_factory=list)  # (pair index, relation): a pair's further relations


def document_stem(document: Document) -> str:
    """The base name a gold file of this document has (``docs/001_x.md`` -> ``001_x``)."""
    base = PurePosixPath(document.source.replace("\\", "/")).name
    return base.rsplit(".", 1)[0] if "." in base else base


def prepare(nlp: Language, documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Extraction, list[PairRow]]]:
    """Rule extraction and candidate pairs of each document (``nlp`` without the model)."""
    merger = ChunkMerger()
    pending: list[PairRow] = []
    for doc, chunk in nlp.pipe(chunk_pairs(documents), as_tuples=True, batch_size=batch_size):
        off, doc_id = chunk.start, chunk.document.id

        def m(span, off=off, doc_id=doc_id) -> Mention:
            return shift_mention(_mention(doc_id, span), off)

        for cand in candidates(doc):
            rules = [RuleInfo(c.relation, c.negated, c.hedged, c.confidence, c.extractor,
                              m(c.source) if c.source is not None else None)
                     for c in cand.rules]
            pending.append(PairRow(m(cand.subject), m(cand.obj),
                                   (cand.sentence.start_char + off, cand.sentence.end_char + off),
                                   cand.features, rules))
        whole = merger.add(to_extraction(doc, chunk.document), chunk)
        if whole is not None:
            pairs, pending = pending, []
            yield whole, pairs


_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalize(text)))


def mention_forms(resolved, m: Mention) -> Name:
    """A mention's names as training compares them with gold: its text, and the label and
    aliases of the entity resolution gives it."""
    out = {normalize(m.text)}
    ent = resolved.entity_of(m)
    if ent is not None:
        out.add(normalize(ent.label))
        out.update(normalize(a) for a in ent.aliases)
    out.discard("")
    return Name(m.text, frozenset(out))


def evidence_sentences(text: str, sentences: Iterable[tuple[int, int]], gold: GoldFile) -> list[set[tuple[int, int]]]:
    """For each gold triple, the sentences (of ``sentences``) its evidence column is taken
    from: most of the evidence's words in the sentence or most of the sentence's words in
    the evidence; every sentence when none is."""
    sentence_words = {s: _words(text[s[0]:s[1]]) for s in dict.fromkeys(sentences)}
    out: list[set[tuple[int, int]]] = []
    for g in gold.triples:
        ev = _words(g.evidence)
        hits = {s for s, w in sentence_words.items()
                if ev and w and (len(ev & w) >= 0.6 * len(ev) or len(ev & w) >= 0.6 * len(w))}
        out.append(hits or set(sentence_words))
    return out


def gold_matches(extraction: Extraction, pairs: list[PairRow], gold: GoldFile) -> list[list[int]]:
    """For each pair, the gold triples (indices) it carries: the subject and object names
    match the pair's mentions (relaxed) and the evidence is the pair's sentence.  Figures
    (``estimates``) are literals the rules give, never pairs."""
    resolved = resolve(extraction)
    evidence = evidence_sentences(extraction.document.text, (p.sentence for p in pairs), gold)
    out: list[list[int]] = []
    for p in pairs:
        sn, on = mention_forms(resolved, p.subject), mention_forms(resolved, p.obj)
        hits = []
        for gi, g in enumerate(gold.triples):
            if p.sentence not in evidence[gi] or relation_key(g.relation) == relation_key("estimates"):
                continue
            if names_match(g.subject, sn, gold.aliases, "relaxed") and names_match(g.obj, on, gold.aliases, "relaxed"):
                hits.append(gi)
        out.append(hits)
    return out


def labels_of(matches: list[list[int]], gold: GoldFile) -> tuple[list[str], list[tuple[int, str]], int]:
    """From ``gold_matches``: the relation of each pair (or NONE), the further relations of
    pairs that carry more than one ((pair index, relation): "victims from Myanmar" can be
    both ``nationality`` and ``traffickedFrom``), and how many gold triples are the first label of some pair."""
    labels: list[str] = []
    more: list[tuple[int, str]] = []
    found: set[int] = set()
    for i, hits in enumerate(matches):
        relations = list(dict.fromkeys(relation_name(gold.triples[gi].relation) for gi in hits))
        labels.append(relations[0] if relations else NONE)
        more.extend((i, r) for r in relations[1:])
        if hits:
            found.add(hits[0])  # as the model's figures have always counted it: one triple per labelled pair
    return labels, more, len(found)


def label_pairs(extraction: Extraction, pairs: list[PairRow], gold: GoldFile) -> tuple[list[str], int]:
    """The gold relation of each pair (or NONE), and how many gold triples some pair carries."""
    labels, _, reachable = labels_of(gold_matches(extraction, pairs, gold), gold)
    return labels, reachable


def load_corpus(docs: Iterable[str | Path], gold: Iterable[str | Path], nlp: Language | None = None,
                progress: Callable[[str], None] | None = None) -> list[Prepared]:
    """Read, extract (rules only) and label every document that has a gold file."""
    golds = {p.stem: read_gold(p) for p in gold_files(gold)}
    if not golds:
        raise InputError(", ".join(str(g) for g in gold), "no gold .tsv files found")
    documents = []
    for item in read_documents(docs, IngestOptions()):
        if isinstance(item, InputError):
            log.error("%s", item)
            continue
        if document_stem(item) in golds:
            documents.append(item)
    if not documents:
        raise InputError(", ".join(str(d) for d in docs), "no document matches a gold file by base name")
    nlp = nlp or load_nlp(relation_model="none")
    out: list[Prepared] = []
    for extraction, pairs in prepare(nlp, documents):
        stem = document_stem(extraction.document)
        g = golds[stem]
        labels, more, reachable = labels_of(gold_matches(extraction, pairs, g), g)
        out.append(Prepared(stem, extraction, pairs, g, labels, reachable, more))
        if progress:
            progress(stem)
    out.sort(key=lambda p: p.stem)
    return out


def fit(prepared: Iterable[Prepared], c: float = DEFAULT_C, min_count: int = MIN_FEATURE_COUNT,
        threshold: float = 0.5, rule_floor: float = 0.0, meta: dict | None = None,
        none_weight: float = 1.0, multi_label: bool = False) -> RelationModel:
    """Fit the multinomial logistic regression on the labelled pairs of ``prepared``
    (``NONE`` rows weigh ``none_weight``, relation rows 1).  With ``multi_label`` a pair that
    carries two gold relations trains on both and the model may claim both; measured on
    news-dev CV (relaxed F1 0.267 -> 0.273) but it cost the seeds and held-out sets 0.03-0.05
    precision-bound F1, so it is off by default."""
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:
        raise ModelError(f"training needs scikit-learn ({err}): pip install 'newsgraph[train]'") from err

    rows: list[dict[str, float]] = []
    labels: list[str] = []
    for p in prepared:
        rows.extend(x.features for x in p.pairs)
        labels.extend(p.labels)
        for i, relation in p.more if multi_label else ():
            rows.append(p.pairs[i].features)
            labels.append(relation)
    counts: Counter[str] = Counter(k for r in rows for k in r)
    names = sorted(k for k, n in counts.items() if n >= min_count)
    index = {k: i for i, k in enumerate(names)}
    data, cols, ptr = [], [], [0]
    for r in rows:
        for k in sorted(r):
            i = index.get(k)
            if i is not None:
                cols.append(i)
                data.append(r[k])
        ptr.append(len(cols))
    x = csr_matrix((np.array(data, dtype=np.float64), np.array(cols, dtype=np.int64), np.array(ptr)),
                   shape=(len(rows), len(names)))
    classes = sorted(set(labels))
    if NONE not in classes or len(classes) < 2:
        raise InputError("gold", "too few labelled pairs to train on (need NONE and at least one relation)")
    y = np.array([classes.index(label) for label in labels])
    clf = LogisticRegression(C=c, max_iter=1000, solver="lbfgs", tol=TOL)
    weights = np.where(y == classes.index(NONE), none_weight, 1.0)
    clf.fit(x, y, sample_weight=weights)
    coef = clf.coef_.T.astype(np.float32)  # (features, classes)
    intercept = clf.intercept_.astype(np.float32)
    if len(classes) == 2:  # sklearn fits one weight vector; as a softmax the first class scores 0
        coef = np.hstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]], dtype=np.float32)
    return RelationModel(
        classes=classes, features=index, coef=coef, intercept=intercept, threshold=threshold,
        meta=dict(meta or {}, rows=len(rows), positives=int(sum(1 for label in labels if label != NONE)),
                  C=c, min_count=min_count, rule_floor=rule_floor, multi_label=multi_label,
                  none_weight=none_weight),
    )


def predict(prep: Prepared, model: RelationModel, min_confidence: float | None = None) -> Extraction:
    """The extraction of one prepared document with the model deciding its entity claims."""
    literal = [c for c in prep.extraction.claims if not isinstance(c.obj, Mention)]
    doc_id = prep.extraction.document.id
    claims = list(literal)
    for pair, relation, p, negated, hedged, source, extractor in decisions(prep.pairs, model, min_confidence):
        claims.append(Claim(doc_id, pair.subject, relation, pair.obj, pair.sentence[0], pair.sentence[1], p,
                            extractor, negated=negated, hedged=hedged, source=source))
    e = prep.extraction
    return Extraction(document=e.document, mentions=e.mentions, claims=claims, sentences=e.sentences, rules=e.rules)


def graph_of(extractions: Iterable[Extraction]) -> Graph:
    """resolve -> RDF of extractions, merged into one graph (what a build would write)."""
    g = bind_prefixes(Graph())
    for e in extractions:
        for t in document_graph(resolve(e)):
            g.add(t)
    return g


def folds_of(prepared: list[Prepared], k: int) -> list[list[Prepared]]:
    """``k`` folds by document, deterministic (documents in name order, dealt round-robin)."""
    return [[p for i, p in enumerate(prepared) if i % k == f] for f in range(k)]


@dataclass(slots=True)
class CrossValidation:
    """Cross-validated scores: the overall relaxed/strict figures per (threshold, rule floor),
    the chosen setting, its report, and (confidence, right) of every model triple it keeps."""

    by_setting: dict[tuple[float, float], dict[str, dict[str, float]]]
    best_threshold: float
    best_rule_floor: float
    report: object  # graph.evaluate.EvalReport at the chosen setting
    calibration: list[tuple[float, bool]]
    calibrator: dict[str, list[float]] = field(default_factory=dict)
    #: each held-out document with its fold model's prediction (every claim, before the setting's filter)
    held: list[tuple[Prepared, Extraction]] = field(default_factory=list)

    @property
    def by_threshold(self) -> dict[float, dict[str, dict[str, float]]]:
        """Figures per threshold at the chosen rule floor."""
        return {t: v for (t, f), v in self.by_setting.items() if f == self.best_rule_floor}


def cross_validate(prepared: list[Prepared], k: int = 5, c: float = DEFAULT_C,
                   thresholds: Iterable[float] = THRESHOLDS, rule_floors: Iterable[float] = RULE_FLOORS,
                   progress: Callable[[str], None] | None = None,
                   extra: Iterable[Prepared] = ()) -> CrossValidation:
    """k-fold cross-validation by document.  Each fold's model predicts its held-out
    documents once (every claim with its probability); each (threshold, rule floor) is then
    a filter of those claims, resolved, turned into RDF and scored with ``graph.evaluate``.
    The setting with the best relaxed F1 is chosen (near-ties: the more precise one).  ``extra``
    documents (another corpus) join every fold's training set and are never scored."""
    thresholds, rule_floors = tuple(thresholds), tuple(rule_floors)
    extra = list(extra)
    held: list[tuple[Prepared, Extraction]] = []
    for f, test in enumerate(folds_of(prepared, k)):
        train = [p for p in prepared if p not in test] + extra
        model = fit(train, c=c, threshold=min(thresholds), rule_floor=0.0)
        for p in test:
            held.append((p, predict(p, model)))
        if progress:
            progress(f"fold {f + 1}/{k}")
    gold_paths = [p.gold.path for p in prepared if p.gold is not None]
    by_setting: dict[tuple[float, float], dict[str, dict[str, float]]] = {}
    reports = {}
    for floor in rule_floors:
        for t in thresholds:
            report = evaluate(graph_of(kept(e, t, floor) for _, e in held), gold_paths)
            reports[t, floor] = report
            by_setting[t, floor] = {m: report.overall[m].as_dict() for m in ("strict", "relaxed")}
    # the best relaxed F1; among settings within 0.005 of it, the most precise
    top = max(r.overall["relaxed"].f1 for r in reports.values())
    best = max((s for s, r in reports.items() if r.overall["relaxed"].f1 >= top - 0.005),
               key=lambda s: (round(reports[s].overall["relaxed"].precision, 4), s))
    calibration = _calibration(held, *best)
    return CrossValidation(by_setting, best[0], best[1], reports[best], calibration, isotonic(calibration), held)


def isotonic(pairs: list[tuple[float, bool]]) -> dict[str, list[float]]:
    """Knots of an isotonic fit of held-out (probability, right) pairs: what
    ``RelationModel.calibrated`` maps a probability through to give ``ng:confidence``."""
    if len(pairs) < 10:
        return {}
    from sklearn.isotonic import IsotonicRegression

    x = np.array([p for p, _ in pairs])
    y = np.array([1.0 if ok else 0.0 for _, ok in pairs])
    iso = IsotonicRegression(y_min=0.01, y_max=0.99, out_of_bounds="clip").fit(x, y)
    return {"x": [round(float(v), 4) for v in iso.X_thresholds_], "y": [round(float(v), 4) for v in iso.y_thresholds_]}


def kept(e: Extraction, t: float, floor: float) -> Extraction:
    """The claims a model with threshold ``t`` and rule floor ``floor`` keeps (rules' literal claims stay)."""
    claims = [c for c in e.claims
              if not c.extractor.startswith("model")
              or c.confidence >= (t if c.extractor == "model" else floor)]
    return Extraction(document=e.document, mentions=e.mentions, claims=claims, sentences=e.sentences, rules=e.rules)


def _calibration(held: list[tuple[Prepared, Extraction]], t: float, floor: float) -> list[tuple[float, bool]]:
    """(confidence, right) of every model triple kept at ``t``/``floor``, judged against its document's gold."""
    from graph.evaluate import document_stems, predicted_triples, triple_matches

    out: list[tuple[float, bool]] = []
    for p, e in held:
        resolved = resolve(kept(e, t, floor))
        g = document_graph(resolved)
        conf: dict[tuple[str, str, str], float] = {}
        for claim in resolved.claims:
            if not claim.extractor.startswith("model") or not isinstance(claim.obj, Mention):
                continue
            s, o = resolved.entity_of(claim.subject), resolved.entity_of(claim.obj)
            if s is None or o is None:
                continue
            key = (s.label, claim.relation, o.label)
            conf[key] = max(conf.get(key, 0.0), claim.confidence)
        for docs in document_stems(g).values():
            for doc in docs:
                for pred in predicted_triples(g, doc):
                    key = (pred.subject.label, pred.relation, pred.obj.label)
                    if key not in conf or p.gold is None:
                        continue
                    right = any(triple_matches(gt, pred, p.gold.aliases, "relaxed") for gt in p.gold.triples)
                    out.append((conf[key], right))
    return out


def calibration_table(pairs: list[tuple[float, bool]], bands: Iterable[float] = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[tuple[str, int, float, float]]:
    """(band, claims, mean predicted confidence, observed precision) per confidence band."""
    edges = [*bands, 1.0001]
    out = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if inside:
            out.append((f"{lo:.1f}-{min(hi, 1.0):.1f}", len(inside), sum(c for c, _ in inside) / len(inside),
                        sum(ok for _, ok in inside) / len(inside)))
    return out


@dataclass(slots=True)
class TrainResult:
    """A trained model, where it was written and its cross-validation (None with ``folds=0``)."""

    model: RelationModel
    path: Path
    cv: CrossValidation | None


def train(docs: Iterable[str | Path], gold: Iterable[str | Path], out: str | Path, folds: int = 5,
          c: float = DEFAULT_C, rule_floor: float = DEFAULT_RULE_FLOOR, nlp: Language | None = None,
          progress: Callable[[str], None] | None = None) -> TrainResult:
    """Train a relation model on annotated documents and write it to ``out`` (a folder or .npz).

    With ``folds`` >= 2 the threshold is chosen by cross-validated relaxed F1 (by document)
    first; the final model is fitted on every document.
    """
    prepared = load_corpus(list(docs), list(gold), nlp=nlp, progress=progress)
    cv = None
    threshold = 0.5
    if folds >= 2:
        if len(prepared) < folds:
            raise InputError(str(out), f"{len(prepared)} annotated documents: too few for {folds}-fold cross-validation")
        cv = cross_validate(prepared, k=folds, c=c, progress=progress)
        threshold, rule_floor = cv.best_threshold, cv.best_rule_floor
    meta = {"documents": len(prepared), "gold_triples": sum(len(p.gold.triples) for p in prepared if p.gold),
            "reachable": sum(p.reachable for p in prepared)}
    if cv is not None:
        meta["cv"] = {f"{t}/{f}": v for (t, f), v in cv.by_setting.items()}
        meta["calibration"] = cv.calibrator
    model = fit(prepared, c=c, threshold=threshold, rule_floor=rule_floor, meta=meta)
    path = model.save(out)
    return TrainResult(model, path, cv)
