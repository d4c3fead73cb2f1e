"""The published ontology: parses with two parsers and defines exactly the NG namespace."""

from __future__ import annotations

import shutil
import subprocess

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

import graph
from graph.rdf.build import ONTOLOGY_FILE, load_ontology, relation_of
from graph.rdf.namespaces import NG, NG_OPEN, ONTOLOGY_IRI
from tests.rdf.convert import oxigraph_graph

NS = str(NG_OPEN)
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def ng_terms() -> set[str]:
    return set(NG.__annotations__)


def defined_terms(g: Graph) -> set[str]:
    out = set()
    for s, t in g.subject_objects(RDF.type):
        if t in TERM_TYPES and str(s).startswith(NS):
            out.add(str(s)[len(NS) :])
    return out


def test_every_ng_term_is_defined_and_nothing_else(onto):
    missing = ng_terms() - defined_terms(onto)
    extra = defined_terms(onto) - ng_terms()
    assert not missing, f"add to ontology.ttl: {sorted(missing)}"
    assert not extra, f"not in NG (namespaces.py): {sorted(extra)}"


def test_every_ng_iri_used_in_ontology_is_an_ng_term(onto):
    used = {str(t)[len(NS) :] for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= ng_terms(), sorted(used - ng_terms())


def test_every_term_has_label_comment_and_one_kind(onto):
    for name in sorted(ng_terms()):
        iri = NG_OPEN[name]
        kinds = set(onto.objects(iri, RDF.type)) & TERM_TYPES
        assert len(kinds) == 1, (name, kinds)
        label = onto.value(iri, RDFS.label)
        comment = onto.value(iri, RDFS.comment)
        assert isinstance(label, Literal) and label.language == "en", name
        assert isinstance(comment, Literal) and len(str(comment)) > 15, name
        if name[0].isupper():
            assert (iri, RDF.type, OWL.Class) in onto and onto.value(iri, RDFS.subClassOf) is not None, name
        else:
            assert (iri, RDF.type, OWL.Class) not in onto, name


def test_relations_are_properties_mapped_where_documented(onto):
    relations = sorted(n for n in ng_terms() if relation_of(NG_OPEN[n]))
    assert "traffickedFrom" in relations and "estimates" in relations and "evidence" not in relations
    assert (NG.estimates, RDF.type, OWL.DatatypeProperty) in onto
    for name in relations:
        if name != "estimates":
            assert (NG_OPEN[name], RDF.type, OWL.ObjectProperty) in onto, name
    sdo = "https://schema.org/"
    assert (NG.locatedIn, RDFS.subPropertyOf, URIRef(sdo + "containedInPlace")) in onto
    assert (NG.Build, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in onto
    assert (NG.Organization, RDFS.subClassOf, URIRef(sdo + "Organization")) in onto


def test_ontology_header_and_version(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionInfo)) == graph.__version__
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith("/" + graph.__version__)


def test_ontology_parses_with_pyoxigraph_to_the_same_graph(onto):
    from rdflib.compare import isomorphic

    ox_graph = oxigraph_graph(ONTOLOGY_FILE.read_bytes(), ox.RdfFormat.TURTLE)
    assert len(ox_graph) == len(onto)
    assert isomorphic(ox_graph, onto)


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
def test_rapper_accepts_ontology():
    run = subprocess.run(["rapper", "-i", "turtle", "-c", str(ONTOLOGY_FILE)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "returned" in run.stderr and "error" not in run.stderr.lower()


def test_every_term_is_defined_by_the_ontology(onto):
    for name in sorted(ng_terms()):
        assert (NG_OPEN[name], RDFS.isDefinedBy, ONTOLOGY_IRI) in onto, name
