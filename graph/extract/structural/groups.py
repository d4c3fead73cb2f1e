"""Groups of people and their nationality: "Chinese nationals", "Forty-two Kenyans",
"workers, many of them from Nepal", "suspects, mainly Chinese nationals"."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import COUNTRY, GROUP, PERSON, Context, is_name
from graph.extract.structural.countries import country_span


def nationals_of(ctx: Context, sent: Span) -> tuple[list[SpanClaim], set[int]]:
    """ "12 managers, most of them Chinese citizens", "suspects, mainly Chinese nationals",
    "Most of the suspects are Spanish and Colombian nationals": the earlier group has each
    nationality (the nationals are that group, not another one).

    Returns the claims and the token indices of the nouns ("nationals") whose nationality
    went to the earlier group: ``inner_demonyms`` and ``demonym_groups`` must not give the
    nationals a nationality of their own."""
    doc = ctx.doc
    words = ctx.words
    claims: list[SpanClaim] = []
    transferred: set[int] = set()
    for t in sent:
        if t.lower_ not in words.national_nouns:
            continue
        dems: list[Span] = []
        j = t.i - 1
        while j >= sent.start and (j in ctx.demonym_at or doc[j].lower_ in words.list_words or doc[j].text == ","):
            d = ctx.demonym_at.get(j)
            if d is not None and d not in dems:
                dems.insert(0, d)
                j = d.start - 1
            else:
                j -= 1
        if not dems:
            continue
        owner: Span | None = None
        k = j
        while k >= sent.start and (doc[k].lower_ in words.portion_words or doc[k].like_num):
            k -= 1
        if k > sent.start and doc[k].text == ",":
            owner = ctx.by_token.get(k - 1)
            if owner is not None and owner.end != k:
                owner = None
        elif t.dep_ == "attr" and t.head.lemma_ == "be":  # "Most of the suspects are ... nationals"
            subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ in words.portion_words:
                subj = next((o for p in subj.children if p.dep_ == "prep" and p.lower_ == "of"
                             for o in p.children if o.dep_ == "pobj"), None)
            owner = ctx.mention(subj)
        if owner is None or owner._.ng_type not in (GROUP, PERSON) or owner.label_ == "PRON":
            continue
        if doc[owner.end - 1].lower_ in words.state_agent_nouns:
            continue
        transferred.add(t.i)
        claims.extend(ctx.claim(owner, "nationality", d, 0.6, "structural:group-nationals") for d in dems)
    return claims, transferred


def inner_demonyms(ctx: Context, m: Span, transferred: set[int]) -> Iterator[SpanClaim]:
    """ "Chinese nationals", "a Thai woman" (one mention): its nationality."""
    doc = ctx.doc
    if is_name(m):
        return  # "William French Smith" is no Frenchman
    if m.end - 1 in transferred or doc[m.end - 1].lower_ in ctx.words.state_agent_nouns:
        return
    for i in range(m.start, m.end):
        dem = ctx.demonym_at.get(i)
        if dem is not None and dem.start == i and (dem.start, dem.end) != (m.start, m.end):
            if doc[m.end - 1].lower_ in ctx.words.people_nouns or m._.ng_type == PERSON:
                yield ctx.claim(m, "nationality", dem, 0.65, "structural:group-demonym")


def plural_demonym(ctx: Context, m: Span) -> Iterator[SpanClaim]:
    """ "Forty-two Kenyans", "260 Indonesians": the people's country, named in the document."""
    last = ctx.doc[m.end - 1]
    if not last.text[:1].isupper():
        return  # most groups are common nouns ("workers"): no demonym to look up
    words = [t.lower_ for t in m[-2:]] if len(m) > 1 else [last.lower_]
    demonyms = ctx.demonyms
    hit = None
    for n in (2, 1):
        if len(words) < n:
            continue
        key = tuple(words[-n:])
        hit = demonyms.get(key) or (demonyms.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None)
        if hit is not None:
            break
    if hit is None:
        return
    country = country_span(ctx, hit[1]) if hit[1] else None
    if country is not None:
        yield ctx.claim(m, "nationality", country, 0.6, "structural:group-plural-demonym")


def demonym_groups(ctx: Context, sent: Span, transferred: set[int]) -> Iterator[SpanClaim]:
    """ "Chinese nationals", "a Thai woman" with no mention of the group -> its nationality."""
    doc = ctx.doc
    words = ctx.words
    for tok in sent:
        dem = ctx.demonym_at.get(tok.i)
        if dem is None or tok.i != dem.end - 1 or tok.dep_ not in ("amod", "compound"):
            continue
        noun = tok.head
        if noun.i <= tok.i or noun.lower_ not in words.people_nouns or ctx.by_token.get(noun.i) is not None:
            continue
        if noun.i in transferred or noun.lower_ in words.state_agent_nouns:
            continue
        # the person it names is handled by people.person ("a Thai woman named Yathada")
        start = dem.start
        while start > sent.start and doc[start - 1].dep_ in ("amod", "compound", "nummod") and doc[start - 1].head == noun:
            start -= 1
        group = Span(doc, start, noun.i + 1, label="GROUP")
        if group._.ng_type is None:
            group._.ng_type = GROUP
        yield ctx.claim(group, "nationality", dem, 0.6, "structural:group-demonym")


def countries_from(ctx: Context, j: int, end: int) -> list[Span]:
    """Country names listed from token ``j`` on: "Nepal, Bangladesh and the Philippines"."""
    doc = ctx.doc
    out: list[Span] = []
    while j < end:
        m = ctx.place_at(j, {COUNTRY})
        if m is not None:
            out.append(m)
            j = m.end
        elif doc[j].lower_ in ctx.words.list_words or doc[j].text == "," or doc[j].lower_ == "the":
            j += 1
        else:
            break
    return out


def from_countries(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """ "migrant workers, many of them from Nepal and India", "The workers, from Indonesia
    and China", "a boy from China": where people come from is their nationality. A group
    moved "from" a country ("rescued 200 people from Myanmar") is not: that "from" hangs
    on the verb, and a group that is the object of such a verb is skipped."""
    doc = ctx.doc
    words = ctx.words
    for t in sent:
        if t.lower_ != "from":
            continue
        found = countries_from(ctx, t.i + 1, sent.end)
        if not found:
            continue
        owner: Span | None = None
        conf = 0.55
        k = t.i - 1
        while k >= sent.start and doc[k].lower_ in words.portion_words:
            k -= 1
        if k > sent.start and doc[k].text == ",":  # "workers, most of them from", "workers, from"
            owner = ctx.by_token.get(k - 1)
        elif t.dep_ == "prep" and t.head.lower_ in words.people_nouns and t.i == t.head.i + 1:
            owner = ctx.mention(t.head)  # "a boy from China"
            conf = 0.5
            if t.head.dep_ == "dobj" and t.head.head.pos_ == "VERB":
                owner = None  # "freed 40 workers from Myanmar": moved, not from there
        if owner is None or owner.end not in (k, t.i) or owner._.ng_type not in (GROUP, PERSON):
            continue
        if is_name(owner) or owner.label_ == "PRON" or doc[owner.end - 1].lower_ in words.state_agent_nouns:
            continue
        if doc[owner.end - 1].lower_ not in words.people_nouns:
            continue
        # "85 survivors from Indonesia who were trafficked to Cambodia": trafficked from there
        trafficked = any(c.dep_ == "relcl" and c.lemma_ in ("traffic", "smuggle") for c in owner.root.children)
        rel = "traffickedFrom" if trafficked else "nationality"
        for c in found:
            yield ctx.claim(owner, rel, c, conf, "structural:group-from-country")
