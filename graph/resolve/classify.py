"""The first pass: what each mention is on its own, before any mention is compared with another.

Every mention of the document (those in its claims included) becomes one ``Item``: a
pronoun, a description ("the rights group"), a generic group or facility ("victims",
"scam compounds") or a name; countries, demonyms and government metonyms get their
``Country/..`` key at once, titles are stripped into roles, and a capital city that
speaks ("Phnom Penh said") is marked so the place pass can make it its country.
"""

from __future__ import annotations

import bisect
import re

from graph.model import Claim, EntityType, Extraction, Mention
from graph.resolve import aliases as al
from graph.resolve import coref, linking
from graph.resolve.items import Item, Work, make_country

#: relations whose subject is an actor (a capital city as their subject means its government)
ACTOR_SUBJECT = {
    "accuses", "criticizes", "callsOn", "denies", "sanctions", "arrests", "charges", "repatriates", "raids",
    "shutsDown", "funds", "cooperatesWith", "signsAgreementWith", "closedBorderWith", "estimates", "rescuedBy",
}
#: relations whose object is an actor
ACTOR_OBJECT = {"accuses", "criticizes", "callsOn", "sanctions", "cooperatesWith", "signsAgreementWith", "funds"}
#: a speech or action verb right after a name: "Phnom Penh denied", "Naypyitaw has repeatedly said"
SPEECH_AFTER = re.compile(
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
_GENERIC_TYPES = {EntityType.GROUP, EntityType.FACILITY, EntityType.TOPIC}


def classify_mentions(work: Work) -> None:
    """One item per distinct mention span, in document order, each classified on its own.

    Why first: every later pass compares items, and the classification (pronoun,
    description, generic, name; countries keyed at once) is what they compare."""
    extraction = work.extraction
    text = work.text
    sentences = sorted(extraction.sentences)
    actor_spans = _actor_spans(extraction.claims)

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
    work.items = [
        classify(m, text, sentence_of(m.start), actor_spans, work, _at_sentence_start(text, m.start, starts))
        for m in _collect(extraction)
    ]


def _collect(extraction: Extraction) -> list[Mention]:
    """The document's mentions and those its claims name, one per span, sorted by span
    (the first one given for a span wins)."""
    by_span: dict[tuple[int, int], Mention] = {}
    for m in extraction.mentions:
        by_span.setdefault(m.span, m)
    for c in extraction.claims:
        for m in (c.subject, c.obj, c.source):
            if isinstance(m, Mention):
                by_span.setdefault(m.span, m)
    return [by_span[s] for s in sorted(by_span)]


def _actor_spans(claims: list[Claim]) -> set[tuple[int, int]]:
    """Spans of mentions that act in a claim (accuse, sanction, are quoted ...): a capital
    city there stands for its government."""
    out: set[tuple[int, int]] = set()
    for c in claims:
        if c.relation in ACTOR_SUBJECT:
            out.add(c.subject.span)
        if c.relation in ACTOR_OBJECT and isinstance(c.obj, Mention):
            out.add(c.obj.span)
        if c.source is not None:
            out.add(c.source.span)
    return out


def classify(
    m: Mention, text: str, sentence: int, actor_spans: set[tuple[int, int]], work: Work, at_start: bool = False
) -> Item:
    """The item of one mention: its kind, type and cleaned name; countries keyed, titles
    stripped into roles, a speaking capital marked with its country (``work`` gives the
    rules' country and title tables)."""
    countries, titles = work.countries, work.titles
    raw = al.nfkc(m.text)
    shouting = raw.isupper() and len(raw) > 1  # "US" is a country, "us" a pronoun
    if (m.label == "PRON" or coref.is_pronoun(raw)) and not shouting:
        return Item(m, "pronoun", m.type, raw, sentence)
    gov = countries.government(raw)
    if gov:
        return make_country(Item(m, "named", EntityType.COUNTRY, al.clean_name(raw), sentence), gov, countries)
    if m.label == "NOMINAL":
        return Item(m, "nominal", m.type, al.clean_name(raw), sentence)
    links = dict(m.links)
    name = al.clean_name(m.normalized or raw)
    item = Item(m, "named", m.type, name, sentence, at_start=at_start)
    if m.type in (EntityType.ORGANIZATION, EntityType.THING, EntityType.FACILITY) and titles.has_honorific(name):
        item.type = EntityType.PERSON  # "Mr Aishima" is a person whatever the tagger says
    iso = links.get("iso3166", "")
    if re.fullmatch(r"[A-Z]{2}", iso):
        return make_country(item, iso, countries)
    if m.type in (EntityType.COUNTRY, EntityType.PLACE, EntityType.THING) or m.label in ("GPE", "NORP", "LOC"):
        code = countries.code(name) or countries.code(al.clean_name(raw))
        if code is None and (m.type is EntityType.COUNTRY or m.label == "NORP"):
            code = countries.demonym(name) or countries.demonym(al.clean_name(raw))
        if code:
            return make_country(item, code, countries)
    if m.type is EntityType.PLACE:
        capital = linking.capital_of(name)
        prev = re.search(r"(\w+)\W*$", text[max(0, m.start - 20) : m.start])
        after_preposition = bool(prev and prev.group(1).casefold() in _PREPOSITIONS)
        if capital and not after_preposition and (
            m.span in actor_spans or SPEECH_AFTER.match(text[m.end : m.end + 60])
        ):
            item.capital_of = capital  # decided with the document's countries in link_places
        if "geonames" in links or "iso3166" in links:
            item.links = {k: v for k, v in links.items() if k in ("geonames", "iso3166")}
        return item
    if m.type in (EntityType.PERSON, EntityType.THING, EntityType.ORGANIZATION) and len(name.split()) <= 3 \
            and linking.capital_of(name) \
            and SPEECH_AFTER.match(text[m.end : m.end + 60]):
        item.type = EntityType.PLACE  # a capital mistagged as a person or body: "Naypyitaw said"
        item.capital_of = linking.capital_of(name)
        item.retyped = True
        return item
    if item.type is EntityType.PERSON:
        name, roles = titles.strip_title(name)
        before = titles.before(text, m.start)
        after = titles.after(text, m.end)
        item.name = name or item.name
        item.roles = [r for r in [*roles, before, after] if r]
        return item
    if m.type in _GENERIC_TYPES and (not al.is_proper(name) or (len(name.split()) == 1 and at_start)):
        item.kind = "generic"
        return item
    return item


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
