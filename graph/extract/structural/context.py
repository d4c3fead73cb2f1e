"""Per-document state of the structural rules and the lookups every family shares.

A ``Context`` is made for each Doc: it indexes the mentions by token, finds the demonyms,
numbers the sentences and holds the caches a document needs once (comma pairs, first
country mentions, the dateline's country).  ``claim`` makes a claim of the sentence being
read (``Context.sent``) under a literal rule id ("structural:person-of-place"), so a rule id
seen in a graph is found with grep; every id is registered with its relation in
``graph/extract/structural/ids.py`` or ``graph/rules/structural.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from graph.extract.doc import MENTIONS_KEY, SpanClaim
from graph.extract.structural.rules import RuleBook
from graph.extract.structural.tables import StructuralTables
from graph.model import EntityType

PERSON = EntityType.PERSON.value
ORG = EntityType.ORGANIZATION.value
COUNTRY = EntityType.COUNTRY.value
PLACE = EntityType.PLACE.value
FACILITY = EntityType.FACILITY.value
GROUP = EntityType.GROUP.value
THING = EntityType.THING.value

PLACES = frozenset({COUNTRY, PLACE})
LOCATABLE = frozenset({PLACE, FACILITY, COUNTRY})
EMPLOYERS = frozenset({ORG, COUNTRY, PLACE})


def word(tok: Token) -> str:
    """A token's lower-case text without a trailing full stop ("Gov." -> "gov")."""
    return tok.lower_.rstrip(".")


def norm_phrase(tokens: Iterable[Token]) -> str:
    """Tokens as lower-case words, punctuation dropped but hyphens kept ("vice-president")."""
    return " ".join(word(t) for t in tokens if not t.is_punct or t.text == "-").replace(" - ", "-")


def typ(span: Span | None) -> str | None:
    """The entity type of a mention (None for no mention)."""
    return span._.ng_type if span is not None else None


def is_name(m: Span) -> bool:
    """Whether a mention is a name, not a generic noun phrase ("students") or pronoun."""
    if m.label_ in ("NOMINAL", "PRON", "GROUP", "QUANTITY"):
        return False
    first = m.text[:1]
    return first.isupper() or first.isdigit()


def code(m: Span) -> str | None:
    """The ISO 3166 alpha-2 code a mention links to."""
    for kind, value in m._.ng_links or ():
        if kind == "iso3166":
            return value
    return None


def type_country(span: Span, country: str, alpha2: str) -> None:
    """Type a new span as the country ``alpha2``."""
    span._.ng_type = COUNTRY
    span._.ng_norm = country
    span._.ng_links = (("iso3166", alpha2),) if alpha2 else ()


class Context:
    """What the structural rules know about one Doc while they read it."""

    def __init__(self, doc: Doc, tables: StructuralTables, book: RuleBook) -> None:
        self.doc = doc
        self.tables = tables
        self.words = tables.words
        self.demonyms = tables.demonyms
        #: the declarative rules by shape, and every rule id with its relations
        self.book = book
        mentions = sorted(doc.spans.get(MENTIONS_KEY, []), key=lambda s: (s.start, s.end))
        # mentions may nest ("Thai" inside "Thai woman"): by_token holds the longest one,
        # at all of them, shortest first
        self.at: dict[int, list[Span]] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.at.setdefault(i, []).append(m)
        for spans in self.at.values():
            spans.sort(key=lambda s: (len(s), s.start))
        self.by_token: dict[int, Span] = {i: spans[-1] for i, spans in self.at.items()}
        #: token index -> the demonym span covering it ("Thai", "South Korean")
        self.demonym_at: dict[int, Span] = self._find_demonyms()
        # token index -> sentence number (Token.sent walks to the sentence's ends on each call)
        self.sents: list[Span] = list(doc.sents)
        self.sent_of: list[int] = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            self.sent_of[sent.start : sent.end] = [n] * (sent.end - sent.start)
        #: the sentence being read: the evidence of every claim() made now
        self.sent: Span | None = None
        # caches, filled on first use
        self.comma_pairs_at: dict[int, list[tuple[Span, Span]]] = {}
        self.first_country: dict[str, Span] | None = None
        self.dateline_code: str | None | bool = False

    def claim(self, subj: Span, rel: str, obj: Span | str, conf: float, rule: str) -> SpanClaim:
        """A claim of the current sentence by the rule ``rule`` (its literal id)."""
        if rel not in self.book.ids.get(rule, ()):
            raise ValueError(f"structural rule {rule!r} is not registered for {rel!r}")
        assert self.sent is not None
        return SpanClaim(subj, rel, obj, self.sent, round(conf, 2), rule)

    # ------------------------------------------------------------------ demonyms

    def _find_demonyms(self) -> dict[int, Span]:
        """Spans for nationality words ("Thai", "South Korean"), typed as their country.

        The entity component's NORP mentions are used as they are; demonyms it left out or
        that open a longer name ("Mexican Oil Workers Union") get a span of their own."""
        doc = self.doc
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
                type_country(span, country, alpha2)
            for j in range(i, i + n):
                out[j] = span
            i += n
        return out

    # ------------------------------------------------------------------ mentions

    def mention(self, tok: Token | None) -> Span | None:
        """The longest mention at a token."""
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

    def name_at(self, tok: Token) -> Span | None:
        """The longest mention at a token that is a name (not "survivor", not "she")."""
        for m in reversed(self.at.get(tok.i, ())):
            if is_name(m):
                return m
        return None

    def place_at(self, tok: Token | int, types: Iterable[str]) -> Span | None:
        """The shortest name mention of one of ``types`` starting at a token (or index)."""
        i = tok if isinstance(tok, int) else tok.i
        for m in self.at.get(i, ()):
            if m.start == i and m._.ng_type in types and is_name(m) and m.label_ != "NORP":
                return m
        return None

    def place_ending_at(self, end: int) -> Span | None:
        """A place name ending right before token ``end``."""
        for m in self.at.get(end - 1, ()):
            if m.end == end and m._.ng_type in PLACES and is_name(m):
                return m
        return None

    def person_ending_at(self, end: int) -> Span | None:
        """A person's name ending right before token ``end``."""
        for m in self.at.get(end - 1, ()):
            if m.end == end and typ(m) == PERSON and is_name(m):
                return m
        return None

    def people_of(self, tok: Token) -> list[Span]:
        """The people a token names, itself or through its conjuncts and appositions."""
        m = self.mention(tok)
        if m is not None and typ(m) == PERSON:
            return [m]
        out = []
        for c in tok.children:
            if c.dep_ in ("conj", "appos"):
                m = self.mention(c)
                if m is not None and typ(m) == PERSON:
                    out.append(m)
        return out

    def sent_mentions(self, sent: Span) -> list[Span]:
        """All mentions of a sentence (nested ones too), in text order."""
        seen: dict[tuple[int, int], Span] = {}
        for i in range(sent.start, sent.end):
            for m in self.at.get(i, ()):
                seen.setdefault((m.start, m.end), m)
        return [seen[k] for k in sorted(seen)]

    def mention_starts(self, sent: Span) -> list[int]:
        """Indices of the sentence's tokens that are part of a mention."""
        at = self.at
        return [i for i in range(sent.start, sent.end) if i in at]

    def pobj_mentions(self, prep: Token) -> list[Span]:
        """Mentions governed by a preposition (the object and its conjuncts/appositions)."""
        out: list[Span] = []
        for obj in prep.children:
            if obj.dep_ not in ("pobj", "pcomp"):
                continue
            targets = [obj, *[c for c in obj.children if c.dep_ in ("conj", "appos")]]
            for t in targets:
                m = self.country_like(t)
                if m is None and t.lower_ in self.words.admin_nouns:  # "in Tarlac province": the name before
                    m = next((self.by_token[c.i] for c in t.children if c.dep_ == "compound" and c.i in self.by_token
                              and self.by_token[c.i]._.ng_type == PLACE), None)
                if m is None or m in out:
                    continue
                if m.label_ == "NORP" and self.demonym_at.get(t.i) is m and m.end - 1 == t.i:
                    continue  # "in Spanish", "of Serbs": a language or a people, not a place
                if not is_name(m):
                    named = self.named_by_of(t) or self.government_country(t)  # "the town of Sid" -> Sid
                    if named is not None:
                        m = named
                    elif m._.ng_type not in PLACES:
                        continue
                if m not in out:
                    out.append(m)
        return out

    def named_by_of(self, tok: Token) -> Span | None:
        """The name in "the town of Sid", "the province of Kosovo" (a generic noun + of + name)."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    m = self.name_at(obj) if obj.dep_ == "pobj" else None
                    if m is not None and m._.ng_type != PERSON and m.label_ != "NORP":
                        return m
        return None

    def government_country(self, tok: Token) -> Span | None:
        """ "the Cambodian government", "Myanmar's military government" -> the country span."""
        if tok.lower_ not in self.words.government_nouns:
            return None
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                m = self.demonym_at.get(c.i) or self.place_at(c, {COUNTRY})
                if m is not None and m._.ng_type == COUNTRY:
                    return m
        return None

    def demonym_government(self, tok: Token) -> Span | None:
        """ "the Cambodian government" -> the Cambodia span (the demonym typed as its country)."""
        if tok.lemma_.lower() not in self.words.government_lemmas:
            return None
        for c in tok.children:
            if c.i in self.demonym_at:
                return self.demonym_at[c.i]
        return None
