"""Resolve: group a document's mentions into entities with deterministic keys.

The key ``"<Type>/<canonical name>"`` (or ``"<Type>/<authority id>"`` for linked places)
is what the rdf stage mints IRIs from, so the same entity gets the same IRI in every
document and every run.
"""

from __future__ import annotations

import re
import unicodedata

from graph.model import Entity, EntityType, Extraction, Mention, ResolvedDocument


def normalize_name(name: str) -> str:
    """Comparison form of a name: NFKC, case-folded, article and possessive dropped."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = re.sub(r"['’]s$", "", text)
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return " ".join(text.split()).casefold()


def canonical_label(mention: Mention) -> str:
    """Preferred label of a mention: the extractor's normalised name, else its tidied text."""
    if mention.normalized:
        return mention.normalized
    text = re.sub(r"['’]s$", "", mention.text.strip())
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def entity_key(mention: Mention) -> str:
    """Deterministic resolution key of a mention."""
    links = dict(mention.links)
    if mention.type is EntityType.COUNTRY and "iso3166" in links:
        return f"{mention.type.value}/{links['iso3166']}"
    if "geonames" in links:
        return f"{mention.type.value}/geonames:{links['geonames']}"
    return f"{mention.type.value}/{normalize_name(canonical_label(mention))}"


def resolve(extraction: Extraction) -> ResolvedDocument:
    """Resolve one document's mentions (and those in its claims) to entities."""
    entities: dict[str, Entity] = {}
    mention_entity: dict[tuple[int, int], str] = {}
    mentions = list(extraction.mentions)
    for claim in extraction.claims:
        mentions.append(claim.subject)
        if isinstance(claim.obj, Mention):
            mentions.append(claim.obj)
        if claim.source is not None:
            mentions.append(claim.source)
    for mention in mentions:
        if mention.span in mention_entity:
            continue
        key = entity_key(mention)
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(key=key, type=mention.type, label=canonical_label(mention))
            entity.links.update(dict(mention.links))
        if mention.text.strip() != entity.label:
            entity.aliases.add(" ".join(mention.text.split()))
        mention_entity[mention.span] = key
    return ResolvedDocument(
        document=extraction.document,
        entities=entities,
        mention_entity=mention_entity,
        claims=list(extraction.claims),
        mentions=list(extraction.mentions),
    )
