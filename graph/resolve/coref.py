"""Pronouns and definite descriptions -> the nearest compatible antecedent.

A rule-based, sentence-windowed resolver: "he"/"she" take the nearest preceding person of
compatible gender, "it" the nearest singular organisation, country, place or facility,
"they" the nearest plural group, and "the rights group" / "the country" the nearest
preceding entity of the description's type.  What finds no antecedent stays unresolved:
claims about it are dropped rather than creating a "he" node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.model import EntityType

PRONOUNS: dict[str, tuple[str, str | None]] = {
    # pronoun -> (number/kind, gender)
    "he": ("person", "m"), "him": ("person", "m"), "his": ("person", "m"), "himself": ("person", "m"),
    "she": ("person", "f"), "her": ("person", "f"), "hers": ("person", "f"), "herself": ("person", "f"),
    "it": ("thing", None), "its": ("thing", None), "itself": ("thing", None),
    "they": ("plural", None), "them": ("plural", None), "their": ("plural", None), "themselves": ("plural", None),
}
#: first/second person pronouns never resolve (the speaker is not known to the resolver)
UNRESOLVABLE = {"i", "me", "my", "we", "us", "our", "ours", "you", "your", "yours", "who", "which", "that",
                "this", "these", "those", "one", "someone", "anyone", "everyone"}

#: head noun of a definite description -> the entity types it may refer back to
NOMINAL_TYPES: dict[str, tuple[EntityType, ...]] = {
    "group": (EntityType.ORGANIZATION,), "organisation": (EntityType.ORGANIZATION,),
    "organization": (EntityType.ORGANIZATION,), "watchdog": (EntityType.ORGANIZATION,),
    "agency": (EntityType.ORGANIZATION,), "company": (EntityType.ORGANIZATION,), "firm": (EntityType.ORGANIZATION,),
    "body": (EntityType.ORGANIZATION,), "ngo": (EntityType.ORGANIZATION,), "charity": (EntityType.ORGANIZATION,),
    "conglomerate": (EntityType.ORGANIZATION,), "ministry": (EntityType.ORGANIZATION,),
    "government": (EntityType.COUNTRY, EntityType.ORGANIZATION), "administration": (EntityType.COUNTRY, EntityType.ORGANIZATION),
    "authorities": (EntityType.COUNTRY,), "state": (EntityType.COUNTRY,), "regime": (EntityType.COUNTRY,),
    "junta": (EntityType.COUNTRY,), "country": (EntityType.COUNTRY,), "nation": (EntityType.COUNTRY,),
    "kingdom": (EntityType.COUNTRY,), "city": (EntityType.PLACE,), "town": (EntityType.PLACE,),
    "capital": (EntityType.PLACE,), "province": (EntityType.PLACE,), "region": (EntityType.PLACE,),
    "boy": (EntityType.PERSON,), "girl": (EntityType.PERSON,), "man": (EntityType.PERSON,),
    "woman": (EntityType.PERSON,), "minister": (EntityType.PERSON,), "president": (EntityType.PERSON,),
    "actor": (EntityType.PERSON,), "tycoon": (EntityType.PERSON,), "businessman": (EntityType.PERSON,),
    "businesswoman": (EntityType.PERSON,), "teenager": (EntityType.PERSON,), "survivor": (EntityType.PERSON,),
    "victim": (EntityType.PERSON,), "official": (EntityType.PERSON,), "spokesman": (EntityType.PERSON,),
    "spokeswoman": (EntityType.PERSON,), "spokesperson": (EntityType.PERSON,), "chairman": (EntityType.PERSON,),
    "report": (EntityType.WORK,), "compound": (EntityType.FACILITY,), "park": (EntityType.FACILITY,),
}
MALE_WORDS = {"man", "boy", "mr", "mr.", "he", "his", "him", "father", "son", "brother", "husband", "businessman",
              "spokesman", "chairman", "king", "prince", "actor"}
FEMALE_WORDS = {"woman", "girl", "mrs", "ms", "mrs.", "ms.", "miss", "she", "her", "mother", "daughter", "sister",
                "wife", "businesswoman", "spokeswoman", "chairwoman", "queen", "princess", "actress"}
SINGULAR_THINGS = {EntityType.ORGANIZATION, EntityType.COUNTRY, EntityType.PLACE, EntityType.FACILITY, EntityType.WORK}
PLURAL_KINDS = {EntityType.GROUP, EntityType.FACILITY}


@dataclass(slots=True)
class Antecedent:
    """A resolved mention that later pronouns and descriptions may refer back to."""

    start: int
    end: int
    key: str
    type: EntityType
    plural: bool = False
    gender: str | None = None
    named: bool = True  # a proper name (not itself a pronoun or description)
    sentence: int = 0
    possessive: bool = False  # "Cambodia's industry": a modifier, rarely what "it" means
    oblique: bool = False  # after a preposition ("recruited by brokers"): less salient than a subject or object


@dataclass(slots=True)
class Chain:
    """Antecedents seen so far in document order."""

    items: list[Antecedent] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)  # entity key -> "m"/"f"

    def add(self, item: Antecedent) -> None:
        if item.gender and item.key not in self.genders:
            self.genders[item.key] = item.gender
        self.items.append(item)


def pronoun_kind(text: str) -> tuple[str, str | None] | None:
    """(kind, gender) of a pronoun, None if not a resolvable pronoun."""
    return PRONOUNS.get(text.strip().casefold())


def is_pronoun(text: str) -> bool:
    word = text.strip().casefold()
    return word in PRONOUNS or word in UNRESOLVABLE


def nominal_head(text: str) -> str:
    words = re.findall(r"[A-Za-z-]+", text)
    return words[-1].casefold() if words else ""


def gender_near(text: str, start: int, end: int) -> str | None:
    """Gender cue in the few words before a name or inside it ("a Thai woman named Yathada")."""
    before = re.findall(r"[A-Za-z.]+", text[max(0, start - 40) : start].casefold())[-4:]
    words = set(before) | set(re.findall(r"[a-z.]+", text[start:end].casefold()))
    male, female = bool(words & MALE_WORDS), bool(words & FEMALE_WORDS)
    if male != female:
        return "m" if male else "f"
    return None


def resolve_pronoun(chain: Chain, text: str, start: int, sentence: int, window: int = 2) -> str | None:
    """Entity key of a pronoun at ``start``: nearest preceding compatible antecedent within
    ``window`` previous sentences, or None."""
    kind = pronoun_kind(text)
    if kind is None:
        return None
    number, gender = kind
    if number == "plural":
        # "they"/"them" are people first: a group of people before a plural facility, and a
        # subject or object group before one in a prepositional phrase ("recruited by brokers")
        for kinds, oblique_ok in (((EntityType.GROUP,), False), ((EntityType.GROUP,), True), (tuple(PLURAL_KINDS), True)):
            for item in reversed(chain.items):
                if item.start >= start:
                    continue
                if sentence - item.sentence > window:
                    break
                if item.plural and item.type in kinds and (oblique_ok or not item.oblique):
                    return item.key
        return None
    if number == "thing":
        # salience: a subject or object first, then a possessive modifier ("China's embassy in
        # Manila said it ..." is China, not Manila), a place after a preposition only when
        # nothing else fits
        for possessive_ok in (False, True):
            for item in reversed(chain.items):
                if item.start >= start:
                    continue
                if sentence - item.sentence > window:
                    break
                if (item.type in SINGULAR_THINGS and not item.plural and not item.oblique
                        and (possessive_ok or not item.possessive)):
                    return item.key
    for item in reversed(chain.items):
        if item.start >= start:
            continue
        if sentence - item.sentence > window:
            break
        if number == "person":
            if item.type is not EntityType.PERSON:
                continue
            known = chain.genders.get(item.key)
            if gender and known and known != gender:
                continue
            if gender and not known:
                chain.genders[item.key] = gender
            return item.key
        if number == "thing":
            if item.type in SINGULAR_THINGS and not item.plural:
                return item.key
            continue
        if number == "plural" and item.plural and item.type in PLURAL_KINDS:
            return item.key
    return None


INDEFINITE = {"a", "an", "another", "one", "some", "any", "each", "every", "no"}
POSSESSIVE = {"his", "her", "their", "its", "my", "our", "your"}


def resolve_people_group(chain: Chain, start: int, sentence: int, window: int = 2) -> str | None:
    """Entity key of "the group" typed as people by extraction ("The group had been lured"):
    the first group of people (the likeliest subject) of the nearest preceding sentence
    within ``window`` that has one, or None."""
    found: Antecedent | None = None
    for item in reversed(chain.items):
        if item.start >= start or item.type is not EntityType.GROUP:
            continue
        if sentence - item.sentence > window or (found is not None and item.sentence != found.sentence):
            break
        found = item
    return found.key if found is not None else None


def resolve_generic_facility(chain: Chain, text: str, start: int, sentence: int, window: int = 5) -> str | None:
    """Entity key of "the complex" when no named facility precedes: the nearest preceding
    unnamed facility with the same head noun ("an online gambling complex"), or None."""
    head = nominal_head(text).rstrip("s")
    for item in reversed(chain.items):
        if item.start >= start:
            continue
        if sentence - item.sentence > window:
            break
        if item.type is EntityType.FACILITY and not item.named and item.key.rsplit("/", 1)[-1].split()[-1].rstrip("s") == head:
            return item.key
    return None


PREPOSITIONS = {"by", "as", "from", "with", "for", "of", "to", "in", "into", "on", "at", "among", "including", "than"}


#: a speech verb's addressee is less salient than its speaker: "Victims told investigators
#: they were smuggled ..." -> they = the victims
ADDRESSEE_VERBS = {"told", "tell", "tells", "telling", "informed", "assured"}


def after_preposition(text: str, start: int) -> bool:
    """Whether the mention at ``start`` is the object of a preposition or the addressee of a
    speech verb (skipping a determiner, number or adjectives is not attempted: "by brokers",
    "as customer service staff", "told investigators")."""
    before = determiner_before(text, start)
    return before in PREPOSITIONS or before in ADDRESSEE_VERBS


def determiner_before(text: str, start: int) -> str:
    """The word just before a mention, lower-cased ("the", "a", "his" ...), or ""."""
    m = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 20) : start])
    return m.group(1).casefold() if m else ""


def resolve_nominal(
    chain: Chain,
    text: str,
    start: int,
    sentence: int,
    types: tuple[EntityType, ...] = (),
    window: int = 50,
    gender: str | None = None,
) -> str | None:
    """Entity key of a definite description ("the rights group"): the nearest preceding
    named antecedent of a compatible type (and gender, for people), or None."""
    wanted = types or NOMINAL_TYPES.get(nominal_head(text), ())
    if not wanted:
        return None
    for wanted_type in wanted:
        for item in reversed(chain.items):
            if item.start >= start or not item.named:
                continue
            if sentence - item.sentence > window:
                break
            if item.type is not wanted_type or (item.plural and wanted_type is not EntityType.GROUP):
                continue
            known = chain.genders.get(item.key)
            if gender and known and known != gender:
                continue
            return item.key
    return None


_CATAPHOR_GAP = re.compile(r"^[^.;:!?()]{0,60}?(?:,|\bnamed|\bcalled|\bidentified as)\s*$")


def cataphor_gap_ok(between: str) -> bool:
    """Whether the text between an indefinite description and a name introduces the name:
    "another Chinese man, Yutai", "a Thai woman named Yathada"."""
    return bool(_CATAPHOR_GAP.match(between)) and len(between.split()) <= 8
