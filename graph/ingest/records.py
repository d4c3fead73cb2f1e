"""JSON / JSON Lines reader: scraper exports, one record per document.

A record is an object with a text field (``text`` by default) and metadata fields; names
are configurable (``IngestOptions.fields``).  A bad record is reported and skipped; the
other records of the file are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from graph.errors import InputError
from graph.ingest.documents import META_FIELDS, make_documents, meta_value
from graph.ingest.encoding import normalize_text
from graph.ingest.options import MAX_JSON_DEPTH, IngestOptions
from graph.ingest.sniff import json_depth
from graph.model import Document


def _too_deep(text: str) -> str | None:
    depth = json_depth(text)
    return f"JSON nested {depth} levels deep (more than {MAX_JSON_DEPTH}), refused" if depth > MAX_JSON_DEPTH else None


def _records_json(text: str, source: str) -> Iterator[tuple[str, int, Any] | InputError]:
    if problem := _too_deep(text):
        yield InputError(source, problem)
        return
    try:
        data = json.loads(text)
    except ValueError as err:
        yield InputError(source, f"invalid JSON: {err}")
        return
    if isinstance(data, dict):
        for name in ("records", "articles", "items", "data", "documents"):
            if isinstance(data.get(name), list):
                data = data[name]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        yield InputError(source, "JSON is neither a record nor a list of records")
        return
    for n, record in enumerate(data, start=1):
        yield f"{source}[{n}]", n, record


def _records_jsonl(text: str, source: str) -> Iterator[tuple[str, int, Any] | InputError]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        if problem := _too_deep(line):
            yield InputError(where, problem)
            continue
        try:
            yield where, n, json.loads(line)
        except ValueError as err:
            yield InputError(where, f"invalid JSON line: {err}")


def _field(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def read_records(
    text: str, key: str, source: str, options: IngestOptions, extra: dict[str, str], lines: bool
) -> list[Document | InputError]:
    """Every record of a JSON (list or object) or JSON Lines file."""
    out: list[Document | InputError] = []
    records = _records_jsonl(text, source) if lines else _records_json(text, source)
    media_type = "application/jsonl" if lines else "application/json"
    for item in records:
        if isinstance(item, InputError):
            out.append(item)
            continue
        where, n, record = item
        if not isinstance(record, dict):
            out.append(InputError(where, "record is not a JSON object"))
            continue
        body = _field(record, options.field_names("text"))
        if not isinstance(body, str):
            names = "/".join(options.field_names("text"))
            out.append(InputError(where, f"record has no text field ({names})"))
            continue
        meta = {name: _field(record, options.field_names(name)) for name in META_FIELDS}
        rid = meta_value(_field(record, options.field_names("id")))
        url = meta_value(meta["url"])
        rkey = url or f"{key}#{rid or n}"
        used = {name for f in (*META_FIELDS, "text", "id") for name in options.field_names(f)}
        others = {k: v for k, v in record.items() if k not in used and isinstance(v, str | int | float | bool)}
        if rid:
            others["record_id"] = rid
        canonical, removed = normalize_text(body)
        if removed:
            others["removed_control_chars"] = removed
        out.extend(make_documents(canonical, rkey, where, media_type, meta, options, {**others, **extra}))
    return out
