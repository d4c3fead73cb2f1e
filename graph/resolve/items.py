"""The resolver's working records: one ``Item`` per mention, one ``Work`` per document.

The passes in ``graph.resolve.resolver`` read and fill these records in order; what they
share beyond that (an entity's type from its key, the mention just before a position, the
key of a country or a linked place) lives here so no pass module imports another.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.model import EntityType, Extraction, Mention
from graph.resolve import aliases as al
from graph.resolve import linking
from graph.rules import default_rules

#: what may stand between a name and a description apposed to it: "Lim Bun Heng, a ... tycoon"
APPOSITION = re.compile(r"\s*,\s*(?:(?:a|an|the)\s+)?[\w-]*\s*")


@dataclass(slots=True)
class Item:
    """One mention being resolved: what it is (``kind``, ``type``, cleaned ``name``) and,
    once a pass decides, its entity ``key`` and what the entity gets from it."""

    mention: Mention
    kind: str  # "named", "generic", "pronoun", "nominal" ("introduced" once coreference makes it a new node)
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
class Work:
    """One document being resolved: its extraction, the tables of the rules it was made
    with (the user's ``--rules`` included) and its items, in document order (by span) once
    the first pass has made them. Nothing in it outlives the document."""

    extraction: Extraction
    countries: linking.Countries
    titles: al.Titles
    acronyms: Mapping[str, str]
    items: list[Item] = field(default_factory=list)

    @classmethod
    def of(cls, extraction: Extraction) -> Work:
        """The work of one extraction, with the tables of its rules (None: the defaults)."""
        rules = extraction.rules
        return cls(extraction, linking.Countries.of(rules), al.Titles.of(rules),
                   (rules or default_rules()).acronyms)

    @property
    def text(self) -> str:
        return self.extraction.document.text

    @property
    def doc_id(self) -> str:
        return self.extraction.document.id


def type_of(key: str) -> EntityType:
    """The entity type a key starts with (``"Country/KH"`` -> COUNTRY)."""
    return EntityType(key.split("/", 1)[0])


def preceding(ordered: list[Item], pos: int, starts: list[int]) -> Item | None:
    """The item ending last before ``pos`` in a list sorted by span (overlaps skipped);
    ``starts`` are the items' start offsets."""
    i = bisect.bisect_left(starts, pos) - 1
    for j in range(i, max(i - 12, -1), -1):
        if ordered[j].mention.end <= pos:
            return ordered[j]
    return None


def make_country(item: Item, code: str, countries: linking.Countries) -> Item:
    """Make ``item`` the country ``code``: type, key, label (from ``countries``) and ISO 3166 link."""
    item.type = EntityType.COUNTRY
    item.key = f"Country/{code}"
    item.label = countries.label(code)
    item.links = {"iso3166": code}
    return item


def make_place(item: Item, place: linking.Place) -> None:
    """Key, label, links and coordinates of a linked place."""
    item.key = f"Place/{place.key}"
    item.label = place.label
    item.links = {"geonames": place.geonames} if place.geonames else {"iso3166": place.iso3166 or ""}
    item.lat, item.long = place.lat, place.long
    item.country = place.country
    item.capital = linking.capital_name(place.country) == place.label or linking.capital_of(place.label) == place.country
