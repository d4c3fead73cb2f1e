"""Docs as tests: every command's --help has an example, every library query runs, README commands work."""

from __future__ import annotations

import multiprocessing
import re
import shlex
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.formats import serialize
from graph.sparql import LIBRARY_DIR, Query, parse_params, run

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
QUERY_FILES = sorted(LIBRARY_DIR.glob("*.rq")) if LIBRARY_DIR.is_dir() else []
#: README commands run here against the seeds graph (the others are only checked to exist)
RUNNABLE = {"query", "export", "stats", "ontology"}
QUERY_SECONDS = 60


def test_every_command_help_shows_an_example():
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0 and "Example" in top.output
    assert cli.commands
    for name in sorted(cli.commands):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`newsgraph {name} --help` has no example"
        assert re.search(rf"^\s+newsgraph {re.escape(name)}\b", result.output, re.M), name


def example_params(text: str) -> list[str]:
    """The ``--param``/``-p`` values of a query's ``# example:`` header line."""
    match = re.search(r"^#\s*example:\s*(.+)$", text, re.M)
    if not match:
        return []
    args = shlex.split(match.group(1))
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--param", "-p")]


def _run_query(text: str, origin: str, params: list[str], graph, conn) -> None:
    try:
        result = run(graph, Query(text, origin), parse_params(params))
        rows = list(result)
        conn.send(("ok", result.type, len(rows)))
    except Exception as err:  # report any failure to the parent
        conn.send(("error", type(err).__name__, str(err)))


@pytest.mark.skipif(not QUERY_FILES, reason="no queries/*.rq yet")
@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_library_query_parses_and_runs_on_seeds(path, seeds_graph):
    """Each query runs (with its example's parameters) on the seeds graph within QUERY_SECONDS."""
    text = path.read_text(encoding="utf-8")
    # portable SPARQL: another engine (Oxigraph) parses it too (prefixes declared, no rdflib extensions)
    ox.Store().query(text)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_run_query, args=(text, str(path), example_params(text), seeds_graph, child))
    proc.start()
    try:
        if not parent.poll(QUERY_SECONDS):
            pytest.fail(f"{path.name} takes more than {QUERY_SECONDS} s on the seeds graph with rdflib")
        status, kind, detail = parent.recv()
    finally:
        proc.kill()
        proc.join()
    assert status == "ok", f"{path.name}: {kind}: {detail}"
    assert kind in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of each fenced code block of a Markdown text."""
    blocks: list[tuple[str, str]] = []
    lang: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, body = line[3:].strip(), []
            else:
                blocks.append((lang, "\n".join(body) + "\n"))
                lang = None
        elif lang is not None:
            body.append(line)
    return blocks


def readme_blocks(*langs: str) -> list[str]:
    return [body for lang, body in fenced_blocks(README.read_text(encoding="utf-8")) if lang in langs]


def readme_commands() -> list[list[str]]:
    commands = []
    for block in readme_blocks("bash", "sh", "console", ""):
        for line in block.splitlines():
            for part in re.split(r"\s*(?:&&|\|)\s*", line.split(" #")[0]):
                part = part.strip().lstrip("$ ").strip()
                if part.startswith("newsgraph "):
                    commands.append(shlex.split(part)[1:])
    return commands


def test_readme_has_commands():
    names = {args[0] for args in readme_commands() if args and not args[0].startswith("-")}
    assert "build" in names


def test_readme_commands_exist_and_run(seeds_graph, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(serialize(seeds_graph, "turtle"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "queries").symlink_to(LIBRARY_DIR) if LIBRARY_DIR.is_dir() else None
    runner = CliRunner()
    for args in readme_commands():
        if not args or args[0].startswith("-"):
            continue
        assert args[0] in cli.commands, f"README uses unknown command: newsgraph {' '.join(args)}"
        if args[0] not in RUNNABLE or ">" in args:
            continue
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, f"newsgraph {' '.join(args)}: {result.output}{result.exception!r}"


def test_readme_sparql_examples_run(seeds_graph):
    blocks = readme_blocks("sparql")
    assert blocks, "README should show how to get a relation's evidence"
    for text in blocks:
        rows = list(run(seeds_graph, Query(text, "README.md")))
        ox.Store().query(text)
        predicates = set(re.findall(r"rdf:predicate (ng:\w+)", text))
        asserted = {f"ng:{p.split('#')[1]}" for p in seeds_graph.predicates() if "#" in p}
        if predicates & asserted:
            assert rows, "the README evidence query finds nothing on the seeds graph"
            assert all(len(str(row[2])) >= 20 for row in rows)


def test_readme_python_examples_run(seeds_graph, tmp_path, monkeypatch, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.ttl").write_bytes(serialize(seeds_graph, "turtle"))
    monkeypatch.chdir(tmp_path)
    for code in readme_blocks("python"):
        if "graph.build(" in code:  # building loads spaCy again: covered elsewhere
            continue
        exec(compile(code, "README.md", "exec"), {})


# --- the quick start works on a stock Debian/Ubuntu Python; docs a clone has ------------------


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def quick_start_commands() -> list[str]:
    section = _section(README.read_text(encoding="utf-8"), "Quick start")
    blocks = [body for lang, body in fenced_blocks(section) if lang in ("bash", "sh")]
    assert blocks, "the quick start has no bash block"
    return [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_quick_start_creates_and_uses_a_virtualenv():
    """PEP 668: a stock Debian/Ubuntu Python refuses pip outside a virtualenv."""
    commands = quick_start_commands()
    assert len(commands) == 2
    for command in commands:
        steps = [s.strip() for s in command.split("&&")]
        assert steps[0] == "python3 -m venv .venv" and steps[1] == ". .venv/bin/activate", command
        installs = [s for s in steps if "pip install" in s]
        assert installs and all(s.startswith("python -m pip install") for s in installs), command
    assert commands[0].endswith("newsgraph build seeds/ --out out/")


def _normalised(step: str) -> list[str]:
    """A shell step's words without CI's quietness flags."""
    words = shlex.split(step)
    out, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w == "-p":
            skip = True  # -p no:cacheprovider
            continue
        if w != "-q":
            out.append(w)
    return out


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_steps = [_normalised(line) for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for step in quick_start_commands()[1].split("&&"):
        assert _normalised(step.strip()) in ci_steps, f".ci/run does not run the README's `{step.strip()}`"


def test_readme_points_only_at_files_a_clone_has():
    text = README.read_text(encoding="utf-8")
    assert not re.findall(r"\.\./shared/[\w./-]+\.md", text), "README links files outside the repository"
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if not re.match(r"[a-z]+://", target):
            assert (ROOT / target).exists(), f"README links {target}, which the repository does not have"
    assert "docs/annotation-format.md" in text


def test_annotation_format_example_is_valid_gold(tmp_path):
    from graph.evaluate import read_gold
    from graph.rdf.build import load_ontology
    from graph.rdf.namespaces import NG, relation_key

    doc = (ROOT / "docs" / "annotation-format.md").read_text(encoding="utf-8")
    example = [body for lang, body in fenced_blocks(doc) if lang == ""][0]
    path = tmp_path / "harbour_raid.tsv"
    path.write_text(example, encoding="utf-8")
    gold = read_gold(path)
    assert len(gold.triples) == len([x for x in example.splitlines() if x and not x.startswith("#")]) >= 3
    assert gold.aliases  # the `# aliases:` line is read
    relations = {relation_key(str(p).rsplit("#", 1)[1]) for p in load_ontology().subjects() if str(p).startswith(str(NG))}
    assert all(relation_key(t.relation) in relations for t in gold.triples)
