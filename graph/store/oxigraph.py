"""Oxigraph datasets: an on-disk (RocksDB) or in-memory quad store for big graphs.

``OxigraphDataset`` is what ``newsgraph build --store DIR`` (and, in memory, ``--out DIR``)
writes into: one named graph per document, replaced whole when the document changes.
``union_graph`` wraps a store as an rdflib ``Graph`` whose triples are the union of all
named graphs and whose SPARQL runs inside Oxigraph (10x and more faster than rdflib's
in-memory engine), so every command taking a graph works on a store unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier, Node, Variable

from graph.errors import StoreError
from graph.rdf.namespaces import NG, PREFIXES, bind_prefixes
from graph.rdf.terms import from_ox, graph_quads, to_ox

#: files RocksDB always writes into an Oxigraph store directory
_STORE_MARKERS = ("CURRENT", "IDENTITY")
#: documents between two flushes of an on-disk store
FLUSH_EVERY = 50



def is_store_dir(path: str | Path) -> bool:
    """True when ``path`` is a directory holding an Oxigraph (RocksDB) store."""
    p = Path(path)
    return p.is_dir() and any((p / m).is_file() for m in _STORE_MARKERS)


def memory_store(graph: Graph) -> ox.Store:
    """An in-memory Oxigraph copy of an rdflib graph's triples in the default graph (named
    graphs merged: ``triples()``, since a Dataset iterates over quads)."""
    store = ox.Store()
    store.extend(graph_quads(graph.triples((None, None, None)), default=True))
    return store


def _sort_key(q: ox.Quad | ox.Triple) -> tuple[str, ...]:
    if isinstance(q, ox.Quad):
        return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    return (str(q.subject), str(q.predicate), str(q.object))


def _prefixes() -> dict[str, str]:
    return {k: str(v) for k, v in PREFIXES.items()}


def _sorted_header(data: bytes) -> bytes:
    """Put the ``@prefix`` lines in a fixed order (the serializer's order is unspecified)."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


_DUMP_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
}


def dump_terms(data: list[Any], fmt: str) -> bytes:
    """Quads (``trig``/``nquads``) or triples (``turtle``/``nt``), already sorted, as bytes."""
    if fmt not in ("trig", "turtle"):
        return ox.serialize(data, format=_DUMP_FORMATS[fmt])
    return _sorted_header(ox.serialize(data, format=_DUMP_FORMATS[fmt], prefixes=_prefixes()))


def dataset_quads(store: ox.Store, extra: Graph | None = None) -> list[ox.Quad]:
    """A store's named graphs (one per document, and the build graph) as sorted quads, plus
    ``extra`` triples (e.g. the ontology) in the default graph; the merged default graph
    itself is left out: it is their union."""
    quads = [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]
    if extra is not None:
        quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in extra]
    return sorted(set(quads), key=_sort_key)


# --- the dataset -------------------------------------------------------------------------

_HASHES = f"""SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{NG.contentHash}> ?h }} }}"""
_DOCS = f"""SELECT ?g ?key ?src WHERE {{ GRAPH ?g {{ ?g <{NG.documentKey}> ?key .
  OPTIONAL {{ ?g <http://purl.org/dc/terms/source> ?src }} }} }}"""
#: drop one named graph's triples from the merged default graph unless another graph has them
_UNMERGE = """DELETE { ?s ?p ?o } WHERE { GRAPH $g { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER(?other != $g) } }"""
_MERGE_ALL = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class OxigraphDataset:
    """A dataset of named graphs in Oxigraph, on disk at ``path`` or in memory.

    Each document's facts live in the named graph of its IRI (the source of truth); the
    default graph holds their merge (each triple once), kept up to date on every change,
    so SPARQL over the default graph sees exactly what one merged ``graph.ttl`` holds.
    The methods are the "sink" every build target offers (see ``graph.store.Sink``).
    """

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._puts = 0
        self.out_folder: Any = None  # an ``OutFolder`` held while building into ``--out DIR``
        self.created = False  # this object made the store folder (removed again if left empty)
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise StoreError(f"{self.path}: not a directory, cannot hold a store")
                if self.path.is_dir() and any(self.path.iterdir()) and not is_store_dir(self.path):
                    raise StoreError(f"{self.path}: directory is not an Oxigraph store (and not empty)")
                self.created = not self.path.exists()
                self.store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"{self.path}: cannot open store: {str(err).splitlines()[0]}") from err

    def __repr__(self) -> str:
        return f"OxigraphDataset({str(self.path) if self.path else 'memory'})"

    # sink protocol
    def document_hashes(self) -> dict[str, str]:
        """Document IRI -> ``ng:contentHash`` of every document in the dataset."""
        return {sol["g"].value: sol["h"].value for sol in self.store.query(_HASHES)}

    def documents(self) -> list[tuple[str, str, str]]:
        """(document IRI, ``ng:documentKey``, source) of every document, sorted."""
        out = []
        for sol in self.store.query(_DOCS):
            src = sol["src"]
            out.append((sol["g"].value, sol["key"].value, src.value if src is not None else ""))
        return sorted(out)

    def put_graph(self, name: str, quads: list[ox.Quad]) -> None:
        """Replace named graph ``name`` with ``quads`` (all in that graph) and merge them."""
        self.remove_graph(name)
        self.add_to_graph(name, quads)
        self._puts += 1
        if self.path is not None and self._puts % FLUSH_EVERY == 0:
            self.store.flush()  # write RocksDB's memtables out: keeps memory flat

    def add_to_graph(self, name: str, quads: list[ox.Quad]) -> None:
        """Add ``quads`` to named graph ``name`` and to the merged default graph."""
        default = ox.DefaultGraph()
        self.store.extend(quads + [ox.Quad(q.subject, q.predicate, q.object, default) for q in quads])

    def remove_graph(self, name: str) -> bool:
        """Drop named graph ``name`` (and its triples no other graph has from the merge)."""
        g = ox.NamedNode(name)
        if not self.store.contains_named_graph(g):
            return False
        self.store.update(_UNMERGE.replace("$g", str(g)))
        self.store.remove_graph(g)
        return True

    def close(self) -> None:
        """Flush an on-disk store to disk; release the ``--out`` folder held for a build.

        A store folder this object created and nothing was written into is removed again,
        so a build with no usable input leaves no trace.
        """
        if self.path is not None:
            if self.created and len(self.store) == 0:
                import gc
                import shutil

                del self.store  # RocksDB closes with its last reference
                gc.collect()
                shutil.rmtree(self.path, ignore_errors=True)
                self.store = ox.Store()  # closed: an empty in-memory stand-in
                self.created = False
            else:
                self.store.flush()
        if self.out_folder is not None:
            self.out_folder.release()
            self.out_folder = None

    # reading and writing files
    def load_file(self, path: str | Path) -> None:
        """Load a TriG / N-Quads (or any RDF) file into the dataset and merge its graphs."""
        try:
            try:
                self.store.load(path=str(path))
            except MemoryError:
                # a literal over 16 MiB (written before texts were split into parts) is over
                # the streaming parser's token buffer; parsed from bytes in memory it loads
                data = Path(path).read_bytes()
                fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TRIG
                self.store.bulk_load(data, format=fmt)
        except (OSError, SyntaxError, ValueError, MemoryError) as err:
            raise StoreError(f"{path}: cannot load: {str(err).splitlines()[0]}") from err
        self.store.update(_MERGE_ALL)

    def triple_count(self) -> int:
        """Number of distinct triples (the merged graph)."""
        return int(next(iter(self.store.query(_COUNT_DEFAULT)))["n"].value)

    def named_quads(self) -> list[ox.Quad]:
        """Every quad of the named graphs, in a stable order (byte-identical dumps)."""
        return sorted(
            (q for q in self.store if not isinstance(q.graph_name, ox.DefaultGraph)), key=_sort_key
        )

    def merged_triples(self) -> list[ox.Triple]:
        """The merged graph's triples, in a stable order."""
        return sorted(
            (q.triple for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
            key=_sort_key,
        )

    def dump(self, fmt: str = "trig") -> bytes:
        """Serialise deterministically: ``trig``/``nquads`` keep the named graphs,
        ``turtle``/``nt`` write the merged graph."""
        if fmt not in _DUMP_FORMATS:
            raise StoreError(f"cannot dump a store as {fmt!r}; choose one of {', '.join(_DUMP_FORMATS)}")
        return dump_terms(self.named_quads() if fmt in ("trig", "nquads") else self.merged_triples(), fmt)

    def union_graph(self) -> Graph:
        """An rdflib Graph of the merged graph; its SPARQL runs in Oxigraph."""
        return union_graph(self.store)


# --- rdflib view ------------------------------------------------------------------------


class MergedOxigraphStore(OxigraphStore):
    """oxrdflib's store, read-only, giving plain literals back as rdflib makes them
    (``Literal("x")``, not ``Literal("x", datatype=xsd:string)``) so results compare equal
    to those of a graph parsed from Turtle.  ``initBindings`` on a variable a query does
    not project (Oxigraph refuses those) fall back to rdflib's SPARQL engine."""

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
        try:
            pattern = [None if t is None else to_ox(t) for t in triple_pattern]
            graph = None if context is None else to_ox(getattr(context, "identifier", context))
        except TypeError:
            return iter(())
        if isinstance(graph, ox.NamedNode) and graph.value == str(DATASET_DEFAULT_GRAPH_ID):
            graph = ox.DefaultGraph()
        if isinstance(pattern[0], ox.Literal) or not isinstance(pattern[1], ox.NamedNode | None):
            return iter(())
        return (
            ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter(()))
            for q in self._inner.quads_for_pattern(pattern[0], pattern[1], pattern[2], graph)
        )

    def query(  # type: ignore[override]
        self,
        query: Any,
        initNs: Mapping[str, Any],  # noqa: N803
        initBindings: Mapping[str, Identifier],  # noqa: N803
        queryGraph: Any,  # noqa: N803
        **kwargs: object,
    ) -> Result:
        if not isinstance(query, str) or kwargs:
            raise NotImplementedError("parsed queries and extra options run in rdflib")
        try:
            result = self._inner.query(
                query,
                use_default_graph_as_union=queryGraph == "__UNION__",
                default_graph=None if queryGraph == "__UNION__" else ox.DefaultGraph(),
                prefixes={k: str(v) for k, v in {**dict(self.namespaces()), **initNs}.items()},
                substitutions={ox.Variable(str(k)): to_ox(v) for k, v in initBindings.items()},
            )
        except RuntimeError as err:
            if initBindings and "projection" in str(err):
                raise NotImplementedError("bindings outside the projection: rdflib evaluates") from err
            raise
        if isinstance(result, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(result)
        elif isinstance(result, ox.QuerySolutions):
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in result.variables]
            memo: dict[Any, Node] = {}  # rows repeat labels and IRIs: convert each term once

            def conv(term: Any) -> Node:
                hit = memo.get(term)
                if hit is None:
                    hit = memo[term] = from_ox(term)
                return hit

            out.bindings = [
                {v: conv(val) for v, val in zip(out.vars, row, strict=True) if val is not None}
                for row in result
            ]
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            for t in result:
                out.graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return out

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise StoreError("this graph is a read-only view of a store; build into the store instead")

    def addN(self, quads: Iterable[Any]) -> None:  # noqa: N802
        raise StoreError("this graph is a read-only view of a store; build into the store instead")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise StoreError("this graph is a read-only view of a store; remove documents instead")


# --- SPARQL straight in Oxigraph ---------------------------------------------------------

#: query tokens: IRIs, strings, comments and variables are skipped whole, so that a
#: keyword or brace inside them is never taken for the query's own
_TOKENS = re.compile(
    r"""<[^<>"{}|^`\\\x00-\x20]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|#[^\n]*"""
    r"|[?$]\w+|(?P<word>[A-Za-z_][\w-]*(?::[\w.-]*)?)|(?P<punct>[{}()])",
    re.S,
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class OxigraphResult(Result):
    """A SELECT result straight from Oxigraph.

    ``ox_rows()`` gives the rows as Oxigraph terms (what the result writers in
    ``graph.sparql.results`` read, with no conversion); iterating it as an rdflib result
    converts each distinct term once, only when someone asks for rdflib rows.
    """

    def __init__(self, solutions: ox.QuerySolutions) -> None:
        super().__init__("SELECT")
        self.vars = [Variable(v.value) for v in solutions.variables]
        self._solutions: Iterator[Any] | None = iter(solutions)
        self._rows: list[tuple[Any, ...]] | None = None
        self._converted: list[dict[Variable, Node]] | None = None

    def ox_rows(self) -> list[tuple[Any, ...]]:
        """The rows as tuples of Oxigraph terms (``None`` for unbound), in query order."""
        if self._rows is None:
            width = len(self.vars or [])
            self._rows = [tuple(sol[i] for i in range(width)) for sol in self._solutions or iter(())]
            self._solutions = None
        return self._rows

    @property  # type: ignore[override]
    def bindings(self) -> list[dict[Variable, Node]]:
        if self._converted is None:
            memo: dict[Any, Node] = {}  # rows repeat labels and IRIs: convert each term once

            def conv(term: Any) -> Node:
                hit = memo.get(term)
                if hit is None:
                    hit = memo[term] = from_ox(term)
                return hit

            variables = self.vars or []
            self._converted = [
                {v: conv(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in self.ox_rows()
            ]
        return self._converted

    @bindings.setter
    def bindings(self, b: Iterable[dict[Variable, Node]]) -> None:
        self._converted = list(b)

    def __iter__(self) -> Iterator[Any]:
        variables = self.vars or []
        for b in self.bindings:
            yield ResultRow(b, variables)


def store_of(graph: Graph) -> ox.Store | None:
    """The Oxigraph store behind a graph opened from a store (``union_graph``), else None."""
    store = getattr(graph, "store", None)
    return store._inner if isinstance(store, MergedOxigraphStore) else None


def with_values(text: str, params: Mapping[str, Node]) -> str | None:
    """``text`` with a ``VALUES`` block binding ``params`` first in its outermost WHERE group.

    The values are RDF terms serialised by Oxigraph (N-Triples syntax, escaped), never raw
    text; None when the query has no WHERE group or a value cannot go in VALUES (a blank node).
    """
    names = sorted(params)
    if not all(_NAME.fullmatch(n) for n in names):
        return None
    terms = [to_ox(params[n]) for n in names]
    if any(isinstance(term, ox.BlankNode) for term in terms):
        return None
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(term) for term in terms)}) }} "
    form, need_where, depth = "", False, 0
    for m in _TOKENS.finditer(text):
        word, punct = m.group("word"), m.group("punct")
        if word:
            upper = word.upper()
            if not form and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form, need_where = upper, upper == "CONSTRUCT"
            elif form and upper == "WHERE":
                need_where = False
        elif punct and form:
            if punct == "(":
                depth += 1
            elif punct == ")":
                depth -= 1
            elif punct == "{" and depth == 0 and not need_where:
                return text[: m.end()] + block + text[m.end():]
    return None


def query_store(store: ox.Store, text: str, params: Mapping[str, Node] | None = None,
                prefixes: Mapping[str, str] | None = None) -> Result:
    """Run SPARQL on a store's default (merged) graph in Oxigraph, parameters bound as terms.

    Parameters go in a ``VALUES`` block first in the outermost WHERE group, as RDF terms
    serialised by Oxigraph (never raw text); Oxigraph joins it in early, so a bound label
    is looked up by index.  (Oxigraph's own ``substitutions`` are joined in after the query
    is evaluated, and refuse unprojected variables.)  Raises ``NotImplementedError`` when
    Oxigraph would answer differently from rdflib, whose bindings hold everywhere: a query
    testing ``BOUND(?param)`` (false in a nested group under a VALUES join); the caller
    then uses rdflib's engine.
    """
    params = dict(params or {})
    for name in params:  # a VALUES join is not seen inside nested groups: BOUND(?param) is false there
        if re.search(r"(?i)\bBOUND\s*\(\s*[?$]" + re.escape(name) + r"\s*\)", text):
            raise NotImplementedError(f"BOUND(?{name}) on a parameter: rdflib evaluates")
    if params:
        sent = with_values(text, params)
        if sent is None:
            raise NotImplementedError("parameters Oxigraph cannot take as VALUES")
        text = sent
    result = store.query(text, prefixes=dict(prefixes or {}))
    if isinstance(result, ox.QuerySolutions):
        return OxigraphResult(result)
    if isinstance(result, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(result)
        return out
    out = Result("CONSTRUCT")
    out.graph = bind_prefixes(Graph())
    for t in result:
        out.graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return out


def union_graph(store: ox.Store) -> Graph:
    """An rdflib Graph reading a newsgraph store's merged (default) graph."""
    g = Graph(store=MergedOxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    return bind_prefixes(g)


def open_graph(path: str | Path) -> Graph:
    """Open an on-disk store read-only as an rdflib Graph (used by ``graph.store.load``)."""
    return OxigraphDataset(path, read_only=True).union_graph()


def load_dataset_file(path: str | Path) -> Graph:
    """A TriG / N-Quads file parsed by Oxigraph into memory, as a merged rdflib Graph."""
    ds = OxigraphDataset()
    ds.load_file(path)
    return ds.union_graph()
