"""The relation model: rules propose, a model trained on annotated news decides.

For every sentence the component lists candidate pairs: the ordered pairs of mentions
(``doc.spans["ng_mentions"]``) close enough to be related, plus every pair a frame or
structural rule claimed.  Each pair gets sparse features (entity types and heads, the
dependency path between the heads and its trigger words, words between, which rules fired
and how sure they were, negation and hedging cues) and a linear model (multinomial logistic
regression, trained by ``graph.train``) gives a probability for each relation.  The most
probable relation becomes a claim when its probability clears the model's threshold; that
probability is the claim's confidence.  Literal claims (``estimates``) stay as the rules
made them.

The model is a ``.npz`` file of feature names, classes and weights (no pickle): loading it
needs numpy only, and it is loaded once per process.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph.errors import ModelError
from graph.extract.attribution import modality
from graph.extract.entities import MENTIONS_KEY
from graph.extract.spanclaim import SpanClaim

log = logging.getLogger("newsgraph")

NONE = "NONE"
#: the model shipped with newsgraph (made by ``benchmarks/train_model.py``)
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "relation_model.npz"
#: token distance beyond which two mentions of a sentence are not paired (rule pairs always are)
MAX_GAP = 30
#: types that never take part in a relation of the vocabulary
SKIP_TYPES = {"Thing", "Event"}
EXTRACTOR = "model"


@dataclass(slots=True)
class Candidate:
    """One ordered pair of mentions in a sentence, with its features and the rules that fired."""

    subject: Span
    obj: Span
    sentence: Span
    features: dict[str, float] = field(default_factory=dict)
    rules: list[SpanClaim] = field(default_factory=list)


# ------------------------------------------------------------------------------ features


def _lemma(tok: Token) -> str:
    """Lower-case lemma; names become their entity type, so no feature memorises a name."""
    if tok.pos_ == "PROPN":
        return "PROPN:" + (tok.ent_type_ or "X")
    if tok.like_num:
        return "NUM"
    return tok.lemma_.lower() or tok.lower_


#: dependents that carry a title or description of a name ("Prime Minister X", "X, the chairman")
_DESCRIBERS = {"compound", "amod", "appos", "nmod", "poss"}


def _describers(span: Span) -> list[str]:
    """Lemmas of the common nouns and adjectives describing a mention's head, inside or around it."""
    out = []
    for t in span.root.children:
        if t.dep_ in _DESCRIBERS and t.pos_ in ("NOUN", "ADJ"):
            out.append(_lemma(t))
    for t in span:
        if t is not span.root and t.pos_ in ("NOUN",) and t.dep_ == "compound":
            out.append(_lemma(t))
    if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":
        out.append(_lemma(span.root.head))
    return out


def _head_word(span: Span) -> str:
    head = span.root
    if head.pos_ == "PRON":
        return "PRON:" + head.lower_
    return _lemma(head)


def _path(a: Token, b: Token) -> tuple[list[Token], list[Token], Token] | None:
    """Tokens from ``a`` up to the lowest common ancestor and from ``b`` up to it (both
    excluding it), and the ancestor; None when the two are not in one tree."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    up_b: list[Token] = []
    for t in (b, *b.ancestors):
        if t.i in index:
            return up_a[: index[t.i]], up_b, t
        up_b.append(t)
    return None


def _prep_of(tok: Token) -> str:
    """The preposition a noun hangs from ("in" for "compounds in Myanmar"), or its own dep."""
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
        return tok.head.lower_
    return ""


@lru_cache(maxsize=1)
def _triggers() -> dict[str, tuple[str, ...]]:
    """Trigger lemma -> relations of the default verb/noun frames: a frame's word on the path
    is evidence for its relation even where the frame's argument pattern did not match."""
    from graph.extract.frames import load_frames

    out: dict[str, set[str]] = {}
    for frame in load_frames():
        for lemma in frame.lemmas:
            out.setdefault(lemma, set()).add(frame.relation)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "far"


def pair_features(subject: Span, obj: Span, sentence: Span, rules: Iterable[SpanClaim],
                  reverse_rules: Iterable[SpanClaim]) -> dict[str, float]:
    """Sparse features of one ordered pair (names are strings; values mostly 1.0)."""
    f: dict[str, float] = {}
    ts, to = subject._.ng_type or "Thing", obj._.ng_type or "Thing"
    tp = f"{ts}>{to}"
    f["tp=" + tp] = 1.0
    f["ls=" + subject.label_] = 1.0
    f["lo=" + obj.label_] = 1.0
    hs, ho = _head_word(subject), _head_word(obj)
    f["hs=" + hs] = 1.0
    f["ho=" + ho] = 1.0
    for w in _describers(subject):
        f["sdesc=" + w] = 1.0
        f[f"sdesc={w}|{to}"] = 1.0
    for w in _describers(obj):
        f["odesc=" + w] = 1.0
        f[f"odesc={w}|{ts}"] = 1.0
    forward = subject.start < obj.start
    f["dir=" + ("fwd" if forward else "rev")] = 1.0
    inner = subject.start >= obj.start and subject.end <= obj.end or obj.start >= subject.start and obj.end <= subject.end
    if inner:
        f["nested=" + ("s_in_o" if subject.end - subject.start < obj.end - obj.start else "o_in_s")] = 1.0
        f["nested|" + tp] = 1.0
    first, second = (subject, obj) if forward else (obj, subject)
    gap = max(second.start - first.end, 0)
    f["gap=" + _bucket(gap)] = 1.0
    f[f"gap={_bucket(gap)}|{tp}"] = 1.0
    doc = subject.doc
    if not inner and gap <= 10:
        between = doc[first.end: second.start]
        words = [_lemma(t) for t in between if not t.is_space]
        triggers = _triggers()
        for w in words:
            if not (w.isalpha() and len(w) <= 2 and w not in ("in", "of", "on", "by", "to", "at")):
                f["bw=" + w] = 1.0
            for rel in triggers.get(w, ()):
                f[f"btrig={rel}|{tp}"] = 1.0
        if not words:
            f["adjacent|" + tp] = 1.0
        elif len(words) <= 3:
            f[f"bw_all={' '.join(words)}|{tp}"] = 1.0
    if first.start > sentence.start:
        f["before=" + _lemma(doc[first.start - 1])] = 1.0
    if second.end < sentence.end:
        f["after=" + _lemma(doc[second.end])] = 1.0
    ps, po = _prep_of(subject.root), _prep_of(obj.root)
    f[f"ds={subject.root.dep_}|{ps}"] = 1.0
    f[f"do={obj.root.dep_}|{po}"] = 1.0
    f[f"do={obj.root.dep_}|{po}|{tp}"] = 1.0
    f[f"ds={subject.root.dep_}|{ps}|{tp}"] = 1.0
    path = None if inner else _path(subject.root, obj.root)
    if path is not None:
        up, down, lca = path
        lca_lemma = "SUBJ" if not up else "OBJ" if not down else _lemma(lca)
        f["lca=" + lca_lemma] = 1.0
        f[f"lca={lca_lemma}|{tp}"] = 1.0
        f["plen=" + _bucket(len(up) + len(down))] = 1.0
        deps_up = "<".join(t.dep_ for t in up)
        deps_down = ">".join(t.dep_ for t in reversed(down))
        f[f"pdep={deps_up}^{deps_down}"] = 1.0
        f[f"pdep={deps_up}^{deps_down}|{tp}"] = 1.0
        if len(up) + len(down) <= 4:
            f[f"ptrig={deps_up}^{lca_lemma}^{deps_down}"] = 1.0
        triggers = _triggers()
        for t in (*up[1:], *down[1:], lca):
            lemma = _lemma(t)
            if t is not lca and t.pos_ in ("VERB", "NOUN", "ADP", "ADJ", "AUX"):
                f["pon=" + lemma] = 1.0
                f[f"pon={lemma}|{tp}"] = 1.0
            for rel in triggers.get(lemma, ()):
                f["trig=" + rel] = 1.0
                f[f"trig={rel}|{tp}"] = 1.0
        neg, hedged = modality(lca)
        if neg:
            f["neg"] = 1.0
        if hedged:
            f["hedged"] = 1.0
        if lca.pos_ in ("VERB", "AUX"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in lca.children)
            f[f"lca_voice={'pass' if passive else 'act'}|{tp}"] = 1.0
    else:
        f["nopath"] = 1.0
    for c in rules:
        f["r=" + c.relation] = 1.0
        f[f"r={c.relation}|{c.extractor.split(':', 1)[0]}"] = 1.0
        f["rx=" + c.extractor] = 1.0
        f[f"rconf={c.relation}"] = max(f.get(f"rconf={c.relation}", 0.0), c.confidence)
        if c.negated:
            f["r_neg"] = 1.0
        if c.hedged:
            f["r_hedged"] = 1.0
    for c in reverse_rules:
        f["rr=" + c.relation] = 1.0
    return f


def candidates(doc: Doc, max_gap: int = MAX_GAP) -> list[Candidate]:
    """Every ordered pair of a sentence's mentions within ``max_gap`` tokens, and every pair
    a rule claimed, with features (literal-object claims are not pairs)."""
    mentions = [m for m in doc.spans.get(MENTIONS_KEY, []) if (m._.ng_type or "Thing") not in SKIP_TYPES]
    rule_claims = [c for c in (doc._.ng_claims or []) if isinstance(c.obj, Span)]
    by_pair: dict[tuple[int, int, int, int], list[SpanClaim]] = {}
    for c in rule_claims:
        by_pair.setdefault((c.subject.start, c.subject.end, c.obj.start, c.obj.end), []).append(c)
    out: list[Candidate] = []
    sents = list(doc.sents)
    starts = [s.start for s in sents]
    buckets: list[list[Span]] = [[] for _ in sents]
    import bisect

    def sent_index(tok: int) -> int:
        return max(bisect.bisect_right(starts, tok) - 1, 0)

    for m in mentions:
        buckets[sent_index(m.start)].append(m)
    seen: set[tuple[int, int, int, int]] = set()
    for si, sent in enumerate(sents):
        ms = buckets[si]
        for a in ms:
            for b in ms:
                if a is b or (a.start, a.end) == (b.start, b.end):
                    continue
                gap = b.start - a.end if a.start < b.start else a.start - b.end
                if gap > max_gap:
                    continue
                key = (a.start, a.end, b.start, b.end)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Candidate(a, b, sent))
    # pairs only the rules found (pronouns, spans the mention list lacks, across sentences)
    for key, claims in by_pair.items():
        if key in seen:
            continue
        seen.add(key)
        c = claims[0]
        out.append(Candidate(c.subject, c.obj, c.evidence if c.evidence is not None else sents[sent_index(c.subject.start)]))
    for cand in out:
        key = (cand.subject.start, cand.subject.end, cand.obj.start, cand.obj.end)
        cand.rules = by_pair.get(key, [])
        rev = by_pair.get((key[2], key[3], key[0], key[1]), [])
        cand.features = pair_features(cand.subject, cand.obj, cand.sentence, cand.rules, rev)
    return out


# ------------------------------------------------------------------------------ the model


@dataclass(slots=True)
class RelationModel:
    """A multinomial linear model over sparse pair features."""

    classes: list[str]
    features: dict[str, int]
    coef: np.ndarray  # (n_features, n_classes) float32
    intercept: np.ndarray  # (n_classes,)
    threshold: float = 0.5
    thresholds: dict[str, float] = field(default_factory=dict)  # per relation, where CV chose one
    meta: dict = field(default_factory=dict)

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Class probabilities, one row per feature dict."""
        scores = np.tile(self.intercept.astype(np.float64), (len(rows), 1))
        for i, row in enumerate(rows):
            idx = [self.features[k] for k in row if k in self.features]
            if not idx:
                continue
            vals = np.array([row[k] for k in row if k in self.features], dtype=np.float64)
            scores[i] += vals @ self.coef[idx].astype(np.float64)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def threshold_for(self, relation: str) -> float:
        return self.thresholds.get(relation, self.threshold)

    def save(self, path: str | Path) -> Path:
        """Write the model as one ``.npz`` (``path`` a file, or a folder that gets ``relation_model.npz``)."""
        path = Path(path)
        if path.suffix != ".npz":
            path.mkdir(parents=True, exist_ok=True)
            path = path / "relation_model.npz"
        names = sorted(self.features, key=self.features.__getitem__)
        meta = dict(self.meta, threshold=self.threshold, thresholds=self.thresholds)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            classes=np.array(self.classes),
            features=np.array(names),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> RelationModel:
        return _load(str(Path(path).resolve()))


@lru_cache(maxsize=8)
def _load(path: str) -> RelationModel:
    p = Path(path)
    if p.is_dir():
        p = p / "relation_model.npz"
    try:
        with np.load(p, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            names = [str(x) for x in z["features"]]
            return RelationModel(
                classes=[str(x) for x in z["classes"]],
                features={n: i for i, n in enumerate(names)},
                coef=z["coef"],
                intercept=z["intercept"],
                threshold=float(meta.get("threshold", 0.5)),
                thresholds={k: float(v) for k, v in meta.get("thresholds", {}).items()},
                meta=meta,
            )
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(f"{p}: not a newsgraph relation model ({err})") from err


def decisions(cands: list, model: RelationModel, min_confidence: float | None = None) -> list[tuple]:
    """``(candidate, relation, probability, negated, hedged, source, extractor)`` for each
    candidate whose best relation clears its threshold (``min_confidence`` overrides the
    model's thresholds), or that a rule claimed and the model does not rule out (its
    probability for the rule's relation at least the model's ``rule_floor``).  The
    extractor is ``model`` or ``model:<rule>``.  Works on any candidate with ``features``
    and ``rules`` (span or plain objects)."""
    if not cands:
        return []
    probs = model.probabilities([c.features for c in cands])
    out: list[tuple] = []
    index = {c: i for i, c in enumerate(model.classes)}
    none = index[NONE]
    rule_floor = float(model.meta.get("rule_floor", 0.0))
    if min_confidence is not None:
        rule_floor = max(rule_floor, min_confidence)
    for cand, row in zip(cands, probs, strict=True):
        ranked = row.copy()
        ranked[none] = -1.0
        best = int(np.argmax(ranked))
        chosen: dict[str, float] = {}
        relation, p = model.classes[best], float(row[best])
        if p >= (model.threshold_for(relation) if min_confidence is None else min_confidence):
            chosen[relation] = p
        # a rule's relation stands unless the model all but rules it out
        for c in cand.rules:
            # a relation the model never learnt (a user's own rules) keeps the rule's confidence
            q = float(row[index[c.relation]]) if c.relation in index else c.confidence
            if c.relation not in chosen and q >= rule_floor:
                chosen[c.relation] = q
        for relation, p in chosen.items():
            same = [c for c in cand.rules if c.relation == relation]
            if same:
                negated, hedged = same[0].negated, same[0].hedged
            else:
                negated, hedged = "neg" in cand.features, "hedged" in cand.features
            source = next((c.source for c in [*same, *cand.rules] if c.source is not None), None)
            extractor = f"{EXTRACTOR}:{same[0].extractor}" if same else EXTRACTOR
            out.append((cand, relation, round(p, 3), negated, hedged, source, extractor))
    return out


def decide(cands: list[Candidate], model: RelationModel, min_confidence: float | None = None) -> list[SpanClaim]:
    """Claims for the candidates whose best relation clears its threshold."""
    return [
        SpanClaim(cand.subject, relation, cand.obj, cand.sentence, p, extractor,
                  negated=negated, hedged=hedged, source=source)
        for cand, relation, p, negated, hedged, source, extractor in decisions(cands, model, min_confidence)
    ]


class RelationDecider:
    """spaCy component: replaces the rules' entity claims by the model's decisions."""

    def __init__(self, model_path: str | None = None, min_confidence: float | None = None) -> None:
        self.model_path = model_path or str(DEFAULT_MODEL)
        self.min_confidence = min_confidence
        self._model: RelationModel | None = None

    @property
    def model(self) -> RelationModel:
        if self._model is None:
            self._model = RelationModel.load(self.model_path)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        cands = candidates(doc)
        literal = [c for c in (doc._.ng_claims or []) if not isinstance(c.obj, Span)]
        doc._.ng_claims = literal + decide(cands, self.model, self.min_confidence)
        return doc


@Language.factory(
    "newsgraph_relation_model",
    requires=["doc.sents", "token.dep", "token.lemma", "doc.spans"],
    assigns=["doc._.ng_claims"],
    default_config={"model_path": None, "min_confidence": None},
)
def make_relation_model(nlp: Language, name: str, model_path: str | None,
                        min_confidence: float | None) -> RelationDecider:
    decider = RelationDecider(model_path, min_confidence)
    decider.model  # noqa: B018  (load now: a bad model file fails at start-up, not mid-build)
    return decider
