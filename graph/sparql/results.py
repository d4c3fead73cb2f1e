"""Query result formats: the W3C SPARQL 1.1 CSV, TSV and JSON results formats, and a table.

- CSV (https://www.w3.org/TR/sparql11-results-csv-tsv/#csv): header of variable names,
  values as plain strings (IRIs bare, literals' lexical form, blank nodes ``_:b``),
  RFC 4180 quoting, CRLF line ends.
- TSV (same spec, #tsv): header ``?x``, values in N-Triples/Turtle term syntax with tab,
  newline and carriage return escaped, LF line ends.
- JSON (https://www.w3.org/TR/sparql11-results-json/): ``head.vars`` and
  ``results.bindings``; ASK gives ``{"head": {}, "boolean": ...}``.
- table: an aligned rich table for people, IRIs shortened with the project's prefixes.

ASK results print ``true``/``false`` in the text formats; CONSTRUCT/DESCRIBE results are
graphs and are written as RDF (Turtle by default) through ``graph.formats.serialize``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import PurePath
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.namespaces import PREFIXES

SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")
FORMATS = SELECT_FORMATS + GRAPH_FORMATS
EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".txt": "table",
    ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld", ".rdf": "xml",
}

#: widest table written to a pipe or file (wider results are written as records)
MAX_TABLE_WIDTH = 200

_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def format_for(fmt: str | None, path: str | None = None) -> str:
    """The result format named by ``fmt``, else from ``path``'s extension, else ``table``.

    A file extension that names no result format (``x.xlsx``) is an error rather than a
    text table under a misleading name.
    """
    if fmt:
        name = {"ttl": "turtle", "json-ld": "jsonld"}.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return name
    if path and path != "-":
        suffix = PurePath(path).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        if suffix:
            known = ", ".join(sorted(EXTENSIONS))
            raise QueryError(f"{path}: no result format has the extension {suffix!r} ({known}); pass --format")
    return "table"


_XSD_STRING = str(XSD.string)


def _ox_parts(term: Any) -> tuple[str, str, str | None, str | None]:
    """(kind, value, language, datatype) of an Oxigraph term: rows from a store are written
    without converting them to rdflib terms first."""
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        return "literal", term.value, term.language, None if term.language or dt == _XSD_STRING else dt
    raise QueryError(f"cannot write result term {term!r}")


def _is_ox(term: object) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal)


def nt_term(term: Node | Any | None) -> str:
    """A term in N-Triples syntax (used by TSV); ``""`` for unbound."""
    if term is None:
        return ""
    if _is_ox(term):
        kind, value, lang, dt = _ox_parts(term)
        if kind == "uri":
            return f"<{value}>"
        if kind == "bnode":
            return f"_:{value}"
        lexical = "".join(_NT_ESCAPES.get(ch, ch) for ch in value)
        return f'"{lexical}"@{lang}' if lang else f'"{lexical}"^^<{dt}>' if dt else f'"{lexical}"'
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical = "".join(_NT_ESCAPES.get(ch, ch) for ch in str(term))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    raise QueryError(f"cannot write result term {term!r}")


def plain_term(term: Node | None) -> str:
    """A term as SPARQL CSV writes it: IRI, lexical form or ``_:label``; ``""`` for unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode | ox.BlankNode):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}"
    if _is_ox(term):
        return term.value
    return str(term)


def json_term(term: Node | Any) -> dict[str, str]:
    """A term as a SPARQL 1.1 JSON results binding object."""
    if _is_ox(term):
        kind, value, lang, dt = _ox_parts(term)
        out = {"type": kind, "value": value}
        if lang:
            out["xml:lang"] = lang
        elif dt:
            out["datatype"] = dt
        return out
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot write result term {term!r}")


def _rows(result: Result) -> tuple[list[Variable], list[tuple[Any, ...]]]:
    """Variables and rows; a store's rows stay Oxigraph terms (no conversion)."""
    variables = list(result.vars or [])
    ox_rows = getattr(result, "ox_rows", None)
    if ox_rows is not None:
        return variables, ox_rows()
    rows = [tuple(row.get(v) for v in variables) for row in result]  # type: ignore[union-attr]
    return variables, rows


def to_csv(result: Result) -> str:
    """SPARQL 1.1 CSV results."""
    variables, rows = _rows(result)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([str(v) for v in variables])
    for row in rows:
        writer.writerow([plain_term(t) for t in row])
    return buf.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV results."""
    variables, rows = _rows(result)
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(nt_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> str:
    """SPARQL 1.1 JSON results (SELECT or ASK)."""
    if result.type == "ASK":
        data: dict[str, object] = {"head": {}, "boolean": bool(result.askAnswer)}
    else:
        variables, rows = _rows(result)
        bindings = [
            {str(v): json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
        ]
        data = {"head": {"vars": [str(v) for v in variables]}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: characters a SPARQL/Turtle local name may carry after a backslash (PN_LOCAL_ESC)
_LOCAL_ESCAPES = set("_~.-!$&'()*+,;=/?#@%")


def _local_name(local: str) -> str | None:
    """``local`` as the local part of a prefixed name that SPARQL and Turtle parse
    (``country/kh`` -> ``country\\/kh``), or None when it cannot be one."""
    if local.endswith("."):  # escapable, but some parsers (rdflib) choke on it
        return None
    out = []
    for i, ch in enumerate(local):
        if ch.isalnum() or ch == "_" or ch == ":" or (ch == "-" and i > 0) or (ch == "." and 0 < i < len(local) - 1):
            out.append(ch)
        elif ch in _LOCAL_ESCAPES:
            out.append("\\" + ch)
        else:
            return None
    return "".join(out) or None


def short_term(term: Node | None, prefixes: dict[str, str] | None = None) -> str:
    """A compact form of a term for tables that can be pasted back into a query:
    ``ng:accuses``, ``ngr:country\\/kh`` (a ``/`` in a local name is escaped, as SPARQL
    requires), else the full ``<IRI>``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        term = URIRef(term.value)
    if isinstance(term, URIRef):
        for prefix, ns in (prefixes or _PREFIX_STRINGS).items():
            if term.startswith(ns) and len(term) > len(ns):
                local = _local_name(term[len(ns):])
                if local is not None:
                    return f"{prefix}:{local}"
        return f"<{term}>"
    return plain_term(term)


_PREFIX_STRINGS = dict(sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda kv: -len(kv[1])))


#: narrowest a truncated column may get before the table turns into records
MIN_COLUMN = 12


def to_table(result: Result, width: int | None = None, color: bool = False) -> str:
    """An aligned table (rich) of a SELECT result; ASK gives ``true``/``false``.

    ``width`` (a terminal's) is never exceeded: one line per row, long cells cut with an
    ellipsis; when the columns cannot all get a readable width, each row is printed as a
    record (one ``name  value`` line per variable).  Without a width (a pipe or a file)
    nothing is cut: the table is as wide as its content, and a result wider than
    ``MAX_TABLE_WIDTH`` is written as records with whole values.
    """
    if result.type == "ASK":
        return "true\n" if result.askAnswer else "false\n"
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    variables, rows = _rows(result)
    names = [str(v) for v in variables]
    cells = [[short_term(t) for t in row] for row in rows]
    buf = io.StringIO()
    if width is not None:
        cells = [[" ".join(c.split()) if "\n" in c or "\r" in c or "\t" in c else c for c in row] for row in cells]
        console = Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color,
                          markup=False, emoji=False, highlight=False)
        widths = _fit_widths(names, cells, width - _GAP * (len(names) - 1))
        if widths is None:
            _print_records(console, names, cells, width)
        else:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False, padding=(0, 1))
            for name, w in zip(names, widths, strict=True):
                table.add_column(Text(name), overflow="ellipsis", no_wrap=True, width=w)
            for row in cells:  # article text is data: Text, never console markup ("[/quote]") or emoji (":x:")
                table.add_row(*(Text(c) for c in row))
            console.print(table)
    else:  # a pipe or file: nothing is cut; as wide as the content, else one record per row
        from rich.cells import cell_len

        widest = [cell_len(n) for n in names]
        for row in cells:
            widest = [max(w, *(cell_len(line) for line in c.splitlines() or [""])) for w, c in zip(widest, row, strict=True)]
        fit = max(40, sum(widest) + _GAP * (len(widest) - 1))
        console = Console(file=buf, width=max(fit, 40) if fit <= MAX_TABLE_WIDTH else MAX_TABLE_WIDTH,
                          color_system="standard" if color else None, force_terminal=color,
                          markup=False, emoji=False, highlight=False)
        if fit > MAX_TABLE_WIDTH:
            _print_records(console, names, cells, None)
        else:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False, padding=(0, 1))
            for name in names:
                table.add_column(Text(name), no_wrap=True)
            for row in cells:
                table.add_row(*(Text(c) for c in row))
            console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")
    return buf.getvalue()


#: cells between two columns of the table (padding, divider, padding)
_GAP = 3


def _fit_widths(names: list[str], cells: list[list[str]], room: int) -> list[int] | None:
    """Column widths that fit ``room``: the widest columns give way first, none below its
    header or ``MIN_COLUMN``; None when even that does not fit."""
    from rich.cells import cell_len

    widths = [max([cell_len(n)] + [cell_len(row[i]) for row in cells]) for i, n in enumerate(names)]
    least = [min(w, max(cell_len(n), MIN_COLUMN)) for n, w in zip(names, widths, strict=True)]
    if sum(least) > room:
        return None
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda k: (widths[k] - least[k] > 0, widths[k]))
        widths[i] -= min(widths[i] - least[i], sum(widths) - room, max(1, widths[i] - sorted(widths)[-2] if len(widths) > 1 else 1))
    return widths


def _print_records(console: Any, names: list[str], cells: list[list[str]], width: int | None) -> None:
    """Rows as records: one ``name  value`` line per variable; values are cut to
    ``width`` with an ellipsis, or given whole (continuation lines indented) for None."""
    from rich.text import Text

    pad = max(len(n) for n in names)
    for i, row in enumerate(cells):
        console.rule(f"row {i + 1}", style="dim", align="left", characters="─")
        for name, value in zip(names, row, strict=True):
            if width is None:
                body = value.replace("\n", "\n" + " " * (pad + 2))
                console.print(Text(f"{name:>{pad}}  ", style="bold") + Text(body), soft_wrap=True)
                continue
            line = Text(f"{name:>{pad}}  ", style="bold")
            cell = Text(value)
            cell.truncate(max(8, width - pad - 2), overflow="ellipsis")
            line.append(cell)
            console.print(line, no_wrap=True, overflow="ellipsis", crop=True)


def format_result(result: Result, fmt: str = "table", width: int | None = None, color: bool = False) -> bytes:
    """Render a query result (any kind) in a result format; returns UTF-8 bytes."""
    fmt = format_for(fmt)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if fmt in SELECT_FORMATS and fmt != "table":
            raise QueryError(f"{result.type} results are RDF: use --format turtle, nt, jsonld, trig, nquads or xml")
        from graph.formats import serialize
        from graph.rdf.namespaces import bind_prefixes

        graph = bind_prefixes(Graph())
        for triple in result.graph or Graph():  # type: ignore[union-attr]
            graph.add(triple)
        return serialize(graph, "turtle" if fmt == "table" else fmt)
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"{result.type} results are a table: use --format table, csv, tsv or json")
    if result.type == "ASK" and fmt != "json":
        return b"true\n" if result.askAnswer else b"false\n"
    if fmt == "csv":
        return to_csv(result).encode("utf-8")
    if fmt == "tsv":
        return to_tsv(result).encode("utf-8")
    if fmt == "json":
        return to_json(result).encode("utf-8")
    return to_table(result, width=width, color=color).encode("utf-8")


__all__ = ["FORMATS", "format_for", "format_result", "json_term", "nt_term", "plain_term", "to_csv", "to_json", "to_table", "to_tsv"]
