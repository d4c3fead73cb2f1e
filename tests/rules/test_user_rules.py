"""A rules file's demonym, title and country alias reach every stage: extract (entities,
frames, structural), resolve (linking, coreference, titles) and the RDF graph, through the
library and through ``newsgraph build --rules`` (issue 10: "forty-two Wakandans" had no
nationality because structural and linking read the default tables only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import SKOS, Literal

from graph.extract import extract, load_nlp, pipeline_rules
from graph.model import Document, EntityType, Extraction, Mention
from graph.pipeline import build_dataset, union_graph
from graph.rdf.namespaces import NG, entity_iri, relation_iri
from graph.resolve import resolve
from graph.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = """\
# invented for the tests: a demonym, a title and a country alias of no real country
[demonyms]
"Wakandan" = "KE"

[country_aliases]
"Wakanda" = "KE"

[country_names]
"Zamunda" = "NG"

[titles]
words = ["grand", "vizier"]
roles = ["Grand Vizier"]
leaders = ["grand vizier"]

[acronyms]
"WNLF" = "Wakanda National Liberation Front"
"""
STORIES = {
    "rescue.txt": "Forty-two Wakandans were rescued from a scam compound in Myawaddy and flown home to Wakanda on Monday.\n",
    "vizier.txt": "Grand Vizier Okoye of Wakanda met Thai officials in Bangkok on Monday.\n",
    "government.txt": "The Wakanda government said it would repatriate the workers.\n",
}
KE = entity_iri("Country/KE")


@pytest.fixture(scope="module")
def rules_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wakanda")
    path = folder / "wakanda.toml"
    path.write_text(RULES, encoding="utf-8")
    for name, text in STORIES.items():
        (folder / "news").mkdir(exist_ok=True)
        (folder / "news" / name).write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wakanda_nlp(rules_file):
    return load_nlp(rules=[rules_file])


def _check_graph(has) -> None:
    """The three facts the rules file makes reachable, asked through ``has(s, p, o)``
    (``None`` matches anything)."""
    # the demonym: "Forty-two Wakandans" have a nationality (structural, plural demonym)
    assert has(None, relation_iri("nationality"), KE)
    # the title: Okoye's role, and he leads the country named with it (structural leads)
    okoye = entity_iri("Person/okoye")
    assert has(okoye, NG.role, Literal("Grand Vizier"))
    assert has(okoye, relation_iri("leads"), KE)
    # the country alias reaches the resolver: "the Wakanda government" is Kenya
    assert has(KE, SKOS.altLabel, Literal("Wakanda government"))


def test_build_with_rules_puts_nationality_title_and_alias_in_the_graph(rules_file, wakanda_nlp):
    dataset, report = build_dataset([rules_file.parent / "news"], nlp=wakanda_nlp)
    assert report.documents == 3 and report.problems == []
    graph = union_graph(dataset)
    _check_graph(lambda s, p, o: (s, p, o) in graph)


def test_cli_build_rules_reaches_the_graph(rules_file, tmp_path):
    out = tmp_path / "out"
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "graph", "-q", "build", str(rules_file.parent / "news"), "--rules", str(rules_file),
         "--out", str(out), "--no-html"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": path}, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)  # parsed back by Oxigraph, not rdflib

    def has(s, p, o) -> bool:
        def term(x):
            if x is None:
                return None
            return ox.Literal(str(x)) if isinstance(x, Literal) else ox.NamedNode(str(x))
        return next(iter(store.quads_for_pattern(term(s), term(p), term(o))), None) is not None

    _check_graph(has)


def test_without_the_rules_file_none_of_it_is_there(nlp, rules_file):
    """The same stories with the default rules: no Wakandan nationality, no role (so the
    facts above come from the file)."""
    graph = union_graph(build_dataset([rules_file.parent / "news"], nlp=nlp)[0])
    assert (None, relation_iri("nationality"), KE) not in graph
    assert (entity_iri("Person/okoye"), NG.role, Literal("Grand Vizier")) not in graph


def test_the_rules_travel_with_the_extraction(wakanda_nlp, rules_file):
    rules = pipeline_rules(wakanda_nlp)
    assert rules is load_rules([rules_file])
    for name in ("newsgraph_entities", "newsgraph_relations", "newsgraph_structural"):
        component = wakanda_nlp.get_pipe(name)
        assert component.rules is rules  # one merged object for every component
    assert ("wakandans",) in wakanda_nlp.get_pipe("newsgraph_structural").demonyms
    doc = Document(key="g", text=STORIES["government.txt"], source="-")
    extraction = next(extract(wakanda_nlp, [doc]))
    assert extraction.rules is rules


def _lone_mention(text: str, rules, etype: EntityType = EntityType.PLACE, label: str = "GPE") -> str | None:
    """The entity key the resolver gives a name the tagger left unlinked (an NER place)."""
    doc = Document(key="m", text=text, source="-")
    mention = Mention(doc.id, 0, len(text), text, etype, label=label)
    resolved = resolve(Extraction(doc, [mention], [], [(0, len(text))], rules=rules))
    return resolved.mention_entity.get(mention.span)


def test_resolver_links_with_the_extractions_rules(rules_file):
    rules = load_rules([rules_file])
    assert _lone_mention("Zamunda", rules) == "Country/NG"  # [country_names]
    assert _lone_mention("the Wakandan government", rules) == "Country/KE"  # demonym in a government metonym
    assert _lone_mention("the government of Wakanda", rules) == "Country/KE"  # country alias
    wnlf = _lone_mention("WNLF", rules, EntityType.ORGANIZATION, "ORG")
    assert wnlf == "Organization/wakanda national liberation front"  # [acronyms]
    assert _lone_mention("WNLF", None, EntityType.ORGANIZATION, "ORG") == "Organization/wnlf"
    assert _lone_mention("Zamunda", None) != "Country/NG"  # default rules: unknown
    assert _lone_mention("the Wakandan government", None) != "Country/KE"


def test_two_pipelines_with_different_rules_in_one_process(wakanda_nlp, tmp_path):
    """A second load_nlp(rules=...) in the same process changes nothing of the first."""
    other = tmp_path / "atlantis.toml"
    other.write_text('[demonyms]\n"Wakandan" = "NG"\n"Atlantean" = "GR"\n', encoding="utf-8")
    atlantis_nlp = load_nlp(rules=[other], relation_model="none")
    text = STORIES["rescue.txt"].replace("Wakanda on", "Nigeria on")

    def nationality(nlp) -> set[str]:
        extraction = next(extract(nlp, [Document(key="r", text=text, source="-")]))
        resolved = resolve(extraction)
        return {resolved.mention_entity.get(c.obj.span) for c in resolved.claims
                if c.relation == "nationality" and isinstance(c.obj, Mention)}

    assert nationality(atlantis_nlp) == {"Country/NG"}
    assert "Atlantean" not in pipeline_rules(wakanda_nlp).demonyms
    assert pipeline_rules(wakanda_nlp).demonyms["Wakandan"] == "KE"
    assert ("atlanteans",) not in wakanda_nlp.get_pipe("newsgraph_structural").demonyms
    # the first pipeline still reads its own table after the second was loaded
    first = next(extract(wakanda_nlp, [Document(key="g", text=STORIES["government.txt"], source="-")]))
    assert "Wakanda government" in resolve(first).entities["Country/KE"].aliases
