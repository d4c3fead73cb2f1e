"""Remote stores: any SPARQL 1.1 server (Fuseki, GraphDB, Virtuoso, QLever, Oxigraph).

Writing uses the SPARQL 1.1 Graph Store HTTP Protocol: each document's graph is PUT to
its own named graph (idempotent: building twice leaves one copy).  Like the on-disk store,
the server's default graph holds the merge of all documents' graphs (each triple once), so
library queries over the default graph give the same answers as on ``graph.ttl`` without
any server setting; it is kept up to date with SPARQL 1.1 Update.  Reading uses the SPARQL
1.1 Protocol through rdflib's ``SPARQLStore``.

URLs: ``--endpoint http://host:7878`` means Oxigraph's layout (``/query``, ``/update``,
``/store``); ``--endpoint http://host:3030/ds`` for Fuseki works with its ``/query``,
``/update`` and ``/data``-style service when named explicitly (``Endpoint(...)``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from graph.errors import StoreError
from graph.rdf.namespaces import NG, bind_prefixes

TIMEOUT = 120.0
_NT = "application/n-triples"
_SPARQL_JSON = "application/sparql-results+json"


def is_url(source: object) -> bool:
    """True for an http(s) URL (a remote SPARQL server)."""
    return isinstance(source, str) and source.split(":", 1)[0].lower() in ("http", "https") and "://" in source


def _iri(name: str) -> str:
    """An IRI fit for SPARQL text (``<...>``): refuse characters that could break out."""
    if any(c in name for c in '<>"{}|^`\\ \n\r\t'):
        raise StoreError(f"{name}: not a safe IRI")
    return f"<{name}>"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The three URLs of a SPARQL server: query, update and graph store."""

    query: str
    update: str
    store: str

    @classmethod
    def from_url(cls, url: str) -> Endpoint:
        """Endpoints from a server URL: ``http://host:7878`` or ``.../query`` (Oxigraph,
        Fuseki layout: siblings ``update`` and ``store``/``data``)."""
        if not is_url(url):
            raise StoreError(f"{url}: not an http(s) URL")
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            raise StoreError(f"{url}: give the server URL without query string")
        base = url.rstrip("/")
        for tail in ("/query", "/sparql"):
            if base.endswith(tail):
                base = base[: -len(tail)]
                break
        return cls(query=base + "/query", update=base + "/update", store=base + "/store")


class RemoteDataset:
    """A SPARQL server as a build target (the same "sink" methods as ``OxigraphDataset``)."""

    def __init__(self, endpoint: str | Endpoint, timeout: float = TIMEOUT) -> None:
        self.endpoint = endpoint if isinstance(endpoint, Endpoint) else Endpoint.from_url(endpoint)
        self.timeout = timeout
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"RemoteDataset({self.endpoint.query})"

    def _request(self, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            resp = self.session.request(method, url, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as err:
            raise StoreError(f"{url}: {type(err).__name__}: {str(err).splitlines()[0][:200]}") from err
        if resp.status_code >= 400 and not (method == "DELETE" and resp.status_code == 404):
            raise StoreError(f"{url}: {http_error(resp)}")
        return resp

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; rows of variable -> value (lexical form)."""
        resp = self._request(
            "POST", self.endpoint.query, data={"query": query}, headers={"Accept": _SPARQL_JSON}
        )
        try:
            rows = json.loads(resp.content)["results"]["bindings"]
        except (ValueError, KeyError) as err:
            raise StoreError(f"{self.endpoint.query}: not SPARQL JSON results") from err
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    def named_quads(self) -> list[ox.Quad]:
        """Every quad of the server's named graphs (the documents' graphs), with their types."""
        resp = self._request(
            "POST", self.endpoint.query, data={"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": _SPARQL_JSON},
        )
        try:
            rows = json.loads(resp.content)["results"]["bindings"]
            return [ox.Quad(_term(r["s"]), _term(r["p"]), _term(r["o"]), _term(r["g"])) for r in rows]
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"{self.endpoint.query}: not SPARQL JSON results with RDF terms") from err

    def update(self, update: str) -> None:
        self._request("POST", self.endpoint.update, data={"update": update})

    # sink protocol
    def document_hashes(self) -> dict[str, str]:
        """Document IRI -> ``ng:contentHash`` of every document on the server."""
        rows = self.select(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{NG.contentHash}> ?h }} }}")
        return {r["g"]: r["h"] for r in rows}

    def documents(self) -> list[tuple[str, str, str]]:
        """(document IRI, ``ng:documentKey``, source) of every document, sorted."""
        rows = self.select(
            f"SELECT ?g ?key ?src WHERE {{ GRAPH ?g {{ ?g <{NG.documentKey}> ?key . "
            "OPTIONAL { ?g <http://purl.org/dc/terms/source> ?src } } }"
        )
        return sorted((r["g"], r["key"], r.get("src", "")) for r in rows)

    def put_graph(self, name: str, quads: list[ox.Quad]) -> None:
        """Replace named graph ``name`` (HTTP PUT) and merge it into the default graph."""
        self._unmerge(name)
        body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        self._request("PUT", self.endpoint.store, params={"graph": name}, data=body, headers={"Content-Type": _NT})
        self._merge(name)

    def add_to_graph(self, name: str, quads: list[ox.Quad]) -> None:
        """Add triples to named graph ``name`` (HTTP POST) and to the merged default graph."""
        body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        self._request("POST", self.endpoint.store, params={"graph": name}, data=body, headers={"Content-Type": _NT})
        self._merge(name)

    def remove_graph(self, name: str) -> bool:
        """Drop named graph ``name`` and its triples no other graph has from the merge."""
        exists = self._ask(f"ASK {{ GRAPH {_iri(name)} {{ ?s ?p ?o }} }}")
        if not exists:
            return False
        self._unmerge(name)
        self._request("DELETE", self.endpoint.store, params={"graph": name})
        return True

    def triple_count(self) -> int:
        """Number of distinct triples in the server's default graph (the merge)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"]) if rows else 0
        except (KeyError, ValueError) as err:
            raise StoreError(f"{self.endpoint.query}: COUNT answered {rows[:1]!r}") from err

    def close(self) -> None:
        self.session.close()

    def _ask(self, query: str) -> bool:
        resp = self._request("POST", self.endpoint.query, data={"query": query}, headers={"Accept": _SPARQL_JSON})
        try:
            return bool(json.loads(resp.content)["boolean"])
        except (ValueError, KeyError) as err:
            raise StoreError(f"{self.endpoint.query}: not a SPARQL ASK result") from err

    def _merge(self, name: str) -> None:
        self.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(name)} {{ ?s ?p ?o }} }}")

    def _unmerge(self, name: str) -> None:
        g = _iri(name)
        self.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }}"
        )


def _term(b: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A SPARQL 1.1 JSON results term as an Oxigraph term."""
    kind = b["type"]
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in b:
            return ox.Literal(b["value"], language=b["xml:lang"])
        if "datatype" in b:
            return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
        return ox.Literal(b["value"])
    raise ValueError(f"unknown term type {kind!r}")


class _ReportingStore(SPARQLStore):
    """rdflib's ``SPARQLStore`` with HTTP done by ``requests``: a server's refusal reaches
    the user as its status and message (``HTTP 403 Forbidden: updates are refused``), not
    as rdflib's "You did something wrong formulating either the URI or your SPARQL query"."""

    def __init__(self, query_endpoint: str, timeout: float = TIMEOUT) -> None:
        super().__init__(query_endpoint, returnFormat="json", method="GET")
        self.timeout = timeout
        self._session = requests.Session()

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:  # type: ignore[override]
        self._queries += 1
        params = {"query": query}
        if default_graph is not None and not isinstance(default_graph, BNode):
            params["default-graph-uri"] = default_graph
        headers = {"Accept": self.response_mime_types()}
        url = self.query_endpoint or ""
        try:  # POST: a long query does not overflow a URL
            resp = self._session.post(url, data=params, headers=headers, timeout=self.timeout)
        except requests.RequestException as err:
            raise StoreError(f"{url}: {request_error(err)}") from err
        if resp.status_code >= 400:
            raise StoreError(f"{url}: {http_error(resp)}")
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
        try:
            return Result.parse(BytesIO(resp.content), content_type=ctype)
        except Exception as err:  # rdflib's result parsers raise assorted types
            raise StoreError(f"{url}: HTTP {resp.status_code} but not SPARQL results ({ctype or 'no content type'})") from err


def request_error(err: requests.RequestException) -> str:
    """A failed request in one line: ``cannot connect: [Errno 111] Connection refused``."""
    if isinstance(err, requests.Timeout):
        return f"no answer within {TIMEOUT:g} s ({type(err).__name__})"
    if isinstance(err, requests.ConnectionError):
        found = re.findall(r"\[Errno -?\d+\] [^'\")]+", str(err))
        return "cannot connect: " + (found[-1] if found else type(err).__name__)
    return f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"


def http_error(resp: requests.Response) -> str:
    """``HTTP 403 Forbidden: <the first line of the server's message>``."""
    try:
        phrase = HTTPStatus(resp.status_code).phrase
    except ValueError:
        phrase = resp.reason or ""
    text = resp.text.strip() if "html" not in resp.headers.get("Content-Type", "") else ""
    message = text.splitlines()[0][:300] if text else ""
    return f"HTTP {resp.status_code} {phrase}" + (f": {message}" if message else "")


def remote_endpoint(graph: Graph) -> str | None:
    """The query URL of a graph opened from a SPARQL server (``remote_graph``), else None."""
    store = getattr(graph, "store", None)
    return store.query_endpoint if isinstance(store, SPARQLStore) else None


def copy_named_graphs(url: str) -> ox.Store:
    """An in-memory Oxigraph copy of a server's named graphs (for exports that keep them)."""
    store = ox.Store()
    remote = RemoteDataset(url)
    try:
        store.extend(remote.named_quads())
    finally:
        remote.close()
    return store


def remote_graph(url: str) -> Graph:
    """An rdflib Graph over a SPARQL server's default graph (queries run on the server)."""
    endpoint = Endpoint.from_url(url)
    store = _ReportingStore(endpoint.query)
    g = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
    g.default_union = True  # no default-graph-uri parameter: the server's default graph
    return bind_prefixes(g)
