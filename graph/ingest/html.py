"""HTML reader: main text and metadata with trafilatura."""

from __future__ import annotations

import logging

from graph.ingest.documents import make_documents, meta_value
from graph.ingest.encoding import normalize_text
from graph.ingest.options import IngestOptions
from graph.model import Document

log = logging.getLogger("newsgraph")


def read_html(html: str, key: str, source: str, options: IngestOptions, extra: dict[str, str]) -> list[Document]:
    """A saved web page: trafilatura finds the main text (comments and links left out).

    Returns a Document with empty text when no main text is found (the build warns).
    """
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_precision=True,
        deduplicate=True,
    )
    if result is None:
        log.info("%s: trafilatura found no main text", source)
        return make_documents("", key, source, "text/html", {}, options, extra, split=False)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text, _ = normalize_text(data.get("text") or "")
    meta = {
        "title": data.get("title"),
        "url": data.get("url"),
        "date": data.get("date"),
        "publisher": data.get("sitename") or data.get("hostname"),
        "author": data.get("author"),
    }
    others = {"description": data.get("description"), "language": data.get("language")}
    if isinstance(meta["url"], str) and meta["url"].startswith(("http://", "https://")):
        key = meta_value(meta["url"]) or key
    return make_documents(text, key, source, "text/html", meta, options, {**others, **extra})
