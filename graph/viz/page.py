"""Visualise: an interactive HTML view of a graph that works offline from ``file://``.

pyvis builds the network (nodes, edges, physics options); the page itself comes from our
own Jinja2 template (``assets/page.html.j2``) with vis-network inlined from pyvis's bundled
copy, so it needs no network at all.  All text from articles travels as JSON inside a
``<script type="application/json">`` block (``<``, ``>``, ``&``, U+2028/2029 escaped) and
is put on the page with ``textContent``: hostile markup in a document stays inert text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.model import stable_id
from graph.rdf.namespaces import DCTERMS, NG_OPEN, PROV, RDF, RDFS, SDO, SKOS

_ASSETS = Path(__file__).parent / "assets"
_VIS = Path(pyvis.__file__).parent / "lib" / "vis-9.0.4"

#: colour per entity type (ng: class local name); "Figure" is a quantity literal
TYPE_COLOURS: dict[str, str] = {
    "Organization": "#4e79a7",
    "Person": "#f28e2b",
    "Country": "#e15759",
    "Place": "#76b7b2",
    "Facility": "#59a14f",
    "Group": "#edc948",
    "Event": "#b07aa1",
    "CreativeWork": "#ff9da7",
    "Topic": "#9c755f",
    "Thing": "#bab0ac",
    "Figure": "#d4d4d4",
}
_TYPE_ORDER = list(TYPE_COLOURS)
MAX_EVIDENCE = 8  # evidence sentences kept per edge in the page


@dataclass
class VizNode:
    id: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # document IRIs


@dataclass
class VizEdge:
    source: str
    target: str
    relation: str
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (sentence, document IRI)


@dataclass
class VizGraph:
    """The relation network of an RDF graph, ready to draw."""

    nodes: dict[str, VizNode]
    edges: list[VizEdge]
    documents: dict[str, dict[str, str]]  # document IRI -> {"title", "source", "date", "url"}
    #: entities with no relation to draw: listed on the page and found by its search
    unlinked: list[VizNode] = field(default_factory=list)

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        g.add_nodes_from(sorted(self.nodes))
        for e in self.edges:
            g.add_edge(e.source, e.target, relation=e.relation)
        return g


def _local(iri: Node) -> str:
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[1]
    return s


class _Index:
    """The objects of a few predicates, read with one pattern look-up each: on a graph kept
    in Oxigraph each look-up converts terms, and thousands of small ones cost seconds."""

    def __init__(self, graph: Graph, predicates: Iterable[URIRef]) -> None:
        self.by: dict[URIRef, dict[Node, list[Node]]] = {}
        for p in predicates:
            table: dict[Node, list[Node]] = {}
            for s, o in graph.subject_objects(p):
                table.setdefault(s, []).append(o)
            self.by[p] = table

    def objects(self, s: Node, p: URIRef) -> list[Node]:
        return self.by[p].get(s, [])

    def first(self, s: Node, p: URIRef) -> str | None:
        values = sorted(str(o) for o in self.objects(s, p))
        return values[0] if values else None

    def value(self, s: Node, p: URIRef) -> Node | None:
        values = self.objects(s, p)
        return values[0] if values else None


def extract_network(graph: Graph) -> VizGraph:
    """Entities (all of them, as ``stats`` counts them) and asserted relations (with
    evidence) of a newsgraph RDF graph.

    Relations are the predicates of reified statements (so rules-added relations show up
    too); only asserted triples are drawn, and each edge carries the evidence sentences of
    its non-negated, non-hedged statements.  ``ng:estimates`` figures become small nodes.
    """
    index = _Index(graph, (RDF.type, RDFS.label, SKOS.altLabel, NG_OPEN.mentionedIn, RDF.subject, RDF.predicate,
                           RDF.object, NG_OPEN.negated, NG_OPEN.hedged, NG_OPEN.evidence, PROV.wasDerivedFrom,
                           DCTERMS.title, DCTERMS.source, DCTERMS.date, SDO.url))
    relations = {p for ps in index.by[RDF.predicate].values() for p in ps if isinstance(p, URIRef)}
    nodes: dict[str, VizNode] = {}
    edges: dict[tuple[str, str, str], VizEdge] = {}

    def node_for(term: Node) -> str:
        if isinstance(term, Literal):
            nid = "figure:" + stable_id(str(term), 12)
            nodes.setdefault(nid, VizNode(nid, str(term), "Figure"))
            return nid
        nid = str(term)
        if nid not in nodes:
            types = sorted(_local(t) for t in index.objects(term, RDF.type) if str(t).startswith(str(NG_OPEN)))
            label = index.first(term, RDFS.label) or _local(term)
            aliases = sorted({str(a) for a in index.objects(term, SKOS.altLabel)} - {label})
            docs = sorted(str(d) for d in index.objects(term, NG_OPEN.mentionedIn))
            nodes[nid] = VizNode(nid, label, types[0] if types else "Thing", aliases, docs)
        return nid

    for p in sorted(relations):
        for s, o in sorted(graph.subject_objects(p)):
            if not isinstance(s, URIRef) or not isinstance(o, URIRef | Literal):
                continue
            if isinstance(o, Literal) and p != NG_OPEN.estimates:
                continue
            a, b = node_for(s), node_for(o)
            edges[(a, b, str(p))] = VizEdge(a, b, _local(p))
    true = Literal(True)
    statements = sorted(s for s, types in index.by[RDF.type].items() if RDF.Statement in types)
    for st in statements:
        if true in index.objects(st, NG_OPEN.negated) or true in index.objects(st, NG_OPEN.hedged):
            continue
        s, p, o = (index.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        key = (str(s), "figure:" + stable_id(str(o), 12) if isinstance(o, Literal) else str(o), str(p))
        edge = edges.get(key)
        sentence = index.first(st, NG_OPEN.evidence)
        doc = index.first(st, PROV.wasDerivedFrom)
        if edge is not None and sentence:
            edge.evidence.append((sentence, doc or ""))
    for e in edges.values():
        e.evidence = sorted(set(e.evidence))
    from graph.formats.graphml import entity_types_of

    typed = ((s, t) for s, types in index.by[RDF.type].items() for t in types)
    for entity in sorted(entity_types_of(typed)):  # every entity `stats` counts, in no relation too
        node_for(entity)
    documents: dict[str, dict[str, str]] = {}
    for d in sorted(s for s, types in index.by[RDF.type].items() if SDO.NewsArticle in types):
        info = {
            "title": index.first(d, DCTERMS.title) or index.first(d, RDFS.label) or _local(d),
            "source": index.first(d, DCTERMS.source) or "",
            "date": index.first(d, DCTERMS.date) or "",
            "url": index.first(d, SDO.url) or "",
        }
        documents[str(d)] = info
    return VizGraph(nodes, sorted(edges.values(), key=lambda e: (e.source, e.target, e.relation)), documents)


def _find_entity(net: VizGraph, name: str) -> str | None:
    """The node whose IRI, label or alias is ``name`` (case-insensitive)."""
    want = name.strip().casefold()
    for nid in sorted(net.nodes):
        n = net.nodes[nid]
        if want == nid.casefold() or want == n.label.casefold() or want in (a.casefold() for a in n.aliases):
            return nid
    return None


def reduce_network(
    net: VizGraph,
    *,
    focus: str | None = None,
    hops: int = 2,
    min_degree: int = 0,
    max_nodes: int | None = 500,
    keep: set[str] | None = None,
    draw_unlinked: bool = False,
) -> tuple[VizGraph, list[str]]:
    """Cut a network down for drawing; returns it and notes saying what was left out.

    ``keep`` restricts to given node ids (a query's result); ``focus`` keeps the ego graph
    of one entity within ``hops``; ``min_degree`` drops weakly connected nodes; above
    ``max_nodes`` only the most central nodes (degree centrality) stay.  Entities left
    with no relation are not drawn (unless ``draw_unlinked``, or the focus) but listed in
    ``unlinked``: the page lists them and its search finds them.
    """
    from graph.errors import NewsgraphError

    notes: list[str] = []
    total = len(net.nodes)
    g = net.to_networkx()
    undirected = nx.Graph(g)
    kept = set(undirected.nodes)
    focus_id: str | None = None
    if keep is not None:
        kept &= keep
        notes.append(f"showing the {len(kept)} entities in the query's results")
    if focus:
        focus_id = _find_entity(net, focus)
        if focus_id is None:
            raise NewsgraphError(f"--focus: no entity named {focus!r} in the graph")
        ego = nx.ego_graph(undirected.subgraph(kept | {focus_id}), focus_id, radius=hops)
        kept = set(ego.nodes)
        notes.append(f"showing {net.nodes[focus_id].label} and what lies within {hops} hop(s) of it")
    if min_degree > 0:
        sub = undirected.subgraph(kept)
        dropped = {n for n in kept if sub.degree(n) < min_degree}
        kept -= dropped
        if dropped:
            notes.append(f"{len(dropped)} entities with fewer than {min_degree} relation(s) left out")
    unlinked: set[str] = set()
    if not draw_unlinked:
        sub = undirected.subgraph(kept)
        unlinked = {n for n in kept if sub.degree(n) == 0 and n != focus_id and not n.startswith("figure:")}
        kept -= unlinked
    if max_nodes is not None and len(kept) > max_nodes:
        sub = undirected.subgraph(kept)
        centrality = nx.degree_centrality(sub)
        ranked = sorted(kept, key=lambda n: (-centrality[n], n))
        notes.append(
            f"the graph has {len(kept)} linked entities; showing the {max_nodes} most connected "
            f"({len(kept) - max_nodes} left out; use --focus ENTITY or --max-nodes to see others)"
        )
        kept = set(ranked[:max_nodes])
    edges = [e for e in net.edges if e.source in kept and e.target in kept]
    left_edges = len(net.edges) - len(edges)
    if len(kept) < total and notes and left_edges:
        notes[-1] += f"; {left_edges} relation(s) not drawn"
    if unlinked:
        notes.append(f"{len(unlinked)} entities with no relation are not drawn: they are listed under "
                     f"\"Not drawn\" and the search finds them")
    listed = [net.nodes[n] for n in sorted(unlinked, key=lambda n: (net.nodes[n].label.casefold(), n))]
    return VizGraph({k: v for k, v in net.nodes.items() if k in kept}, edges, net.documents, listed), notes


def query_network(net: VizGraph, graph: Graph, result: Any) -> tuple[VizGraph, list[str]]:
    """The part of a network a query's result shows: its rows, drawn.

    SELECT: each row's entities (IRIs of entities and figures, in column order), joined
    by the relations the row names (a relation IRI, or its local name as text, in a
    column); two consecutive entities of a row that no such relation joins (an origin and
    a destination) get an edge of their own, labelled with the two columns and carrying
    the row's other values as its evidence.  CONSTRUCT/DESCRIBE: the triples it returns
    between entities.  Relations the rows do not name are not drawn.
    """
    by_pair: dict[frozenset[str], list[VizEdge]] = {}
    for e in net.edges:
        by_pair.setdefault(frozenset((e.source, e.target)), []).append(e)
    edges: dict[tuple[str, str, str], VizEdge] = {}
    used: set[str] = set()
    rows = 0

    def node_id(term: Node) -> str | None:
        if isinstance(term, URIRef):
            return str(term) if str(term) in net.nodes else None
        if isinstance(term, Literal):
            nid = "figure:" + stable_id(str(term), 12)
            return nid if nid in net.nodes else None
        return None

    if result.type in ("CONSTRUCT", "DESCRIBE"):
        for s, p, o in sorted(result.graph or ()):
            a, b = node_id(s), node_id(o)
            if a is None or b is None or p == RDF.type:
                continue
            rows += 1
            used |= {a, b}
            known = [e for e in by_pair.get(frozenset((a, b)), []) if e.source == a and e.relation == _local(p)]
            for e in known or [VizEdge(a, b, _local(p))]:
                edges[(e.source, e.target, e.relation)] = e
    else:
        names = [str(v) for v in result.vars or []]
        for row in result:
            rows += 1
            ents: list[tuple[str, str]] = []
            for name, term in zip(names, row, strict=True):
                nid = node_id(term) if term is not None else None
                if nid is not None and nid not in (x for _, x in ents):
                    ents.append((name, nid))
            used |= {nid for _, nid in ents}
            # a relation the row names (an IRI such as ng:accuses, or its local name as text)
            named = {_local(t) for t in row if isinstance(t, URIRef) and str(t) not in net.nodes}
            named |= {str(t) for t in row if isinstance(t, Literal)}
            joined: set[frozenset[str]] = set()
            for i, (_, a) in enumerate(ents):
                for _, b in ents[i + 1:]:
                    for e in by_pair.get(frozenset((a, b)), []):
                        if e.relation in named:
                            edges[(e.source, e.target, e.relation)] = e
                            joined.add(frozenset((a, b)))
            values = [(f"{n}: {t}", "") for n, t in zip(names, row, strict=True)
                      if isinstance(t, Literal) and str(t).strip()]
            for (na, a), (nb, b) in zip(ents, ents[1:], strict=False):
                if frozenset((a, b)) not in joined:
                    edge = edges.setdefault((a, b, f"{na} → {nb}"), VizEdge(a, b, f"{na} → {nb}"))
                    edge.evidence = sorted(set(edge.evidence) | set(values))
    nodes = {k: v for k, v in net.nodes.items() if k in used}
    drawn = sorted(edges.values(), key=lambda e: (e.source, e.target, e.relation))
    note = f"showing the query's {rows} row(s): {len(nodes)} entities, {len(drawn)} relation(s) between them"
    return VizGraph(nodes, drawn, net.documents), [note]


def script_json(value: object) -> str:
    """JSON safe to embed inside ``<script>``: no ``<``, ``>``, ``&``, U+2028/2029 literally."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def inline_js(path: Path) -> str:
    js = path.read_text(encoding="utf-8")
    if re.search(r"(?i)</script|<!--", js):  # would end the <script> element early
        raise RuntimeError(f"{path}: cannot be inlined in a <script> element")
    return js


def _build_pyvis(net: VizGraph) -> Network:
    """The pyvis network: nodes coloured by type and sized by degree, edges by relation."""
    pv = Network(height="100%", width="100%", directed=True, cdn_resources="remote", notebook=False)
    g = net.to_networkx()
    degree = dict(g.degree())
    top = max(degree.values(), default=1) or 1
    for nid in sorted(net.nodes):
        n = net.nodes[nid]
        size = 8 + 28 * math.sqrt(degree.get(nid, 0) / top)
        pv.add_node(nid, label=n.label, color=TYPE_COLOURS.get(n.type, TYPE_COLOURS["Thing"]),
                    size=round(size, 1), shape="dot")
    for i, e in enumerate(net.edges):
        pv.add_edge(e.source, e.target, label=e.relation, id=f"e{i}", arrows="to")
    n = len(net.nodes)
    if n < 300:
        pv.barnes_hut(gravity=-3500, central_gravity=0.5, spring_length=110, spring_strength=0.04, damping=0.3)
    else:
        pv.barnes_hut(gravity=-2500, central_gravity=0.3, spring_length=80, spring_strength=0.04, damping=0.4)
    return pv


def render_html(
    graph: Graph,
    *,
    title: str = "newsgraph",
    query: str | Any | None = None,
    params: dict[str, Node] | None = None,
    focus: str | None = None,
    hops: int = 2,
    min_degree: int = 0,
    max_nodes: int | None = 500,
) -> str:
    """An HTML page of the relation network that works from ``file://`` with no network.

    ``query`` (SPARQL text or a ``graph.sparql.Query``, run with ``params``) limits the
    view to what its rows say (see :func:`query_network`); see :func:`reduce_network`
    for the rest.
    """
    net = extract_network(graph)
    notes: list[str] = []
    if query is not None:
        from graph.sparql import Query, run

        q = query if isinstance(query, Query) else Query(str(query), "--query")
        net, notes = query_network(net, graph, run(graph, q, params))
    net, more = reduce_network(net, focus=focus, hops=hops, min_degree=min_degree, max_nodes=max_nodes,
                               draw_unlinked=query is not None)
    return render_network(net, title=title, notes=notes + more)


def render_network(net: VizGraph, *, title: str = "newsgraph", notes: list[str] | None = None) -> str:
    """The HTML page of an already extracted (and reduced) network."""
    pv = _build_pyvis(net)
    options = json.loads(pv.options.to_json())
    n = len(net.nodes)
    options["physics"]["stabilization"] = {
        "enabled": True, "iterations": 1000 if n <= 300 else max(60, 150000 // max(n, 1)),
        "updateInterval": 50, "fit": True,
    }
    options["layout"] = {"improvedLayout": n <= 150, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                              "hideEdgesOnDrag": n > 1000}
    options["edges"] = {"smooth": n <= 1000, "font": {"size": 13, "align": "middle", "color": "#666", "strokeWidth": 3},
                        "color": {"color": "#9aa5b1", "highlight": "#333"}, "arrows": {"to": {"scaleFactor": 0.5}}}
    options["nodes"] = {"font": {"size": 20, "strokeWidth": 4, "strokeColor": "#ffffff"}, "borderWidth": 1}
    nodes_out = []
    for node in pv.nodes:
        info = net.nodes[node["id"]]
        nodes_out.append({**node, "type": info.type, "aliases": info.aliases, "docs": info.documents})
    edges_out = []
    for edge, e in zip(pv.edges, net.edges, strict=True):
        edges_out.append({**edge, "evidence": [list(x) for x in e.evidence[:MAX_EVIDENCE]],
                          "moreEvidence": max(0, len(e.evidence) - MAX_EVIDENCE)})
    unlinked_out = [{"id": n.id, "label": n.label, "type": n.type, "aliases": n.aliases, "docs": n.documents}
                    for n in net.unlinked]
    used_docs = {d for x in nodes_out + unlinked_out for d in x["docs"]} | {d for x in edges_out for _, d in x["evidence"]}
    data = {
        "nodes": nodes_out,
        "unlinked": unlinked_out,
        "edges": edges_out,
        "documents": {k: v for k, v in net.documents.items() if k in used_docs},
        "options": options,
    }
    types_present = sorted({n.type for n in net.nodes.values()}, key=lambda t: _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 99)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_ASSETS)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("page.html.j2").render(
        title=title,
        notes=notes or [],
        node_count=sum(1 for n in net.nodes.values() if n.type != "Figure"),
        figure_count=sum(1 for n in net.nodes.values() if n.type == "Figure"),
        unlinked_count=len(net.unlinked),
        edge_count=len(net.edges),
        legend=[(t, TYPE_COLOURS.get(t, TYPE_COLOURS["Thing"])) for t in types_present],
        data_json=jinja2.utils.markupsafe.Markup(script_json(data)),
        vis_css=jinja2.utils.markupsafe.Markup((_VIS / "vis-network.css").read_text(encoding="utf-8").replace("<", "\\3c ")),
        vis_js=jinja2.utils.markupsafe.Markup(inline_js(_VIS / "vis-network.min.js")),
    )


__all__ = ["TYPE_COLOURS", "VizEdge", "VizGraph", "VizNode", "extract_network", "query_network", "reduce_network",
           "render_html", "render_network", "inline_js", "script_json"]
