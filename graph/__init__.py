"""newsgraph: turn news articles into an RDF knowledge graph with evidence.

Public API (for notebooks and scripts as well as the CLI)::

    import graph
    g = graph.build(["seeds/"])                          # rdflib.Graph
    g = graph.load("out/graph.ttl")                      # or a graph written earlier
    rows = graph.query(g, "trafficking-routes")           # a named query, .rq file or SPARQL text
    rows = graph.query(g, "SELECT ?s WHERE { ?s rdfs:label ?name }", name="Cambodia")
    graph.export(g, "graphml", "out/graph.graphml")       # or "turtle", "jsonld", ...
    print(graph.stats(g).relations_by_name)

Imports are lazy: ``import graph`` does not load spaCy or rdflib.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph._version import __version__

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

    from graph.analysis import Stats


def build(paths: Any, model: str | None = None) -> Graph:
    """Build the graph of the documents under ``paths`` (files or folders)."""
    from graph.pipeline import build as _build

    return _build(paths, model=model)


def load(source: str | Path | Graph, **kwargs: Any) -> Graph:
    """Open a graph: an RDF file, a build folder (its graph.ttl), ``-`` (stdin) or a store."""
    from graph.store import load as _load

    return _load(source, **kwargs)


def query(graph: Graph | str | Path, query: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Result:
    """Run a SPARQL query: a library name (``trafficking-routes``), a ``.rq`` path or SPARQL text.

    Parameters (``params`` or keyword arguments) are bound as RDF terms: rdflib terms are
    used as given, strings follow the ``--param`` syntax (``<iri>``, ``42``, plain text).
    Iterate over the result for rows; ``graph.sparql.results.format_result`` renders it.
    """
    import re

    from graph.sparql import Query, find_query, parse_params, run

    g = load(graph)
    is_text = bool(re.search(r"[\s{]", query)) and not query.endswith(".rq")
    q = Query(query, "<query>") if is_text else find_query(query)
    return run(g, q, parse_params({**(params or {}), **kwargs}))


def export(graph: Graph | str | Path, fmt: str | None = None, dest: str | Path | None = None) -> bytes:
    """Serialise a graph (turtle, nt, nquads, trig, jsonld, xml, graphml); written to ``dest`` if given."""
    from graph.formats import export as _export

    return _export(load(graph), fmt, dest)


def stats(graph: Graph | str | Path, top: int = 10) -> Stats:
    """Counts of documents, entities by type, relations by name, and top entities by degree."""
    from graph.analysis import stats as _stats

    return _stats(load(graph), top=top)


__all__ = ["__version__", "build", "export", "load", "query", "stats"]
