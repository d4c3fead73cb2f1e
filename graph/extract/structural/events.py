"""Events that tie a person to another or to a place: killings named by a noun ("the
assassination of Y by X"), a home ("died at his home in Larchmont"), a birth ("born in
Leeds") -> kills, livesIn, bornIn."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from graph.extract.doc import SpanClaim
from graph.extract.structural.context import ORG, PERSON, PLACES, THING, Context, is_name, typ, word
from graph.extract.structural.people import person_descriptors


def kill_events(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """ "the assassination of Y by X", "X's murder of Y", "Sirhan was convicted of Kennedy's
    killing", "Ray, suspected of the assassination of King", "X, convicted of murdering Y",
    "... the assassination of Kennedy ... Oswald was the lone assassin"."""
    words = ctx.words
    victims_in_sentence: list[Span] = []
    for tok in sent:
        w = word(tok)
        if w in words.kill_events and tok.pos_ == "NOUN":
            victims, killers = [], []
            preps = [c for c in tok.children if c.dep_ == "prep"]
            preps += [g for c in preps for o in c.children if o.dep_ == "pobj" and o.like_num
                      for g in o.children if g.dep_ == "prep"]
            for c in [*tok.children, *preps]:
                if c.dep_ == "prep" and c.lower_ == "of":
                    victims += [m for m in ctx.pobj_mentions(c) if typ(m) == PERSON]
                elif c.dep_ == "prep" and c.lower_ == "by":
                    killers += [m for m in ctx.pobj_mentions(c) if typ(m) == PERSON]
                elif c.dep_ == "poss" and any(g.dep_ == "prep" and g.lower_ == "of" for g in tok.children):
                    m = ctx.mention(c)  # "Oswald's murder of Kennedy"
                    if m is not None and typ(m) == PERSON:
                        killers.append(m)
            if not any(g.dep_ == "prep" and g.lower_ == "of" for g in tok.children):
                victims += [m for c in tok.children if c.dep_ == "poss"  # "Kennedy's killing"
                            for m in [ctx.name_at(c)] if m is not None and typ(m) == PERSON]
            victims_in_sentence += victims
            conf = 0.75
            if not killers:  # "X was convicted of / suspected of / serving time for the murder of Y"
                killers = accused_of(ctx, tok)
                conf = 0.6
            for k in dict.fromkeys(killers):
                for v in dict.fromkeys(victims):
                    if k != v:
                        yield ctx.claim(k, "kills", v, conf, "structural:kill-nominal")
        elif tok.lemma_.lower() in words.kill_gerunds and tok.dep_ == "pcomp":
            # "X, convicted of murdering Y": the conviction names the killer
            victims = [m for c in tok.children if c.dep_ == "dobj" for m in ctx.people_of(c)]
            for k in accused_of(ctx, tok):
                for v in victims:
                    if k != v:
                        yield ctx.claim(k, "kills", v, 0.6, "structural:kill-convicted-of")
    # "the assassination of Kennedy ... Oswald was the lone assassin"
    victims = list(dict.fromkeys(victims_in_sentence))
    if len(victims) == 1:
        for m in ctx.sent_mentions(sent):
            if typ(m) != PERSON or not is_name(m) or m == victims[0]:
                continue
            for d, _, _ in person_descriptors(ctx, m):
                if d.title == "killer" and not d.mods and not d.preps and word(d.head) in words.killer_nouns:
                    yield ctx.claim(m, "kills", victims[0], 0.5, "structural:kill-killer-of-sentence-victim")


def accused_of(ctx: Context, tok: Token) -> list[Span]:
    """People convicted of / suspected of / jailed for the event ``tok`` heads."""
    prep = tok.head
    if tok.dep_ not in ("pobj", "pcomp") or prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "with"):
        return []
    verb = prep.head
    if verb.lemma_.lower() not in ctx.words.convicted:
        return []
    out: list[Span] = []
    for c in verb.children:
        if c.dep_ in ("nsubjpass", "nsubj"):
            out += ctx.people_of(c)
    if not out and verb.tag_ == "VBN" and verb.i >= 2 and ctx.doc[verb.i - 1].text == ",":
        # "..., James Earl Ray, suspected of the assassination of King" (the parser may hang
        # the participle on the main verb): the name right before the comma
        m = ctx.person_ending_at(verb.i - 1)
        if m is not None:
            out.append(m)
    if not out and verb.dep_ in ("acl", "relcl", "appos"):
        out += ctx.people_of(verb.head)
    return out


def homes(ctx: Context, sent: Span) -> Iterator[SpanClaim]:
    """The "home" rules: "X died at his home in Larchmont": the clause's named subject lives there."""
    nouns, preps = ctx.book.words("home"), ctx.book.preps("home")
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in nouns or tok.pos_ != "NOUN":
            continue
        if not any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in tok.children):
            continue
        places = [(m, rule) for prep in tok.children if prep.dep_ == "prep" and prep.lower_ in preps
                  for m in ctx.pobj_mentions(prep)
                  for rule in [ctx.book.first("home", "object", prep.lower_, None, m, is_name(m), lemma)]
                  if rule is not None]
        if not places:
            continue
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
            verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        person = ctx.name_at(subj) if subj is not None else None
        if person is None or typ(person) != PERSON:
            continue
        for m, rule in places:
            yield ctx.claim(person, rule.relation, m, rule.confidence_for(m), rule.id)


def births(ctx: Context, mentions: list[Span]) -> Iterator[SpanClaim]:
    """ "X, who was born in Leeds", "X was born on May 5, 1907, in Portland", "X, 76, born
    in Y", "the Leeds-born engineer X": bornIn, a relation newsgraph adds to the core
    vocabulary (a birthplace is no residence; CoNLL04 counts it as Live_In)."""
    for m in mentions:
        if typ(m) not in PLACES or m.label_ == "NORP":
            continue
        r = m.root
        born = None
        if r.dep_ == "pobj" and r.head.lower_ in ("in", "at"):
            h = r.head.head
            if h.lower_ != "born" and h.dep_ == "pobj" and h.head.head.lower_ == "born":
                h = h.head.head  # "born on Feb. 5, 1907, in Portland": "in" hangs on the date
            if h.lower_ == "born":
                born = h
        elif r.dep_ in ("npadvmod", "compound", "nmod") and r.head.lower_ == "born" and r.i < r.head.i:
            born = r.head  # "the Leeds-born engineer"
        person = born_subject(ctx, born) if born is not None else None
        if person is not None and person != m:
            yield ctx.claim(person, "bornIn", m, 0.6, "structural:person-born-in")


def born_subject(ctx: Context, born: Token) -> Span | None:
    """The person a "born" participle or adjective is said of."""
    if born.dep_ in ("relcl", "acl", "amod"):
        tok = born.head
    else:
        tok = next((c for c in born.children if c.dep_ == "nsubjpass"), None)
        if tok is None:
            return None
    if tok.like_num and tok.dep_ == "appos":
        tok = tok.head  # "Gordon Parks, 76, born in Fort Scott"
    m = ctx.name_at(tok)
    if m is None:  # a description: "the Leeds-born engineer John Smith", "X, a Leeds-born engineer"
        app = next((c for c in tok.children if c.dep_ == "appos"), None)
        if app is not None:
            m = ctx.name_at(app)
        elif tok.dep_ == "appos":
            m = ctx.name_at(tok.head)
    if m is None or typ(m) not in (PERSON, ORG, THING):
        return None  # only people are born; the model often types a person as an organisation
    return m
