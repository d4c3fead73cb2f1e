"""The query engine: find SPARQL queries (files, the ``queries/`` library, inline text) and run them.

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

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.query import Result
from rdflib.term import Node
from rdflib.util import from_n3

from graph.errors import QueryError
from graph.rdf.namespaces import PREFIXES

log = logging.getLogger("newsgraph")

#: the query library, shipped inside the package (``queries/`` at the top of the repository
#: is a symlink to it)
LIBRARY_DIR = Path(__file__).resolve().parents[1] / "queries"
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
    """Where named queries are looked up: ``./queries`` first, then the library shipped in the package."""
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
    from graph.store.oxigraph import memory_store

    return memory_store(graph)


def run(graph: Graph, query: Query | str, params: dict[str, Node] | None = None, engine: str | None = None) -> Result:
    """Run a SPARQL query on a graph with parameters bound as RDF terms.

    The project's prefixes (``ng:``, ``prov:``, ``schema:`` ...) are predeclared; library
    queries still declare their own so they run on any SPARQL engine.  Parameters are
    first matched to the graph (:func:`resolve_params`): a parameter that matches nothing
    is reported as a warning on the ``newsgraph`` logger.  ``engine="rdflib"`` runs an
    in-memory graph on rdflib's engine instead of Oxigraph (to compare the two).
    """
    if isinstance(query, str):
        query = Query(query, "<query>")
    params = params or {}
    for name in params:
        if not re.search(r"[?$]" + re.escape(name) + r"\b", query.text):
            raise QueryError(f"{query.origin}: parameter {name!r} is not a variable of the query (?{name})")
    if engine not in (None, "oxigraph", "rdflib"):
        raise QueryError(f"unknown SPARQL engine {engine!r}; choose oxigraph or rdflib")
    where = _Engine(graph, rdflib_only=engine == "rdflib")
    params, unmatched = resolve_params(where, query, params)
    result = where.run(query, params)
    for name, (surely, why) in unmatched.items():
        if surely or _is_empty(result):
            log.warning("%s: parameter %s=%s matches nothing in the graph%s", query.origin, name,
                        _show(params[name]), f" ({why})" if why else "")
    return result


class _Engine:
    """Where a graph's SPARQL runs: Oxigraph for stores, files and in-memory graphs (one
    engine, one answer), the server for a remote graph, rdflib only where Oxigraph cannot
    take the parameters."""

    def __init__(self, graph: Graph, rdflib_only: bool = False) -> None:
        from graph.store.oxigraph import store_of

        self.graph = graph
        self.store = store_of(graph)
        if rdflib_only and self.store is None:
            return
        if self.store is None and isinstance(graph.store, Memory | SimpleMemory):
            self.store = _in_oxigraph(graph)  # an rdflib graph in memory: the same engine as files and stores

    def run(self, query: Query, params: dict[str, Node]) -> Result:
        from graph.store.oxigraph import query_store

        if self.store is not None:  # straight to Oxigraph, rows stay Oxigraph terms
            try:
                return query_store(self.store, query.text, params, {k: str(v) for k, v in PREFIXES.items()})
            except NotImplementedError:
                pass  # a parameter Oxigraph cannot substitute: rdflib's engine over the store
            except Exception as err:  # Oxigraph raises SyntaxError, RuntimeError, OSError
                message = " ".join(str(err).split()) or type(err).__name__
                raise QueryError(f"{query.origin}: {message}") from err
        bindings = {Variable(k): v for k, v in params.items()}
        try:
            return self.graph.query(query.text, initNs=dict(PREFIXES), initBindings=bindings)
        except Exception as err:  # pyparsing and rdflib raise assorted types
            message = " ".join(str(err).split()) or type(err).__name__
            raise QueryError(f"{query.origin}: {message}") from err

    def values(self, text: str, params: dict[str, Node]) -> list[Node]:
        """The first column of a lookup query's rows, as rdflib terms."""
        return [row[0] for row in self.run(Query(text, "<lookup>"), params) if row[0] is not None]

    def ask(self, text: str, params: dict[str, Node]) -> bool:
        return bool(self.run(Query(text, "<lookup>"), params).askAnswer)


def _is_empty(result: Result) -> bool:
    if result.type == "ASK":
        return not result.askAnswer
    if result.type == "SELECT":
        ox_rows = getattr(result, "ox_rows", None)
        return not (ox_rows() if ox_rows is not None else list(result))
    return not len(result.graph or ())


def _show(term: Node) -> str:
    return f"<{term}>" if isinstance(term, URIRef) else repr(str(term))


# --- parameters matched to the graph ------------------------------------------------------

_PARAM_LINE = re.compile(r"^#\s+([A-Za-z_][A-Za-z0-9_]*)\s{2,}(.+)$", re.M)
_PREFIXED = re.compile(r"([A-Za-z][\w-]*):((?:[\w\-.:/#?=&~!$'()*+,;@%]|\\.)+)")
_LABEL_USE = r"(?:rdfs:label|skos:altLabel|<http://www\.w3\.org/2000/01/rdf-schema#label>|" \
             r"<http://www\.w3\.org/2004/02/skos/core#altLabel>)(?:\s*\|\s*\S+)*\s+[?$]{name}\b"
_IRI_USE = r"(?:rdf:predicate|rdf:type|\ba)\s+[?$]{name}\b"

_LABELS = """SELECT DISTINCT ?l WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?l
  FILTER(isLiteral(?l) && LCASE(STR(?l)) = LCASE(STR(?want)))
} ORDER BY ?l"""
_HAS_LABEL = """ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?want }"""
_USED_IRI = "ASK { { ?want ?p ?o } UNION { ?s ?p ?want } UNION { ?s ?want ?o } }"
_USED_LITERAL = "ASK { ?s ?p ?want }"


def param_kinds(query: Query) -> dict[str, str]:
    """What each parameter of a query stands for: ``"iri"`` or ``"label"``.

    From the ``# params:`` header of a library query (a description naming an ``IRI``, or
    a ``label``), else from how the query uses the variable (``rdf:predicate ?x``,
    ``a ?x`` want an IRI; ``rdfs:label ?x`` / ``skos:altLabel ?x`` a label).
    """
    kinds: dict[str, str] = {}
    header = query.text.split("\nPREFIX", 1)[0] if "# params:" in query.text else ""
    if header:
        for name, description in _PARAM_LINE.findall(header.split("# params:", 1)[1]):
            if re.search(r"\bIRIs?\b", description):
                kinds[name] = "iri"
            elif re.search(r"(?i)\blabel", description):
                kinds[name] = "label"
    body = re.sub(r"#[^\n]*", "", query.text)
    for name in set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", body)) - set(kinds):
        if re.search(_IRI_USE.format(name=re.escape(name)), body):
            kinds[name] = "iri"
        elif re.search(_LABEL_USE.format(name=re.escape(name)), body):
            kinds[name] = "label"
    return kinds


def _ontology_terms() -> dict[str, URIRef]:
    """Local name (case-folded) -> IRI of every ng: class and property of the ontology."""
    global _TERMS
    if _TERMS is None:
        from graph.rdf.build import load_ontology
        from graph.rdf.namespaces import NG_OPEN

        onto = load_ontology()
        _TERMS = {}
        for term in sorted(set(onto.subjects())):
            if isinstance(term, URIRef) and str(term).startswith(str(NG_OPEN)) and len(term) > len(NG_OPEN):
                _TERMS.setdefault(str(term)[len(NG_OPEN):].casefold(), term)
    return _TERMS


_TERMS: dict[str, URIRef] | None = None


def _as_iri(text: str, absolute: bool = False) -> tuple[URIRef | None, str]:
    """A plain-text IRI parameter as an IRI: a prefixed name (``ng:reportsOn``,
    ``ngr:country/kh``, ``ngr:country\\/kh`` as tables print it), an ontology local name
    (``reportsOn``, any case) or, when ``absolute``, an IRI without its ``<>``; (None, why)
    when it is none of these."""
    text = text.strip()
    if absolute and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|^`\\]+", text):
        return URIRef(text), ""  # an IRI without its angle brackets
    match = _PREFIXED.fullmatch(text)
    if match and match.group(1) in PREFIXES:
        return URIRef(str(PREFIXES[match.group(1)]) + re.sub(r"\\(.)", r"\1", match.group(2))), ""
    if match:
        return None, f"unknown prefix {match.group(1)}:; known: {', '.join(PREFIXES)}"
    term = _ontology_terms().get(text.casefold())
    if term is not None:
        return term, ""
    return None, "not an ng: class or relation; give <IRI>, a prefixed name such as ng:reportsOn, or a local name"


def resolve_params(engine: _Engine, query: Query, params: dict[str, Node]) -> tuple[dict[str, Node], dict[str, tuple[bool, str]]]:
    """Match parameters given as plain text to the graph, as a user means them.

    - A parameter the query uses as an IRI (see :func:`param_kinds`) takes ``<IRI>``, a
      prefixed name (``ng:reportsOn``, ``ngr:country/kh``) or a local name of the ontology
      (``reportsOn``); a prefixed name with a known prefix is an IRI for any parameter not
      used as a label.
    - A label parameter matches labels and aliases case-insensitively (``amnesty`` ->
      ``Amnesty``); the stored spelling is bound.

    Returns the parameters to bind and, for each that matches nothing in the graph,
    (surely, why): ``surely`` False for a parameter whose use the query does not tell
    (it may feed a FILTER), worth a warning only when the result is empty.
    """
    kinds = param_kinds(query)
    out: dict[str, Node] = {}
    unmatched: dict[str, tuple[bool, str]] = {}
    for name, term in params.items():
        kind = kinds.get(name)
        plain = isinstance(term, Literal) and term.datatype is None and not term.language
        if plain and kind != "label":
            iri, why = _as_iri(str(term), absolute=kind == "iri")
            if iri is not None:
                log.info("%s: parameter %s=%r is the IRI <%s>", query.origin, name, str(term), iri)
                term = iri
            elif kind == "iri":
                unmatched[name] = (True, why)
        if plain and kind == "label" and not engine.ask(_HAS_LABEL, {"want": term}):
            spellings = engine.values(_LABELS, {"want": term})
            if spellings:
                log.info("%s: parameter %s=%r matches the label %r", query.origin, name, str(term), str(spellings[0]))
                term = spellings[0]
            elif not engine.ask(_USED_LITERAL, {"want": term}):  # nor another value (a figure)
                unmatched[name] = (True, "no entity has this label or alias")
        out[name] = term
        if name not in unmatched:
            used = engine.ask(_USED_IRI if isinstance(term, URIRef) else _USED_LITERAL, {"want": term})
            if not used:
                unmatched[name] = (kind is not None, "")
    return out, unmatched


__all__ = ["LIBRARY_DIR", "Query", "find_query", "list_queries", "param_kinds", "query_title", "parse_param", "parse_params",
           "resolve_params", "run", "search_dirs"]

