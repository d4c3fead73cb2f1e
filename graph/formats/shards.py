"""Shards: a graph as numbered N-Quads (or N-Triples) files for bulk loaders.

``newsgraph export GRAPH --format nquads --shard-size N -o DIR/`` writes ``DIR/part-00000.nq``,
``part-00001.nq`` ... of at most N statements each, one statement per line, in the same
sorted order as the unsharded export (so ``cat DIR/part-*.nq`` is byte for byte what
``--format nquads`` prints).  Bulk loaders take them as they are: ``oxigraph load --lenient
--file DIR/part-*.nq``, QLever's index builder, Fuseki's ``tdb2.tdbloader``.  From an
on-disk store the statements are streamed one named graph at a time, so memory stays at one
document's graph plus the list of graph names however large the store is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph.errors import ExportError
from graph.files import write_atomic
from graph.formats.rdf import serialize

log = logging.getLogger("newsgraph")

#: line-based formats a graph can be sharded in -> shard file extension
SHARD_FORMATS = {"nquads": ".nq", "nt": ".nt"}


@dataclass(frozen=True, slots=True)
class ShardReport:
    """What ``write_shards`` wrote: the files, how many statements, stale shards removed."""

    files: list[Path]
    statements: int
    removed: list[Path]


def statement_lines(graph: Graph, fmt: str, extra: Graph | None = None) -> Iterator[bytes]:
    """The lines (statements) of ``graph`` in ``fmt``, in the export's sorted order.

    A store or SPARQL server in N-Quads: its named graphs one by one (and ``extra``
    triples in the default graph); anything else is serialised whole, then split.
    """
    if fmt == "nquads":
        store = _quad_store(graph)
        if store is not None:
            yield from _store_lines(store, extra)
            return
    g = graph + extra if extra is not None else graph
    yield from serialize(g, fmt).splitlines(keepends=True)


def _quad_store(graph: Graph) -> object | None:
    """The Oxigraph store of a graph opened from a store (or a copy of a server's named graphs)."""
    from graph.store.oxigraph import store_of

    store = store_of(graph)
    if store is not None:
        return store
    from graph.store.remote import copy_named_graphs, remote_endpoint

    url = remote_endpoint(graph)
    return copy_named_graphs(url) if url is not None else None


def _store_lines(store: object, extra: Graph | None) -> Iterator[bytes]:
    import pyoxigraph as ox

    from graph.rdf.terms import to_ox
    from graph.store.oxigraph import _sort_key

    assert isinstance(store, ox.Store)
    groups: list[tuple[str, object]] = [(str(name), name) for name in store.named_graphs()]
    if extra is not None:
        groups.append((str(ox.DefaultGraph()), None))
    for _, name in sorted(groups, key=lambda g: g[0]):
        if name is None:
            quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in extra or ()]
        else:
            quads = list(store.quads_for_pattern(None, None, None, name))
        data = ox.serialize(sorted(set(quads), key=_sort_key), format=ox.RdfFormat.N_QUADS)
        yield from data.splitlines(keepends=True)


def write_shards(graph: Graph, fmt: str, out_dir: str | Path, shard_size: int, extra: Graph | None = None) -> ShardReport:
    """Write ``graph`` as shards of at most ``shard_size`` statements into ``out_dir``.

    Each shard is written atomically; shards a previous export left beyond the new count
    (``part-NNNNN`` files of the same format) are removed, so the folder holds exactly
    this export.  No other file in ``out_dir`` is touched.
    """
    if fmt not in SHARD_FORMATS:
        raise ExportError(f"shards are line-based: use --format {' or '.join(SHARD_FORMATS)}, not {fmt}")
    if shard_size < 1:
        raise ExportError(f"shard size must be at least 1, not {shard_size}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: not a directory (shards go into a folder)")
    suffix = SHARD_FORMATS[fmt]
    files: list[Path] = []
    buffer: list[bytes] = []
    count = 0

    def flush() -> None:
        path = out / f"part-{len(files):05d}{suffix}"
        write_atomic(path, b"".join(buffer))
        log.info("wrote %s (%d statements)", path, len(buffer))
        files.append(path)
        buffer.clear()

    for line in statement_lines(graph, fmt, extra):
        if not line.strip():
            continue
        buffer.append(line)
        count += 1
        if len(buffer) >= shard_size:
            flush()
    if buffer:
        flush()
    removed: list[Path] = []
    pattern = re.compile(rf"part-(\d{{5,}}){re.escape(suffix)}")
    if out.is_dir():
        for path in sorted(out.iterdir()):
            m = pattern.fullmatch(path.name)
            if m and int(m.group(1)) >= len(files) and path.is_file():
                path.unlink()
                removed.append(path)
                log.info("removed stale shard %s", path)
    return ShardReport(files, count, removed)
