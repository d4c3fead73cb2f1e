"""Ingest options shared by all readers."""

from __future__ import annotations

from dataclasses import dataclass, field

#: record field -> names tried in a JSON record, first match wins (``--field`` overrides)
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "date": ("date", "published", "date_publish", "published_at", "datePublished"),
    "publisher": ("publisher", "sitename", "site_name", "source_domain"),
    "author": ("author", "authors", "byline"),
    "id": ("id", "_id", "uuid"),
}


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How documents are read.

    ``keep_related``: keep other stories found on a page as separate documents (their
    ``parent`` is the page's main document) instead of dropping them.
    ``boilerplate``: run main-story detection (False keeps every line of plain text).
    ``fields``: JSON record field names, e.g. ``{"text": "body"}``.
    """

    keep_related: bool = False
    boilerplate: bool = True
    fields: dict[str, str] = field(default_factory=dict)

    def field_names(self, name: str) -> tuple[str, ...]:
        """Record keys tried for metadata field ``name``."""
        if name in self.fields:
            return (self.fields[name],)
        return DEFAULT_FIELDS.get(name, (name,))
