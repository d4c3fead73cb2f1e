"""graph.ttl: parses back with two parsers, is deterministic, and every relation has evidence."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic

from graph.formats import serialize
from graph.rdf.build import relation_of
from graph.rdf.namespaces import DCTERMS, NG, NG_OPEN, PROV
from tests.rdf.convert import oxigraph_graph

ROOT = Path(__file__).resolve().parents[2]
CORE_RELATIONS = {name for name in NG.__annotations__ if relation_of(NG_OPEN[name])}


@pytest.fixture(scope="module")
def turtle(seeds_graph) -> bytes:
    """The seeds graph serialised exactly as ``newsgraph build`` writes graph.ttl."""
    return serialize(seeds_graph, "turtle")


def test_graph_has_relations(seeds_graph):
    direct = [t for t in seeds_graph if relation_of(t[1]) in CORE_RELATIONS]
    assert direct, "seeds should yield at least one relation"


def test_turtle_parses_back_with_rdflib_isomorphic(turtle, seeds_graph):
    back = Graph().parse(data=turtle, format="turtle")
    assert len(back) == len(seeds_graph)
    assert isomorphic(back, seeds_graph)


def test_turtle_parses_back_with_pyoxigraph_isomorphic(turtle, seeds_graph):
    back = oxigraph_graph(turtle, ox.RdfFormat.TURTLE)
    assert len(back) == len(seeds_graph)
    assert isomorphic(back, seeds_graph)


def test_no_blank_nodes(seeds_graph):
    from rdflib import BNode

    assert not [t for t in seeds_graph if any(isinstance(x, BNode) for x in t)]


def test_serialisation_does_not_depend_on_insertion_order(seeds_graph, turtle):
    triples = list(seeds_graph)
    for seed in (1, 2):
        random.Random(seed).shuffle(triples)
        g = Graph()
        for prefix, ns in seeds_graph.namespaces():
            g.bind(prefix, ns)
        for t in triples:
            g.add(t)
        assert serialize(g, "turtle") == turtle


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
def test_rapper_accepts_graph_ttl(turtle, tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_bytes(turtle)
    run = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "error" not in run.stderr.lower()


def test_two_cli_builds_are_byte_identical(tmp_path):
    """Two `newsgraph build` runs (different hash seeds) write the same graph.ttl bytes."""
    procs = []
    for i, seed in enumerate(("1", "4242")):
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        cmd = [sys.executable, "-m", "graph", "-q", "build", str(ROOT / "seeds"), "--out", str(tmp_path / f"o{i}"), "--no-html"]
        procs.append(subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    first = (tmp_path / "o0" / "graph.ttl").read_bytes()
    second = (tmp_path / "o1" / "graph.ttl").read_bytes()
    assert first == second
    assert b"2023-11-14T22:13:20" in first  # the build time came from SOURCE_DATE_EPOCH


def _statements_for(g: Graph, s, p, o) -> list:
    return [
        st for st in g.subjects(RDF.subject, s)
        if (st, RDF.type, RDF.Statement) in g and (st, RDF.predicate, p) in g and (st, RDF.object, o) in g
    ]


def test_every_relation_has_verbatim_evidence(seeds_graph):
    texts: dict = {}
    direct = [t for t in seeds_graph if relation_of(t[1]) in CORE_RELATIONS]
    for s, p, o in sorted(direct):
        statements = _statements_for(seeds_graph, s, p, o)
        assert statements, f"no rdf:Statement for {s} {p} {o}"
        good = []
        for st in statements:
            if (st, NG.negated, Literal(True)) in seeds_graph or (st, NG.hedged, Literal(True)) in seeds_graph:
                continue
            doc = seeds_graph.value(st, PROV.wasDerivedFrom)
            assert doc is not None, st
            evidence = str(seeds_graph.value(st, NG.evidence))
            assert len(evidence) >= 20, (st, evidence)
            start = int(seeds_graph.value(st, NG.startOffset))
            end = int(seeds_graph.value(st, NG.endOffset))
            canonical = str(seeds_graph.value(doc, NG.canonicalText))
            assert canonical[start:end] == evidence, (st, start, end)
            source = str(seeds_graph.value(doc, DCTERMS.source))
            if source not in texts:
                texts[source] = Path(source).read_text(encoding="utf-8")
            assert evidence in texts[source], f"evidence not verbatim in {source}: {evidence!r}"
            good.append(st)
        assert good, f"{s} {p} {o} is asserted but all its statements are negated or hedged"


def test_negated_and_hedged_claims_are_not_asserted(seeds_graph):
    for flag in (NG.negated, NG.hedged):
        for st in seeds_graph.subjects(flag, Literal(True)):
            s, p, o = (seeds_graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            others = [x for x in _statements_for(seeds_graph, s, p, o) if x != st]
            unflagged = [
                x for x in others
                if (x, NG.negated, Literal(True)) not in seeds_graph and (x, NG.hedged, Literal(True)) not in seeds_graph
            ]
            if not unflagged:
                assert (s, p, o) not in seeds_graph, f"flagged claim asserted: {s} {p} {o}"
