"""Which reader a file needs: by its extension when known, else by looking at its content.

Unknown extensions are sniffed, never guessed from the name: HTML markup, JSON / JSON
Lines records, Markdown front matter, else plain text (binary content is refused by the
decoder before any reader sees it).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from graph.ingest.options import MAX_JSON_DEPTH

TEXT, MARKDOWN, HTML, JSON, JSONL = "text", "markdown", "html", "json", "jsonl"

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".json": JSON,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
}

MEDIA_TYPES = {
    TEXT: "text/plain",
    MARKDOWN: "text/markdown",
    HTML: "text/html",
    JSON: "application/json",
    JSONL: "application/jsonl",
}

_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s)", re.I | re.S)
_HTML_ANY = re.compile(r"<(p|div|article|title|h1|h2|span|a\s)[\s>]", re.I)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = str.maketrans({"[": "+", "{": "+", "]": "-", "}": "-"})


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of JSON text nest (brackets in strings ignored).

    Checked before ``json.loads``, whose recursion a few thousand ``[`` exhaust.
    """
    if "[" not in text and "{" not in text:
        return 0
    steps = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).translate(_STEP)
    return max(accumulate(1 if c == "+" else -1 for c in steps), default=0)


def format_for_suffix(suffix: str) -> str | None:
    """The format of a known file extension (case-insensitive), else None."""
    return SUFFIX_FORMATS.get(suffix.lower())


def sniff_format(text: str) -> str:
    """Guess the format of decoded text by its content."""
    head = text[:4096]
    if _HTML_START.match(head) or (head.lstrip().startswith("<") and len(_HTML_ANY.findall(head)) >= 2):
        return HTML
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        if json_depth(stripped) > MAX_JSON_DEPTH:
            return JSON  # the JSON reader refuses it with a message
        try:
            json.loads(stripped)
            return JSON
        except ValueError:
            lines = [ln for ln in stripped.splitlines() if ln.strip()]
            try:
                if all(isinstance(json.loads(ln), dict) for ln in lines[:5]):
                    return JSONL
            except ValueError:
                pass
    if text.startswith("---\n") and "\n---" in text[4:4096]:
        return MARKDOWN
    return TEXT
