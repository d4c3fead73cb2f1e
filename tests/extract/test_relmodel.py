"""The relation model: candidate pairs, features, the linear model and its decisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.errors import ModelError
from graph.extract.relmodel import DEFAULT_MODEL, NONE, RelationModel, candidates, decide, decisions


def _pairs(doc) -> dict[tuple[str, str], dict[str, float]]:
    return {(c.subject.text, c.obj.text): c.features for c in candidates(doc)}


def test_candidates_are_ordered_pairs_of_a_sentence(run) -> None:
    doc = run("Thai police arrested 12 Chinese nationals in Bangkok. Amnesty International criticised Cambodia.")
    pairs = _pairs(doc)
    assert ("police", "Bangkok") in pairs or ("Thai police", "Bangkok") in pairs
    assert ("Amnesty International", "Cambodia") in pairs and ("Cambodia", "Amnesty International") in pairs
    # never across sentences unless a rule links them
    assert ("Amnesty International", "Bangkok") not in pairs


def test_features_name_types_path_and_rules(run) -> None:
    doc = run("Amnesty International accused Cambodia of ignoring abuses.")
    f = _pairs(doc)[("Amnesty International", "Cambodia")]
    assert f["tp=Organization>Country"] == 1.0
    assert f["lca=accuse"] == 1.0
    assert f["r=accuses"] == 1.0  # the accuse frame fired on this pair
    assert not any(k.startswith("hs=Amnesty") for k in f)  # names are not memorised
    reverse = _pairs(doc)[("Cambodia", "Amnesty International")]
    assert reverse["rr=accuses"] == 1.0 and "r=accuses" not in reverse


def _toy(threshold: float = 0.5, rule_floor: float = 0.0) -> RelationModel:
    """NONE unless 'lca=accuse' (accuses) or 'lca=lead' (leads) fires."""
    features = {"lca=accuse": 0, "lca=lead": 1}
    coef = np.array([[0.0, 4.0, 0.0], [0.0, 0.0, 4.0]], dtype=np.float32)  # classes: NONE, accuses, leads
    return RelationModel([NONE, "accuses", "leads"], features, coef, np.array([1.0, -1.0, -1.0], dtype=np.float32),
                         threshold=threshold, meta={"rule_floor": rule_floor})


def test_probabilities_are_a_softmax() -> None:
    m = _toy()
    p = m.probabilities([{"lca=accuse": 1.0}, {}, {"unknown": 1.0}])
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == 1 and p[1].argmax() == 0 and np.allclose(p[1], p[2])


def test_decide_uses_the_probability_as_confidence(run) -> None:
    doc = run("Amnesty International accused Cambodia of ignoring abuses.")
    claims = decide(candidates(doc), _toy(threshold=0.5))
    got = {(c.subject.text, c.relation, c.obj.text): c for c in claims}
    c = got[("Amnesty International", "accuses", "Cambodia")]
    expected = np.exp(3.0) / (np.exp(3.0) + np.exp(1.0) + np.exp(-1.0))
    assert c.confidence == pytest.approx(expected, abs=1e-3)
    assert c.extractor.startswith("model:")  # a rule proposed it too
    assert c.evidence.text.startswith("Amnesty International accused")
    assert decide(candidates(doc), _toy(threshold=0.99))  # the rule's claim stands (rule floor 0)
    assert not decide(candidates(doc), _toy(threshold=0.99, rule_floor=0.99))


def test_a_rule_claim_stands_unless_the_model_rules_it_out(run) -> None:
    doc = run("Amnesty International accused Cambodia of ignoring abuses.")
    cands = [c for c in candidates(doc) if c.rules]
    for c in cands:
        c.features.pop("lca=accuse", None)  # the model now sees nothing for it: p(accuses) ~ 0.11
    assert decisions(cands, _toy(threshold=0.9, rule_floor=0.05))
    assert not decisions(cands, _toy(threshold=0.9, rule_floor=0.5))
    assert not decisions(cands, _toy(threshold=0.9, rule_floor=0.05), min_confidence=0.5)


def test_negation_reaches_model_claims(run) -> None:
    doc = run("Amnesty International did not accuse Cambodia.")
    claims = decide(candidates(doc), _toy(threshold=0.5))
    assert claims and all(c.negated for c in claims if c.relation == "accuses")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    m = _toy(threshold=0.3)
    path = m.save(tmp_path / "model")
    assert path.name == "relation_model.npz"
    back = RelationModel.load(tmp_path / "model")
    assert back.classes == m.classes and back.features == m.features and back.threshold == 0.3
    assert np.array_equal(back.coef, m.coef)
    rows = [{"lca=lead": 1.0}, {"lca=accuse": 1.0}]
    assert np.allclose(back.probabilities(rows), m.probabilities(rows))


def test_a_bad_model_file_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a newsgraph relation model"):
        RelationModel.load(bad)


def test_the_shipped_model_is_in_the_default_pipeline(nlp) -> None:
    assert DEFAULT_MODEL.is_file()
    assert "newsgraph_relation_model" in nlp.pipe_names
    model = RelationModel.load(DEFAULT_MODEL)
    assert model.classes[0] == NONE and len(model.classes) > 20
    assert 0.0 < model.threshold < 1.0
    assert model.meta["documents"] >= 100  # trained on news-dev


def test_rules_only_pipeline(rules_nlp) -> None:
    assert "newsgraph_relation_model" not in rules_nlp.pipe_names


def test_confidence_is_the_calibrated_probability(run) -> None:
    doc = run("Amnesty International accused Cambodia of ignoring abuses.")
    model = _toy(threshold=0.5)
    model.meta["calibration"] = {"x": [0.0, 0.5, 1.0], "y": [0.1, 0.3, 0.5]}
    assert model.calibrated(0.75) == pytest.approx(0.4)
    (claim,) = [c for c in decide(candidates(doc), model)
                if (c.subject.text, c.relation, c.obj.text) == ("Amnesty International", "accuses", "Cambodia")]
    raw = np.exp(3.0) / (np.exp(3.0) + np.exp(1.0) + np.exp(-1.0))
    assert claim.confidence == pytest.approx(0.3 + (raw - 0.5) * 0.4, abs=1e-3)
    # --min-confidence compares with what the graph shows
    assert not [c for c in decide(candidates(doc), model, min_confidence=0.45) if c.subject.text == "Amnesty International"]


def test_isotonic_calibration_is_monotone() -> None:
    from graph.train import isotonic

    pairs = [(i / 100, i % 3 != 0 and i > 40) for i in range(100)]
    knots = isotonic(pairs)
    assert knots["x"] == sorted(knots["x"]) and knots["y"] == sorted(knots["y"])
    assert 0.01 <= knots["y"][0] and knots["y"][-1] <= 0.99


def test_a_pair_may_carry_two_relations_when_the_model_is_multi_label() -> None:
    from graph.extract.relmodel import Candidate

    features = {"x": 0}
    coef = np.array([[0.0, 3.0, 3.0]], dtype=np.float32)  # NONE, nationality, traffickedFrom
    model = RelationModel([NONE, "nationality", "traffickedFrom"], features, coef, np.zeros(3, dtype=np.float32),
                          threshold=0.3, meta={"multi_label": True})
    cand = Candidate(None, None, None, {"x": 1.0}, [])  # type: ignore[arg-type]
    assert sorted(d[1] for d in decisions([cand], model)) == ["nationality", "traffickedFrom"]
    model.meta["multi_label"] = False
    assert [d[1] for d in decisions([cand], model)] == ["nationality"]  # the argmax only
