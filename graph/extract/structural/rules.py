"""Declarative structural rules: ``graph/rules/structural.toml`` read into ``Rule`` objects.

A rule is a tree shape (implemented once in the family modules, listed in ``SHAPES``) plus
the words, types, relation, confidence and literal id that make one pattern of it.  The
header of the TOML file documents every key.  Each object a shape finds goes to the first
rule of that shape, in file order, that fits it (``Rule.fits``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from spacy.tokens import Span

from graph.errors import RulesError
from graph.model import EntityType
from graph.rules import Rules, thaw
from graph.rules import default_rules as merged_defaults

SHAPES = frozenset({
    "descriptor", "demonym-apposition", "name-prep", "clause", "hometown", "possessor", "home",
    "org-modifier", "org-prep", "participle", "headquarters", "org-apposition", "body-of", "operations",
    "place-possessive", "place-in", "place-apposition", "near",
})
#: descriptor shapes of a person (see people.person_descriptors)
DESCRIPTOR_SHAPES = ("title", "apposition", "copula", "named")
#: where a shape's objects come from
SOURCES = frozenset({"mods", "preps", "demonyms", "based", "appos", "object"})
TYPES = frozenset(t.value for t in EntityType)
#: title classes of a descriptor (descriptors.title_class), "none" (no title) and "any"
TITLES = frozenset({"leader", "national-leader", "role", "member", "killer", "residence", "partof", "none", "any"})
KEYS = frozenset({
    "id", "ids", "shape", "relation", "confidence", "absolute", "title", "objects", "words", "preps",
    "subject_types", "object_types", "named_types", "exclude_demonyms", "examples",
})


@dataclass(frozen=True, slots=True)
class Example:
    """A sentence a rule must give a claim on (run by tests/extract/test_structural_rules.py)."""

    text: str
    claim: tuple[str, str, str]  # subject text, relation, object text
    id: str  # the rule id the claim must carry


@dataclass(frozen=True, slots=True)
class Rule:
    """One declarative structural rule (see the header of ``graph/rules/structural.toml``)."""

    shape: str
    relation: str
    id: str = ""
    ids: Mapping[str, str] = field(default_factory=dict)  # descriptor shape -> id
    confidence: float = 0.0
    absolute: bool = False
    title: str | None = None
    objects: tuple[str, ...] = ("object",)
    words: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()
    subject_types: frozenset[str] = frozenset()
    object_types: Mapping[str, float | None] = field(default_factory=dict)  # type -> confidence (None: the rule's)
    named_types: frozenset[str] = frozenset()
    exclude_demonyms: bool = False
    examples: tuple[Example, ...] = ()

    def all_ids(self) -> list[str]:
        return [self.id] if self.id else list(self.ids.values())

    def fits(self, source: str, prep: str | None, subject: Span | None, obj: Span, is_name: bool,
             word: str | None = None, title: str | None = None) -> bool:
        """Whether an object found through ``source`` (and preposition ``prep``) is this rule's;
        ``word`` is the shape's trigger word (verb lemma, participle), ``title`` a descriptor's
        title class (None: "none")."""
        if source not in self.objects:
            return False
        if self.words and word not in self.words:
            return False
        if self.title not in (None, "any") and (title or "none") != self.title:
            return False
        if self.preps and source in ("preps", "object") and prep not in self.preps:
            return False
        if self.subject_types and (subject is None or subject._.ng_type not in self.subject_types):
            return False
        t = obj._.ng_type
        if self.object_types and t not in self.object_types:
            return False
        return t not in self.named_types or is_name

    def confidence_for(self, obj: Span, base: float = 0.0) -> float:
        """The claim's confidence: the rule's (or its object type's), added to ``base`` for a
        descriptor rule that is not ``absolute``."""
        value = self.object_types.get(obj._.ng_type) if self.object_types else None
        conf = self.confidence if value is None else value
        return conf if self.absolute or self.shape != "descriptor" else base + conf


def _strings(rule: dict[str, Any], key: str, where: str) -> list[str]:
    value = rule.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}: {key} must be a list of strings")
    return value


def _types(names: Iterable[str], where: str) -> None:
    for name in names:
        if name not in TYPES:
            raise RulesError(f"{where}: unknown entity type {name!r} (one of {', '.join(sorted(TYPES))})")


def parse_rule(raw: dict[str, Any], where: str) -> Rule:
    """One ``[[rule]]`` table as a ``Rule``; a clear ``RulesError`` for anything malformed."""
    unknown = set(raw) - KEYS
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    shape = raw.get("shape")
    if shape not in SHAPES:
        raise RulesError(f"{where}: shape must be one of {', '.join(sorted(SHAPES))}, not {shape!r}")
    relation = raw.get("relation")
    if not isinstance(relation, str) or not relation:
        raise RulesError(f"{where}: relation missing")
    if "title" in raw and raw["title"] not in TITLES:
        raise RulesError(f"{where}: title must be one of {', '.join(sorted(TITLES))}, not {raw['title']!r}")
    rule_id, ids = raw.get("id", ""), raw.get("ids", {})
    if shape == "descriptor":
        if not isinstance(raw.get("title"), str):
            raise RulesError(f"{where}: a descriptor rule needs a title (a title class, \"none\" or \"any\")")
        if rule_id or not ids or set(ids) - set(DESCRIPTOR_SHAPES):
            raise RulesError(f"{where}: a descriptor rule has ids = {{title|apposition|copula|named = id}}")
    elif not isinstance(rule_id, str) or not rule_id or ids:
        raise RulesError(f"{where}: id missing")
    for i in [rule_id] if rule_id else ids.values():
        if not isinstance(i, str) or not i.startswith("structural:"):
            raise RulesError(f"{where}: rule id {i!r} must start with 'structural:'")
    objects = _strings(raw, "objects", where) or ["object"]
    if set(objects) - SOURCES:
        raise RulesError(f"{where}: objects must be among {', '.join(sorted(SOURCES))}")
    types_raw = raw.get("object_types", [])
    if isinstance(types_raw, dict):
        object_types = {k: float(v) for k, v in types_raw.items()}
    else:
        object_types = dict.fromkeys(_strings(raw, "object_types", where))
    subject_types = _strings(raw, "subject_types", where)
    named_types = _strings(raw, "named_types", where)
    _types([*object_types, *subject_types, *named_types], where)
    confidence = raw.get("confidence", 0.0)
    if not isinstance(confidence, int | float):
        raise RulesError(f"{where}: confidence must be a number")
    examples = []
    for n, ex in enumerate(raw.get("examples", [])):
        claim = ex.get("claim") if isinstance(ex, dict) else None
        if not (isinstance(claim, list) and len(claim) == 3 and isinstance(ex.get("text"), str)):
            raise RulesError(f"{where}: examples[{n}] needs text and claim = [subject, relation, object]")
        example_id = ex.get("id", rule_id)
        if example_id not in ([rule_id] if rule_id else list(ids.values())):
            raise RulesError(f"{where}: examples[{n}] names id {example_id!r}, not one of this rule's")
        examples.append(Example(ex["text"], tuple(claim), example_id))
    if not examples:
        raise RulesError(f"{where}: a rule needs at least one example")
    return Rule(
        shape=shape, relation=relation, id=rule_id, ids=dict(ids), confidence=float(confidence),
        absolute=bool(raw.get("absolute", False)), title=raw.get("title"), objects=tuple(objects),
        words=frozenset(_strings(raw, "words", where)), preps=frozenset(_strings(raw, "preps", where)),
        subject_types=frozenset(subject_types), object_types=object_types, named_types=frozenset(named_types),
        exclude_demonyms=bool(raw.get("exclude_demonyms", False)), examples=tuple(examples),
    )


def _file_rules(raws: Iterable[dict[str, Any]], path: str) -> list[Rule]:
    """One file's ``[[rule]]`` tables as rules; an id used twice in one file is an error."""
    rules = [parse_rule(raw, f"{path}: rule {n + 1}") for n, raw in enumerate(raws)]
    seen: set[str] = set()
    for rule in rules:
        for i in rule.all_ids():
            if i in seen:
                raise RulesError(f"{path}: rule id {i!r} used twice")
            seen.add(i)
    return rules


def read_rules(path: Path) -> tuple[Rule, ...]:
    """The ``[[rule]]`` tables of a structural rules file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise RulesError(f"{path}: cannot read structural rules: {err}") from err
    return tuple(_file_rules(data.get("rule", []), str(path)))


def rules_of(merged: Rules) -> tuple[Rule, ...]:
    """The ``[[rule]]`` tables of merged rules files (``graph.rules.load_rules``: the shipped
    structural.toml, then the user's ``--rules`` files); a rule whose id(s) an earlier rule
    has replaces it in place, so a user file can change a shipped rule or add new ones."""
    out: list[Rule] = []
    for path, group in groupby(merged.structural, key=itemgetter(0)):
        for rule in _file_rules((thaw(raw) for _, raw in group), path):
            ids = set(rule.all_ids())
            same = [i for i, r in enumerate(out) if ids & set(r.all_ids())]
            if same:
                out[same[0]] = rule
                out = [r for i, r in enumerate(out) if i not in same[1:]]
            else:
                out.append(rule)
    return tuple(out)


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    """The shipped rules (``graph/rules/structural.toml``, read by the one rules loader)."""
    return rules_of(merged_defaults())


class RuleBook:
    """Rules by shape, in file order, and every rule id with the relations it may claim."""

    def __init__(self, rules: Iterable[Rule], python_ids: Mapping[str, frozenset[str]]) -> None:
        self.rules = tuple(rules)
        self.by_shape: dict[str, tuple[Rule, ...]] = {
            s: tuple(r for r in self.rules if r.shape == s) for s in SHAPES
        }
        registry = {k: set(v) for k, v in python_ids.items()}
        for rule in self.rules:
            for i in rule.all_ids():
                registry.setdefault(i, set()).add(rule.relation)
        self.ids: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in registry.items()}
        self._words = {s: frozenset().union(*(r.words for r in self.by_shape[s])) for s in SHAPES}
        self._preps = {s: frozenset().union(*(r.preps for r in self.by_shape[s])) for s in SHAPES}

    def __getitem__(self, shape: str) -> tuple[Rule, ...]:
        return self.by_shape[shape]

    def first(self, shape: str, source: str, prep: str | None, subject: Span | None, obj: Span,
              is_name: bool, word: str | None = None, title: str | None = None) -> Rule | None:
        """The first rule of ``shape`` that fits an object, or None."""
        for rule in self.by_shape[shape]:
            if rule.fits(source, prep, subject, obj, is_name, word, title):
                return rule
        return None

    def object_types(self, shape: str) -> frozenset[str]:
        """The object types any rule of a shape accepts (to look objects up before matching)."""
        return frozenset().union(*(r.object_types for r in self.by_shape[shape]))

    def preps(self, shape: str) -> frozenset[str]:
        """The prepositions any rule of a shape reads."""
        return self._preps[shape]

    def words(self, shape: str) -> frozenset[str]:
        """The trigger words of all rules of a shape (to find candidates before matching)."""
        return self._words[shape]
