"""Names the statistical NER misses or cuts, for the entity tagger (``entities.py``).

Capitalised chunks ("U.S. Department of the Treasury", "Oyin Jolayemi Street", "Samart
Senasook"), titles before a person's name ("Prime Minister Hun Manet" -> Hun Manet, role
kept), proper nouns listed with named mentions, a name repeated later in the document and
organisations defined with their acronym ("International Justice Mission (IJM)").
``NameFinder`` holds these methods; ``EntityTagger`` inherits them and owns the gazetteer,
the lexicon and the candidates they read and add to.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from graph.extract.lexicon import Lexicon
from graph.model import EntityType

LOCATIVE = {"in", "at", "from", "to", "near", "of", "into", "outside", "inside", "across", "around", "via", "through", "towards", "toward"}


class NameFinder:
    """The name-finding half of ``EntityTagger`` (see the module docstring)."""

    # owned by EntityTagger
    lexicon: Lexicon
    surface: dict[str, tuple[str, str, str]]  # gazetteer: text -> (kind, norm, link)
    cities: dict[str, str]  # city name -> GeoNames id
    _pending: dict[int, tuple[Span, EntityType, str | None, tuple]]  # id(span) -> candidate attributes
    _roles: dict[int, str]  # id(span) -> the title stripped before a person's name
    _set: Callable[..., Span]
    _noise: Callable[[Span], bool]

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
