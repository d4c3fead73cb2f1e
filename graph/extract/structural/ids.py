"""Every rule id of the structural rules written in Python, with the relations it claims
(the declarative rules' ids are in ``graph/rules/structural.toml``).

``Context.claim`` refuses an id not registered here (or in ``graph/rules/structural.toml``)
for its relation, so the ids stay literal, greppable strings: ``grep -rn
'"structural:org-in-place"' graph/`` finds the rule that made a claim.  The closure step
(``closure.py``) derives a claim from another; its ids are listed literally too.
"""

from __future__ import annotations

#: rule id -> the relations it may claim (rules written in Python)
RULES: dict[str, frozenset[str]] = {
    "structural:title-leader": frozenset({"leads"}),
    "structural:title-leader-sentence-country": frozenset({"leads"}),
    "structural:title-role": frozenset({"worksFor"}),
    "structural:title-profession-place": frozenset({"livesIn"}),
    "structural:apposition-leader": frozenset({"leads"}),
    "structural:apposition-leader-sentence-country": frozenset({"leads"}),
    "structural:apposition-role": frozenset({"worksFor"}),
    "structural:apposition-profession-place": frozenset({"livesIn"}),
    "structural:copula-leader": frozenset({"leads"}),
    "structural:copula-leader-sentence-country": frozenset({"leads"}),
    "structural:copula-role": frozenset({"worksFor"}),
    "structural:copula-profession-place": frozenset({"livesIn"}),
    "structural:named-leader": frozenset({"leads"}),
    "structural:named-leader-sentence-country": frozenset({"leads"}),
    "structural:named-role": frozenset({"worksFor"}),
    "structural:named-profession-place": frozenset({"livesIn"}),
    "structural:title-leader-previous-government": frozenset({"leads"}),
    "structural:title-leader-dateline-country": frozenset({"leads"}),
    "structural:title-official-sentence-country": frozenset({"worksFor"}),
    "structural:title-official-previous-government": frozenset({"worksFor"}),
    "structural:title-official-dateline-country": frozenset({"worksFor"}),
    "structural:apposition-role-sentence-org": frozenset({"worksFor"}),
    "structural:org-place-name": frozenset({"basedIn"}),
    "structural:org-demonym-name": frozenset({"basedIn"}),
    "structural:place-comma-place": frozenset({"locatedIn"}),
    "structural:dateline-place": frozenset({"locatedIn"}),
    "structural:wire-header": frozenset({"basedIn"}),
    "structural:group-nationals": frozenset({"nationality"}),
    "structural:group-demonym": frozenset({"nationality"}),
    "structural:group-plural-demonym": frozenset({"nationality"}),
    "structural:group-from-country": frozenset({"nationality", "traffickedFrom"}),
    "structural:kill-nominal": frozenset({"kills"}),
    "structural:kill-convicted-of": frozenset({"kills"}),
    "structural:kill-killer-of-sentence-victim": frozenset({"kills"}),
    "structural:person-born-in": frozenset({"bornIn"}),
}

#: "X, 50, of Bethany, Conn.": X livesIn Conn. too (a claim whose object is the first place of a
#: comma pair, repeated with the second place)
COMMA_PLACE: dict[str, str] = {
    "structural:title-profession-place": "structural:title-profession-place+comma-place",
    "structural:title-residence": "structural:title-residence+comma-place",
    "structural:apposition-profession-place": "structural:apposition-profession-place+comma-place",
    "structural:apposition-residence": "structural:apposition-residence+comma-place",
    "structural:apposition-from": "structural:apposition-from+comma-place",
    "structural:copula-profession-place": "structural:copula-profession-place+comma-place",
    "structural:copula-residence": "structural:copula-residence+comma-place",
    "structural:copula-from": "structural:copula-from+comma-place",
    "structural:named-profession-place": "structural:named-profession-place+comma-place",
    "structural:named-residence": "structural:named-residence+comma-place",
    "structural:named-from": "structural:named-from+comma-place",
    "structural:person-hometown": "structural:person-hometown+comma-place",
    "structural:person-of-place": "structural:person-of-place+comma-place",
    "structural:person-from-place": "structural:person-from-place+comma-place",
    "structural:clause-lives-in": "structural:clause-lives-in+comma-place",
    "structural:org-based-compound": "structural:org-based-compound+comma-place",
    "structural:org-place-modifier": "structural:org-place-modifier+comma-place",
    "structural:org-place-name": "structural:org-place-name+comma-place",
    "structural:org-demonym-name": "structural:org-demonym-name+comma-place",
    "structural:org-in-place": "structural:org-in-place+comma-place",
    "structural:org-of-place": "structural:org-of-place+comma-place",
    "structural:org-based-in": "structural:org-based-in+comma-place",
    "structural:org-headquarters-in": "structural:org-headquarters-in+comma-place",
    "structural:org-apposition-based": "structural:org-apposition-based+comma-place",
    "structural:org-apposition-place": "structural:org-apposition-place+comma-place",
    "structural:org-apposition-in": "structural:org-apposition-in+comma-place",
    "structural:place-possessive": "structural:place-possessive+comma-place",
    "structural:place-in-place": "structural:place-in-place+comma-place",
    "structural:facility-in-facility": "structural:facility-in-facility+comma-place",
    "structural:place-apposition": "structural:place-apposition+comma-place",
    "structural:place-comma-place": "structural:place-comma-place+comma-place",
    "structural:place-near": "structural:place-near+comma-place",
    "structural:dateline-place": "structural:dateline-place+comma-place",
    "structural:wire-header": "structural:wire-header+comma-place",
    "structural:person-home-in": "structural:person-home-in+comma-place",
}

#: "the two main forces in Bulgaria, the Bulgarian Socialist Party and ...": a description's
#: claim repeated for the names in apposition to it
APPOSITION: dict[str, str] = {
    "structural:org-based-compound": "structural:org-based-compound+apposition",
    "structural:org-place-modifier": "structural:org-place-modifier+apposition",
    "structural:org-place-name": "structural:org-place-name+apposition",
    "structural:org-demonym-name": "structural:org-demonym-name+apposition",
    "structural:org-in-place": "structural:org-in-place+apposition",
    "structural:org-of-place": "structural:org-of-place+apposition",
    "structural:org-based-in": "structural:org-based-in+apposition",
    "structural:org-headquarters-in": "structural:org-headquarters-in+apposition",
    "structural:org-apposition-based": "structural:org-apposition-based+apposition",
    "structural:org-apposition-place": "structural:org-apposition-place+apposition",
    "structural:org-apposition-in": "structural:org-apposition-in+apposition",
    "structural:operations-in": "structural:operations-in+apposition",
    "structural:place-possessive": "structural:place-possessive+apposition",
    "structural:place-in-place": "structural:place-in-place+apposition",
    "structural:facility-in-facility": "structural:facility-in-facility+apposition",
    "structural:place-apposition": "structural:place-apposition+apposition",
    "structural:place-comma-place": "structural:place-comma-place+apposition",
    "structural:dateline-place": "structural:dateline-place+apposition",
    "structural:wire-header": "structural:wire-header+apposition",
}
