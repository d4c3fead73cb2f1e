"""Query: find SPARQL queries (files, the ``queries/`` library, inline text) and run them.

Parameters are bound as RDF terms, never pasted into query text: through rdflib's
``initBindings`` on an rdflib graph, as Oxigraph substitutions on a store (where the query
runs in Oxigraph directly and its rows reach the result writers as Oxigraph terms).

Parameter values (``--param name=value`` on the command line, or ``parse_param``):

- ``<https://...>`` -> an IRI
- ``42`` / ``-7`` -> an ``xsd:integer``; ``4.5`` -> an ``xsd:decimal``
- ``"text"@en`` or ``"5"^^<http://www.w3.org/2001/XMLSchema#int>`` -> that literal (Turtle syntax)
- anything else -> a plain ``xsd:string`` literal, taken verbatim (``Cambodia``)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.query import Result
from rdflib.term import Node
from rdflib.util import from_n3

from graph import _make_callable
from graph.errors import QueryError
from graph.rdf.namespaces import PREFIXES

#: the query library shipped in the repository, next to the package
LIBRARY_DIR = Path(__file__).resolve().parents[2] / "queries"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')


@dataclass(frozen=True, slots=True)
class Query:
    """A SPARQL query's text and where it came from (for error messages)."""

    text: str
    origin: str  # file path, library name, or "-e"

    @property
    def kind(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (from the text; prefixes and comments skipped)."""
        body = re.sub(r"<[^<>\s]*>", "<>", self.text)  # IRIs may hold '#' or keywords
        body = re.sub(r"#[^\n]*", "", body)
        body = re.sub(r"(?is)\b(PREFIX\s+\S*:\s*<>|BASE\s*<>)", "", body)
        match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
        return match.group(1).upper() if match else "SELECT"


def search_dirs() -> list[Path]:
    """Where named queries are looked up: ``./queries`` first, then the repository's library."""
    dirs = [Path.cwd() / "queries", LIBRARY_DIR]
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def list_queries() -> dict[str, Path]:
    """Named queries available (name -> file); ``./queries`` overrides the library."""
    found: dict[str, Path] = {}
    for d in search_dirs():
        for path in sorted(d.glob("*.rq")):
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def query_title(path: Path) -> str:
    """The ``# title:`` header line of a query file, or ``""``."""
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.search(r"^#\s*title:\s*(.+)$", head, re.M)
    return match.group(1).strip() if match else ""


def find_query(spec: str) -> Query:
    """Resolve a query given as a ``.rq`` path or a library name (``trafficking-routes``)."""
    path = Path(spec)
    if spec == "-":
        import sys

        return Query(sys.stdin.read(), "<stdin>")
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return Query(_read(path), str(path))
    if not _NAME.fullmatch(spec):
        raise QueryError(f"{spec!r} is not a query file or a query name (use -e for inline SPARQL)")
    for d in search_dirs():
        candidate = d / f"{spec}.rq"
        if candidate.is_file():
            return Query(_read(candidate), str(candidate))
    known = ", ".join(list_queries()) or "none found"
    raise QueryError(f"{spec}: no such query file or named query (known: {known})")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read query: {err}") from err


def parse_param(value: str) -> Node:
    """An RDF term from a parameter value (see the module docstring for the syntax)."""
    if value.startswith("<") and value.endswith(">"):
        if not _IRI.fullmatch(value):
            raise QueryError(f"parameter value {value!r} is not a valid IRI")
        return URIRef(value[1:-1])
    if re.fullmatch(r"[+-]?\d+", value):
        return Literal(int(value))
    if re.fullmatch(r"[+-]?\d+\.\d+", value):
        from decimal import Decimal

        return Literal(Decimal(value))
    if value.startswith('"') and re.search(r'"(@[A-Za-z]+(-[A-Za-z0-9]+)*|\^\^<[^<>]+>)?$', value) and len(value) > 1:
        try:
            term = from_n3(value)
        except Exception as err:  # rdflib raises assorted types for bad N3
            raise QueryError(f"parameter value {value!r} is not a valid RDF literal: {err}") from err
        if not isinstance(term, Literal):
            raise QueryError(f"parameter value {value!r} is not a valid RDF literal")
        return term
    return Literal(value)


def parse_params(items: list[str] | tuple[str, ...] | dict[str, object] | None) -> dict[str, Node]:
    """``["name=value", ...]`` (or a dict of values or RDF terms) -> {name: RDF term}."""
    if not items:
        return {}
    pairs: list[tuple[str, object]]
    if isinstance(items, dict):
        pairs = list(items.items())
    else:
        pairs = []
        for item in items:
            name, sep, value = item.partition("=")
            if not sep:
                raise QueryError(f"parameter {item!r} must look like name=value")
            pairs.append((name, value))
    out: dict[str, Node] = {}
    for name, value in pairs:
        name = name.strip().lstrip("?$")
        if not _VAR.fullmatch(name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
        if isinstance(value, Node):
            out[name] = value
        elif isinstance(value, str):
            out[name] = parse_param(value)
        else:
            out[name] = Literal(value)
    return out


def _in_oxigraph(graph: Graph) -> Any:
    """An in-memory Oxigraph copy of an rdflib graph's triples (named graphs merged), so
    a query gives the same answer on ``graph.build()``'s graph as on a file or a store."""
    import pyoxigraph as ox

    from graph.store.oxigraph import to_ox

    store = ox.Store()
    memo: dict[Node, Any] = {}

    def conv(term: Node) -> Any:
        hit = memo.get(term)
        if hit is None:
            hit = memo[term] = to_ox(term)
        return hit

    store.extend(ox.Quad(conv(s), conv(p), conv(o), ox.DefaultGraph()) for s, p, o in graph.triples((None, None, None)))
    return store


def run(graph: Graph, query: Query | str, params: dict[str, Node] | None = None) -> Result:
    """Run a SPARQL query on a graph with parameters bound as RDF terms.

    The project's prefixes (``ng:``, ``prov:``, ``schema:`` ...) are predeclared; library
    queries still declare their own so they run on any SPARQL engine.
    """
    if isinstance(query, str):
        query = Query(query, "<query>")
    params = params or {}
    for name in params:
        if not re.search(r"[?$]" + re.escape(name) + r"\b", query.text):
            raise QueryError(f"{query.origin}: parameter {name!r} is not a variable of the query (?{name})")
    from graph.store.oxigraph import query_store, store_of

    store = store_of(graph)
    if store is None and isinstance(graph.store, Memory | SimpleMemory):
        store = _in_oxigraph(graph)  # an rdflib graph in memory: the same engine as files and stores
    if store is not None:  # a store: straight to Oxigraph, rows stay Oxigraph terms
        try:
            return query_store(store, query.text, params, {k: str(v) for k, v in PREFIXES.items()})
        except NotImplementedError:
            pass  # a parameter Oxigraph cannot substitute: rdflib's engine over the store
        except Exception as err:  # Oxigraph raises SyntaxError, RuntimeError, OSError
            message = " ".join(str(err).split()) or type(err).__name__
            raise QueryError(f"{query.origin}: {message}") from err
    bindings = {Variable(k): v for k, v in params.items()}
    try:
        return graph.query(query.text, initNs=dict(PREFIXES), initBindings=bindings)
    except Exception as err:  # pyparsing and rdflib raise assorted types
        message = " ".join(str(err).split()) or type(err).__name__
        raise QueryError(f"{query.origin}: {message}") from err


__all__ = ["LIBRARY_DIR", "Query", "find_query", "list_queries", "query_title", "parse_param", "parse_params", "run", "search_dirs"]

# ``graph.query(...)``/``graph.export(...)`` stay callable once this subpackage is imported
_make_callable(__name__)
