"""The analyst views page (map, timeline, table): extraction, escaping, CLI, and headless-Chromium checks."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph.model import EntityType
from graph.rdf.namespaces import (
    CLASS_OF,
    DCTERMS,
    GEO,
    NG_OPEN,
    PROV,
    RDF,
    RDFS,
    SDO,
    XSD,
    bind_prefixes,
    document_iri,
    entity_iri,
    relation_iri,
    statement_iri,
)
from graph.viz.views import extract_views, normalise_date, render_views, render_views_html, views_payload
from tests.sparql.library_corpus import HOSTILE, corpus_graph
from tests.viz.test_viz import Opened, screenshot_dir, tags

ROOT = Path(__file__).resolve().parents[2]
browser = pytest.mark.browser


# --- a small corpus written triple by triple, in the shape a build writes --------------------


class Corpus:
    """Documents, entities and reified statements added one by one."""

    def __init__(self) -> None:
        self.g = bind_prefixes(Graph())

    def doc(self, key: str, title: str, date: str | None) -> URIRef:
        d = document_iri(key)
        self.g.add((d, RDF.type, SDO.NewsArticle))
        self.g.add((d, DCTERMS.title, Literal(title)))
        self.g.add((d, RDFS.label, Literal(key)))
        if date:
            kind = XSD.date if len(date) == 10 else XSD.gYearMonth if len(date) == 7 else XSD.dateTime
            self.g.add((d, DCTERMS.date, Literal(date, datatype=kind)))
        return d

    def entity(self, kind: EntityType, name: str, *, iso: str | None = None,
               at: tuple[float, float] | None = None) -> URIRef:
        e = entity_iri(f"{kind.value}/{name}")
        self.g.add((e, RDF.type, CLASS_OF[kind]))
        self.g.add((e, RDFS.label, Literal(name)))
        if iso:
            self.g.add((e, NG_OPEN.iso3166, Literal(iso)))
        if at:
            self.g.add((e, GEO.lat, Literal(str(at[0]), datatype=XSD.decimal)))
            self.g.add((e, GEO.long, Literal(str(at[1]), datatype=XSD.decimal)))
        return e

    def say(self, doc: URIRef, s: URIRef, rel: str, o: URIRef | str, evidence: str, *, confidence: float = 0.8,
            negated: bool = False, hedged: bool = False) -> URIRef:
        p = relation_iri(rel)
        obj = o if isinstance(o, URIRef) else Literal(o)
        st = statement_iri(str(doc), str(s), str(p), str(obj), evidence)
        if not negated and not hedged:
            self.g.add((s, p, obj))
        for pred, val in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, p), (RDF.object, obj),
                          (PROV.wasDerivedFrom, doc), (NG_OPEN.evidence, Literal(evidence)),
                          (NG_OPEN.confidence, Literal(confidence))):
            self.g.add((st, pred, val))
        if negated:
            self.g.add((st, NG_OPEN.negated, Literal(True)))
        if hedged:
            self.g.add((st, NG_OPEN.hedged, Literal(True)))
        return st


T = EntityType


def dated_corpus() -> Graph:
    """State actions in four dated documents (keys not in date order) and one undated one."""
    c = Corpus()
    thailand, cambodia = c.entity(T.COUNTRY, "Thailand", iso="TH"), c.entity(T.COUNTRY, "Cambodia", iso="KH")
    laos, china = c.entity(T.COUNTRY, "Laos", iso="LA"), c.entity(T.COUNTRY, "China", iso="CN")
    police, britain = c.entity(T.ORGANIZATION, "Thai police"), c.entity(T.COUNTRY, "Britain", iso="GB")
    chen, compound = c.entity(T.PERSON, "Chen Zhi"), c.entity(T.FACILITY, "Huione compound", at=(11.56, 104.92))
    d1 = c.doc("z-first.txt", "Police arrest suspects", "2024-02-10")
    d2 = c.doc("a-second.txt", "Britain sanctions Chen Zhi", "2024-10-14T09:30:00Z")
    d3 = c.doc("m-third.txt", "Border closed", "2025-06-24")
    d4 = c.doc("b-fourth.txt", "Laos deports detainees", "2025-08")
    d5 = c.doc("undated.txt", "Raid on a compound", None)
    c.say(d1, police, "arrests", "771 individuals", "Thai police arrested 771 individuals.")
    c.say(d2, britain, "sanctions", chen, "Britain imposed sanctions on Chen Zhi.")
    c.say(d3, thailand, "closedBorderWith", cambodia, "Thailand closed its land border with Cambodia.")
    c.say(d4, laos, "repatriates", china, "Laos deported 771 detainees to China.")
    c.say(d4, laos, "arrests", "detainees", "Lao police may have arrested more.", hedged=True)
    c.say(d5, police, "raids", compound, "Police raided the Huione compound.")
    c.say(d1, police, "leads", thailand, "Not an action: not on the timeline.")
    return c.g


def hostile_corpus() -> Graph:
    """The library corpus plus hostile markup in a placed name, a route, an action and a document title."""
    g = corpus_graph(hostile=True)
    c = Corpus()
    c.g = g
    bad_place = c.entity(T.PLACE, HOSTILE, at=(13.75, 100.5))
    victims = c.entity(T.GROUP, "victims")
    cambodia = c.entity(T.COUNTRY, "Cambodia", iso="KH")
    d = c.doc("evil.txt", HOSTILE, "2025-07-05")
    c.say(d, victims, "traffickedFrom", bad_place, f"Victims came from {HOSTILE}.")
    c.say(d, victims, "traffickedTo", cambodia, f"They were taken to Cambodia {HOSTILE}.")
    c.say(d, bad_place, "arrests", HOSTILE, f"Arrests: {HOSTILE}")
    return g


# --- library ---------------------------------------------------------------------------------------


def test_normalise_date() -> None:
    assert normalise_date("2025-06-26") == "2025-06-26"
    assert normalise_date("2024-10-14T09:30:00Z") == "2024-10-14"
    assert normalise_date("2025-08") == "2025-08-01"
    assert normalise_date("2025") == "2025-01-01"
    assert normalise_date("June 2025") == normalise_date("2025-13-01") == normalise_date(None) == ""


def test_extract_views_positions_and_statements() -> None:
    data = extract_views(corpus_graph())
    by_label = {e.label: e for e in data.entities.values()}
    assert by_label["Cambodia"].placed == "country" and by_label["Cambodia"].country == "116"
    assert by_label["Taiwan"].country == "158"
    # Myawaddy has no coordinates in this corpus, so KK Park (locatedIn Myawaddy) has none either
    assert by_label["Myawaddy"].placed == "" and by_label["KK Park"].placed == ""
    rels = {(data.entities[s.subject].label, s.relation, s.object if s.literal else data.entities[s.object].label): s
            for s in data.statements}
    assert rels[("Amnesty International", "accuses", "Laos")].negated
    assert rels[("police", "raids", "KK Park")].hedged
    arrests = rels[("police", "arrests", "771 individuals")]
    assert arrests.literal and arrests.confidence == 0.8
    assert data.documents[arrests.document].date == "2025-07-01"
    assert arrests.evidence == "Thai police arrested 771 individuals and may have raided KK Park."
    assert len(data.statements) == len(set(corpus_graph().subjects(RDF.type, RDF.Statement)))


def test_positions_inherited_and_small_countries() -> None:
    c = Corpus()
    d = c.doc("x.txt", "x", "2025-01-01")
    town = c.entity(T.PLACE, "Sihanoukville", at=(10.6, 103.5))
    park = c.entity(T.FACILITY, "Park")
    c.g.add((park, relation_iri("locatedIn"), town))
    singapore = c.entity(T.COUNTRY, "Singapore", iso="SG")
    c.say(d, c.entity(T.GROUP, "workers"), "heldIn", park, "Workers were held in the Park.")
    c.say(d, c.entity(T.GROUP, "workers"), "traffickedFrom", singapore, "They came from Singapore.")
    data = extract_views(c.g)
    ents = {e.label: e for e in data.entities.values()}
    assert (ents["Park"].placed, ents["Park"].within, ents["Park"].lat) == ("within", str(town), 10.6)
    assert ents["Singapore"].placed == "city" and ents["Singapore"].country is None
    assert ents["Singapore"].lat == pytest.approx(1.29, abs=0.1)


def test_payload_is_escaped_and_page_self_contained() -> None:
    page = render_views_html(hostile_corpus(), title=HOSTILE)
    assert HOSTILE not in page and "<img" not in page
    found = tags(page)
    assert [t for t, _ in found if t in ("img", "iframe", "object", "embed", "link")] == []
    scripts = [a for t, a in found if t == "script"]
    assert len(scripts) == 4 and all("src" not in a for a in scripts)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    for host in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "d3js.org/d3"):
        assert host not in page.replace("// https://d3js.org/d3-", "")  # only the libraries' banner comments
    data = json.loads(re.search(r'id="ng-data">(.*?)</script>', page, re.S).group(1))
    assert HOSTILE in {e["label"] for e in data["entities"]}
    assert "default-src 'none'" in page


def test_render_is_deterministic_and_view_checked() -> None:
    assert render_views_html(corpus_graph()) == render_views_html(corpus_graph())
    assert 'data-view="timeline"' in render_views_html(corpus_graph(), view="timeline")
    with pytest.raises(ValueError, match="unknown view"):
        render_views(extract_views(corpus_graph()), view="graph")


def test_empty_graph() -> None:
    payload = views_payload(extract_views(Graph()))
    assert payload["statements"] == [] and payload["entities"] == []
    assert "0 statements" in render_views_html(Graph()).replace("of 0 statements", "0 statements")


def test_viz_view_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import cli

    graph_file = tmp_path / "g.ttl"
    corpus_graph().serialize(graph_file, format="turtle")
    out = tmp_path / "t.html"
    res = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--view", "table"])
    assert res.exit_code == 0, res.output
    assert '<body data-view="table">' in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--view", "map", "--focus", "Cambodia"])
    assert bad.exit_code == 2 and "apply to --view graph only" in bad.output
    bad = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--view", "globe"])
    assert bad.exit_code == 2
    # a TriG file loads as a dataset (quads): the same page
    from rdflib import Dataset

    ds = Dataset()
    for t in corpus_graph():
        ds.graph(URIRef("https://example.org/g")).add(t)
    trig = tmp_path / "g.trig"
    ds.serialize(trig, format="trig")
    out2 = tmp_path / "t2.html"
    res = CliRunner().invoke(cli, ["viz", str(trig), "-o", str(out2), "--view", "table"])
    assert res.exit_code == 0, res.output
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_build_writes_views_page(tmp_path: Path) -> None:
    from graph.pipeline import write_outputs
    from graph.rdf.terms import graph_quads
    from graph.store import open_sink

    sink = open_sink(tmp_path / "out")
    name = str(document_iri("a"))
    sink.put_graph(name, graph_quads(dated_corpus(), name))
    written = write_outputs(sink, tmp_path / "out")
    assert tmp_path / "out" / "views.html" in written
    page = (tmp_path / "out" / "views.html").read_text(encoding="utf-8")
    assert "Britain sanctions Chen Zhi" in page


# --- browser ---------------------------------------------------------------------------------------


def open_view(chromium: object, html_file: Path, view: str | None = None) -> Opened:
    """Open the page from file:// (optionally on a tab, by URL hash) with every other request aborted."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    attempted: list[str] = []
    errors: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith("file://"):
            r.continue_()  # type: ignore[attr-defined]
        else:
            attempted.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_file.as_uri() + (f"#{view}" if view else ""))
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    return Opened(page, attempted, errors)


def write_page(tmp_path: Path, graph: Graph, name: str, **kw: object) -> Path:
    f = tmp_path / name
    f.write_text(render_views_html(graph, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return f


def _end_key(data: object, iri: str | None) -> object:
    """Where an end of a route is drawn: its country, its coordinates, or None (not placed)."""
    if iri is None:
        return None
    e = data.entities.get(iri)  # type: ignore[attr-defined]
    if e is None or not e.placed:
        return None
    return ("c", e.country) if e.country else ("p", round(e.lat, 3), round(e.lon, 3))


@browser
def test_seeds_views_open_offline_and_map_draws_routes(chromium: object, seeds_graph: Graph, tmp_path: Path) -> None:
    from graph.sparql import find_query, run

    html = write_page(tmp_path, seeds_graph, "views.html", title="seeds")
    for view in ("timeline", "table", "map"):
        opened = open_view(chromium, html, view)
        assert opened.page.evaluate("() => document.body.dataset.rendered") == view  # type: ignore[attr-defined]
        assert opened.requests == [] and opened.errors == [], (view, opened.requests, opened.errors)
        opened.page.screenshot(path=str(screenshot_dir() / f"views-seeds-{view}.png"))  # type: ignore[attr-defined]
        if view != "map":
            opened.page.close()  # type: ignore[attr-defined]
    page = opened.page
    # what the trafficking-routes query (an independent SPARQL reading) says the seeds hold
    rows = list(run(seeds_graph, find_query("trafficking-routes")))
    origins = {str(r.origin) for r in rows if r.origin is not None}
    assert len(origins) == 5
    data = extract_views(seeds_graph)
    expected = {(_end_key(data, r.origin and str(r.origin)), _end_key(data, r.destination and str(r.destination)))
                for r in rows}
    expected.discard((None, None))
    arrows = page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('#map path.route.trafficking')].map(p => ({
              from: p.dataset.from ? p.dataset.from.split(' ') : [], key: p.dataset.key }))""")
    assert len(arrows) == len(expected)
    drawn_origins = {iri for a in arrows for iri in a["from"]}
    assert origins <= drawn_origins  # every origin has an arrow of its own
    # click the arrow Myanmar -> Cambodia (on its stroke, with the mouse) and read the evidence panel
    myanmar, cambodia = (next(str(r[k]) for r in rows if r[k + "Label"] is not None and str(r[k + "Label"]) == name)
                         for k, name in (("origin", "Myanmar"), ("destination", "Cambodia")))
    row = next(r for r in rows if r.origin is not None and str(r.origin) == myanmar and r.destination is not None
               and str(r.destination) == cambodia)
    xy = page.evaluate(  # type: ignore[attr-defined]
        """([a, z]) => { const p = [...document.querySelectorAll('#map path.route.trafficking')].find(
                 p => p.dataset.from.split(' ').includes(a) && p.dataset.to.split(' ').includes(z));
             const pt = p.getPointAtLength(p.getTotalLength() / 2); const m = p.getScreenCTM();
             return [pt.x * m.a + m.e, pt.y * m.d + m.f]; }""", [myanmar, cambodia])
    page.mouse.click(xy[0], xy[1])  # type: ignore[attr-defined]
    panel = page.inner_text("#panel")  # type: ignore[attr-defined]
    assert panel.startswith("Trafficking route: Myanmar → Cambodia")
    for sentence in str(row.evidences).split(" | "):
        assert sentence in panel
    assert "Documents (1)" in panel and "seeds/" in panel
    assert page.evaluate("() => document.querySelectorAll('#map path.country').length") > 150  # type: ignore[attr-defined]
    unplaced = page.inner_text("#unplaced")  # type: ignore[attr-defined]
    assert all(e.label in unplaced for e in data.entities.values() if e.type == "Facility" and not e.placed
               and any(s.object == e.id and not s.negated and not s.hedged for s in data.statements))
    page.screenshot(path=str(screenshot_dir() / "views-seeds-map-clicked.png"))  # type: ignore[attr-defined]
    assert opened.errors == []
    page.close()  # type: ignore[attr-defined]


@browser
def test_timeline_draws_dated_actions_in_date_order(chromium: object, tmp_path: Path) -> None:
    html = write_page(tmp_path, dated_corpus(), "dated.html", view="timeline")
    opened = open_view(chromium, html)
    page = opened.page
    dots = page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('#timeline circle.action')].map(c => [
              c.dataset.date, c.dataset.relation, Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))])""")
    assert [(d, r) for d, r, _, _ in sorted(dots, key=lambda d: d[2])] == [
        ("2024-02-10", "arrests"), ("2024-10-14", "sanctions"), ("2025-06-24", "closedBorderWith"),
        ("2025-08-01", "repatriates")]
    assert len({cy for *_, cy in dots}) == 4  # one lane per relation
    lanes = page.evaluate("() => [...document.querySelectorAll('#timeline .lane-label')].map(t => t.textContent)")  # type: ignore[attr-defined]
    assert sorted(lanes) == ["arrests", "closedBorderWith", "repatriates", "sanctions"]
    assert "Raid on a compound (no date)" in page.inner_text("#undated")  # type: ignore[attr-defined]
    page.click("#timeline circle.action[data-relation=sanctions]")  # type: ignore[attr-defined]
    panel = page.inner_text("#panel")  # type: ignore[attr-defined]
    assert "Britain imposed sanctions on Chen Zhi." in panel and "Britain sanctions Chen Zhi · 2024-10-14" in panel
    # one lane per actor instead: the subjects of the dated asserted actions (one each: by name)
    page.select_option("#timeline-lanes", "actor")  # type: ignore[attr-defined]
    lanes = page.evaluate("() => [...document.querySelectorAll('#timeline .lane-label')].map(t => t.textContent)")  # type: ignore[attr-defined]
    assert lanes == ["Britain", "Laos", "Thai police", "Thailand"]
    page.click("#timeline circle.action[data-date='2025-08-01']")  # type: ignore[attr-defined]
    assert "Laos · 2025-08-01" in page.inner_text("#panel")  # type: ignore[attr-defined]
    page.select_option("#timeline-lanes", "relation")  # type: ignore[attr-defined]
    # the shared date filter narrows the timeline
    page.fill("#f-from", "2025-01-01")  # type: ignore[attr-defined]
    page.dispatch_event("#f-from", "change")  # type: ignore[attr-defined]
    dates = page.evaluate("() => [...document.querySelectorAll('#timeline circle.action')].map(c => c.dataset.date)")  # type: ignore[attr-defined]
    assert sorted(dates) == ["2025-06-24", "2025-08-01"]
    page.screenshot(path=str(screenshot_dir() / "views-timeline.png"))  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.close()  # type: ignore[attr-defined]


@browser
def test_table_filters_sort_and_csv_download(chromium: object, tmp_path: Path) -> None:
    g = corpus_graph()
    c = Corpus()
    c.g = g
    c.say(c.doc("csv.txt", "Formulas", "2025-07-09"), c.entity(T.PERSON, "=HYPERLINK(\"x\")"), "leads",
          c.entity(T.ORGANIZATION, "gang, \"quoted\"\nline"), "A sentence, with \"quotes\".", confidence=0.9)
    html = write_page(tmp_path, g, "table.html", view="table")
    opened = open_view(chromium, html)
    page = opened.page
    total = len(extract_views(g).statements)
    assert page.locator("#statements tbody tr").count() == total  # type: ignore[attr-defined]
    # shared filters: drop one relation, raise the minimum confidence; then a text filter
    page.click("#f-relations summary")  # type: ignore[attr-defined]
    page.uncheck("#f-relations input[value=estimates]")  # type: ignore[attr-defined]
    page.click("#f-relations summary")  # type: ignore[attr-defined]
    page.fill("#f-conf", "0.85")  # type: ignore[attr-defined]
    page.dispatch_event("#f-conf", "input")  # type: ignore[attr-defined]
    assert page.locator("#statements tbody tr").count() == 1  # type: ignore[attr-defined]
    page.fill("#f-conf", "0")  # type: ignore[attr-defined]
    page.dispatch_event("#f-conf", "input")  # type: ignore[attr-defined]
    page.fill("#table-text", "cambodia")  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelector('#table-count').textContent !== ''")  # type: ignore[attr-defined]
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    shown = page.locator("#statements tbody tr").count()  # type: ignore[attr-defined]
    data = extract_views(g)
    expected = [s for s in data.statements if s.relation != "estimates" and "cambodia" in " ".join(
        [data.entities[s.subject].label, s.relation, s.object if s.literal else data.entities[s.object].label,
         s.evidence, data.documents[s.document].title, data.documents[s.document].date]).lower()]
    assert shown == len(expected) > 3
    page.click("#statements th[data-key=confidence]")  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#csv")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == shown
    assert {r["statement_iri"] for r in rows} == {s.id for s in expected}
    assert all("cambodia" in " ".join(r.values()).lower() for r in rows)
    # every row and quoting survives; a formula-like cell is neutralised
    page.fill("#table-text", "")  # type: ignore[attr-defined]
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#csv")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"), newline="")))
    without_estimates = sum(1 for s in data.statements if s.relation != "estimates")  # still unticked
    assert len(rows) == page.locator("#statements tbody tr").count() == without_estimates < total  # type: ignore[attr-defined]
    odd = next(r for r in rows if r["relation"] == "leads" and r["confidence"] == "0.9")
    assert odd["subject"] == "'=HYPERLINK(\"x\")" and odd["object"] == "gang, \"quoted\"\nline"
    assert odd["evidence"] == "A sentence, with \"quotes\"."
    page.screenshot(path=str(screenshot_dir() / "views-table.png"))  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.close()  # type: ignore[attr-defined]


@browser
def test_hostile_text_inert_in_every_view(chromium: object, tmp_path: Path) -> None:
    html = write_page(tmp_path, hostile_corpus(), "hostile.html", title=HOSTILE)
    for view in ("map", "timeline", "table"):
        opened = open_view(chromium, html, view)
        page = opened.page
        assert page.title() == HOSTILE  # type: ignore[attr-defined]
        if view == "map":
            titles = page.evaluate("() => [...document.querySelectorAll('#map circle.point title')].map(t => t.textContent)")  # type: ignore[attr-defined]
            assert HOSTILE in titles
            page.dispatch_event("#map path.route.trafficking[data-from*='place']", "click")  # type: ignore[attr-defined]
            assert HOSTILE in page.inner_text("#panel")  # type: ignore[attr-defined]
        elif view == "timeline":
            page.click("#timeline circle.action[data-date='2025-07-05']")  # type: ignore[attr-defined]
            assert f"Arrests: {HOSTILE}" in page.inner_text("#panel")  # type: ignore[attr-defined]
        else:
            cells = page.evaluate("() => [...document.querySelectorAll('#statements td')].map(t => t.textContent)")  # type: ignore[attr-defined]
            assert HOSTILE in cells and f"Victims came from {HOSTILE}." in cells
            page.click("#statements tbody tr")  # type: ignore[attr-defined]
        assert page.evaluate("() => window.__pwned === undefined")  # type: ignore[attr-defined]
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0  # type: ignore[attr-defined]
        assert page.evaluate("() => document.querySelectorAll('script').length") == 4  # type: ignore[attr-defined]
        assert opened.requests == [] and opened.errors == [], (view, opened.errors)
        page.screenshot(path=str(screenshot_dir() / f"views-hostile-{view}.png"))  # type: ignore[attr-defined]
        page.close()  # type: ignore[attr-defined]


@browser
def test_long_table_pages_and_csv_has_every_filtered_row(chromium: object, tmp_path: Path) -> None:
    c = Corpus()
    d1, d2 = c.doc("p1.txt", "Part one", "2025-01-02"), c.doc("p2.txt", "Part two", "2025-03-04")
    police = c.entity(T.ORGANIZATION, "police")
    for i in range(1200):
        c.say(d1 if i % 3 else d2, police, "arrests", f"suspect {i}", f"Police arrested suspect {i}.",
              confidence=0.5 if i % 2 else 0.9)
    html = write_page(tmp_path, c.g, "long.html", view="table")
    opened = open_view(chromium, html)
    page = opened.page
    assert page.inner_text("#table-count") == "1200 row(s), showing the first 500"  # type: ignore[attr-defined]
    assert page.locator("#statements tbody tr").count() == 500  # type: ignore[attr-defined]
    page.click("#f-docs summary")  # type: ignore[attr-defined]
    page.uncheck("#f-docs .list input >> nth=0")  # type: ignore[attr-defined]  # documents sort by date: Part one
    page.click("#f-docs summary")  # type: ignore[attr-defined]
    page.fill("#f-conf", "0.8")  # type: ignore[attr-defined]
    page.dispatch_event("#f-conf", "input")  # type: ignore[attr-defined]
    expected = sum(1 for i in range(1200) if i % 3 == 0 and i % 2 == 0)  # Part two, confidence 0.9
    assert page.inner_text("#table-count") == f"{expected} row(s)"  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#csv")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"), newline="")))
    assert len(rows) == expected == page.locator("#statements tbody tr").count()  # type: ignore[attr-defined]
    assert {r["document"] for r in rows} == {"Part two"} and {r["confidence"] for r in rows} == {"0.9"}
    page.click("#f-reset")  # type: ignore[attr-defined]
    page.click("#table-all")  # type: ignore[attr-defined]
    assert page.locator("#statements tbody tr").count() == 1200  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#csv")  # type: ignore[attr-defined]
    assert len(Path(info.value.path()).read_text(encoding="utf-8").splitlines()) == 1201
    assert opened.requests == [] and opened.errors == []
    page.close()  # type: ignore[attr-defined]


@browser
def test_map_zoom_pan_and_filters(chromium: object, tmp_path: Path) -> None:
    html = write_page(tmp_path, corpus_graph(), "zoom.html")
    opened = open_view(chromium, html)
    page = opened.page

    def cambodia_x() -> float:
        return float(page.evaluate(  # type: ignore[attr-defined]
            "() => Number([...document.querySelectorAll('#map circle.point')].find(c => c.querySelector('title').textContent === 'Cambodia').getAttribute('cx'))"))

    def arrows() -> int:
        return int(page.evaluate("() => document.querySelectorAll('#map path.route.trafficking').length"))  # type: ignore[attr-defined]

    before, n = cambodia_x(), arrows()
    assert n == 5  # five origins to Cambodia; China -> Cambodia holds victims' and Chinese workers' statements
    china = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#map path.route.trafficking')].find(p => p.dataset.from.endsWith('/cn'))"
        ".dataset.statements")
    assert china == "4"
    box = page.locator("#map").bounding_box()  # type: ignore[attr-defined]
    page.mouse.move(box["x"] + 10, box["y"] + 10)  # type: ignore[attr-defined]
    page.mouse.wheel(0, -300)  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    assert cambodia_x() > before  # zoomed in about the top-left corner: Cambodia moves right
    page.mouse.move(box["x"] + 400, box["y"] + 400)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.move(box["x"] + 300, box["y"] + 400, steps=5)  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    moved = cambodia_x()
    page.click("#zoom-fit")  # type: ignore[attr-defined]
    assert abs(cambodia_x() - before) < 1 and moved != before
    # a shared filter: without traffickedFrom only the open routes to Cambodia are left
    page.click("#f-relations summary")  # type: ignore[attr-defined]
    page.uncheck("#f-relations input[value=traffickedFrom]")  # type: ignore[attr-defined]
    assert arrows() == 1
    assert page.evaluate("() => document.querySelector('#map path.route.trafficking').classList.contains('open')")  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.close()  # type: ignore[attr-defined]


@browser
def test_empty_graph_opens_every_view(chromium: object, tmp_path: Path) -> None:
    html = write_page(tmp_path, Graph(), "empty.html")
    for view in ("map", "timeline", "table"):
        opened = open_view(chromium, html, view)
        page = opened.page
        assert page.inner_text("#shown-count") == "0"  # type: ignore[attr-defined]
        if view == "map":
            assert page.evaluate("() => document.querySelectorAll('#map path.country').length") > 150  # type: ignore[attr-defined]
            assert page.inner_text("#unplaced") == "none"  # type: ignore[attr-defined]
        elif view == "timeline":
            assert page.is_visible("#timeline-empty")  # type: ignore[attr-defined]
        else:
            assert page.inner_text("#table-count") == "0 row(s)"  # type: ignore[attr-defined]
        assert opened.requests == [] and opened.errors == [], (view, opened.errors)
        page.close()  # type: ignore[attr-defined]
