"""`newsgraph export` of a store or server: TriG / N-Quads keep the per-document named
graphs, triple formats give their union; read back with independent parsers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph.cli import cli
from graph.pipeline import build_into
from graph.store.oxigraph import OxigraphDataset

RAPPER = shutil.which("rapper")


@pytest.fixture
def store(corpus, nlp, tmp_path) -> tuple[Path, list[ox.Quad]]:
    path = tmp_path / "store"
    ds = OxigraphDataset(path)
    build_into(ds, [corpus], nlp=nlp)
    ds.close()
    quads = ds.named_quads()
    del ds
    return path, quads


def export(source: Path | str, fmt: str) -> bytes:
    res = CliRunner().invoke(cli, ["export", str(source), "--format", fmt])
    assert res.exit_code == 0, res.output
    return res.stdout_bytes


def quad_set(quads) -> set[str]:
    return {str(q) for q in quads}


def rapper_quads(data: bytes, syntax: str, tmp_path: Path) -> set[str]:
    """Parse with raptor (rapper), re-serialised as N-Quads, then read into quad strings."""
    src = tmp_path / f"in.{syntax}"
    src.write_bytes(data)
    out = subprocess.run([RAPPER, "-q", "-i", syntax, "-o", "nquads", str(src), "http://example.org/base"],
                         capture_output=True, check=True).stdout
    return quad_set(ox.parse(out, format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("fmt,ox_format,rdflib_format", [
    ("nquads", ox.RdfFormat.N_QUADS, "nquads"), ("trig", ox.RdfFormat.TRIG, "trig")])
def test_dataset_formats_keep_named_graphs(store, tmp_path, fmt, ox_format, rdflib_format):
    path, quads = store
    data = export(path, fmt)
    expected = quad_set(quads)
    graphs = {q.graph_name for q in quads}
    assert len(graphs) == 4  # three documents and the build graph
    assert quad_set(ox.parse(data, format=ox_format)) == expected
    ds = Dataset()
    ds.parse(data=data, format=rdflib_format)
    named = {str(c.identifier) for c in ds.contexts() if len(c) and str(c.identifier) != "urn:x-rdflib:default"}
    assert named == {g.value for g in graphs}
    assert sum(len(c) for c in ds.contexts()) == len(quads)
    if RAPPER:
        assert rapper_quads(data, fmt, tmp_path) == expected
    assert export(path, fmt) == data  # deterministic


def test_triple_formats_give_the_union(store):
    path, quads = store
    union = Graph().parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES), format="nt")
    got = Graph().parse(data=export(path, "nt"), format="nt")
    assert len(got) == len(union) and isomorphic(got, union)
    assert len(got) < len(quads)  # entities and types repeat across documents: merged once


def test_ontology_goes_in_the_default_graph(store):
    path, quads = store
    data = export(path, "nquads")
    with_ontology = CliRunner().invoke(cli, ["export", str(path), "--format", "nquads", "--ontology"]).stdout_bytes
    parsed = list(ox.parse(with_ontology, format=ox.RdfFormat.N_QUADS))
    extra = [q for q in parsed if isinstance(q.graph_name, ox.DefaultGraph)]
    assert extra and quad_set(q for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)) == quad_set(quads)
    assert len(data) < len(with_ontology)
