"""Rules as data: ONE loader for every rules file, defaults and the user's ``--rules``.

``load_rules(files)`` reads the default files beside this module (``entities.toml``,
``countries.toml``, ``words.toml``, ``frames.toml``, ``acronyms.tsv``) and the user's
files, merges them
(lists appended, tables merged, a user's value replacing a default one) and returns one
immutable ``Rules``.  The extract components and the resolver all take their tables from
that same object, and the object travels forward with the data (``Extraction.rules``), so a
demonym, a title or a country alias added by a rules file reaches every stage.

Loading is cached on the files' contents: two pipelines loaded with the same files share
one ``Rules``; pipelines with different files each keep their own (nothing global is
changed by a load).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from graph.errors import RulesError

RULES_DIR = Path(__file__).resolve().parent
#: the default rules files, merged in this order before the user's
DEFAULT_FILES = ("entities.toml", "countries.toml", "words.toml", "frames.toml", "structural.toml")
#: known acronyms of organisations (acronym<TAB>full name), the ``[acronyms]`` table's defaults
ACRONYMS_FILE = "acronyms.tsv"
#: tables of English function words (closed classes): read from the defaults only
FIXED_TABLES = ("quantifiers", "pronouns")
#: tables whose values are ISO 3166 alpha-2 codes
CODE_TABLES = ("country_aliases", "country_names", "demonyms")
#: tables of word lists ("key = [words]")
WORD_TABLES = ("titles", "government", "structural", "groups", "facilities", "topics", "organizations", "places")
_ALPHA2 = re.compile(r"[A-Z]{2}")


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping (picklable)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] = MappingProxyType({})) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return FrozenMap, (self._data,)


def thaw(value: Any) -> Any:
    """A frozen table as plain dicts and lists again (for parsers written for TOML data)."""
    if isinstance(value, FrozenMap):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def _freeze(value: Any) -> Any:
    """Tables -> FrozenMap, lists -> tuples, all the way down."""
    if isinstance(value, dict):
        return FrozenMap({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def merge_rules(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge a rules file into what is loaded so far: lists are appended, tables merged,
    any other value replaced."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, list) and isinstance(value, list):
            out[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_rules(old, value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rules table, merged once (defaults first, then the user's files in order).

    ``tables`` holds each top-level table of the files (read-only); the fields below are
    the tables more than one stage reads, ready to use."""

    sources: tuple[str, ...]
    tables: FrozenMap
    #: (file, table) of each ``[[frame]]`` in load order (a later ``id`` replaces an earlier)
    frames: tuple[tuple[str, FrozenMap], ...]
    #: (file, table) of each structural ``[[rule]]`` in load order (a later id replaces an earlier)
    structural: tuple[tuple[str, FrozenMap], ...]
    #: country names matched in text and linked: surface -> ISO 3166 alpha-2
    country_aliases: FrozenMap
    #: more names the resolver links (not searched for in text): name -> alpha-2
    country_names: FrozenMap
    #: the label of a country in every document: alpha-2 -> label
    country_labels: FrozenMap
    #: nationality adjectives and nouns: "Cambodian" -> KH
    demonyms: FrozenMap
    #: ``[[organization]]`` tables: name, aliases
    organizations: tuple[FrozenMap, ...]
    #: short forms of organisations the resolver expands: "UN" -> "United Nations"
    acronyms: FrozenMap

    def table(self, name: str) -> FrozenMap:
        """A top-level table (empty when no file has it)."""
        value = self.tables.get(name, FrozenMap())
        return value if isinstance(value, FrozenMap) else FrozenMap()

    def words(self, table: str, key: str = "words") -> frozenset[str]:
        """A word list of a table (``[titles] leaders``) as a set."""
        return frozenset(str(w) for w in self.table(table).get(key, ()))

    def ordered(self, table: str, key: str) -> tuple[str, ...]:
        """A word list of a table in file order (for lists whose order matters)."""
        return tuple(str(w) for w in self.table(table).get(key, ()))


def _parse(name: str, data: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise RulesError(f"{name}: not UTF-8 text: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise RulesError(f"{name}: not valid TOML: {err}") from err


def _check(name: str, data: dict[str, Any], user: bool) -> None:
    """A clear error for the mistakes a rules file can make in the shared tables."""
    for table in CODE_TABLES:
        value = data.get(table, {})
        if not isinstance(value, dict):
            raise RulesError(f"{name}: [{table}] must be a table of name = \"XX\" (ISO 3166 alpha-2)")
        for key, code in value.items():
            if not (isinstance(code, str) and _ALPHA2.fullmatch(code)):
                raise RulesError(f"{name}: [{table}] {key!r} = {code!r}: not an ISO 3166 alpha-2 code (two capitals)")
    for table in WORD_TABLES:
        value = data.get(table, {})
        for key, words in (value.items() if isinstance(value, dict) else [("", value)]):
            if not (isinstance(words, list) and all(isinstance(w, str) for w in words)):
                raise RulesError(f"{name}: [{table}] {key or ''}".rstrip() + " must be a list of words ([\"...\", ...])")
    acronyms = data.get("acronyms", {})
    if not (isinstance(acronyms, dict) and all(isinstance(v, str) and v.strip() for v in acronyms.values())):
        raise RulesError(f"{name}: [acronyms] must be a table of \"ACRONYM\" = \"full name\"")
    if user:
        for table in FIXED_TABLES:
            if table in data:
                raise RulesError(f"{name}: [{table}] is built-in language data and cannot be changed by a rules file")
    for table in ("frame", "organization", "rule"):
        if not isinstance(data.get(table, []), list):
            raise RulesError(f"{name}: {table} must be an array of tables ([[{table}]])")


def _acronyms(data: bytes) -> dict[str, str]:
    """The acronym table of ``acronyms.tsv``: ``acronym<TAB>full name`` lines, ``#`` comments."""
    out: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        if full.strip():
            out[short.strip()] = full.strip()
    return out


@lru_cache(maxsize=1)
def _defaults() -> tuple[tuple[str, bytes], ...]:
    """(path, contents) of the default TOML files, read once."""
    return tuple((str(RULES_DIR / name), (RULES_DIR / name).read_bytes()) for name in DEFAULT_FILES)


@lru_cache(maxsize=1)
def _default_acronyms() -> dict[str, str]:
    return _acronyms((RULES_DIR / ACRONYMS_FILE).read_bytes())


@lru_cache(maxsize=32)
def _load(user: tuple[tuple[str, bytes], ...]) -> Rules:
    """Defaults, then acronyms.tsv, then the user's files (name, contents) merged in order."""
    merged: dict[str, Any] = {}
    frames: list[tuple[str, FrozenMap]] = []
    structural: list[tuple[str, FrozenMap]] = []

    def add(name: str, data: bytes, user_file: bool) -> None:
        nonlocal merged
        parsed = _parse(name, data)
        _check(name, parsed, user_file)
        frames.extend((name, _freeze(f)) for f in parsed.pop("frame", []))
        structural.extend((name, _freeze(r)) for r in parsed.pop("rule", []))
        merged = merge_rules(merged, parsed)

    for name, data in _defaults():
        add(name, data, False)
    merged = merge_rules(merged, {"acronyms": _default_acronyms()})
    for name, data in user:
        add(name, data, True)
    tables = _freeze(merged)
    return Rules(
        sources=(*(name for name, _ in _defaults()), str(RULES_DIR / ACRONYMS_FILE), *(name for name, _ in user)),
        tables=tables,
        frames=tuple(frames),
        structural=tuple(structural),
        country_aliases=tables.get("country_aliases", FrozenMap()),
        country_names=tables.get("country_names", FrozenMap()),
        country_labels=tables.get("country_labels", FrozenMap()),
        demonyms=tables.get("demonyms", FrozenMap()),
        organizations=tuple(tables.get("organization", ())),
        acronyms=tables.get("acronyms", FrozenMap()),
    )


def load_rules(files: Iterable[str | Path] | str | Path = ()) -> Rules:
    """The default rules merged with the user's rules ``files`` (in order), read once.

    Raises ``RulesError`` naming the file for a file that cannot be read, is not TOML or
    has a malformed shared table."""
    if isinstance(files, (str, Path)):
        files = [files]
    user: list[tuple[str, bytes]] = []
    for f in files:
        path = Path(f)
        try:
            user.append((str(path), path.read_bytes()))
        except FileNotFoundError as err:
            raise RulesError(f"{path}: rules file not found") from err
        except OSError as err:
            raise RulesError(f"{path}: cannot read rules file: {err.strerror or err}") from err
    return _load(tuple(user))


def default_rules() -> Rules:
    """The rules shipped with newsgraph (no user file)."""
    return _load(())


__all__ = ["DEFAULT_FILES", "RULES_DIR", "FrozenMap", "Rules", "default_rules", "load_rules", "merge_rules", "thaw"]
