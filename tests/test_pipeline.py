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


def test_one_named_graph_per_document_plus_builds(seeds_dataset):
    from graph.rdf.build import BUILD_GRAPH
    from graph.rdf.namespaces import SDO

    dataset, report = seeds_dataset
    names = {g.identifier for g in dataset.graphs() if len(g)}
    docs = set(dataset.subjects(RDF.type, SDO.NewsArticle))
    assert len(docs) == report.documents
    assert docs | {BUILD_GRAPH} == names
    build = next(dataset.graph(BUILD_GRAPH).subjects(RDF.type, NG.Build))
    assert set(dataset.objects(build, PROV.used)) == docs


def test_report_counts_match_the_graph(seeds_dataset, seeds_graph):
    from graph.rdf.build import relation_of

    dataset, report = seeds_dataset
    assert report.triples == len(dataset)
    statements = set(seeds_graph.subjects(RDF.type, RDF.Statement))
    asserted = [st for st in statements if not set(seeds_graph.objects(st, NG.negated)) | set(seeds_graph.objects(st, NG.hedged))]
    direct = {t for t in seeds_graph if relation_of(t[1])}
    assert len(direct) <= len(asserted) <= report.relations


def test_build_time_comes_from_source_date_epoch(monkeypatch):
    from graph.rdf.build import build_graph

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_graph(["b", "a"], "0.1.0", "m", "1")
    second = build_graph(["a", "b"], "0.1.0", "m", "1")
    assert set(first) == set(second)
    assert "2023-11-14T22:13:20+00:00" in first.serialize(format="turtle")
