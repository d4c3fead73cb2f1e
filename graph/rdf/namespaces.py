"""Every IRI newsgraph mints or uses, in one place.

``NG`` is the ontology namespace (classes and properties, published in ``ontology.ttl``);
``NGR`` is the namespace of resources (entities, documents, statements, builds).  Code
elsewhere never writes an IRI string: it calls the helpers here, which escape untrusted
names into safe, deterministic IRIs.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from graph.model import EntityType, stable_id

BASE = "https://w3id.org/newsgraph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")


class NG(DefinedNamespace):
    """newsgraph ontology: classes and properties (see ``graph/rdf/ontology.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Organization: URIRef
    Person: URIRef
    Country: URIRef
    Place: URIRef
    Facility: URIRef
    Group: URIRef
    Event: URIRef
    CreativeWork: URIRef
    Topic: URIRef
    Thing: URIRef
    Build: URIRef  # a newsgraph run (prov:Activity)
    Extractor: URIRef  # an extraction pattern or component (prov:SoftwareAgent)
    TextPart: URIRef  # a piece of a long document's canonical text

    # core relation vocabulary (../shared/vocabulary.md)
    reportsOn: URIRef
    accuses: URIRef
    criticizes: URIRef
    callsOn: URIRef
    denies: URIRef
    traffickedFrom: URIRef
    traffickedTo: URIRef
    traffickedBy: URIRef
    luredBy: URIRef
    forcedTo: URIRef
    heldIn: URIRef
    abuses: URIRef
    rescuedFrom: URIRef
    rescuedBy: URIRef
    runs: URIRef
    locatedIn: URIRef
    locatedNear: URIRef
    operatesIn: URIRef
    basedIn: URIRef
    livesIn: URIRef
    bornIn: URIRef
    partOf: URIRef
    memberOf: URIRef
    leads: URIRef
    worksFor: URIRef
    nationality: URIRef
    closedBorderWith: URIRef
    sanctions: URIRef
    arrests: URIRef
    charges: URIRef
    repatriates: URIRef
    raids: URIRef
    shutsDown: URIRef
    estimates: URIRef
    funds: URIRef
    cooperatesWith: URIRef
    signsAgreementWith: URIRef
    kills: URIRef

    # evidence and provenance of a reified statement
    evidence: URIRef  # the sentence stating the relation, verbatim from the document text
    startOffset: URIRef  # character offset of the evidence in the document's canonical text
    endOffset: URIRef
    confidence: URIRef
    extractor: URIRef  # name of the pattern that produced the statement
    extractorVersion: URIRef
    negated: URIRef
    hedged: URIRef
    attributedTo: URIRef  # the source a claim is attributed to ("according to X")
    subjectText: URIRef  # surface text of the subject mention
    objectText: URIRef
    countedNoun: URIRef  # lemma of the head noun of a figure ("423 victims" -> "victim")

    # documents and entities
    contentHash: URIRef
    documentKey: URIRef
    canonicalText: URIRef  # the text all offsets refer to
    textPart: URIRef  # document -> a piece of its canonical text (long documents)
    mentionedIn: URIRef  # entity -> document
    role: URIRef  # a title stripped from a person's name ("Prime Minister")
    iso3166: URIRef
    geonamesId: URIRef
    modelName: URIRef
    modelVersion: URIRef
    newsgraphVersion: URIRef
    relatedTo: URIRef  # a story split from the page of another document


#: Plain (non-failing) view of the ontology namespace, for relations added by user rules.
NG_OPEN = Namespace(BASE + "ontology#")
NGR = Namespace(BASE + "id/")
#: W3C WGS84 positions (geo:lat, geo:long)
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

PREFIXES: dict[str, Namespace | str] = {
    "ng": NG_OPEN,
    "ngr": NGR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "schema": SDO,
    "dcterms": DCTERMS,
    "geo": GEO,
}

GEONAMES = "https://sws.geonames.org/"

#: ontology class per entity type, and the schema.org class it maps to
CLASS_OF: dict[EntityType, URIRef] = {t: NG_OPEN[t.value] for t in EntityType}
SCHEMA_CLASS_OF: dict[EntityType, URIRef] = {
    EntityType.ORGANIZATION: SDO.Organization,
    EntityType.PERSON: SDO.Person,
    EntityType.COUNTRY: SDO.Country,
    EntityType.PLACE: SDO.Place,
    EntityType.FACILITY: SDO.Place,
    EntityType.GROUP: SDO.Audience,
    EntityType.EVENT: SDO.Event,
    EntityType.WORK: SDO.CreativeWork,
    EntityType.TOPIC: SDO.Thing,
    EntityType.THING: SDO.Thing,
}

_CAMEL_SPLIT = re.compile(r"[\s_\-]+")


def relation_name(name: str) -> str:
    """Canonical lowerCamelCase relation name; ``trafficked_from`` -> ``traffickedFrom``.

    Case, ``_`` and ``-`` are ignored when names are compared, so callers should compare
    ``relation_key(a) == relation_key(b)``; this returns the spelling used in IRIs.
    """
    parts = [p for p in _CAMEL_SPLIT.split(name.strip()) if p]
    if not parts:
        raise ValueError("empty relation name")
    if len(parts) == 1:
        word = parts[0]
        return word[0].lower() + word[1:]
    return parts[0].lower() + "".join(p[:1].upper() + p[1:].lower() for p in parts[1:])


def relation_key(name: str) -> str:
    """Comparison key of a relation name: case, ``_``, ``-`` and spaces ignored."""
    return _CAMEL_SPLIT.sub("", name).lower()


def relation_iri(name: str) -> URIRef:
    """Property IRI of a relation (core or added by rules)."""
    local = relation_name(name)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local):
        raise ValueError(f"relation name {name!r} is not a valid identifier")
    return NG_OPEN[local]


def slugify(name: str, max_length: int = 60) -> str:
    """Deterministic, IRI-safe slug of an untrusted name.

    ASCII letters and digits are kept, everything else folds to ``-``; when that loses
    information (non-Latin scripts, truncation) a short hash of the full name is appended,
    so different names never share a slug.
    """
    norm = unicodedata.normalize("NFKC", name).strip().lower()
    folded = unicodedata.normalize("NFKD", norm).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    lossless = slug == re.sub(r"\s+", "-", norm) and 0 < len(slug) <= max_length
    slug = slug[:max_length].strip("-")
    if not lossless:
        slug = (slug + "-" if slug else "") + stable_id(norm, 10)
    return slug


def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its resolution key ``"<Type>/<name or id>"``."""
    kind, _, name = key.partition("/")
    return NGR[f"{slugify(kind, 30)}/{slugify(name)}"]


def document_iri(doc_id: str) -> URIRef:
    """IRI of a document (also the name of its named graph)."""
    return NGR["doc/" + quote(doc_id, safe="")]


def text_part_iri(doc_id: str, index: int) -> URIRef:
    """IRI of piece ``index`` (from 1) of a long document's canonical text."""
    return NGR[f"doc/{quote(doc_id, safe='')}/text/{index}"]


def statement_iri(*parts: str) -> URIRef:
    """IRI of a reified statement, hashed from what identifies it."""
    return NGR["statement/" + stable_id("\x1f".join(parts), 24)]


def build_iri(key: str) -> URIRef:
    """IRI of a build activity."""
    return NGR["build/" + stable_id(key, 16)]


def extractor_iri(name: str) -> URIRef:
    """IRI of an extractor (pattern) as a prov:SoftwareAgent."""
    return NGR["extractor/" + slugify(name)]


def geonames_iri(geonames_id: str) -> URIRef:
    """GeoNames IRI of a place id (digits only)."""
    if not geonames_id.isdigit():
        raise ValueError(f"not a GeoNames id: {geonames_id!r}")
    return URIRef(f"{GEONAMES}{geonames_id}/")


def iso3166_iri(code: str) -> URIRef:
    """An IRI naming an ISO 3166 code (alpha-2 or subdivision code)."""
    if not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", code):
        raise ValueError(f"not an ISO 3166 code: {code!r}")
    return URIRef("https://www.iso.org/obp/ui/#iso:code:3166:" + code)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (``ng:``, ``prov:``, ``schema:`` ...) on a graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


__all__ = [
    "BASE", "NG", "NG_OPEN", "NGR", "PREFIXES", "CLASS_OF", "SCHEMA_CLASS_OF", "ONTOLOGY_IRI",
    "relation_name", "relation_key", "relation_iri", "slugify", "entity_iri", "document_iri", "text_part_iri",
    "text_part_iri", "statement_iri", "build_iri", "extractor_iri", "geonames_iri", "iso3166_iri", "bind_prefixes",
    "DCTERMS", "GEO", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD",
]

