"""People: titles and roles ("Cambodia's Prime Minister Hun Manet", "X, a spokesman for Y",
"X is a native of Y"), prepositions on a name ("X of Dallas"), clauses ("X, who works for Y")
-> leads, worksFor, memberOf, livesIn, kills, nationality."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from graph.extract.spanclaim import SpanClaim
from graph.extract.structural import countries
from graph.extract.structural.context import (
    EMPLOYERS,
    FACILITY,
    GROUP,
    ORG,
    PERSON,
    PLACE,
    PLACES,
    Context,
    is_name,
    typ,
    word,
)
from graph.extract.structural.descriptors import Descriptor, describe, prep_chain

# The shapes a descriptor of a person comes in: "title" (words before the name),
# "apposition", "copula" ("X is a native of Y"), "named" ("a Thai woman named Yathada").
LEADER = {"title": "structural:title-leader", "apposition": "structural:apposition-leader",
          "copula": "structural:copula-leader", "named": "structural:named-leader"}
LEADER_SENTENCE_COUNTRY = {
    "title": "structural:title-leader-sentence-country",
    "apposition": "structural:apposition-leader-sentence-country",
    "copula": "structural:copula-leader-sentence-country",
    "named": "structural:named-leader-sentence-country",
}
#: a bare national title's country found by countries.document_country, by its source
TITLE_LEADER_DOCUMENT = {
    "sentence-country": "structural:title-leader-sentence-country",
    "previous-government": "structural:title-leader-previous-government",
    "dateline-country": "structural:title-leader-dateline-country",
}
TITLE_OFFICIAL_DOCUMENT = {
    "sentence-country": "structural:title-official-sentence-country",
    "previous-government": "structural:title-official-previous-government",
    "dateline-country": "structural:title-official-dateline-country",
}
ROLE = {"title": "structural:title-role", "apposition": "structural:apposition-role",
        "copula": "structural:copula-role", "named": "structural:named-role"}
PROFESSION_PLACE = {
    "title": "structural:title-profession-place", "apposition": "structural:apposition-profession-place",
    "copula": "structural:copula-profession-place", "named": "structural:named-profession-place",
}
MEMBER = {"title": "structural:title-member", "apposition": "structural:apposition-member",
          "copula": "structural:copula-member", "named": "structural:named-member"}
KILLER = {"title": "structural:title-killer", "apposition": "structural:apposition-killer",
          "copula": "structural:copula-killer", "named": "structural:named-killer"}
RESIDENCE = {"title": "structural:title-residence", "apposition": "structural:apposition-residence",
             "copula": "structural:copula-residence", "named": "structural:named-residence"}
FROM = {"apposition": "structural:apposition-from", "copula": "structural:copula-from",
        "named": "structural:named-from"}
DEMONYM = {"title": "structural:title-demonym", "apposition": "structural:apposition-demonym",
           "copula": "structural:copula-demonym", "named": "structural:named-demonym"}


def looks_personal(ctx: Context, m: Span) -> bool:
    """Names the model typed as organisations but that carry an age ("X, 50, of ...")."""
    root = m.root
    for c in root.children:
        if c.dep_ == "appos" and c.like_num and c.i == m.end + 1:
            return True
    doc = ctx.doc
    return bool(m.end + 2 < len(doc) and doc[m.end].text == "," and doc[m.end + 1].like_num
                and doc[m.end + 2].text == ",")


def person_descriptors(ctx: Context, p: Span) -> Iterator[tuple[Descriptor, str, float]]:
    """Noun phrases that describe person ``p``: (descriptor, shape, base confidence)."""
    root = p.root
    # titles and modifiers before the name, inside its own noun phrase
    yield describe(ctx, root, exclude=p), "title", 0.75
    # appositions both ways: "X, a spokesman for Y" / "a Chinese man, X"
    for c in root.children:
        if c.dep_ == "appos" and ctx.name_at(c) is None and not c.like_num:
            yield describe(ctx, c), "apposition", 0.75
            # "a professor at X and honorary president of Y"
            for conj in c.children:
                if conj.dep_ == "conj" and conj.pos_ == "NOUN" and ctx.name_at(conj) is None:
                    yield describe(ctx, conj), "apposition", 0.7
    if root.dep_ == "appos" and ctx.name_at(root.head) is None:
        yield describe(ctx, root.head), "apposition", 0.7
    # copula: "X is a native of Y", "X, who is a major in the Marine Corps"
    verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") else []
    verbs += [c for c in root.children if c.dep_ == "relcl"]
    for verb in verbs:
        if verb.lemma_ != "be":
            continue
        for c in verb.children:
            if c.dep_ in ("attr", "acomp") and ctx.name_at(c) is None:
                yield describe(ctx, c), "copula", 0.7
    # "a Thai woman named Yathada"
    head = root.head
    if root.dep_ in ("oprd", "dobj", "attr", "npadvmod") and head.lemma_ in ("name", "call") and head.dep_ == "acl":
        yield describe(ctx, head.head), "named", 0.7


def person(ctx: Context, p: Span, sent: Span) -> Iterator[SpanClaim]:
    """Every structural claim about person ``p``."""
    for d, shape, base in person_descriptors(ctx, p):
        conf = base - (0.1 if d.former else 0.0)
        objects = [*d.mods, *[m for prep, m in d.preps if prep in ("of", "for", "at", "with", "in")]]
        if d.title in ("leader", "national-leader"):
            yield from _leader(ctx, p, sent, d, shape, conf, objects)
        elif d.title == "role":
            yield from _role(ctx, p, sent, d, shape, conf, objects)
        elif d.title == "member":
            for m in objects:
                if typ(m) in (ORG, GROUP):
                    yield ctx.claim(p, "memberOf", m, conf, MEMBER[shape])
        elif d.title == "killer":
            for m in [*d.mods, *[m for prep, m in d.preps if prep == "of"]]:
                if typ(m) == PERSON or (typ(m) == ORG and is_name(m)):
                    c = conf - 0.05 if typ(m) == PERSON else conf - 0.25
                    yield ctx.claim(p, "kills", m, c, KILLER[shape])
        elif d.title == "residence":
            # "a native of X" says X is a place even when the model typed it otherwise
            for m in [*d.mods, *[m for prep, m in d.preps if prep in ("of", "in", "from")]]:
                if typ(m) in PLACES or (typ(m) in (ORG, FACILITY) and is_name(m)):
                    c = conf + 0.05 if typ(m) in PLACES else conf - 0.15
                    yield ctx.claim(p, "livesIn", m, c, RESIDENCE[shape])
        if shape != "title" and d.title is None:
            # "X, a Republican from Chicago"
            for prep, m in d.preps:
                if prep == "from" and typ(m) in PLACES and m not in d.demonyms:
                    yield ctx.claim(p, "livesIn", m, 0.5, FROM[shape])
        for dem in d.demonyms:
            yield ctx.claim(p, "nationality", dem, conf - 0.05, DEMONYM[shape])
    # "Kovacevic, a Serb": the apposition itself is a demonym noun
    for c in p.root.children:
        if c.dep_ == "appos":
            dem = ctx.demonym_at.get(c.i)
            if dem is not None:
                yield ctx.claim(p, "nationality", dem, 0.7, "structural:apposition-demonym-noun")
    # "his hometown of Grants", "Jesse Jackson's home state, South Carolina"
    if p.root.dep_ == "poss" and word(p.root.head) in ctx.words.home_nouns:
        home = p.root.head
        places = [m for w, m in prep_chain(ctx, home, depth=1) if w == "of"]
        places += [m for c in home.children if c.dep_ == "appos" for m in [ctx.name_at(c)] if m is not None]
        for m in places:
            if typ(m) in PLACES:
                yield ctx.claim(p, "livesIn", m, 0.7, "structural:person-hometown")
    # "Hernandez Galicia's union", "Brian Mulroney's Progressive Conservative Party"
    if p.root.dep_ == "poss":
        m = ctx.name_at(p.root.head)
        if m is not None and typ(m) == ORG and m != p:
            yield ctx.claim(p, "memberOf", m, 0.45, "structural:person-possessive-org")
    yield from person_preps(ctx, p)
    yield from person_clauses(ctx, p)


def _leader(
    ctx: Context, p: Span, sent: Span, d: Descriptor, shape: str, conf: float, objects: list[Span]
) -> Iterator[SpanClaim]:
    """A leader's title: the body named with it, else (a head of state) the sentence's or
    the document's country."""
    bodies = [m for m in objects if typ(m) in EMPLOYERS]
    if not bodies and d.demonyms:
        bodies = d.demonyms[:1]
    for m in bodies:
        yield ctx.claim(p, "leads", m, conf, LEADER[shape])
    if not bodies and d.title == "national-leader":
        country = countries.only_country(ctx, sent, exclude=p)
        if country is not None and countries.other_country(ctx, country):
            pass  # "President X criticised China": a country acted on is not the leader's
        elif country is not None:
            yield ctx.claim(p, "leads", country, 0.4, LEADER_SENTENCE_COUNTRY[shape])
        elif shape == "title" and not d.former and countries.national_title(ctx, p):
            found = countries.document_country(ctx, sent, p)
            if found is not None:
                yield ctx.claim(p, "leads", found[0], found[1], TITLE_LEADER_DOCUMENT[found[2]])


def _role(
    ctx: Context, p: Span, sent: Span, d: Descriptor, shape: str, conf: float, objects: list[Span]
) -> Iterator[SpanClaim]:
    """A job title or profession: the employer named with it, the place of a profession,
    else the state of a national office or the one organisation of the sentence."""
    bodies = [m for m in objects if typ(m) in EMPLOYERS]
    if not bodies and not d.profession:
        bodies = d.demonyms[:1]
    for m in bodies:
        if typ(m) == ORG:
            yield ctx.claim(p, "worksFor", m, conf, ROLE[shape])
        elif d.profession or typ(m) == PLACE and m in d.mods:
            # "Atlanta businessman X", "the New York attorney X"
            yield ctx.claim(p, "livesIn", m, conf - 0.2, PROFESSION_PLACE[shape])
        else:
            yield ctx.claim(p, "worksFor", m, conf - 0.15, ROLE[shape])
    if not bodies and shape == "title" and not d.former and countries.national_title(ctx, p):
        # "Deputy Prime Minister X", "Vice President Y", "Foreign Minister Z": the state's
        # post (worksFor, never leads), country from the sentence or the document
        found = countries.document_country(ctx, sent, p)
        if found is not None:
            yield ctx.claim(p, "worksFor", found[0], found[1] - 0.05, TITLE_OFFICIAL_DOCUMENT[found[2]])
    if not bodies and shape == "apposition" and not d.profession:
        org = countries.only_org(ctx, sent, exclude=p)
        if org is not None:  # "Becton Dickinson sells ..., said X, an assistant manager"
            yield ctx.claim(p, "worksFor", org, 0.4, "structural:apposition-role-sentence-org")


PERSON_OF_ORG = {"of": "structural:person-of-org", "at": "structural:person-at-org", "with": "structural:person-with-org"}
PERSON_OF_FACILITY = {"of": "structural:person-of-facility", "at": "structural:person-at-facility"}


def person_preps(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """ "X of Dallas" (livesIn), "X of / at <org>" (worksFor), "X, 45, of Y"."""
    root = p.root
    preps = [c for c in root.children if c.dep_ == "prep"]
    # "X, 50, of Y": the parser may hang "of" on the age
    for c in root.children:
        if c.dep_ == "appos" and c.like_num:
            preps.extend(g for g in c.children if g.dep_ == "prep")
    for prep in preps:
        w = prep.lower_
        if prep.i < p.end:
            continue
        found = ctx.pobj_mentions(prep)
        if not found and w in ("of", "at"):
            # "Stephanie Powell, of the DEM's division", "X of the law firm of Skadden"
            found = [m for x, m in prep_chain(ctx, prep.head) if x == w and typ(m) == ORG]
        for m in found:
            t = typ(m)
            if m in ctx.demonym_at.values() and ctx.by_token.get(m.start) is not m:
                continue
            if w == "of" and t in PLACES:
                yield ctx.claim(p, "livesIn", m, 0.65, "structural:person-of-place")
            elif w in ("of", "at", "with") and t == ORG:
                yield ctx.claim(p, "worksFor", m, 0.55, PERSON_OF_ORG[w])
            elif w in ("of", "at") and t == FACILITY:  # "X of the Economic Research Center"
                yield ctx.claim(p, "worksFor", m, 0.45, PERSON_OF_FACILITY[w])
            elif w == "from" and t in PLACES:
                yield ctx.claim(p, "livesIn", m, 0.45, "structural:person-from-place")


def person_clauses(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """ "X, who works for Y", "X, who lives in Y" (and plain "X works for Y")."""
    root = p.root
    verbs = [c for c in root.children if c.dep_ == "relcl"]
    if root.dep_ == "nsubj":
        verbs.append(root.head)
    verbs += [c for v in verbs for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    for verb in verbs:
        lemma = verb.lemma_.lower()
        preps = [c for c in verb.children if c.dep_ == "prep"]
        if lemma == "work":
            for prep in preps:
                if prep.lower_ in ("for", "at", "with"):
                    for m in ctx.pobj_mentions(prep):
                        if typ(m) in EMPLOYERS or typ(m) == FACILITY:
                            c = 0.75 if typ(m) == ORG else 0.6
                            yield ctx.claim(p, "worksFor", m, c, "structural:clause-works-for")
        elif lemma in ("live", "reside"):
            for prep in preps:
                if prep.lower_ in ("in", "at", "near"):
                    for m in ctx.pobj_mentions(prep):
                        if typ(m) in PLACES:
                            yield ctx.claim(p, "livesIn", m, 0.75, "structural:clause-lives-in")
