"""The entity tagger's lexicon: lemma tables of the rules (``[groups]``, ``[facilities]``,
``[topics]``, ``[nominals]``, ``[organizations]``, ``[places]``, ``[titles] words``) as sets,
read by ``entities.py`` and ``names.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import EntityType
from graph.rules import Rules


@dataclass(slots=True)
class Lexicon:
    """Lemma tables for group, facility, topic and nominal heads."""

    group_heads: set[str] = field(default_factory=set)
    group_needs_mod: set[str] = field(default_factory=set)
    facility_heads: set[str] = field(default_factory=set)
    facility_needs_mod: set[str] = field(default_factory=set)
    facility_mods: set[str] = field(default_factory=set)
    topic_heads: set[str] = field(default_factory=set)
    topic_needs_mod: set[str] = field(default_factory=set)
    nominals: dict[str, EntityType] = field(default_factory=dict)
    org_heads: set[str] = field(default_factory=set)
    org_name_heads: set[str] = field(default_factory=set)
    place_suffixes: set[str] = field(default_factory=set)
    facility_suffixes: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    @classmethod
    def from_rules(cls, rules: Rules) -> Lexicon:
        g, f, t = rules.table("groups"), rules.table("facilities"), rules.table("topics")
        return cls(
            group_heads=set(g.get("heads", [])),
            group_needs_mod=set(g.get("requires_modifier", [])),
            facility_heads=set(f.get("heads", [])),
            facility_needs_mod=set(f.get("requires_modifier", [])),
            facility_mods=set(f.get("modifiers", [])),
            topic_heads=set(t.get("heads", [])),
            topic_needs_mod=set(t.get("requires_modifier", [])),
            nominals={k: EntityType(v) for k, v in rules.table("nominals").items()},
            org_heads=set(rules.table("organizations").get("heads", [])),
            org_name_heads=set(rules.table("organizations").get("name_heads", [])),
            place_suffixes=set(rules.table("places").get("name_suffixes", [])),
            facility_suffixes=set(f.get("name_suffixes", [])),
            titles={w.lower() for w in rules.words("titles")},
        )
