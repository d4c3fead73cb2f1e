"""The command line: thin commands over the library, data on stdout, clean errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

import graph
from graph.cli import cli
from graph.formats import serialize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ttl(seeds_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "graph.ttl"
    path.write_bytes(serialize(seeds_graph, "turtle"))
    return path


def invoke(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True)
    return result


def run_main(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real console entry point (error handling and exit codes included)."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "graph", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": path}, timeout=300,
    )


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and graph.__version__ in result.output


def test_query_inline_csv_with_param(ttl):
    result = invoke("query", str(ttl), "-e", "SELECT ?c ?code WHERE { ?c rdfs:label ?name ; ng:iso3166 ?code }",
                    "-p", "name=Cambodia", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == ["c", "code"]
    assert ["https://w3id.org/newsgraph/id/country/kh", "KH"] in rows[1:]


def test_query_json_and_tsv(ttl):
    q = "SELECT ?d WHERE { ?d a schema:NewsArticle } ORDER BY ?d"
    data = json.loads(invoke("query", str(ttl), "-e", q, "-f", "json").stdout)
    assert len(data["results"]["bindings"]) == 2
    tsv = invoke("query", str(ttl), "-e", q, "-f", "tsv").stdout
    assert tsv.splitlines()[0] == "?d" and len(tsv.splitlines()) == 3


def test_query_table_is_the_default(ttl):
    result = invoke("query", str(ttl), "-e", "SELECT ?d WHERE { ?d a schema:NewsArticle }")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].strip() == "d"
    assert result.stdout.rstrip().endswith("2 rows")


def test_query_output_file_format_from_extension(ttl, tmp_path):
    out = tmp_path / "r.json"
    result = invoke("query", str(ttl), "-e", "SELECT ?d WHERE { ?d a schema:NewsArticle }", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert "results" in json.loads(out.read_text(encoding="utf-8"))


def test_query_ask_and_construct(ttl):
    assert invoke("query", str(ttl), "-e", "ASK { ?s a ng:Country }").stdout == "true\n"
    ttl_out = invoke("query", str(ttl), "-e", "CONSTRUCT { ?s a ng:Country } WHERE { ?s a ng:Country }").stdout
    assert len(Graph().parse(data=ttl_out, format="turtle")) > 0


def test_query_build_folder_and_named_query(ttl):
    from graph.sparql import list_queries

    names = list(list_queries())
    if not names:
        pytest.skip("no named queries")
    result = invoke("query", str(ttl.parent), names[0], "-f", "csv")
    assert result.exit_code == 0, result.output
    listing = invoke("query", "--list").stdout
    assert names[0] in listing


def test_query_usage_errors(ttl):
    assert invoke("query", str(ttl)).exit_code == 2
    assert invoke("query").exit_code == 2
    assert invoke("query", str(ttl), "x.rq", "-e", "ASK {}").exit_code == 2
    assert invoke("query", str(ttl), "-e", "ASK {}", "-f", "yaml").exit_code == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "{ttl}", "no-such-query"], "no-such-query: no such query file or named query"),
        (["query", "{ttl}", "-e", "SELEC ?x"], "-e: "),
        (["query", "{ttl}", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "-p", "y=1"], "not a variable"),
        (["query", "missing.ttl", "-e", "ASK {}"], "missing.ttl: no such graph file"),
        (["export", "{ttl}", "-o", "out.docx"], "cannot tell the format"),
        (["query", "{ttl}", "-e", "ASK {}", "-o", "x.xlsx"], "x.xlsx: no result format has the extension '.xlsx'"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(ttl, tmp_path, args, message):
    proc = run_main(*[a.replace("{ttl}", str(ttl)) for a in args], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsgraph: error: "), proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir()), "an error wrote a file"


def test_export_formats(ttl, tmp_path, seeds_graph):
    out = tmp_path / "g.graphml"
    assert invoke("export", str(ttl), "-o", str(out)).exit_code == 0
    net = nx.read_graphml(out, force_multigraph=True)
    assert net.number_of_nodes() > 0
    result = invoke("export", str(ttl), "--format", "nt")
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), seeds_graph)
    with_onto = invoke("export", str(ttl), "-f", "turtle", "--ontology").stdout
    assert "owl:Ontology" in with_onto


def test_stats(ttl):
    text = invoke("stats", str(ttl)).stdout
    assert "documents" in text and "Entities by type" in text and "Top entities by degree" in text
    data = json.loads(invoke("stats", str(ttl), "--format", "json", "--top", "3").stdout)
    assert data["documents"] == 2
    assert len(data["top_entities"]) <= 3
    assert sum(data["entities_by_type"].values()) == data["entities"]


def test_ontology_command(tmp_path):
    result = invoke("ontology")
    assert result.exit_code == 0 and "owl:Ontology" in result.stdout
    out = tmp_path / "o.jsonld"
    assert invoke("ontology", "-o", str(out)).exit_code == 0
    assert len(Graph().parse(out, format="json-ld")) > 100


def test_build_prints_summary_lines_only(nlp, tmp_path, monkeypatch):
    """Build a one-sentence document: stdout holds only the summary, outputs are written."""
    doc = tmp_path / "in" / "story.txt"
    doc.parent.mkdir()
    doc.write_text("Thailand closed its land border with Cambodia after clashes in July.\n", encoding="utf-8")
    import graph.pipeline as pipeline

    real = pipeline.build_dataset
    monkeypatch.setattr(pipeline, "build_dataset", lambda paths, **kw: real(paths, **{**kw, "nlp": nlp}))
    result = invoke("-q", "build", str(doc.parent), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert set(lines) >= {"documents", "entities", "statements", "triples", "seconds", "graph", "html"}
    assert lines["documents"] == "1"
    assert (tmp_path / "out" / "graph.ttl").is_file() and (tmp_path / "out" / "graph.html").is_file()
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def _in_terminal(args: list[str], columns: int, cwd: Path) -> str:
    """Run ``newsgraph ARGS`` with stdout on a pseudo-terminal COLUMNS wide; its text, colours removed."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    proc = subprocess.Popen([sys.executable, "-m", "graph", *args], cwd=cwd, stdout=follower,
                            stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read().decode()
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize("name", ["trafficking-routes", "most-mentioned-entities", "figures-claimed"])
def test_table_fits_an_80_column_terminal(ttl, tmp_path, name):
    from graph.sparql import find_query, run
    from graph.store import load

    result = run(load(ttl), find_query(name))
    variables, rows = [str(v) for v in result.vars], list(result)
    text = _in_terminal(["query", str(ttl), name], 80, tmp_path)
    lines = text.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80
    for v in variables:  # every header whole, never split mid-word
        assert any(re.search(rf"(^|\s){re.escape(v)}(\s|$)", line) for line in lines), v
    # one line per row in a table, or one per value in records: never folded cells
    assert len(lines) <= len(rows) * (len(variables) + 1) + 3
    assert lines[-1].strip() == f"{len(rows)} rows"
    assert "…" in text  # long evidence sentences are cut, not folded


def test_short_iris_in_tables_paste_back_into_queries(ttl):
    table = invoke("query", str(ttl), "-e", "SELECT ?c WHERE { ?c ng:iso3166 'CN' }").stdout
    cell = table.splitlines()[2].strip()
    assert cell.startswith("ngr:")
    assert invoke("query", str(ttl), "-e", f"ASK {{ {cell} ng:iso3166 'CN' }}").stdout == "true\n"
    assert invoke("query", str(ttl), "-e", f"SELECT ?code WHERE {{ {cell} ng:iso3166 ?code }}", "-f", "csv").stdout.split() \
        == ["code", "CN"]


@pytest.mark.parametrize("name", ["trafficking-routes", "most-mentioned-entities"])
def test_table_to_a_pipe_cuts_nothing(ttl, name):
    from graph.sparql import find_query, run
    from graph.sparql.results import short_term
    from graph.store import load

    result = run(load(ttl), find_query(name))
    text = invoke("query", str(ttl), name).stdout
    lines = text.splitlines()
    for v in result.vars:
        assert any(re.search(rf"(^|\s){re.escape(str(v))}(\s|$)", line) for line in lines), v
    for row in result:
        for term in row:
            if term is not None:
                assert short_term(term) in text  # whole: evidence sentences and IRIs are not cut
    assert "…" not in text
