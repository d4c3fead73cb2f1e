"""The ``newsgraph_structural`` spaCy component: runs the rule families on each sentence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.closure import closure
from graph.extract.structural.context import COUNTRY, GROUP, LOCATABLE, ORG, PERSON, THING, Context, is_name
from graph.extract.structural.datelines import dateline
from graph.extract.structural.events import births, homes, kill_events
from graph.extract.structural.groups import (
    demonym_groups,
    from_countries,
    inner_demonyms,
    nationals_of,
    plural_demonym,
)
from graph.extract.structural.ids import RULES
from graph.extract.structural.organisations import operations, organization
from graph.extract.structural.people import looks_personal, person
from graph.extract.structural.places import comma_places, place
from graph.extract.structural.rules import RuleBook
from graph.extract.structural.tables import StructuralTables
from graph.rules import Rules, default_rules, load_rules


class StructuralFinder:
    """Appends the structural claims of a Doc to ``doc._.ng_claims`` (see the package docstring)."""

    def __init__(self, tables: StructuralTables | None = None, rules: Rules | None = None) -> None:
        #: the merged rules the tables come from (one object for every component)
        self.rules = rules if rules is not None else default_rules()
        self.tables = tables if tables is not None else StructuralTables.from_rules(self.rules)
        self.book = RuleBook(self.tables.rules, RULES)

    @property
    def demonyms(self) -> Mapping[tuple[str, ...], tuple[str, str]]:
        """The demonym table the rules read ("wakandans",) -> ("Kenya", "KE")."""
        return self.tables.demonyms

    def __call__(self, doc: Doc) -> Doc:
        ctx = Context(doc, self.tables, self.book)
        existing = list(doc._.ng_claims or [])
        seen = {_key(c) for c in existing}
        new: list[SpanClaim] = []
        for sent in ctx.sents:
            ctx.sent = sent
            found = list(sentence_claims(ctx, sent))
            found += closure(ctx, sent, found)
            for claim in found:
                key = _key(claim)
                if key in seen or _same(claim.subject, claim.obj):
                    continue
                seen.add(key)
                new.append(claim)
        doc._.ng_claims = existing + new
        return doc


def sentence_claims(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """The claims of one sentence, family by family, in a fixed order."""
    text = sent.text  # built on each access
    # first: nationals whose nationality goes to an earlier group; the demonym rules below
    # must not give those nationals one of their own
    transferred: set[int] = set()
    if "nationals" in text or "citizens" in text:
        claims, transferred = nationals_of(ctx, sent)
        yield from claims
    mentions = [m for m in ctx.sent_mentions(sent) if m.label_ != "PRON"]
    for m in mentions:
        t = m._.ng_type
        personal = t in (ORG, THING) and looks_personal(ctx, m)
        if (t == PERSON and is_name(m)) or personal:
            yield from person(ctx, m, sent)
        if t in (PERSON, GROUP):
            yield from inner_demonyms(ctx, m, transferred)
        if t == GROUP:
            yield from plural_demonym(ctx, m)
        if t in (ORG, GROUP) and not personal:
            yield from organization(ctx, m)
        if t in LOCATABLE:
            yield from place(ctx, m)
        if t in (ORG, GROUP, PERSON, COUNTRY):
            yield from operations(ctx, m)
    yield from comma_places(ctx, sent)
    yield from dateline(ctx, sent)
    yield from demonym_groups(ctx, sent, transferred)
    if "from" in text:
        yield from from_countries(ctx, sent)
    yield from kill_events(ctx, sent)
    yield from homes(ctx, sent)
    yield from births(ctx, mentions)


def _key(c: SpanClaim) -> tuple:
    obj = (c.obj.start_char, c.obj.end_char) if isinstance(c.obj, Span) else c.obj
    return (c.subject.start_char, c.subject.end_char, c.relation, obj)


def _same(a: Span, b: Span | str) -> bool:
    """Whether subject and object are the same thing (no claim of a thing about itself)."""
    if not isinstance(b, Span):
        return False
    if (a.start, a.end) == (b.start, b.end):
        return True
    na, nb = a._.ng_norm or a.text, b._.ng_norm or b.text
    return na.lower() == nb.lower()


@Language.factory(
    "newsgraph_structural",
    requires=["doc.spans", "token.dep"],
    assigns=["doc._.ng_claims"],
    default_config={"rules_files": []},
)
def make_structural(nlp: Language, name: str, rules_files: list[str]) -> StructuralFinder:
    """Structural patterns; ``rules_files`` are the user's rules files (see ``graph.rules``)."""
    places = None
    if "newsgraph_entities" in nlp.pipe_names:  # reuse its gazetteer for "Havana Radio Reloj"
        places = getattr(nlp.get_pipe("newsgraph_entities"), "surface", None)
    rules = load_rules(rules_files)
    return StructuralFinder(StructuralTables.from_rules(rules, places), rules)
