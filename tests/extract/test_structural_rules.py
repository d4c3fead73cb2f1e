"""The declarative structural rules (graph/rules/structural.toml) and the rule ids.

Every rule's examples run through the rules pipeline and must give their claim under the
rule's id; every rule id is a literal string in graph/ (grep finds the rule of a claim);
a malformed rules file is a clear error naming the file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph.errors import RulesError
from graph.extract.structural import StructuralFinder
from graph.extract.structural.ids import APPOSITION, COMMA_PLACE, RULES
from graph.extract.structural.rules import RuleBook, default_rules, read_rules

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "graph/extract/structural"
EXAMPLES = [(rule, ex) for rule in default_rules() for ex in rule.examples]


def _text(x) -> str:
    return x if isinstance(x, str) else x.text


@pytest.mark.parametrize("rule, example", EXAMPLES, ids=[ex.id for _, ex in EXAMPLES])
def test_each_rule_gives_its_example_claim(rules_nlp, rule, example):
    doc = rules_nlp(example.text)
    found = {(c.subject.text, c.relation, _text(c.obj)) for c in doc._.ng_claims if c.extractor == example.id}
    assert tuple(example.claim) in found, f"{example.id} on {example.text!r} gave {found}"


def test_every_rule_has_an_example():
    assert len(default_rules()) >= 30
    assert all(rule.examples for rule in default_rules())


def test_claim_ids_are_literal_strings():
    """No f-string or concatenation builds a rule id: each claim() names a literal, a lookup
    in a literal table, or a declarative rule's id."""
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "claim" and len(node.args) == 5:
                rule = node.args[4]
                assert not isinstance(rule, ast.JoinedStr | ast.BinOp), f"{path.name}:{node.lineno}"
                if isinstance(rule, ast.Constant):
                    assert rule.value in RULES, f"{path.name}:{node.lineno}: {rule.value} not registered"


def test_every_rule_id_is_found_by_grep():
    """The exact extractor string of every rule (derived closure ids too) is in graph/."""
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "graph").rglob("*") if p.suffix in (".py", ".toml"))
    ids = set(RULES) | set(COMMA_PLACE.values()) | set(APPOSITION.values())
    ids |= {i for rule in default_rules() for i in rule.all_ids()}
    for rule_id in ids:
        assert f'"{rule_id}"' in sources, rule_id
        assert re.fullmatch(r"structural:[a-z-]+(\+comma-place|\+apposition)?", rule_id)


def test_closure_ids_cover_every_rule_of_their_relations():
    book = RuleBook(default_rules(), RULES)
    for rule_id, relations in book.ids.items():
        if relations & {"livesIn", "basedIn", "locatedIn", "locatedNear"}:
            assert rule_id in COMMA_PLACE, rule_id
        if relations & {"basedIn", "locatedIn", "operatesIn"}:
            assert rule_id in APPOSITION, rule_id


def test_an_unregistered_rule_id_is_refused(rules_nlp):
    """claim() refuses an id that is not registered for the relation."""
    from graph.extract.structural.context import Context
    from graph.extract.structural.tables import StructuralTables

    doc = rules_nlp("Anna Berg lives in Stockholm.")
    finder = StructuralFinder(StructuralTables())
    ctx = Context(doc, finder.tables, finder.book)
    ctx.sent = next(doc.sents)
    with pytest.raises(ValueError, match="not registered"):
        ctx.claim(doc[0:2], "livesIn", doc[4:5], 0.5, "structural:person-of-place-typo")
    with pytest.raises(ValueError, match="not registered"):
        ctx.claim(doc[0:2], "worksFor", doc[4:5], 0.5, "structural:person-of-place")


def test_rules_can_be_replaced_through_the_tables(rules_nlp):
    """The rules come from the tables object: a rule book without "clause-lives-in" gives no such claim."""
    from graph.extract.structural.tables import StructuralTables

    doc = rules_nlp("Anna Berg, who lives in Stockholm, wrote the letter.")
    kept = tuple(r for r in default_rules() if r.id != "structural:clause-lives-in")
    doc._.ng_claims = []
    StructuralFinder(StructuralTables(rules=kept))(doc)
    assert "structural:clause-lives-in" not in {c.extractor for c in doc._.ng_claims}
    doc._.ng_claims = []
    StructuralFinder(StructuralTables())(doc)
    assert "structural:clause-lives-in" in {c.extractor for c in doc._.ng_claims}


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[rule]]\nid = "structural:x"\nshape = "nowhere"\nrelation = "livesIn"\n', "shape must be one of"),
        ('[[rule]]\nid = "x"\nshape = "clause"\nrelation = "livesIn"\n', "must start with 'structural:'"),
        ('[[rule]]\nid = "structural:x"\nshape = "clause"\nrelation = "livesIn"\nobject_types = ["Town"]\n',
         "unknown entity type 'Town'"),
        ('[[rule]]\nid = "structural:x"\nshape = "clause"\nrelation = "livesIn"\n', "at least one example"),
        ('[[rule]]\nid = "structural:x"\nshape = "clause"\nrelation = "livesIn"\nverbs = ["live"]\n', "unknown key"),
        ('[[rule]]\nid = "structural:x"\nshape = "org-apposition"\nrelation = "partOf"\ntitle = "unit"\n',
         "title must be one of"),
        ("[[rule]\n", "cannot read structural rules"),
    ],
)
def test_a_malformed_rules_file_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=re.escape(message)) as err:
        read_rules(path)
    assert str(path) in str(err.value)


def test_demonyms_come_from_the_tables_object(rules_nlp):
    """A demonym handed in through StructuralTables (as a merged --rules table would be)
    reaches the rules: "Wakandan nationals" get a nationality only with it."""
    from graph.extract.structural import StructuralTables, load_demonyms
    from graph.extract.structural.tables import demonym_table

    doc = rules_nlp("Police freed 200 Wakandan nationals, Kenya said.")

    def nationalities(tables: StructuralTables) -> set[tuple[str, str]]:
        doc._.ng_claims = []
        StructuralFinder(tables)(doc)
        return {(c.subject.text, c.obj.text) for c in doc._.ng_claims if c.relation == "nationality"}

    assert nationalities(StructuralTables()) == set()
    invented = {**load_demonyms(), **demonym_table({"Wakandan": "KE"})}
    assert nationalities(StructuralTables(demonyms=invented)) == {("Wakandan nationals", "Wakandan")}


USER_RULES = '''
[[rule]]
id = "structural:org-stationed-in"
shape = "participle"
relation = "basedIn"
words = ["stationed"]
preps = ["in"]
object_types = ["Country", "Place"]
confidence = 0.8
examples = [{ text = "Oxfam, stationed in Oxford, said aid had arrived.", claim = ["Oxfam", "basedIn", "Oxford"] }]

[[rule]]
id = "structural:org-based-in"
shape = "participle"
relation = "basedIn"
words = ["based"]
preps = ["in", "at"]
object_types = ["Country", "Place"]
confidence = 0.85
examples = [{ text = "Oxfam, based in Oxford, said aid had arrived.", claim = ["Oxfam", "basedIn", "Oxford"] }]
'''


def _based(nlp, text: str) -> set[tuple[str, str, str]]:
    doc = nlp(text)
    return {(c.subject.text, _text(c.obj), c.extractor) for c in doc._.ng_claims if c.relation == "basedIn"}


def test_a_rules_file_adds_and_replaces_structural_rules(tmp_path, rules_nlp):
    from graph.extract import load_nlp

    path = tmp_path / "mine.toml"
    path.write_text(USER_RULES, encoding="utf-8")
    nlp = load_nlp(rules=[path], relation_model="none")
    added = "Oxfam, stationed in Oxford, said aid had arrived."
    assert ("Oxfam", "Oxford", "structural:org-stationed-in") in _based(nlp, added)
    assert not any(e == "structural:org-stationed-in" for *_, e in _based(rules_nlp, added))
    replaced = "Oxfam, headquartered in Oxford, said aid had arrived."
    assert ("Oxfam", "Oxford", "structural:org-based-in") in _based(rules_nlp, replaced)
    assert ("Oxfam", "Oxford", "structural:org-based-in") not in _based(nlp, replaced)  # "headquartered" dropped


def test_a_malformed_structural_rule_in_a_rules_file_names_the_file(tmp_path):
    from graph.extract import load_nlp

    path = tmp_path / "bad.toml"
    path.write_text('[[rule]]\nid = "structural:x"\nshape = "no-such-shape"\nrelation = "basedIn"\n', encoding="utf-8")
    with pytest.raises(RulesError, match=r"bad\.toml: rule 1: shape must be one of"):
        load_nlp(rules=[path], relation_model="none")


def test_a_rules_file_extends_the_structural_word_lists(tmp_path, rules_nlp):
    from graph.extract import load_nlp

    path = tmp_path / "words.toml"
    path.write_text('[structural]\nmembers = ["loyalist"]\n', encoding="utf-8")
    nlp = load_nlp(rules=[path], relation_model="none")
    text = "Ali Hassan, a loyalist of Hezbollah, was arrested."

    def members(n) -> set[tuple[str, str]]:  # noqa: ANN001
        return {(c.subject.text, _text(c.obj)) for c in n(text)._.ng_claims if c.relation == "memberOf"}

    assert ("Ali Hassan", "Hezbollah") in members(nlp)
    assert ("Ali Hassan", "Hezbollah") not in members(rules_nlp)


def test_an_id_twice_in_one_rules_file_is_an_error(tmp_path):
    from graph.extract import load_nlp

    path = tmp_path / "twice.toml"
    rule = USER_RULES.split("[[rule]]")[1]
    path.write_text("[[rule]]" + rule + "[[rule]]" + rule, encoding="utf-8")
    with pytest.raises(RulesError, match=r"twice\.toml: rule id 'structural:org-stationed-in' used twice"):
        load_nlp(rules=[path], relation_model="none")
