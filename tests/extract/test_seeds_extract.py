"""Issue requirements on the seed articles (built once by the session fixtures)."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, Literal

from graph.model import Document
from graph.rdf.namespaces import NG

ROOT = Path(__file__).resolve().parents[2]


def _has(graph, subject_label: str, prop, object_label: str) -> bool:
    subjects = set(graph.subjects(RDFS.label, Literal(subject_label)))
    objects = set(graph.subjects(RDFS.label, Literal(object_label)))
    return any((s, prop, o) in graph for s in subjects for o in objects)


def test_amnesty_reports_on_cambodia(seeds_graph):
    assert _has(seeds_graph, "Amnesty International", NG.reportsOn, "Cambodia")


def test_thailand_closed_border_with_cambodia(seeds_graph):
    assert _has(seeds_graph, "Thailand", NG.closedBorderWith, "Cambodia")


def test_victims_trafficked_from_five_countries(nlp):
    from graph.extract import extract

    path = ROOT / "seeds" / "000_7f265de9ba8cc80a.txt"
    (ex,) = list(extract(nlp, [Document(key=path.name, text=path.read_text(encoding="utf-8"), source=str(path))]))
    origins = {
        c.obj.normalized or c.obj.text
        for c in ex.claims
        if c.relation == "traffickedFrom" and c.subject.type.value == "Group" and not isinstance(c.obj, str)
    }
    assert len(origins & {"Myanmar", "Thailand", "China", "Vietnam", "Taiwan"}) >= 4


def test_seed_claims_have_evidence_and_extractor(seeds_dataset):
    report = seeds_dataset[1]
    assert report.relations > 20
