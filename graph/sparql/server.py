"""A read-only SPARQL 1.1 Protocol endpoint over one graph, built to stay up.

``GET /query?query=...`` and ``POST /query`` (form-encoded ``query=`` or a
``application/sparql-query`` body) answer by content negotiation: SELECT/ASK as SPARQL
JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD or N-Triples; 406 when the
``Accept`` header allows none of them.  Updates are refused (403), and so are queries that
would reach outside the graph (``SERVICE``, ``FROM``: 403).  ``GET /`` is a small page to
type a query and see a table; it loads nothing from the network.

HTTP is waitress (one I/O loop for every connection, a bounded thread pool, a real listen
backlog, idle connections and requests that never finish arriving closed after
``idle_timeout``).  Queries run in worker processes (``graph.sparql.workers``): bounded in
time (503 past ``timeout``, the worker killed and replaced), in memory (``RLIMIT_AS``; a
query that explodes takes down only its worker) and in number (503 past ``max_queries``).
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from graph.errors import NewsgraphError
from graph.sparql.endpoint import READ_ONLY, ProtocolError, check_query, execute, negotiate
from graph.sparql.workers import Busy, GraphSpec, Reply, WorkerPool

log = logging.getLogger("newsgraph")

MAX_BODY = 1_000_000  # bytes of query text accepted
TIMEOUT = 30.0  # seconds a query may take (waiting for a worker included)
WORKERS = max(2, min(4, os.cpu_count() or 2))
MAX_QUERIES = 256  # queries admitted at once (running or waiting for a worker); more get 503
MEMORY_LIMIT_MB = 4096  # address space of one query worker
IDLE_TIMEOUT = 30  # seconds a connection may stay idle, and a request may take to arrive
MAX_CONNECTIONS = 1000

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class _Channel(HTTPChannel):
    """waitress's connection, remembering when the request being read began."""

    request_began = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_began = time.time()
        return super().received(data)


class _HTTPServer(TcpWSGIServer):
    """waitress's TCP server; maintenance also closes connections whose request has not
    fully arrived within ``channel_timeout`` (a header or body that never comes)."""

    channel_class = _Channel

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = now - self.adj.channel_timeout
        for channel in list(self.active_channels.values()):
            if not channel.requests and channel.request is not None and channel.request_began < cutoff:
                channel.will_close = True


def _raise_fd_limit(wanted: int) -> int:
    """Raise the soft limit on open files towards ``wanted``; the number now allowed."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    return wanted if soft == resource.RLIM_INFINITY else soft


def _spec_for(source: Any, workdir: Path) -> GraphSpec:
    """How the workers open ``source``: a path or URL as given; ``-`` and in-memory graphs
    are written to ``workdir`` first (a store's quads as N-Quads, a graph as N-Triples)."""
    from rdflib import ConjunctiveGraph, Graph

    if isinstance(source, Graph):
        from graph.store.oxigraph import store_of
        from graph.store.remote import remote_endpoint

        store = store_of(source)
        if store is not None:
            import pyoxigraph as ox

            path = workdir / "graph.nq"
            store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
            return GraphSpec("nquads-store", str(path))
        url = remote_endpoint(source)
        if url is not None:
            return GraphSpec("load", url)
        if isinstance(source, ConjunctiveGraph):
            path = workdir / "graph.nq"
            source.serialize(destination=str(path), format="nquads", encoding="utf-8")
        else:
            path = workdir / "graph.nt"
            source.serialize(destination=str(path), format="nt", encoding="utf-8")
        return GraphSpec("load", str(path))
    text = str(source)
    if text == "-":
        import sys

        path = workdir / "stdin.ttl"
        path.write_bytes(sys.stdin.buffer.read())
        return GraphSpec("load", str(path))
    from graph.store.remote import is_url

    return GraphSpec("load", text if is_url(text) else str(Path(text).absolute()))


class SparqlServer:
    """The endpoint: a waitress HTTP server in front of a ``WorkerPool``.

    ``serve_forever()`` runs it (blocking); ``shutdown()`` from another thread stops it;
    ``server_close()`` stops the workers and frees the port.
    """

    def __init__(self, source: Any, address: tuple[str, int], *, timeout: float = TIMEOUT, workers: int = WORKERS,
                 max_queries: int = MAX_QUERIES, memory_limit: int = MEMORY_LIMIT_MB,
                 idle_timeout: int = IDLE_TIMEOUT) -> None:
        if timeout <= 0:
            raise NewsgraphError("--timeout must be more than 0 seconds")
        self.timeout = float(timeout)
        self._tmp = tempfile.TemporaryDirectory(prefix="newsgraph-serve-")
        self._stopped = threading.Event()
        self._running = False
        host, port = address
        connections = max(16, min(MAX_CONNECTIONS, _raise_fd_limit(MAX_CONNECTIONS + 256) - 128))
        adj = Adjustments(
            host=host, port=port, ident="newsgraph",
            threads=max_queries + 8,  # every admitted query holds a thread; the rest answer 503 at once
            backlog=2048, connection_limit=connections,
            channel_timeout=max(1, int(idle_timeout)), cleanup_interval=1,
            asyncore_use_poll=True,  # select() stops at 1024 descriptors
            channel_request_lookahead=4,  # keep reading: notice a client that hung up mid-query
            max_request_header_size=64 * 1024, max_request_body_size=MAX_BODY + 64 * 1024,
            expose_tracebacks=False, clear_untrusted_proxy_headers=True,
        )
        try:
            self._http = _HTTPServer(self._app, map={}, adj=adj, sockinfo=adj.listen[0])
        except OSError as err:
            self._tmp.cleanup()
            raise NewsgraphError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
        except Exception:
            self._tmp.cleanup()
            raise
        try:
            self.pool = WorkerPool(_spec_for(source, Path(self._tmp.name)), size=workers, memory_mb=memory_limit,
                                   max_queries=max_queries)
            self.pool.start()
        except BaseException:
            self._http.close()
            self._http.task_dispatcher.shutdown()
            self._tmp.cleanup()
            raise
        self.server_address = (self._http.effective_host, self._http.effective_port)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def serve_forever(self) -> None:
        """Answer requests until ``shutdown()`` (or Ctrl-C)."""
        self._running = True
        try:
            self._http.run()
        finally:
            self._running = False
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (from another thread) and wait for it to return."""
        from waitress import wasyncore

        self._http.trigger.pull_trigger(lambda: wasyncore.close_all(self._http._map))
        if self._running:
            self._stopped.wait(10)

    def server_close(self) -> None:
        """Stop the workers, the HTTP threads and the listening socket."""
        from waitress import wasyncore

        with contextlib.suppress(Exception):
            wasyncore.close_all(self._http._map)
        self._http.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
        self.pool.close()
        self._tmp.cleanup()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    # --- the WSGI application --------------------------------------------------------------

    def _app(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        began = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            reply = self._dispatch(environ)
        except ProtocolError as err:
            reply = Reply.text(err.status, str(err))
        except Exception as err:  # a bug must be answered, not kill the request thread silently
            log.exception("request failed")
            reply = Reply.text(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}")
        headers = [
            ("Content-Type", reply.content_type),
            ("Content-Length", str(len(reply.body))),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-store"),
        ]
        if reply.content_type.startswith("text/html"):
            headers.append(("Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                            "connect-src 'self'"))
        if reply.status == HTTPStatus.SERVICE_UNAVAILABLE:
            headers.append(("Retry-After", "1"))
        if reply.status == HTTPStatus.METHOD_NOT_ALLOWED:
            headers.append(("Allow", "GET, HEAD, POST"))
        status = HTTPStatus(reply.status)
        start_response(f"{status.value} {status.phrase}", headers)
        log.info("%s %s %s %d %.0f ms", environ.get("REMOTE_ADDR", "-"), method, environ.get("PATH_INFO", ""),
                 status.value, (time.monotonic() - began) * 1000)
        return [b"" if method == "HEAD" else reply.body]

    def _dispatch(self, environ: Environ) -> Reply:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        if method not in ("GET", "HEAD", "POST"):
            return Reply.text(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only")
        if method in ("GET", "HEAD"):
            if path in ("/", "/index.html"):
                return Reply(200, "text/html; charset=utf-8", PAGE.encode("utf-8"))
            if path != "/query":
                return Reply.text(HTTPStatus.NOT_FOUND, "not found: use /query or /")
            params = _form(environ.get("QUERY_STRING", ""))
            return self._query(params, environ)
        if path not in ("/query", "/update"):
            return Reply.text(HTTPStatus.NOT_FOUND, "not found: use /query")
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if path == "/update" or ctype == "application/sparql-update":
            return Reply.text(HTTPStatus.FORBIDDEN, READ_ONLY)
        raw = environ["wsgi.input"].read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            return Reply.text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"query longer than {MAX_BODY} bytes")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Reply.text(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        if ctype == "application/sparql-query":
            params = _form(environ.get("QUERY_STRING", ""))
            params["query"] = [text]
            return self._query(params, environ)
        if ctype == "application/x-www-form-urlencoded":
            params = _form(text)
            for name, values in _form(environ.get("QUERY_STRING", "")).items():
                params.setdefault(name, []).extend(values)
            return self._query(params, environ)
        return Reply.text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                          "POST application/sparql-query or application/x-www-form-urlencoded")

    def _query(self, params: dict[str, list[str]], environ: Environ) -> Reply:
        if "update" in params:
            return Reply.text(HTTPStatus.FORBIDDEN, READ_ONLY)
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return Reply.text(HTTPStatus.FORBIDDEN,
                              "default-graph-uri / named-graph-uri are refused: the endpoint serves one graph")
        values = params.get("query", [])
        if len(values) > 1:
            return Reply.text(HTTPStatus.BAD_REQUEST, "give one query parameter")
        if not values or not values[0].strip():
            return Reply.text(HTTPStatus.BAD_REQUEST, "missing query (query=... or an application/sparql-query body)")
        gone = environ.get("waitress.client_disconnected")
        try:
            reply = self.pool.run(values[0], environ.get("HTTP_ACCEPT"), self.timeout, gone)
        except Busy:
            return Reply.text(HTTPStatus.SERVICE_UNAVAILABLE,
                              f"server busy: {self.pool.max_queries} queries are running or waiting; retry later")
        if reply is None:  # the client hung up: nobody reads this
            return Reply.text(HTTPStatus.SERVICE_UNAVAILABLE, "query stopped: the client went away")
        return reply


def _form(text: str) -> dict[str, list[str]]:
    """Decode ``a=1&b=2`` (a query string or a form body) as UTF-8; 400 if it is not."""
    try:
        raw = text.encode("latin-1")  # WSGI gives the query string's bytes as latin-1
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    try:
        return parse_qs(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as err:
        raise ProtocolError(HTTPStatus.BAD_REQUEST, "the query string or form is not UTF-8") from err


def parse_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (or ``PORT``) -> (host, port); default host 127.0.0.1."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise NewsgraphError(f"--bind {bind!r}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def make_server(source: Any, bind: str = "127.0.0.1:8000", **options: Any) -> SparqlServer:
    """A server for ``source`` (a graph, or a path / store folder / URL / ``-`` as the
    command line takes it) bound to ``bind`` (port 0 picks a free port), its workers
    ready; call ``serve_forever()``.  ``options``: timeout, workers, max_queries,
    memory_limit (MB, 0 = none), idle_timeout (seconds)."""
    return SparqlServer(source, parse_bind(bind), **options)


def serve(source: Any, bind: str = "127.0.0.1:8000", **options: Any) -> None:
    """Serve ``source`` until interrupted (the ``newsgraph serve`` command)."""
    import signal

    server = make_server(source, bind, **options)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, stop)
    log.warning("serving SPARQL on %squery (page: %s); %d query workers, --timeout %g s; Ctrl-C stops",
                server.url, server.url, server.pool.size, server.timeout)
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

__all__ = ["MAX_BODY", "PAGE", "ProtocolError", "SparqlServer", "check_query", "execute", "make_server", "negotiate",
           "parse_bind", "serve"]
