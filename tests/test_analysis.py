"""Graph statistics on a small hand-made graph (exact counts) and on the seeds graph."""

from __future__ import annotations

import json

from rdflib import RDF, RDFS, Graph, Literal, URIRef

import graph
from graph.analysis import stats, to_json, to_text
from graph.rdf.namespaces import NG, NGR, SDO


def small() -> Graph:
    g = Graph()
    a, b, c = NGR["organization/a"], NGR["country/b"], NGR["group/c"]
    for node, cls, label in ((a, NG.Organization, "A"), (b, NG.Country, "B"), (c, NG.Group, "C")):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
    doc = NGR["doc/1"]
    g.add((doc, RDF.type, SDO.NewsArticle))
    g.add((a, NG.accuses, b))
    g.add((a, NG.reportsOn, b))
    g.add((c, NG.traffickedFrom, b))
    g.add((a, NG.estimates, Literal("45 more suspicious locations")))
    g.add((a, NG.mentionedIn, doc))  # metadata, not a relation
    st = URIRef(str(NGR) + "statement/x")
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, NG.negated, Literal(True)))
    return g


def test_counts():
    st = stats(small())
    assert st.documents == 1
    assert st.entities == 3
    assert st.entities_by_type == {"Country": 1, "Group": 1, "Organization": 1}
    assert st.relations_by_name == {"accuses": 1, "estimates": 1, "reportsOn": 1, "traffickedFrom": 1}
    assert st.statements == 1 and st.negated == 1 and st.hedged == 0
    assert [(label, degree) for _, label, _, degree in st.top_entities] == [("B", 3), ("A", 2), ("C", 1)]
    assert stats(small(), top=1).top_entities[0][1] == "B"


def test_renderings():
    st = stats(small())
    assert json.loads(to_json(st))["relations_by_name"]["accuses"] == 1
    text = to_text(st)
    assert "Relations by name" in text and "traffickedFrom" in text and "ngr:country\\/b" in text  # a prefixed name SPARQL parses


def test_seeds_stats_agree_with_report(seeds_dataset, seeds_graph):
    _, report = seeds_dataset
    st = graph.stats(seeds_graph)
    assert st.documents == report.documents
    assert st.triples == len(seeds_graph)
    assert st.entities > 0 and sum(st.entities_by_type.values()) == st.entities
