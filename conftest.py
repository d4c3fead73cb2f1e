"""Root test configuration: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from graph.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def rules_nlp(nlp):
    """The same pipeline without the relation model: what the rules alone propose."""
    from graph.extract import load_nlp

    return load_nlp(relation_model="none")


@pytest.fixture(scope="session")
def seeds_dataset(nlp):
    """The dataset and report of building seeds/ (built once)."""
    from graph.pipeline import build_dataset

    return build_dataset([SEEDS], nlp=nlp)


@pytest.fixture(scope="session")
def seeds_graph(seeds_dataset):
    from graph.pipeline import union_graph

    return union_graph(seeds_dataset[0])
