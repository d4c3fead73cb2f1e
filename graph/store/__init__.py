"""Stores: open a graph from a file (any RDF format rdflib reads) or a store.

``load(source)`` is the single entry point every command uses for its GRAPH argument:
an RDF file, a build folder, ``-``, an on-disk Oxigraph store directory or the http(s)
URL of a SPARQL server.  Files and stdin are parsed into an in-memory Oxigraph store, so
SPARQL runs in the same engine (Oxigraph) whether the graph came from a file or a store:
one query gives the same answer on both.  rdflib parses only the formats Oxigraph does
not read (TriX, HexTuples).  Build targets ("sinks": an
``OxigraphDataset`` on disk or in memory, a ``RemoteDataset``) live in ``oxigraph.py`` and
``remote.py``; ``open_sink`` picks one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Protocol

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.util import guess_format

from graph.errors import GraphLoadError
from graph.rdf.namespaces import bind_prefixes

#: formats with named graphs: loaded into a Dataset whose default graph is their union
QUAD_FORMATS = {"trig", "nquads"}


def load(source: str | Path | Graph, format: str | None = None) -> Graph:
    """Load a graph from an RDF file, a build folder (its ``graph.ttl``) or ``-`` (stdin).

    The format comes from ``format`` or the file extension (Turtle by default). An
    ``rdflib.Graph`` is returned as is, so library functions accept graphs or paths.
    """
    if isinstance(source, Graph):
        return source
    if str(source) == "-":
        return _parse_into_oxigraph(sys.stdin.buffer.read(), format or "turtle", "<stdin>")
    from graph.store.remote import is_url

    if is_url(source):
        from graph.store.remote import remote_graph

        return remote_graph(str(source))
    path = Path(source)
    from graph.store.oxigraph import is_store_dir

    if is_store_dir(path):
        from graph.store.oxigraph import open_graph

        return open_graph(path)
    if path.is_dir() and (path / "graph.ttl").is_file():
        path = path / "graph.ttl"
    if not path.exists():
        raise GraphLoadError(f"{path}: no such graph file or store")
    if path.is_dir():
        raise GraphLoadError(f"{path}: a folder without graph.ttl (pass the graph file)")
    fmt = format or guess_format(str(path)) or "turtle"
    try:
        data = path.read_bytes()
    except OSError as err:
        raise GraphLoadError(f"{path}: cannot read: {err.strerror or err}") from err
    return _parse_into_oxigraph(data, fmt, str(path))


#: rdflib format names -> the Oxigraph parser for them
_OX_PARSERS = {
    "turtle": "TURTLE", "ttl": "TURTLE", "nt": "N_TRIPLES", "nt11": "N_TRIPLES", "ntriples": "N_TRIPLES",
    "nquads": "N_QUADS", "trig": "TRIG", "json-ld": "JSON_LD", "jsonld": "JSON_LD", "xml": "RDF_XML",
    "application/rdf+xml": "RDF_XML", "n3": "N3",
}


def _parse_into_oxigraph(data: bytes, fmt: str, origin: str) -> Graph:
    """Parse RDF bytes into an in-memory Oxigraph dataset (named graphs kept, their merge
    as the default graph) and return the rdflib view whose SPARQL runs in Oxigraph."""
    import pyoxigraph as ox

    from graph.store.oxigraph import _MERGE_ALL, OxigraphDataset

    ds = OxigraphDataset()
    parser = _OX_PARSERS.get(fmt.lower())
    try:
        if parser is not None:
            ds.store.bulk_load(data, format=getattr(ox.RdfFormat, parser))
        else:  # a format only rdflib reads (TriX, HexTuples)
            ds.store.extend(_rdflib_quads(data, fmt))
    except Exception as err:  # Oxigraph raises SyntaxError, rdflib many parser-specific types
        raise GraphLoadError(f"{origin}: cannot parse as {fmt}: {_first_line(err)}") from err
    if any(True for _ in ds.store.named_graphs()):
        ds.store.update(_MERGE_ALL)  # SPARQL over the default graph sees every named graph
    return ds.union_graph()


def dataset_dump(graph: Graph, fmt: str, extra: Graph | None = None) -> bytes | None:
    """TriG or N-Quads of a store's or SPARQL server's named graphs (one per document and
    the build graph; ``extra`` triples go in the default graph), deterministically.

    None when ``graph`` was not opened from a store, a server or a file with named graphs,
    or ``fmt`` has no named graphs: the caller serialises the graph itself (triple formats
    give the union).
    """
    if fmt not in QUAD_FORMATS:
        return None
    from graph.store.oxigraph import dataset_quads, dump_terms, store_of

    store = store_of(graph)
    if store is not None and next(iter(store.named_graphs()), None) is None:
        return None  # a triples-only file (Turtle, N-Triples...): its graph is the default graph
    if store is None:
        from graph.store.remote import copy_named_graphs, remote_endpoint

        url = remote_endpoint(graph)
        if url is None:
            return None
        store = copy_named_graphs(url)
    return dump_terms(dataset_quads(store, extra), fmt)


def _rdflib_quads(data: bytes, fmt: str) -> list[Any]:
    """Quads of RDF parsed by rdflib, as Oxigraph quads (default graph kept as such)."""
    import pyoxigraph as ox

    from graph.rdf.terms import to_ox

    ds = Dataset()
    ds.parse(data=data, format=fmt)
    quads = []
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        name = getattr(ctx, "identifier", ctx)
        where = ox.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)
        quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), where))
    return quads


def _new(fmt: str) -> Graph:
    return bind_prefixes(Dataset(default_union=True) if fmt in QUAD_FORMATS else Graph())


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


class Sink(Protocol):
    """A build target: a dataset of named graphs, one per document (plus the build graph)."""

    def document_hashes(self) -> dict[str, str]:
        """Document IRI -> content hash of every document already there."""
        ...

    def documents(self) -> list[tuple[str, str, str]]:
        """(document IRI, document key, source) of every document, sorted."""
        ...

    def put_graph(self, name: str, quads: list[Any]) -> None:
        """Replace named graph ``name`` with these quads (pyoxigraph ``Quad``)."""
        ...

    def add_to_graph(self, name: str, quads: list[Any]) -> None:
        """Add quads to named graph ``name``."""
        ...

    def remove_graph(self, name: str) -> bool:
        """Drop named graph ``name``; False if it was not there."""
        ...

    def close(self) -> None:
        """Flush and release the target."""
        ...


def open_sink(out: str | Path | None = None, store: str | Path | None = None, endpoint: str | None = None) -> Sink:
    """The build target for ``--endpoint URL``, ``--store DIR`` or ``--out DIR``.

    ``--out DIR`` is an in-memory Oxigraph dataset loaded from ``DIR/graph.trig`` when a
    previous build left one there (incremental builds without a store).  The folder is
    created, checked writable and locked first (``outdir.OutFolder``), so a bad ``--out``
    or a second build into it fails before any extraction; ``close()`` releases it.
    """
    if endpoint:
        from graph.store.remote import RemoteDataset

        return RemoteDataset(endpoint)
    from graph.store.oxigraph import OxigraphDataset

    ds = OxigraphDataset(store) if store else OxigraphDataset()
    if out is not None:  # with --store too: the files written at the end go there
        from graph.store.outdir import OutFolder

        try:
            ds.out_folder = OutFolder(out).acquire()  # checked and locked before any work
            if not store and (Path(out) / "graph.trig").is_file():
                ds.load_file(Path(out) / "graph.trig")
        except BaseException:
            ds.close()
            raise
    return ds
