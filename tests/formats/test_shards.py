"""`export --format nquads --shard-size N -o DIR/`: shards a bulk loader takes as they are."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from graph.cli import cli
from graph.pipeline import build_into
from graph.store.oxigraph import OxigraphDataset

RAPPER = shutil.which("rapper")
OXIGRAPH = shutil.which("oxigraph")


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp) -> Path:
    """The seeds built into an on-disk store."""
    path = tmp_path_factory.mktemp("shards") / "store"
    ds = OxigraphDataset(path)
    build_into(ds, [SEEDS], nlp=nlp)
    ds.close()
    del ds
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_shards_are_the_export_cut_in_pieces(store, tmp_path):
    whole = invoke("export", str(store), "--format", "nquads")
    assert whole.exit_code == 0, whole.output
    lines = whole.stdout_bytes.splitlines(keepends=True)
    assert len(lines) > 1000
    res = invoke("export", str(store), "--format", "nquads", "--shard-size", "400", "-o", str(tmp_path / "shards/"))
    assert res.exit_code == 0, res.output
    shards = sorted((tmp_path / "shards").iterdir())
    assert [p.name for p in shards] == [f"part-{i:05d}.nq" for i in range(-(-len(lines) // 400))]
    assert all(len(p.read_bytes().splitlines()) == 400 for p in shards[:-1])
    assert b"".join(p.read_bytes() for p in shards) == whole.stdout_bytes
    assert f"wrote {len(shards)} shard(s), {len(lines)} statements" in res.output
    if RAPPER:  # each shard stands alone for an independent N-Quads parser
        for p in shards:
            out = subprocess.run([RAPPER, "-i", "nquads", "-c", str(p)], capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            assert f"returned {len(p.read_bytes().splitlines())} triples" in out.stderr


@pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph CLI (pip install oxigraph) is not installed")
def test_oxigraph_bulk_loads_the_shards(store, tmp_path):
    res = invoke("export", str(store), "--format", "nquads", "--shard-size", "500", "-o", str(tmp_path / "shards"))
    assert res.exit_code == 0, res.output
    shards = sorted(str(p) for p in (tmp_path / "shards").iterdir())
    subprocess.run([OXIGRAPH, "load", "--location", str(tmp_path / "db"), "--lenient", "--file", *shards],
                   check=True, capture_output=True, timeout=120)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    out = subprocess.run([OXIGRAPH, "query", "--location", str(tmp_path / "db"), "--query", count,
                          "--results-format", "tsv"], check=True, capture_output=True, text=True, timeout=120)
    loaded = int(out.stdout.split()[-1].split("^^")[0].strip('"'))
    assert loaded == sum(len(Path(p).read_bytes().splitlines()) for p in shards)
    assert loaded == len(OxigraphDataset(store, read_only=True).named_quads())


def test_a_new_export_replaces_stale_shards_only(store, tmp_path):
    out = tmp_path / "shards"
    assert invoke("export", str(store), "--format", "nquads", "--shard-size", "300", "-o", str(out)).exit_code == 0
    many = len(list(out.glob("part-*.nq")))
    (out / "README.txt").write_text("mine\n", encoding="utf-8")
    res = invoke("export", str(store), "--format", "nquads", "--shard-size", "100000", "-o", str(out))
    assert res.exit_code == 0, res.output
    assert many > 1 and sorted(p.name for p in out.iterdir()) == ["README.txt", "part-00000.nq"]


def test_ntriples_shards_of_a_graph_file(seeds_graph, tmp_path):
    from graph.formats import serialize

    ttl = tmp_path / "graph.ttl"
    ttl.write_bytes(serialize(seeds_graph, "turtle"))
    res = invoke("export", str(ttl), "--format", "nt", "--shard-size", "700", "-o", str(tmp_path / "nt"))
    assert res.exit_code == 0, res.output
    whole = invoke("export", str(ttl), "--format", "nt").stdout_bytes
    assert b"".join(p.read_bytes() for p in sorted((tmp_path / "nt").glob("part-*.nt"))) == whole


@pytest.mark.parametrize("args, message", [
    (["--format", "nquads", "--shard-size", "10"], "give -o DIR/"),
    (["--format", "turtle", "--shard-size", "10", "-o", "x/"], "line-based format"),
    (["--shard-size", "10", "-o", "x/"], "give --format nquads"),
    (["--format", "nquads", "--shard-size", "0", "-o", "x/"], "0 is not in the range"),
])
def test_shard_usage_errors(store, args, message):
    res = invoke("export", str(store), *args)
    assert res.exit_code == 2 and message in res.output


def test_shards_into_a_file_is_an_error(store, tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep\n", encoding="utf-8")
    res = invoke("export", str(store), "--format", "nquads", "--shard-size", "10", "-o", str(target))
    assert res.exit_code != 0 and "not a directory" in str(res.exception) + res.output
    assert target.read_text(encoding="utf-8") == "keep\n"
