"""The investigative query library (queries/*.rq): headers, parsing, and answers.

Answers are checked on a hand-made corpus in the real RDF shape (``library_corpus``), whose
relations are known; every query must also run on the graph of seeds/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from graph.sparql import Query, parse_params, run
from tests.sparql.library_corpus import corpus_graph

LIBRARY = Path(__file__).resolve().parents[2] / "queries"
QUERIES = sorted(LIBRARY.glob("*.rq"))


@pytest.fixture(scope="module")
def corpus() -> Graph:
    return corpus_graph()


def rows(graph: Graph, name: str, **params: str) -> list[dict[str, str]]:
    """Run a library query by file name; rows as {variable: str(value)} (unbound left out)."""
    path = LIBRARY / f"{name}.rq"
    result = run(graph, Query(path.read_text(encoding="utf-8"), str(path)), parse_params(params))
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


def test_library_has_at_least_12_queries() -> None:
    assert len(QUERIES) >= 12, [q.name for q in QUERIES]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_header_and_parse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = text[: text.index("PREFIX")]
    for key in ("# title:", "# description:", "# params:", "# example:"):
        assert key in header, f"{path.name}: header lacks {key}"
    assert all(line.startswith("#") for line in header.strip().splitlines())
    prepareQuery(text)  # declares its own prefixes: runs on any SPARQL engine
    params_block = header[header.index("# params:") : header.index("# example:")]
    declared = re.findall(r"^#\s{2,}(\w+)\s", params_block, re.M)
    for name in declared:
        assert f"?{name}" in text.split("PREFIX", 1)[1], f"{path.name}: parameter {name} unused"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_runs_on_seeds(path: Path, seeds_graph: Graph) -> None:
    result = run(seeds_graph, Query(path.read_text(encoding="utf-8"), str(path)))
    assert result.type == "SELECT"
    list(result)


def test_every_query_runs_from_the_cli_as_csv(seeds_graph: Graph, tmp_path: Path) -> None:
    from graph.cli import cli

    graph_file = tmp_path / "graph.ttl"
    seeds_graph.serialize(graph_file, format="turtle")
    for path in QUERIES:
        res = CliRunner().invoke(cli, ["query", str(graph_file), str(path), "--format", "csv"])
        assert res.exit_code == 0, (path.name, res.output)
        assert res.output.splitlines()[0].split(",")[0], path.name  # a header row


def test_trafficking_routes(corpus: Graph) -> None:
    out = rows(corpus, "trafficking-routes")
    routes = {(r.get("originLabel"), r.get("destinationLabel")): r for r in out}
    for origin in ("Myanmar", "Thailand", "China", "Vietnam", "Taiwan"):
        assert (origin, "Cambodia") in routes
    china = routes[("China", "Cambodia")]
    assert china["victimGroups"] == "2" and china["documents"] == "2"
    assert "Chinese workers were trafficked from China to Cambodia" in china["evidences"]
    assert out[0]["originLabel"] == "China"  # best supported route first


def test_victim_origins(corpus: Graph) -> None:
    out = {r["originLabel"]: r for r in rows(corpus, "victim-origins")}
    assert set(out) == {"Myanmar", "Thailand", "China", "Vietnam", "Taiwan"}
    assert set(out["China"]["knownBy"].split()) == {"traffickedFrom", "nationality"}
    assert out["China"]["victimGroups"] == "2"


def test_accusations_network_flags_negation(corpus: Graph) -> None:
    out = rows(corpus, "accusations-network")
    got = {(r["actorLabel"], r["relation"], r["targetLabel"], r["negated"]) for r in out}
    assert ("Amnesty International", "accuses", "Cambodia", "false") in got
    assert ("Amnesty International", "criticizes", "Cambodia", "false") in got
    assert ("Amnesty International", "accuses", "Laos", "true") in got  # "did not accuse": kept, flagged
    assert all(r["date"] for r in out)


def test_who_reports_on_country(corpus: Graph) -> None:
    out = rows(corpus, "who-reports-on-country")
    assert [(r["reporterLabel"], r["countryLabel"]) for r in out] == [("Amnesty International", "Cambodia")]


def test_compounds_and_facilities(corpus: Graph) -> None:
    out = {r["facilityLabel"]: r for r in rows(corpus, "compounds-and-facilities")}
    assert out["KK Park"]["locatedIn"] == "Myawaddy"
    assert out["KK Park"]["runBy"] == "criminal gangs"


def test_leadership(corpus: Graph) -> None:
    out = {(r["personLabel"], r["relation"], r["organisationLabel"]): r for r in rows(corpus, "leadership-and-employment")}
    assert out[("Hun Manet", "leads", "Cambodia")]["roles"] == "Prime Minister"
    assert ("Agnes Callamard", "leads", "Amnesty International") in out


def test_state_actions(corpus: Graph) -> None:
    out = rows(corpus, "state-actions")
    actions = {(r["actorLabel"], r["action"], r.get("targetLabel") or r.get("target")) for r in out}
    assert ("Thailand", "closedBorderWith", "Cambodia") in actions
    assert ("United Kingdom", "sanctions", "Chen Zhi") in actions
    assert ("police", "arrests", "771 individuals") in actions
    assert not any(a == "raids" for _, a, _ in actions)  # hedged ("may have raided")
    assert [r["date"] for r in out] == sorted(r["date"] for r in out)


def test_figures_claimed(corpus: Graph) -> None:
    out = {r["figure"]: r for r in rows(corpus, "figures-claimed")}
    assert set(out) == {"423 victims", "58 survivors interviewed"}
    assert out["423 victims"]["sourceLabel"] == "Amnesty International"


def test_conflicting_figures(corpus: Graph) -> None:
    out = rows(corpus, "conflicting-figures")
    assert len(out) == 1
    pair = {out[0]["figureA"], out[0]["figureB"]}
    assert pair == {"423 victims", "58 survivors interviewed"}
    assert out[0]["sourceLabel"] == "Amnesty International"
    assert out[0]["docA"] != out[0]["docB"]


def test_evidence_for_relation_by_label_or_alias(corpus: Graph) -> None:
    by_label = rows(corpus, "evidence-for-relation", subject="Amnesty International")
    by_alias = rows(corpus, "evidence-for-relation", subject="Amnesty")
    assert {r["relation"].rsplit("#")[-1] for r in by_label} >= {"accuses", "reportsOn", "estimates", "criticizes"}
    assert {r["statement"] for r in by_alias} == {r["statement"] for r in by_label}
    one = rows(corpus, "evidence-for-relation", subject="Amnesty International",
               relation="<https://w3id.org/newsgraph/ontology#reportsOn>", object="Cambodia")
    assert len(one) == 1
    row = one[0]
    assert row["evidence"] == "Amnesty International accused Cambodia of complicity and reports on Cambodia."
    assert int(row["end"]) - int(row["start"]) == len(row["evidence"])
    assert row["negated"] == "false" and row["docTitle"] == "Amnesty: scam compounds in Cambodia"
    assert rows(corpus, "evidence-for-relation", subject="Nobody at all") == []


def test_evidence_parameter_is_a_term_not_text(corpus: Graph) -> None:
    hostile = 'x" } UNION { ?s ?p ?o } #'
    assert rows(corpus, "evidence-for-relation", subject=hostile) == []


def test_most_mentioned_entities(corpus: Graph) -> None:
    out = rows(corpus, "most-mentioned-entities")
    assert out[0]["label"] == "Amnesty International" and out[0]["documents"] == "2"
    assert out[0]["type"] == "Organization"
    docs = [int(r["documents"]) for r in out]
    assert docs == sorted(docs, reverse=True)


def test_paths_between(corpus: Graph) -> None:
    out = rows(corpus, "paths-between", **{"from": "Wang Xing", "to": "Myawaddy"})
    assert [(r["hops"], r["relation1"], r["via1Label"], r["relation2"]) for r in out] == [
        ("2", "rescuedFrom", "KK Park", "locatedIn")
    ]
    direct = rows(corpus, "paths-between", **{"from": "Cambodia", "to": "Hun Manet"})
    assert ("1", "<-", "leads") in {(r["hops"], r["direction1"], r["relation1"]) for r in direct}
    # a negated claim is not a path: Amnesty "did not accuse" Laos
    assert rows(corpus, "paths-between", **{"from": "Amnesty", "to": "Laos"}) == []
