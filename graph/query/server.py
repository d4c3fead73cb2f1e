"""A read-only SPARQL 1.1 Protocol endpoint over one graph, on the standard library's HTTP server.

``GET /query?query=...`` and ``POST /query`` (form-encoded ``query=`` or a
``application/sparql-query`` body) answer by content negotiation: SELECT/ASK as SPARQL
JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD or N-Triples; 406 when the
``Accept`` header allows none of them.  Updates are refused (403), and so are queries that
would reach outside the graph (``SERVICE``, ``FROM``).  ``GET /`` is a small page to type a
query and see a table; it loads nothing from the network.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pyparsing import ParseResults
from rdflib import Graph
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from graph.errors import NewsgraphError, QueryError
from graph.rdf.namespaces import PREFIXES

log = logging.getLogger("newsgraph")

MAX_BODY = 1_000_000  # bytes of query text accepted
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
_UPDATE = re.compile(r"(?is)^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b")


class ProtocolError(NewsgraphError):
    """A request the endpoint answers with an HTTP error status."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


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


def _walk(node: object) -> bool:
    """Whether a parsed query uses SERVICE."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_walk(v) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_walk(v) for v in node)
    return False


def check_query(text: str) -> None:
    """Refuse updates and queries that would read outside the graph (SERVICE, FROM)."""
    if _UPDATE.match(text):
        raise ProtocolError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
    try:
        parsed = parseQuery(text)
    except Exception as err:  # pyparsing raises ParseException and friends
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "malformed query: " + " ".join(str(err).split())) from err
    body = parsed[1]
    if "datasetClause" in body.keys():
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "FROM / FROM NAMED are not supported: the endpoint serves one graph")
    if _walk(parsed):
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "SERVICE is not supported: the endpoint never queries other servers")


def execute(graph: Graph, text: str, accept: str | None, lock: threading.Lock | None = None) -> tuple[str, bytes]:
    """Run a read-only query and serialise it for ``accept``; returns (content type, body)."""
    from graph.query import Query, run
    from graph.query.results import to_csv, to_json, to_tsv

    check_query(text)
    try:
        with lock or contextlib.nullcontext():
            result: Result = run(graph, Query(text, "query"))
            if result.type == "SELECT":  # evaluate the lazy result while the lock is held
                result.bindings = list(result.bindings)
    except QueryError as err:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, str(err)) from err
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


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "newsgraph"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.info("%s - %s", self.address_string(), format % args)

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if ctype.startswith("text/html"):
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _answer(self, text: str | None) -> None:
        if text is None or not text.strip():
            self._error(HTTPStatus.BAD_REQUEST, "missing query (query=... or an application/sparql-query body)")
            return
        try:
            ctype, body = execute(self.server.graph, text, self.headers.get("Accept"), self.server.lock)
        except ProtocolError as err:
            self._error(err.status, str(err))
            return
        except Exception as err:  # a bug must not kill the server thread silently
            log.exception("query failed")
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}")
            return
        self._send(HTTPStatus.OK, ctype, body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", PAGE.encode("utf-8"))
            return
        if url.path != "/query":
            self._error(HTTPStatus.NOT_FOUND, "not found: use /query or /")
            return
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(HTTPStatus.BAD_REQUEST, "default-graph-uri / named-graph-uri are not supported")
            return
        values = params.get("query", [])
        if len(values) > 1:
            self._error(HTTPStatus.BAD_REQUEST, "give one query parameter")
            return
        self._answer(values[0] if values else None)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        if url.path not in ("/query", "/update"):
            self._error(HTTPStatus.NOT_FOUND, "not found: use /query")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            return
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query longer than {MAX_BODY} bytes")
            return
        raw = self.rfile.read(length) if length > 0 else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
            return
        if ctype == "application/sparql-query":
            self._answer(text)
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
                return
            self._answer((form.get("query") or [None])[0])
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "POST application/sparql-query or application/x-www-form-urlencoded")

    def do_PUT(self) -> None:  # noqa: N802 - stdlib naming
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``graph`` is shared read-only by the request threads."""

    daemon_threads = True

    def __init__(self, graph: Graph, address: tuple[str, int]) -> None:
        self.graph = graph
        self.lock = threading.Lock()  # rdflib's in-memory store is not safe for concurrent queries
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def parse_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (or ``PORT``) -> (host, port); default host 127.0.0.1."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise NewsgraphError(f"--bind {bind!r}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def make_server(graph: Graph, bind: str = "127.0.0.1:8000") -> SparqlServer:
    """A server bound to ``bind`` (port 0 picks a free port); call ``serve_forever()``."""
    host, port = parse_bind(bind)
    try:
        return SparqlServer(graph, (host, port))
    except OSError as err:
        raise NewsgraphError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err


def serve(graph: Graph, bind: str = "127.0.0.1:8000") -> None:
    """Serve ``graph`` until interrupted (the ``newsgraph serve`` command)."""
    server = make_server(graph, bind)
    log.warning("serving SPARQL on %squery (page: %s); Ctrl-C stops", server.url, server.url)
    try:
        server.serve_forever()
    finally:
        server.server_close()


_EXAMPLE = """PREFIX ng: <https://w3id.org/newsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?relation ?o WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?relation ; rdf:object ?o .
} LIMIT 50"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph SPARQL</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
textarea { width: 100%; height: 12em; font: 13px ui-monospace, monospace; }
table { border-collapse: collapse; margin-top: 12px; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; } #status { color: #666; margin-left: 8px; } .err { color: #b00; white-space: pre-wrap; }
</style></head><body>
<h1>newsgraph SPARQL endpoint</h1>
<p>Read-only. POST or GET <code>/query</code> (SPARQL 1.1 Protocol), or type a query here.</p>
<form id="f"><textarea id="q" name="query" spellcheck="false">""" + html.escape(_EXAMPLE) + """</textarea>
<br><button type="submit">Run</button><span id="status"></span></form>
<div id="out"></div>
<script>
(function () {
  "use strict";
  var form = document.getElementById("f"), out = document.getElementById("out"), status = document.getElementById("status");
  function cell(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    status.textContent = "running…";
    while (out.firstChild) out.removeChild(out.firstChild);
    fetch("query", { method: "POST", headers: { "Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
                     body: document.getElementById("q").value })
      .then(function (r) { return r.text().then(function (t) { return [r, t]; }); })
      .then(function (rt) {
        var r = rt[0], text = rt[1];
        if (!r.ok) { status.textContent = ""; out.appendChild(cell("p", r.status + " " + text)).className = "err"; return; }
        if ((r.headers.get("Content-Type") || "").indexOf("json") < 0) { status.textContent = ""; out.appendChild(cell("pre", text)); return; }
        var data = JSON.parse(text);
        if (data.boolean !== undefined) { status.textContent = ""; out.appendChild(cell("p", String(data.boolean))); return; }
        var vars = data.head.vars, rows = data.results.bindings, table = document.createElement("table"), tr = document.createElement("tr");
        vars.forEach(function (v) { tr.appendChild(cell("th", v)); });
        table.appendChild(tr);
        rows.forEach(function (b) {
          var tr = document.createElement("tr");
          vars.forEach(function (v) { tr.appendChild(cell("td", b[v] ? b[v].value : "")); });
          table.appendChild(tr);
        });
        out.appendChild(table);
        status.textContent = rows.length + " row(s)";
      })
      .catch(function (e) { status.textContent = String(e); });
  });
})();
</script></body></html>
"""

__all__ = ["PAGE", "ProtocolError", "SparqlServer", "check_query", "execute", "make_server", "negotiate", "parse_bind",
           "serve"]
