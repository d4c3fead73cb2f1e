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


#: largest input read by default (bytes); ``--max-size`` changes it
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
#: YAML front matter larger than this is refused (a front matter is a few fields)
MAX_FRONT_MATTER = 64 * 1024
#: JSON nested deeper than this is refused (a record of an article is 2-4 levels deep)
MAX_JSON_DEPTH = 64
#: metadata values (title, url, author ...) longer than this are cut
MAX_META_CHARS = 8192


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How documents are read.

    ``keep_related``: keep other stories found on a page as separate documents (their
    ``parent`` is the page's main document) instead of dropping them.
    ``boilerplate``: run main-story detection (False keeps every line of plain text).
    ``fields``: JSON record field names, e.g. ``{"text": "body"}``.
    ``max_bytes``: larger inputs are refused with a message (they would hold the parser
    for a long time and the whole text is kept in memory).
    """

    keep_related: bool = False
    boilerplate: bool = True
    fields: dict[str, str] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES

    def field_names(self, name: str) -> tuple[str, ...]:
        """Record keys tried for metadata field ``name``."""
        if name in self.fields:
            return (self.fields[name],)
        return DEFAULT_FIELDS.get(name, (name,))


_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30}


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500000``, ``512kB``, ``32MB`` or ``1.5GB`` (units of 1024)."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*", text.lower())
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a size (e.g. 500000, 512kB, 32MB, 1GB)")
    return int(float(m.group(1)) * _UNITS[m.group(2)])
