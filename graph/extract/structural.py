"""Structural relation patterns: relations stated by noun-phrase structure, not by verbs.

``newsgraph_structural`` reads the typed mentions in ``doc.spans["ng_mentions"]`` and the
dependency parse, and APPENDS claims to ``doc._.ng_claims`` (it runs after the verb-frame
component ``newsgraph_relations``; a claim already there with the same subject, relation
and object is not added twice).  Families, each with its own extractor name:

* titles and roles before a name or in an apposition / copula / "named" phrase:
  "Cambodia's Prime Minister Hun Manet", "Chevron spokesman X", "X, a spokesman for Y",
  "X, the British Foreign Secretary", "X is a native of Y" -> leads, worksFor, memberOf,
  livesIn, kills ("King assassin X"), nationality (demonyms of ``[demonyms]`` in ``graph/rules/countries.toml``);
* prepositions on a name: "X of Dallas" (livesIn), "X of/at <org>" (worksFor),
  "<org> in Y", "Y-based <org>", "<org>, based in Y", "<org> headquarters in Y" (basedIn),
  "<place> in Y", "Y's <place>", "Myawaddy, Myanmar" (locatedIn), "near / close to / on
  the border with Y" (locatedNear), "X's operations in Y" (operatesIn), "a unit of Y"
  (partOf), datelines "BANGKOK, Thailand (AP)";
* nominal kills: "the assassination of Y by X", "Y's killer X" (verbs such as "X killed Y"
  and the nominal "closure of its border with Y" are frames of ``newsgraph_relations``).

All patterns are general; confidences reflect how often each pattern is right on news
text (measured on the CoNLL04 dev split with ``benchmarks/conll04.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph import geodata
from graph.extract.dateline import dateline_end
from graph.extract.doc import MENTIONS_KEY, SpanClaim
from graph.model import EntityType
from graph.rules import Rules, default_rules, load_rules

PERSON = EntityType.PERSON.value
ORG = EntityType.ORGANIZATION.value
COUNTRY = EntityType.COUNTRY.value
PLACE = EntityType.PLACE.value
FACILITY = EntityType.FACILITY.value
GROUP = EntityType.GROUP.value

PLACES = {COUNTRY, PLACE}
US_STATES = geodata.us_states()  # for "Jackson, Wyoming, and Gunnison, Colorado"
LOCATABLE = {PLACE, FACILITY, COUNTRY}
EMPLOYERS = {ORG, COUNTRY, PLACE}
PEOPLE = {PERSON, GROUP}

MEMBER_NOUNS = {"member", "members", "militant", "militants", "fighter", "fighters", "activist", "activists"}
KILLER_NOUNS = {"assassin", "killer", "murderer", "slayer", "assassins", "killers", "murderers", "gunman"}
CONVICTED = {"convict", "accuse", "charge", "arrest", "sentence", "indict", "try", "execute", "hang", "suspect",
             "serve", "jail", "imprison", "blame", "confess", "plead"}
KILL_GERUNDS = {"kill", "murder", "assassinate", "slay", "shoot"}
KILL_EVENTS = {"assassination", "killing", "murder", "slaying", "execution"}
HOME_NOUNS = {"hometown", "home", "birthplace", "homeland", "residence"}
RESIDENCE_NOUNS = {"native", "resident", "residents", "citizen", "citizens", "inhabitant", "inhabitants", "natives"}
PARTOF_NOUNS = {
    "unit", "subsidiary", "division", "branch", "arm", "wing", "affiliate", "part", "department",
    "taskforce", "task force", "committee", "subcommittee", "agency", "office", "bureau", "section",
    "chapter", "faction", "offshoot", "member",
}
BODY_NOUNS = {"taskforce", "committee", "commission", "council", "unit", "ministry", "department", "agency", "bureau"}
OPERATION_NOUNS = {"operation", "operations", "activities", "activity", "presence", "business", "businesses"}
# Nouns for people, so "Chinese nationals" is a group with a nationality ("Chinese food" is not).
PEOPLE_NOUNS = {
    "people", "person", "persons", "national", "nationals", "citizen", "citizens", "man", "men",
    "woman", "women", "boy", "boys", "girl", "girls", "child", "children", "survivor", "survivors",
    "victim", "victims", "worker", "workers", "tourist", "tourists", "student", "students",
    "migrant", "migrants", "soldier", "soldiers", "refugee", "refugees", "teenager", "teenagers",
    "journalist", "journalists", "family", "families", "couple", "prisoner", "prisoners",
    "detainee", "detainees", "suspect", "suspects", "officials", "police", "troops", "laborers",
    "labourers", "immigrant", "immigrants", "residents", "youth", "youths", "monk", "monks",
}
#: the state's agents: "Thai police", "Chinese officials" are the state acting, not people with
#: a nationality (their country is what the demonym names anyway)
STATE_AGENT_NOUNS = {"official", "officials", "police", "policemen", "officer", "officers", "authorities",
                     "investigators", "prosecutors", "diplomats", "embassy", "ministry", "government"}
#: nouns that say whose nationals a group is: "suspects, mainly Chinese nationals"
NATIONAL_NOUNS = {"nationals", "citizens"}
#: words between a group and the nationals that describe it: ", most of them Chinese citizens"
#: ("including Vietnamese citizens" names some members only: no nationality of the whole group)
PORTION_WORDS = default_rules().words("quantifiers", "portion")  # graph/rules/words.toml
NEAR_WORDS = ("near", "close to", "next to", "outside", "on the border with", "along the border with",
              "near the border with", "close to the border with", "on the border of", "bordering")
REGION_WORDS = {"part", "parts", "region", "area", "province", "state", "district", "of", "north", "south",
                "east", "west", "center", "centre", "outskirts", "suburbs", "heart"}
MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
          "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}
LIST_WORDS = {"and", "or", "&"}
#: nouns for an administrative area whose name stands before them ("Tarlac province")
ADMIN_NOUNS = {"province", "state", "district", "county", "prefecture", "municipality"}


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capital city name -> ISO 3166 alpha-2 ("Phnom Penh" -> "KH"), from GeoNames."""
    return {c["capital"]: code for code, c in geodata.countries().items() if c.get("capital")}


def _ensure_extensions() -> None:
    for name in ("ng_type", "ng_norm", "ng_links"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("ng_claims"):
        Doc.set_extension("ng_claims", default=[])


_ensure_extensions()


@lru_cache(maxsize=16)
def load_demonyms(rules: Rules | None = None) -> dict[tuple[str, ...], tuple[str, str]]:
    """Demonyms of the rules (``[demonyms]``, shared with the entity component and the
    resolver): lower-cased token tuple -> (country name, ISO alpha-2).  Plural nouns
    ("Thais", "Serbs") are added."""
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for name, code in (rules or default_rules()).demonyms.items():
        country = pycountry.countries.get(alpha_2=code)
        label = (getattr(country, "common_name", None) or country.name) if country else name
        words = tuple(name.lower().split())
        table[words] = (label, code)
        if not words[-1].endswith(("s", "ese", "sh", "ch")):
            table.setdefault((*words[:-1], words[-1] + "s"), (label, code))
    return table


def _word(tok: Token) -> str:
    return tok.lower_.rstrip(".")


def _norm_phrase(tokens: Iterable[Token]) -> str:
    return " ".join(_word(t) for t in tokens if not t.is_punct or t.text == "-").replace(" - ", "-")


@dataclass(slots=True)
class Descriptor:
    """A noun phrase that describes an entity: its title, modifiers and prepositional objects."""

    head: Token
    title: str | None = None  # "leader", "national-leader", "role", "member", "killer", "residence", "partof"
    former: bool = False
    mods: list[Span] = field(default_factory=list)  # mentions modifying the head (compound / possessive)
    preps: list[tuple[str, Span]] = field(default_factory=list)  # ("of", mention)
    demonyms: list[Span] = field(default_factory=list)
    based: list[Span] = field(default_factory=list)  # places of "<Y>-based"
    profession: bool = False  # the title is a profession, not a post ("lawyer", "businessman")


class StructuralFinder:
    """Finds structural relation claims in one Doc (see the module docstring)."""

    def __init__(
        self,
        demonyms: dict[tuple[str, ...], tuple[str, str]] | None = None,
        places: dict[str, tuple[str, str, str]] | None = None,
        rules: Rules | None = None,
    ) -> None:
        self.rules = rules = rules or default_rules()
        self.demonyms = demonyms if demonyms is not None else load_demonyms(rules)
        # [titles] and [government] of the rules (graph/rules/words.toml and --rules files)
        self.leader_titles = sorted(rules.words("titles", "leaders"), key=lambda p: (-len(p), p))
        self.national_leaders = rules.words("titles", "national_leaders")
        self.national_title_words = rules.words("titles", "national_words")
        self.role_titles = rules.words("titles", "jobs")
        self.professions = rules.words("titles", "professions")
        self.subordinate = rules.words("titles", "subordinate")
        self.government_nouns = rules.words("government", "nouns")
        self.government_lemmas = rules.words("government", "lemmas")
        # surface -> (kind, norm, link) of the entity component's gazetteer (countries, cities)
        self.places = {k: v for k, v in (places or {}).items() if v[0] in ("COUNTRY", "CITY")}

    # ------------------------------------------------------------------ set-up per doc

    def __call__(self, doc: Doc) -> Doc:
        mentions = sorted(doc.spans.get(MENTIONS_KEY, []), key=lambda s: (s.start, s.end))
        self.doc = doc
        # mentions may nest ("Thai" inside "Thai woman"): by_token holds the longest one,
        # self.at all of them, shortest first
        self.at: dict[int, list[Span]] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.at.setdefault(i, []).append(m)
        for spans in self.at.values():
            spans.sort(key=lambda s: (len(s), s.start))
        self.by_token: dict[int, Span] = {i: spans[-1] for i, spans in self.at.items()}
        self.demonym_at: dict[int, Span] = self._find_demonyms(doc)
        self._pairs_cache: dict[int, list[tuple[Span, Span]]] = {}
        self._first_country: dict[str, Span] | None = None  # built on first use
        self._dateline_code: str | None | bool = False
        # token index -> sentence number (Token.sent walks to the sentence's ends on each call)
        self.sents: list[Span] = list(doc.sents)
        self.sent_of: list[int] = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            self.sent_of[sent.start : sent.end] = [n] * (sent.end - sent.start)
        existing = list(doc._.ng_claims or [])
        seen = {self._key(c) for c in existing}
        new: list[SpanClaim] = []
        for sent in self.sents:
            self.sent = sent
            found = list(self._sentence_claims(sent))
            found += self._closure(sent, found)
            for claim in found:
                key = self._key(claim)
                if key in seen or self._same(claim.subject, claim.obj):
                    continue
                seen.add(key)
                new.append(claim)
        doc._.ng_claims = existing + new
        return doc

    @staticmethod
    def _key(c: SpanClaim) -> tuple:
        obj = (c.obj.start_char, c.obj.end_char) if isinstance(c.obj, Span) else c.obj
        return (c.subject.start_char, c.subject.end_char, c.relation, obj)

    @staticmethod
    def _same(a: Span, b: Span | str) -> bool:
        """Whether subject and object are the same thing (no claim of a thing about itself)."""
        if not isinstance(b, Span):
            return False
        if (a.start, a.end) == (b.start, b.end):
            return True
        na, nb = a._.ng_norm or a.text, b._.ng_norm or b.text
        return na.lower() == nb.lower()

    def _find_demonyms(self, doc: Doc) -> dict[int, Span]:
        """Spans for nationality words ("Thai", "South Korean"), typed as their country.

        The entity component's NORP mentions are used as they are; demonyms it left out or
        that open a longer name ("Mexican Oil Workers Union") get a span of their own."""
        out: dict[int, Span] = {}
        for m in doc.spans.get(MENTIONS_KEY, []):
            if m.label_ == "NORP" and m._.ng_type == COUNTRY:
                for j in range(m.start, m.end):
                    out[j] = m
        lower = [t.lower_ for t in doc]
        i = 0
        while i < len(lower):
            if i in out:
                i += 1
                continue
            hit = None
            for n in (2, 1):
                words = tuple(lower[i : i + n])
                if i + n <= len(lower) and words in self.demonyms and doc[i].text[:1].isupper():
                    hit = (n, self.demonyms[words])
                    break
            if hit is None:
                i += 1
                continue
            n, (country, alpha2) = hit
            mention = self.by_token.get(i)
            if mention is not None and mention.start == i and mention.end == i + n:
                span = mention
                if mention._.ng_type != COUNTRY:
                    i += n
                    continue
            else:
                span = Span(doc, i, i + n, label="NORP")
                self._type_country(span, country, alpha2)
            for j in range(i, i + n):
                out[j] = span
            i += n
        return out

    @staticmethod
    def _type_country(span: Span, country: str, alpha2: str) -> None:
        span._.ng_type = COUNTRY
        span._.ng_norm = country
        span._.ng_links = (("iso3166", alpha2),) if alpha2 else ()

    # ------------------------------------------------------------------ helpers

    def mention(self, tok: Token | None) -> Span | None:
        if tok is None:
            return None
        return self.by_token.get(tok.i)

    def country_like(self, tok: Token) -> Span | None:
        """The mention a token stands for, preferring a place or a demonym nested in a longer
        mention ("London" in "London-based group"), else the longest mention."""
        for m in self.at.get(tok.i, ()):
            if m._.ng_type in PLACES and m.label_ != "NORP":
                return m
        d = self.demonym_at.get(tok.i)
        if d is not None:
            return d
        return self.by_token.get(tok.i)

    @staticmethod
    def is_name(m: Span) -> bool:
        """Whether a mention is a name, not a generic noun phrase ("students") or pronoun."""
        if m.label_ in ("NOMINAL", "PRON", "GROUP", "QUANTITY"):
            return False
        first = m.text[:1]
        return first.isupper() or first.isdigit()

    def name_at(self, tok: Token) -> Span | None:
        """The longest mention at a token that is a name (not "survivor", not "she")."""
        for m in reversed(self.at.get(tok.i, ())):
            if self.is_name(m):
                return m
        return None

    def claim(self, subj: Span, rel: str, obj: Span | str, conf: float, name: str) -> SpanClaim:
        return SpanClaim(subj, rel, obj, self.sent, round(conf, 2), f"structural:{name}")

    @staticmethod
    def typ(span: Span | None) -> str | None:
        return span._.ng_type if span is not None else None

    def np_mention(self, tok: Token) -> Span | None:
        """The mention a noun token heads or belongs to (also via a compound child)."""
        m = self.by_token.get(tok.i)
        if m is not None:
            return m
        return None

    def pobj_mentions(self, prep: Token) -> list[Span]:
        """Mentions governed by a preposition (the object and its conjuncts/appositions)."""
        out: list[Span] = []
        for obj in prep.children:
            if obj.dep_ not in ("pobj", "pcomp"):
                continue
            targets = [obj, *[c for c in obj.children if c.dep_ in ("conj", "appos")]]
            for t in targets:
                m = self.country_like(t)
                if m is None and t.lower_ in ADMIN_NOUNS:  # "in Tarlac province": the name before
                    m = next((self.by_token[c.i] for c in t.children if c.dep_ == "compound" and c.i in self.by_token
                              and self.by_token[c.i]._.ng_type == PLACE), None)
                if m is None or m in out:
                    continue
                if m.label_ == "NORP" and self.demonym_at.get(t.i) is m and m.end - 1 == t.i:
                    continue  # "in Spanish", "of Serbs": a language or a people, not a place
                if not self.is_name(m):
                    named = self._named_by_of(t) or self._government_country(t)  # "the town of Sid" -> Sid
                    if named is not None:
                        m = named
                    elif m._.ng_type not in PLACES:
                        continue
                if m not in out:
                    out.append(m)
        return out

    def _named_by_of(self, tok: Token) -> Span | None:
        """The name in "the town of Sid", "the province of Kosovo" (a generic noun + of + name)."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    m = self.name_at(obj) if obj.dep_ == "pobj" else None
                    if m is not None and m._.ng_type != PERSON and m.label_ != "NORP":
                        return m
        return None

    def describe(self, head: Token, exclude: Span | None = None) -> Descriptor:
        """Analyse the noun phrase headed by ``head`` (left modifiers up to ``exclude``)."""
        d = Descriptor(head)
        sent_of = self.sent_of
        left = [t for t in head.subtree if t.i <= head.i and sent_of[t.i] == sent_of[head.i]]
        if exclude is not None:
            # only the words right before the name, inside its own noun phrase
            # ("Cambodia's Prime Minister Hun Manet"), not a long left subtree
            allowed = {"compound", "amod", "poss", "case", "det", "nmod", "nummod", "punct", "npadvmod", "cc", "conj"}
            zone: list[Token] = []
            i = exclude.start - 1
            members = {t.i for t in left}
            while i >= self.sents[sent_of[head.i]].start and exclude.start - i <= 8 and i in members:
                tok = self.doc[i]
                if tok.dep_ not in allowed or (tok.dep_ == "punct" and tok.text not in ("-", ".")):
                    break
                zone.append(tok)
                i -= 1
            left = sorted(zone, key=lambda t: t.i)
        words: list[Token] = []
        for t in left:
            if t != head and (t.dep_ in ("relcl", "acl", "appos") or (t.head.dep_ in ("relcl", "acl", "appos") and t.head != head)):
                continue
            m = self.country_like(t)
            if m is not None and not self.is_name(m) and m._.ng_type not in PLACES:
                m = self.name_at(t)  # inside a generic phrase ("FAA spokesman"): the name, else words
            dem = self.demonym_at.get(t.i)
            if dem is not None and m is dem:
                if dem not in d.demonyms:
                    d.demonyms.append(dem)
                continue
            if m is not None and (exclude is None or m != exclude) and not (m.start <= head.i < m.end):
                if m not in d.mods:
                    d.mods.append(m)
                continue
            if t.lower_ in ("based", "headquartered") and t.i > 0 and t.nbor(-1).text == "-":
                continue
            words.append(t)
        # "London-based": place tokens right before "-based"
        for t in left:
            if t.lower_ in ("based", "headquartered") and t.i >= 2 and t.nbor(-1).text == "-":
                m = self.country_like(t.nbor(-2))
                if m is not None:
                    d.based.append(m)
                    if m in d.mods:
                        d.mods.remove(m)
        text = _norm_phrase(words)
        tokens = text.split()
        d.former = any(w in ("former", "ex", "late", "then", "retired") for w in tokens)
        d.title = self._title(tokens, head)
        # "Cambodian businessman X": the profession is the title's last word before the name
        d.profession = d.title == "role" and (
            _word(head) in self.professions or (exclude is not None and bool(tokens) and tokens[-1] in self.professions)
        )
        d.preps = self.prep_chain(head)
        return d

    def prep_chain(self, head: Token, depth: int = 2) -> list[tuple[str, Span]]:
        """(preposition, mention) on a noun, following unnamed objects one step further:
        "a professor of political science at Queens College", "of the law firm of Skadden"."""
        out: list[tuple[str, Span]] = []
        for prep in head.children:
            if prep.dep_ != "prep":
                continue
            found = self.pobj_mentions(prep)
            out.extend((prep.lower_, m) for m in found)
            if found or depth <= 1:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                for poss in obj.children:  # "of the DEM's division"
                    m = self.name_at(poss) if poss.dep_ == "poss" else None
                    if m is not None and self.typ(m) == ORG:
                        out.append((prep.lower_, m))
                out.extend((w, m) for w, m in self.prep_chain(obj, depth - 1) if w in ("of", "at", "for", "with", "in"))
        return out

    def _title(self, tokens: list[str], head: Token) -> str | None:
        if not tokens:
            return None
        text = " " + " ".join(tokens) + " "
        head_word = _word(head)
        subordinate = any(w in self.subordinate for w in tokens)
        if head_word in KILLER_NOUNS or any(w in KILLER_NOUNS for w in tokens):
            return "killer"
        for phrase in self.leader_titles:
            if f" {phrase} " in text:
                if subordinate:
                    return "role"
                return "national-leader" if phrase in self.national_leaders else "leader"
        if head_word in MEMBER_NOUNS:
            return "member"
        if head_word in RESIDENCE_NOUNS:
            return "residence"
        if head_word in PARTOF_NOUNS or text.strip() in PARTOF_NOUNS:
            return "partof"
        if any(w in self.role_titles for w in tokens) or head_word in self.professions:
            return "role"
        if any(w in MEMBER_NOUNS for w in tokens):
            return "member"
        return None

    # ------------------------------------------------------------------ per sentence

    def _sentence_claims(self, sent: Span) -> Iterator[SpanClaim]:
        self._transferred: set[int] = set()
        text = sent.text  # built on each access
        if "nationals" in text or "citizens" in text:
            yield from self._nationals_of(sent)
        mentions = [m for m in self.sent_mentions(sent) if m.label_ != "PRON"]
        for m in mentions:
            t = m._.ng_type
            personal = t in (ORG, EntityType.THING.value) and self._looks_personal(m)
            if (t == PERSON and self.is_name(m)) or personal:
                yield from self._person(m, sent)
            if t in (PERSON, GROUP):
                yield from self._inner_demonyms(m)
            if t == GROUP:
                yield from self._plural_demonym(m)
            if t in (ORG, GROUP) and not personal:
                yield from self._organization(m)
            if t in LOCATABLE:
                yield from self._place(m)
            if t in (ORG, GROUP, PERSON, COUNTRY):
                yield from self._operations(m)
        yield from self._comma_places(sent)
        yield from self._dateline(sent)
        yield from self._groups(sent)
        if "from" in text:
            yield from self._from_countries(sent)
        yield from self._kill_events(sent)
        yield from self._homes(sent)
        yield from self._births(mentions)

    def sent_mentions(self, sent: Span) -> list[Span]:
        """All mentions of a sentence (nested ones too), in text order."""
        seen: dict[tuple[int, int], Span] = {}
        for i in range(sent.start, sent.end):
            for m in self.at.get(i, ()):
                seen.setdefault((m.start, m.end), m)
        return [seen[k] for k in sorted(seen)]

    def place_at(self, tok: Token | int, types: set[str]) -> Span | None:
        """The shortest name mention of one of ``types`` starting at a token (or index)."""
        i = tok if isinstance(tok, int) else tok.i
        for m in self.at.get(i, ()):
            if m.start == i and m._.ng_type in types and self.is_name(m) and m.label_ != "NORP":
                return m
        return None

    def _inner_demonyms(self, m: Span) -> Iterator[SpanClaim]:
        """ "Chinese nationals", "a Thai woman" (one mention): its nationality."""
        if self.is_name(m):
            return  # "William French Smith" is no Frenchman
        if m.end - 1 in self._transferred or self.doc[m.end - 1].lower_ in STATE_AGENT_NOUNS:
            return
        for i in range(m.start, m.end):
            dem = self.demonym_at.get(i)
            if dem is not None and dem.start == i and (dem.start, dem.end) != (m.start, m.end):
                if self.doc[m.end - 1].lower_ in PEOPLE_NOUNS or m._.ng_type == PERSON:
                    yield self.claim(m, "nationality", dem, 0.65, "group-demonym")

    def _plural_demonym(self, m: Span) -> Iterator[SpanClaim]:
        """ "Forty-two Kenyans", "260 Indonesians": the people's country, named in the document."""
        last = self.doc[m.end - 1]
        if not last.text[:1].isupper():
            return  # most groups are common nouns ("workers"): no demonym to look up
        words = [t.lower_ for t in m[-2:]] if len(m) > 1 else [last.lower_]
        hit = None
        for n in (2, 1):
            if len(words) < n:
                continue
            key = tuple(words[-n:])
            hit = self.demonyms.get(key) or (self.demonyms.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None)
            if hit is not None:
                break
        if hit is None:
            return
        country = self._country_span(hit[1]) if hit[1] else None
        if country is not None:
            yield self.claim(m, "nationality", country, 0.6, "group-plural-demonym")

    def _looks_personal(self, m: Span) -> bool:
        """Names the model typed as organisations but that carry an age ("X, 50, of ...")."""
        root = m.root
        for c in root.children:
            if c.dep_ == "appos" and c.like_num and c.i == m.end + 1:
                return True
        return bool(m.end + 2 < len(self.doc) and self.doc[m.end].text == "," and self.doc[m.end + 1].like_num
                    and self.doc[m.end + 2].text == ",")

    # ---------------------------------------------------------------- people

    def _person_descriptors(self, p: Span) -> Iterator[tuple[Descriptor, str, float]]:
        """Noun phrases that describe person ``p``: (descriptor, pattern name, base confidence)."""
        root = p.root
        # titles and modifiers before the name, inside its own noun phrase
        yield self.describe(root, exclude=p), "title", 0.75
        # appositions both ways: "X, a spokesman for Y" / "a Chinese man, X"
        for c in root.children:
            if c.dep_ == "appos" and self.name_at(c) is None and not c.like_num:
                yield self.describe(c), "apposition", 0.75
                # "a professor at X and honorary president of Y"
                for conj in c.children:
                    if conj.dep_ == "conj" and conj.pos_ == "NOUN" and self.name_at(conj) is None:
                        yield self.describe(conj), "apposition", 0.7
        if root.dep_ == "appos" and self.name_at(root.head) is None:
            yield self.describe(root.head), "apposition", 0.7
        # copula: "X is a native of Y", "X, who is a major in the Marine Corps"
        verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") else []
        verbs += [c for c in root.children if c.dep_ == "relcl"]
        for verb in verbs:
            if verb.lemma_ != "be":
                continue
            for c in verb.children:
                if c.dep_ in ("attr", "acomp") and self.name_at(c) is None:
                    yield self.describe(c), "copula", 0.7
        # "a Thai woman named Yathada"
        head = root.head
        if root.dep_ in ("oprd", "dobj", "attr", "npadvmod") and head.lemma_ in ("name", "call") and head.dep_ == "acl":
            yield self.describe(head.head), "named", 0.7

    def _person(self, p: Span, sent: Span) -> Iterator[SpanClaim]:
        for d, pattern, base in self._person_descriptors(p):
            conf = base - (0.1 if d.former else 0.0)
            objects = [*d.mods, *[m for prep, m in d.preps if prep in ("of", "for", "at", "with", "in")]]
            if d.title in ("leader", "national-leader"):
                bodies = [m for m in objects if self.typ(m) in EMPLOYERS]
                if not bodies and d.demonyms:
                    bodies = d.demonyms[:1]
                for m in bodies:
                    yield self.claim(p, "leads", m, conf, f"{pattern}-leader")
                if not bodies and d.title == "national-leader":
                    country = self._only_country(sent, exclude=p)
                    if country is not None and self._other_country(country):
                        pass  # "President X criticised China": a country acted on is not the leader's
                    elif country is not None:
                        yield self.claim(p, "leads", country, 0.4, f"{pattern}-leader-sentence-country")
                    elif pattern == "title" and not d.former and self._national_title(p):
                        found = self._document_country(sent, p)
                        if found is not None:
                            yield self.claim(p, "leads", found[0], found[1], f"{pattern}-leader-{found[2]}")
            elif d.title == "role":
                bodies = [m for m in objects if self.typ(m) in EMPLOYERS]
                if not bodies and not d.profession:
                    bodies = d.demonyms[:1]
                for m in bodies:
                    if self.typ(m) == ORG:
                        yield self.claim(p, "worksFor", m, conf, f"{pattern}-role")
                    elif d.profession or self.typ(m) == PLACE and m in d.mods:
                        # "Atlanta businessman X", "the New York attorney X"
                        yield self.claim(p, "livesIn", m, conf - 0.2, f"{pattern}-profession-place")
                    else:
                        yield self.claim(p, "worksFor", m, conf - 0.15, f"{pattern}-role")
                if not bodies and pattern == "title" and not d.former and self._national_title(p):
                    # "Deputy Prime Minister X", "Vice President Y", "Foreign Minister Z": the state's
                    # post (worksFor, never leads), country from the sentence or the document
                    found = self._document_country(sent, p)
                    if found is not None:
                        yield self.claim(p, "worksFor", found[0], found[1] - 0.05, f"{pattern}-official-{found[2]}")
                if not bodies and pattern == "apposition" and not d.profession:
                    org = self._only_org(sent, exclude=p)
                    if org is not None:  # "Becton Dickinson sells ..., said X, an assistant manager"
                        yield self.claim(p, "worksFor", org, 0.4, f"{pattern}-role-sentence-org")
            elif d.title == "member":
                for m in objects:
                    if self.typ(m) in (ORG, GROUP):
                        yield self.claim(p, "memberOf", m, conf, f"{pattern}-member")
            elif d.title == "killer":
                for m in [*d.mods, *[m for prep, m in d.preps if prep == "of"]]:
                    if self.typ(m) == PERSON or (self.typ(m) == ORG and self.is_name(m)):
                        c = conf - 0.05 if self.typ(m) == PERSON else conf - 0.25
                        yield self.claim(p, "kills", m, c, f"{pattern}-killer")
            elif d.title == "residence":
                # "a native of X" says X is a place even when the model typed it otherwise
                for m in [*d.mods, *[m for prep, m in d.preps if prep in ("of", "in", "from")]]:
                    if self.typ(m) in PLACES or (self.typ(m) in (ORG, FACILITY) and self.is_name(m)):
                        c = conf + 0.05 if self.typ(m) in PLACES else conf - 0.15
                        yield self.claim(p, "livesIn", m, c, f"{pattern}-residence")
            if pattern != "title" and d.title is None:
                # "X, a Republican from Chicago"
                for prep, m in d.preps:
                    if prep == "from" and self.typ(m) in PLACES and m not in d.demonyms:
                        yield self.claim(p, "livesIn", m, 0.5, f"{pattern}-from")
            for dem in d.demonyms:
                yield self.claim(p, "nationality", dem, conf - 0.05, f"{pattern}-demonym")
            if pattern == "apposition" and _word(d.head) in {k[0] for k in self.demonyms if len(k) == 1}:
                pass
        # "Kovacevic, a Serb": the apposition itself is a demonym noun
        for c in p.root.children:
            if c.dep_ == "appos":
                dem = self.demonym_at.get(c.i)
                if dem is not None:
                    yield self.claim(p, "nationality", dem, 0.7, "apposition-demonym-noun")
        # "his hometown of Grants", "Jesse Jackson's home state, South Carolina"
        if p.root.dep_ == "poss" and _word(p.root.head) in HOME_NOUNS:
            home = p.root.head
            places = [m for w, m in self.prep_chain(home, depth=1) if w == "of"]
            places += [m for c in home.children if c.dep_ == "appos" for m in [self.name_at(c)] if m is not None]
            for m in places:
                if self.typ(m) in PLACES:
                    yield self.claim(p, "livesIn", m, 0.7, "person-hometown")
        # "Hernandez Galicia's union", "Brian Mulroney's Progressive Conservative Party"
        if p.root.dep_ == "poss":
            m = self.name_at(p.root.head)
            if m is not None and self.typ(m) == ORG and m != p:
                yield self.claim(p, "memberOf", m, 0.45, "person-possessive-org")
        yield from self._person_preps(p)
        yield from self._person_relcl(p)

    def _only_org(self, sent: Span, exclude: Span) -> Span | None:
        found: dict[str, Span] = {}
        for m in self.sent_mentions(sent):
            if self.typ(m) == ORG and self.is_name(m) and m != exclude:
                found.setdefault((m._.ng_norm or m.text).lower(), m)
        return next(iter(found.values())) if len(found) == 1 else None

    def _only_country(self, sent: Span, exclude: Span) -> Span | None:
        found: dict[str, Span] = {}
        for m in self.sent_mentions(sent):  # country names only: "Americans" is no country
            if self.typ(m) == COUNTRY and m.label_ != "NORP" and self.is_name(m) and m != exclude:
                found.setdefault((m._.ng_norm or m.text).lower(), m)
                if m.root.dep_ in ("poss", "compound", "amod", "nmod"):
                    return None  # "Belarus's Security Committee": the country belongs to someone else
        return next(iter(found.values())) if len(found) == 1 else None

    def _national_title(self, p: Span) -> bool:
        """Whether capitalised national-office words stand right before ``p`` ("Prime Minister",
        "Vice President", "Foreign Minister") and nothing else modifies them ("company President")."""
        doc = self.doc
        i = p.start - 1
        words: list[str] = []
        while i >= 0 and p.start - i <= 4 and doc[i].is_title and doc[i].lower_ in self.national_title_words:
            words.append(doc[i].lower_)
            i -= 1
        if not words:
            return False
        # words[0] is the title's last word: "... Minister", "President", "Foreign Secretary"
        secretary = words[0] == "secretary" and len(words) > 1 and words[1] not in ("vice", "deputy", "secretary")
        if words[0] not in ("president", "premier", "chancellor", "minister") and not secretary:
            return False
        if words[0] == "president" and len(words) > 1 and words[1] not in ("vice",):
            return False  # "Foreign President" is no title
        before = doc[i] if i >= 0 and self.sent_of[i] == self.sent_of[p.start] else None
        return before is None or before.pos_ not in ("NOUN", "PROPN", "ADJ") or before.i in self.demonym_at

    def _other_country(self, country: Span) -> bool:
        """A country the sentence acts on (object, "over / with / against China") or that differs
        from the dateline's: not the one a bare national title belongs to."""
        root = country.root
        if root.dep_ in ("dobj", "dative") or (root.dep_ == "pobj" and root.head.lower_ not in ("in", "of", "from")):
            return True
        dateline = self._document_dateline_code()
        return dateline is not None and self._code(country) not in (None, dateline)

    @staticmethod
    def _code(m: Span) -> str | None:
        for kind, value in m._.ng_links or ():
            if kind == "iso3166":
                return value
        return None

    def _sentence_codes(self, sent: Span, exclude: Span) -> tuple[set[str], set[str], set[str]]:
        """Countries a sentence names: (by name, by a capital acting as subject - "Phnom Penh
        has said" -, by demonym)."""
        named: set[str] = set()
        acting: set[str] = set()
        demonyms: set[str] = set()
        caps = capitals()
        for m in self.sent_mentions(sent):
            if m == exclude:
                continue
            if m._.ng_type == COUNTRY and m.label_ != "NORP":
                code = self._code(m)
                if code:
                    named.add(code)
            elif m._.ng_type == PLACE and self.is_name(m):
                code = caps.get(m.text) or caps.get(m.text.title())
                if code:
                    (acting if m.root.dep_ in ("nsubj", "nsubjpass") else named).add(code)
        for i in range(sent.start, sent.end):
            dem = self.demonym_at.get(i)
            code = self._code(dem) if dem is not None else None
            if code:
                demonyms.add(code)
        return named, acting, demonyms

    def _government_code(self, sent: Span) -> str | None:
        """The one government a sentence names ("the Cambodian government", "Thailand's government")."""
        codes: set[str] = set()
        for tok in sent:
            if tok.lower_ not in self.government_nouns:
                continue
            for c in tok.children:
                if c.dep_ in ("amod", "compound", "poss", "nmod"):
                    m = self.demonym_at.get(c.i) or self.place_at(c, {COUNTRY})
                    if m is None:
                        m = next((x for x in self.at.get(c.i, ()) if x._.ng_type == COUNTRY), None)
                    code = self._code(m) if m is not None else None
                    if code:
                        codes.add(code)
        return next(iter(codes)) if len(codes) == 1 else None

    def _document_dateline_code(self) -> str | None:
        """The country of the story's dateline ("MANILA -" -> PH, "MAE SOT, Thailand (AP)" -> TH),
        unless the lead names another country."""
        if self._dateline_code is not False:
            return self._dateline_code  # type: ignore[return-value]
        doc = self.doc
        code: str | None = None
        caps = capitals()
        for tok in doc[: min(len(doc), 120)]:
            if not (tok.i == 0 or "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_):
                continue
            end = dateline_end(doc, tok.i)
            if end is None:
                continue
            for i in range(tok.i, end):
                for m in self.at.get(i, ()):
                    if m._.ng_type == COUNTRY and m.label_ != "NORP" and self._code(m):
                        code = self._code(m)
            if code is None:
                j = tok.i
                while j < end and doc[j].is_alpha and doc[j].is_upper:
                    j += 1
                code = caps.get(doc[tok.i : j].text.title())
            if code is not None and end + 1 < len(doc):
                # a lead naming another country ("WASHINGTON - The United States and Britain
                # ..."): an international story, the dateline says nothing about who is who
                lead = self.sents[self.sent_of[end + 1]]
                for m in self.sent_mentions(lead):
                    if m._.ng_type == COUNTRY and m.label_ != "NORP" and self._code(m) not in (None, code):
                        code = None
                        break
            break
        self._dateline_code = code
        return code

    def _country_span(self, code: str) -> Span | None:
        """The document's first mention of a country (its name or a demonym)."""
        if self._first_country is None:
            first: dict[str, Span] = {}
            spans = [m for m in self.doc.spans.get(MENTIONS_KEY, []) if m.label_ in ("GPE", "NORP") and m._.ng_type == COUNTRY]
            spans += list({id(d): d for d in self.demonym_at.values()}.values())
            for m in sorted(spans, key=lambda s: (s.start, s.end)):
                c = self._code(m)
                if c and c not in first:
                    first[c] = m
            self._first_country = first
        return self._first_country.get(code)

    def _document_country(self, sent: Span, p: Span) -> tuple[Span, float, str] | None:
        """The country a national title with no country beside it belongs to: the one capital
        or country the sentence names, the government the previous sentence names, else the
        dateline's country when the sentence names no other. (span, confidence, source)."""
        named, acting, demonyms = self._sentence_codes(sent, p)
        dateline = self._document_dateline_code()
        codes = named | acting | demonyms
        code, conf, source = None, 0.0, ""
        if len(codes) == 1 and (codes == {dateline} or acting == codes):
            # the dateline's country named again, or its capital speaking for the government
            code, conf, source = next(iter(codes)), 0.45 if codes == {dateline} else 0.4, "sentence-country"
        elif not codes:
            n = self.sent_of[sent.start]
            prev = self._government_code(self.sents[n - 1]) if n > 0 else None
            if prev is not None:
                code, conf, source = prev, 0.4, "previous-government"
            elif dateline is not None:
                code, conf, source = dateline, 0.35, "dateline-country"
        if code is None:
            return None
        span = self._country_span(code)
        return (span, conf, source) if span is not None else None

    def _person_preps(self, p: Span) -> Iterator[SpanClaim]:
        """ "X of Dallas" (livesIn), "X of / at <org>" (worksFor), "X, 45, of Y"."""
        root = p.root
        preps = [c for c in root.children if c.dep_ == "prep"]
        # "X, 50, of Y": the parser may hang "of" on the age
        for c in root.children:
            if c.dep_ == "appos" and c.like_num:
                preps.extend(g for g in c.children if g.dep_ == "prep")
        for prep in preps:
            word = prep.lower_
            if prep.i < p.end:
                continue
            found = self.pobj_mentions(prep)
            if not found and word in ("of", "at"):
                # "Stephanie Powell, of the DEM's division", "X of the law firm of Skadden"
                found = [m for w, m in self.prep_chain(prep.head) if w == word and self.typ(m) == ORG]
            for m in found:
                t = self.typ(m)
                if m in self.demonym_at.values() and self.by_token.get(m.start) is not m:
                    continue
                if word == "of" and t in PLACES:
                    yield self.claim(p, "livesIn", m, 0.65, "person-of-place")
                elif word in ("of", "at", "with") and t == ORG:
                    yield self.claim(p, "worksFor", m, 0.55, f"person-{word}-org")
                elif word in ("of", "at") and t == FACILITY:  # "X of the Economic Research Center"
                    yield self.claim(p, "worksFor", m, 0.45, f"person-{word}-facility")
                elif word == "from" and t in PLACES:
                    yield self.claim(p, "livesIn", m, 0.45, "person-from-place")

    def _person_relcl(self, p: Span) -> Iterator[SpanClaim]:
        """ "X, who works for Y", "X, who lives in Y" (and plain "X works for Y")."""
        root = p.root
        verbs = [c for c in root.children if c.dep_ == "relcl"]
        if root.dep_ == "nsubj":
            verbs.append(root.head)
        verbs += [c for v in verbs for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        for verb in verbs:
            lemma = verb.lemma_.lower()
            preps = [c for c in verb.children if c.dep_ == "prep"]
            if lemma == "work":
                for prep in preps:
                    if prep.lower_ in ("for", "at", "with"):
                        for m in self.pobj_mentions(prep):
                            if self.typ(m) in EMPLOYERS or self.typ(m) == FACILITY:
                                c = 0.75 if self.typ(m) == ORG else 0.6
                                yield self.claim(p, "worksFor", m, c, "clause-works-for")
            elif lemma in ("live", "reside"):
                for prep in preps:
                    if prep.lower_ in ("in", "at", "near"):
                        for m in self.pobj_mentions(prep):
                            if self.typ(m) in PLACES:
                                yield self.claim(p, "livesIn", m, 0.75, "clause-lives-in")

    # ---------------------------------------------------------------- organisations

    def _organization(self, o: Span) -> Iterator[SpanClaim]:
        root = o.root
        own = self.describe(root, exclude=o)
        for t in o:  # "the London-based group" is one mention
            if t.lower_ in ("based", "headquartered") and t.i - 2 >= o.start and t.nbor(-1).text == "-":
                m = self.country_like(t.nbor(-2))
                if m is not None and self.typ(m) in PLACES and m not in own.based:
                    own.based.append(m)
        for m in own.based:
            yield self.claim(o, "basedIn", m, 0.85, "org-based-compound")
        yield from self._body_of(o)
        if _word(root) in self.government_nouns:
            return  # "the Cambodian government" stands for the country (resolution's job)
        named = self.is_name(o)
        for m in own.mods if named else ():  # not for "Serbia's students"
            if self.typ(m) in PLACES:
                yield self.claim(o, "basedIn", m, 0.6, "org-place-modifier")
        # a place opening the name: "U.S. Congress", "Havana Radio Reloj Network"
        lead = self._leading_place(o)
        if lead is not None:
            yield self.claim(o, "basedIn", lead, 0.55, "org-place-name")
        # a demonym opening the name: "Mexican Oil Workers Union"
        dem = self.demonym_at.get(o.start)
        if named and dem is not None and dem is not o and dem.end < o.end and o._.ng_type == ORG:
            yield self.claim(o, "basedIn", dem, 0.5, "org-demonym-name")
        people = self.typ(o) == GROUP and _word(root) in PEOPLE_NOUNS | {"staff", "personnel"}
        for prep in (c for c in root.children if c.dep_ == "prep") if not people else ():
            # not "targeting victims in the United States": people there are not an organisation's base
            for m in self.pobj_mentions(prep):
                if self.typ(m) in PLACES and prep.lower_ in ("in", "of") and m.start > o.end:
                    yield self.claim(o, "basedIn", m, 0.6 if prep.lower_ == "in" else 0.45, f"org-{prep.lower_}-place")
        # "<org>, based in Y", "<org>, headquartered in Y"
        for c in root.children:
            if c.dep_ in ("acl", "relcl", "appos") and c.lower_ in ("based", "headquartered", "located"):
                for prep in c.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                        for m in self.pobj_mentions(prep):
                            if self.typ(m) in PLACES:
                                yield self.claim(o, "basedIn", m, 0.85, "org-based-in")
        # "<org> headquarters in Y" / "<org>'s headquarters in (nearby) Y"
        j = o.end + (1 if o.end < len(self.doc) and self.doc[o.end].text in ("'s", "’s") else 0)
        if j + 1 < len(self.doc) and self.doc[j].lower_ in ("headquarters", "hq") and self.doc[j + 1].lower_ in ("in", "at"):
            k = j + 2
            while k < len(self.doc) and k - j < 5 and self.doc[k].dep_ in ("det", "amod"):
                k += 1
            m = self.place_at(self.doc[k], PLACES) if k < len(self.doc) else None
            if m is not None:
                yield self.claim(o, "basedIn", m, 0.85, "org-headquarters-in")
        # "<place>'s <org>" is caught by mods above; appositions: "X, a Hong Kong construction firm"
        for c in root.children:
            if c.dep_ == "appos" and self.name_at(c) is None:
                d = self.describe(c)
                for m in d.based:
                    yield self.claim(o, "basedIn", m, 0.85, "org-apposition-based")
                for m in d.mods:
                    if self.typ(m) in PLACES:
                        yield self.claim(o, "basedIn", m, 0.65, "org-apposition-place")
                for prep, m in d.preps:
                    if d.title == "partof" and prep == "of" and self.typ(m) in (ORG, COUNTRY, GROUP):
                        yield self.claim(o, "partOf", m, 0.75, "org-apposition-partof")
                    elif d.title == "member" and prep == "of" and self.typ(m) in (ORG, GROUP):
                        yield self.claim(o, "memberOf", m, 0.7, "org-apposition-member")
                    elif prep in ("in", "from") and self.typ(m) in PLACES:
                        yield self.claim(o, "basedIn", m, 0.55, "org-apposition-in")

    def _body_of(self, o: Span) -> Iterator[SpanClaim]:
        """Bodies: "the taskforce of the Cambodian government", "a unit of X" -> partOf."""
        root = o.root
        if _word(root) in PARTOF_NOUNS or _word(root) in BODY_NOUNS:
            for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    target = self.mention(obj) or self._demonym_government(obj)
                    if target is not None and self.typ(target) in (ORG, COUNTRY, GROUP):
                        yield self.claim(o, "partOf", target, 0.65, "org-body-of")

    def _leading_place(self, o: Span, cities: bool = False) -> Span | None:
        """A country (or, with ``cities``, city) name that opens a longer organisation name,
        as its own span. Cities only where the context says the name is a place (wire
        headers): many are also surnames or words ("Warren Commission", "Forest Service")."""
        if not self.places or not self.is_name(o) or o._.ng_type != ORG:
            return None
        start = o.start
        if self.doc[start].lower_ == "the":
            start += 1
        for n in (3, 2, 1):
            if start + n >= o.end:
                continue
            hit = self.places.get(self.doc[start : start + n].text)
            if hit is None:
                continue
            kind, norm, link = hit
            if kind == "CITY" and not cities:
                continue
            span = Span(self.doc, start, start + n, label="GPE")
            if span._.ng_type is None:
                span._.ng_type = COUNTRY if kind == "COUNTRY" else PLACE
                span._.ng_norm = norm
                span._.ng_links = (("iso3166" if kind == "COUNTRY" else "geonames", link),)
            return span
        return None

    def _government_country(self, tok: Token) -> Span | None:
        """ "the Cambodian government", "Myanmar's military government" -> the country span."""
        if tok.lower_ not in self.government_nouns:
            return None
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                m = self.demonym_at.get(c.i) or self.place_at(c, {COUNTRY})
                if m is not None and m._.ng_type == COUNTRY:
                    return m
        return None

    def _demonym_government(self, tok: Token) -> Span | None:
        """ "the Cambodian government" -> the Cambodia span (the demonym typed as its country)."""
        if tok.lemma_.lower() not in self.government_lemmas:
            return None
        for c in tok.children:
            if c.i in self.demonym_at:
                return self.demonym_at[c.i]
        return None

    def _operations(self, x: Span) -> Iterator[SpanClaim]:
        """ "X's operations in Y" / "operations of X in Y" -> operatesIn."""
        root = x.root
        noun = None
        if root.dep_ == "poss" and _word(root.head) in OPERATION_NOUNS:
            noun = root.head
        elif root.dep_ == "pobj" and root.head.lower_ == "of" and _word(root.head.head) in OPERATION_NOUNS:
            noun = root.head.head
        if noun is None:
            return
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "across", "throughout", "inside"):
                for m in self.pobj_mentions(prep):
                    if self.typ(m) in PLACES:
                        yield self.claim(x, "operatesIn", m, 0.7, "operations-in")

    # ---------------------------------------------------------------- places

    def _place(self, p: Span) -> Iterator[SpanClaim]:
        root = p.root
        # "Myanmar's KK Park"
        for c in root.children:
            if c.dep_ == "poss" and c.i < p.start:
                m = self.country_like(c)
                if m is not None and self.typ(m) in PLACES:
                    yield self.claim(p, "locatedIn", m, 0.75, "place-possessive")
        # "<place> in Y" (dependency or adjacent surface), "<place>, in Y"
        targets: list[Span] = []
        for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("in", "inside", "within")):
            targets.extend(m for m in self.pobj_mentions(prep) if m.start > p.end)
        j = p.end
        if j < len(self.doc) and self.doc[j].text == ",":
            j += 1
        if j + 1 < len(self.doc) and self.doc[j].lower_ in ("in", "inside") and self.sent_of[j] == self.sent_of[p.start]:
            k = j + 1
            # "in eastern Sudan", "in the southeastern part of Rwanda"
            while k < len(self.doc) and k - j < 6 and (
                self.doc[k].dep_ in ("det", "amod") or self.doc[k].lower_ in REGION_WORDS
            ):
                k += 1
            m = self.country_like(self.doc[k]) if k < len(self.doc) else None
            if m is not None and m.start == k:
                targets.append(m)
        for m in dict.fromkeys(targets):
            if self.typ(m) in PLACES:
                yield self.claim(p, "locatedIn", m, 0.7, "place-in-place")
            elif self.typ(p) == FACILITY and self.typ(m) == FACILITY and self.is_name(m) and m != p:
                # "compounds in KK Park", "the casino inside the Golden Triangle Special Economic Zone"
                yield self.claim(p, "locatedIn", m, 0.6, "facility-in-facility")
        # "Yerevan, the capital of Armenia", "Madagascar, an island nation in the Indian
        # Ocean", "Bosnia's capital, Sarajevo"
        descriptors = [self.describe(c) for c in root.children if c.dep_ == "appos" and self.name_at(c) is None]
        if root.dep_ == "appos" and self.name_at(root.head) is None and root.head.pos_ == "NOUN":
            descriptors.append(self.describe(root.head))
        for d in descriptors:
            for m in [*d.mods, *[m for prep, m in d.preps if prep in ("of", "in")]]:
                if self.typ(m) in PLACES and m.label_ != "NORP" and m != p:
                    yield self.claim(p, "locatedIn", m, 0.65, "place-apposition")
        yield from self._near(p)

    def _near(self, p: Span) -> Iterator[SpanClaim]:
        """ "Myawaddy, near the border with Thailand", "close to Y", "on the border with Y"."""
        doc = self.doc
        j = p.end
        if j < len(doc) and doc[j].text == ",":
            j += 1
        rest = " ".join(t.lower_ for t in doc[j : min(len(doc), j + 6)])
        for phrase in sorted(NEAR_WORDS, key=len, reverse=True):
            if not (rest + " ").startswith(phrase + " "):
                continue
            k = j + len(phrase.split())
            # skip "the", "the Thai", "its border with"
            limit = min(len(doc), k + 5)
            while k < limit:
                tok = doc[k]
                if self.sent_of[k] != self.sent_of[p.start]:
                    return
                m = self.country_like(tok)
                if m is not None:
                    if self.typ(m) in PLACES:
                        nxt = doc[m.end] if m.end < len(doc) else None
                        # "close to the Vietnamese border": the demonym stands for the country
                        conf = 0.7 if nxt is None or nxt.lower_ != "border" else 0.65
                        yield self.claim(p, "locatedNear", m, conf, "place-near")
                    return
                if tok.lower_ in ("the", "a", "its", "their", "border", "with", "of", "frontier", "between"):
                    k += 1
                    continue
                return
            return

    def _region_name(self, b: Span) -> bool:
        """A country, a US state or a postal-style abbreviation ("Wyo.", "N.M.")."""
        text = b.text
        if b.end < len(self.doc) and self.doc[b.end].text == "." and len(text) <= 5:
            text += "."  # the tokenizer split "Wyo."
        return b._.ng_type == COUNTRY or text in US_STATES or (text.endswith(".") and len(text) <= 6)

    def _listed(self, a: Span, b: Span) -> bool:
        """Whether "a, b" is part of an enumeration ("Myanmar, Thailand, China and Vietnam")."""
        doc = self.doc
        after = b.end
        if after < len(doc) and doc[after].lower_ in LIST_WORDS:
            return True
        if after + 1 < len(doc) and doc[after].text == ",":
            nxt = doc[after + 1]
            if nxt.lower_ in LIST_WORDS or self.place_at(nxt, LOCATABLE) is not None:
                return True
        before = a.start - 1
        if before >= 0 and doc[before].lower_ in LIST_WORDS:
            return True
        if before >= 1 and doc[before].text == "," and self._place_ending_at(before) is not None:
            return True
        return False

    def _comma_pairs(self, sent: Span) -> list[tuple[Span, Span]]:
        cached = self._pairs_cache.get(sent.start)
        if cached is None:
            cached = self._pairs_cache[sent.start] = self._find_comma_pairs(sent)
        return cached

    def mention_starts(self, sent: Span) -> list[int]:
        """Indices of the sentence's tokens that are part of a mention."""
        at = self.at
        return [i for i in range(sent.start, sent.end) if i in at]

    def _find_comma_pairs(self, sent: Span) -> list[tuple[Span, Span]]:
        doc = self.doc
        pairs: list[tuple[Span, Span]] = []
        seen: set[int] = set()
        for i in self.mention_starts(sent):
            a = self.place_at(i, LOCATABLE)
            if a is None or a.start in seen:
                continue
            seen.add(a.start)
            if a.end + 1 >= len(doc) or doc[a.end].text != ",":
                continue
            b = self.place_at(doc[a.end + 1], PLACES)
            if b is None:
                continue
            nxt = doc[b.end] if b.end < len(doc) else None
            if nxt is not None and ((nxt.pos_ == "PROPN" and not nxt.is_punct) or nxt.lower_ in ("in", "of", "at", "near")):
                continue  # "America West", "Nakhon Thai District in Phitsanulok Province"
            if a._.ng_type == COUNTRY:
                continue
            if self._listed(a, b) and not self._region_name(b):
                continue  # "Jackson, Wyo., and Gunnison, Colo." are pairs; "Paris, London" is a list
            pairs.append((a, b))
        return pairs

    def _comma_places(self, sent: Span) -> Iterator[SpanClaim]:
        """ "Aiken, S.C." / "Myawaddy, Myanmar" -> locatedIn; and what lives/is based there."""
        pairs = self._comma_pairs(sent)
        if not pairs:
            return
        for a, b in pairs:
            yield self.claim(a, "locatedIn", b, 0.75, "place-comma-place")

    def _closure(self, sent: Span, claims: list[SpanClaim]) -> list[SpanClaim]:
        """ "X, 50, of Bethany, Conn." -> X livesIn Conn. too (also basedIn / locatedIn)."""
        contained = {(a.start, a.end): b for a, b in self._comma_pairs(sent)}
        out: list[SpanClaim] = []
        for c in claims:
            if c.relation in ("livesIn", "basedIn", "locatedIn", "locatedNear") and isinstance(c.obj, Span):
                outer = contained.get((c.obj.start, c.obj.end))
                if outer is not None and outer != c.subject:
                    out.append(SpanClaim(c.subject, c.relation, outer, c.evidence, round(c.confidence * 0.9, 2),
                                         c.extractor + "+comma-place"))
        # "the two main political forces in Bulgaria, the Bulgarian Socialist Party and ..."
        for c in claims:
            if self.is_name(c.subject) or c.relation not in ("basedIn", "locatedIn", "operatesIn"):
                continue
            for app in (x for x in c.subject.root.children if x.dep_ == "appos"):
                for tok in [app, *[x for x in app.children if x.dep_ == "conj"]]:
                    m = self.name_at(tok)
                    if m is not None and m._.ng_type == c.subject._.ng_type:
                        out.append(SpanClaim(m, c.relation, c.obj, c.evidence, round(c.confidence * 0.9, 2),
                                             c.extractor + "+apposition"))
        return out

    def _dateline(self, sent: Span) -> Iterator[SpanClaim]:
        """Datelines and wire headers. A story dateline ("BANGKOK, Thailand (AP)", "NAIROBI,
        March 14 (Reuters) -") says where the story was filed, not where the agency is based:
        it gives only the city's country (locatedIn). A media-monitoring header ("Paris AFP in
        English", "Tokyo NIHON KEIZAI SHIMBUN") names the outlet's home: basedIn."""
        doc = self.doc
        toks = list(islice((t for t in sent if not t.is_space), 4))  # a label and the first word
        if not toks:
            return
        # skip a leading "( Text )" or similar bracketed label
        i = 0
        if toks[0].text == "(" and len(toks) > 2 and toks[2].text == ")":
            i = 3
        if i >= len(toks):
            return
        first = self.place_at(toks[i], PLACES) or (self._caps_place(sent) if i == 0 else None)
        if first is not None and first.end + 1 < len(doc) and doc[first.end].text == ",":
            second = self.place_at(doc[first.end + 1], PLACES)
            if second is not None and first._.ng_type != COUNTRY:
                yield self.claim(first, "locatedIn", second, 0.8, "dateline-place")
        # wire-service headers: "<Place> <Org> in <Language> <time> GMT", "Tokyo NIHON KEIZAI SHIMBUN"
        for i in self.mention_starts(sent):
            a = self.place_at(i, PLACES)
            if a is None or a.end >= sent.end or (a.start > sent.start and not self._header_code(doc[a.start - 1])):
                continue
            b = self.place_at(doc[a.end], {ORG}) or self._caps_org(a.end)
            if b is None:
                continue
            after = doc[b.end] if b.end < sent.end else None
            language = (
                after is not None and after.lower_ == "in" and b.end + 1 < len(doc)
                and (doc[b.end + 1].ent_type_ in ("LANGUAGE", "NORP") or b.end + 1 in self.demonym_at)
            )
            if language or after is None:
                yield self.claim(b, "basedIn", a, 0.6, "wire-header")
        for tok in sent:  # the place is inside the organisation mention: "Havana Radio Reloj Network"
            b = self.place_at(tok, {ORG})
            if b is None or b.end + 1 >= len(doc) or doc[b.end].lower_ != "in":
                continue
            if not (doc[b.end + 1].ent_type_ in ("LANGUAGE", "NORP") or b.end + 1 in self.demonym_at):
                continue
            if self._place_ending_at(b.start) is not None:
                continue
            lead = self._leading_place(b, cities=True)
            if lead is not None:
                org = Span(doc, lead.end, b.end, label="ORG")
                if org._.ng_type is None:
                    org._.ng_type = ORG
                yield self.claim(org, "basedIn", lead, 0.6, "wire-header")

    @staticmethod
    def _header_code(tok: Token) -> bool:
        """A wire-service code before a header place ("LD2804174994")."""
        return any(ch.isdigit() for ch in tok.text) and any(ch.isalpha() for ch in tok.text) and len(tok) >= 8

    def _caps_org(self, i: int) -> Span | None:
        """An agency name the model did not tag: a run of all-capitals words ("ITAR-TASS",
        "MOSKOVSKIY KOMSOMOLETS"), as an organisation span."""
        doc = self.doc
        j = i
        while j < len(doc) and j - i < 6 and (
            (doc[j].is_upper and any(c.isalpha() for c in doc[j].text) and len(doc[j]) > 1)
            or (doc[j].text == "-" and j > i)
        ):
            j += 1
        while j > i and doc[j - 1].text == "-":
            j -= 1
        if j == i or doc[i].lower_ in LIST_WORDS or self.by_token.get(i) is not None:
            return None
        span = Span(doc, i, j, label="ORG")
        if span._.ng_type is None:
            span._.ng_type = ORG
        return span

    def _place_ending_at(self, end: int) -> Span | None:
        for m in self.at.get(end - 1, ()):
            if m.end == end and m._.ng_type in PLACES and self.is_name(m):
                return m
        return None

    def _caps_place(self, sent: Span) -> Span | None:
        """ "DAYTON, Ohio (AP)": the all-capitals word(s) before the first comma of a dateline."""
        doc = self.doc
        end = sent.start
        while end < sent.end and end - sent.start < 4 and doc[end].is_alpha and doc[end].is_upper and len(doc[end]) > 1:
            end += 1
        if end == sent.start or end + 1 >= len(doc) or doc[end].text not in (",", "("):
            return None
        if doc[end].text == "," and self.place_at(doc[end + 1], PLACES) is None:
            return None
        span = Span(doc, sent.start, end, label="GPE")
        if span._.ng_type is None:
            span._.ng_type = PLACE
        return span

    def _groups(self, sent: Span) -> Iterator[SpanClaim]:
        """ "Chinese nationals", "a Thai woman" -> the group's nationality."""
        for tok in sent:
            dem = self.demonym_at.get(tok.i)
            if dem is None or tok.i != dem.end - 1 or tok.dep_ not in ("amod", "compound"):
                continue
            noun = tok.head
            if noun.i <= tok.i or noun.lower_ not in PEOPLE_NOUNS or self.by_token.get(noun.i) is not None:
                continue
            if noun.i in self._transferred or noun.lower_ in STATE_AGENT_NOUNS:
                continue
            # the person it names is handled by _person ("a Thai woman named Yathada")
            start = dem.start
            while start > sent.start and self.doc[start - 1].dep_ in ("amod", "compound", "nummod") and self.doc[start - 1].head == noun:
                start -= 1
            group = Span(self.doc, start, noun.i + 1, label="GROUP")
            if group._.ng_type is None:
                group._.ng_type = GROUP
            yield self.claim(group, "nationality", dem, 0.6, "group-demonym")

    def _countries_from(self, j: int, end: int) -> list[Span]:
        """Country names listed from token ``j`` on: "Nepal, Bangladesh and the Philippines"."""
        doc = self.doc
        out: list[Span] = []
        while j < end:
            m = self.place_at(j, {COUNTRY})
            if m is not None:
                out.append(m)
                j = m.end
            elif doc[j].lower_ in LIST_WORDS or doc[j].text == "," or doc[j].lower_ == "the":
                j += 1
            else:
                break
        return out

    def _from_countries(self, sent: Span) -> Iterator[SpanClaim]:
        """ "migrant workers, many of them from Nepal and India", "The workers, from Indonesia
        and China", "a boy from China": where people come from is their nationality. A group
        moved "from" a country ("rescued 200 people from Myanmar") is not: that "from" hangs
        on the verb, and a group that is the object of such a verb is skipped."""
        doc = self.doc
        for t in sent:
            if t.lower_ != "from":
                continue
            countries = self._countries_from(t.i + 1, sent.end)
            if not countries:
                continue
            owner: Span | None = None
            conf = 0.55
            k = t.i - 1
            while k >= sent.start and doc[k].lower_ in PORTION_WORDS:
                k -= 1
            if k > sent.start and doc[k].text == ",":  # "workers, most of them from", "workers, from"
                owner = self.by_token.get(k - 1)
            elif t.dep_ == "prep" and t.head.lower_ in PEOPLE_NOUNS and t.i == t.head.i + 1:
                owner = self.mention(t.head)  # "a boy from China"
                conf = 0.5
                if t.head.dep_ == "dobj" and t.head.head.pos_ == "VERB":
                    owner = None  # "freed 40 workers from Myanmar": moved, not from there
            if owner is None or owner.end not in (k, t.i) or owner._.ng_type not in (GROUP, PERSON):
                continue
            if self.is_name(owner) or owner.label_ == "PRON" or doc[owner.end - 1].lower_ in STATE_AGENT_NOUNS:
                continue
            if doc[owner.end - 1].lower_ not in PEOPLE_NOUNS:
                continue
            # "85 survivors from Indonesia who were trafficked to Cambodia": trafficked from there
            trafficked = any(c.dep_ == "relcl" and c.lemma_ in ("traffic", "smuggle") for c in owner.root.children)
            rel = "traffickedFrom" if trafficked else "nationality"
            for c in countries:
                yield self.claim(owner, rel, c, conf, "group-from-country")

    def _nationals_of(self, sent: Span) -> Iterator[SpanClaim]:
        """ "12 managers, most of them Chinese citizens", "suspects, mainly Chinese nationals",
        "Most of the suspects are Spanish and Colombian nationals": the earlier group has each
        nationality (the nationals are that group, not another one)."""
        doc = self.doc
        for t in sent:
            if t.lower_ not in NATIONAL_NOUNS:
                continue
            dems: list[Span] = []
            j = t.i - 1
            while j >= sent.start and (j in self.demonym_at or doc[j].lower_ in LIST_WORDS or doc[j].text == ","):
                d = self.demonym_at.get(j)
                if d is not None and d not in dems:
                    dems.insert(0, d)
                    j = d.start - 1
                else:
                    j -= 1
            if not dems:
                continue
            owner: Span | None = None
            k = j
            while k >= sent.start and (doc[k].lower_ in PORTION_WORDS or doc[k].like_num):
                k -= 1
            if k > sent.start and doc[k].text == ",":
                owner = self.by_token.get(k - 1)
                if owner is not None and owner.end != k:
                    owner = None
            elif t.dep_ == "attr" and t.head.lemma_ == "be":  # "Most of the suspects are ... nationals"
                subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ in PORTION_WORDS:
                    subj = next((o for p in subj.children if p.dep_ == "prep" and p.lower_ == "of"
                                 for o in p.children if o.dep_ == "pobj"), None)
                owner = self.mention(subj)
            if owner is None or owner._.ng_type not in (GROUP, PERSON) or owner.label_ == "PRON":
                continue
            if self.doc[owner.end - 1].lower_ in STATE_AGENT_NOUNS:
                continue
            self._transferred.add(t.i)
            for d in dems:
                yield self.claim(owner, "nationality", d, 0.6, "group-nationals")

    # ---------------------------------------------------------------- kills

    def _kill_events(self, sent: Span) -> Iterator[SpanClaim]:
        """ "the assassination of Y by X", "X's murder of Y", "Sirhan was convicted of Kennedy's
        killing", "Ray, suspected of the assassination of King", "X, convicted of murdering Y",
        "... the assassination of Kennedy ... Oswald was the lone assassin"."""
        victims_in_sentence: list[Span] = []
        for tok in sent:
            word = _word(tok)
            if word in KILL_EVENTS and tok.pos_ == "NOUN":
                victims, killers = [], []
                preps = [c for c in tok.children if c.dep_ == "prep"]
                preps += [g for c in preps for o in c.children if o.dep_ == "pobj" and o.like_num
                          for g in o.children if g.dep_ == "prep"]
                for c in [*tok.children, *preps]:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        victims += [m for m in self.pobj_mentions(c) if self.typ(m) == PERSON]
                    elif c.dep_ == "prep" and c.lower_ == "by":
                        killers += [m for m in self.pobj_mentions(c) if self.typ(m) == PERSON]
                    elif c.dep_ == "poss" and any(g.dep_ == "prep" and g.lower_ == "of" for g in tok.children):
                        m = self.mention(c)  # "Oswald's murder of Kennedy"
                        if m is not None and self.typ(m) == PERSON:
                            killers.append(m)
                if not any(g.dep_ == "prep" and g.lower_ == "of" for g in tok.children):
                    victims += [m for c in tok.children if c.dep_ == "poss"  # "Kennedy's killing"
                                for m in [self.name_at(c)] if m is not None and self.typ(m) == PERSON]
                victims_in_sentence += victims
                conf = 0.75
                if not killers:  # "X was convicted of / suspected of / serving time for the murder of Y"
                    killers = self._accused_of(tok)
                    conf = 0.6
                for k in dict.fromkeys(killers):
                    for v in dict.fromkeys(victims):
                        if k != v:
                            yield self.claim(k, "kills", v, conf, "kill-nominal")
            elif tok.lemma_.lower() in KILL_GERUNDS and tok.dep_ == "pcomp":
                # "X, convicted of murdering Y": the conviction names the killer
                victims = [m for c in tok.children if c.dep_ == "dobj" for m in self._people_of(c)]
                for k in self._accused_of(tok):
                    for v in victims:
                        if k != v:
                            yield self.claim(k, "kills", v, 0.6, "kill-convicted-of")
        # "the assassination of Kennedy ... Oswald was the lone assassin"
        victims = list(dict.fromkeys(victims_in_sentence))
        if len(victims) == 1:
            for m in self.sent_mentions(sent):
                if self.typ(m) != PERSON or not self.is_name(m) or m == victims[0]:
                    continue
                for d, _, _ in self._person_descriptors(m):
                    if d.title == "killer" and not d.mods and not d.preps and _word(d.head) in KILLER_NOUNS:
                        yield self.claim(m, "kills", victims[0], 0.5, "kill-killer-of-sentence-victim")

    def _homes(self, sent: Span) -> Iterator[SpanClaim]:
        """ "X died at his home in Larchmont": the clause's named subject lives there."""
        for tok in sent:
            if tok.lemma_.lower() not in ("home", "house", "apartment", "residence") or tok.pos_ != "NOUN":
                continue
            if not any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in tok.children):
                continue
            places = [m for prep in tok.children if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "near")
                      for m in self.pobj_mentions(prep) if self.typ(m) in PLACES]
            if not places:
                continue
            verb = tok.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                verb = verb.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            person = self.name_at(subj) if subj is not None else None
            if person is None or self.typ(person) != PERSON:
                continue
            for m in places:
                yield self.claim(person, "livesIn", m, 0.6, "person-home-in")

    def _births(self, mentions: list[Span]) -> Iterator[SpanClaim]:
        """ "X, who was born in Leeds", "X was born on May 5, 1907, in Portland", "X, 76, born
        in Y", "the Leeds-born engineer X": bornIn, a relation newsgraph adds to the core
        vocabulary (a birthplace is no residence; CoNLL04 counts it as Live_In)."""
        for m in mentions:
            if self.typ(m) not in PLACES or m.label_ == "NORP":
                continue
            r = m.root
            born = None
            if r.dep_ == "pobj" and r.head.lower_ in ("in", "at"):
                h = r.head.head
                if h.lower_ != "born" and h.dep_ == "pobj" and h.head.head.lower_ == "born":
                    h = h.head.head  # "born on Feb. 5, 1907, in Portland": "in" hangs on the date
                if h.lower_ == "born":
                    born = h
            elif r.dep_ in ("npadvmod", "compound", "nmod") and r.head.lower_ == "born" and r.i < r.head.i:
                born = r.head  # "the Leeds-born engineer"
            person = self._born_subject(born) if born is not None else None
            if person is not None and person != m:
                yield self.claim(person, "bornIn", m, 0.6, "person-born-in")

    def _born_subject(self, born: Token) -> Span | None:
        """The person a "born" participle or adjective is said of."""
        if born.dep_ in ("relcl", "acl", "amod"):
            tok = born.head
        else:
            tok = next((c for c in born.children if c.dep_ == "nsubjpass"), None)
            if tok is None:
                return None
        if tok.like_num and tok.dep_ == "appos":
            tok = tok.head  # "Gordon Parks, 76, born in Fort Scott"
        m = self.name_at(tok)
        if m is None:  # a description: "the Leeds-born engineer John Smith", "X, a Leeds-born engineer"
            app = next((c for c in tok.children if c.dep_ == "appos"), None)
            if app is not None:
                m = self.name_at(app)
            elif tok.dep_ == "appos":
                m = self.name_at(tok.head)
        if m is None or self.typ(m) not in (PERSON, ORG, EntityType.THING.value):
            return None  # only people are born; the model often types a person as an organisation
        return m

    def _accused_of(self, tok: Token) -> list[Span]:
        """People convicted of / suspected of / jailed for the event ``tok`` heads."""
        prep = tok.head
        if tok.dep_ not in ("pobj", "pcomp") or prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "with"):
            return []
        verb = prep.head
        if verb.lemma_.lower() not in CONVICTED:
            return []
        out: list[Span] = []
        for c in verb.children:
            if c.dep_ in ("nsubjpass", "nsubj"):
                out += self._people_of(c)
        if not out and verb.tag_ == "VBN" and verb.i >= 2 and self.doc[verb.i - 1].text == ",":
            # "..., James Earl Ray, suspected of the assassination of King" (the parser may hang
            # the participle on the main verb): the name right before the comma
            m = self._person_ending_at(verb.i - 1)
            if m is not None:
                out.append(m)
        if not out and verb.dep_ in ("acl", "relcl", "appos"):
            out += self._people_of(verb.head)
        return out

    def _person_ending_at(self, end: int) -> Span | None:
        for m in self.at.get(end - 1, ()):
            if m.end == end and self.typ(m) == PERSON and self.is_name(m):
                return m
        return None

    def _people_of(self, tok: Token) -> list[Span]:
        m = self.mention(tok)
        if m is not None and self.typ(m) == PERSON:
            return [m]
        out = []
        for c in tok.children:
            if c.dep_ in ("conj", "appos"):
                m = self.mention(c)
                if m is not None and self.typ(m) == PERSON:
                    out.append(m)
        return out

@Language.factory(
    "newsgraph_structural",
    requires=["doc.spans", "token.dep"],
    assigns=["doc._.ng_claims"],
    default_config={"rules_files": []},
)
def make_structural(nlp: Language, name: str, rules_files: list[str]) -> StructuralFinder:
    """Structural patterns; ``rules_files`` are the user's rules files (see ``graph.rules``)."""
    places = None
    if "newsgraph_entities" in nlp.pipe_names:  # reuse its gazetteer for "Havana Radio Reloj"
        places = getattr(nlp.get_pipe("newsgraph_entities"), "surface", None)
    return StructuralFinder(places=places, rules=load_rules(rules_files))
