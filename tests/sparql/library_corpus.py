"""A small hand-made corpus in the real RDF shape, for testing queries, the server and viz.

Documents are built with ``graph.rdf.build.document_graph`` from ``ResolvedDocument``
objects, so the triples have exactly the shape a build produces, but the relations are
known in advance (extraction on seeds/ is still improving).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph

from graph.model import Claim, Document, Entity, EntityType, Mention, ResolvedDocument
from graph.rdf.build import build_graph, document_graph
from graph.rdf.namespaces import bind_prefixes

T = EntityType

#: surface text -> (entity key, type, preferred label)
ENTITIES: dict[str, tuple[str, EntityType, str]] = {
    "Amnesty International": ("Organization/amnesty international", T.ORGANIZATION, "Amnesty International"),
    "Amnesty": ("Organization/amnesty international", T.ORGANIZATION, "Amnesty International"),
    "Cambodia": ("Country/KH", T.COUNTRY, "Cambodia"),
    "Myanmar": ("Country/MM", T.COUNTRY, "Myanmar"),
    "Thailand": ("Country/TH", T.COUNTRY, "Thailand"),
    "China": ("Country/CN", T.COUNTRY, "China"),
    "Vietnam": ("Country/VN", T.COUNTRY, "Vietnam"),
    "Taiwan": ("Country/TW", T.COUNTRY, "Taiwan"),
    "Laos": ("Country/LA", T.COUNTRY, "Laos"),
    "Britain": ("Country/GB", T.COUNTRY, "United Kingdom"),
    "KK Park": ("Facility/kk park", T.FACILITY, "KK Park"),
    "Myawaddy": ("Place/myawaddy", T.PLACE, "Myawaddy"),
    "victims": ("Group/victims", T.GROUP, "victims"),
    "Chinese workers": ("Group/chinese workers", T.GROUP, "Chinese workers"),
    "criminal gangs": ("Group/criminal gangs", T.GROUP, "criminal gangs"),
    "Hun Manet": ("Person/hun manet", T.PERSON, "Hun Manet"),
    "Agnes Callamard": ("Person/agnes callamard", T.PERSON, "Agnes Callamard"),
    "Chen Zhi": ("Person/chen zhi", T.PERSON, "Chen Zhi"),
    "police": ("Organization/police", T.ORGANIZATION, "police"),
    "Wang Xing": ("Person/wang xing", T.PERSON, "Wang Xing"),
}

HOSTILE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>'


@dataclass(frozen=True)
class C:
    """A claim in sentence ``sent``: subject surface, relation, object surface or literal."""

    sent: int
    subj: str
    rel: str
    obj: str
    literal: bool = False
    negated: bool = False
    hedged: bool = False
    source: str | None = None


DOC_A = (
    "Amnesty International interviewed 423 victims in Cambodia.",
    "The victims were trafficked from Myanmar, Thailand, China, Vietnam and Taiwan to Cambodia.",
    "The victims were held in KK Park, which criminal gangs run in Myawaddy near Thailand.",
    "Amnesty International accused Cambodia of complicity and reports on Cambodia.",
    "Thailand closed its border with Cambodia.",
    "Prime Minister Hun Manet leads Cambodia.",
    "Agnes Callamard leads Amnesty International.",
    "Amnesty did not accuse Laos.",
    "Britain sanctioned Chen Zhi.",
    "Wang Xing was rescued from KK Park.",
)
CLAIMS_A = (
    C(0, "Amnesty International", "estimates", "423 victims"),
    C(1, "victims", "traffickedFrom", "Myanmar"),
    C(1, "victims", "traffickedFrom", "Thailand"),
    C(1, "victims", "traffickedFrom", "China"),
    C(1, "victims", "traffickedFrom", "Vietnam"),
    C(1, "victims", "traffickedFrom", "Taiwan"),
    C(1, "victims", "traffickedTo", "Cambodia"),
    C(2, "victims", "heldIn", "KK Park"),
    C(2, "criminal gangs", "runs", "KK Park"),
    C(2, "KK Park", "locatedIn", "Myawaddy"),
    C(2, "Myawaddy", "locatedNear", "Thailand"),
    C(3, "Amnesty International", "accuses", "Cambodia"),
    C(3, "Amnesty International", "reportsOn", "Cambodia"),
    C(4, "Thailand", "closedBorderWith", "Cambodia"),
    C(5, "Hun Manet", "leads", "Cambodia"),
    C(6, "Agnes Callamard", "leads", "Amnesty International"),
    C(7, "Amnesty", "accuses", "Laos", negated=True),
    C(8, "Britain", "sanctions", "Chen Zhi"),
    C(9, "Wang Xing", "rescuedFrom", "KK Park"),
)

DOC_B = (
    "Nine out of 58 survivors interviewed by Amnesty were children.",
    "Chinese workers were trafficked from China to Cambodia, Amnesty said.",
    "Thai police arrested 771 individuals and may have raided KK Park.",
    "Amnesty criticized Cambodia.",
)
CLAIMS_B = (
    C(0, "Amnesty", "estimates", "58 survivors interviewed"),
    C(1, "Chinese workers", "traffickedFrom", "China", source="Amnesty"),
    C(1, "Chinese workers", "traffickedTo", "Cambodia"),
    C(1, "Chinese workers", "nationality", "China"),
    C(2, "police", "arrests", "771 individuals", literal=True),
    C(2, "police", "raids", "KK Park", hedged=True),
    C(3, "Amnesty", "criticizes", "Cambodia"),
)

DOC_HOSTILE = (
    f"Amnesty International reports on {HOSTILE}.",
)
CLAIMS_HOSTILE = (C(0, "Amnesty International", "reportsOn", HOSTILE),)


def _resolved(key: str, title: str, date: str, sentences: tuple[str, ...], claims: tuple[C, ...]) -> ResolvedDocument:
    text = " ".join(sentences)
    document = Document(key=key, text=text, source=key, title=title, date=date)
    spans: list[tuple[int, int]] = []
    pos = 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append((start, start + len(s)))
        pos = start + len(s)
    entities: dict[str, Entity] = {}
    mention_entity: dict[tuple[int, int], str] = {}
    mentions: list[Mention] = []

    def mention(surface: str, sent: int) -> Mention:
        s0, s1 = spans[sent]
        m = re.search(re.escape(surface), text[s0:s1])
        assert m, (surface, sent)
        ekey, etype, label = ENTITIES.get(surface, (f"Thing/{surface}", T.THING, surface))
        ent = entities.setdefault(ekey, Entity(key=ekey, type=etype, label=label))
        ent.aliases.add(surface)
        if surface == "Hun Manet":
            ent.roles.add("Prime Minister")
        men = Mention(document.id, s0 + m.start(), s0 + m.end(), surface, etype)
        mention_entity[men.span] = ekey
        mentions.append(men)
        return men

    out: list[Claim] = []
    for c in claims:
        obj: Mention | str = c.obj if (c.literal or c.rel == "estimates") else mention(c.obj, c.sent)
        out.append(
            Claim(
                doc_id=document.id, subject=mention(c.subj, c.sent), relation=c.rel, obj=obj,
                evidence_start=spans[c.sent][0], evidence_end=spans[c.sent][1], confidence=0.8,
                extractor=f"test.{c.rel}", negated=c.negated, hedged=c.hedged,
                source=mention(c.source, c.sent) if c.source else None,
            )
        )
    return ResolvedDocument(document, entities, mention_entity, out, mentions)


def corpus_documents(hostile: bool = False) -> list[ResolvedDocument]:
    docs = [
        _resolved("a.txt", "Amnesty: scam compounds in Cambodia", "2025-06-26", DOC_A, CLAIMS_A),
        _resolved("b.txt", "Survivors of the compounds", "2025-07-01", DOC_B, CLAIMS_B),
    ]
    if hostile:
        docs.append(_resolved("hostile.html", HOSTILE, "2025-07-02", DOC_HOSTILE, CLAIMS_HOSTILE))
    return docs


def corpus_graph(hostile: bool = False) -> Graph:
    """The union graph of the test corpus, as ``newsgraph build`` would write it."""
    from datetime import UTC, datetime

    g = bind_prefixes(Graph())
    docs = corpus_documents(hostile)
    for rd in docs:
        g += document_graph(rd, extractor_version="test")
    g += build_graph([d.document.id for d in docs], "test", "none", "0", when=datetime(2025, 7, 3, tzinfo=UTC))
    return g
