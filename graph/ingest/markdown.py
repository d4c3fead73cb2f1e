"""Markdown reader: YAML front matter becomes metadata, the body becomes plain text."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import yaml

from graph.errors import InputError
from graph.ingest.documents import META_FIELDS, make_documents, meta_value
from graph.ingest.options import MAX_FRONT_MATTER, IngestOptions
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


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases: a front matter is a few plain
    fields, and aliases are how a few hundred bytes expand to gigabytes (an alias bomb)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError(self.name, f"YAML anchors and aliases are not allowed in front matter (line {event.start_mark.line + 2})")
        return super().compose_node(parent, index)


#: front matter nested deeper than this ([[[...]]] or {{...}}) is refused
MAX_YAML_DEPTH = 32
_YAML_QUOTED = re.compile(r""""[^"\\]*(?:\\.[^"\\]*)*"|'[^']*(?:''[^']*)*'""")
_NOT_FLOW = re.compile(r"[^\[\]{}]+")
_FLOW_STEP = str.maketrans({"[": "+", "{": "+", "]": "-", "}": "-"})


def _flow_depth(yaml_text: str) -> int:
    """How deeply YAML flow collections (``[...]``, ``{...}``) nest, quoted scalars ignored."""
    steps = _NOT_FLOW.sub("", _YAML_QUOTED.sub("", yaml_text)).translate(_FLOW_STEP)
    return max(accumulate(1 if c == "+" else -1 for c in steps), default=0)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body); a malformed, too large or aliased front matter is an
    InputError (``MAX_FRONT_MATTER``; anchors and aliases are refused)."""
    m = _FRONT.match(text[: MAX_FRONT_MATTER + 16])
    if not m:
        if len(text) > MAX_FRONT_MATTER and _FRONT.match(text):
            raise InputError(source, f"YAML front matter larger than {MAX_FRONT_MATTER // 1024} kB, refused")
        return {}, text
    depth = _flow_depth(m.group(1))
    if depth > MAX_YAML_DEPTH:  # PyYAML's scanner takes time quadratic in this depth
        raise InputError(source, f"YAML front matter nested {depth} levels deep (more than {MAX_YAML_DEPTH}), refused")
    loader = _FrontMatterLoader(m.group(1))
    loader.name = source
    try:
        data = loader.get_single_data()
    except RecursionError as err:
        raise InputError(source, "YAML front matter nested too deeply") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(source, f"malformed YAML front matter{where}") from err
    finally:
        loader.dispose()
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
        key = meta_value(meta["url"]) or key
    return make_documents(markdown_to_text(body), key, source, "text/markdown", meta, options, {**others, **extra})
