"""Name folding and place linking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.resolve.linking import capital_of, fold, link_place


@pytest.mark.parametrize(
    "name, key",
    [
        ("Phnom Penh", "phnom penh"),
        ("The Hague", "hague"),
        ("the  Bronx", "bronx"),
        ("Cambodia's", "cambodia"),
        ("St. Louis", "st. louis"),
        ("Al-Hasakah", "al-hasakah"),
        ("Thebes", "thebes"),
        ("The", "the"),
        ("  Yangon ", "yangon"),
        ("São Paulo", "sao paulo"),
        ("Myawaddy (Myawadi)", "myawaddy myawadi"),
    ],
)
def test_fold(name: str, key: str) -> None:
    assert fold(name) == key


@given(st.text(alphabet="AaTtHhEe .-'s_x9()\t", max_size=14))
def test_fold_fast_path_agrees_with_the_full_rules(name: str) -> None:
    """Plain names skip the regexes; the result must be what the full rules give."""
    import re

    from graph.resolve.linking import _ARTICLE, _PUNCT

    text = re.sub(r"'s$", "", name.strip())
    text = _ARTICLE.sub("", text).lower()
    assert fold(name) == " ".join(_PUNCT.sub(" ", text).split())


def test_link_place_alternate_names_and_capitals() -> None:
    yangon = link_place("Rangoon")
    assert yangon is not None and yangon.geonames == "1298824" and yangon.country == "MM"
    paris = link_place("Paris", {"FR"})
    assert paris is not None and paris.country == "FR"
    assert capital_of("Phnom Penh") == "KH"
    assert link_place("Xyzzyville") is None
