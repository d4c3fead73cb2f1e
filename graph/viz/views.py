"""Analyst views: routes on a map, actions on a timeline, a table of evidence, in one offline page.

:func:`extract_views` reads a newsgraph graph with SPARQL (statements with their evidence,
confidence, negation/hedging and document; the entities they name with GeoNames
coordinates or ISO codes; the documents with their ``dcterms:date``) into plain
dataclasses; :func:`render_views` turns them into a single HTML file with three tabs (map,
timeline, table) and shared filters.  The page follows the rules of ``graph.html``: no
network (d3-geo, topojson-client and Natural Earth's 110m country shapes are vendored in
``assets/vendor`` and inlined), a strict Content-Security-Policy, and all article text
travels as escaped JSON put on the page with ``textContent`` only.

Where things go on the map (decided here, so the page and the tests agree):

- a place or facility with ``geo:lat``/``geo:long`` sits at those coordinates;
- a country sits at the centroid of its largest Natural Earth polygon (computed in the
  page); a country too small for the 1:110m shapes sits at its most populous GeoNames city;
- anything else inherits the position of what it is ``locatedIn`` / ``partOf`` /
  ``basedIn`` (up to three steps), and says so;
- the rest is listed beside the map as "not on the map".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from rdflib import Graph

from graph.viz.page import inline_js, script_json

_ASSETS = Path(__file__).parent / "assets"
_VENDOR = _ASSETS / "vendor"

VIEWS = ("map", "timeline", "table")

#: relations drawn as trafficking routes (paired on the same victim subject)
ROUTE_FROM, ROUTE_TO = "traffickedFrom", "traffickedTo"
#: relations drawn as rescue / repatriation flows
FLOW_RELATIONS = ("rescuedFrom", "rescuedBy", "repatriates")
#: relations on the timeline by default: state actions and events
ACTION_RELATIONS = (
    "arrests", "charges", "raids", "shutsDown", "sanctions", "closedBorderWith", "repatriates",
    "rescuedFrom", "rescuedBy", "signsAgreementWith", "cooperatesWith", "kills", "funds",
)
#: entity types drawn as points on the map
LOCATION_TYPES = ("Country", "Place", "Facility")
#: relations through which an entity inherits a position
CONTAINMENT = ("locatedIn", "partOf", "basedIn")

_NG = "https://w3id.org/newsgraph/ontology#"
_PREFIXES = f"""PREFIX ng: <{_NG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""

STATEMENTS_QUERY = _PREFIXES + """
SELECT DISTINCT ?st ?s ?p ?o (isLiteral(?o) AS ?literal) ?confidence ?negated ?hedged ?doc ?evidence ?attributedTo
WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER (isIRI(?s))
  OPTIONAL { SELECT ?st (MAX(?c) AS ?confidence) WHERE { ?st ng:confidence ?c } GROUP BY ?st }
  OPTIONAL { SELECT ?st (MAX(STR(?neg)) AS ?negated) WHERE { ?st ng:negated ?neg } GROUP BY ?st }
  OPTIONAL { SELECT ?st (MAX(STR(?hed)) AS ?hedged) WHERE { ?st ng:hedged ?hed } GROUP BY ?st }
  OPTIONAL { SELECT ?st (MIN(?d) AS ?doc) WHERE { ?st prov:wasDerivedFrom ?d } GROUP BY ?st }
  OPTIONAL { SELECT ?st (MIN(?e) AS ?evidence) WHERE { ?st ng:evidence ?e } GROUP BY ?st }
  OPTIONAL { SELECT ?st (MIN(?attr) AS ?attributedTo) WHERE { ?st ng:attributedTo ?attr } GROUP BY ?st }
}
"""

# one sub-select per property: joined in one pattern, the copies of a label, type and
# coordinates in every document's graph multiply (70 documents naming a place: seconds, not ms)
ENTITIES_QUERY = _PREFIXES + """
SELECT ?e ?label ?types ?lat ?long ?iso WHERE {
  { SELECT DISTINCT ?e WHERE {
      { ?st a rdf:Statement ; rdf:subject ?e } UNION { ?st a rdf:Statement ; rdf:object ?e }
      UNION { ?x ng:locatedIn|ng:partOf|ng:basedIn ?e }
      FILTER (isIRI(?e)) } }
  OPTIONAL { SELECT ?e (MIN(STR(?l)) AS ?label) WHERE { ?e rdfs:label ?l } GROUP BY ?e }
  OPTIONAL { SELECT ?e (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types)
             WHERE { ?e a ?t FILTER (STRSTARTS(STR(?t), STR(ng:))) } GROUP BY ?e }
  OPTIONAL { SELECT ?e (MIN(?la) AS ?lat) WHERE { ?e geo:lat ?la } GROUP BY ?e }
  OPTIONAL { SELECT ?e (MIN(?lo) AS ?long) WHERE { ?e geo:long ?lo } GROUP BY ?e }
  OPTIONAL { SELECT ?e (MIN(STR(?i)) AS ?iso) WHERE { ?e ng:iso3166 ?i } GROUP BY ?e }
}
"""

CONTAINMENT_QUERY = _PREFIXES + """
SELECT DISTINCT ?e ?rel ?container WHERE {
  VALUES ?rel { ng:locatedIn ng:partOf ng:basedIn }
  ?e ?rel ?container .
  FILTER (isIRI(?e) && isIRI(?container))
}
"""

DOCUMENTS_QUERY = _PREFIXES + """
SELECT ?d (MIN(STR(?t)) AS ?title) (MIN(STR(?l)) AS ?label) (MIN(STR(?dt)) AS ?date)
       (MIN(STR(?src)) AS ?source) (MIN(STR(?u)) AS ?url)
WHERE {
  { ?d a schema:NewsArticle } UNION { ?st a rdf:Statement ; prov:wasDerivedFrom ?d }
  FILTER (isIRI(?d))
  OPTIONAL { ?d dcterms:title ?t }
  OPTIONAL { ?d rdfs:label ?l }
  OPTIONAL { ?d dcterms:date ?dt }
  OPTIONAL { ?d dcterms:source ?src }
  OPTIONAL { ?d schema:url ?u }
}
GROUP BY ?d
"""


@dataclass
class ViewEntity:
    id: str  # IRI
    label: str
    type: str  # ng: class local name, "Thing" when untyped
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 numeric of a country drawn from the atlas
    placed: str = ""  # how the position was found: geonames, country, city, within
    within: str | None = None  # entity IRI the position is inherited from


@dataclass
class ViewDocument:
    id: str  # IRI
    title: str
    date: str  # ISO date YYYY-MM-DD, "" when the document has none we can read
    date_text: str  # the dcterms:date as written
    source: str = ""
    url: str = ""


@dataclass
class ViewStatement:
    id: str  # statement IRI
    subject: str  # entity IRI
    relation: str  # relation local name
    object: str  # entity IRI, or the literal text when ``literal``
    literal: bool
    confidence: float | None
    negated: bool
    hedged: bool
    document: str  # document IRI or ""
    evidence: str
    attributed_to: str = ""  # entity IRI of the claim's source


@dataclass
class ViewsData:
    """What the analyst views draw, read from a graph."""

    entities: dict[str, ViewEntity]
    documents: dict[str, ViewDocument]
    statements: list[ViewStatement] = field(default_factory=list)


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def normalise_date(text: str | None) -> str:
    """``YYYY-MM-DD`` from an ``xsd:date``/``dateTime``/``gYearMonth``/``gYear`` lexical form;
    a missing month or day counts as the first; "" when the text is not such a date."""
    if not text:
        return ""
    m = _DATE.match(text)
    if not m:
        return ""
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _selector(graph: Graph) -> Callable[[str], list[tuple[str | None, ...]]]:
    """A function running SELECT queries on ``graph`` in Oxigraph, rows as plain strings
    (None when unbound).

    A graph backed by a newsgraph store is queried in place; a plain rdflib graph is
    copied once into an in-memory Oxigraph store (rdflib's own engine takes minutes on a
    large graph); a remote graph gets the queries sent to its endpoint.
    """

    from graph.sparql import Query, run
    from graph.store.oxigraph import OxigraphResult, memory_store, store_of

    def plain(term: Any) -> str | None:
        return None if term is None else str(term.value)

    store = store_of(graph)
    if store is None and type(graph.store).__name__ == "Memory":
        store = memory_store(graph)

    def select(text: str) -> list[tuple[str | None, ...]]:
        if store is not None:
            result = store.query(text, use_default_graph_as_union=True)
            width = len(result.variables)
            return [tuple(plain(sol[i]) for i in range(width)) for sol in result]
        rows = run(graph, Query(text, "views"))
        if isinstance(rows, OxigraphResult):
            return [tuple(plain(t) for t in row) for row in rows.ox_rows()]
        variables = rows.vars or []
        return [tuple(None if row[v] is None else str(row[v]) for v in variables) for row in rows]  # type: ignore[index]

    return select



@cache
def atlas_countries() -> frozenset[str]:
    """ISO 3166-1 numeric codes of the countries drawn in the vendored 1:110m atlas."""
    data = json.loads((_VENDOR / "countries-110m.json").read_text(encoding="utf-8"))
    return frozenset(str(g["id"]) for g in data["objects"]["countries"]["geometries"] if "id" in g)


@cache
def _largest_city() -> dict[str, tuple[float, float]]:
    from graph.geodata import cities

    best: dict[str, tuple[int, float, float]] = {}
    for c in cities():
        if c.country not in best or c.population > best[c.country][0]:
            best[c.country] = (c.population, c.lat, c.long)
    return {k: (v[1], v[2]) for k, v in best.items()}


def _iso_of_name(name: str) -> str | None:
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None


def _place_country(entity: ViewEntity, iso: str) -> None:
    import pycountry

    record = pycountry.countries.get(alpha_2=iso.upper()) if len(iso) == 2 else None
    if record is not None and record.numeric in atlas_countries():
        entity.country, entity.placed = record.numeric, "country"
        return
    city = _largest_city().get(iso.upper())
    if city is not None:
        entity.lat, entity.lon, entity.placed = city[0], city[1], "city"


def extract_views(graph: Graph) -> ViewsData:
    """Statements, the entities they name (with positions) and their documents, by SPARQL."""
    select = _selector(graph)
    entities: dict[str, ViewEntity] = {}
    for e, label, types, lat, lon, iso in select(ENTITIES_QUERY):
        assert e is not None
        kinds = sorted(_local(t) for t in (types or "").split() if t)
        kind = next((k for k in kinds if k in LOCATION_TYPES), kinds[0] if kinds else "Thing")
        ent = ViewEntity(e, label or _local(e), kind)
        if lat is not None and lon is not None:
            try:
                ent.lat, ent.lon, ent.placed = float(lat), float(lon), "geonames"
            except ValueError:
                pass
        if not ent.placed and not iso and kind == "Country":
            iso = _iso_of_name(ent.label)  # a country the linker did not code: by its name
        if not ent.placed and iso:
            _place_country(ent, iso)
        entities[e] = ent
    containers: dict[str, list[str]] = {}
    order = {r: i for i, r in enumerate(CONTAINMENT)}
    for e, _rel, container in sorted(select(CONTAINMENT_QUERY),
                                    key=lambda r: (r[0], order.get(_local(r[1] or ""), 9), r[2])):
        if e in entities and container in entities:
            containers.setdefault(e, []).append(container)  # type: ignore[arg-type]
    for ent in entities.values():  # inherit a position from what contains it (3 steps at most)
        if ent.placed:
            continue
        frontier, seen = [ent.id], {ent.id}
        for _ in range(3):
            nxt = [c for f in frontier for c in containers.get(f, []) if c not in seen]
            hit = next((c for c in nxt if entities[c].placed and entities[c].placed != "within"), None)
            if hit is not None:
                src = entities[hit]
                ent.lat, ent.lon, ent.country, ent.placed, ent.within = src.lat, src.lon, src.country, "within", hit
                break
            seen.update(nxt)
            frontier = nxt
    documents: dict[str, ViewDocument] = {}
    for d, title, label, date, source, url in select(DOCUMENTS_QUERY):
        assert d is not None
        documents[d] = ViewDocument(d, title or label or _local(d), normalise_date(date), date or "",
                                    source or "", url or "")
    statements: list[ViewStatement] = []
    for st, s, p, o, lit, conf, neg, hed, doc, ev, attr in select(STATEMENTS_QUERY):
        assert st is not None and s is not None and p is not None and o is not None
        try:
            confidence = round(float(conf), 4) if conf is not None else None
        except ValueError:
            confidence = None
        statements.append(ViewStatement(
            st, s, _local(p), o, lit == "true", confidence, neg == "true", hed == "true",
            doc or "", ev or "", attr or ""))
    statements.sort(key=lambda x: (x.document, x.subject, x.relation, x.object, x.id))
    return ViewsData(dict(sorted(entities.items())), dict(sorted(documents.items())), statements)


def views_payload(data: ViewsData) -> dict[str, Any]:
    """The page's JSON: entities and documents as lists, statements referring to them by index."""
    used = {s.subject for s in data.statements} | {s.object for s in data.statements if not s.literal}
    used |= {s.attributed_to for s in data.statements if s.attributed_to}
    used |= {e.within for e in data.entities.values() if e.within and e.id in used}
    ent_ids = [e for e in data.entities if e in used]
    for s in data.statements:  # an entity named by a statement but with no triples of its own
        for iri in (s.subject, s.object if not s.literal else None, s.attributed_to or None):
            if iri and iri not in data.entities and iri not in ent_ids:
                ent_ids.append(iri)
    ent_ids.sort()
    ent_index = {e: i for i, e in enumerate(ent_ids)}
    doc_ids = sorted(set(data.documents) | {s.document for s in data.statements if s.document})
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    entities = []
    for iri in ent_ids:
        e = data.entities.get(iri) or ViewEntity(iri, _local(iri), "Thing")
        entities.append({
            "id": e.id, "label": e.label, "type": e.type, "placed": e.placed,
            "lat": e.lat, "lon": e.lon, "country": e.country,
            "within": ent_index.get(e.within) if e.within else None,
        })
    documents = []
    for iri in doc_ids:
        d = data.documents.get(iri) or ViewDocument(iri, _local(iri), "", "")
        documents.append({k: v for k, v in asdict(d).items()})
    statements = []
    for s in data.statements:
        statements.append({
            "id": s.id, "s": ent_index[s.subject], "p": s.relation,
            "o": None if s.literal else ent_index[s.object], "lit": s.object if s.literal else None,
            "c": s.confidence, "n": s.negated, "h": s.hedged,
            "d": doc_index[s.document] if s.document else None, "e": s.evidence,
            "a": ent_index[s.attributed_to] if s.attributed_to else None,
        })
    return {
        "entities": entities, "documents": documents, "statements": statements,
        "config": {
            "routeFrom": ROUTE_FROM, "routeTo": ROUTE_TO, "flows": list(FLOW_RELATIONS),
            "actions": list(ACTION_RELATIONS), "locationTypes": list(LOCATION_TYPES),
        },
    }


def render_views(data: ViewsData, *, title: str = "newsgraph", view: str = "map",
                 notes: Iterable[str] = ()) -> str:
    """The single-file HTML page of the three views, opening on ``view``."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r} (expected one of {', '.join(VIEWS)})")
    atlas = json.loads((_VENDOR / "countries-110m.json").read_text(encoding="utf-8"))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_ASSETS)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    markup = jinja2.utils.markupsafe.Markup
    payload = views_payload(data)
    return env.get_template("views.html.j2").render(
        title=title,
        view=view,
        notes=list(notes),
        statement_count=len(payload["statements"]),
        data_json=markup(script_json(payload)),
        atlas_json=markup(script_json(atlas)),
        vendor_js=markup("\n;\n".join(inline_js(_VENDOR / f) for f in
                                     ("d3-array.min.js", "d3-geo.min.js", "topojson-client.min.js"))),
        app_js=markup(inline_js(_ASSETS / "views.js")),
    )


def render_views_html(graph: Graph, *, title: str = "newsgraph", view: str = "map") -> str:
    """Extract the views' data from ``graph`` and render the page (what ``build`` and ``viz --view`` call)."""
    return render_views(extract_views(graph), title=title, view=view)


__all__ = ["ACTION_RELATIONS", "FLOW_RELATIONS", "VIEWS", "ViewDocument", "ViewEntity", "ViewStatement",
           "ViewsData", "extract_views", "normalise_date", "render_views", "render_views_html", "views_payload"]
