"""Places: "Myanmar's KK Park", "<place> in Y", "Yerevan, the capital of Armenia",
"Myawaddy, Myanmar" (locatedIn), "near / close to / on the border with Y" (locatedNear)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import COUNTRY, LOCATABLE, PLACES, Context, is_name
from graph.extract.structural.descriptors import describe


def place(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """Every structural claim about place (or facility) ``p``."""
    doc = ctx.doc
    root = p.root
    # "Myanmar's KK Park"
    for c in root.children:
        if c.dep_ == "poss" and c.i < p.start:
            m = ctx.country_like(c)
            rule = ctx.book.first("place-possessive", "object", None, p, m, is_name(m)) if m is not None else None
            if rule is not None:
                yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)
    # "<place> in Y" (dependency or adjacent surface), "<place>, in Y"
    targets: list[Span] = []
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("in", "inside", "within")):
        targets.extend(m for m in ctx.pobj_mentions(prep) if m.start > p.end)
    j = p.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in ("in", "inside") and ctx.sent_of[j] == ctx.sent_of[p.start]:
        k = j + 1
        # "in eastern Sudan", "in the southeastern part of Rwanda"
        while k < len(doc) and k - j < 6 and (
            doc[k].dep_ in ("det", "amod") or doc[k].lower_ in ctx.words.region_words
        ):
            k += 1
        m = ctx.country_like(doc[k]) if k < len(doc) else None
        if m is not None and m.start == k:
            targets.append(m)
    # the "place-in" rules ("compounds in KK Park", "the casino inside the Golden Triangle
    # Special Economic Zone"); every target starts after p
    for m in dict.fromkeys(targets):
        rule = ctx.book.first("place-in", "object", None, p, m, is_name(m))
        if rule is not None:
            yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)
    # "Yerevan, the capital of Armenia", "Madagascar, an island nation in the Indian
    # Ocean", "Bosnia's capital, Sarajevo"
    descriptors = [describe(ctx, c) for c in root.children if c.dep_ == "appos" and ctx.name_at(c) is None]
    if root.dep_ == "appos" and ctx.name_at(root.head) is None and root.head.pos_ == "NOUN":
        descriptors.append(describe(ctx, root.head))
    for d in descriptors:  # the "place-apposition" rules
        for source, prep, m in [*(("mods", None, m) for m in d.mods), *(("preps", w, m) for w, m in d.preps)]:
            if m.label_ == "NORP" or m == p:
                continue
            rule = ctx.book.first("place-apposition", source, prep, p, m, is_name(m))
            if rule is not None:
                yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)
    yield from near(ctx, p)


def near(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """The "near" rules: "Myawaddy, near the border with Thailand", "close to Y", "on the border with Y"."""
    doc = ctx.doc
    j = p.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
    rest = " ".join(t.lower_ for t in doc[j : min(len(doc), j + 6)])
    for phrase in sorted(ctx.book.words("near"), key=lambda w: (-len(w), w)):
        if not (rest + " ").startswith(phrase + " "):
            continue
        k = j + len(phrase.split())
        # skip "the", "the Thai", "its border with"
        limit = min(len(doc), k + 5)
        while k < limit:
            tok = doc[k]
            if ctx.sent_of[k] != ctx.sent_of[p.start]:
                return
            m = ctx.country_like(tok)
            if m is not None:
                rule = ctx.book.first("near", "object", None, p, m, is_name(m), phrase)
                if rule is not None:
                    nxt = doc[m.end] if m.end < len(doc) else None
                    # "close to the Vietnamese border": the demonym stands for the country
                    conf = rule.confidence_for(m) - (0.0 if nxt is None or nxt.lower_ != "border" else 0.05)
                    yield ctx.claim(p, rule.relation, m, conf, rule.id)
                return
            if tok.lower_ in ("the", "a", "its", "their", "border", "with", "of", "frontier", "between"):
                k += 1
                continue
            return
        return


def region_name(ctx: Context, b: Span) -> bool:
    """A country, a US state or a postal-style abbreviation ("Wyo.", "N.M.")."""
    text = b.text
    if b.end < len(ctx.doc) and ctx.doc[b.end].text == "." and len(text) <= 5:
        text += "."  # the tokenizer split "Wyo."
    return b._.ng_type == COUNTRY or text in ctx.tables.us_states or (text.endswith(".") and len(text) <= 6)


def listed(ctx: Context, a: Span, b: Span) -> bool:
    """Whether "a, b" is part of an enumeration ("Myanmar, Thailand, China and Vietnam")."""
    doc = ctx.doc
    list_words = ctx.words.list_words
    after = b.end
    if after < len(doc) and doc[after].lower_ in list_words:
        return True
    if after + 1 < len(doc) and doc[after].text == ",":
        nxt = doc[after + 1]
        if nxt.lower_ in list_words or ctx.place_at(nxt, LOCATABLE) is not None:
            return True
    before = a.start - 1
    if before >= 0 and doc[before].lower_ in list_words:
        return True
    if before >= 1 and doc[before].text == "," and ctx.place_ending_at(before) is not None:
        return True
    return False


def comma_pairs(ctx: Context, sent: Span) -> list[tuple[Span, Span]]:
    """ "Aiken, S.C.", "Myawaddy, Myanmar": (place, the larger place after its comma),
    computed once per sentence."""
    cached = ctx.comma_pairs_at.get(sent.start)
    if cached is None:
        cached = ctx.comma_pairs_at[sent.start] = _find_comma_pairs(ctx, sent)
    return cached


def _find_comma_pairs(ctx: Context, sent: Span) -> list[tuple[Span, Span]]:
    doc = ctx.doc
    pairs: list[tuple[Span, Span]] = []
    seen: set[int] = set()
    for i in ctx.mention_starts(sent):
        a = ctx.place_at(i, LOCATABLE)
        if a is None or a.start in seen:
            continue
        seen.add(a.start)
        if a.end + 1 >= len(doc) or doc[a.end].text != ",":
            continue
        b = ctx.place_at(doc[a.end + 1], PLACES)
        if b is None:
            continue
        nxt = doc[b.end] if b.end < len(doc) else None
        if nxt is not None and ((nxt.pos_ == "PROPN" and not nxt.is_punct) or nxt.lower_ in ("in", "of", "at", "near")):
            continue  # "America West", "Nakhon Thai District in Phitsanulok Province"
        if a._.ng_type == COUNTRY:
            continue
        if listed(ctx, a, b) and not region_name(ctx, b):
            continue  # "Jackson, Wyo., and Gunnison, Colo." are pairs; "Paris, London" is a list
        pairs.append((a, b))
    return pairs


def comma_places(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """ "Aiken, S.C." / "Myawaddy, Myanmar" -> locatedIn."""
    for a, b in comma_pairs(ctx, sent):
        yield ctx.claim(a, "locatedIn", b, 0.75, "structural:place-comma-place")
