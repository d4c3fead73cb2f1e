"""Term conversion between rdflib and Oxigraph (pyoxigraph), used by every stage that
hands RDF from one library to the other."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Node:
    """An Oxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an Oxigraph term: {term!r}")


def graph_quads(graph: Graph | Iterable[tuple[Node, Node, Node]], name: str | None = None,
                default: bool = False) -> list[ox.Quad]:
    """The triples of an rdflib graph (or of any iterable of rdflib triples) as Oxigraph
    quads in graph ``name`` (default: the graph's identifier)."""
    g = ox.DefaultGraph() if default else ox.NamedNode(name or str(graph.identifier))  # type: ignore[union-attr]
    cache: dict[Node, Any] = {}

    def conv(t: Node) -> Any:
        hit = cache.get(t)
        if hit is None:
            hit = cache[t] = to_ox(t)
        return hit

    return [ox.Quad(conv(s), conv(p), conv(o), g) for s, p, o in graph]


__all__ = ["from_ox", "graph_quads", "to_ox"]
