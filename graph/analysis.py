"""Statistics of a graph: what is in it, for a first look and for regression checks.

Counts documents, entities by type, relations by name (direct triples, plus statements
with their negated/hedged flags) and ranks entities by degree in the relation network
(networkx, the same network the GraphML export writes).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from rdflib import RDF, Graph, URIRef

from graph.rdf.build import relation_of
from graph.rdf.namespaces import NG, SDO


@dataclass(slots=True)
class Stats:
    """What a graph holds (all mappings sorted, for stable output)."""

    triples: int = 0
    documents: int = 0
    entities: int = 0
    statements: int = 0
    negated: int = 0
    hedged: int = 0
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_name: dict[str, int] = field(default_factory=dict)  # direct triples
    top_entities: list[tuple[str, str, str, int]] = field(default_factory=list)  # iri, label, type, degree

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def stats(graph: Graph, top: int = 10) -> Stats:
    """Compute the statistics of ``graph``; ``top`` entities by degree are listed."""
    from graph.formats.graphml import entity_types, to_networkx

    types = entity_types(graph)
    out = Stats(triples=len(graph), entities=len(types))
    out.documents = len(set(graph.subjects(RDF.type, SDO.NewsArticle)))
    out.entities_by_type = dict(sorted(Counter(types.values()).items(), key=lambda kv: (-kv[1], kv[0])))
    relations: Counter[str] = Counter()
    for s, p, _ in graph.triples((None, None, None)):
        rel = relation_of(p)
        if rel is not None and s in types:
            relations[rel] += 1
    out.relations_by_name = dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0])))
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    out.statements = len(statements)
    out.negated = sum(1 for st in statements if _flag(graph, st, NG.negated))
    out.hedged = sum(1 for st in statements if _flag(graph, st, NG.hedged))
    net = to_networkx(graph)
    ranked = sorted(((deg, node) for node, deg in net.degree() if deg > 0), key=lambda dn: (-dn[0], dn[1]))
    out.top_entities = [
        (node, net.nodes[node]["label"], net.nodes[node]["type"], deg) for deg, node in ranked[:top]
    ]
    return out


def _flag(graph: Graph, subject: URIRef, prop: URIRef) -> bool:
    value = graph.value(subject, prop)
    return value is not None and value.toPython() is True


def to_json(st: Stats) -> str:
    """Statistics as JSON."""
    return json.dumps(st.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_text(st: Stats, width: int = 100, color: bool = False) -> str:
    """Statistics as aligned tables (rich) for people."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from graph.sparql.results import short_term

    buf = io.StringIO()
    # labels come from article text: print them literally (no console markup, no emoji codes)
    console = Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color,
                      markup=False, emoji=False, highlight=False)
    summary = Table(box=None, show_header=False, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    for name, value in (
        ("documents", st.documents), ("entities", st.entities),
        ("relations", sum(st.relations_by_name.values())), ("statements", st.statements),
        ("negated", st.negated), ("hedged", st.hedged), ("triples", st.triples),
    ):
        summary.add_row(name, str(value))
    console.print(summary)
    for title, rows, headers in (
        ("Entities by type", st.entities_by_type.items(), ("type", "entities")),
        ("Relations by name", st.relations_by_name.items(), ("relation", "triples")),
    ):
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column(headers[0])
        table.add_column(headers[1], justify="right")
        for name, count in rows:
            table.add_row(Text(name), str(count))
        console.print(table)
    table = Table(title="Top entities by degree", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("entity", "label", "type"):
        table.add_column(col, overflow="fold")
    table.add_column("degree", justify="right")
    for iri, label, etype, degree in st.top_entities:
        table.add_row(Text(short_term(URIRef(iri))), Text(label), Text(etype), str(degree))
    console.print(table)
    return buf.getvalue()


__all__ = ["Stats", "stats", "to_json", "to_text"]
