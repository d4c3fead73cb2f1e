"""newsgraph train: labelling candidate pairs from gold, fitting, cross-validation, use in build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graph.errors import InputError
from graph.extract.relmodel import NONE, RelationModel
from graph.train import calibration_table, folds_of, load_corpus, train

PEOPLE = [("Anna Berg", "Norland Mining"), ("Omar Diallo", "Sahel Freight"), ("Li Wen", "Harbor Textiles"),
          ("Maria Lopez", "Andes Coffee"), ("Tom Hale", "Ridge Steel"), ("Ravi Nair", "Coastal Fisheries"),
          ("Sara Holm", "Baltic Timber"), ("Ken Ito", "Pacific Rail")]


def _corpus(root: Path) -> tuple[Path, Path]:
    docs, gold = root / "docs", root / "gold"
    docs.mkdir()
    gold.mkdir()
    for i, (person, company) in enumerate(PEOPLE):
        sentence = f"{person}, the chairman of {company}, visited Kenya on Monday."
        other = f"The company {company} opened an office in Nairobi last year."
        (docs / f"{i:03d}_doc.txt").write_text(f"{sentence} {other}\n", encoding="utf-8")
        (gold / f"{i:03d}_doc.tsv").write_text(f"{person}\tleads\t{company}\t{sentence}\n", encoding="utf-8")
    return docs, gold


def test_pairs_are_labelled_from_gold(tmp_path: Path, rules_nlp) -> None:
    docs, gold = _corpus(tmp_path)
    prepared = load_corpus([docs], [gold], nlp=rules_nlp)
    assert [p.stem for p in prepared] == [f"{i:03d}_doc" for i in range(len(PEOPLE))]
    for p in prepared:
        positive = [(x.subject.text, x.obj.text) for x, label in zip(p.pairs, p.labels, strict=True) if label == "leads"]
        assert positive and all(s in {pp for pp, _ in PEOPLE} for s, _ in positive)
        assert p.reachable == 1
        assert NONE in p.labels


def test_train_cross_validates_and_writes_a_model(tmp_path: Path, rules_nlp) -> None:
    docs, gold = _corpus(tmp_path)
    result = train([docs], [gold], tmp_path / "model", folds=2, nlp=rules_nlp)
    assert result.path == tmp_path / "model" / "relation_model.npz" and result.path.is_file()
    assert result.cv is not None and result.model.threshold == result.cv.best_threshold
    assert result.cv.report.f1("relaxed") > 0.5  # the pattern is learnt from the other fold
    again = train([docs], [gold], tmp_path / "model2", folds=0, nlp=rules_nlp)
    first, second = RelationModel.load(result.path), RelationModel.load(again.path)
    assert first.features == second.features and np.array_equal(first.coef, second.coef)  # deterministic


def test_folds_are_by_document_and_cover_everything() -> None:
    items = list(range(11))
    folds = folds_of(items, 5)  # type: ignore[arg-type]
    assert sorted(x for f in folds for x in f) == items
    assert all(not (set(a) & set(b)) for i, a in enumerate(folds) for b in folds[i + 1:])


def test_no_matching_gold_is_an_input_error(tmp_path: Path, rules_nlp) -> None:
    docs, _ = _corpus(tmp_path)
    empty = tmp_path / "nogold"
    empty.mkdir()
    with pytest.raises(InputError, match="no gold"):
        load_corpus([docs], [empty], nlp=rules_nlp)


def test_calibration_table_bands() -> None:
    rows = calibration_table([(0.25, True), (0.28, False), (0.95, True)])
    assert rows[0][:2] == ("0.2-0.3", 2) and rows[0][3] == 0.5
    assert rows[-1][0] == "0.9-1.0" and rows[-1][3] == 1.0


@pytest.mark.slow
def test_cli_train_then_build_with_the_model(tmp_path: Path) -> None:
    docs, gold = _corpus(tmp_path)
    model = tmp_path / "m"
    out = subprocess.run([sys.executable, "-m", "graph", "train", str(docs), str(gold), "-o", str(model), "--folds", "2"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "threshold" in out.stdout and "leads" in out.stdout and (model / "relation_model.npz").is_file()
    new = tmp_path / "new"
    new.mkdir()
    (new / "x.txt").write_text("Eva Stone, the chairman of Delta Plastics, visited Ghana on Friday.\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "graph", "build", str(new), "--out", str(tmp_path / "o"),
                            "--relation-model", str(model), "--no-html"], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    ttl = (tmp_path / "o" / "graph.ttl").read_text(encoding="utf-8")
    assert "ng:leads" in ttl and 'ng:extractor "model' in ttl
    bad = subprocess.run([sys.executable, "-m", "graph", "build", str(new), "--out", str(tmp_path / "o2"),
                          "--relation-model", str(tmp_path / "missing")], capture_output=True, text=True, timeout=600)
    assert bad.returncode == 2 and "relation model not found" in bad.stderr


def test_cross_validation_trains_on_extra_documents_but_never_scores_them(tmp_path: Path, rules_nlp, monkeypatch) -> None:
    import graph.train as train_module

    docs, gold = _corpus(tmp_path)
    prepared = load_corpus([docs], [gold], nlp=rules_nlp)
    main, extra = prepared[:4], prepared[4:]
    seen: list[set[str]] = []
    real_fit = train_module.fit

    def fit(rows, **kw):
        rows = list(rows)
        seen.append({p.stem for p in rows})
        return real_fit(rows, **kw)

    monkeypatch.setattr(train_module, "fit", fit)
    cv = train_module.cross_validate(main, k=2, extra=extra)
    extra_stems, folds = {p.stem for p in extra}, train_module.folds_of(main, 2)
    assert [s - extra_stems for s in seen] == [{p.stem for p in main} - {p.stem for p in f} for f in folds]
    assert all(extra_stems <= s for s in seen)
    assert cv.report.overall["relaxed"].gold == len(main)  # only the main corpus is scored


def test_a_pair_carrying_two_gold_triples_gets_both_labels(tmp_path: Path, rules_nlp) -> None:
    from graph.train import fit, gold_matches, labels_of

    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    sentence = "Police rescued 40 Kenyan workers trafficked from Kenya to Myanmar."
    (docs / "a.txt").write_text(sentence + "\n", encoding="utf-8")
    (gold / "a.tsv").write_text(f"Kenyan workers\tnationality\tKenya\t{sentence}\n"
                                f"Kenyan workers\ttrafficked_from\tKenya\t{sentence}\n", encoding="utf-8")
    [p] = load_corpus([docs], [gold], nlp=rules_nlp)
    matches = gold_matches(p.extraction, p.pairs, p.gold)
    labels, more, reachable = labels_of(matches, p.gold)
    assert reachable == 1  # the first label of a pair counts (as the README's reachable figure)
    assert more and all({labels[i], relation} == {"nationality", "traffickedFrom"} for i, relation in more)
    assert p.more == more and p.labels == labels
    single, multi = fit([p]), fit([p], multi_label=True)
    assert multi.meta["rows"] == single.meta["rows"] + len(more) and multi.meta["multi_label"]


def test_error_analysis_puts_each_miss_in_one_category(tmp_path: Path, rules_nlp) -> None:
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("benchmarks.error_analysis", root / "benchmarks" / "error_analysis.py")
    assert spec is not None and spec.loader is not None
    ea = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ea)
    docs, gold = _corpus(tmp_path)
    person, company = PEOPLE[0]
    with (gold / "000_doc.tsv").open("a", encoding="utf-8") as fh:
        fh.write(f"Zed Quill\tworks_for\t{company}\tZed Quill works there.\n")  # named nowhere in the text
        fh.write(f"{person}\toperates_in\tNairobi\tThe company opened an office in Nairobi last year.\n")
    [p] = [x for x in load_corpus([docs], [gold], nlp=rules_nlp) if x.stem == "000_doc"]
    missed, _ = ea.analyse_document(p, p.extraction, 0.0, 0.0)  # the rules' claims as the prediction
    cats = {(g.subject, g.relation): cat for cat, g, _ in missed}
    assert cats[("Zed Quill", "works_for")] == "a"
    assert cats[(person, "operates_in")] == "b2"  # the person and Nairobi never share a sentence
    assert all(cat in ea.MISS_ORDER for cat in cats.values())
