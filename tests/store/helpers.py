"""Checks shared by the store tests."""

from __future__ import annotations

import pyoxigraph as ox

from graph.store.oxigraph import OxigraphDataset


def merged_is_union_of_named(ds: OxigraphDataset) -> bool:
    """The store's invariant: the default graph is exactly the union of the named graphs."""
    named = {q.triple for q in ds.store if not isinstance(q.graph_name, ox.DefaultGraph)}
    merged = {q.triple for q in ds.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    return named == merged


def document_quads(ds: OxigraphDataset) -> list[str]:
    """The documents' named graphs (not the build history) as sorted N-Quads lines."""
    from graph.rdf.build import BUILD_GRAPH

    return sorted(str(q) for q in ds.named_quads() if q.graph_name.value != str(BUILD_GRAPH))
