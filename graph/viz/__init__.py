"""Visualise: an interactive HTML view of a graph that works offline from ``file://``
(``page.py``), and the views page with tables and a map (``views.py``)."""

from __future__ import annotations

from graph.viz.page import (
    TYPE_COLOURS,
    VizEdge,
    VizGraph,
    VizNode,
    extract_network,
    query_network,
    reduce_network,
    render_html,
    render_network,
)

__all__ = ["TYPE_COLOURS", "VizEdge", "VizGraph", "VizNode", "extract_network", "query_network", "reduce_network",
           "render_html", "render_network"]
