"""Organisations: where they are based ("the London-based group", "<org> in Y", "<org>,
headquartered in Y"), what they belong to ("a unit of X"), where they operate ("X's
operations in Y") -> basedIn, partOf, memberOf, operatesIn."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import COUNTRY, GROUP, ORG, PLACE, PLACES, Context, is_name, typ, word
from graph.extract.structural.descriptors import describe


def organization(ctx: Context, o: Span) -> Iterator[SpanClaim]:
    """Every structural claim about organisation (or group) ``o``."""
    doc = ctx.doc
    root = o.root
    own = describe(ctx, root, exclude=o)
    for t in o:  # "the London-based group" is one mention
        if t.lower_ in ("based", "headquartered") and t.i - 2 >= o.start and t.nbor(-1).text == "-":
            m = ctx.country_like(t.nbor(-2))
            if m is not None and typ(m) in PLACES and m not in own.based:
                own.based.append(m)
    yield from _modifiers(ctx, o, "based", own.based)  # "the London-based group"
    yield from body_of(ctx, o)
    if word(root) in ctx.words.government_nouns:
        return  # "the Cambodian government" stands for the country (resolution's job)
    named = is_name(o)
    yield from _modifiers(ctx, o, "mods", own.mods if named else [])  # not for "Serbia's students"
    # a place opening the name: "U.S. Congress", "Havana Radio Reloj Network"
    lead = leading_place(ctx, o)
    if lead is not None:
        yield ctx.claim(o, "basedIn", lead, 0.55, "structural:org-place-name")
    # a demonym opening the name: "Mexican Oil Workers Union"
    dem = ctx.demonym_at.get(o.start)
    if named and dem is not None and dem is not o and dem.end < o.end and o._.ng_type == ORG:
        yield ctx.claim(o, "basedIn", dem, 0.5, "structural:org-demonym-name")
    people = typ(o) == GROUP and word(root) in ctx.words.people_nouns | {"staff", "personnel"}
    # the "org-prep" rules; not "targeting victims in the United States": people there are
    # not an organisation's base
    for prep in (c for c in root.children if c.dep_ == "prep") if not people else ():
        for m in ctx.pobj_mentions(prep):
            rule = ctx.book.first("org-prep", "object", prep.lower_, o, m, is_name(m)) if m.start > o.end else None
            if rule is not None:
                yield ctx.claim(o, rule.relation, m, rule.confidence_for(m), rule.id)
    # the "participle" rules: "<org>, based in Y", "<org>, headquartered in Y"
    for c in root.children:
        if c.dep_ in ("acl", "relcl", "appos") and c.lower_ in ctx.book.words("participle"):
            for prep in c.children:
                if prep.dep_ == "prep" and prep.lower_ in ctx.book.preps("participle"):
                    for m in ctx.pobj_mentions(prep):
                        rule = ctx.book.first("participle", "object", prep.lower_, o, m, is_name(m), c.lower_)
                        if rule is not None:
                            yield ctx.claim(o, rule.relation, m, rule.confidence_for(m), rule.id)
    # the "headquarters" rules: "<org> headquarters in Y" / "<org>'s headquarters in (nearby) Y"
    j = o.end + (1 if o.end < len(doc) and doc[o.end].text in ("'s", "’s") else 0)
    if j + 1 < len(doc) and doc[j].lower_ in ctx.book.words("headquarters"):
        w, prep = doc[j].lower_, doc[j + 1].lower_
        k = j + 2
        while k < len(doc) and k - j < 5 and doc[k].dep_ in ("det", "amod"):
            k += 1
        m = ctx.place_at(doc[k], ctx.book.object_types("headquarters")) if k < len(doc) else None
        rule = ctx.book.first("headquarters", "object", prep, o, m, is_name(m), w) if m is not None else None
        if rule is not None:
            yield ctx.claim(o, rule.relation, m, rule.confidence_for(m), rule.id)
    # "<place>'s <org>" is caught by mods above; the "org-apposition" rules: "X, a Hong Kong
    # construction firm", "X, a unit of Y"
    for c in root.children:
        if c.dep_ == "appos" and ctx.name_at(c) is None:
            d = describe(ctx, c)
            items = [*(("based", None, m) for m in d.based), *(("mods", None, m) for m in d.mods),
                     *(("preps", w, m) for w, m in d.preps)]
            for source, prep, m in items:
                rule = ctx.book.first("org-apposition", source, prep, o, m, is_name(m), title=d.title)
                if rule is not None:
                    yield ctx.claim(o, rule.relation, m, rule.confidence_for(m), rule.id)


def _modifiers(ctx: Context, o: Span, source: str, found: list[Span]) -> Iterator[SpanClaim]:
    """The "org-modifier" rules: places in an organisation's own noun phrase ("the
    London-based group": source "based"; "Serbia's Socialist Party": source "mods")."""
    for m in found:
        rule = ctx.book.first("org-modifier", source, None, o, m, is_name(m))
        if rule is not None:
            yield ctx.claim(o, rule.relation, m, rule.confidence_for(m), rule.id)


def body_of(ctx: Context, o: Span) -> Iterator[SpanClaim]:
    """The "body-of" rules: "the taskforce of the Cambodian government", "a unit of X" -> partOf."""
    root = o.root
    head = word(root)
    if head not in ctx.book.words("body-of"):
        return
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ctx.book.preps("body-of")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            target = ctx.mention(obj) or ctx.demonym_government(obj)
            rule = None
            if target is not None:
                rule = ctx.book.first("body-of", "object", prep.lower_, o, target, is_name(target), head)
            if rule is not None:
                yield ctx.claim(o, rule.relation, target, rule.confidence_for(target), rule.id)


def leading_place(ctx: Context, o: Span, cities: bool = False) -> Span | None:
    """A country (or, with ``cities``, city) name that opens a longer organisation name,
    as its own span. Cities only where the context says the name is a place (wire
    headers): many are also surnames or words ("Warren Commission", "Forest Service")."""
    places = ctx.tables.places
    if not places or not is_name(o) or o._.ng_type != ORG:
        return None
    doc = ctx.doc
    start = o.start
    if doc[start].lower_ == "the":
        start += 1
    for n in (3, 2, 1):
        if start + n >= o.end:
            continue
        hit = places.get(doc[start : start + n].text)
        if hit is None:
            continue
        kind, norm, link = hit
        if kind == "CITY" and not cities:
            continue
        span = Span(doc, start, start + n, label="GPE")
        if span._.ng_type is None:
            span._.ng_type = COUNTRY if kind == "COUNTRY" else PLACE
            span._.ng_norm = norm
            span._.ng_links = (("iso3166" if kind == "COUNTRY" else "geonames", link),)
        return span
    return None


def operations(ctx: Context, x: Span) -> Iterator[SpanClaim]:
    """The "operations" rules: "X's operations in Y" / "operations of X in Y" -> operatesIn."""
    root = x.root
    nouns = ctx.book.words("operations")
    noun = None
    if root.dep_ == "poss" and word(root.head) in nouns:
        noun = root.head
    elif root.dep_ == "pobj" and root.head.lower_ == "of" and word(root.head.head) in nouns:
        noun = root.head.head
    if noun is None:
        return
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ctx.book.preps("operations"):
            for m in ctx.pobj_mentions(prep):
                rule = ctx.book.first("operations", "object", prep.lower_, x, m, is_name(m), word(noun))
                if rule is not None:
                    yield ctx.claim(x, rule.relation, m, rule.confidence_for(m), rule.id)
