"""The last pass: pronouns and descriptions take the key of what they refer to.

It walks the document's items in order and keeps a ``coref.Chain`` of what has been
keyed so far; ``coref`` holds the rules for one pronoun or description against that
chain, this module the walk and what a description's surroundings say (apposition, a
possessive owner, a name that follows, someone new being introduced).
"""

from __future__ import annotations

import bisect
import re

from graph.model import EntityType
from graph.resolve import aliases as al
from graph.resolve import coref, linking
from graph.resolve.classify import SPEECH_AFTER
from graph.resolve.items import APPOSITION, Item, Work, make_place, preceding, type_of

_LIST_GOES_ON = re.compile(r"\s*(?:,\s*)?(?:and|or|(?:a|an|the)\s)\b", re.IGNORECASE)
#: "It is reported that", "it was not clear whether": an expletive "it", no antecedent
_EXPLETIVE = re.compile(
    r"\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be|seems|seemed|appears|appeared)\s+"
    r"(?:also\s+|not\s+|now\s+|still\s+)?(?:[a-z]+ed|clear|unclear|possible|impossible|likely|unlikely|true|"
    r"known|unknown|said|thought|feared|hoped|understood)\s+(?:that|whether|if|how|why|when|where|who)\b"
)
_AGE_BEFORE = re.compile(r"(?:\b\d{1,3}|\b[a-z]+(?:-[a-z]+)?)[-\s]+(?:years?|months?)[-\s]+old\s+$", re.IGNORECASE)
_NEW = "\x00new"  # a description that introduces someone new
_NEW_ORG = "\x00new-org"  # "a Cambodian conglomerate": a new unnamed organisation
_PLACE_LIKE = {EntityType.PLACE, EntityType.FACILITY, EntityType.COUNTRY}


def resolve_references(work: Work) -> None:
    """Pronouns and descriptions, in document order, take the key of the nearest compatible
    antecedent (or introduce someone new); every keyed item becomes a possible antecedent.

    Why last: antecedents must carry their final keys (full names, linked places, counted
    groups) and the nationalities their claims give them."""
    items, text = work.items, work.text
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
                it.type = type_of(it.key)
        elif it.kind == "nominal":
            it.key = _nominal(it, items, starts, chain, text, work.countries)
            if it.key == _NEW:
                it.key = _introduce(it, work.doc_id, introduced)
            elif it.key == _NEW_ORG:
                it.key = _introduce(it, work.doc_id, introduced, EntityType.ORGANIZATION)
            if it.key:
                it.type = type_of(it.key)
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
        ), _profile(it, work.countries))


def _nominal(
    it: Item, items: list[Item], starts: list[int], chain: coref.Chain, text: str, countries: linking.Countries
) -> str | None:
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
    profile = _profile(it, countries)
    prev = preceding(items, m.start, starts)
    if prev is not None and prev.kind == "named" and prev.key:
        # apposition: "Lim Bun Heng, a Cambodian-Chinese tycoon"
        if APPOSITION.fullmatch(text[prev.mention.end : m.start]) and (
            not types or type_of(prev.key) in types
        ):
            return prev.key
    if prev is not None and prev.kind in ("introduced", "nominal") and prev.key and types \
            and type_of(prev.key) in types and APPOSITION.fullmatch(text[prev.mention.end : lead]) \
            and not _LIST_GOES_ON.match(text[m.end : m.end + 40]) and chain.compatible(prev.key, profile):
        # a description apposed to a description: "Another detainee, a 39-year-old man from ..."
        # (not a list: "a survivor, a teacher and a driver")
        return prev.key
    first = bisect.bisect_left(starts, m.end)
    if types and set(types) <= _PLACE_LIKE and first < len(items) and items[first].kind == "named" \
            and re.fullmatch(r"\s+of\s+", text[m.end : items[first].mention.start]):
        # "the border town of Mae Sot" names the town that follows; it refers back to nothing
        nxt = items[first]
        return nxt.key if nxt.key and type_of(nxt.key) in types else None
    if types and det not in coref.INDEFINITE and first < len(items):
        # "the Southeast Asian nation's capital, Phnom Penh": a description apposed to the
        # name that follows it names that entity
        nxt = items[first]
        after = text[nxt.mention.end : nxt.mention.end + 60]
        if nxt.kind == "named" and nxt.key and type_of(nxt.key) in types \
                and re.fullmatch(r"\s*,\s*", text[m.end : nxt.mention.start]) \
                and re.match(r"\s*(?:[,.;:)\"”’]|and\b|or\b|$)", after) and not SPEECH_AFTER.match(after):
            return nxt.key
    owner = _owner(items, starts, lead, text, m.end) if types and set(types) <= _PLACE_LIKE else None
    if owner is not None and coref.nominal_head(it.name) == "capital":
        place = _capital_of(owner)  # "Cambodia's capital" is Phnom Penh, whatever came before
        if place is not None:
            make_place(it, place)
            return it.key
    if det in coref.INDEFINITE or det in coref.POSSESSIVE:
        first = bisect.bisect_left(starts, m.end)
        for nxt in items[first:]:
            if nxt.kind != "named" or nxt.key is None:
                continue
            if nxt.mention.start - m.end > 80:
                break
            if type_of(nxt.key) in types and coref.cataphor_gap_ok(text[m.end : nxt.mention.start]):
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


def _introduce(it: Item, doc_id: str, introduced: dict[str, int], etype: EntityType = EntityType.PERSON) -> str | None:
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


def _profile(it: Item, countries: linking.Countries) -> coref.Profile | None:
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


def _owner(items: list[Item], starts: list[int], lead: int, text: str, end: int) -> str | None:
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
    prev = preceding(items, lead, starts)
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
