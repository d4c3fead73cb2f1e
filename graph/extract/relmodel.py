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

import bisect
import json
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph.errors import ModelError
from graph.extract.attribution import modality
from graph.extract.doc import MENTIONS_KEY, SpanClaim

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


class _Tokens:
    """Per-token attributes of a Doc as plain lists, read once: features look tokens up by
    index thousands of times per document, and each ``doc[i]`` makes a new Token object."""

    __slots__ = ("doc", "lemma", "pos", "dep", "head", "space", "children", "_modality")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lemma, self.pos, self.dep, self.head, self.space = [], [], [], [], []
        for t in doc:
            self.lemma.append(_lemma(t))
            self.pos.append(t.pos_)
            self.dep.append(t.dep_)
            self.head.append(t.head.i)
            self.space.append(t.is_space)
        self.children: list[list[int]] = [[] for _ in self.head]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        self._modality: dict[int, tuple[bool, bool]] = {}

    def up(self, i: int) -> list[int]:
        """``i`` and its ancestors up to the root."""
        out = [i]
        while self.head[out[-1]] != out[-1] and len(out) < 200:
            out.append(self.head[out[-1]])
        return out

    def path(self, a: int, b: int) -> tuple[list[int], list[int], int] | None:
        """Tokens from ``a`` up to the lowest common ancestor and from ``b`` up to it (both
        excluding it), and the ancestor; None when the two are not in one tree."""
        up_a = self.up(a)
        index = {t: n for n, t in enumerate(up_a)}
        up_b: list[int] = []
        for t in self.up(b):
            if t in index:
                return up_a[: index[t]], up_b, t
            up_b.append(t)
        return None

    def modality(self, i: int) -> tuple[bool, bool]:
        hit = self._modality.get(i)
        if hit is None:
            hit = self._modality[i] = modality(self.doc[i])
        return hit


@dataclass(slots=True)
class _MentionInfo:
    """What the features need of one mention, computed once however many pairs it is in."""

    start: int
    end: int
    root: int
    type: str
    label: str
    head_word: str
    describers: list[str]
    prep: str


def _mention_info(span: Span) -> _MentionInfo:
    root = span.root
    return _MentionInfo(span.start, span.end, root.i, span._.ng_type or "Thing", span.label_,
                        _head_word(span), _describers(span), _prep_of(root))


def pair_features(s: _MentionInfo, o: _MentionInfo, sentence: Span, tokens: _Tokens,
                  rules: Iterable[SpanClaim], reverse_rules: Iterable[SpanClaim]) -> dict[str, float]:
    """Sparse features of one ordered pair (names are strings; values mostly 1.0)."""
    f: dict[str, float] = {}
    ts, to = s.type, o.type
    tp = f"{ts}>{to}"
    f["tp=" + tp] = 1.0
    f["ls=" + s.label] = 1.0
    f["lo=" + o.label] = 1.0
    f["hs=" + s.head_word] = 1.0
    f["ho=" + o.head_word] = 1.0
    for w in s.describers:
        f["sdesc=" + w] = 1.0
        f[f"sdesc={w}|{to}"] = 1.0
    for w in o.describers:
        f["odesc=" + w] = 1.0
        f[f"odesc={w}|{ts}"] = 1.0
    forward = s.start < o.start
    f["dir=" + ("fwd" if forward else "rev")] = 1.0
    inner = s.start >= o.start and s.end <= o.end or o.start >= s.start and o.end <= s.end
    if inner:
        f["nested=" + ("s_in_o" if s.end - s.start < o.end - o.start else "o_in_s")] = 1.0
        f["nested|" + tp] = 1.0
    first, second = (s, o) if forward else (o, s)
    gap = max(second.start - first.end, 0)
    f["gap=" + _bucket(gap)] = 1.0
    f[f"gap={_bucket(gap)}|{tp}"] = 1.0
    lemma = tokens.lemma
    triggers = _triggers()
    if not inner and gap <= 10:
        words = [lemma[i] for i in range(first.end, second.start) if not tokens.space[i]]
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
        f["before=" + lemma[first.start - 1]] = 1.0
    if second.end < sentence.end:
        f["after=" + lemma[second.end]] = 1.0
    dep = tokens.dep
    ds, do = dep[s.root], dep[o.root]
    f[f"ds={ds}|{s.prep}"] = 1.0
    f[f"do={do}|{o.prep}"] = 1.0
    f[f"do={do}|{o.prep}|{tp}"] = 1.0
    f[f"ds={ds}|{s.prep}|{tp}"] = 1.0
    path = None if inner else tokens.path(s.root, o.root)
    if path is not None:
        up, down, lca = path
        lca_lemma = "SUBJ" if not up else "OBJ" if not down else lemma[lca]
        f["lca=" + lca_lemma] = 1.0
        f[f"lca={lca_lemma}|{tp}"] = 1.0
        f["plen=" + _bucket(len(up) + len(down))] = 1.0
        deps_up = "<".join(dep[t] for t in up)
        deps_down = ">".join(dep[t] for t in reversed(down))
        f[f"pdep={deps_up}^{deps_down}"] = 1.0
        f[f"pdep={deps_up}^{deps_down}|{tp}"] = 1.0
        if len(up) + len(down) <= 4:
            f[f"ptrig={deps_up}^{lca_lemma}^{deps_down}"] = 1.0
        pos = tokens.pos
        for t in (*up[1:], *down[1:], lca):
            w = lemma[t]
            if t != lca and pos[t] in ("VERB", "NOUN", "ADP", "ADJ", "AUX"):
                f["pon=" + w] = 1.0
                f[f"pon={w}|{tp}"] = 1.0
            for rel in triggers.get(w, ()):
                f["trig=" + rel] = 1.0
                f[f"trig={rel}|{tp}"] = 1.0
        neg, hedged = tokens.modality(lca)
        if neg:
            f["neg"] = 1.0
        if hedged:
            f["hedged"] = 1.0
        if pos[lca] in ("VERB", "AUX"):
            passive = any(dep[c] in ("nsubjpass", "auxpass") for c in tokens.children[lca])
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
    if not out:
        return out
    tokens = _Tokens(doc)
    infos: dict[tuple[int, int], _MentionInfo] = {}

    def info(span: Span) -> _MentionInfo:
        hit = infos.get((span.start, span.end))
        if hit is None:
            hit = infos[span.start, span.end] = _mention_info(span)
        return hit

    for cand in out:
        key = (cand.subject.start, cand.subject.end, cand.obj.start, cand.obj.end)
        cand.rules = by_pair.get(key, [])
        rev = by_pair.get((key[2], key[3], key[0], key[1]), [])
        cand.features = pair_features(info(cand.subject), info(cand.obj), cand.sentence, tokens, cand.rules, rev)
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
        """Class probabilities, one row per feature dict (unknown features are ignored)."""
        index = self.features
        scores = np.tile(self.intercept.astype(np.float64), (len(rows), 1))
        for r, row in enumerate(rows):
            known = [(index[k], v) for k, v in row.items() if k in index]
            if known:
                idx, vals = zip(*known, strict=True)
                scores[r] += np.asarray(vals) @ self.coef[list(idx)]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def threshold_for(self, relation: str) -> float:
        return self.thresholds.get(relation, self.threshold)

    def calibrated(self, p: float) -> float:
        """The probability mapped to the precision claims of that probability had on held-out
        folds (an isotonic fit stored as knots in ``meta["calibration"]``); ``p`` without one."""
        knots = self.meta.get("calibration")
        if not knots:
            return p
        return float(np.interp(p, knots["x"], knots["y"]))

    def save(self, path: str | Path) -> Path:
        """Write the model as one ``.npz`` (``path`` a file, or a folder that gets ``relation_model.npz``)."""
        path = Path(path)
        if path.suffix != ".npz":
            path.mkdir(parents=True, exist_ok=True)
            path = path / "relation_model.npz"
        names = sorted(self.features, key=self.features.__getitem__)
        meta = dict(self.meta, threshold=self.threshold, thresholds=self.thresholds)
        arrays = {
            "classes": np.array(self.classes),
            "features": np.array(names),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
            "meta": np.array(json.dumps(meta, sort_keys=True)),
        }
        tmp = path.with_name(path.name + ".tmp")
        # an .npz written member by member with a fixed date: the same model gives the same bytes
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w") as fh:
                    np.lib.format.write_array(fh, array, allow_pickle=False)
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
    """``(candidate, relation, confidence, negated, hedged, source, extractor)`` for each
    candidate whose best relation clears the model's threshold, or that a rule claimed and
    the model does not rule out (its probability for the rule's relation at least the
    model's ``rule_floor``).  The confidence is the calibrated probability; with
    ``min_confidence`` only claims of at least that confidence are kept.  The extractor is
    ``model`` or ``model:<rule>``.  Works on any candidate with ``features`` and ``rules``
    (span or plain objects)."""
    if not cands:
        return []
    probs = model.probabilities([c.features for c in cands])
    out: list[tuple] = []
    index = {c: i for i, c in enumerate(model.classes)}
    none = index[NONE]
    rule_floor = float(model.meta.get("rule_floor", 0.0))
    multi = bool(model.meta.get("multi_label", False))  # trained with one row per relation of a pair
    for cand, row in zip(cands, probs, strict=True):
        chosen: dict[str, float] = {}
        if multi:  # every relation that clears its threshold (a pair can carry two)
            for k in np.argsort(-row, kind="stable"):
                relation, p = model.classes[k], float(row[k])
                if k != none and p >= model.threshold_for(relation):
                    chosen[relation] = p
        else:
            ranked = row.copy()
            ranked[none] = -1.0
            best = int(np.argmax(ranked))
            relation, p = model.classes[best], float(row[best])
            if p >= model.threshold_for(relation):
                chosen[relation] = p
        # a rule's relation stands unless the model all but rules it out
        for c in cand.rules:
            # a relation the model never learnt (a user's own rules) keeps the rule's confidence
            q = float(row[index[c.relation]]) if c.relation in index else c.confidence
            if c.relation not in chosen and q >= rule_floor:
                chosen[c.relation] = q
        for relation, p in chosen.items():
            same = [c for c in cand.rules if c.relation == relation]
            if relation in index:
                p = model.calibrated(p)
                if min_confidence is not None and p < min_confidence:
                    continue
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
