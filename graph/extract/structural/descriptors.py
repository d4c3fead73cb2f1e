"""Descriptive noun phrases: the title, modifiers and prepositional objects of a noun.

"Cambodia's Prime Minister", "a spokesman for Chevron", "the London-based group": what
``describe`` finds here is what the people, organisation and place rules turn into claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from graph.extract.structural.context import ORG, PLACES, Context, is_name, norm_phrase, typ, word
from graph.extract.structural.tables import Words

#: dependencies of the words right before a name that belong to its own noun phrase
NAME_ZONE = {"compound", "amod", "poss", "case", "det", "nmod", "nummod", "punct", "npadvmod", "cc", "conj"}


@dataclass(slots=True)
class Descriptor:
    """A noun phrase that describes an entity: its title, modifiers and prepositional objects."""

    head: Token
    title: str | None = None  # "leader", "national-leader", "role", "member", "killer", "residence", "partof"
    former: bool = False
    mods: list[Span] = field(default_factory=list)  # mentions modifying the head (compound / possessive)
    preps: list[tuple[str, Span]] = field(default_factory=list)  # ("of", mention)
    demonyms: list[Span] = field(default_factory=list)
    based: list[Span] = field(default_factory=list)  # places of "<Y>-based"
    profession: bool = False  # the title is a profession, not a post ("lawyer", "businessman")


def describe(ctx: Context, head: Token, exclude: Span | None = None) -> Descriptor:
    """Analyse the noun phrase headed by ``head`` (left modifiers up to ``exclude``)."""
    d = Descriptor(head)
    sent_of = ctx.sent_of
    left = [t for t in head.subtree if t.i <= head.i and sent_of[t.i] == sent_of[head.i]]
    if exclude is not None:
        # only the words right before the name, inside its own noun phrase
        # ("Cambodia's Prime Minister Hun Manet"), not a long left subtree
        zone: list[Token] = []
        i = exclude.start - 1
        members = {t.i for t in left}
        while i >= ctx.sents[sent_of[head.i]].start and exclude.start - i <= 8 and i in members:
            tok = ctx.doc[i]
            if tok.dep_ not in NAME_ZONE or (tok.dep_ == "punct" and tok.text not in ("-", ".")):
                break
            zone.append(tok)
            i -= 1
        left = sorted(zone, key=lambda t: t.i)
    words: list[Token] = []
    for t in left:
        if t != head and (t.dep_ in ("relcl", "acl", "appos") or (t.head.dep_ in ("relcl", "acl", "appos") and t.head != head)):
            continue
        m = ctx.country_like(t)
        if m is not None and not is_name(m) and m._.ng_type not in PLACES:
            m = ctx.name_at(t)  # inside a generic phrase ("FAA spokesman"): the name, else words
        dem = ctx.demonym_at.get(t.i)
        if dem is not None and m is dem:
            if dem not in d.demonyms:
                d.demonyms.append(dem)
            continue
        if m is not None and (exclude is None or m != exclude) and not (m.start <= head.i < m.end):
            if m not in d.mods:
                d.mods.append(m)
            continue
        if t.lower_ in ("based", "headquartered") and t.i > 0 and t.nbor(-1).text == "-":
            continue
        words.append(t)
    # "London-based": place tokens right before "-based"
    for t in left:
        if t.lower_ in ("based", "headquartered") and t.i >= 2 and t.nbor(-1).text == "-":
            m = ctx.country_like(t.nbor(-2))
            if m is not None:
                d.based.append(m)
                if m in d.mods:
                    d.mods.remove(m)
    tokens = norm_phrase(words).split()
    d.former = any(w in ("former", "ex", "late", "then", "retired") for w in tokens)
    d.title = title_class(ctx.words, tokens, head)
    # "Cambodian businessman X": the profession is the title's last word before the name
    d.profession = d.title == "role" and (
        word(head) in ctx.words.professions or (exclude is not None and bool(tokens) and tokens[-1] in ctx.words.professions)
    )
    d.preps = prep_chain(ctx, head)
    return d


def prep_chain(ctx: Context, head: Token, depth: int = 2) -> list[tuple[str, Span]]:
    """(preposition, mention) on a noun, following unnamed objects one step further:
    "a professor of political science at Queens College", "of the law firm of Skadden"."""
    out: list[tuple[str, Span]] = []
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        found = ctx.pobj_mentions(prep)
        out.extend((prep.lower_, m) for m in found)
        if found or depth <= 1:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for poss in obj.children:  # "of the DEM's division"
                m = ctx.name_at(poss) if poss.dep_ == "poss" else None
                if m is not None and typ(m) == ORG:
                    out.append((prep.lower_, m))
            out.extend((w, m) for w, m in prep_chain(ctx, obj, depth - 1) if w in ("of", "at", "for", "with", "in"))
    return out


def title_class(words: Words, tokens: list[str], head: Token) -> str | None:
    """What a descriptor's words make of the entity: "leader", "national-leader", "role",
    "member", "killer", "residence", "partof", or None."""
    if not tokens:
        return None
    text = " " + " ".join(tokens) + " "
    head_word = word(head)
    subordinate = any(w in words.subordinate for w in tokens)
    if head_word in words.killer_nouns or any(w in words.killer_nouns for w in tokens):
        return "killer"
    for phrase in words.leader_order:
        if f" {phrase} " in text:
            if subordinate:
                return "role"
            return "national-leader" if phrase in words.national_leaders else "leader"
    if head_word in words.member_nouns:
        return "member"
    if head_word in words.residence_nouns:
        return "residence"
    if head_word in words.partof_nouns or text.strip() in words.partof_nouns:
        return "partof"
    if any(w in words.role_titles for w in tokens) or head_word in words.professions:
        return "role"
    if any(w in words.member_nouns for w in tokens):
        return "member"
    return None
