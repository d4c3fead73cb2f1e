"""Test helper: pyoxigraph terms and triples as rdflib ones (to compare parsers' results)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: object) -> Node:
    """An rdflib term equal to a pyoxigraph NamedNode, BlankNode or Literal."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # rdflib keeps plain literals untyped
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def oxigraph_graph(data: bytes, fmt: ox.RdfFormat) -> Graph:
    """Parse RDF with pyoxigraph (an independent parser) into an rdflib Graph (all graphs merged)."""
    g = Graph()
    for quad in ox.parse(data, format=fmt):
        g.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return g
