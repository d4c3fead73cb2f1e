"""Datelines and wire headers: "BANGKOK, Thailand (AP)" (locatedIn), "Paris AFP in English",
"Tokyo NIHON KEIZAI SHIMBUN" (basedIn)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from spacy.tokens import Span, Token

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import COUNTRY, ORG, PLACE, PLACES, Context
from graph.extract.structural.organisations import leading_place


def dateline(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """Datelines and wire headers. A story dateline ("BANGKOK, Thailand (AP)", "NAIROBI,
    March 14 (Reuters) -") says where the story was filed, not where the agency is based:
    it gives only the city's country (locatedIn). A media-monitoring header ("Paris AFP in
    English", "Tokyo NIHON KEIZAI SHIMBUN") names the outlet's home: basedIn."""
    doc = ctx.doc
    toks = list(islice((t for t in sent if not t.is_space), 4))  # a label and the first word
    if not toks:
        return
    # skip a leading "( Text )" or similar bracketed label
    i = 0
    if toks[0].text == "(" and len(toks) > 2 and toks[2].text == ")":
        i = 3
    if i >= len(toks):
        return
    first = ctx.place_at(toks[i], PLACES) or (caps_place(ctx, sent) if i == 0 else None)
    if first is not None and first.end + 1 < len(doc) and doc[first.end].text == ",":
        second = ctx.place_at(doc[first.end + 1], PLACES)
        if second is not None and first._.ng_type != COUNTRY:
            yield ctx.claim(first, "locatedIn", second, 0.8, "structural:dateline-place")
    # wire-service headers: "<Place> <Org> in <Language> <time> GMT", "Tokyo NIHON KEIZAI SHIMBUN"
    for i in ctx.mention_starts(sent):
        a = ctx.place_at(i, PLACES)
        if a is None or a.end >= sent.end or (a.start > sent.start and not header_code(doc[a.start - 1])):
            continue
        b = ctx.place_at(doc[a.end], {ORG}) or caps_org(ctx, a.end)
        if b is None:
            continue
        after = doc[b.end] if b.end < sent.end else None
        language = (
            after is not None and after.lower_ == "in" and b.end + 1 < len(doc)
            and (doc[b.end + 1].ent_type_ in ("LANGUAGE", "NORP") or b.end + 1 in ctx.demonym_at)
        )
        if language or after is None:
            yield ctx.claim(b, "basedIn", a, 0.6, "structural:wire-header")
    for tok in sent:  # the place is inside the organisation mention: "Havana Radio Reloj Network"
        b = ctx.place_at(tok, {ORG})
        if b is None or b.end + 1 >= len(doc) or doc[b.end].lower_ != "in":
            continue
        if not (doc[b.end + 1].ent_type_ in ("LANGUAGE", "NORP") or b.end + 1 in ctx.demonym_at):
            continue
        if ctx.place_ending_at(b.start) is not None:
            continue
        lead = leading_place(ctx, b, cities=True)
        if lead is not None:
            org = Span(doc, lead.end, b.end, label="ORG")
            if org._.ng_type is None:
                org._.ng_type = ORG
            yield ctx.claim(org, "basedIn", lead, 0.6, "structural:wire-header")


def header_code(tok: Token) -> bool:
    """A wire-service code before a header place ("LD2804174994")."""
    return any(ch.isdigit() for ch in tok.text) and any(ch.isalpha() for ch in tok.text) and len(tok) >= 8


def caps_org(ctx: Context, i: int) -> Span | None:
    """An agency name the model did not tag: a run of all-capitals words ("ITAR-TASS",
    "MOSKOVSKIY KOMSOMOLETS"), as an organisation span."""
    doc = ctx.doc
    j = i
    while j < len(doc) and j - i < 6 and (
        (doc[j].is_upper and any(c.isalpha() for c in doc[j].text) and len(doc[j]) > 1)
        or (doc[j].text == "-" and j > i)
    ):
        j += 1
    while j > i and doc[j - 1].text == "-":
        j -= 1
    if j == i or doc[i].lower_ in ctx.words.list_words or ctx.by_token.get(i) is not None:
        return None
    span = Span(doc, i, j, label="ORG")
    if span._.ng_type is None:
        span._.ng_type = ORG
    return span


def caps_place(ctx: Context, sent: Span) -> Span | None:
    """ "DAYTON, Ohio (AP)": the all-capitals word(s) before the first comma of a dateline."""
    doc = ctx.doc
    end = sent.start
    while end < sent.end and end - sent.start < 4 and doc[end].is_alpha and doc[end].is_upper and len(doc[end]) > 1:
        end += 1
    if end == sent.start or end + 1 >= len(doc) or doc[end].text not in (",", "("):
        return None
    if doc[end].text == "," and ctx.place_at(doc[end + 1], PLACES) is None:
        return None
    span = Span(doc, sent.start, end, label="GPE")
    if span._.ng_type is None:
        span._.ng_type = PLACE
    return span
