"""Claims derived from the sentence's other structural claims (run after all families)."""

from __future__ import annotations

from spacy.tokens import Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import Context, is_name
from graph.extract.structural.ids import APPOSITION, COMMA_PLACE
from graph.extract.structural.places import comma_pairs


def closure(ctx: Context, sent: Span, claims: list[SpanClaim]) -> list[SpanClaim]:
    """ "X, 50, of Bethany, Conn." -> X livesIn Conn. too (also basedIn / locatedIn /
    locatedNear); "the two main political forces in Bulgaria, the Bulgarian Socialist Party
    and ..." -> each name in apposition to a description has the description's place."""
    contained = {(a.start, a.end): b for a, b in comma_pairs(ctx, sent)}
    out: list[SpanClaim] = []
    for c in claims:
        if c.relation in ("livesIn", "basedIn", "locatedIn", "locatedNear") and isinstance(c.obj, Span):
            outer = contained.get((c.obj.start, c.obj.end))
            if outer is not None and outer != c.subject:
                out.append(SpanClaim(c.subject, c.relation, outer, c.evidence, round(c.confidence * 0.9, 2),
                                     COMMA_PLACE[c.extractor]))
    for c in claims:
        if is_name(c.subject) or c.relation not in ("basedIn", "locatedIn", "operatesIn"):
            continue
        for app in (x for x in c.subject.root.children if x.dep_ == "appos"):
            for tok in [app, *[x for x in app.children if x.dep_ == "conj"]]:
                m = ctx.name_at(tok)
                if m is not None and m._.ng_type == c.subject._.ng_type:
                    out.append(SpanClaim(m, c.relation, c.obj, c.evidence, round(c.confidence * 0.9, 2),
                                         APPOSITION[c.extractor]))
    return out
