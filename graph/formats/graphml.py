"""GraphML export: the relation network as a property graph (for Gephi, yEd, networkx).

- Nodes are the entities (subjects typed with an ``ng:`` entity class), with attributes
  ``label`` (rdfs:label), ``type`` (the ng class, e.g. ``Country``), ``iri`` and ``aliases``.
- Edges are the direct relation triples between two entities (``<s> ng:accuses <o>``), one
  edge per relation, with attributes ``relation``, ``label`` (the same, for Gephi) and
  ``evidence`` (the first evidence sentence, if the graph has one) and ``statements``
  (how many rdf:Statements back it).
- Relations whose object is a literal (``ng:estimates "45 more suspicious locations"``) are
  not edges: they become a node attribute named after the relation, values joined by ``" | "``.
- Negated or hedged claims exist only as rdf:Statements and are not exported.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from graph.model import EntityType
from graph.rdf.build import relation_of
from graph.rdf.namespaces import NG, NG_OPEN

ENTITY_CLASSES: dict[URIRef, str] = {NG_OPEN[t.value]: t.value for t in EntityType}


def entity_types(graph: Graph) -> dict[URIRef, str]:
    """Entity IRI -> its ng class name (the alphabetically first, if it has several)."""
    return entity_types_of(graph.subject_objects(RDF.type))


def entity_types_of(typed: Iterable[tuple[Node, Node]]) -> dict[URIRef, str]:
    """``entity_types`` of (subject, rdf:type) pairs already read."""
    types: dict[URIRef, str] = {}
    for s, cls in typed:
        name = ENTITY_CLASSES.get(cls)  # type: ignore[call-overload]
        if name is None or not isinstance(s, URIRef):
            continue
        if s not in types or name < types[s]:
            types[s] = name
    return types


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entity/relation network of an RDF graph, built in sorted (deterministic) order."""
    types = entity_types(graph)
    net = nx.MultiDiGraph()
    literal_attrs: dict[URIRef, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges: list[tuple[URIRef, URIRef, str]] = []
    for s, p, o in graph.triples((None, None, None)):
        rel = relation_of(p)
        if rel is None or s not in types:
            continue
        if isinstance(o, Literal):
            literal_attrs[s][rel].append(str(o))  # type: ignore[index]
        elif o in types:
            edges.append((s, o, rel))  # type: ignore[arg-type]
    for node in sorted(types):
        label = graph.value(node, RDFS.label)
        aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
        attrs: dict[str, str] = {
            "label": str(label) if label is not None else str(node),
            "type": types[node],
            "iri": str(node),
            "aliases": " | ".join(aliases),
        }
        for rel, values in sorted(literal_attrs.get(node, {}).items()):
            attrs[rel] = " | ".join(sorted(set(values)))
        net.add_node(str(node), **attrs)
    evidence = _evidence_index(graph)
    for s, o, rel in sorted(edges):
        texts = evidence.get((s, NG_OPEN[rel], o), [])
        net.add_edge(
            str(s), str(o), key=rel, relation=rel, label=rel,
            evidence=texts[0] if texts else "", statements=len(texts),
        )
    return net


def _evidence_index(graph: Graph) -> dict[tuple[URIRef, URIRef, URIRef], list[str]]:
    """(subject, predicate, object) -> sorted evidence sentences of its rdf:Statements."""
    index: dict[tuple[URIRef, URIRef, URIRef], list[str]] = defaultdict(list)
    for st in graph.subjects(RDF.type, RDF.Statement):
        key = (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
        text = graph.value(st, NG.evidence)
        if text is not None and all(isinstance(k, URIRef) for k in key):
            index[key].append(str(text))  # type: ignore[index]
    for texts in index.values():
        texts.sort()
    return index


def to_graphml(graph: Graph) -> bytes:
    """GraphML bytes (UTF-8) of the entity/relation network."""
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()
