"""graph.rules: one loader that reads and merges every rules file once, into immutable tables."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from graph.errors import RulesError
from graph.rules import DEFAULT_FILES, RULES_DIR, default_rules, load_rules

WAKANDA = """
[demonyms]
"Wakandan" = "KE"

[country_aliases]
"Wakanda" = "KE"

[groups]
heads = ["poacher"]

[titles]
words = ["vizier"]
roles = ["Grand Vizier"]
"""


@pytest.fixture
def wakanda(tmp_path: Path) -> Path:
    path = tmp_path / "wakanda.toml"
    path.write_text(WAKANDA, encoding="utf-8")
    return path


def test_defaults_hold_every_shared_table():
    rules = default_rules()
    assert rules.demonyms["Cambodian"] == "KH"
    assert rules.country_aliases["Burma"] == "MM"
    assert rules.country_names["england"] == "GB"  # the resolver's names, kept out of the tagger's table
    assert "england" not in {k.lower() for k in rules.country_aliases}
    assert rules.country_labels["GB"] == "United Kingdom"
    assert "prime minister" in rules.words("titles", "leaders")
    assert rules.ordered("titles", "roles")[:2] == ("Deputy Prime Minister", "Prime Minister")
    assert "government" in rules.words("government", "nouns")
    assert {"poach", "traffic"} & {lemma for _, f in rules.frames for lemma in f["lemmas"]}
    assert [Path(p).name for p in rules.sources] == [*DEFAULT_FILES, "acronyms.tsv"]
    assert rules.acronyms["UNODC"] == "United Nations Office on Drugs and Crime"  # acronyms.tsv


def test_user_file_is_merged_after_the_defaults(wakanda):
    rules = load_rules([wakanda])
    assert rules.demonyms["Wakandan"] == "KE" and rules.demonyms["Cambodian"] == "KH"
    assert rules.country_aliases["Wakanda"] == "KE"
    heads = rules.table("groups")["heads"]
    assert heads[-1] == "poacher" and "victim" in heads  # lists are appended
    assert rules.ordered("titles", "roles")[-1] == "Grand Vizier"
    assert rules.sources[-1] == str(wakanda)


def test_rules_are_immutable_and_loading_changes_no_shared_state(wakanda):
    rules = load_rules([wakanda])
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.demonyms = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        rules.demonyms["Atlantean"] = "GR"  # type: ignore[index]
    assert isinstance(rules.table("groups")["heads"], tuple)  # lists are read-only tuples
    assert "Wakandan" not in default_rules().demonyms
    assert "Wakandan" not in load_rules().demonyms


def test_same_contents_share_one_object_other_contents_do_not(wakanda, tmp_path):
    assert load_rules([wakanda]) is load_rules([str(wakanda)])
    other = tmp_path / "other.toml"
    other.write_text('[demonyms]\n"Atlantean" = "GR"\n', encoding="utf-8")
    assert load_rules([other]) is not load_rules([wakanda])
    wakanda.write_text('[demonyms]\n"Wakandan" = "NG"\n', encoding="utf-8")  # edited: read again
    assert load_rules([wakanda]).demonyms["Wakandan"] == "NG"


@pytest.mark.parametrize(("text", "message"), [
    ("[demonyms\n", "not valid TOML"),
    ('[demonyms]\n"Wakandan" = "Kenya"\n', "'Wakandan' = 'Kenya': not an ISO 3166 alpha-2 code"),
    ('country_aliases = ["Wakanda"]\n', "[country_aliases] must be a table"),
    ('[quantifiers]\nleading = ["umpteen"]\n', "[quantifiers] is built-in language data"),
    ('[frame]\nid = "x"\n', "frame must be an array of tables"),
    ('[acronyms]\nWNLF = 3\n', "[acronyms] must be a table"),
    ('[titles]\nwords = "vizier"\n', "[titles] words must be a list of words"),
])
def test_bad_rules_file_is_one_clear_error_naming_it(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules([path])
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(RulesError, match="nope.toml: rules file not found"):
        load_rules([tmp_path / "nope.toml"])


def test_readme_documents_every_table_a_user_can_extend():
    """Every top-level table of the default files (and each word list of [titles] and
    [government]) is named in graph/rules/README.md."""
    readme = (RULES_DIR / "README.md").read_text(encoding="utf-8")
    rules = default_rules()
    for table in rules.tables:
        assert f"[{table}]" in readme or f"[[{table}]]" in readme, table
    assert "[[frame]]" in readme
    for table in ("titles", "government"):
        for key in rules.table(table):
            assert re.search(rf"`{key}`", readme), f"[{table}] {key}"
