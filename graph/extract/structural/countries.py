"""Which country a bare national title belongs to: the sentence's, the previous sentence's
government, the dateline's ("Prime Minister X" with no country beside the title)."""

from __future__ import annotations

from spacy.tokens import Span

from graph.extract.dateline import dateline_end
from graph.extract.doc import MENTIONS_KEY
from graph.extract.structural.context import COUNTRY, ORG, PLACE, Context, code, is_name, typ


def only_org(ctx: Context, sent: Span, exclude: Span) -> Span | None:
    """The one organisation a sentence names (besides ``exclude``), else None."""
    found: dict[str, Span] = {}
    for m in ctx.sent_mentions(sent):
        if typ(m) == ORG and is_name(m) and m != exclude:
            found.setdefault((m._.ng_norm or m.text).lower(), m)
    return next(iter(found.values())) if len(found) == 1 else None


def only_country(ctx: Context, sent: Span, exclude: Span) -> Span | None:
    """The one country a sentence names by name (besides ``exclude``), else None."""
    found: dict[str, Span] = {}
    for m in ctx.sent_mentions(sent):  # country names only: "Americans" is no country
        if typ(m) == COUNTRY and m.label_ != "NORP" and is_name(m) and m != exclude:
            found.setdefault((m._.ng_norm or m.text).lower(), m)
            if m.root.dep_ in ("poss", "compound", "amod", "nmod"):
                return None  # "Belarus's Security Committee": the country belongs to someone else
    return next(iter(found.values())) if len(found) == 1 else None


def national_title(ctx: Context, p: Span) -> bool:
    """Whether capitalised national-office words stand right before ``p`` ("Prime Minister",
    "Vice President", "Foreign Minister") and nothing else modifies them ("company President")."""
    doc = ctx.doc
    i = p.start - 1
    words: list[str] = []
    while i >= 0 and p.start - i <= 4 and doc[i].is_title and doc[i].lower_ in ctx.words.national_title_words:
        words.append(doc[i].lower_)
        i -= 1
    if not words:
        return False
    # words[0] is the title's last word: "... Minister", "President", "Foreign Secretary"
    secretary = words[0] == "secretary" and len(words) > 1 and words[1] not in ("vice", "deputy", "secretary")
    if words[0] not in ("president", "premier", "chancellor", "minister") and not secretary:
        return False
    if words[0] == "president" and len(words) > 1 and words[1] not in ("vice",):
        return False  # "Foreign President" is no title
    before = doc[i] if i >= 0 and ctx.sent_of[i] == ctx.sent_of[p.start] else None
    return before is None or before.pos_ not in ("NOUN", "PROPN", "ADJ") or before.i in ctx.demonym_at


def other_country(ctx: Context, country: Span) -> bool:
    """A country the sentence acts on (object, "over / with / against China") or that differs
    from the dateline's: not the one a bare national title belongs to."""
    root = country.root
    if root.dep_ in ("dobj", "dative") or (root.dep_ == "pobj" and root.head.lower_ not in ("in", "of", "from")):
        return True
    dateline = dateline_country(ctx)
    return dateline is not None and code(country) not in (None, dateline)


def sentence_codes(ctx: Context, sent: Span, exclude: Span) -> tuple[set[str], set[str], set[str]]:
    """Countries a sentence names: (by name, by a capital acting as subject - "Phnom Penh
    has said" -, by demonym)."""
    named: set[str] = set()
    acting: set[str] = set()
    demonyms: set[str] = set()
    caps = ctx.tables.capitals
    for m in ctx.sent_mentions(sent):
        if m == exclude:
            continue
        if m._.ng_type == COUNTRY and m.label_ != "NORP":
            c = code(m)
            if c:
                named.add(c)
        elif m._.ng_type == PLACE and is_name(m):
            c = caps.get(m.text) or caps.get(m.text.title())
            if c:
                (acting if m.root.dep_ in ("nsubj", "nsubjpass") else named).add(c)
    for i in range(sent.start, sent.end):
        dem = ctx.demonym_at.get(i)
        c = code(dem) if dem is not None else None
        if c:
            demonyms.add(c)
    return named, acting, demonyms


def government_code(ctx: Context, sent: Span) -> str | None:
    """The one government a sentence names ("the Cambodian government", "Thailand's government")."""
    codes: set[str] = set()
    for tok in sent:
        if tok.lower_ not in ctx.words.government_nouns:
            continue
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                m = ctx.demonym_at.get(c.i) or ctx.place_at(c, {COUNTRY})
                if m is None:
                    m = next((x for x in ctx.at.get(c.i, ()) if x._.ng_type == COUNTRY), None)
                found = code(m) if m is not None else None
                if found:
                    codes.add(found)
    return next(iter(codes)) if len(codes) == 1 else None


def dateline_country(ctx: Context) -> str | None:
    """The country of the story's dateline ("MANILA -" -> PH, "MAE SOT, Thailand (AP)" -> TH),
    unless the lead names another country (computed once per document)."""
    if ctx.dateline_code is not False:
        return ctx.dateline_code  # type: ignore[return-value]
    doc = ctx.doc
    found: str | None = None
    caps = ctx.tables.capitals
    for tok in doc[: min(len(doc), 120)]:
        if not (tok.i == 0 or "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_):
            continue
        end = dateline_end(doc, tok.i)
        if end is None:
            continue
        for i in range(tok.i, end):
            for m in ctx.at.get(i, ()):
                if m._.ng_type == COUNTRY and m.label_ != "NORP" and code(m):
                    found = code(m)
        if found is None:
            j = tok.i
            while j < end and doc[j].is_alpha and doc[j].is_upper:
                j += 1
            found = caps.get(doc[tok.i : j].text.title())
        if found is not None and end + 1 < len(doc):
            # a lead naming another country ("WASHINGTON - The United States and Britain
            # ..."): an international story, the dateline says nothing about who is who
            lead = ctx.sents[ctx.sent_of[end + 1]]
            for m in ctx.sent_mentions(lead):
                if m._.ng_type == COUNTRY and m.label_ != "NORP" and code(m) not in (None, found):
                    found = None
                    break
        break
    ctx.dateline_code = found
    return found


def country_span(ctx: Context, alpha2: str) -> Span | None:
    """The document's first mention of a country (its name or a demonym)."""
    if ctx.first_country is None:
        first: dict[str, Span] = {}
        spans = [m for m in ctx.doc.spans.get(MENTIONS_KEY, []) if m.label_ in ("GPE", "NORP") and m._.ng_type == COUNTRY]
        spans += list({id(d): d for d in ctx.demonym_at.values()}.values())
        for m in sorted(spans, key=lambda s: (s.start, s.end)):
            c = code(m)
            if c and c not in first:
                first[c] = m
        ctx.first_country = first
    return ctx.first_country.get(alpha2)


def document_country(ctx: Context, sent: Span, p: Span) -> tuple[Span, float, str] | None:
    """The country a national title with no country beside it belongs to: the one capital
    or country the sentence names, the government the previous sentence names, else the
    dateline's country when the sentence names no other. (span, confidence, source), the
    source one of "sentence-country", "previous-government", "dateline-country"."""
    named, acting, demonyms = sentence_codes(ctx, sent, p)
    dateline = dateline_country(ctx)
    codes = named | acting | demonyms
    found, conf, source = None, 0.0, ""
    if len(codes) == 1 and (codes == {dateline} or acting == codes):
        # the dateline's country named again, or its capital speaking for the government
        found, conf, source = next(iter(codes)), 0.45 if codes == {dateline} else 0.4, "sentence-country"
    elif not codes:
        n = ctx.sent_of[sent.start]
        prev = government_code(ctx, ctx.sents[n - 1]) if n > 0 else None
        if prev is not None:
            found, conf, source = prev, 0.4, "previous-government"
        elif dateline is not None:
            found, conf, source = dateline, 0.35, "dateline-country"
    if found is None:
        return None
    span = country_span(ctx, found)
    return (span, conf, source) if span is not None else None
