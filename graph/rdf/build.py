"""Build RDF: one named graph per document, plus the build activity.

Every extracted relation becomes a direct triple (``<s> ng:traffickedFrom <o>``) for easy
querying *and* an ``rdf:Statement`` carrying its evidence: source document, verbatim
sentence, character offsets, confidence and extractor.  Negated or hedged claims are kept
only as statements (flagged), never asserted as direct triples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.model import Claim, Entity, Mention, ResolvedDocument
from graph.rdf.namespaces import (
    CLASS_OF,
    DCTERMS,
    GEO,
    NG,
    NG_OPEN,
    NGR,
    PROV,
    RDF,
    RDFS,
    SCHEMA_CLASS_OF,
    SDO,
    SKOS,
    XSD,
    bind_prefixes,
    build_iri,
    document_iri,
    entity_iri,
    extractor_iri,
    geonames_iri,
    relation_iri,
    statement_iri,
    text_part_iri,
)
from graph.rdf.terms import from_ox
from graph.resolve.aliases import counted_noun

BUILD_GRAPH = NGR["graph/builds"]

#: ``ng:`` properties that describe documents, entities, statements and builds rather than
#: relate two entities; every other ``ng:`` property (core vocabulary or added by rules) is a
#: relation.
METADATA_PROPERTIES: frozenset[str] = frozenset(
    {
        "evidence", "startOffset", "endOffset", "confidence", "extractor", "extractorVersion",
        "negated", "hedged", "attributedTo", "subjectText", "objectText", "contentHash",
        "documentKey", "canonicalText", "mentionedIn", "role", "iso3166", "geonamesId",
        "modelName", "modelVersion", "newsgraphVersion", "relatedTo", "countedNoun", "textPart",
    }
)


def relation_of(predicate: Node) -> str | None:
    """The relation name of a predicate (``ng:traffickedFrom`` -> ``traffickedFrom``), else None.

    Any ``ng:`` property that is not document/statement metadata counts, so relations added
    by user rules are recognised too.
    """
    ns = str(NG_OPEN)
    if not isinstance(predicate, URIRef) or not str(predicate).startswith(ns):
        return None
    local = str(predicate)[len(ns) :]
    if not local or not local[0].islower() or local in METADATA_PROPERTIES:
        return None
    return local


def new_dataset() -> Dataset:
    """An empty in-memory dataset whose default graph is the union of its named graphs."""
    return bind_prefixes(Dataset(default_union=True))


class _Quads(dict[ox.Quad, None]):
    """An insertion-ordered set of one document's quads, made as Oxigraph terms directly: a
    build writes ~500 per document, and rdflib terms (then converted for the store) cost
    several times more to make than the store's own."""

    def __init__(self, graph: URIRef) -> None:
        super().__init__()
        self.graph = _ox(graph)

    def add(self, s: ox.NamedNode, p: URIRef, o: ox.NamedNode | ox.Literal) -> None:
        self[ox.Quad(s, _ox(p), o, self.graph)] = None


@lru_cache(maxsize=4096)
def _ox(iri: URIRef) -> ox.NamedNode:
    """The Oxigraph form of a vocabulary or document IRI (few, and used over and over)."""
    return ox.NamedNode(str(iri))


def _lit(value: str, datatype: URIRef | None = None) -> ox.Literal:
    return ox.Literal(value) if datatype is None else ox.Literal(value, datatype=_ox(datatype))


#: characters no RDF/XML (XML 1.0) or strict Turtle reader takes in a literal, even escaped
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _name_lit(value: str) -> ox.Literal:
    """A literal of a name from outside (file name, key, URL, title): ``clean_name`` again
    when a caller made a Document by hand, so every output format can hold it."""
    if _UNSAFE.search(value):
        from graph.names import clean_name

        value = clean_name(value)
    return ox.Literal(value)


#: texts longer than this (characters) are stored in parts: each part serialises to at
#: most 4 MiB, well under the 16 MiB a streaming parser (Oxigraph's) takes per literal
TEXT_PART_CHARS = 1 << 20


def text_parts(text: str, size: int = TEXT_PART_CHARS) -> list[tuple[int, str]]:
    """(start offset, piece) of a canonical text cut into pieces of at most ``size`` characters."""
    return [(start, text[start : start + size]) for start in range(0, len(text), size)]


def canonical_text(graph: Graph, doc: URIRef) -> str | None:
    """A document's canonical text read back from a graph: its ``ng:canonicalText``, or
    its ``ng:textPart`` pieces joined in offset order (long documents)."""
    whole = graph.value(doc, NG.canonicalText)
    if whole is not None:
        return str(whole)
    parts = sorted(
        (int(graph.value(part, NG.startOffset)), str(graph.value(part, NG.canonicalText)))
        for part in graph.objects(doc, NG.textPart)
    )
    return "".join(piece for _, piece in parts) if parts else None


_TRUE = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


def _add_entity(g: _Quads, entity: Entity, doc: ox.NamedNode) -> ox.NamedNode:
    iri = ox.NamedNode(str(entity_iri(entity.key)))
    g.add(iri, RDF.type, _ox(CLASS_OF[entity.type]))
    g.add(iri, RDF.type, _ox(SCHEMA_CLASS_OF[entity.type]))
    g.add(iri, RDFS.label, _lit(entity.label))
    for alias in sorted(entity.aliases):
        if alias != entity.label:
            g.add(iri, SKOS.altLabel, _lit(alias))
    for role in sorted(entity.roles):
        g.add(iri, NG.role, _lit(role))
    if "iso3166" in entity.links:
        g.add(iri, NG.iso3166, _lit(entity.links["iso3166"]))
    if "geonames" in entity.links:
        g.add(iri, NG.geonamesId, _lit(entity.links["geonames"]))
        g.add(iri, SDO.sameAs, ox.NamedNode(str(geonames_iri(entity.links["geonames"]))))
    if entity.lat is not None and entity.long is not None:
        # Decimal, not float: str(float) may give "1e-05", which is not an xsd:decimal
        g.add(iri, GEO.lat, _lit(str(Decimal(f"{entity.lat:.5f}")), XSD.decimal))
        g.add(iri, GEO.long, _lit(str(Decimal(f"{entity.long:.5f}")), XSD.decimal))
    g.add(iri, NG.mentionedIn, doc)
    return iri


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Evidence offsets without the surrounding whitespace a sentence span may carry."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def document_graph(resolved: ResolvedDocument, extractor_version: str = "") -> Graph:
    """The triples one document contributes, in a graph named by the document's IRI."""
    name, quads = document_quads(resolved, extractor_version)
    g = bind_prefixes(Graph(identifier=URIRef(name)))
    for q in quads:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def _one_per_statement(claims: list[Claim], mention_entity: dict[tuple[int, int], str], text: str) -> list[Claim]:
    """The claims with one per statement: two mentions of one entity in one sentence ("a
    Thai woman named Yathada") give the same fact once, with the higher confidence."""
    best: dict[tuple, int] = {}
    for i, c in enumerate(claims):
        obj = mention_entity.get(c.obj.span) if isinstance(c.obj, Mention) else "literal:" + c.obj
        key = (mention_entity.get(c.subject.span), c.relation, obj, _trim(text, c.evidence_start, c.evidence_end),
               c.extractor, c.negated, c.hedged)
        if key not in best or c.confidence > claims[best[key]].confidence:
            best[key] = i
    keep = set(best.values())
    return [c for i, c in enumerate(claims) if i in keep]


def document_quads(resolved: ResolvedDocument, extractor_version: str = "") -> tuple[str, list[ox.Quad]]:
    """(graph name, quads) of one document: what ``document_graph`` holds, as Oxigraph
    quads in the document's named graph (the pipeline sends them straight to the store)."""
    document = resolved.document
    doc_iri = document_iri(document.id)
    doc = _ox(doc_iri)
    g = _Quads(doc_iri)
    g.add(doc, RDF.type, _ox(SDO.NewsArticle))
    g.add(doc, RDF.type, _ox(PROV.Entity))
    g.add(doc, DCTERMS.source, _name_lit(document.source))
    g.add(doc, NG.documentKey, _name_lit(document.key))
    g.add(doc, NG.contentHash, _lit(document.content_hash))
    if len(document.text) <= TEXT_PART_CHARS:
        g.add(doc, NG.canonicalText, _lit(document.text))
    else:  # one huge literal would make graph.trig unreadable to a streaming parser
        for n, (start, piece) in enumerate(text_parts(document.text), start=1):
            part = _ox(text_part_iri(document.id, n))
            g.add(doc, NG.textPart, part)
            g.add(part, RDF.type, _ox(NG.TextPart))
            g.add(part, NG.startOffset, _lit(str(start), XSD.integer))
            g.add(part, NG.canonicalText, _lit(piece))
    g.add(doc, DCTERMS.format, _lit(document.media_type))
    if document.title:
        g.add(doc, DCTERMS.title, _name_lit(document.title))
        g.add(doc, RDFS.label, _name_lit(document.title))
    else:
        g.add(doc, RDFS.label, _name_lit(document.key))
    if document.url:
        g.add(doc, SDO.url, ox.Literal(_name_lit(document.url).value, datatype=_ox(XSD.anyURI)))
    if document.date:
        g.add(doc, DCTERMS.date, _name_lit(document.date))
    if document.publisher:
        g.add(doc, DCTERMS.publisher, _name_lit(document.publisher))
    if document.author:
        g.add(doc, DCTERMS.creator, _name_lit(document.author))
    if document.parent:
        g.add(doc, NG.relatedTo, _ox(document_iri(document.parent)))

    iris = {key: _add_entity(g, ent, doc) for key, ent in sorted(resolved.entities.items())}

    def node(m: Mention) -> ox.NamedNode | None:
        key = resolved.mention_entity.get(m.span)
        return iris.get(key) if key else None

    text = document.text
    version = _lit(extractor_version) if extractor_version else None
    for claim in _one_per_statement(resolved.claims, resolved.mention_entity, text):
        subj = node(claim.subject)
        if subj is None:
            continue
        pred_iri = relation_iri(claim.relation)
        pred = _ox(pred_iri)
        obj: ox.NamedNode | ox.Literal
        if isinstance(claim.obj, Mention):
            found = node(claim.obj)
            if found is None:
                continue
            obj = found
            obj_id = found.value
            obj_text = claim.obj.text
        else:
            obj = _lit(claim.obj)
            obj_id = "literal:" + claim.obj
            obj_text = claim.obj
        if not (claim.negated or claim.hedged):
            g.add(subj, pred_iri, obj)
        start, end = _trim(text, claim.evidence_start, claim.evidence_end)
        # one statement per extractor and evidence span: each keeps a single confidence
        st = ox.NamedNode(str(statement_iri(
            document.id, subj.value, pred.value, obj_id, str(start), str(end),
            claim.extractor, "negated" if claim.negated else "", "hedged" if claim.hedged else "",
        )))
        extractor = _ox(extractor_iri(claim.extractor))
        g.add(st, RDF.type, _ox(RDF.Statement))
        g.add(st, RDF.subject, subj)
        g.add(st, RDF.predicate, pred)
        g.add(st, RDF.object, obj)
        g.add(st, PROV.wasDerivedFrom, doc)
        g.add(st, NG.evidence, _lit(text[start:end]))
        g.add(st, NG.startOffset, _lit(str(start), XSD.integer))
        g.add(st, NG.endOffset, _lit(str(end), XSD.integer))
        g.add(st, NG.confidence, _lit(f"{claim.confidence:.3f}", XSD.decimal))
        g.add(st, NG.extractor, _lit(claim.extractor))
        g.add(st, PROV.wasAttributedTo, extractor)
        g.add(extractor, RDF.type, _ox(PROV.SoftwareAgent))
        g.add(extractor, RDF.type, _ox(NG.Extractor))
        g.add(extractor, RDFS.label, _lit(claim.extractor))
        if version is not None:
            g.add(st, NG.extractorVersion, version)
        g.add(st, NG.subjectText, _lit(claim.subject.text))
        g.add(st, NG.objectText, _lit(obj_text))
        if not isinstance(claim.obj, Mention):
            noun = counted_noun(claim.obj)
            if noun:
                g.add(st, NG.countedNoun, _lit(noun))
        if claim.negated:
            g.add(st, NG.negated, _TRUE)
        if claim.hedged:
            g.add(st, NG.hedged, _TRUE)
        if claim.source is not None:
            src = node(claim.source)
            if src is not None:
                g.add(st, NG.attributedTo, src)
    return str(doc_iri), list(g)


def build_time() -> datetime:
    """Time stamp of a build: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def build_graph(
    doc_ids: Iterable[str],
    newsgraph_version: str,
    model_name: str,
    model_version: str,
    when: datetime | None = None,
) -> Graph:
    """The ``prov:Activity`` of one build: when, with which versions, using which documents."""
    when = when or build_time()
    docs = sorted(set(doc_ids))
    activity = build_iri("\x1f".join([when.isoformat(), newsgraph_version, model_name, model_version, *docs]))
    g = bind_prefixes(Graph(identifier=BUILD_GRAPH))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDF.type, NG.Build))
    g.add((activity, RDFS.label, Literal(f"newsgraph build {when.isoformat()}")))
    g.add((activity, PROV.startedAtTime, Literal(when)))
    g.add((activity, PROV.endedAtTime, Literal(when)))
    g.add((activity, NG.newsgraphVersion, Literal(newsgraph_version)))
    g.add((activity, NG.modelName, Literal(model_name)))
    g.add((activity, NG.modelVersion, Literal(model_version)))
    for doc_id in docs:
        g.add((activity, PROV.used, document_iri(doc_id)))
    return g


ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")


def load_ontology() -> Graph:
    """The newsgraph ontology (``ontology.ttl``, shipped as package data) as a graph."""
    g = bind_prefixes(Graph())
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g
