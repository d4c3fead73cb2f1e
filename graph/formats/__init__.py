"""Formats: serialise graphs to RDF formats (``rdf.py``) and GraphML (``graphml.py``),
deterministically and written atomically; N-Quads shards for bulk loaders (``shards.py``)."""

from __future__ import annotations

from graph.formats.rdf import FORMATS, RDF_FORMATS, canonical_copy, export, format_name, serialize

__all__ = ["FORMATS", "RDF_FORMATS", "canonical_copy", "export", "format_name", "serialize"]
