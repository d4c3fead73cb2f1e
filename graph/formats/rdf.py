"""RDF formats: serialise graphs (and GraphML, through ``graphml.py``), written atomically.

Every format is produced deterministically: triples are fed to rdflib's serialisers in a
canonical (sorted) order and line-based formats are sorted, so the same graph always gives
the same bytes whatever order its triples were added in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from graph.errors import ExportError
from graph.files import write_atomic

#: format name -> (rdflib serializer name, file extension)
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "nquads": ("nquads", ".nq"),
    "trig": ("trig", ".trig"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}
#: every export format: the RDF ones plus GraphML (a property graph for Gephi, yEd, networkx)
FORMATS: tuple[str, ...] = (*RDF_FORMATS, "graphml")

#: file extensions (and common aliases) -> format name
EXTENSIONS: dict[str, str] = {
    **{ext: name for name, (_, ext) in RDF_FORMATS.items()},
    ".turtle": "turtle",
    ".ntriples": "nt",
    ".nquads": "nquads",
    ".json": "jsonld",
    ".owl": "xml",
    ".xml": "xml",
    ".graphml": "graphml",
}
#: other spellings users type for a format
ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nquads",
    "n-quads": "nquads",
    "json-ld": "jsonld",
    "rdfxml": "xml",
    "rdf/xml": "xml",
}


def format_name(fmt: str | None, path: str | Path | None = None, default: str = "turtle") -> str:
    """The export format named by ``fmt``, else inferred from ``path``'s extension, else ``default``."""
    if fmt:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return name
    if path is not None and str(path) != "-":
        suffix = Path(path).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        if suffix:
            raise ExportError(f"{path}: cannot tell the format from extension {suffix!r}; pass --format")
    return default


def _sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


class _SortedGraph(Graph):
    """An in-memory graph whose subject, predicate and object listings come out sorted.

    rdflib's RDF/XML writer walks ``subjects()`` and ``predicate_objects()``, which follow
    the store's set order and so change with ``PYTHONHASHSEED``; sorted, the bytes do not.
    """

    def subjects(self, predicate: Any = None, object: Any = None, unique: bool = False) -> Iterator[Any]:  # noqa: A002
        return iter(sorted(set(super().subjects(predicate, object)), key=_n3))

    def predicates(self, subject: Any = None, object: Any = None, unique: bool = False) -> Iterator[Any]:  # noqa: A002
        return iter(sorted(set(super().predicates(subject, object)), key=_n3))

    def predicate_objects(self, subject: Any = None, unique: bool = False) -> Iterator[Any]:
        return iter(sorted(set(super().predicate_objects(subject)), key=lambda po: (_n3(po[0]), _n3(po[1]))))


def _n3(term: Node) -> str:
    return term.n3()


def _canonical_json(data: bytes) -> bytes:
    """JSON-LD with its node objects and value arrays sorted (both are unordered sets in
    JSON-LD, except ``@list``), written with one fixed set of ``json.dumps`` options:
    rdflib lists subjects in hash order and uses orjson when it happens to be installed."""

    def canon(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: canon(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [canon(v) for v in value]
            if key == "@list":
                return items
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    text = json.dumps(canon(json.loads(data)), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def canonical_copy(graph: Graph) -> Graph:
    """A copy of ``graph`` whose triples were added in sorted order (and list sorted).

    Prefixes: the graph's own, then the project's (``ng:``, ``geo:`` ...) over them, so
    the output does not depend on which defaults the graph happened to start with.
    """
    copy = _SortedGraph(identifier=graph.identifier, bind_namespaces="none")
    _bind_all(copy, graph)
    for triple in sorted(graph.triples((None, None, None)), key=_sort_key):
        copy.add(triple)
    return copy


def _canonical_dataset(graph: Graph) -> Dataset:
    """A dataset view of ``graph`` for quad formats: named graphs kept, plain triples in the default graph."""
    ds = Dataset()
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
    _bind_all(ds, graph)
    if isinstance(graph, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph too
        quads = [(s, p, o, c.identifier if isinstance(c, Graph) else c) for s, p, o, c in graph.quads((None, None, None, None))]
        for s, p, o, ctx in sorted(quads, key=lambda q: (str(q[3]), *_sort_key(q[:3]))):
            ds.graph(ctx).add((s, p, o))
    else:
        default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
        for triple in sorted(graph.triples((None, None, None)), key=_sort_key):
            default.add(triple)
    return ds


def _bind_all(target: Graph, source: Graph) -> None:
    from graph.rdf.namespaces import PREFIXES

    for prefix, ns in sorted(source.namespaces()):
        if not re.fullmatch(r"[A-Za-z_]+\d+", prefix):  # skip rdflib's clash names (geo1)
            target.bind(prefix, ns, override=True, replace=True)
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns, override=True, replace=True)


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialise a graph in a named format (see ``FORMATS``), deterministically."""
    fmt = format_name(fmt)
    if fmt == "graphml":
        from graph.formats.graphml import to_graphml

        return to_graphml(graph)
    rdflib_name = RDF_FORMATS[fmt][0]
    try:
        if fmt in ("nquads", "trig"):
            data = _canonical_dataset(graph).serialize(format=rdflib_name, encoding="utf-8")
        elif fmt == "nt":  # lines are sorted below: no canonical copy needed
            data = graph.serialize(format=rdflib_name, encoding="utf-8")
        else:
            data = canonical_copy(graph).serialize(format=rdflib_name, encoding="utf-8")
    except Exception as err:  # rdflib serialisers raise assorted types
        raise ExportError(f"cannot write the graph as {fmt}: {err}") from err
    if fmt == "jsonld":
        data = _canonical_json(data)
    if fmt in ("nt", "nquads"):  # one statement per line: sort the lines
        lines = sorted({line for line in data.split(b"\n") if line.strip()})
        data = b"".join(re.sub(rb"\s+\.$", b" .", line.rstrip()) + b"\n" for line in lines)
    return data


def export(graph: Graph, fmt: str | None = None, dest: str | Path | None = None) -> bytes:
    """Serialise ``graph`` (format by name, else from ``dest``'s extension) and write it to ``dest``.

    ``dest`` ``None`` only returns the bytes; ``"-"`` is left to the caller (stdout).
    """
    name = format_name(fmt, dest)
    data = serialize(graph, name)
    if dest is not None and str(dest) != "-":
        write_atomic(dest, data)
    return data


def dump(graph: Graph, fmt: str, extra: Graph | None = None) -> bytes:
    """``graph`` in format ``fmt`` as ``newsgraph export`` writes it, with ``extra`` triples
    (the ontology) added: a store or SPARQL server in TriG or N-Quads keeps each document's
    named graph (``extra`` in the default graph); otherwise the graph (union) is serialised."""
    from graph.store import dataset_dump

    quads = dataset_dump(graph, fmt, extra)
    if quads is not None:
        return quads
    return serialize(graph if extra is None else graph + extra, fmt)


__all__ = ["FORMATS", "RDF_FORMATS", "canonical_copy", "dump", "export", "format_name", "serialize"]

