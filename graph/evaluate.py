"""Evaluate a graph against gold annotations (``docs/annotation-format.md``).

Gold files are TSV (subject, relation, object, evidence) with ``# aliases:`` lines; one
file per document, matched to the graph's document by base name.  Predicted triples are
read per document from the ``rdf:Statement`` reification (``prov:wasDerivedFrom`` the
document), leaving out negated and hedged statements.  Names are compared after
lower-casing, dropping punctuation and a leading article and mapping aliases (the gold's
and the graph's own ``rdfs:label``/``skos:altLabel``); *strict* needs equal names,
*relaxed* accepts one name's words containing the other's.  ``estimates`` objects match
when their leading figure is the same number.  Scores are micro-averaged over documents.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from rdflib import Graph, Literal, URIRef

from graph.errors import InputError
from graph.rdf.namespaces import DCTERMS, NG, PROV, RDF, RDFS, SKOS, relation_key

log = logging.getLogger("newsgraph")

MODES = ("strict", "relaxed")
_ESTIMATES = relation_key("estimates")

# ---------------------------------------------------------------------------- names


def normalize(name: str) -> str:
    """Comparison form: NFKC, lower-case, possessive and punctuation dropped, leading article dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = text.split()
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")


def leading_figure(text: str) -> float | None:
    """The first number in a quantity phrase ("at least 53 scam centers" -> 53.0).

    Digits (with thousands separators), number words ("nine"), simple fractions
    ("two-thirds") and a following scale word ("12.5 billion") are understood.
    """
    words = re.findall(r"[a-z]+|\d+(?:[.,]\d+)*", unicodedata.normalize("NFKC", text).casefold())
    for i, word in enumerate(words):
        value: float | None = None
        if _NUM_RE.fullmatch(word):
            digits = word
            if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
                digits = digits.replace(",", "")
            else:
                digits = digits.replace(",", ".")
            try:
                value = float(digits)
            except ValueError:
                continue
        elif word in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[word])
            if i + 1 < len(words) and words[i + 1] in _FRACTIONS:
                return value / _FRACTIONS[words[i + 1]]
        if value is None:
            continue
        if i + 1 < len(words) and words[i + 1] in _SCALES:
            value *= _SCALES[words[i + 1]]
        return value
    return None


# ---------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldTriple:
    subject: str
    relation: str
    obj: str
    evidence: str = ""
    line: int = 0


@dataclass(slots=True)
class GoldFile:
    """One gold annotation file: its triples and alias map (normalised alias -> canonical)."""

    path: Path
    triples: list[GoldTriple]
    aliases: dict[str, str]

    @property
    def stem(self) -> str:
        return self.path.stem


def parse_aliases(line: str) -> dict[str, str]:
    """``Canonical=alias1|alias2; Other=...`` -> {normalised alias: normalised canonical}."""
    out: dict[str, str] = {}
    for group in line.split(";"):
        canonical, sep, rest = group.partition("=")
        if not sep or not canonical.strip():
            continue
        canon = normalize(canonical)
        for alias in rest.split("|"):
            if alias.strip():
                out[normalize(alias)] = canon
    return out


def read_gold(path: str | Path) -> GoldFile:
    """Parse one gold ``.tsv`` file; malformed lines are an ``InputError`` naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"cannot read gold file: {err}") from err
    triples: list[GoldTriple] = []
    aliases: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            body = line.lstrip()[1:].strip()
            if body.lower().startswith("aliases:"):
                aliases.update(parse_aliases(body[len("aliases:") :]))
            continue
        cols = line.split("\t")
        if len(cols) < 3 or not all(c.strip() for c in cols[:3]):
            raise InputError(str(path), f"line {number}: expected subject<TAB>relation<TAB>object[<TAB>evidence]")
        triples.append(GoldTriple(cols[0].strip(), cols[1].strip(), cols[2].strip(), cols[3].strip() if len(cols) > 3 else "", number))
    return GoldFile(path=path, triples=triples, aliases=aliases)


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of ``.tsv`` gold files."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.tsv") if p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(str(path), "no such gold file or folder")
    return sorted(set(out))


# ---------------------------------------------------------------------------- predictions


@dataclass(frozen=True, slots=True)
class Name:
    """A node's name as the graph gives it: preferred label plus its other labels."""

    label: str
    forms: frozenset[str]  # normalised label and aliases


@dataclass(frozen=True, slots=True)
class Predicted:
    subject: Name
    relation: str
    obj: Name


def _name(graph: Graph, node: URIRef | Literal) -> Name:
    if isinstance(node, Literal):
        return Name(str(node), frozenset({normalize(str(node))}))
    labels = sorted(str(x) for x in graph.objects(node, RDFS.label))
    alt = sorted(str(x) for x in graph.objects(node, SKOS.altLabel))
    label = labels[0] if labels else str(node).rsplit("/", 1)[-1]
    forms = {normalize(x) for x in [label, *labels, *alt]}
    forms.discard("")
    return Name(label, frozenset(forms))


def document_stems(graph: Graph) -> dict[str, list[URIRef]]:
    """Document IRIs of a graph by base name stem of ``ng:documentKey`` (or ``dcterms:source``)."""
    out: dict[str, list[URIRef]] = {}
    docs = set(graph.subjects(NG.documentKey, None)) | set(graph.subjects(DCTERMS.source, None))
    for doc in sorted(docs):
        if not isinstance(doc, URIRef):
            continue
        stems = set()
        split_off = (doc, NG.relatedTo, None) in graph  # a related story split from a page
        for prop in (NG.documentKey,) if split_off else (NG.documentKey, DCTERMS.source):
            for value in graph.objects(doc, prop):
                path, _, fragment = str(value).replace("\\", "/").partition("#")
                base = PurePosixPath(path).name
                stem = base.rsplit(".", 1)[0] if "." in base else base
                stems.add(f"{stem}#{fragment}" if fragment else stem)
        for stem in stems:
            out.setdefault(stem, []).append(doc)
    return out


def predicted_triples(graph: Graph, doc: URIRef) -> list[Predicted]:
    """Unique (subject label, relation, object) of a document's non-negated, non-hedged statements."""
    seen: dict[tuple[str, str, str], Predicted] = {}
    for st in graph.subjects(PROV.wasDerivedFrom, doc):
        if (st, RDF.type, RDF.Statement) not in graph:
            continue
        if any(v.toPython() is True or str(v).lower() == "true" for p in (NG.negated, NG.hedged) for v in graph.objects(st, p)):
            continue
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        if s is None or p is None or o is None:
            continue
        relation = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        subj, obj = _name(graph, s), _name(graph, o)
        key = (subj.label, relation_key(relation), obj.label)
        if key not in seen:
            seen[key] = Predicted(subj, relation, obj)
    return [seen[k] for k in sorted(seen)]


# ---------------------------------------------------------------------------- matching


def _canon(forms: Iterable[str], aliases: dict[str, str]) -> set[str]:
    out = set()
    for form in forms:
        out.add(aliases.get(form, form))
    return out


def _words_contain(a: str, b: str) -> bool:
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def names_match(gold: str, predicted: Name | str, aliases: dict[str, str], mode: str) -> bool:
    """Whether a gold name and a predicted node name match in ``mode`` (strict or relaxed)."""
    forms = predicted.forms if isinstance(predicted, Name) else frozenset({normalize(predicted)})
    g = aliases.get(normalize(gold), normalize(gold))
    pred_forms = _canon(forms, aliases)
    if g in pred_forms:
        return True
    if mode == "relaxed":
        return any(_words_contain(g, y) for y in pred_forms)
    return False


def objects_match(relation: str, gold: str, predicted: Name, aliases: dict[str, str], mode: str) -> bool:
    if relation_key(relation) == _ESTIMATES:
        figure = leading_figure(gold)
        if figure is not None:
            return any(leading_figure(f) == figure for f in [predicted.label, *predicted.forms])
    return names_match(gold, predicted, aliases, mode)


def triple_matches(gold: GoldTriple, pred: Predicted, aliases: dict[str, str], mode: str) -> bool:
    return (
        relation_key(gold.relation) == relation_key(pred.relation)
        and names_match(gold.subject, pred.subject, aliases, mode)
        and objects_match(gold.relation, gold.obj, pred.obj, aliases, mode)
    )


# ---------------------------------------------------------------------------- report


@dataclass(slots=True)
class Counts:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.right += other.right

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "gold": self.gold, "found": self.found, "predicted": self.predicted, "right": self.right,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class DocumentResult:
    gold_path: str
    document: str | None  # document IRI, None when no document matched
    counts: dict[str, Counts]  # mode -> counts
    missed: list[GoldTriple] = field(default_factory=list)  # gold not found (relaxed)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # predicted not right (relaxed)


@dataclass(slots=True)
class EvalReport:
    """Scores per mode overall and per relation, and per-document details."""

    overall: dict[str, Counts]
    by_relation: dict[str, dict[str, Counts]]  # relation key -> mode -> counts
    documents: list[DocumentResult]
    relation_names: dict[str, str] = field(default_factory=dict)  # key -> display name

    def f1(self, mode: str = "strict") -> float:
        return self.overall[mode].f1

    def as_dict(self) -> dict:
        return {
            "overall": {m: c.as_dict() for m, c in self.overall.items()},
            "relations": {
                self.relation_names.get(k, k): {m: c.as_dict() for m, c in modes.items()}
                for k, modes in sorted(self.by_relation.items())
            },
            "documents": [
                {
                    "gold": d.gold_path,
                    "document": d.document,
                    **{m: c.as_dict() for m, c in d.counts.items()},
                    "missed": [[t.subject, t.relation, t.obj] for t in d.missed],
                    "wrong": [list(t) for t in d.wrong],
                }
                for d in self.documents
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _score_document(gold: GoldFile, preds: list[Predicted], by_relation: dict[str, dict[str, Counts]]) -> dict[str, Counts]:
    counts = {m: Counts() for m in MODES}
    for mode in MODES:
        for g in gold.triples:
            rel = relation_key(g.relation)
            c = by_relation.setdefault(rel, {m: Counts() for m in MODES})[mode]
            hit = any(triple_matches(g, p, gold.aliases, mode) for p in preds)
            c.gold += 1
            counts[mode].gold += 1
            if hit:
                c.found += 1
                counts[mode].found += 1
        for p in preds:
            rel = relation_key(p.relation)
            c = by_relation.setdefault(rel, {m: Counts() for m in MODES})[mode]
            ok = any(triple_matches(g, p, gold.aliases, mode) for g in gold.triples)
            c.predicted += 1
            counts[mode].predicted += 1
            if ok:
                c.right += 1
                counts[mode].right += 1
    return counts


def evaluate(graph: Graph | str | Path, gold_paths: Iterable[str | Path]) -> EvalReport:
    """Score ``graph`` (a graph, or anything ``graph.store.load`` opens) against the gold
    files (or folders of them) in ``gold_paths``."""
    graph = load_graph(graph)
    stems = document_stems(graph)
    overall = {m: Counts() for m in MODES}
    by_relation: dict[str, dict[str, Counts]] = {}
    names: dict[str, str] = {}
    results: list[DocumentResult] = []
    for path in gold_files(gold_paths):
        gold = read_gold(path)
        docs = stems.get(gold.stem, [])
        if not docs:
            log.warning("%s: no document with base name %s in the graph; all its triples count as missed", path, gold.stem)
        preds: list[Predicted] = []
        for doc in docs:
            preds.extend(predicted_triples(graph, doc))
        for t in gold.triples:
            names.setdefault(relation_key(t.relation), t.relation)
        for p in preds:
            names[relation_key(p.relation)] = p.relation
        counts = _score_document(gold, preds, by_relation)
        for m in MODES:
            overall[m].add(counts[m])
        missed = [g for g in gold.triples if not any(triple_matches(g, p, gold.aliases, "relaxed") for p in preds)]
        wrong = [
            (p.subject.label, p.relation, p.obj.label)
            for p in preds
            if not any(triple_matches(g, p, gold.aliases, "relaxed") for g in gold.triples)
        ]
        results.append(DocumentResult(str(path), str(docs[0]) if docs else None, counts, missed, wrong))
    # display names: lowerCamelCase as in the vocabulary when available
    from graph.rdf.namespaces import relation_name

    display = {k: relation_name(v) for k, v in names.items()}
    return EvalReport(overall=overall, by_relation=by_relation, documents=results, relation_names=display)


# ---------------------------------------------------------------------------- loading & output

def load_graph(source: str | Path | Graph) -> Graph:
    """A graph from a file, a build folder, a store, a URL or ``-`` (see ``graph.store.load``)."""
    from graph.store import load

    return load(source)


def render_table(report: EvalReport):  # -> rich.table.Table
    """A rich table: one row per relation plus the overall row, strict and relaxed P/R/F1."""
    from rich.table import Table

    table = Table(
        title="newsgraph eval (micro-averaged over documents)",
        caption="s. = strict, r. = relaxed name matching; P precision, R recall",
    )
    table.add_column("relation", no_wrap=True)
    table.add_column("gold", justify="right")
    table.add_column("pred", justify="right")
    for mode in MODES:
        for col in ("P", "R", "F1"):
            table.add_column(f"{mode[0]}.{col}", justify="right", no_wrap=True)

    def row(name: str, modes: dict[str, Counts], style: str | None = None) -> None:
        cells = [name, str(modes["strict"].gold), str(modes["strict"].predicted)]
        for mode in MODES:
            c = modes[mode]
            cells += [f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}"]
        table.add_row(*cells, style=style)

    for key in sorted(report.by_relation, key=lambda k: report.relation_names.get(k, k)):
        row(report.relation_names.get(key, key), report.by_relation[key])
    table.add_section()
    row("overall", report.overall, style="bold")
    return table
