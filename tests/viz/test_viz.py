"""The offline HTML view: data extraction, reduction, escaping, and headless-Chromium checks."""

from __future__ import annotations

import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph

from graph.viz import extract_network, reduce_network, render_html
from graph.viz.page import script_json
from tests.sparql.library_corpus import HOSTILE, corpus_graph
from tests.viz.conftest import CHROMIUM

browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_graph() -> Graph:
    return corpus_graph(hostile=True)


def test_network_has_entities_relations_and_evidence(hostile_graph: Graph) -> None:
    net = extract_network(hostile_graph)
    labels = {n.label for n in net.nodes.values()}
    assert {"Amnesty International", "Cambodia", "KK Park", "423 victims"} <= labels
    by_rel = {(net.nodes[e.source].label, e.relation, net.nodes[e.target].label): e for e in net.edges}
    edge = by_rel[("victims", "traffickedFrom", "Myanmar")]
    assert edge.evidence[0][0].startswith("The victims were trafficked from Myanmar")
    assert ("Amnesty International", "accuses", "Laos") not in by_rel  # negated: not drawn
    assert ("police", "raids", "KK Park") not in by_rel  # hedged: not drawn
    assert net.nodes[edge.target].type == "Country"


def test_reduce_max_nodes_keeps_most_central_and_says_so(hostile_graph: Graph) -> None:
    net = extract_network(hostile_graph)
    small, notes = reduce_network(net, max_nodes=5)
    assert len(small.nodes) == 5
    assert "Cambodia" in {n.label for n in small.nodes.values()}
    linked = {x for e in net.edges for x in (e.source, e.target)}
    assert any("showing the 5 most connected" in n and f"({len(linked) - 5} left out" in n for n in notes)
    assert all(e.source in small.nodes and e.target in small.nodes for e in small.edges)


def test_reduce_focus_and_min_degree(hostile_graph: Graph) -> None:
    net = extract_network(hostile_graph)
    ego, notes = reduce_network(net, focus="kk park", hops=1)
    assert {n.label for n in ego.nodes.values()} == {"KK Park", "victims", "criminal gangs", "Myawaddy", "Wang Xing"}
    assert "KK Park" in notes[0]
    dense, notes = reduce_network(net, min_degree=2)
    assert "Taiwan" not in {n.label for n in dense.nodes.values()}
    assert any("fewer than 2" in n for n in notes)


def test_query_limits_view(hostile_graph: Graph) -> None:
    query = (Path(__file__).resolve().parents[2] / "queries" / "trafficking-routes.rq").read_text()
    page = render_html(hostile_graph, query=query)
    data = json.loads(re.search(r'id="ng-data">(.*?)</script>', page, re.S).group(1))
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {"Myanmar", "Thailand", "China", "Vietnam", "Taiwan", "Cambodia"}


def test_script_json_escapes_markup() -> None:
    text = script_json({"x": "</script><b>&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"x": "</script><b>&\u2028\u2029"}


def test_page_is_self_contained_and_inert(hostile_graph: Graph) -> None:
    page = render_html(hostile_graph, title=HOSTILE)
    assert HOSTILE not in page and "<img" not in page
    found = tags(page)
    assert [t for t, _ in found if t in ("img", "iframe", "object", "embed", "link")] == []
    scripts = [a for t, a in found if t == "script"]
    assert len(scripts) == 3 and all("src" not in a for a in scripts)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "bootstrap.min", "bootstrap.bundle"):
        assert host not in page  # none of the CDN assets pyvis's own template references
    assert "url(http" not in page


def test_deterministic(hostile_graph: Graph) -> None:
    assert render_html(hostile_graph) == render_html(corpus_graph(hostile=True))


# --- browser tests --------------------------------------------------------------------------


class Opened:
    def __init__(self, page: object, requests: list[str], errors: list[str]) -> None:
        self.page, self.requests, self.errors = page, requests, errors


def open_offline(chromium: object, html_file: Path) -> Opened:
    """Open a page from file:// with every other request aborted (and recorded)."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
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
    page.goto(html_file.as_uri())
    page.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=60_000)
    return Opened(page, attempted, errors)


def canvas_is_drawn(page: object) -> bool:
    return bool(page.evaluate(  # type: ignore[attr-defined]
        """() => { const c = document.querySelector('#network canvas');
                   if (!c || c.width < 100 || c.height < 100) return false;
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
                   return ink > 500; }"""))


def screenshot_dir() -> Path:
    d = Path(os.environ.get("NEWSGRAPH_SCREENSHOTS") or tempfile.gettempdir()) / "newsgraph-viz-screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


@browser
@needs_chromium
def test_seeds_page_renders_offline(chromium: object, seeds_graph: Graph, tmp_path: Path) -> None:
    html_file = tmp_path / "graph.html"
    html_file.write_text(render_html(seeds_graph), encoding="utf-8")
    expected, _ = reduce_network(extract_network(seeds_graph), max_nodes=500)
    opened = open_offline(chromium, html_file)
    page = opened.page
    assert canvas_is_drawn(page)
    assert page.evaluate("() => window.newsgraph.nodes.length") == len(expected.nodes)  # type: ignore[attr-defined]
    assert page.evaluate("() => window.newsgraph.edges.length") == len(expected.edges)  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.screenshot(path=str(screenshot_dir() / "seeds.png"))  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


@browser
@needs_chromium
def test_hostile_document_stays_inert(chromium: object, tmp_path: Path) -> None:
    g = corpus_graph(hostile=True)
    html_file = tmp_path / "hostile.html"
    html_file.write_text(render_html(g, title=HOSTILE), encoding="utf-8")
    opened = open_offline(chromium, html_file)
    page = opened.page
    assert canvas_is_drawn(page)
    assert page.evaluate("() => window.__pwned === undefined")  # type: ignore[attr-defined]
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0  # type: ignore[attr-defined]
    assert page.evaluate("() => document.querySelectorAll('script').length") == 3  # type: ignore[attr-defined]
    assert page.title() == HOSTILE  # type: ignore[attr-defined]
    # search finds the hostile entity; the panel shows its name as text
    page.fill("#search", "onerror")  # type: ignore[attr-defined]
    assert page.inner_text("#panel h2") == HOSTILE  # type: ignore[attr-defined]
    # clicking an entity shows evidence sentences and source documents
    page.fill("#search", "")  # type: ignore[attr-defined]
    nid = page.evaluate(  # type: ignore[attr-defined]
        "() => window.newsgraph.data.nodes.find(n => n.label === 'Myanmar').id")
    xy = page.evaluate(  # type: ignore[attr-defined]
        "(id) => { const n = window.newsgraph.network; const p = n.getPositions([id])[id];"
        " const d = n.canvasToDOM(p); const r = document.querySelector('#network').getBoundingClientRect();"
        " return [d.x + r.left, d.y + r.top]; }", nid)
    page.mouse.click(xy[0], xy[1])  # type: ignore[attr-defined]
    panel = page.inner_text("#panel")  # type: ignore[attr-defined]
    assert "The victims were trafficked from Myanmar" in panel
    assert "Amnesty: scam compounds in Cambodia" in panel
    page.mouse.move(xy[0], xy[1] + 1)  # type: ignore[attr-defined]
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)  # type: ignore[attr-defined]
    assert "Country" in page.inner_text("div.vis-tooltip")  # type: ignore[attr-defined]
    assert page.evaluate("() => window.__pwned === undefined")  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.screenshot(path=str(screenshot_dir() / "hostile.png"))  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


@browser
@needs_chromium
def test_reduced_page_shows_note(chromium: object, tmp_path: Path) -> None:
    html_file = tmp_path / "small.html"
    html_file.write_text(render_html(corpus_graph(), max_nodes=4), encoding="utf-8")
    opened = open_offline(chromium, html_file)
    assert opened.page.evaluate("() => window.newsgraph.nodes.length") == 4  # type: ignore[attr-defined]
    note = opened.page.inner_text("#notes")  # type: ignore[attr-defined]
    assert "showing the 4 most connected" in note and "left out" in note
    assert opened.requests == [] and opened.errors == []
    opened.page.close()  # type: ignore[attr-defined]


def test_empty_graph_renders() -> None:
    page = render_html(Graph())
    assert '"nodes":[]' in page and "0</span> entities" in page


def test_construct_query_limits_view(hostile_graph: Graph) -> None:
    q = "CONSTRUCT { ?s ng:leads ?o } WHERE { ?s ng:leads ?o }"
    page = render_html(hostile_graph, query=q)
    data = json.loads(re.search(r'id="ng-data">(.*?)</script>', page, re.S).group(1))
    assert {n["label"] for n in data["nodes"]} == {"Hun Manet", "Cambodia", "Agnes Callamard", "Amnesty International"}


def test_viz_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import cli

    graph_file = tmp_path / "g.ttl"
    corpus_graph().serialize(graph_file, format="turtle")
    out = tmp_path / "view.html"
    res = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--focus", "Cambodia", "--hops", "1",
                                   "--max-nodes", "3"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "showing Cambodia and what lies within 1 hop(s)" in page and "3 most connected" in page
    bad = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--focus", "Atlantis"])
    assert bad.exit_code != 0 and "no entity named 'Atlantis'" in str(bad.exception)


# --- the query view draws the query's rows; entities without relations stay findable ------


def _page_data(page: str) -> dict:
    return json.loads(re.search(r'id="ng-data">(.*?)</script>', page, re.S).group(1))


def test_viz_query_by_library_name_draws_its_rows(seeds_graph: Graph, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import cli
    from graph.formats import serialize
    from graph.sparql import find_query, run

    graph_file = tmp_path / "g.ttl"
    graph_file.write_bytes(serialize(seeds_graph, "turtle"))
    out = tmp_path / "routes.html"
    res = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--query", "trafficking-routes"])
    assert res.exit_code == 0, res.output
    data = _page_data(out.read_text(encoding="utf-8"))
    rows = list(run(seeds_graph, find_query("trafficking-routes")))
    places = {str(t) for r in rows for t in (r["origin"], r["destination"]) if t is not None}
    routes = {(str(r["origin"]), str(r["destination"])) for r in rows if r["origin"] and r["destination"]}
    assert routes, "the seeds have origin -> destination routes"
    assert {n["id"] for n in data["nodes"]} == places
    # one edge per route, carrying the row's victims and evidence; no unrelated relation between the places
    assert {(e["from"], e["to"]) for e in data["edges"]} == routes
    assert {e["label"] for e in data["edges"]} == {"origin → destination"}
    assert all(any(ev[0].startswith("evidences: ") for ev in e["evidence"]) for e in data["edges"])


def test_query_view_draws_only_the_relations_rows_name(seeds_graph: Graph) -> None:
    from graph.sparql import find_query, run

    data = _page_data(render_html(seeds_graph, query=find_query("accusations-network")))
    rows = list(run(seeds_graph, find_query("accusations-network")))
    named = {str(t).rsplit("#", 1)[-1] for r in rows for t in r if t is not None}
    assert data["edges"]
    assert {e["label"] for e in data["edges"]} <= named | {lab for lab in (e["label"] for e in data["edges"]) if "→" in lab}
    assert not {e["label"] for e in data["edges"]} & {"reportsOn", "locatedIn", "nationality", "mentionedIn"}


def test_entities_without_relations_are_listed_not_lost(seeds_graph: Graph) -> None:
    from graph.analysis import stats
    from graph.rdf.namespaces import NG

    entities = {str(e) for e in seeds_graph.subjects(NG.mentionedIn, None)}
    assert len(entities) == stats(seeds_graph).entities
    page = render_html(seeds_graph)
    data = _page_data(page)
    drawn = {n["id"] for n in data["nodes"] if not n["id"].startswith("figure:")}
    listed = {n["id"] for n in data["unlinked"]}
    assert listed and not drawn & listed
    assert drawn | listed == entities  # every entity is on the page: drawn or listed
    assert "Reuters" in {n["label"] for n in data["unlinked"]}
    assert f"{len(listed)} entities with no relation are not drawn" in page
    assert f'<span id="unlinked-count">{len(listed)}</span> not drawn' in page
    assert f'<span id="node-count">{len(drawn)}</span> entities' in page  # figures counted apart


@browser
@needs_chromium
def test_search_finds_an_entity_that_is_not_drawn(chromium: object, seeds_graph: Graph, tmp_path: Path) -> None:
    html_file = tmp_path / "graph.html"
    html_file.write_text(render_html(seeds_graph), encoding="utf-8")
    opened = open_offline(chromium, html_file)
    page = opened.page
    assert page.is_visible("#unlinked summary")  # type: ignore[attr-defined]
    page.fill("#search", "reuters")  # type: ignore[attr-defined]
    assert "1 not drawn" in page.inner_text("#search-status")  # type: ignore[attr-defined]
    assert page.inner_text("#panel h2") == "Reuters"  # type: ignore[attr-defined]
    assert "not drawn" in page.inner_text("#panel")  # type: ignore[attr-defined]
    assert page.is_visible("#unlinked-list button.hit")  # type: ignore[attr-defined]
    assert page.inner_text("#unlinked-list button.hit").startswith("Reuters")  # type: ignore[attr-defined]
    # the list itself opens an entity
    page.fill("#search", "")  # type: ignore[attr-defined]
    page.click("#unlinked-list button >> nth=0")  # type: ignore[attr-defined]
    assert page.inner_text("#panel h2")  # type: ignore[attr-defined]
    assert opened.requests == [] and opened.errors == []
    page.screenshot(path=str(screenshot_dir() / "unlinked.png"))  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
