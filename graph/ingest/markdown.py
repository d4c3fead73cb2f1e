"""Markdown reader: YAML front matter becomes metadata, the body becomes plain text."""

from __future__ import annotations

import re
from typing import Any

import yaml

from graph.errors import InputError
from graph.ingest.documents import META_FIELDS, make_documents
from graph.ingest.options import IngestOptions
from graph.model import Document

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(---|\.\.\.)[ \t]*(\n|\Z)", re.S)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^()\n]|\([^)\n]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+", re.M)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_LINKDEF = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s+\S+.*$", re.M)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body); a malformed front matter is an InputError."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(source, f"malformed YAML front matter{where}") from err
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(source, "YAML front matter is not a mapping of fields")
    return {str(k).lower(): v for k, v in data.items()}, text[m.end() :]


def markdown_to_text(body: str) -> str:
    """Markdown markup removed, words kept (links keep their text, images their nothing)."""
    body = _LINKDEF.sub("", body)
    body = _RULE.sub("", body)
    body = _IMAGE.sub("", body)
    body = _LINK.sub(r"\1", body)
    body = _REF_LINK.sub(r"\1", body)
    body = _HEADING.sub(r"\1", body)
    body = _QUOTE.sub("", body)
    body = _LIST.sub("", body)
    body = _CODE.sub(r"\1", body)
    body = _HTML_TAG.sub("", body)
    return _EMPHASIS.sub(r"\2", body)


def read_markdown(text: str, key: str, source: str, options: IngestOptions, extra: dict[str, str]) -> list[Document]:
    """A Markdown note: front matter (title, url, date, publisher, author, ...) + body."""
    front, body = split_front_matter(text, source)
    meta = {name: front.get(name) for name in META_FIELDS}
    if meta["publisher"] is None:
        meta["publisher"] = front.get("source") or front.get("site")
    others = {k: v for k, v in front.items() if k not in META_FIELDS and isinstance(v, str | int | float | bool)}
    if isinstance(meta["url"], str) and meta["url"].strip():
        key = meta["url"].strip()
    return make_documents(markdown_to_text(body), key, source, "text/markdown", meta, options, {**others, **extra})
