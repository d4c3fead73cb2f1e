"""End to end: building seeds/ gives a graph with evidence for every relation."""

from __future__ import annotations

from rdflib import RDF

from graph.rdf.namespaces import NG, PROV


def test_seeds_build_has_documents(seeds_dataset):
    dataset, report = seeds_dataset
    assert report.documents == 2
    assert report.problems == []


def test_every_statement_has_evidence(seeds_graph):
    statements = list(seeds_graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for st in statements:
        assert seeds_graph.value(st, PROV.wasDerivedFrom) is not None
        evidence = str(seeds_graph.value(st, NG.evidence))
        assert len(evidence) >= 20
