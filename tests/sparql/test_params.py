"""Parameters as users type them: prefixed and local names for IRIs, labels in any case,
and a warning when a parameter matches nothing."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.rdf.namespaces import NG
from graph.sparql import Query, find_query, param_kinds, parse_params, run

REPORTS_ON = f"<{NG.reportsOn}>"


def _statements(graph, **params: str) -> set[str]:
    result = run(graph, find_query("evidence-for-relation"), parse_params(params))
    return {str(row["statement"]) for row in result}


def test_library_headers_tell_iri_and_label_parameters():
    kinds = param_kinds(find_query("evidence-for-relation"))
    assert {k: kinds[k] for k in ("subject", "relation", "object")} == {"subject": "label", "relation": "iri", "object": "label"}
    kinds = param_kinds(find_query("paths-between"))
    assert (kinds["from"], kinds["to"]) == ("label", "label")
    inline = Query("SELECT ?st WHERE { ?st rdf:predicate ?rel ; rdf:subject ?s . ?s rdfs:label ?who }", "-e")
    assert param_kinds(inline) == {"rel": "iri", "who": "label"}


@pytest.mark.parametrize("spelling", ["reportsOn", "ng:reportsOn", "reportson", REPORTS_ON,
                                      "https://w3id.org/newsgraph/ontology#reportsOn"])
def test_relation_by_local_or_prefixed_name(seeds_graph, spelling, caplog):
    expected = _statements(seeds_graph, relation=REPORTS_ON)
    assert expected
    with caplog.at_level(logging.WARNING, logger="newsgraph"):
        assert _statements(seeds_graph, relation=spelling) == expected
    assert not caplog.records


@pytest.mark.parametrize("spelling", ["amnesty", "AMNESTY INTERNATIONAL", "amnesty international"])
def test_labels_match_case_insensitively(seeds_graph, spelling):
    expected = _statements(seeds_graph, subject="Amnesty International")
    assert expected and _statements(seeds_graph, subject=spelling) == expected


def test_pasted_short_iri_is_accepted_as_parameter(seeds_graph):
    q = Query("SELECT ?code WHERE { ?c ng:iso3166 ?code }", "-e")
    for spelling in ("ngr:country/kh", "ngr:country\\/kh", "<https://w3id.org/newsgraph/id/country/kh>"):
        assert [str(r[0]) for r in run(seeds_graph, q, parse_params({"c": spelling}))] == ["KH"]


@pytest.mark.parametrize("param, why", [
    ("subject=Nobody Atall", "no entity has this label or alias"),
    ("relation=noSuchRelation", "not an ng: class or relation"),
    ("relation=ng:noSuchRelation", "matches nothing in the graph"),
    ("relation=foo:bar", "unknown prefix foo:"),
])
def test_a_parameter_that_matches_nothing_is_a_warning(seeds_graph, tmp_path, param, why):
    from graph.formats import serialize

    ttl = tmp_path / "g.ttl"
    ttl.write_bytes(serialize(seeds_graph, "turtle"))
    done = CliRunner().invoke(cli, ["query", str(ttl), "evidence-for-relation", "-p", param, "-f", "csv"])
    assert done.exit_code == 0
    assert done.stdout.count("\n") == 1  # the header only
    warning = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warning) == 1 and param.split("=")[0] in warning[0] and why in warning[0], done.stderr


def test_matching_parameters_give_no_warning(seeds_graph, caplog):
    with caplog.at_level(logging.WARNING, logger="newsgraph"):
        assert _statements(seeds_graph, subject="Amnesty", relation="reportsOn", object="cambodia")
    assert not caplog.records


def test_a_label_parameter_stays_a_literal(seeds_graph):
    # "ng:x" given for a label is text, not an IRI: it matches no label and says so
    q = find_query("evidence-for-relation")
    assert not list(run(seeds_graph, q, parse_params({"subject": "ng:reportsOn"})))


def test_a_figure_value_for_object_is_not_reported(seeds_graph, caplog):
    figures = sorted(str(o) for o in seeds_graph.objects(None, NG.estimates))
    assert figures
    with caplog.at_level(logging.WARNING, logger="newsgraph"):
        rows = _statements(seeds_graph, object=figures[0])
    assert rows and not caplog.records
