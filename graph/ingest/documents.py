"""Shared by the readers: metadata clean-up and turning one page into Documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from graph.ingest.boilerplate import split_page
from graph.ingest.encoding import normalize_text
from graph.ingest.options import MAX_META_CHARS, IngestOptions
from graph.model import Document
from graph.names import clean_name

META_FIELDS = ("title", "url", "date", "publisher", "author")


def meta_value(value: Any) -> str | None:
    """A metadata value as one clean line of text (lists joined, dates in ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        parts = [meta_value(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, Mapping):
        name = value.get("name")
        return meta_value(name) if name is not None else None
    text, _ = normalize_text(str(value)[: 4 * MAX_META_CHARS])
    text = " ".join(text.split())
    if len(text) > MAX_META_CHARS:  # a metadata field is a line, not a document
        text = text[: MAX_META_CHARS - 1].rstrip() + "…"
    return text or None


def make_documents(
    text: str,
    key: str,
    source: str,
    media_type: str,
    meta: Mapping[str, Any],
    options: IngestOptions,
    extra: Mapping[str, Any] | None = None,
    split: bool = True,
) -> list[Document]:
    """The main Document of a page (and its related stories when asked for).

    ``text`` must already be canonical (``normalize_text``); ``meta`` holds the
    ``META_FIELDS``; ``extra`` goes to ``Document.metadata`` as sorted string pairs.
    ``key`` and ``source`` come from file names and untrusted metadata: they are cleaned
    (``clean_name``) so that they always print and always make valid RDF literals.
    """
    key, source = clean_name(key), clean_name(source)
    fields = {name: meta_value(meta.get(name)) for name in META_FIELDS}
    metadata = tuple(sorted((str(k), v) for k, raw in (extra or {}).items() if (v := meta_value(raw))))
    if not (split and options.boilerplate):
        return [Document(key=key, text=text.strip(), source=source, media_type=media_type, metadata=metadata, **fields)]
    page = split_page(text)
    dropped = list(page.dropped)
    if not options.keep_related:
        dropped.extend(story.text for story in page.related)
    if not fields["title"] and page.main.title:
        fields["title"] = page.main.title
    main = Document(
        key=key,
        text=page.main.text,
        source=source,
        media_type=media_type,
        dropped=tuple(dropped),
        metadata=metadata,
        **fields,
    )
    docs = [main]
    if options.keep_related:
        for n, story in enumerate(page.related, start=1):
            docs.append(
                Document(
                    key=f"{key}#related-{n}",
                    text=story.text,
                    source=source,
                    title=story.title,
                    media_type=media_type,
                    parent=main.id,
                    metadata=(("related_index", str(n)),),
                )
            )
    return docs
