"""Dependency-tree helpers shared by the extract components: voice, subjects,
prepositional objects, conjuncts. They read spaCy's parse only (no mentions; the one word
list, ``QUANTIFIERS``, is built-in language data of ``graph/rules/words.toml``).
"""

from __future__ import annotations

from spacy.tokens import Token

from graph.rules import default_rules

#: quantity words whose "of" object is what they count ("many of them", "thousands of workers");
#: ``[quantifiers] frame`` of graph/rules/words.toml (a fixed table)
QUANTIFIERS = default_rules().words("quantifiers", "frame")


def is_passive(v: Token, depth: int = 0) -> bool:
    """Whether a verb is in the passive voice, also as a conjunct, participle or complement."""
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in v.children):
        return True
    if (v.dep_ == "conj" and depth < 4 and v.tag_ in {"VBN", "VBD"} and v.head.pos_ in {"VERB", "AUX"}
            and not any(c.dep_ in {"nsubj", "aux"} for c in v.children)):  # "but has denied": active
        return is_passive(v.head, depth + 1)  # "were trafficked ... and held in"
    if v.dep_ in {"acomp", "oprd"} and v.tag_ == "VBN":  # "remain trapped", "were left stranded"
        return True
    return v.dep_ in {"acl", "relcl", "advcl", "amod"} and v.tag_ == "VBN" and not any(c.dep_ == "nsubj" for c in v.children)


def subject_of(v: Token, depth: int = 0) -> Token | None:
    """Grammatical subject of a verb, inherited through relative clauses, conj and control."""
    if depth > 6:
        return None
    subjects = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if subjects:  # the nearest one: "BANGKOK — Amnesty accused ..." has two
        c = min(subjects, key=lambda t: abs(v.i - t.i))
        if c.tag_ in {"WDT", "WP"} and v.dep_ == "relcl":
            return v.head
        return c
    if (v.dep_ == "relcl" or (v.dep_ == "acl" and v.tag_ in {"VBN", "VBG"})) and v.head.pos_ in {"NOUN", "PROPN", "PRON"}:
        return v.head  # "gangs who traffic", "compounds run by", not "a man to lure"
    if v.dep_ == "conj" and v.head.pos_ in {"VERB", "AUX"}:
        return subject_of(v.head, depth + 1)
    if v.dep_ in {"xcomp", "ccomp"} and v.dep_ == "xcomp":
        obj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
        return obj or subject_of(v.head, depth + 1)
    if v.dep_ == "advcl" and v.tag_ in {"VBG", "VBN"}:
        return subject_of(v.head, depth + 1)
    if v.dep_ == "pcomp" and v.head.dep_ == "prep":  # "kept within restraining ..."
        if v.head.lower_ in {"of", "for", "with", "from"}:
            # object control: "accusing him of running", "charged them with smuggling"
            obj = next((c for c in v.head.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        return subject_of(v.head.head, depth + 1)
    if v.dep_ in {"acomp", "oprd"} and v.tag_ == "VBN":  # "victims remain trapped in compounds"
        return subject_of(v.head, depth + 1)
    return None


def preps(tok: Token, names: set[str]) -> list[Token]:
    """Objects of the prepositions ``names`` attached to ``tok`` ("kept in camps" -> camps)."""
    out = []
    for c in tok.children:  # "kept in camps" is often parsed with "in" as a particle
        if c.dep_ in {"prep", "agent", "dative", "prt"} and c.lower_ in names:
            out.extend(p for p in c.children if p.dep_ in {"pobj", "pcomp"})
    return out


def unwrap(tok: Token) -> Token:
    """"Many of them" -> them; "thousands of migrant workers" -> workers."""
    if tok.lemma_.lower() in QUANTIFIERS or tok.like_num:
        of = preps(tok, {"of"})
        if of:
            return of[0]
    return tok


def origin_of_noun(tok: Token) -> bool:
    """Whether ``tok`` is where some people come from ("survivors from Indonesia, India and
    the Philippines"): it describes them, it is not what a report is about."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ == "from" and tok.head.head.pos_ in {"NOUN", "PROPN"}


def with_conjuncts(tokens: list[Token]) -> list[Token]:
    """The (unwrapped) nominal tokens with their conjuncts, in order, each once."""
    out: list[Token] = []
    for t in (unwrap(t) for t in tokens):
        for x in (t, *t.conjuncts):
            if x not in out and x.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}:
                out.append(x)
    return out


__all__ = ["QUANTIFIERS", "is_passive", "origin_of_noun", "preps", "subject_of", "unwrap", "with_conjuncts"]
