"""Resolve: group a document's mentions into entities with deterministic keys.

Keys are what the rdf stage mints IRIs from, so the same entity gets the same IRI in every
document and every run:

- countries ``"Country/KH"`` (ISO 3166 alpha-2; names, demonyms and government metonyms
  such as "the Cambodian government" or a capital speaking, "Phnom Penh said");
- linked places ``"Place/geonames:1821306"`` or ``"Place/iso3166-2:TH-63"``;
- generic groups and unnamed facilities are one node per document,
  ``"Group/<doc id>/victim"``; topics ``"Topic/online fraud"``;
- everything else ``"<Type>/<normalised name>"``, with short forms, acronyms and
  surnames resolved to the full name seen in the document (or in earlier documents, when a
  ``Resolver`` is kept across documents), titles stripped into ``Entity.roles`` and
  pronouns / definite descriptions resolved to the nearest compatible antecedent.

``resolve(extraction)`` resolves one document; ``Resolver().resolve`` does the same and
remembers names across documents so labels stay consistent.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field, replace

from graph.model import Claim, Entity, EntityType, Extraction, Mention, ResolvedDocument
from graph.resolve import aliases as al
from graph.resolve import coref, linking
from graph.rules import default_rules

log = logging.getLogger("newsgraph")

__all__ = ["Resolver", "resolve", "normalize_name", "canonical_label", "entity_key"]

#: relations whose subject is an actor (a capital city as their subject means its government)
ACTOR_SUBJECT = {
    "accuses", "criticizes", "callsOn", "denies", "sanctions", "arrests", "charges", "repatriates", "raids",
    "shutsDown", "funds", "cooperatesWith", "signsAgreementWith", "closedBorderWith", "estimates", "rescuedBy",
}
#: relations whose object is an actor
ACTOR_OBJECT = {"accuses", "criticizes", "callsOn", "sanctions", "cooperatesWith", "signsAgreementWith", "funds"}
_SPEECH_AFTER = re.compile(
    r"^\s*(?:(?:has|have|had|was|is|will|would|also|previously|repeatedly|earlier|later|again|not|"
    r"n't|quickly|swiftly|strongly|on\s+\w+day|,)\s*)*"
    r"(?:said|says|say|told|tells|denied|denies|deny|rejected|rejects|accused|accuses|announced|announces|"
    r"insisted|insists|claimed|claims|responded|responds|warned|warns|stated|states|argued|argues|"
    r"dismissed|dismisses|condemned|condemns|called|calls|urged|urges|vowed|vows|pledged|pledges|"
    r"agreed|agrees|protested|protests|demanded|demands|confirmed|confirms|blamed|blames|"
    r"seized|seizes|imposed|imposes|sanctioned|sanctions|deported|deports|arrested|arrests|raided|raids|"
    r"banned|bans|closed|closes|ordered|orders|blocked|blocks|expelled|expels|froze|freezes|launched|"
    r"launches|recalled|recalls|summoned|summons|signed|signs|sent|sends|approved|approves)\b"
)
_PREPOSITIONS = {"in", "at", "from", "to", "near", "of", "into", "outside", "inside", "around", "across", "via",
                 "through", "toward", "towards", "between", "within", "by", "on", "for"}
_APPOSITION = re.compile(r"\s*,\s*(?:(?:a|an|the)\s+)?[\w-]*\s*")
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*)?(?:and|or|(?:a|an|the)\s)\b", re.IGNORECASE)
#: "It is reported that", "it was not clear whether": an expletive "it", no antecedent
_EXPLETIVE = re.compile(
    r"\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be|seems|seemed|appears|appeared)\s+"
    r"(?:also\s+|not\s+|now\s+|still\s+)?(?:[a-z]+ed|clear|unclear|possible|impossible|likely|unlikely|true|"
    r"known|unknown|said|thought|feared|hoped|understood)\s+(?:that|whether|if|how|why|when|where|who)\b"
)
_NEW = "\x00new"  # a description that introduces someone new
_NEW_ORG = "\x00new-org"  # "a Cambodian conglomerate": a new unnamed organisation
_GENERIC_TYPES = {EntityType.GROUP, EntityType.FACILITY, EntityType.TOPIC}
_PLACE_LIKE = {EntityType.PLACE, EntityType.FACILITY, EntityType.COUNTRY}


# ---------------------------------------------------------------------------- compatibility helpers


def normalize_name(name: str) -> str:
    """Comparison form of a name: case, accents, article and possessive folded."""
    return al.name_key(name)


def canonical_label(mention: Mention) -> str:
    """Preferred label of a mention on its own: the extractor's normalised name, else its tidied text."""
    return mention.normalized or al.clean_name(mention.text)


def entity_key(mention: Mention) -> str:
    """Deterministic key of a mention resolved on its own (no document context)."""
    resolved = Resolver().resolve(
        Extraction(document=_dummy_document(mention), mentions=[mention], claims=[]),
    )
    return resolved.mention_entity.get(mention.span) or f"{mention.type.value}/{normalize_name(canonical_label(mention))}"


def _dummy_document(mention: Mention):
    from graph.model import Document

    text = " " * mention.start + mention.text
    return Document(key=f"mention:{mention.doc_id}", text=text, source="-")


# ---------------------------------------------------------------------------- working records


@dataclass(slots=True)
class _Item:
    mention: Mention
    kind: str  # "named", "generic", "pronoun", "nominal"
    type: EntityType
    name: str  # cleaned name (titles stripped)
    sentence: int
    roles: list[str] = field(default_factory=list)
    key: str | None = None
    label: str | None = None  # fixed label (linked places, expanded acronyms)
    links: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    long: float | None = None
    capital_of: str | None = None  # a capital city used as the subject of speech: its country
    at_start: bool = False  # first word of a sentence (its capital letter says nothing)
    retyped: bool = False  # typed as a place by the resolver, not the extractor
    count: str = ""  # surface of the exact count a generic group's key was split by ("771")
    country: str | None = None  # a linked place's country (alpha-2)
    capital: bool = False  # a linked place that is its country's capital
    modifier: bool = False  # inside a longer mention ("London" of "the London-based group")
    nationalities: frozenset[str] = frozenset()  # what extraction's nationality claims say of it


@dataclass(slots=True)
class _Known:
    """What a Resolver remembers across documents."""

    labels: dict[str, str] = field(default_factory=dict)  # key -> first label given
    orgs: dict[str, str] = field(default_factory=dict)  # name key -> entity key (multi-word names)
    persons: dict[str, str] = field(default_factory=dict)  # full-name key -> entity key


class Resolver:
    """Resolves documents one by one; keep one instance across a build so short forms in a
    later document find full names seen earlier and every key keeps its first label."""

    def __init__(self) -> None:
        self.known = _Known()
        self.countries = linking.Countries.of(None)
        self.titles = al.Titles.of(None)
        self.acronyms = default_rules().acronyms

    # -- entry point ---------------------------------------------------------------------
    def resolve(self, extraction: Extraction) -> ResolvedDocument:
        # the tables of the rules the extraction was made with (the user's --rules included)
        self.countries = linking.Countries.of(extraction.rules)
        self.titles = al.Titles.of(extraction.rules)
        self.acronyms = (extraction.rules or default_rules()).acronyms
        document = extraction.document
        text = document.text
        mentions = self._collect(extraction)
        sentences = sorted(extraction.sentences)
        actor_spans = self._actor_spans(extraction.claims)

        def sentence_of(pos: int) -> int:
            lo, hi = 0, len(sentences)
            while lo < hi:
                mid = (lo + hi) // 2
                if sentences[mid][0] <= pos:
                    lo = mid + 1
                else:
                    hi = mid
            return max(lo - 1, 0)

        starts = sorted({s for s, _ in sentences})
        items = [
            self._classify(m, text, sentence_of(m.start), actor_spans, _at_sentence_start(text, m.start, starts))
            for m in mentions
        ]
        _mark_modifiers(items, text)
        self._named_descriptions(items)
        self._apposed_people(items, text)
        context = {it.key.split("/", 1)[1] for it in items if it.key and it.key.startswith("Country/")}
        for it in items:
            if it.kind == "named" and it.key is None and it.type is EntityType.PLACE:
                self._link_place(it, context)
        self._persons(items)
        self._orgs(items)
        for it in items:
            if it.key is None and it.kind in ("named", "generic") and al.name_key(it.name):
                it.key = self._plain_key(it, document.id)
        self._counted_groups(items, text)
        self._bare_generics(items)
        _nationalities(items, extraction.claims)
        self._coreference(items, text, document.id)
        return self._assemble(extraction, items)

    # -- steps -----------------------------------------------------------------------------
    @staticmethod
    def _collect(extraction: Extraction) -> list[Mention]:
        by_span: dict[tuple[int, int], Mention] = {}
        for m in extraction.mentions:
            by_span.setdefault(m.span, m)
        for c in extraction.claims:
            for m in (c.subject, c.obj, c.source):
                if isinstance(m, Mention):
                    by_span.setdefault(m.span, m)
        return [by_span[s] for s in sorted(by_span)]

    @staticmethod
    def _actor_spans(claims: list[Claim]) -> set[tuple[int, int]]:
        out: set[tuple[int, int]] = set()
        for c in claims:
            if c.relation in ACTOR_SUBJECT:
                out.add(c.subject.span)
            if c.relation in ACTOR_OBJECT and isinstance(c.obj, Mention):
                out.add(c.obj.span)
            if c.source is not None:
                out.add(c.source.span)
        return out

    def _classify(
        self, m: Mention, text: str, sentence: int, actor_spans: set[tuple[int, int]], at_start: bool = False
    ) -> _Item:
        raw = al.nfkc(m.text)
        shouting = raw.isupper() and len(raw) > 1  # "US" is a country, "us" a pronoun
        if (m.label == "PRON" or coref.is_pronoun(raw)) and not shouting:
            return _Item(m, "pronoun", m.type, raw, sentence)
        gov = self.countries.government(raw)
        if gov:
            return self._country(_Item(m, "named", EntityType.COUNTRY, al.clean_name(raw), sentence), gov)
        if m.label == "NOMINAL":
            return _Item(m, "nominal", m.type, al.clean_name(raw), sentence)
        links = dict(m.links)
        name = al.clean_name(m.normalized or raw)
        item = _Item(m, "named", m.type, name, sentence, at_start=at_start)
        if m.type in (EntityType.ORGANIZATION, EntityType.THING, EntityType.FACILITY) and self.titles.has_honorific(name):
            item.type = EntityType.PERSON  # "Mr Aishima" is a person whatever the tagger says
        iso = links.get("iso3166", "")
        if re.fullmatch(r"[A-Z]{2}", iso):
            return self._country(item, iso)
        if m.type in (EntityType.COUNTRY, EntityType.PLACE, EntityType.THING) or m.label in ("GPE", "NORP", "LOC"):
            code = self.countries.code(name) or self.countries.code(al.clean_name(raw))
            if code is None and (m.type is EntityType.COUNTRY or m.label == "NORP"):
                code = self.countries.demonym(name) or self.countries.demonym(al.clean_name(raw))
            if code:
                return self._country(item, code)
        if m.type is EntityType.PLACE:
            capital = linking.capital_of(name)
            prev = re.search(r"(\w+)\W*$", text[max(0, m.start - 20) : m.start])
            after_preposition = bool(prev and prev.group(1).casefold() in _PREPOSITIONS)
            if capital and not after_preposition and (
                m.span in actor_spans or _SPEECH_AFTER.match(text[m.end : m.end + 60])
            ):
                item.capital_of = capital  # decided with the document's countries in _link_place
            if "geonames" in links or "iso3166" in links:
                item.links = {k: v for k, v in links.items() if k in ("geonames", "iso3166")}
            return item
        if m.type in (EntityType.PERSON, EntityType.THING, EntityType.ORGANIZATION) and len(name.split()) <= 3 \
                and linking.capital_of(name) \
                and _SPEECH_AFTER.match(text[m.end : m.end + 60]):
            item.type = EntityType.PLACE  # a capital mistagged as a person or body: "Naypyitaw said"
            item.capital_of = linking.capital_of(name)
            item.retyped = True
            return item
        if item.type is EntityType.PERSON:
            name, roles = self.titles.strip_title(name)
            before = self.titles.before(text, m.start)
            after = self.titles.after(text, m.end)
            item.name = name or item.name
            item.roles = [r for r in [*roles, before, after] if r]
            return item
        if m.type in _GENERIC_TYPES and (not al.is_proper(name) or (len(name.split()) == 1 and at_start)):
            item.kind = "generic"
            return item
        return item

    @staticmethod
    def _named_descriptions(items: list[_Item]) -> None:
        """A description led by a person's or organisation's name ("the Trump administration")
        names something of its own; it does not refer back to the nearest country."""
        names = {
            w for it in items if it.kind == "named" and it.type in (EntityType.PERSON, EntityType.ORGANIZATION)
            for w in it.name.split() if w[:1].isupper()
        }
        for it in items:
            if it.kind == "nominal" and any(w in names for w in it.name.split()[:-1]):
                it.kind = "named"
                if it.type in (EntityType.THING, EntityType.COUNTRY, EntityType.PLACE):
                    it.type = EntityType.ORGANIZATION

    @staticmethod
    def _apposed_people(items: list[_Item], text: str) -> None:
        """"Lim Bun Heng, a Cambodian-Chinese tycoon": a name apposed to a description of a
        person is a person, whatever the tagger said (and so are its short forms)."""
        ordered = sorted(items, key=lambda i: (i.mention.start, i.mention.end))
        starts = [i.mention.start for i in ordered]
        people: set[str] = set()
        for it in ordered:
            if it.kind != "nominal" or coref.NOMINAL_TYPES.get(coref.nominal_head(it.name)) != (EntityType.PERSON,):
                continue
            prev = _preceding(ordered, it.mention.start, starts)
            if prev is None:
                continue
            if prev.kind == "named" and prev.key is None and prev.type in (EntityType.ORGANIZATION, EntityType.THING) \
                    and len(prev.name.split()) >= 2 and _APPOSITION.fullmatch(text[prev.mention.end : it.mention.start]):
                prev.type = EntityType.PERSON
                people.add(al.name_key(prev.name))
                people.update(al.name_key(prev.name).split())
        for it in items:
            key = al.name_key(it.name)
            if it.kind == "named" and it.key is None and it.type is EntityType.ORGANIZATION and key in people and (
                len(key.split()) == 1 or key in people
            ):
                it.type = EntityType.PERSON

    def _country(self, item: _Item, code: str) -> _Item:
        item.type = EntityType.COUNTRY
        item.key = f"Country/{code}"
        item.label = self.countries.label(code)
        item.links = {"iso3166": code}
        return item

    def _link_place(self, item: _Item, context: set[str]) -> None:
        place = linking.link_place(item.name, frozenset(context))
        if item.retyped and item.capital_of not in context:
            item.type, item.capital_of = item.mention.type, None
            return
        if item.capital_of and (place is None or place.country == item.capital_of or item.capital_of in context):
            self._country(item, item.capital_of)  # "Phnom Penh said" = the government of Cambodia
            return
        if place is None:
            gid = item.links.get("geonames")
            if gid and gid.isdigit():
                item.key = f"Place/geonames:{gid}"
            return
        _place_item(item, place)

    def _persons(self, items: list[_Item]) -> None:
        """Full names key persons; a lone surname or given name joins the nearest full name
        that contains it (earlier in the document first), else a unique one known from
        earlier documents."""
        persons = [it for it in items if it.kind == "named" and it.type is EntityType.PERSON and it.key is None]
        full = [it for it in persons if len(al.name_key(it.name).split()) >= 2]
        for it in full:
            it.key = f"Person/{al.name_key(it.name)}"
        org_names = [al.name_key(o.name) for o in items if o.type is EntityType.ORGANIZATION and o.kind == "named"]
        for it in persons:
            if it.key is not None:
                continue
            token = al.name_key(it.name)
            if not token:
                continue
            if any(o.startswith(token + " ") for o in org_names):
                it.type = EntityType.ORGANIZATION  # "Amnesty" mistyped as a person
                continue
            hits = [f for f in full if token in al.name_key(f.name).split()]
            before = [f for f in hits if f.mention.start < it.mention.start]
            if before:
                # several people share the name: the one named most often, then first ("Mr Lim"
                # is the tycoon, not the nephew named once later)
                counts: dict[str, int] = {}
                for f in before:
                    counts[f.key or ""] = counts.get(f.key or "", 0) + 1
                it.key = min(before, key=lambda f: (-counts[f.key or ""], f.mention.start)).key
            elif hits:
                it.key = hits[0].key
            else:
                known = sorted({k for n, k in self.known.persons.items() if token in n.split()})
                it.key = known[0] if len(known) == 1 else f"Person/{token}"
        for it in full:
            assert it.key is not None
            self.known.persons.setdefault(al.name_key(it.name), it.key)

    def _orgs(self, items: list[_Item]) -> None:
        """Acronyms and short forms of organisations join their full name."""
        orgs = [it for it in items if it.kind == "named" and it.type is EntityType.ORGANIZATION and it.key is None]
        acronyms = self.acronyms
        for it in orgs:
            full = acronyms.get(it.name) or acronyms.get(it.mention.text.strip())
            if full:
                it.name = full
        longs = sorted({al.name_key(it.name): it.name for it in orgs if len(al.name_key(it.name).split()) >= 2}.items())
        for it in orgs:
            key = al.name_key(it.name)
            if not key:
                continue  # punctuation only: no name, no entity
            target = key
            if len(key.split()) < 2 or al.looks_like_acronym(it.name):
                bare = it.name.replace(".", "")
                cands = [k for k, name in longs if k != key and (k.startswith(key + " ") or (
                    al.looks_like_acronym(it.name) and al.initials(name) == bare))]
                if not cands and len(key.split()) == 1:  # "Treasury" for "US Treasury"
                    cands = [k for k, _ in longs if k.endswith(" " + key) and len(k.split()) == 2]
                if not cands:
                    cands = sorted({k for k in self.known.orgs if k != key and (k.startswith(key + " ") or (
                        al.looks_like_acronym(it.name) and al.initials(self.known.orgs[k]) == bare))})
                if len(cands) == 1:
                    target = cands[0]
                elif len(cands) > 1:
                    # several expansions: the one written nearest before this mention
                    earlier = [o for o in orgs if al.name_key(o.name) in cands and o.mention.start < it.mention.start]
                    target = al.name_key(earlier[-1].name) if earlier else key
            it.key = f"Organization/{target}"
        for k, name in longs:
            self.known.orgs.setdefault(k, name)

    @staticmethod
    def _plain_key(it: _Item, doc_id: str) -> str:
        if it.kind == "generic":
            folded = al.group_key(it.name) or al.name_key(it.name)
            if it.type is EntityType.TOPIC:
                return f"Topic/{folded}"
            return f"{it.type.value}/{doc_id}/{folded}"
        return f"{it.type.value}/{al.name_key(it.name)}"

    @staticmethod
    def _counted_groups(items: list[_Item], text: str) -> None:
        """Groups counted differently are different groups ("at least 2,000 people" held in the
        zone, "771 people" detained in raids): when one document gives the same group words
        two different counts, each count gets its own key; an uncounted mention of those
        words joins the counted group written nearest before it (the first one if none is)."""
        by_key: dict[str, list[_Item]] = {}
        for it in sorted(items, key=lambda i: (i.mention.start, i.mention.end)):
            if it.kind == "generic" and it.type is EntityType.GROUP and it.key:
                by_key.setdefault(it.key, []).append(it)
        for key, group in by_key.items():
            counts = [al.count_before(text, it.mention.start) for it in group]
            if len({c[0] for c in counts if c}) < 2:
                continue  # one count or none: "the victims" ... "the victims" stay one group
            prefix, folded = key.rsplit("/", 1)
            current = next(c for c in counts if c)
            for it, c in zip(group, counts, strict=True):
                current = c or current
                it.key = f"{prefix}/{current[0]} {folded}"
                it.count = current[1]

    @staticmethod
    def _bare_generics(items: list[_Item]) -> None:
        """A bare head noun ("the workers", "compounds") refers back to the nearest preceding
        group or facility of the document with that head ("migrant workers", "scam compounds")."""
        last: dict[tuple[EntityType, str], str] = {}
        for it in sorted(items, key=lambda i: (i.mention.start, i.mention.end)):
            if it.kind != "generic" or it.key is None or it.type is EntityType.TOPIC:
                continue
            words = it.key.rsplit("/", 1)[-1].split()
            if len(words) == 1 and (it.type, words[0]) in last:
                it.key = last[(it.type, words[0])]
            elif len(words) > 1:
                last[(it.type, words[-1])] = it.key

    def _coreference(self, items: list[_Item], text: str, doc_id: str = "") -> None:
        chain = coref.Chain()
        introduced: dict[str, int] = {}
        starts = [i.mention.start for i in items]  # items are in document order
        for it in sorted(items, key=lambda i: (i.mention.start, i.mention.end)):
            m = it.mention
            if it.kind == "pronoun":
                if _EXPLETIVE.match(text[m.end : m.end + 60]) and m.text.strip().casefold() == "it":
                    continue  # "It is reported that ...": refers to nothing
                it.key = coref.resolve_pronoun(chain, m.text, m.start, it.sentence)
                if it.key:
                    it.type = _type_of(it.key)
            elif it.kind == "nominal":
                it.key = self._nominal(it, items, starts, chain, text)
                if it.key == _NEW:
                    it.key = self._introduce(it, doc_id, introduced)
                elif it.key == _NEW_ORG:
                    it.key = self._introduce(it, doc_id, introduced, EntityType.ORGANIZATION)
                if it.key:
                    it.type = _type_of(it.key)
            if it.key is None:
                continue
            plural = it.kind == "generic" and al.is_plural(it.name) or (
                it.kind == "pronoun" and m.text.strip().casefold() in ("they", "them", "their"))
            gender = coref.gender_near(text, m.start, m.end) if it.type is EntityType.PERSON and it.kind in (
                "named", "introduced") else None
            possessive = text[m.end : m.end + 2] in ("'s", "’s") or text[m.end : m.end + 1] in ("'", "’")
            chain.add(coref.Antecedent(
                m.start, m.end, it.key, it.type, plural, gender, it.kind in ("named", "introduced"), it.sentence,
                possessive, coref.after_preposition(text, m.start), it.modifier, it.country, it.capital,
            ), _profile(it, text, self.countries))

    def _nominal(self, it: _Item, items: list[_Item], starts: list[int], chain: coref.Chain, text: str) -> str | None:
        """A description: "the rights group" refers back; "a Thai woman named Yathada" and
        "another Chinese man, Yutai" introduce the name that follows; "an 18-year-old Thai
        survivor" or "his friend" introduce someone unnamed (``_NEW``)."""
        m = it.mention
        types = coref.NOMINAL_TYPES.get(coref.nominal_head(it.name), ())
        if not types and m.type is not EntityType.THING:
            types = (m.type,)
        lead = _description_start(text, m.start)
        if lead < m.start:  # "An 18-" cut off "year-old Thai survivor": the whole description
            it.name = al.clean_name(text[lead : m.end])
        det = coref.determiner_before(text, lead)
        gender = coref.gender_near(text, lead, m.end) if EntityType.PERSON in types else None
        profile = _profile(it, text, self.countries)
        prev = _preceding(items, m.start, starts)
        if prev is not None and prev.kind == "named" and prev.key:
            # apposition: "Lim Bun Heng, a Cambodian-Chinese tycoon"
            if _APPOSITION.fullmatch(text[prev.mention.end : m.start]) and (
                not types or _type_of(prev.key) in types
            ):
                return prev.key
        if prev is not None and prev.kind in ("introduced", "nominal") and prev.key and types \
                and _type_of(prev.key) in types and _APPOSITION.fullmatch(text[prev.mention.end : lead]) \
                and not _LIST_GOES_ON.match(text[m.end : m.end + 40]) and chain.compatible(prev.key, profile):
            # a description apposed to a description: "Another detainee, a 39-year-old man from ..."
            # (not a list: "a survivor, a teacher and a driver")
            return prev.key
        first = bisect.bisect_left(starts, m.end)
        if types and set(types) <= _PLACE_LIKE and first < len(items) and items[first].kind == "named" \
                and re.fullmatch(r"\s+of\s+", text[m.end : items[first].mention.start]):
            # "the border town of Mae Sot" names the town that follows; it refers back to nothing
            nxt = items[first]
            return nxt.key if nxt.key and _type_of(nxt.key) in types else None
        if types and det not in coref.INDEFINITE and first < len(items):
            # "the Southeast Asian nation's capital, Phnom Penh": a description apposed to the
            # name that follows it names that entity
            nxt = items[first]
            after = text[nxt.mention.end : nxt.mention.end + 60]
            if nxt.kind == "named" and nxt.key and _type_of(nxt.key) in types \
                    and re.fullmatch(r"\s*,\s*", text[m.end : nxt.mention.start]) \
                    and re.match(r"\s*(?:[,.;:)\"”’]|and\b|or\b|$)", after) and not _SPEECH_AFTER.match(after):
                return nxt.key
        owner = _owner(items, starts, lead, text, m.end) if types and set(types) <= _PLACE_LIKE else None
        if owner is not None and coref.nominal_head(it.name) == "capital":
            place = _capital_of(owner)  # "Cambodia's capital" is Phnom Penh, whatever came before
            if place is not None:
                _place_item(it, place)
                return it.key
        if det in coref.INDEFINITE or det in coref.POSSESSIVE:
            first = bisect.bisect_left(starts, m.end)
            for nxt in items[first:]:
                if nxt.kind != "named" or nxt.key is None:
                    continue
                if nxt.mention.start - m.end > 80:
                    break
                if _type_of(nxt.key) in types and coref.cataphor_gap_ok(text[m.end : nxt.mention.start]):
                    return nxt.key
            if types == (EntityType.ORGANIZATION,) and det in coref.INDEFINITE and len(it.name.split()) >= 2:
                return _NEW_ORG  # described, not named: its own node, never an earlier organisation
            return _NEW if types == (EntityType.PERSON,) else None
        if m.type is EntityType.GROUP and EntityType.GROUP not in types:  # "the group" as people
            return coref.resolve_people_group(chain, m.start, it.sentence)
        window = 3 if EntityType.PERSON in types else 60
        found = coref.resolve_nominal(chain, it.name, m.start, it.sentence, types, window, gender, profile, owner)
        if found is None and types == (EntityType.PERSON,) and profile \
                and coref.conflicting_antecedent(chain, m.start, it.sentence, types, profile, window):
            return _NEW  # "the Thai survivor" after "a Chinese child": someone else, described
        if found is None and types == (EntityType.FACILITY,):  # "an online gambling complex ... the complex"
            found = coref.resolve_generic_facility(chain, it.name, m.start, it.sentence)
        return found

    @staticmethod
    def _introduce(it: _Item, doc_id: str, introduced: dict[str, int], etype: EntityType = EntityType.PERSON) -> str | None:
        """A new unnamed person of this document ("one survivor from China"): its own node,
        ``Person/<doc id>/survivor`` (``survivor 2`` for the next one); later "he" or "the
        man" can refer to it. Likewise an organisation ("a Cambodian conglomerate")."""
        folded = al.group_key(it.name)
        if not folded:
            return None
        introduced[folded] = introduced.get(folded, 0) + 1
        n = introduced[folded]
        it.kind = "introduced"
        return f"{etype.value}/{doc_id}/{folded}" + (f" {n}" if n > 1 else "")

    # -- output ----------------------------------------------------------------------------
    def _assemble(self, extraction: Extraction, items: list[_Item]) -> ResolvedDocument:
        entities: dict[str, Entity] = {}
        forms: dict[str, list[tuple[int, str]]] = {}
        mention_entity: dict[tuple[int, int], str] = {}
        for it in items:
            if it.key is None:
                continue
            mention_entity[it.mention.span] = it.key
            ent = entities.get(it.key)
            if ent is None:
                ent = entities[it.key] = Entity(key=it.key, type=_type_of(it.key), label="")
            if it.links:
                ent.links.update({k: v for k, v in it.links.items() if v})
            if it.lat is not None and ent.lat is None:
                ent.lat, ent.long = it.lat, it.long
            ent.roles.update(it.roles)
            if it.label:
                forms.setdefault(it.key, []).append((3, it.label))
            elif it.kind == "generic" and it.type is EntityType.TOPIC:
                # topics are shared across documents: label from the key, so it is one label
                forms.setdefault(it.key, []).append((3, it.key.split("/", 1)[1]))
            if it.kind in ("named", "generic"):
                name = al.group_label(it.name) if it.kind == "generic" else it.name
                if it.count:
                    name = f"{it.count} {name}"  # "771 people", not a second "people" node
                if it.kind == "generic" and it.at_start and name[:1].isupper() and name[1:2].islower():
                    name = name[0].lower() + name[1:]  # "Victims were ..." -> "victims"
                forms.setdefault(it.key, []).append((2 if al.is_proper(name) else 1, name))
                surfaces = {al.clean_name(it.mention.text)}
                if it.type is not EntityType.COUNTRY:  # not pycountry's formal name as an alias
                    surfaces.add(it.name)
                if it.capital_of and it.type is EntityType.COUNTRY:
                    surfaces = set()  # "Phnom Penh" said: the city's name is no name of Cambodia
                for surface in surfaces:
                    if surface:
                        ent.aliases.add(surface)
            elif it.kind == "introduced":
                forms.setdefault(it.key, []).append((1, al.group_label(it.name)))
            elif it.kind == "nominal" and len(it.name.split()) >= 2:
                ent.aliases.add(it.name)  # "the rights group" (bare "the group" is no name)
        for key, ent in entities.items():
            candidates = forms.get(key) or [(0, key.rsplit("/", 1)[-1])]
            best = min(candidates, key=lambda f: (-f[0], f[1].isupper() and len(f[1]) > 6, -len(f[1].split()), -len(f[1]), f[1]))[1]
            ent.label = self.known.labels.setdefault(key, best)
            ent.aliases = {a for a in ent.aliases if a and a != ent.label and not coref.is_pronoun(a)}
        countries = {it.key: it.country for it in items if it.key and it.country}
        countries.update({k: k.split("/", 1)[1] for k in entities if k.startswith("Country/")})
        claims: list[Claim] = []
        for c in extraction.claims:
            s = mention_entity.get(c.subject.span)
            o = mention_entity.get(c.obj.span) if isinstance(c.obj, Mention) else "literal"
            if s is None or o is None:
                log.debug("%s: claim %s dropped: unresolved %s", extraction.document.source, c.relation,
                          "subject" if s is None else "object")
                continue
            if s == o:
                continue  # an entity related to itself is a resolution artefact
            if c.relation in ("basedIn", "livesIn", "bornIn") and s.startswith("Country/"):
                continue  # "India's embassy in Phnom Penh" speaks for India, India is not based there
            if c.relation == "locatedIn" and s in countries and o in countries and countries[s] != countries[o]:
                # a linked place lies in the country GeoNames gives it: "London locatedIn Cambodia"
                # comes from a description resolved to the wrong place, not from the sentence
                log.debug("%s: claim %s %s %s dropped: the place lies in %s", extraction.document.source,
                          s, c.relation, o, countries[s])
                continue
            if c.source is not None and c.source.span not in mention_entity:
                c = replace(c, source=None)
            claims.append(c)
        return ResolvedDocument(
            document=extraction.document,
            entities=dict(sorted(entities.items())),
            mention_entity=mention_entity,
            claims=claims,
            mentions=list(extraction.mentions),
        )


def _mark_modifiers(items: list[_Item], text: str) -> None:
    """Flag mentions inside a longer mention ("London" of "the London-based group",
    "Thai" of "a Thai survivor"): modifiers, not what a later "it" or "the city" means.
    A possessive owner ("Myanmar's military government") is no modifier: it is what the
    phrase is about, and pronoun salience treats possessives already; nor is the author
    naming a work ("the Amnesty report ... what it calls"), who speaks for it."""
    end = -1
    outer: _Item | None = None
    for it in sorted(items, key=lambda i: (i.mention.start, -i.mention.end)):
        m = it.mention
        if m.end <= end and text[m.end : m.end + 1] not in ("'", "’"):
            authored = (outer is not None and outer.type in (EntityType.TOPIC, EntityType.WORK)
                        and it.type is EntityType.ORGANIZATION and m.start == outer.mention.start)
            it.modifier = not authored
        if m.end > end:
            end, outer = m.end, it


def _nationalities(items: list[_Item], claims: list[Claim]) -> None:
    """Attach to each mention the countries its ``nationality`` claims name ("a Chinese child",
    "a boy from China"): part of what describes it when descriptions are compared."""
    by_span = {it.mention.span: it for it in items}
    for c in claims:
        if c.relation != "nationality" or not isinstance(c.obj, Mention):
            continue
        subject, obj = by_span.get(c.subject.span), by_span.get(c.obj.span)
        if subject is not None and obj is not None and obj.key and obj.key.startswith("Country/"):
            subject.nationalities |= {obj.key.split("/", 1)[1]}


def _profile(it: _Item, text: str, countries: linking.Countries) -> coref.Profile | None:
    """What a mention says about its entity: a description's nationality, age, gender and
    count; a linked place's or a country's country; a name's nationality claims."""
    if it.key and it.key.startswith("Country/"):
        return coref.Profile(frozenset({it.key.split("/", 1)[1]}))
    if it.country:
        return coref.Profile(frozenset({it.country}))
    if it.kind in ("nominal", "introduced"):
        return coref.describe(it.name, it.nationalities, countries) or None
    if it.nationalities:
        return coref.Profile(it.nationalities)
    return None


_AGE_BEFORE = re.compile(r"(?:\b\d{1,3}|\b[a-z]+(?:-[a-z]+)?)[-\s]+(?:years?|months?)[-\s]+old\s+$", re.IGNORECASE)


def _description_start(text: str, start: int) -> int:
    """Start of the description a mention at ``start`` belongs to: back over a word the
    mention cut ("18-" of "18-year-old") and an age written before it ("an 18-year-old
    Thai survivor"), so its determiner and age are read."""
    lead = start
    while lead > 0 and not text[lead - 1].isspace() and text[lead - 1] not in "\"“‘'(,;:":
        lead -= 1
    m = _AGE_BEFORE.search(text[max(0, lead - 30) : lead])
    if m:
        lead -= len(m.group(0))
    return lead


def _owner(items: list[_Item], starts: list[int], lead: int, text: str, end: int) -> str | None:
    """Country code of the possessive owner of a place description ("Cambodia's capital",
    "the nation's largest city"), when it is a country; else None."""
    # written inside the description: "Cambodia's capital", "the Cambodian capital" (one country only)
    inside: set[str] = set()
    for o in items[bisect.bisect_left(starts, lead) :]:
        if o.mention.start >= end:
            break
        if o.mention.end < end and o.key and o.key.startswith("Country/"):
            inside.add(o.key)
    if inside:
        return inside.pop().split("/", 1)[1] if len(inside) == 1 else None
    prev = _preceding(items, lead, starts)
    if prev is None or not prev.key or not prev.key.startswith("Country/"):
        return None
    if not re.fullmatch(r"['’]s?\s+(?:[\w-]+\s+){0,2}", text[prev.mention.end : lead]):
        return None
    return prev.key.split("/", 1)[1]


def _capital_of(code: str) -> linking.Place | None:
    """The linked capital city of a country ("Cambodia's capital" -> Phnom Penh), or None."""
    name = linking.capital_name(code)
    place = linking.link_place(name, frozenset({code})) if name else None
    return place if place is not None and place.country == code else None


def _place_item(item: _Item, place: linking.Place) -> None:
    """Key, label, links and coordinates of a linked place."""
    item.key = f"Place/{place.key}"
    item.label = place.label
    item.links = {"geonames": place.geonames} if place.geonames else {"iso3166": place.iso3166 or ""}
    item.lat, item.long = place.lat, place.long
    item.country = place.country
    item.capital = linking.capital_name(place.country) == place.label or linking.capital_of(place.label) == place.country


def _at_sentence_start(text: str, start: int, starts: list[int]) -> bool:
    """Whether only whitespace, quotes or an article precede ``start`` in its sentence
    (or on its line): a capital letter there says nothing about a proper name."""
    before = text[max(0, start - 12) : start]
    m = re.search(r"[\s\"“‘'(]*(?:(?:The|A|An)\s+)?$", before)
    lead = start - (len(before) - m.start()) if m else start
    if lead == 0 or text[lead - 1 : lead] == "\n":
        return True
    i = bisect.bisect_left(starts, lead)
    return i < len(starts) and starts[i] <= start


def _preceding(ordered: list[_Item], pos: int, starts: list[int]) -> _Item | None:
    """The item ending last before ``pos`` in a list sorted by span (overlaps skipped);
    ``starts`` are the items' start offsets."""
    i = bisect.bisect_left(starts, pos) - 1
    for j in range(i, max(i - 12, -1), -1):
        if ordered[j].mention.end <= pos:
            return ordered[j]
    return None


def _type_of(key: str) -> EntityType:
    return EntityType(key.split("/", 1)[0])


def resolve(extraction: Extraction, resolver: Resolver | None = None) -> ResolvedDocument:
    """Resolve one document's mentions (and those in its claims) to entities."""
    return (resolver or Resolver()).resolve(extraction)
