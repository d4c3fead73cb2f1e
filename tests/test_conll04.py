"""The CoNLL04 benchmark's typed strict metric and its gold converter, on a made-up sentence."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from graph.evaluate import read_gold
from graph.model import Claim, EntityType, Mention

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(f"benchmarks.{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


conll04 = _load("conll04")
conll04_gold = _load("conll04_gold")

# A made-up sentence in the Table-Sequence format; "Planet." keeps its period as CoNLL04 tokens do.
TOKENS = ["Ana", "Lima", ",", "a", "reporter", "for", "the", "Daily", "Planet.", "lives", "in", "Lisbon", "."]
RECORD = {
    "tokens": TOKENS,
    "entities": [[0, 2, "Peop"], [7, 9, "Org"], [11, 12, "Loc"]],
    "relations": [[0, 2, 7, 9, "Work_For"], [0, 2, 11, 12, "Live_In"], [0, 2, 11, 12, "Live_In"]],
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "conll04"
    folder.mkdir()
    for name in conll04.SPLIT_FILES.values():
        (folder / name).write_text(json.dumps([RECORD, {**RECORD, "relations": []}]), encoding="utf-8")
    return folder


def _mention(text: str, phrase: str, etype: EntityType) -> Mention:
    start = text.index(phrase)
    return Mention("d", start, start + len(phrase), phrase, etype)


def test_typed_strict_needs_spans_types_and_label(data: Path) -> None:
    sentence = conll04.read_split(data / conll04.SPLIT_FILES["dev"])[0]
    text = sentence.text
    ana = _mention(text, "Ana Lima", EntityType.PERSON)
    planet = _mention(text, "Daily Planet", EntityType.ORGANIZATION)  # inside the token "Planet."
    lisbon = _mention(text, "Lisbon", EntityType.PLACE)

    def claim(s: Mention, rel: str, o: Mention, **kw) -> Claim:
        return Claim("d", s, rel, o, 0, len(text), 0.9, "test", **kw)

    right = [claim(ana, "worksFor", planet), claim(ana, "livesIn", lisbon)]
    wrong = [
        claim(_mention(text, "Lima", EntityType.PERSON), "worksFor", planet),  # subject span too short
        claim(ana, "worksFor", _mention(text, "Daily Planet", EntityType.PLACE)),  # object typed Loc
        claim(ana, "basedIn", lisbon),  # wrong relation
    ]
    ignored = [claim(ana, "kills", lisbon, negated=True), claim(ana, "leads", planet)]  # negated; unmapped
    preds = conll04.predicted_typed([*right, *wrong, *ignored], False, sentence)
    assert len(sentence.typed) == 2  # the duplicate gold relation counts once
    results = conll04.score_typed([(preds, sentence.typed)])
    total = results["ALL"]
    assert (total.gold, total.predicted, total.right) == (2, 5, 2)
    assert results["Work_For"].predicted == 3 and results["Work_For"].right == 1
    assert results["OrgBased_In"].right == 0
    # --implied counts "leads" under Work_For: the same span pair is then one prediction
    assert conll04.score_typed([(conll04.predicted_typed([*right, ignored[1]], True, sentence), sentence.typed)])[
        "ALL"].predicted == 2
    assert conll04.macro_f1(results) == pytest.approx((2 * (1 / 3) / (1 / 3 + 1) + 1.0) / 5)


def test_converter_writes_documents_and_gold_that_eval_reads(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "conll-train"
    assert conll04_gold.main([str(out), "--data", str(data)]) == 0
    docs, gold = sorted((out / "docs").iterdir()), sorted((out / "gold").iterdir())
    assert [p.name for p in docs] == ["train_0000.txt", "train_0001.txt"]
    assert [p.name for p in gold] == ["train_0000.tsv", "train_0001.tsv"]
    assert docs[0].read_text(encoding="utf-8") == " ".join(TOKENS) + "\n"
    parsed = read_gold(gold[0])
    assert [(t.subject, t.relation, t.obj) for t in parsed.triples] == [
        ("Ana Lima", "worksFor", "Daily Planet."),
        ("Ana Lima", "livesIn", "Lisbon"),
    ]
    assert all(t.evidence == " ".join(TOKENS) for t in parsed.triples)
    assert read_gold(gold[1]).triples == []


def test_converter_refuses_the_repository_and_bad_files(data: Path, tmp_path: Path, capsys) -> None:
    inside = ROOT / "benchmarks" / "conll-out-test"
    assert conll04_gold.main([str(inside), "--data", str(data)]) == 2
    assert not inside.exists()
    assert "inside the repository" in capsys.readouterr().err
    (data / conll04.SPLIT_FILES["dev"]).write_text('[{"tokens": ["a"], "relations": [[0, 1, 0, 5, "Kill"]]}]')
    assert conll04_gold.main([str(tmp_path / "out"), "--data", str(data), "--split", "dev"]) == 2
    err = capsys.readouterr().err
    assert "valid.CoNLL04.json: sentence 0" in err and err.count("\n") == 1
    assert not (tmp_path / "out" / "gold").exists()
    (data / conll04.SPLIT_FILES["test"]).write_text("not json")
    assert conll04_gold.main([str(tmp_path / "out"), "--data", str(data), "--split", "test"]) == 2
    assert "test.CoNLL04.json: not a CoNLL04 JSON file" in capsys.readouterr().err


def test_partial_labels_keep_only_what_conll04_annotates() -> None:
    from graph.train import PairRow, Prepared, RuleInfo

    def pair(tp: str, *rules: str) -> PairRow:
        m = Mention("d", 0, 1, "x", EntityType.PERSON)
        return PairRow(m, m, (0, 1), {f"tp={tp}": 1.0}, [RuleInfo(r, False, False, 0.5, "test") for r in rules])

    rows = [
        (pair("Person>Organization"), "NONE"),  # could be Work_For: a real negative
        (pair("Person>Organization", "memberOf"), "NONE"),  # a relation CoNLL04 does not annotate: unknown
        (pair("Organization>Organization"), "NONE"),  # no CoNLL04 relation joins these types: unknown
        (pair("Person>Organization", "leads"), "worksFor"),  # CoNLL04's Work_For for a leader
        (pair("Person>Country", "nationality"), "livesIn"),  # CoNLL04's Live_In for a nationality
        (pair("Person>Place"), "livesIn"),
    ]
    prep = Prepared("train_0000", None, [r for r, _ in rows], None, [label for _, label in rows], 3)  # type: ignore[arg-type]
    out = conll04_gold.partial_labels([prep])[0]
    assert [(next(iter(p.features)), label) for p, label in zip(out.pairs, out.labels, strict=True)] == [
        ("tp=Person>Organization", "NONE"),
        ("tp=Person>Organization", "leads"),
        ("tp=Person>Country", "nationality"),
        ("tp=Person>Place", "livesIn"),
    ]
    assert prep.labels[3] == "worksFor"  # the input is left as it was
