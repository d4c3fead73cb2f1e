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
from graph.resolve import linking
from graph.rules import default_rules

_WORDS = default_rules().table("pronouns")  # graph/rules/words.toml (a fixed table)
PRONOUNS: dict[str, tuple[str, str | None]] = {  # pronoun -> (number/kind, gender)
    k: (str(v[0]), str(v[1]) or None) for k, v in _WORDS["resolve"].items()
}
#: first/second person pronouns never resolve (the speaker is not known to the resolver)
UNRESOLVABLE = frozenset(_WORDS["unresolvable"])

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
    modifier: bool = False  # inside a longer mention ("London" of "the London-based group"): refers to nothing later
    country: str | None = None  # a linked place's country (alpha-2)
    capital: bool = False  # a linked place that is its country's capital


#: words saying a person is a minor / an adult
MINOR_WORDS = {"child", "children", "boy", "boys", "girl", "girls", "minor", "minors", "baby", "babies", "infant",
               "infants", "kid", "kids", "toddler", "schoolboy", "schoolgirl", "schoolchildren", "juvenile"}
ADULT_WORDS = {"man", "men", "woman", "women", "adult", "adults", "grandmother", "grandfather", "widow", "widower"}
_AGE = re.compile(r"\b(\d{1,3})[-\s]+years?[-\s]+old\b", re.IGNORECASE)
_COUNT_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if i >= 2}


@dataclass(frozen=True, slots=True)
class Profile:
    """What descriptions say about whom they describe: "an 18-year-old Thai survivor" is
    Thai, 18 and an adult; "a Chinese child" Chinese and a minor.  Two mentions whose
    profiles conflict (nationality, age, gender, count) are two entities, whatever their
    head nouns share."""

    nationalities: frozenset[str] = frozenset()
    age: int | None = None
    minor: bool | None = None
    gender: str | None = None
    count: int | None = None

    def merge(self, other: Profile) -> Profile:
        """This profile with what ``other`` adds (its own values kept where both have one)."""
        return Profile(
            self.nationalities | other.nationalities,
            self.age if self.age is not None else other.age,
            self.minor if self.minor is not None else other.minor,
            self.gender or other.gender,
            self.count if self.count is not None else other.count,
        )

    def conflicts(self, other: Profile) -> str | None:
        """The attribute on which two profiles disagree ("nationality", "age", "gender",
        "count"), or None when they may describe the same entity."""
        if self.nationalities and other.nationalities and not self.nationalities & other.nationalities:
            return "nationality"
        if self.age is not None and other.age is not None and self.age != other.age:
            return "age"
        if self.minor is not None and other.minor is not None and self.minor != other.minor:
            return "age"
        if self.gender and other.gender and self.gender != other.gender:
            return "gender"
        if self.count is not None and other.count is not None and self.count != other.count:
            return "count"
        return None

    def __bool__(self) -> bool:
        return bool(self.nationalities) or any(
            v is not None for v in (self.age, self.minor, self.gender, self.count))


def describe(text: str, nationalities: frozenset[str] | set[str] = frozenset(),
             countries: linking.Countries | None = None) -> Profile:
    """The profile a description gives its referent: demonyms ("Thai", "Cambodian-Chinese"),
    age ("18-year-old"; "child", "boy" a minor, "man", "woman" an adult), gender and an exact
    count ("two men"); ``nationalities`` adds those extraction found for the mention.
    ``countries`` are the demonym tables of the extraction's rules (default: the shipped ones)."""
    countries = countries or linking.Countries.of(None)
    words = re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", text)
    lower = [w.casefold() for w in words]
    codes = set(nationalities)
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        code = (pair and countries.demonym(pair)) or countries.demonym(word)
        if code:
            codes.add(code)
    age_match = _AGE.search(text)
    age = int(age_match.group(1)) if age_match else None
    minor: bool | None = None
    if age is not None:
        minor = age < 18
    elif set(lower) & MINOR_WORDS:
        minor = True
    elif set(lower) & ADULT_WORDS:
        minor = False
    male, female = bool(set(lower) & MALE_WORDS), bool(set(lower) & FEMALE_WORDS)
    gender = ("m" if male else "f") if male != female else None
    count_match = re.match(r"\s*(?:the\s+|these\s+|those\s+)?(\d{1,6}|[A-Za-z]+)\s+\S", text)
    count = None
    if count_match:
        n = count_match.group(1).casefold()
        count = int(n) if n.isdigit() and int(n) > 1 else _COUNT_WORDS.get(n)
    return Profile(frozenset(codes), age, minor, gender, count)


@dataclass(slots=True)
class Chain:
    """Antecedents seen so far in document order."""

    items: list[Antecedent] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)  # entity key -> "m"/"f"
    profiles: dict[str, Profile] = field(default_factory=dict)  # entity key -> what its descriptions said

    def add(self, item: Antecedent, profile: Profile | None = None) -> None:
        if item.gender and item.key not in self.genders:
            self.genders[item.key] = item.gender
        if profile:
            self.profiles[item.key] = self.profiles.get(item.key, Profile()).merge(profile)
        self.items.append(item)

    def compatible(self, key: str, profile: Profile | None) -> bool:
        """Whether what is known of ``key`` agrees with a description's ``profile``."""
        if not profile:
            return True
        known = self.profiles.get(key)
        if known is None:
            return True
        gender = self.genders.get(key)
        if gender and not known.gender:
            known = Profile(known.nationalities, known.age, known.minor, gender, known.count)
        return known.conflicts(profile) is None


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
                        and not item.modifier and (possessive_ok or not item.possessive)):
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
            if item.type in SINGULAR_THINGS and not item.plural and not item.modifier:
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
    profile: Profile | None = None,
    within: str | None = None,
) -> str | None:
    """Entity key of a definite description ("the rights group"): the nearest preceding
    named antecedent of a compatible type (and gender, for people) whose known profile
    agrees with the description's, or None.  A name inside a longer mention ("London" of
    "the London-based group") is no antecedent; a place must lie in ``within`` (the
    country of "the nation's city") when given, and "the capital" must be a capital."""
    wanted = types or NOMINAL_TYPES.get(nominal_head(text), ())
    if not wanted:
        return None
    capital = nominal_head(text) == "capital"
    for wanted_type in wanted:
        for item in reversed(chain.items):
            if item.start >= start or not item.named or item.modifier:
                continue
            if sentence - item.sentence > window:
                break
            if item.type is not wanted_type or (item.plural and wanted_type is not EntityType.GROUP):
                continue
            known = chain.genders.get(item.key)
            if gender and known and known != gender:
                continue
            if wanted_type is EntityType.PLACE and (
                (within and item.country and item.country != within) or (capital and not item.capital)
            ):
                continue
            if not chain.compatible(item.key, profile):
                continue
            return item.key
    return None


def conflicting_antecedent(chain: Chain, start: int, sentence: int, types: tuple[EntityType, ...],
                           profile: Profile, window: int = 3) -> bool:
    """Whether a preceding named antecedent of the description's type was passed over only
    because its profile conflicts: the description then introduces someone new."""
    for item in reversed(chain.items):
        if item.start >= start or not item.named or item.modifier:
            continue
        if sentence - item.sentence > window:
            break
        if item.type in types and not chain.compatible(item.key, profile):
            return True
    return False


_CATAPHOR_GAP = re.compile(r"^[^.;:!?()]{0,60}?(?:,|\bnamed|\bcalled|\bidentified as)\s*$")


def cataphor_gap_ok(between: str) -> bool:
    """Whether the text between an indefinite description and a name introduces the name:
    "another Chinese man, Yutai", "a Thai woman named Yathada"."""
    return bool(_CATAPHOR_GAP.match(between)) and len(between.split()) <= 8
