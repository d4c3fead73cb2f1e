"""Visualise: an interactive, offline HTML view of a graph (pyvis + inlined vis-network)."""

from __future__ import annotations

import html
from pathlib import Path

import pyvis
from pyvis.network import Network
from rdflib import RDFS, Graph, Literal, URIRef

from graph.rdf.namespaces import NG_OPEN, RDF

_LIB = Path(pyvis.__file__).parent / "lib" / "vis-9.0.4"


def render_html(graph: Graph) -> str:
    """An HTML page of the relation network that works from ``file://`` with no network."""
    net = Network(height="800px", width="100%", directed=True, cdn_resources="local")
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    for s, p, o in sorted(graph):
        if not str(p).startswith(str(NG_OPEN)) or not isinstance(s, URIRef):
            continue
        if (s, RDF.type, RDF.Statement) in graph:
            continue
        rel = str(p)[len(str(NG_OPEN)) :]
        if rel in {"mentionedIn", "relatedTo"}:
            continue
        if not isinstance(o, URIRef) and not (rel == "estimates" and isinstance(o, Literal)):
            continue
        for n in (s, o):
            net.add_node(str(n), label=html.escape(labels.get(n, str(n))), title=html.escape(str(n)))
        net.add_edge(str(s), str(o), label=rel, title=rel)
    page = net.generate_html()
    js = (_LIB / "vis-network.min.js").read_text(encoding="utf-8")
    css = (_LIB / "vis-network.css").read_text(encoding="utf-8")
    page = page.replace('<script src="lib/bindings/utils.js"></script>', "")
    page = page.replace(
        '<link rel="stylesheet" href="lib/vis-9.0.4/vis-network.css" />', ""
    )
    page = page.replace(
        '<script src="lib/vis-9.0.4/vis-network.min.js"></script>', ""
    )
    return page.replace("</head>", f"<style>{css}</style><script>{js}</script></head>", 1)
