"""People: titles and roles ("Cambodia's Prime Minister Hun Manet", "X, a spokesman for Y",
"X is a native of Y"), prepositions on a name ("X of Dallas"), clauses ("X, who works for Y")
-> leads, worksFor, memberOf, livesIn, kills, nationality."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import (
    EMPLOYERS,
    ORG,
    PLACE,
    Context,
    is_name,
    typ,
    word,
)
from graph.extract.structural.countries import (
    document_country,
    national_title,
    only_country,
    only_org,
    other_country,
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
        yield from _descriptor_rules(ctx, p, d, shape, conf)
    # the "demonym-apposition" rules: "Kovacevic, a Serb" (the apposition is a demonym noun)
    for c in p.root.children:
        dem = ctx.demonym_at.get(c.i) if c.dep_ == "appos" else None
        rule = ctx.book.first("demonym-apposition", "object", None, p, dem, is_name(dem)) if dem is not None else None
        if rule is not None:
            yield ctx.claim(p, rule.relation, dem, rule.confidence_for(dem), rule.id)
    yield from _hometown(ctx, p)
    # the "possessor" rules: "Hernandez Galicia's union", "Brian Mulroney's Progressive Conservative Party"
    if p.root.dep_ == "poss":
        m = ctx.name_at(p.root.head)
        rule = ctx.book.first("possessor", "object", None, p, m, is_name(m)) if m is not None and m != p else None
        if rule is not None:
            yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)
    yield from person_preps(ctx, p)
    yield from person_clauses(ctx, p)


def _descriptor_rules(ctx: Context, p: Span, d: Descriptor, shape: str, conf: float) -> Iterator[SpanClaim]:
    """The "descriptor" rules of structural.toml: each object of the descriptor (its
    modifiers, prepositional objects, demonyms) to the first rule that fits it."""
    rules = [r for r in ctx.book["descriptor"] if shape in r.ids]
    items = [*(("mods", None, m) for m in d.mods), *(("preps", w, m) for w, m in d.preps),
             *(("demonyms", None, m) for m in d.demonyms)]
    for source, prep, m in items:
        named = is_name(m)
        for rule in rules:
            if rule.exclude_demonyms and m in d.demonyms:
                continue
            if rule.fits(source, prep, p, m, named, title=d.title):
                yield ctx.claim(p, rule.relation, m, rule.confidence_for(m, conf), rule.ids[shape])
                break


def _hometown(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """The "hometown" rules: "his hometown of Grants", "Jesse Jackson's home state, South Carolina"."""
    if p.root.dep_ != "poss" or word(p.root.head) not in ctx.book.words("hometown"):
        return
    home = p.root.head
    items = [("preps", w, m) for w, m in prep_chain(ctx, home, depth=1)]
    items += [("appos", None, m) for c in home.children if c.dep_ == "appos" for m in [ctx.name_at(c)] if m is not None]
    for source, prep, m in items:
        rule = ctx.book.first("hometown", source, prep, p, m, is_name(m), word(home))
        if rule is not None:
            yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)


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
        country = only_country(ctx, sent, exclude=p)
        if country is not None and other_country(ctx, country):
            pass  # "President X criticised China": a country acted on is not the leader's
        elif country is not None:
            yield ctx.claim(p, "leads", country, 0.4, LEADER_SENTENCE_COUNTRY[shape])
        elif shape == "title" and not d.former and national_title(ctx, p):
            found = document_country(ctx, sent, p)
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
    if not bodies and shape == "title" and not d.former and national_title(ctx, p):
        # "Deputy Prime Minister X", "Vice President Y", "Foreign Minister Z": the state's
        # post (worksFor, never leads), country from the sentence or the document
        found = document_country(ctx, sent, p)
        if found is not None:
            yield ctx.claim(p, "worksFor", found[0], found[1] - 0.05, TITLE_OFFICIAL_DOCUMENT[found[2]])
    if not bodies and shape == "apposition" and not d.profession:
        org = only_org(ctx, sent, exclude=p)
        if org is not None:  # "Becton Dickinson sells ..., said X, an assistant manager"
            yield ctx.claim(p, "worksFor", org, 0.4, "structural:apposition-role-sentence-org")


def person_preps(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """The "name-prep" rules: "X of Dallas" (livesIn), "X of / at <org>" (worksFor), "X, 45, of Y"."""
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
            if m in ctx.demonym_at.values() and ctx.by_token.get(m.start) is not m:
                continue
            rule = ctx.book.first("name-prep", "object", w, p, m, is_name(m))
            if rule is not None:
                yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)


def person_clauses(ctx: Context, p: Span) -> Iterator[SpanClaim]:
    """The "clause" rules: "X, who works for Y", "X, who lives in Y" (and plain "X works for Y")."""
    root = p.root
    verbs = [c for c in root.children if c.dep_ == "relcl"]
    if root.dep_ == "nsubj":
        verbs.append(root.head)
    verbs += [c for v in verbs for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    lemmas = ctx.book.words("clause")
    rules = ctx.book["clause"]
    for verb in verbs:
        lemma = verb.lemma_.lower()
        if lemma not in lemmas:
            continue
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            w = prep.lower_
            if not any(lemma in r.words and w in r.preps for r in rules):
                continue
            for m in ctx.pobj_mentions(prep):
                rule = ctx.book.first("clause", "object", w, p, m, is_name(m), lemma)
                if rule is not None:
                    yield ctx.claim(p, rule.relation, m, rule.confidence_for(m), rule.id)
