"""Stores: open a graph from a file (any RDF format rdflib reads) or a store."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from graph.errors import GraphLoadError
from graph.rdf.build import bind_prefixes


def load(source: str | Path) -> Graph:
    """Load a graph from an RDF file (format from its extension; Turtle by default)."""
    path = Path(source)
    if not path.exists():
        raise GraphLoadError(f"{path}: no such graph file or store")
    fmt = guess_format(str(path)) or "turtle"
    g = bind_prefixes(Graph())
    try:
        g.parse(str(path), format=fmt)
    except Exception as err:  # rdflib raises many parser-specific types
        raise GraphLoadError(f"{path}: cannot parse as {fmt}: {str(err).splitlines()[0] if str(err) else type(err).__name__}") from err
    return g
