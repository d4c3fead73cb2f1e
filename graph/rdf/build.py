"""Build RDF: one named graph per document, plus the build activity.

Every extracted relation becomes a direct triple (``<s> ng:traffickedFrom <o>``) for easy
querying *and* an ``rdf:Statement`` carrying its evidence: source document, verbatim
sentence, character offsets, confidence and extractor.  Negated or hedged claims are kept
only as statements (flagged), never asserted as direct triples.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.model import Entity, Mention, ResolvedDocument
from graph.rdf.namespaces import (
    CLASS_OF,
    DCTERMS,
    GEO,
    NG,
    NG_OPEN,
    NGR,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA_CLASS_OF,
    SDO,
    SKOS,
    XSD,
    build_iri,
    document_iri,
    entity_iri,
    extractor_iri,
    geonames_iri,
    relation_iri,
    statement_iri,
)

BUILD_GRAPH = NGR["graph/builds"]

#: ``ng:`` properties that describe documents, entities, statements and builds rather than
#: relate two entities; every other ``ng:`` property (core vocabulary or added by rules) is a
#: relation.
METADATA_PROPERTIES: frozenset[str] = frozenset(
    {
        "evidence", "startOffset", "endOffset", "confidence", "extractor", "extractorVersion",
        "negated", "hedged", "attributedTo", "subjectText", "objectText", "contentHash",
        "documentKey", "canonicalText", "mentionedIn", "role", "iso3166", "geonamesId",
        "modelName", "modelVersion", "newsgraphVersion", "relatedTo",
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


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (``ng:``, ``prov:``, ``schema:`` ...) on a graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def new_dataset() -> Dataset:
    """An empty in-memory dataset whose default graph is the union of its named graphs."""
    return bind_prefixes(Dataset(default_union=True))


class _Triples(dict[tuple[Node, Node, Node], None]):
    """An insertion-ordered set of triples with a Graph's ``add``: a build writes ~400
    triples per document, and an rdflib memory store indexes each one three ways."""

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self[triple] = None


def _add_entity(g: _Triples, entity: Entity, doc: URIRef) -> URIRef:
    iri = entity_iri(entity.key)
    g.add((iri, RDF.type, CLASS_OF[entity.type]))
    g.add((iri, RDF.type, SCHEMA_CLASS_OF[entity.type]))
    g.add((iri, RDFS.label, Literal(entity.label)))
    for alias in sorted(entity.aliases):
        if alias != entity.label:
            g.add((iri, SKOS.altLabel, Literal(alias)))
    for role in sorted(entity.roles):
        g.add((iri, NG.role, Literal(role)))
    if "iso3166" in entity.links:
        g.add((iri, NG.iso3166, Literal(entity.links["iso3166"])))
    if "geonames" in entity.links:
        g.add((iri, NG.geonamesId, Literal(entity.links["geonames"])))
        g.add((iri, SDO.sameAs, geonames_iri(entity.links["geonames"])))
    if entity.lat is not None and entity.long is not None:
        # Decimal, not float: str(float) may give "1e-05", which is not an xsd:decimal
        g.add((iri, GEO.lat, Literal(Decimal(f"{entity.lat:.5f}"), datatype=XSD.decimal)))
        g.add((iri, GEO.long, Literal(Decimal(f"{entity.long:.5f}"), datatype=XSD.decimal)))
    g.add((iri, NG.mentionedIn, doc))
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
    name, triples = document_triples(resolved, extractor_version)
    g = bind_prefixes(Graph(identifier=name))
    for triple in triples:
        g.add(triple)
    return g


def document_triples(
    resolved: ResolvedDocument, extractor_version: str = ""
) -> tuple[URIRef, list[tuple[Node, Node, Node]]]:
    """(graph name, triples) of one document: what ``document_graph`` holds, without
    building an rdflib graph (the pipeline sends them straight to the store)."""
    document = resolved.document
    doc = document_iri(document.id)
    g = _Triples()
    g.add((doc, RDF.type, SDO.NewsArticle))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, DCTERMS.source, Literal(document.source)))
    g.add((doc, NG.documentKey, Literal(document.key)))
    g.add((doc, NG.contentHash, Literal(document.content_hash)))
    g.add((doc, NG.canonicalText, Literal(document.text)))
    g.add((doc, DCTERMS.format, Literal(document.media_type)))
    if document.title:
        g.add((doc, DCTERMS.title, Literal(document.title)))
        g.add((doc, RDFS.label, Literal(document.title)))
    else:
        g.add((doc, RDFS.label, Literal(document.key)))
    if document.url:
        g.add((doc, SDO.url, Literal(document.url, datatype=XSD.anyURI)))
    if document.date:
        g.add((doc, DCTERMS.date, Literal(document.date)))
    if document.publisher:
        g.add((doc, DCTERMS.publisher, Literal(document.publisher)))
    if document.author:
        g.add((doc, DCTERMS.creator, Literal(document.author)))
    if document.parent:
        g.add((doc, NG.relatedTo, document_iri(document.parent)))

    iris = {key: _add_entity(g, ent, doc) for key, ent in sorted(resolved.entities.items())}

    def node(m: Mention) -> URIRef | None:
        key = resolved.mention_entity.get(m.span)
        return iris.get(key) if key else None

    text = document.text
    for claim in resolved.claims:
        subj = node(claim.subject)
        if subj is None:
            continue
        pred = relation_iri(claim.relation)
        if isinstance(claim.obj, Mention):
            obj = node(claim.obj)
            if obj is None:
                continue
            obj_id = str(obj)
            obj_text = claim.obj.text
        else:
            obj = Literal(claim.obj)
            obj_id = "literal:" + claim.obj
            obj_text = claim.obj
        if not (claim.negated or claim.hedged):
            g.add((subj, pred, obj))
        start, end = _trim(text, claim.evidence_start, claim.evidence_end)
        # one statement per extractor and evidence span: each keeps a single confidence
        st = statement_iri(
            document.id, str(subj), str(pred), obj_id, str(start), str(end),
            claim.extractor, "negated" if claim.negated else "", "hedged" if claim.hedged else "",
        )
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, subj))
        g.add((st, RDF.predicate, pred))
        g.add((st, RDF.object, obj))
        g.add((st, PROV.wasDerivedFrom, doc))
        g.add((st, NG.evidence, Literal(text[start:end])))
        g.add((st, NG.startOffset, Literal(start, datatype=XSD.integer)))
        g.add((st, NG.endOffset, Literal(end, datatype=XSD.integer)))
        g.add((st, NG.confidence, Literal(f"{claim.confidence:.3f}", datatype=XSD.decimal)))
        g.add((st, NG.extractor, Literal(claim.extractor)))
        g.add((st, PROV.wasAttributedTo, extractor_iri(claim.extractor)))
        g.add((extractor_iri(claim.extractor), RDF.type, PROV.SoftwareAgent))
        g.add((extractor_iri(claim.extractor), RDF.type, NG.Extractor))
        g.add((extractor_iri(claim.extractor), RDFS.label, Literal(claim.extractor)))
        if extractor_version:
            g.add((st, NG.extractorVersion, Literal(extractor_version)))
        g.add((st, NG.subjectText, Literal(claim.subject.text)))
        g.add((st, NG.objectText, Literal(obj_text)))
        if claim.negated:
            g.add((st, NG.negated, Literal(True)))
        if claim.hedged:
            g.add((st, NG.hedged, Literal(True)))
        if claim.source is not None:
            src = node(claim.source)
            if src is not None:
                g.add((st, NG.attributedTo, src))
    return doc, list(g)


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
