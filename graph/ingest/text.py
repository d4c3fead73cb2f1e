"""Plain-text reader (.txt and anything sniffed as text)."""

from __future__ import annotations

from graph.ingest.documents import make_documents
from graph.ingest.options import IngestOptions
from graph.model import Document


def read_text(text: str, key: str, source: str, options: IngestOptions, extra: dict[str, str]) -> list[Document]:
    """A plain-text page: main-story detection, no metadata beyond what the page shows."""
    return make_documents(text, key, source, "text/plain", {}, options, extra)
