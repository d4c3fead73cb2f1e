"""The tables the structural rules read: demonyms, the entity gazetteer's places, word lists,
the declarative rules.

One ``StructuralTables`` object is handed to the component at construction, so a rules
loader that merges user files only has to build it (``StructuralTables(demonyms=...,
words=...)``); no rule reads a module-level table of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from graph import geodata
from graph.extract.structural.rules import Rule, default_rules, rules_of
from graph.rules import Rules
from graph.rules import default_rules as default_rules_tables

#: lower-cased token tuple -> (country name, ISO 3166 alpha-2): ("south", "korean") -> ("South Korea", "KR")
Demonyms = Mapping[tuple[str, ...], tuple[str, str]]
#: gazetteer surface -> (kind, norm, link), kind "COUNTRY" or "CITY"
Places = Mapping[str, tuple[str, str, str]]


@dataclass(frozen=True, slots=True)
class Words:
    """The word lists of the structural rules (lower case; a phrase is words joined by spaces),
    all from the merged rules (``words_of``: ``graph/rules/words.toml`` and ``--rules`` files)."""

    #: titles whose holder leads the body named with them ("Prime Minister", "CEO")
    leader_titles: frozenset[str]
    #: heads of state or government: with no body named, they lead the one country of the sentence
    national_leaders: frozenset[str]
    #: capitalised national-office words right before a name ("Prime Minister Hun Manet",
    #: "Vice President X", "Foreign Minister Y"): with no country named, the document's country is theirs
    national_title_words: frozenset[str]
    #: job titles whose holder works for the body named with them
    role_titles: frozenset[str]
    #: professions: a place before them says where the person lives or works ("Atlanta
    #: businessman X", "a Netherlands businessman"), an organisation who employs them
    professions: frozenset[str]
    #: words that make a leader's title a lesser post ("Vice President")
    subordinate: frozenset[str]
    member_nouns: frozenset[str]
    killer_nouns: frozenset[str]
    #: verbs whose subject is accused of a killing ("convicted of the murder of Y")
    convicted: frozenset[str]
    kill_gerunds: frozenset[str]
    kill_events: frozenset[str]
    residence_nouns: frozenset[str]
    partof_nouns: frozenset[str]
    #: "the Cambodian government" stands for the country
    government_nouns: frozenset[str]
    #: lemmas of "the Cambodian government" whose demonym is the body a unit belongs to
    government_lemmas: frozenset[str]
    #: nouns for people, so "Chinese nationals" is a group with a nationality ("Chinese food" is not)
    people_nouns: frozenset[str]
    #: the state's agents: "Thai police", "Chinese officials" are the state acting, not people
    #: with a nationality (their country is what the demonym names anyway)
    state_agent_nouns: frozenset[str]
    #: nouns that say whose nationals a group is: "suspects, mainly Chinese nationals"
    national_nouns: frozenset[str]
    #: words between a group and the nationals that describe it: ", most of them Chinese citizens"
    #: ("including Vietnamese citizens" names some members only: no nationality of the whole group)
    portion_words: frozenset[str]
    #: words between "in" and a place: "in the southeastern part of Rwanda"
    region_words: frozenset[str]
    list_words: frozenset[str]
    #: nouns for an administrative area whose name stands before them ("Tarlac province")
    admin_nouns: frozenset[str]
    #: leader titles, longest first (a phrase inside a longer one must not win)
    leader_order: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leader_order", tuple(sorted(self.leader_titles, key=lambda w: (-len(w), w))))


@lru_cache(maxsize=16)
def load_demonyms(rules: Rules | None = None) -> dict[tuple[str, ...], tuple[str, str]]:
    """Demonyms of the rules (``[demonyms]``, shared with the entity component and the
    resolver): lower-cased token tuple -> (country name, ISO alpha-2).  Plural nouns
    ("Thais", "Serbs") are added."""
    return demonym_table((rules or default_rules_tables()).demonyms)


def words_of(rules: Rules) -> Words:
    """The word lists of merged rules (``graph/rules/words.toml`` and ``--rules`` files:
    ``[titles]``, ``[government]``, ``[quantifiers]``, ``[structural]``)."""
    return Words(
        leader_titles=rules.words("titles", "leaders"),
        national_leaders=rules.words("titles", "national_leaders"),
        national_title_words=rules.words("titles", "national_words"),
        role_titles=rules.words("titles", "jobs"),
        professions=rules.words("titles", "professions"),
        subordinate=rules.words("titles", "subordinate"),
        member_nouns=rules.words("structural", "members"),
        killer_nouns=rules.words("structural", "killers"),
        convicted=rules.words("structural", "convicted"),
        kill_gerunds=rules.words("structural", "kill_gerunds"),
        kill_events=rules.words("structural", "kill_events"),
        residence_nouns=rules.words("structural", "residence"),
        partof_nouns=rules.words("structural", "part_of"),
        government_nouns=rules.words("government", "nouns"),
        government_lemmas=rules.words("government", "lemmas"),
        people_nouns=rules.words("structural", "people"),
        state_agent_nouns=rules.words("structural", "state_agents"),
        national_nouns=rules.words("structural", "nationals"),
        portion_words=rules.words("quantifiers", "portion"),
        region_words=rules.words("structural", "regions"),
        list_words=rules.words("structural", "lists"),
        admin_nouns=rules.words("structural", "admin"),
    )


def demonym_table(demonyms: Mapping[str, str]) -> dict[tuple[str, ...], tuple[str, str]]:
    """A ``[demonyms]`` table ("Thai" = "TH") as the structural rules look it up."""
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for name, code in demonyms.items():
        country = pycountry.countries.get(alpha_2=code)
        label = (getattr(country, "common_name", None) or country.name) if country else name
        words = tuple(name.lower().split())
        table[words] = (label, code)
        if not words[-1].endswith(("s", "ese", "sh", "ch")):
            table.setdefault((*words[:-1], words[-1] + "s"), (label, code))
    return table


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capital city name -> ISO 3166 alpha-2 ("Phnom Penh" -> "KH"), from GeoNames."""
    return {c["capital"]: code for code, c in geodata.countries().items() if c.get("capital")}


@lru_cache(maxsize=1)
def _us_states() -> frozenset[str]:
    return geodata.us_states()


@dataclass(frozen=True)
class StructuralTables:
    """Everything the structural rules look up, passed to the component once."""

    demonyms: Demonyms = field(default_factory=lambda: load_demonyms())
    #: countries and cities of the entity component's gazetteer ("Havana Radio Reloj")
    places: Places = field(default_factory=dict)
    words: Words = field(default_factory=lambda: words_of(default_rules_tables()))
    #: the declarative rules (``graph/rules/structural.toml``)
    rules: tuple[Rule, ...] = field(default_factory=default_rules)
    #: capital city -> ISO alpha-2
    capitals: Mapping[str, str] = field(default_factory=capitals)
    #: US state names and abbreviations ("Jackson, Wyoming, and Gunnison, Colorado")
    us_states: frozenset[str] = field(default_factory=lambda: _us_states())

    def __post_init__(self) -> None:
        kept = {k: v for k, v in self.places.items() if v[0] in ("COUNTRY", "CITY")}
        object.__setattr__(self, "places", kept)

    @classmethod
    def from_rules(cls, rules: Rules, places: Places | None = None) -> StructuralTables:
        """The tables of merged rules (``graph.rules.load_rules``): their demonyms and word lists."""
        return cls(demonyms=load_demonyms(rules), places=places or {}, words=words_of(rules),
                   rules=rules_of(rules))
