"""Export: every format parses back (rdflib and pyoxigraph, networkx for GraphML), deterministically."""

from __future__ import annotations

import io
import os
import stat

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import ExportError
from graph.formats import FORMATS, RDF_FORMATS, export, format_name, serialize
from graph.formats.graphml import to_networkx
from graph.rdf.build import relation_of
from graph.rdf.namespaces import NG
from tests.rdf.convert import oxigraph_graph

# rdflib's own N-Quads/TriG parsers use its deprecated Dataset.default_context
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def _parse_rdflib(data: bytes, fmt: str) -> Graph:
    name = RDF_FORMATS[fmt][0]
    if fmt in ("nquads", "trig"):
        ds = Dataset(default_union=True)
        ds.parse(data=data, format=name)
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(data=data, format=name)


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_formats_parse_back_isomorphic(seeds_graph, fmt):
    data = serialize(seeds_graph, fmt)
    assert data == serialize(seeds_graph, fmt), "not deterministic"
    back = _parse_rdflib(data, fmt)
    assert len(back) == len(seeds_graph)
    assert isomorphic(back, seeds_graph)


@pytest.mark.parametrize("fmt", list(OX_FORMATS))
def test_rdf_formats_parse_with_pyoxigraph(seeds_graph, fmt):
    if fmt == "jsonld" and not hasattr(ox.RdfFormat, "JSON_LD"):
        pytest.skip("this pyoxigraph has no JSON-LD parser")
    back = oxigraph_graph(serialize(seeds_graph, fmt), OX_FORMATS[fmt])
    assert len(back) == len(seeds_graph)
    assert isomorphic(back, seeds_graph)


def test_quads_keep_named_graphs(seeds_dataset):
    dataset, _ = seeds_dataset
    data = serialize(dataset, "nquads")
    back = Dataset()
    back.parse(data=data, format="nquads")
    names = {c.identifier for c in back.graphs()}
    assert {c.identifier for c in dataset.graphs() if len(c)} <= names
    assert len(data.splitlines()) == len({q for q in dataset.quads((None, None, None, None))})


def test_graphml_reads_back_with_networkx(seeds_graph):
    data = serialize(seeds_graph, "graphml")
    assert data == serialize(seeds_graph, "graphml")
    net = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    expected = to_networkx(seeds_graph)
    assert net.number_of_nodes() == expected.number_of_nodes() > 0
    assert net.number_of_edges() == expected.number_of_edges()
    relation_triples = {
        (str(s), relation_of(p), str(o)) for s, p, o in seeds_graph
        if relation_of(p) and isinstance(o, URIRef) and str(s) in net and str(o) in net
    }
    edges = {(u, d["relation"], v) for u, v, d in net.edges(data=True)}
    assert edges == relation_triples
    for _, attrs in net.nodes(data=True):
        assert attrs["label"] and attrs["type"] and attrs["iri"]
    for _, _, attrs in net.edges(data=True):
        assert attrs["label"] == attrs["relation"]


def test_graphml_literal_relations_become_node_attributes():
    g = Graph()
    un = URIRef("https://w3id.org/newsgraph/id/organization/un")
    kh = URIRef("https://w3id.org/newsgraph/id/country/kh")
    g.add((un, RDF.type, NG.Organization))
    g.add((kh, RDF.type, NG.Country))
    g.add((un, NG.estimates, Literal("as many as 100,000 people")))
    g.add((un, NG.reportsOn, kh))
    g.add((un, NG.mentionedIn, URIRef("https://w3id.org/newsgraph/id/doc/x")))
    net = nx.read_graphml(io.BytesIO(serialize(g, "graphml")), force_multigraph=True)
    assert net.nodes[str(un)]["estimates"] == "as many as 100,000 people"
    assert [d["relation"] for _, _, d in net.edges(data=True)] == ["reportsOn"]
    assert net.nodes[str(un)]["label"] == str(un)  # no rdfs:label: the IRI


def test_format_name_from_extension_and_aliases():
    assert format_name(None, "x/graph.graphml") == "graphml"
    assert format_name(None, "g.nq") == "nquads"
    assert format_name(None, "g.jsonld") == "jsonld"
    assert format_name("ttl") == "turtle"
    assert format_name(None, "-") == "turtle"
    assert format_name(None, None) == "turtle"
    with pytest.raises(ExportError):
        format_name("yaml")
    with pytest.raises(ExportError):
        format_name(None, "graph.docx")
    assert set(FORMATS) == {"turtle", "nt", "nquads", "trig", "jsonld", "xml", "graphml"}


def test_export_writes_file_atomically_with_normal_permissions(seeds_graph, tmp_path):
    dest = tmp_path / "sub" / "g.nt"
    data = export(seeds_graph, None, dest)
    assert dest.read_bytes() == data
    assert len(Graph().parse(dest, format="nt")) == len(seeds_graph)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in dest.parent.iterdir()] == ["g.nt"]  # no temporary file left


def test_public_api_export(seeds_graph, tmp_path):
    data = graph.export(seeds_graph, "graphml", tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == data
    assert graph.export(seeds_graph, "nt") == serialize(seeds_graph, "nt")
