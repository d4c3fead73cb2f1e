"""spaCy components of the extract stage, registered as factories.

``newsgraph_entities`` turns the model's entities into typed mention spans in
``doc.spans["ng_mentions"]``; ``newsgraph_relations`` finds claims between them with
dependency patterns and stores them in ``doc._.ng_claims``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph.model import EntityType

MENTIONS_KEY = "ng_mentions"

for _name in ("ng_type", "ng_norm", "ng_links"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("ng_claims"):
    Doc.set_extension("ng_claims", default=[])


@dataclass(slots=True)
class SpanClaim:
    """A claim still expressed over spaCy spans (converted to ``Claim`` after the pipe)."""

    subject: Span
    relation: str
    obj: Span | str
    evidence: Span
    confidence: float
    extractor: str
    negated: bool = False
    hedged: bool = False
    source: Span | None = None


def _country(name: str) -> tuple[str, str] | None:
    """(official short name, alpha-2) for a country name, or None."""
    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return getattr(country, "common_name", None) or country.name, country.alpha_2


SPACY_TYPES = {
    "ORG": EntityType.ORGANIZATION,
    "PERSON": EntityType.PERSON,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.FACILITY,
    "EVENT": EntityType.EVENT,
    "WORK_OF_ART": EntityType.WORK,
    "LAW": EntityType.WORK,
}


@Language.factory(
    "newsgraph_entities",
    requires=["doc.ents", "token.dep"],
    assigns=["doc.spans"],
)
def make_entities(nlp: Language, name: str) -> EntityTagger:
    return EntityTagger()


class EntityTagger:
    """Typed mentions from the model's named entities (countries linked to ISO 3166)."""

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for ent in doc.ents:
            etype = SPACY_TYPES.get(ent.label_)
            if etype is None:
                continue
            span = Span(doc, ent.start, ent.end, label=ent.label_)
            text = span.text
            if text.lower().startswith("the "):
                span = Span(doc, ent.start + 1, ent.end, label=ent.label_)
            span._.ng_type = etype.value
            if ent.label_ == "GPE":
                hit = _country(span.text)
                if hit:
                    span._.ng_type = EntityType.COUNTRY.value
                    span._.ng_norm = hit[0]
                    span._.ng_links = (("iso3166", hit[1]),)
            spans.append(span)
        doc.spans[MENTIONS_KEY] = spans
        return doc


@Language.factory(
    "newsgraph_relations",
    requires=["doc.spans", "token.dep", "token.lemma"],
    assigns=["doc._.ng_claims"],
)
def make_relations(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder()


class RelationFinder:
    """First dependency patterns: ``X report ... <country>`` and ``close border with``."""

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans.get(MENTIONS_KEY, []))
        by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        claims: list[SpanClaim] = []
        for sent in doc.sents:
            claims.extend(self._reports_on(sent, by_token))
            claims.extend(self._closed_border(sent, by_token))
        doc._.ng_claims = claims
        return doc

    @staticmethod
    def _reports_on(sent: Span, by_token: dict[int, Span]) -> list[SpanClaim]:
        out: list[SpanClaim] = []
        for tok in sent:
            if tok.lemma_.lower() != "report" or tok.pos_ != "NOUN":
                continue
            orgs = [by_token[c.i] for c in tok.children if c.i in by_token and by_token[c.i]._.ng_type == "Organization"]
            if not orgs:
                continue
            countries = {by_token[t.i] for t in sent if t.i in by_token and by_token[t.i]._.ng_type == "Country"}
            for country in sorted(countries, key=lambda s: s.start):
                out.append(SpanClaim(orgs[0], "reportsOn", country, sent, 0.6, "reportsOn.report-noun"))
        return out

    @staticmethod
    def _subject_of(verb: Token) -> Token | None:
        while True:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None or verb.dep_ != "conj" or verb.head is verb:
                return subj
            verb = verb.head

    def _closed_border(self, sent: Span, by_token: dict[int, Span]) -> list[SpanClaim]:
        out: list[SpanClaim] = []
        for tok in sent:
            if tok.lemma_.lower() != "close" or tok.pos_ != "VERB":
                continue
            border = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() == "border"), None)
            if border is None:
                continue
            objs = [
                by_token[p.i]
                for prep in border.children
                if prep.dep_ == "prep" and prep.lower_ == "with"
                for p in prep.children
                if p.dep_ == "pobj" and p.i in by_token
            ]
            subj = self._subject_of(tok)
            if subj is None:
                continue
            subj_span = by_token.get(subj.i) or next(
                (by_token[c.i] for c in subj.children if c.dep_ == "poss" and c.i in by_token), None
            )
            if subj_span is None:
                continue
            for obj in objs:
                out.append(SpanClaim(subj_span, "closedBorderWith", obj, sent, 0.8, "closedBorderWith.close-border"))
        return out
