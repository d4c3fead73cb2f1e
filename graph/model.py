"""Plain typed objects that flow forward through the pipeline.

ingest -> ``Document``; extract -> ``Mention`` and ``Claim``; resolve -> ``Entity`` and
``ResolvedDocument``; rdf turns a ``ResolvedDocument`` into triples.  No stage reaches back
into an earlier one: each stage only reads the objects handed to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.rules import Rules


class EntityType(StrEnum):
    """Kinds of entity newsgraph distinguishes (each maps to an ontology class)."""

    ORGANIZATION = "Organization"
    PERSON = "Person"
    COUNTRY = "Country"
    PLACE = "Place"
    FACILITY = "Facility"
    GROUP = "Group"  # generic groups of people: victims, workers, criminal gangs
    EVENT = "Event"
    WORK = "CreativeWork"  # reports, laws, documents
    TOPIC = "Topic"  # abstract things a relation can point at: "online fraud", "fake job offers"
    THING = "Thing"  # anything else


def content_hash(text: str) -> str:
    """SHA-256 of the canonical text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stable_id(key: str, length: int = 16) -> str:
    """A short deterministic id for any string key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Document:
    """One input story with its canonical text.

    ``text`` is the single canonical text every character offset in the graph refers to.
    ``key`` identifies the document across runs (URL, or path relative to the input root):
    a changed file keeps its key and id but gets a new ``content_hash``.
    """

    key: str
    text: str
    source: str  # path or URL it was read from, or "-" for stdin
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 date or datetime when known
    publisher: str | None = None
    author: str | None = None
    media_type: str = "text/plain"
    parent: str | None = None  # id of the page this story was split from (related stories)
    dropped: tuple[str, ...] = ()  # boilerplate removed from the raw input, for the record
    metadata: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return stable_id("doc:" + self.key)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document's text that names (or refers to) an entity."""

    doc_id: str
    start: int
    end: int
    text: str
    type: EntityType
    label: str = ""  # the extractor's fine label (spaCy NER label or rule label)
    normalized: str | None = None  # a canonical name the extractor already knows (e.g. gazetteer)
    links: tuple[tuple[str, str], ...] = ()  # ("iso3166", "KH"), ("geonames", "1821306")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class Claim:
    """One extracted relation with its evidence.

    ``obj`` is a Mention for entity objects or a str for literal objects (quantities of
    ``estimates``).  ``evidence_start``/``evidence_end`` delimit the evidence sentence in
    ``Document.text``.  ``source`` is the attributed speaker ("according to X") if any.
    """

    doc_id: str
    subject: Mention
    relation: str  # lowerCamelCase vocabulary name, e.g. "traffickedFrom"
    obj: Mention | str
    evidence_start: int
    evidence_end: int
    confidence: float
    extractor: str  # pattern or component name
    negated: bool = False
    hedged: bool = False
    source: Mention | None = None


@dataclass(slots=True)
class Entity:
    """A real-world entity after resolution; its IRI is minted from ``key``."""

    key: str  # "<type>/<normalised name>" or "<type>/<authority id>"; deterministic
    type: EntityType
    label: str
    aliases: set[str] = field(default_factory=set)
    links: dict[str, str] = field(default_factory=dict)  # {"iso3166": "KH", "geonames": "1821306"}
    lat: float | None = None
    long: float | None = None
    roles: set[str] = field(default_factory=set)  # titles stripped from names ("Prime Minister")


@dataclass(slots=True)
class ResolvedDocument:
    """A document with its entities and claims whose mentions point at entity keys."""

    document: Document
    entities: dict[str, Entity]  # key -> Entity
    mention_entity: dict[tuple[int, int], str]  # (start, end) of a mention -> entity key
    claims: list[Claim]
    mentions: list[Mention] = field(default_factory=list)

    def entity_of(self, mention: Mention) -> Entity | None:
        key = self.mention_entity.get(mention.span)
        return self.entities.get(key) if key else None


@dataclass(slots=True)
class BuildReport:
    """What a build did, for summaries and exit codes."""

    documents: int = 0
    skipped_unchanged: int = 0
    entities: int = 0
    relations: int = 0
    triples: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # one line per input that was not used
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """What the extract stage found in one document (mentions and claims), before resolution."""

    document: Document
    mentions: list[Mention]
    claims: list[Claim]
    sentences: list[tuple[int, int]] = field(default_factory=list)  # sentence spans in text
    error: str | None = None  # set when the spaCy pipeline failed on this document
    #: the merged rules the extraction was made with: the resolver reads its tables (country
    #: names, demonyms, titles) from them, so a user's rules reach every stage (None: defaults)
    rules: Rules | None = None
