"""Scoring rules of ``newsgraph eval`` on tiny hand-made graphs, and the seeds against gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from graph.evaluate import evaluate, leading_figure, normalize, read_gold
from graph.rdf.namespaces import DCTERMS, NG, NGR, PROV, RDF, RDFS, SKOS, relation_iri, relation_key

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"


def make_graph(doc_key: str, triples: list[tuple[str, str, str]], *, alt: dict[str, list[str]] | None = None,
               negated: set[int] = frozenset(), literal_objects: bool = False) -> Graph:
    """A graph with one document and one reified statement per triple (labels are names)."""
    g = Graph()
    tag = doc_key.replace(".", "-").replace("/", "-")
    doc = NGR["doc/" + tag]
    g.add((doc, NG.documentKey, Literal(doc_key)))
    nodes: dict[str, object] = {}

    def node(name: str):
        if name not in nodes:
            iri = NGR[f"entity/{tag}-{len(nodes)}"]
            g.add((iri, RDFS.label, Literal(name)))
            for a in (alt or {}).get(name, []):
                g.add((iri, SKOS.altLabel, Literal(a)))
            nodes[name] = iri
        return nodes[name]

    for i, (s, p, o) in enumerate(triples):
        st = NGR[f"statement/{tag}-{i}"]
        obj = Literal(o) if (literal_objects and p == "estimates") else node(o)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, node(s)))
        g.add((st, RDF.predicate, relation_iri(p)))
        g.add((st, RDF.object, obj))
        g.add((st, PROV.wasDerivedFrom, doc))
        if i in negated:
            g.add((st, NG.negated, Literal(True)))
    return g


def write_gold(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_normalize_and_figures() -> None:
    assert normalize("The Amnesty International's") == "amnesty international"
    assert normalize("the U.N.") == "u n"
    assert leading_figure("at least 53 scam centers") == 53
    assert leading_figure("as many as 100,000 people") == 100000
    assert leading_figure("Nine out of 58 survivors") == 9
    assert leading_figure("more than US$12.5 billion") == 12.5e9
    assert leading_figure("more than two-thirds of scam compounds") == pytest.approx(2 / 3)
    assert leading_figure("dozens more suspected sites") is None


def test_strict_relaxed_article_and_relation_spelling(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, "a1.tsv", (
        "Amnesty International\treports_on\tCambodia\tThe Amnesty International report ... Cambodia\n"
        "victims\ttrafficked-from\tMyanmar\twere trafficked from Myanmar\n"
        "Thailand\tclosed_border_with\tCambodia\tclosed its land border with Cambodia\n"
    ))
    g = make_graph("corpus/a1.txt", [
        ("the Amnesty International report", "reportsOn", "Cambodia"),  # relaxed only
        ("The Victims", "traffickedFrom", "Myanmar"),  # strict (article, case)
        ("Thailand", "closedBorderWith", "Laos"),  # wrong object
    ])
    report = evaluate(g, [gold])
    strict, relaxed = report.overall["strict"], report.overall["relaxed"]
    assert (strict.gold, strict.found, strict.predicted, strict.right) == (3, 1, 3, 1)
    assert (relaxed.found, relaxed.right) == (2, 2)
    assert relaxed.precision == pytest.approx(2 / 3)
    assert relaxed.recall == pytest.approx(2 / 3)
    assert report.by_relation[relation_key("trafficked_from")]["strict"].found == 1


def test_gold_and_graph_aliases(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, "b.tsv", (
        "# aliases: Amnesty International=Amnesty|the rights group; Cambodia=Cambodian government\n"
        "Amnesty International\tcalls_on\tCambodia\tIt called on the Cambodian government\n"
        "Hun Manet\tleads\tCambodia\tPrime Minister Hun Manet\n"
    ))
    g = make_graph("b.txt", [
        ("the rights group", "callsOn", "Cambodian government"),  # gold aliases, strict
        ("Manet", "leads", "Cambodia"),  # the graph's own altLabel
    ], alt={"Manet": ["Hun Manet"]})
    report = evaluate(g, [gold])
    assert report.overall["strict"].found == 2
    assert report.overall["strict"].right == 2


def test_estimates_match_on_leading_figure(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, "c.tsv", (
        "Amnesty International\testimates\tat least 53 scam centers\tin at least 53 scam centers\n"
        "United Nations\testimates\tas many as 100,000 people\taccording to the United Nations\n"
    ))
    g = make_graph("c.txt", [
        ("Amnesty International", "estimates", "53 scam centres"),
        ("United Nations", "estimates", "10,000 people"),  # other number: wrong
    ], literal_objects=True)
    report = evaluate(g, [gold])
    assert report.overall["strict"].found == 1
    assert report.overall["strict"].right == 1
    assert report.overall["relaxed"].right == 1


def test_negated_statements_and_other_documents_ignored(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, "d.tsv", "Cambodia\tdenies\tallegations\tPhnom Penh denied the allegations\n")
    g = make_graph("d.txt", [("Cambodia", "denies", "allegations"), ("Cambodia", "accuses", "Thailand")], negated={0})
    g += make_graph("other.txt", [("Cambodia", "denies", "allegations")])
    report = evaluate(g, [gold])
    assert report.overall["strict"].predicted == 1  # the negated one and other.txt's are not predictions
    assert report.overall["strict"].found == 0


def test_micro_average_over_documents_and_missing_document(tmp_path: Path) -> None:
    g1 = write_gold(tmp_path, "e1.tsv", "A\tleads\tB\tx\nA\tleads\tC\tx\n")
    g2 = write_gold(tmp_path, "e2.tsv", "D\tfunds\tE\tx\n")
    g3 = write_gold(tmp_path, "nodoc.tsv", "F\tfunds\tG\tx\n")
    g = make_graph("e1.txt", [("A", "leads", "B")]) + make_graph("e2.txt", [("D", "funds", "E"), ("D", "funds", "X")])
    report = evaluate(g, [tmp_path])
    c = report.overall["strict"]
    assert (c.gold, c.found, c.predicted, c.right) == (4, 2, 3, 2)
    assert c.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert [d.document is None for d in report.documents] == [False, False, True]
    assert {g1.name, g2.name, g3.name} == {Path(d.gold_path).name for d in report.documents}


def test_read_gold_rejects_malformed_lines(tmp_path: Path) -> None:
    from graph.errors import InputError

    bad = write_gold(tmp_path, "bad.tsv", "only two\tcolumns\n")
    with pytest.raises(InputError, match="bad.tsv: line 1"):
        read_gold(bad)


def test_gold_files_are_well_formed() -> None:
    for path in sorted(GOLD.glob("*.tsv")) + sorted((ROOT / "tests" / "heldout").glob("*.tsv")):
        gold = read_gold(path)
        assert len(gold.triples) >= 15, path
        assert all(t.evidence for t in gold.triples), path
        from graph.rdf.namespaces import NG as _NG  # every relation is in the vocabulary

        for t in gold.triples:
            assert hasattr(_NG, _camel(t.relation)), (path, t.relation)


def _camel(name: str) -> str:
    from graph.rdf.namespaces import relation_name

    return relation_name(name)


def test_eval_cli_json_and_min_f1(tmp_path: Path) -> None:
    from graph.cli import cli

    gold = write_gold(tmp_path, "f.tsv", "A\tleads\tB\tx\n")
    ttl = tmp_path / "g.ttl"
    make_graph("f.txt", [("A", "leads", "B")]).serialize(ttl, format="turtle")
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", str(ttl), str(gold), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["overall"]["strict"]["f1"] == 1.0
    res = runner.invoke(cli, ["eval", str(ttl), str(gold), "--min-f1", "1.01"])
    assert res.exit_code == 1
    res = runner.invoke(cli, ["eval", str(ttl), str(gold)])
    assert res.exit_code == 0 and "overall" in res.output


def test_seeds_against_gold(seeds_graph) -> None:
    """End to end: the seeds graph scored against the independent gold (floors measured)."""
    report = evaluate(seeds_graph, [GOLD])
    assert all(d.document for d in report.documents)
    assert report.overall["strict"].gold >= 100
    assert report.overall["relaxed"].precision >= RELAXED_P_FLOOR
    assert report.overall["relaxed"].recall >= RELAXED_R_FLOOR
    assert report.f1("relaxed") >= RELAXED_F1_FLOOR
    assert report.f1("strict") >= STRICT_F1_FLOOR


# Measured on the seeds at 13:40 UTC (relaxed P 0.86, R 0.42, F1 0.56; strict F1 0.55);
# the floors sit ~20% below so extraction work can move, but a real regression fails.
RELAXED_P_FLOOR = 0.70
RELAXED_R_FLOOR = 0.33
RELAXED_F1_FLOOR = 0.45
STRICT_F1_FLOOR = 0.44


def test_related_stories_split_from_a_page_are_not_the_main_document(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, "p.tsv", "A\tleads\tB\tx\n")
    main = make_graph("site/p.txt", [("A", "leads", "B")])
    related = make_graph("site/p.txt#related-1", [("C", "leads", "D")])
    doc = next(related.subjects(NG.documentKey, None))
    related.add((doc, NG.relatedTo, next(main.subjects(NG.documentKey, None))))
    related.add((doc, DCTERMS.source, Literal("site/p.txt")))
    report = evaluate(main + related, [gold])
    assert report.overall["strict"].predicted == 1
    assert report.overall["strict"].right == 1


def test_table_and_json_list_every_relation(tmp_path: Path) -> None:
    from rich.console import Console

    from graph.evaluate import render_table

    gold = write_gold(tmp_path, "t.tsv", "A\tleads\tB\tx\nA\tcalls_on\tC\tx\n")
    report = evaluate(make_graph("t.txt", [("A", "leads", "B"), ("A", "funds", "C")]), [gold])
    data = report.as_dict()
    assert set(data["relations"]) == {"leads", "callsOn", "funds"}
    assert data["relations"]["funds"]["strict"]["predicted"] == 1
    assert data["documents"][0]["missed"] == [["A", "calls_on", "C"]]
    assert data["documents"][0]["wrong"] == [["A", "funds", "C"]]
    console = Console(width=160, record=True)
    console.print(render_table(report))
    out = console.export_text()
    assert "callsOn" in out and "overall" in out
