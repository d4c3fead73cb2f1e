"""What the SPARQL endpoint does with one request's query text: check it, run it, write it.

``check_query`` decides with rdflib's SPARQL grammar (never a regex over the text) whether
the request is a query at all: text that parses as an update is refused (403), text that
parses as neither is malformed (400); queries reaching outside the served graph
(``SERVICE``, ``FROM``, ``FROM NAMED``) are refused (403).  ``execute`` runs a checked query
with ``graph.sparql.run`` (the engine ``newsgraph query`` uses, so rows are the same) and
serialises it for the ``Accept`` header.

rdflib's pyparsing grammar is not thread-safe: these functions run in the server's query
worker processes (``graph.sparql.workers``), one query at a time per process.
"""

from __future__ import annotations

import functools
from http import HTTPStatus
from typing import Any

from graph.errors import NewsgraphError, QueryError

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/json": "json-ld",
}
READ_ONLY = "this endpoint is read-only: updates are refused"


class ProtocolError(NewsgraphError):
    """A request the endpoint answers with an HTTP error status."""

    def __init__(self, status: HTTPStatus | int, message: str) -> None:
        super().__init__(message)
        self.status = HTTPStatus(status)


def negotiate(accept: str | None, offers: dict[str, str]) -> tuple[str, str] | None:
    """The (media type, format) of ``offers`` the ``Accept`` header likes best; None if none.

    A missing header or ``*/*`` gets the first offer.
    """
    if not accept or not accept.strip():
        first = next(iter(offers))
        return first, offers[first]
    ranges: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((q, i, media))
    for _q, _i, media in sorted(ranges, key=lambda r: (-r[0], r[1])):
        if media in offers:
            return media, offers[media]
        if media == "*/*":
            first = next(iter(offers))
            return first, offers[first]
        if media.endswith("/*"):
            for offer in offers:
                if offer.startswith(media[:-1]):
                    return offer, offers[offer]
    return None


def _uses(node: object, name: str) -> bool:
    """Whether a parse tree holds a node called ``name`` (e.g. ``ServiceGraphPattern``)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)
    return False


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def check_query(text: str) -> Any:
    """Parse ``text`` as a SPARQL query and return the parse tree; raise ``ProtocolError``
    for an update (403), text that is neither query nor update (400), and queries that
    would read outside the graph (403)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "missing query (query=... or an application/sparql-query body)")
    try:
        parsed = parseQuery(text)
    except Exception as query_err:  # pyparsing raises ParseException and friends
        try:
            update = parseUpdate(text)
        except Exception:
            update = None
        if update is not None and "request" in update.keys():  # an empty "update" is just a prologue
            raise ProtocolError(HTTPStatus.FORBIDDEN, READ_ONLY) from query_err
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "malformed query: " + _one_line(query_err)) from query_err
    if "datasetClause" in parsed[1].keys():
        raise ProtocolError(HTTPStatus.FORBIDDEN,
                            "FROM / FROM NAMED are refused: the endpoint serves one graph and never fetches another")
    if _uses(parsed, "ServiceGraphPattern"):
        raise ProtocolError(HTTPStatus.FORBIDDEN, "SERVICE is refused: the endpoint never queries other servers")
    return parsed


def _check(text: str) -> tuple[bool, ProtocolError | None]:
    """(uses GRAPH, refusal) of a query text."""
    try:
        return _uses(check_query(text), "GraphGraphPattern"), None
    except ProtocolError as err:
        return False, err


#: the same, remembered for texts up to 16 KB: clients repeat their queries, and rdflib's
#: parser costs as much as running a small query
_check_cached = functools.lru_cache(maxsize=512)(_check)


def _checked(text: str) -> tuple[bool, ProtocolError | None]:
    return _check_cached(text) if len(text) <= 16384 else _check(text)


def dataset_view(graph: Any) -> Any:
    """A dataset whose default graph is ``graph`` and which has no named graphs.

    ``GRAPH ?g { ... }`` on a plain graph (a Turtle file) then matches nothing, as SPARQL
    says for a dataset without named graphs, instead of rdflib raising.
    """
    from rdflib import ConjunctiveGraph, Dataset

    from graph.store.oxigraph import store_of
    from graph.store.remote import remote_endpoint

    if isinstance(graph, ConjunctiveGraph) or store_of(graph) is not None or remote_endpoint(graph) is not None:
        return graph
    view = Dataset(store=graph.store)
    view.default_context = graph  # same store: same triples and prefixes, nothing copied
    return view


def execute(graph: Any, text: str, accept: str | None) -> tuple[str, bytes]:
    """Check and run a read-only query on ``graph`` and serialise it for ``accept``;
    returns (content type, body) or raises ``ProtocolError``."""
    from rdflib import Graph

    from graph.rdf.namespaces import PREFIXES
    from graph.sparql.engine import Query, run
    from graph.sparql.results import to_csv, to_json, to_tsv

    uses_graph, refused = _checked(text)
    if refused is not None:
        raise ProtocolError(refused.status, str(refused))
    target = dataset_view(graph) if uses_graph else graph
    try:
        result = run(target, Query(text, "query"))
        if result.type == "SELECT":  # evaluate lazy results here, where errors are caught
            result.bindings = list(result.bindings)
    except QueryError as err:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, str(err).removeprefix("query: ")) from err
    except (MemoryError, RecursionError):
        raise
    except Exception as err:  # rdflib evaluates lazily and raises assorted types
        raise ProtocolError(HTTPStatus.INTERNAL_SERVER_ERROR, "query evaluation failed: " + _one_line(err)) from err
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        chosen = negotiate(accept, GRAPH_TYPES)
        if chosen is None:
            raise ProtocolError(HTTPStatus.NOT_ACCEPTABLE, "graph results are available as " + ", ".join(GRAPH_TYPES))
        media, fmt = chosen
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in result.graph or Graph():  # type: ignore[union-attr]
            g.add(triple)
        return media + "; charset=utf-8", g.serialize(format=fmt, encoding="utf-8")
    chosen = negotiate(accept, SELECT_TYPES)
    if chosen is None:
        raise ProtocolError(HTTPStatus.NOT_ACCEPTABLE, "results are available as " + ", ".join(SELECT_TYPES))
    media, fmt = chosen
    if fmt == "json":
        return media + "; charset=utf-8", to_json(result).encode("utf-8")
    if fmt == "xml":
        return media + "; charset=utf-8", result.serialize(format="xml", encoding="utf-8") or b""
    if result.type == "ASK":
        return media + "; charset=utf-8", (b"true\n" if result.askAnswer else b"false\n")
    if fmt == "csv":
        return media + "; charset=utf-8", to_csv(result).encode("utf-8")
    return media + "; charset=utf-8", to_tsv(result).encode("utf-8")


__all__ = ["GRAPH_TYPES", "READ_ONLY", "SELECT_TYPES", "ProtocolError", "check_query", "dataset_view", "execute",
           "negotiate"]
