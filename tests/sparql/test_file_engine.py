"""A graph file runs SPARQL in the same engine (Oxigraph, in memory) as a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import GraphLoadError
from graph.formats import serialize
from graph.sparql import Query, run
from graph.store import load
from graph.store.oxigraph import store_of

#: valid SPARQL 1.1 that rdflib's engine rejects ("Variable alt is not bound")
ALIASES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?label (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts) WHERE {
  ?e rdfs:label ?label . OPTIONAL { ?e skos:altLabel ?alt }
} GROUP BY ?e ?label ORDER BY ?e
"""


@pytest.fixture(scope="module")
def files(seeds_graph, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    out = {}
    for fmt, ext in (("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld"), ("xml", "rdf"), ("trig", "trig")):
        out[fmt] = folder / f"graph.{ext}"
        out[fmt].write_bytes(serialize(seeds_graph, fmt))
    return out


def test_group_concat_over_optional_runs_on_a_file_as_on_a_store(files, seeds_graph):
    runner = CliRunner()
    done = runner.invoke(cli, ["query", str(files["turtle"]), "-e", ALIASES, "--format", "csv"])
    assert done.exit_code == 0, done.output
    on_store = _rows(run(seeds_graph, Query(ALIASES, "-e")))
    on_file = _rows(run(load(files["turtle"]), Query(ALIASES, "-e")))
    assert on_file == on_store
    assert any(alts for _, _, alts in on_file)  # entities with aliases
    assert any(not alts for _, _, alts in on_file)  # and without: the OPTIONAL left ?alt unbound
    assert len(done.output.strip().splitlines()) == len(on_file) + 1


def _rows(result) -> list[tuple[str, ...]]:
    """Rows as strings; GROUP_CONCAT's order is unspecified, so its parts are sorted."""
    return [tuple("|".join(sorted(str(v).split("|"))) if v is not None else "" for v in row) for row in result]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml", "trig"])
def test_every_file_format_opens_in_oxigraph(files, seeds_graph, fmt):
    g = load(files[fmt])
    assert store_of(g) is not None
    assert len(g) == len(seeds_graph)


def test_stdin_opens_in_oxigraph(files, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(files["turtle"].read_bytes())))
    assert store_of(load("-")) is not None


def test_bad_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(GraphLoadError, match=r"bad\.ttl: cannot parse as turtle"):
        load(bad)
