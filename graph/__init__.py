"""newsgraph: turn news articles into an RDF knowledge graph with evidence.

Public API (for notebooks and scripts as well as the CLI)::

    import graph
    g = graph.build(["seeds/"])          # rdflib.Graph
    rows = graph.query(g, "SELECT ...")
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph


def build(paths: Any, model: str | None = None) -> Graph:
    """Build the graph of the documents under ``paths`` (files or folders)."""
    from graph.pipeline import build as _build

    return _build(paths, model=model)


__all__ = ["__version__", "build"]
